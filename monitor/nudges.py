"""Holding the day against the budgets: decide (monitor.budgets), word, send, and act on replies.

The daemon calls ``Nudger.check`` after each sample. Button presses arrive on the
notifier's thread; each opens its own short store connection, so the sampling
thread's connection is never shared.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from monitor import budgets
from monitor.days import day_bounds, day_of
from monitor.notify import Message, Notifier
from monitor.prompt_log import (
    add_snooze,
    budget_records,
    prompts_of_day,
    record_action,
    record_prompt,
    snoozes_of_day,
)
from monitor.settings import Settings
from monitor.store import Store
from monitor.usage import category_totals

log = logging.getLogger(__name__)

MORE = "more"
NOT_TODAY = "not-today"
BUDGET_BUTTONS = (("15 more minutes", MORE), ("Not today", NOT_TODAY))


@dataclass(frozen=True)
class Day:
    """The local day being judged, and its bounds."""

    day: date
    start_utc: float
    end_utc: float


class Nudger:
    """Sends budget notices and records what the user does with them."""

    def __init__(self, database: Path, notifier: Notifier,
                 clock: Callable[[], float] = time.time) -> None:
        """Notify through ``notifier``; record into the store at ``database``."""
        self.database = database
        self.notifier = notifier
        self.clock = clock

    def check(self, store: Store, settings: Settings, now: float, zone: tzinfo) -> list[budgets.Alert]:
        """Send whatever notices are due at ``now``; return them."""
        today = _day(now, settings, zone)
        limits = {name: value.total_seconds()
                  for name, value in settings.budgets.for_day(today.day).items()}
        if not limits:
            return []
        totals = category_totals(store, today.start_utc, today.end_utc)
        sent = prompts_of_day(store, today.day)
        alerts = budgets.decide(
            totals, limits, budget_records(sent, zone), snoozes_of_day(store, today.day, zone),
            datetime.fromtimestamp(now, zone), settings.prompts,
        )
        for number, alert in enumerate(alerts, start=len(sent)):
            words = budgets.describe(alert, number, settings.prompts.repeat_every)
            prompt_id = record_prompt(store, at=now, day=today.day, kind=alert.kind,
                                      category=alert.category, message=f"{words.title}\n{words.body}",
                                      used_s=alert.used_s)
            way = self.notifier.send(Message(
                title=words.title, body=words.body, buttons=BUDGET_BUTTONS,
                on_action=self._on_budget_action(prompt_id, alert.category, settings, zone),
            ))
            log.info("sent %s notice for %s (%s)", alert.kind, alert.category, way)
        return alerts

    def _on_budget_action(self, prompt_id: int, category: str, settings: Settings,
                          zone: tzinfo) -> Callable[[str], None]:
        def act(action: str) -> None:
            now = self.clock()
            today = _day(now, settings, zone)
            with Store(self.database) as store:
                record_action(store, prompt_id, action, now)
                used = category_totals(store, today.start_utc, today.end_utc).get(category, 0.0)
                snooze = budgets.snooze_for(action, category, datetime.fromtimestamp(now, zone), used)
                if snooze is not None:
                    add_snooze(store, today.day, snooze)
            log.info("notice %d: user chose %r", prompt_id, action)
        return act


def _day(now: float, settings: Settings, zone: tzinfo) -> Day:
    day = day_of(now, settings.day_starts_at, zone)
    start, end = day_bounds(day, settings.day_starts_at, zone)
    return Day(day, start, end)
