"""Holding the day against the budgets: decide (monitor.nudge.policy), word, send, and act on replies.

The daemon calls ``Nudger.check`` after each sample. Usage grows by at most a second per
second, so after a look at the day the nudger knows how long nothing can fall due
(``policy.headroom``) and skips the database until then; it looks again sooner when
the settings change, the day ends, a button is pressed, and at least every
``RECHECK_AT_LEAST_EVERY`` seconds (for usage that arrives from elsewhere, such as an
import). An over-budget notice for a
category in ``prompts.suggest_people_on`` names a real person (monitor.people.connect).
Button presses arrive off the sampling thread; each opens its own short store
connection, so the sampling thread's connection is never shared.

Each notice replaces its category's latest notice of the day where that is still on
screen (``prompt_log.shown_of_day``), and is recorded with the way it went out: one that
reached only the log is summed up once a notification service is back (monitor.nudge.missed).
An over-budget or person notice the hold-back experiment keeps back (monitor.effect.draw) is
recorded as if sent, with ``held_back``, and nothing is sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.core.days import day_bounds, day_of
from monitor.core.prompt_words import DECISION_KINDS
from monitor.core.settings import Settings
from monitor.core.vocabulary import (
    ACTION_WORDS,
    CLICK,
    DELIVERED_LOG,
    MORE,
    NOT_TODAY,
    NOTICE_NAMES,
    REACHED_OUT,
    REPLIED,
    SOMEONE_ELSE,
    SUGGESTION,
    TOTAL,
    WARN,
)
from monitor.effect.draw import hold_back
from monitor.nudge import policy
from monitor.nudge.missed import CatchUp
from monitor.nudge.notice import STAYS, Delivery, Notice
from monitor.nudge.notify import Notifier
from monitor.nudge.prompt_log import add_snooze, budget_records, keep_shown, shown_of_day, snoozes_of_day
from monitor.store.database import Store
from monitor.store.device_totals import screen_seconds
from monitor.store.prompts import prompts_of_day, record_action, record_delivery, record_prompt
from monitor.store.spans import category_totals

if TYPE_CHECKING:
    from monitor.people.connect import PersonActions, PersonPick

log = logging.getLogger(__name__)

BUDGET_BUTTONS = ((ACTION_WORDS[MORE], MORE), (ACTION_WORDS[NOT_TODAY], NOT_TODAY))
"""The buttons of a notice that names nobody; a person's are ``people.connect.PERSON_BUTTONS``."""
RECHECK_AT_LEAST_EVERY = 60.0
"""Seconds: the longest the nudger trusts its headroom (an import can add usage meanwhile)."""


@dataclass(frozen=True)
class Day:
    """The local day being judged, and its bounds."""

    day: date
    start_utc: float
    end_utc: float


class Nudger:
    """Sends budget and connection notices and records what the user does with them."""

    def __init__(self, database: Path, notifier: Notifier,
                 clock: Callable[[], float] = time.time) -> None:
        """Notify through ``notifier``; record into the store at ``database``."""
        self.database = database
        self.notifier = notifier
        self.clock = clock
        self._people: PersonActions | None = None
        self._quiet: _Quiet | None = None
        self._changes = 0
        """Counts button presses: a headroom computed before one no longer holds."""
        self.catch_up = CatchUp(notifier, clock)

    @property
    def people(self) -> PersonActions:
        """What the person buttons do (monitor.people.connect, loaded on the first person notice)."""
        if self._people is None:
            from monitor.people.connect import PersonActions  # noqa: PLC0415 - not needed until then

            self._people = PersonActions(self.database, self.clock)
        return self._people

    def check(self, store: Store, settings: Settings, now: float, zone: tzinfo) -> list[policy.Alert]:
        """Send whatever notices are due at ``now``; return the alerts behind them.

        First, if notices were missed today and a notification service is back, sum them up.
        """
        if self.catch_up.due(now):
            self.catch_up.run(store, day_of(now, settings.day_starts_at, zone), zone, now)
        quiet = self._quiet
        if quiet is not None and quiet.holds(settings, zone, now, self._changes):
            return []
        self._quiet = None
        changes = self._changes
        today = _day(now, settings, zone)
        limits = {name: value.total_seconds()
                  for name, value in settings.budgets.for_day(today.day).items()}
        if not limits:
            self._quiet = _Quiet(settings, zone, changes, now, today.end_utc)
            return []
        totals = category_totals(store, today.start_utc, today.end_utc,
                                 count_watching=settings.budgets.count_watching)
        totals[TOTAL] = screen_seconds(store, today.start_utc, today.end_utc, totals,  # once across devices
                                       count_watching=settings.budgets.count_watching)
        sent_today = prompts_of_day(store, today.day)
        sent = budget_records(sent_today, zone)
        snoozes = snoozes_of_day(store, today.day, zone)
        alerts = policy.decide(totals, limits, sent, snoozes, datetime.fromtimestamp(now, zone),
                               settings.prompts)
        if not alerts:
            room = policy.headroom(totals, limits, sent, snoozes, settings.prompts)
            self._quiet = _Quiet(settings, zone, changes, now,
                                 min(now + room, now + RECHECK_AT_LEAST_EVERY, today.end_utc))
        for number, alert in enumerate(alerts, start=len(sent_today)):
            notice = policy.describe(alert, number, settings.prompts.repeat_every)
            if alert.kind != WARN and alert.category in settings.prompts.suggest_people_on:
                pick = _pick_person(store, today, settings, now, variant=number)
                notice = _with_person(notice, pick)
            held_back = alert.kind in DECISION_KINDS and hold_back(settings.paths.data_dir,
                                                                   settings.experiment.hold_back)
            self._send(store, notice, today, settings, zone, held_back=held_back)
        return alerts

    def news_from_elsewhere(self) -> None:
        """Usage came in from another device (a sync pass): look at the day again at the next sample."""
        self._changes += 1

    def _look_again(self) -> None:
        """Forget the headroom: a button was pressed (a snooze, perhaps); look at the day next sample."""
        self._changes += 1

    def _send(self, store: Store, notice: Notice, today: Day, settings: Settings, zone: tzinfo, *,
              held_back: bool = False) -> None:
        """Record ``notice`` and send it; ``held_back`` (the experiment): recorded as if sent, not sent."""
        prompt_id = record_prompt(store, at=self.clock(), day=today.day, kind=notice.kind,
                                  category=notice.category, message=f"{notice.title}\n{notice.body}",
                                  used_s=notice.used_s, person_id=notice.person_id, held_back=held_back)
        if held_back:
            log.info("the %s notice for %s held back (experiment.hold_back)",
                     NOTICE_NAMES.get(notice.kind, notice.kind), notice.category)
            return
        person_id = notice.person_id
        on_reply = None
        if person_id is not None:
            def on_reply(text: str) -> None:
                self._record(prompt_id, REPLIED)
                self.people.reached_out(person_id, note=text)
        category = notice.category
        delivery = self.notifier.deliver(replace(
            notice, buttons=_buttons(person_id),
            on_action=self._on_action(prompt_id, notice, settings, zone),
            on_reply=on_reply, reply_label="What did you talk about?",
            replaces=None if category is None else shown_of_day(store, today.day).get(category),
        ))
        self._delivered(store, prompt_id, category, today, delivery)
        outcome = ("reached only the log; kept to sum up once notifications work"
                   if delivery.way == DELIVERED_LOG else f"sent ({delivery.way})")
        log.info("the %s notice for %s%s %s", NOTICE_NAMES.get(notice.kind, notice.kind), category,
                 "" if person_id is None else f" naming person #{person_id}", outcome)

    def _delivered(self, store: Store, prompt_id: int, category: str | None, today: Day,
                   delivery: Delivery) -> None:
        """Record how notice ``prompt_id`` went out; keep its handle, or note it as missed."""
        record_delivery(store, prompt_id, delivery.way)
        if delivery.way == DELIVERED_LOG:
            self.catch_up.missed()
            return
        self.catch_up.delivered()
        if category is not None and delivery.handle is not None:
            keep_shown(store, today.day, category, delivery.handle)

    def _record(self, prompt_id: int, action: str) -> None:
        with Store(self.database) as store:
            record_action(store, prompt_id, action, self.clock())

    def _on_action(self, prompt_id: int, notice: Notice, settings: Settings,
                   zone: tzinfo) -> Callable[[str], None]:
        def act(action: str) -> None:
            log.info("notice %d: the user chose %r", prompt_id, action)
            self._record(prompt_id, action)
            self._look_again()
            if action in (MORE, NOT_TODAY):
                if notice.category is not None:
                    self._snooze(action, notice.category, settings, zone)
            elif notice.person_id is not None and action == REACHED_OUT:
                self.people.reached_out(notice.person_id)
            elif notice.person_id is not None and action == SOMEONE_ELSE:
                self._someone_else(notice, settings, zone)
            elif notice.person_id is not None and action == CLICK:
                self.people.open_contact(notice.person_id)
        return act

    def _snooze(self, action: str, category: str, settings: Settings, zone: tzinfo) -> None:
        now = self.clock()
        today = _day(now, settings, zone)
        with Store(self.database) as store:
            used = category_totals(store, today.start_utc, today.end_utc,
                                   count_watching=settings.budgets.count_watching).get(category, 0.0)
            snooze = policy.snooze_for(action, category, datetime.fromtimestamp(now, zone), used)
            if snooze is not None:
                add_snooze(store, today.day, snooze)

    def _someone_else(self, notice: Notice, settings: Settings, zone: tzinfo) -> None:
        """Name the next person at once; with nobody left, say so, kindly, and how to add people."""
        now = self.clock()
        today = _day(now, settings, zone)
        with Store(self.database) as store:
            variant = len(prompts_of_day(store, today.day))
            pick = _pick_person(store, today, settings, now, variant=variant)
            if pick is None or pick.person is None:
                from monitor.people.connect import nobody_else  # noqa: PLC0415 - loaded by _pick_person

                log.info("nobody else is due today; saying so")
                pick = nobody_else()
            follow_up = _with_person(Notice(SUGGESTION, notice.category, notice.used_s, notice.title, "",
                                            timeout_s=STAYS), pick)
            self._send(store, follow_up, today, settings, zone)


@dataclass(frozen=True)
class _Quiet:
    """Nothing can fall due before ``until``, as long as the settings and zone stay the same."""

    settings: Settings
    zone: tzinfo
    changes: int
    since: float
    until: float

    def holds(self, settings: Settings, zone: tzinfo, now: float, changes: int) -> bool:
        """True while ``now`` is inside the quiet stretch and nothing it rests on changed."""
        return (settings is self.settings and zone is self.zone and changes == self.changes
                and self.since <= now < self.until)


def _pick_person(store: Store, today: Day, settings: Settings, now: float, *,
                 variant: int) -> PersonPick | None:
    from monitor.people.connect import pick_person  # noqa: PLC0415 - the people side loads on first use

    return pick_person(store, now=now, day_start=today.start_utc, day_label=today.day.isoformat(),
                       gap_s=settings.prompts.suggest_gap.total_seconds(), variant=variant)


def _buttons(person_id: int | None) -> tuple[tuple[str, str], ...]:
    """The buttons of a notice naming ``person_id`` (None: a budget notice naming nobody)."""
    if person_id is None:
        return BUDGET_BUTTONS
    from monitor.people.connect import PERSON_BUTTONS  # noqa: PLC0415 - loaded with the person

    return PERSON_BUTTONS


def _with_person(notice: Notice, pick: PersonPick | None) -> Notice:
    if pick is None:
        return notice
    return replace(notice, body=pick.body, person_id=None if pick.person is None else pick.person.id)


def _day(now: float, settings: Settings, zone: tzinfo) -> Day:
    day = day_of(now, settings.day_starts_at, zone)
    start, end = day_bounds(day, settings.day_starts_at, zone)
    return Day(day, start, end)
