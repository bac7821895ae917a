"""The prompts table: every notice sent, how it reached the person, and what they did with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


def record_prompt(store: Store, *, at: float, day: date, kind: str, category: str | None,
                  message: str, used_s: float = 0.0, person_id: int | None = None) -> int:
    """Store a notice as sent; return its id."""
    cursor = store.connection.execute(
        "INSERT INTO prompts (at_utc, day, kind, category, person_id, message, used_s) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (at, day.isoformat(), kind, category, person_id, message, used_s),
    )
    return int(cursor.lastrowid or 0)


def record_action(store: Store, prompt_id: int, action: str, at: float) -> None:
    """Store what the user did with notice ``prompt_id``."""
    store.connection.execute("UPDATE prompts SET action = ?, action_at = ? WHERE id = ?",
                             (action, at, prompt_id))


_COLUMNS = "id, at_utc, day, kind, category, person_id, message, action, used_s, delivery, caught_up_at"


def prompts_of_day(store: Store, day: date) -> list[StoredPrompt]:
    """Every notice of ``day``, oldest first."""
    rows = store.connection.execute(
        f"SELECT {_COLUMNS} FROM prompts WHERE day = ? ORDER BY at_utc, id",  # noqa: S608
        (day.isoformat(),)).fetchall()
    return [StoredPrompt(*row) for row in rows]


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
    return [StoredPrompt(*row) for row in rows]


def record_caught_up(store: Store, prompt_ids: list[int], at: float) -> None:
    """Store that the missed notices ``prompt_ids`` were shown in a catch-up summary at ``at``."""
    with store.transaction() as connection:
        connection.executemany("UPDATE prompts SET caught_up_at = ? WHERE id = ?",
                               [(at, prompt_id) for prompt_id in prompt_ids])


def kinds_between(store: Store, first_day: date, last_day: date) -> list[tuple[str, int]]:
    """(kind, count) of the notices whose local day is within ``[first_day, last_day]``."""
    rows = store.connection.execute(
        "SELECT kind, COUNT(*) FROM prompts WHERE day BETWEEN ? AND ? GROUP BY kind",
        (first_day.isoformat(), last_day.isoformat()),
    ).fetchall()
    return [(str(kind), int(count)) for kind, count in rows]


def actions_between(store: Store, first_day: date, last_day: date, *,
                    unanswered: str) -> list[tuple[str, int]]:
    """(action, count) of the notices within ``[first_day, last_day]``; never acted on: ``unanswered``."""
    rows = store.connection.execute(
        "SELECT COALESCE(action, ?), COUNT(*) FROM prompts WHERE day BETWEEN ? AND ? "
        "GROUP BY COALESCE(action, ?)",
        (unanswered, first_day.isoformat(), last_day.isoformat(), unanswered),
    ).fetchall()
    return [(str(action), int(count)) for action, count in rows]
