"""Every notice sent and what the user did with it (prompts table), and today's snoozes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from monitor.nudge.policy import ALERT_KINDS, PromptRecord, Snooze
from monitor.store.database import Store

REACHED_OUT = "reached-out"
"""The prompt action meaning "Reached out": an interaction was logged."""
SOMEONE_ELSE = "someone-else"
"""The prompt action meaning "Someone else": skip this person for the rest of the day."""


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


def get_prompt(store: Store, prompt_id: int) -> StoredPrompt | None:
    """One stored notice."""
    row = store.connection.execute(
        "SELECT id, at_utc, day, kind, category, person_id, message, action, used_s FROM prompts "
        "WHERE id = ?", (prompt_id,)).fetchone()
    return None if row is None else StoredPrompt(*row)


def prompts_of_day(store: Store, day: date) -> list[StoredPrompt]:
    """Every notice of ``day``, oldest first."""
    rows = store.connection.execute(
        "SELECT id, at_utc, day, kind, category, person_id, message, action, used_s FROM prompts "
        "WHERE day = ? ORDER BY at_utc, id", (day.isoformat(),)).fetchall()
    return [StoredPrompt(*row) for row in rows]


def budget_records(prompts: list[StoredPrompt], zone: tzinfo) -> list[PromptRecord]:
    """The budget notices among ``prompts``, as the alert policy reads them."""
    return [PromptRecord(datetime.fromtimestamp(p.at_utc, zone), p.kind, p.category, p.used_s)
            for p in prompts if p.kind in ALERT_KINDS]


def _snooze_key(day: date) -> str:
    return f"snoozes:{day.isoformat()}"


def snoozes_of_day(store: Store, day: date, zone: tzinfo) -> list[Snooze]:
    """The snoozes the user chose on ``day``."""
    text = store.get_state(_snooze_key(day))
    if not text:
        return []
    return [Snooze(item["category"], datetime.fromtimestamp(item["at"], zone), item["until_used_s"])
            for item in json.loads(text)]


def add_snooze(store: Store, day: date, snooze: Snooze) -> None:
    """Keep ``snooze`` for the rest of ``day``."""
    with store.transaction():
        text = store.get_state(_snooze_key(day))
        items = json.loads(text) if text else []
        items.append({"category": snooze.category, "at": snooze.at.timestamp(),
                      "until_used_s": snooze.until_used_s})
        store.set_state(_snooze_key(day), json.dumps(items))
