"""The prompts table: every notice sent, and what the user did with it."""

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


def prompts_of_day(store: Store, day: date) -> list[StoredPrompt]:
    """Every notice of ``day``, oldest first."""
    rows = store.connection.execute(
        "SELECT id, at_utc, day, kind, category, person_id, message, action, used_s FROM prompts "
        "WHERE day = ? ORDER BY at_utc, id", (day.isoformat(),)).fetchall()
    return [StoredPrompt(*row) for row in rows]


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
