"""Where the doorway stands, kept in the store for ``unscroll status``: unavailable, or held back.

The daemon writes it when something changes (a window that could not be shown, a shown
one, a "Continue" period chosen); ``status`` reads it from the files alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from monitor.store.database import Store

STATE_KEY = "doorway.standing"


@dataclass(frozen=True)
class DoorwayStanding:
    """Why the doorway cannot be shown (None: it can), since when, and the "Continue" periods."""

    unavailable: str | None = None
    unavailable_since: float | None = None
    continue_until: dict[str, float] = field(default_factory=dict)
    """Category -> when its "Continue" period ends (UTC seconds)."""

    def to_dict(self) -> dict[str, Any]:
        """The standing as JSON-ready data."""
        return {"unavailable": self.unavailable, "unavailable_since": self.unavailable_since,
                "continue_until": dict(self.continue_until)}


def write_standing(store: Store, standing: DoorwayStanding) -> None:
    """Keep ``standing`` for ``unscroll status``."""
    store.set_state(STATE_KEY, json.dumps(standing.to_dict()))


def read_standing(store: Store) -> DoorwayStanding | None:
    """The standing the daemon last kept, or None (no doorway yet, or an unreadable value)."""
    text = store.get_state(STATE_KEY)
    if text is None:
        return None
    try:
        data = json.loads(text)
        since = data.get("unavailable_since")
        return DoorwayStanding(
            unavailable=None if data.get("unavailable") is None else str(data["unavailable"]),
            unavailable_since=None if since is None else float(since),
            continue_until={str(k): float(v) for k, v in dict(data.get("continue_until") or {}).items()})
    except (ValueError, TypeError, AttributeError):
        return None
