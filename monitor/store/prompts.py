"""The prompts table: every notice sent, how it reached the person, and what they did with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from monitor.store.database import Store


@dataclass(frozen=True)
class StoredPrompt:
    """One row of the prompts table."""

    id: int
    at_utc: float
    day: str
    kind: str
    category: str | None
    person_id: int | None
    message: str
    action: str | None
    used_s: float
    delivery: str | None = None
    """How it reached the person (monitor.core.vocabulary ``DELIVERED_*``); None: not known."""
    caught_up_at: float | None = None
    """When a missed notice was shown in a catch-up summary; None: not (yet)."""
    held_back: bool = False
    """A decision the hold-back experiment kept from the screen (recorded as if shown)."""


def record_prompt(store: Store, *, at: float, day: date, kind: str, category: str | None,
                  message: str, used_s: float = 0.0, person_id: int | None = None,
                  held_back: bool = False) -> int:
    """Store a notice as sent (``held_back``: decided, but kept from the screen); return its id."""
    cursor = store.connection.execute(
        "INSERT INTO prompts (at_utc, day, kind, category, person_id, message, used_s, held_back) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (at, day.isoformat(), kind, category, person_id, message, used_s, int(held_back)),
    )
    return int(cursor.lastrowid or 0)


def prompt_recorded(store: Store, at: float, kind: str) -> bool:
    """True when a prompt of ``kind`` is stored at ``at`` (to the millisecond): an import adds it once."""
    row = store.connection.execute(
        "SELECT 1 FROM prompts WHERE kind = ? AND at_utc BETWEEN ? AND ? LIMIT 1",
        (kind, at - 0.0005, at + 0.0005)).fetchone()
    return row is not None


def record_action(store: Store, prompt_id: int, action: str, at: float) -> None:
    """Store what the user did with notice ``prompt_id``."""
    store.connection.execute("UPDATE prompts SET action = ?, action_at = ? WHERE id = ?",
                             (action, at, prompt_id))


_COLUMNS = ("id, at_utc, day, kind, category, person_id, message, action, used_s, delivery, caught_up_at, "
            "held_back")


def _stored(row: Sequence[Any]) -> StoredPrompt:
    """A row of ``_COLUMNS`` as a StoredPrompt (``held_back`` read as a bool)."""
    prompt_id, at, day, kind, category, person_id, message, action, used_s, delivery, caught_up_at, held = row
    return StoredPrompt(prompt_id, at, day, kind, category, person_id, message, action, used_s, delivery,
                        caught_up_at, bool(held))


def prompts_of_day(store: Store, day: date) -> list[StoredPrompt]:
    """Every notice of ``day``, oldest first."""
    rows = store.connection.execute(
        f"SELECT {_COLUMNS} FROM prompts WHERE day = ? ORDER BY at_utc, id",  # noqa: S608
        (day.isoformat(),)).fetchall()
    return [_stored(row) for row in rows]


def record_delivery(store: Store, prompt_id: int, delivery: str) -> None:
    """Store how notice ``prompt_id`` reached the person (``DELIVERED_*``)."""
    store.connection.execute("UPDATE prompts SET delivery = ? WHERE id = ?", (delivery, prompt_id))


def undelivered_of_day(store: Store, day: date, undelivered: str, *,
                       waiting_only: bool = False) -> list[StoredPrompt]:
    """The notices of ``day`` whose delivery is ``undelivered``, oldest first.

    ``waiting_only``: only those not yet shown in a catch-up summary.
    """
    waiting = " AND caught_up_at IS NULL" if waiting_only else ""
    rows = store.connection.execute(
        f"SELECT {_COLUMNS} FROM prompts WHERE day = ? AND delivery = ?{waiting} "  # noqa: S608
        "ORDER BY at_utc, id", (day.isoformat(), undelivered)).fetchall()
    return [_stored(row) for row in rows]


def record_caught_up(store: Store, prompt_ids: list[int], at: float) -> None:
    """Store that the missed notices ``prompt_ids`` were shown in a catch-up summary at ``at``."""
    with store.transaction() as connection:
        connection.executemany("UPDATE prompts SET caught_up_at = ? WHERE id = ?",
                               [(at, prompt_id) for prompt_id in prompt_ids])


def outcomes_between(store: Store, first_day: date, last_day: date) -> list[tuple[str, str | None, int]]:
    """(kind, action, count) of the prompts shown whose local day is within ``[first_day, last_day]``.

    ``action`` is None for prompts never acted on (or whose outcome was never recorded);
    those the hold-back experiment kept from the screen are left out.
    """
    rows = store.connection.execute(
        "SELECT kind, action, COUNT(*) FROM prompts WHERE day BETWEEN ? AND ? AND held_back = 0 "
        "GROUP BY kind, action",
        (first_day.isoformat(), last_day.isoformat()),
    ).fetchall()
    return [(str(kind), None if action is None else str(action), int(count)) for kind, action, count in rows]
