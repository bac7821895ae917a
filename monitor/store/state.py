"""The state table: small values kept under a name (the pause, the heartbeat, the last weekly report).

Its reads and writes are methods of Store (monitor.store.database), which inherits them
from StateTable.
"""

from __future__ import annotations

import sqlite3


class StateTable:
    """Get, set and forget a value under a key; a part of Store."""

    connection: sqlite3.Connection

    def get_state(self, key: str) -> str | None:
        """The value stored under ``key``, or None."""
        row = self.connection.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        self.connection.execute(
            "INSERT INTO state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def delete_state(self, key: str) -> None:
        """Forget ``key``."""
        self.connection.execute("DELETE FROM state WHERE key = ?", (key,))
