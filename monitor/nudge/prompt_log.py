"""Today's notices as the alert policy reads them, and today's snoozes (kept in the state table).

The prompts table itself is read and written by monitor.store.prompts.
"""

from __future__ import annotations

import json
from datetime import date, datetime, tzinfo

from monitor.core.vocabulary import ALERT_KINDS
from monitor.nudge.policy import PromptRecord, Snooze
from monitor.store.database import Store
from monitor.store.prompts import StoredPrompt


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
