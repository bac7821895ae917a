"""Today's notices as the alert policy reads them; today's snoozes and the notices on screen (state).

The prompts table itself is read and written by monitor.store.prompts.
"""

from __future__ import annotations

import json
from datetime import date, datetime, tzinfo

from monitor.core.vocabulary import ALERT_KINDS
from monitor.nudge.notice import NoticeHandle
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


SHOWN_KEY = "notices.shown"
"""State key: the day, and the handle of each category's latest notice shown that day."""


def shown_of_day(store: Store, day: date) -> dict[str, NoticeHandle]:
    """Category → the handle of its latest notice shown on ``day`` (another day's are forgotten)."""
    text = store.get_state(SHOWN_KEY)
    kept = json.loads(text) if text else {}
    if kept.get("day") != day.isoformat():
        return {}
    return {category: NoticeHandle(server, int(notice_id))
            for category, (server, notice_id) in kept.get("shown", {}).items()}


def keep_shown(store: Store, day: date, category: str, handle: NoticeHandle) -> None:
    """Remember ``handle`` as ``category``'s latest notice on ``day``: the next one replaces it."""
    with store.transaction():
        shown = shown_of_day(store, day)
        shown[category] = handle
        store.set_state(SHOWN_KEY, json.dumps({
            "day": day.isoformat(),
            "shown": {name: [item.server, item.notice_id] for name, item in shown.items()},
        }))
