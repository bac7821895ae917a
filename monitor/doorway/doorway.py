"""The doorway in the daemon: sees each sample, opens the window, and acts on the answer.

``check`` runs on the sampling thread after each sample and never blocks: the window
runs in a child process (``runner``) and its answer comes back on the runner's thread,
where "Leave" minimises the social window through the platform backend, "Continue"
starts a period without doorways, and a person's button opens their link and logs that
they were reached. Every doorway is recorded in the prompts table as kind ``doorway``
with its outcome as the action; one the hold-back experiment keeps back
(monitor.effect.draw) is recorded as if shown, with ``held_back``, and nothing opens.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path

from monitor.core.days import day_bounds, day_of
from monitor.core.settings import Settings
from monitor.core.vocabulary import DOORWAY
from monitor.doorway import policy
from monitor.doorway.runner import DoorwayRunner
from monitor.doorway.standing import DoorwayStanding, write_standing
from monitor.doorway.view import CONTINUED, LEFT, REACHED_OUT, DoorwayAnswer, DoorwayPerson, DoorwayView
from monitor.doorway.wording import headline, today_line
from monitor.effect.draw import hold_back
from monitor.store.database import Store
from monitor.store.prompts import prompts_of_day, record_action, record_prompt
from monitor.store.spans import category_totals, last_focus_of

log = logging.getLogger(__name__)

UNAVAILABLE = "unavailable"
"""The action stored for a doorway whose window could not be shown."""


@dataclass(frozen=True)
class DoorwayHooks:
    """What the doorway asks of the rest of the daemon, as plain callables."""

    minimise: Callable[[str], str | None]
    """Minimise a window by its handle; None when done, else the reason it was not."""
    announce: Callable[[str, str], None]
    """Send a plain notice (summary, body) through the notification service."""
    pick_people: Callable[[Store, float, int, float], list[DoorwayPerson]]
    """Up to three people to offer (store, now, the visit's turn, the day's start), best first."""
    reached_out: Callable[[int], None]
    """Open the person's first safe link and log that they were reached."""


@dataclass(frozen=True)
class _Opening:
    prompt_id: int
    category: str
    handle: str | None
    decided_at: float


class Doorway:
    """Decides on each sample whether the doorway opens, and carries out the answers."""

    def __init__(self, database: Path, hooks: DoorwayHooks, clock: Callable[[], float],
                 runner: DoorwayRunner | None = None) -> None:
        """Record doorways in the store at ``database``; ``clock`` gives "now" off the sampling thread."""
        self.database = database
        self.hooks = hooks
        self.clock = clock
        self.runner = runner or DoorwayRunner()
        self.state = policy.DoorwayState()
        self.unavailable: str | None = None
        """Why the last doorway could not be shown (for ``unscroll status``); None when it could."""
        self._unavailable_since = 0.0
        self._said: set[str] = set()
        self._lock = threading.Lock()
        self._started_at: float | None = None
        """The first sample this daemon saw: the store answers for the time before it (a restart)."""

    def check(self, store: Store, settings: Settings, now: float, zone: tzinfo,
              category: str | None, handle: str | None) -> None:
        """Fold in one sample: ``category`` of the focused window (None: nothing counted)."""
        rules = policy.DoorwayRules(
            when=settings.doorway.when, categories=settings.doorway.categories,
            after_away=settings.doorway.after_away.total_seconds())
        if self._started_at is None:
            self._started_at = now
        started = self._started_at
        with self._lock:
            self.state.showing = self.runner.running
            ended = policy.continue_ended(self.state, category, now)
            opening = policy.should_open(
                self.state, rules, category, now,
                over_budget=lambda c: self._over_budget(store, settings, c, now, zone),
                last_focus_before=lambda c: last_focus_of(store, c, since=now - rules.after_away,
                                                           before=started))
            policy.note_focus(self.state, category, now)
        if ended is not None:
            self.hooks.announce("Your time is up", f"The {ended} time you chose has run out. "
                                "Still want to be here?")
        if opening and category is not None:
            self._open(store, settings, now, zone, category, handle)

    def _over_budget(self, store: Store, settings: Settings, category: str, now: float,
                     zone: tzinfo) -> bool:
        day = day_of(now, settings.day_starts_at, zone)
        budget = settings.budgets.for_day(day).get(category)
        if budget is None:
            return False
        return _used_today(store, settings, day, zone, category) >= budget.total_seconds()

    def _open(self, store: Store, settings: Settings, now: float, zone: tzinfo, category: str,
              handle: str | None) -> None:
        day = day_of(now, settings.day_starts_at, zone)
        used = _used_today(store, settings, day, zone, category)
        budget = settings.budgets.for_day(day).get(category)
        visit = 1 + sum(p.kind == DOORWAY and p.category == category for p in prompts_of_day(store, day))
        start, _end = day_bounds(day, settings.day_starts_at, zone)
        people = self.hooks.pick_people(store, now, visit, start)
        first = people[0] if people else None
        words = headline(day.toordinal() + visit, (first.name.split() or [first.name])[0] if first else None,
                         can_call=first is not None and first.label.startswith("Call "),
                         occasion=first.occasion if first else "")
        doorway = settings.doorway
        view = DoorwayView(
            headline=words,
            today=today_line(category.capitalize(), used, budget.total_seconds() if budget else None, visit),
            breath_seconds=round(doorway.seconds.total_seconds()),
            timeout_seconds=doorway.timeout.total_seconds(),
            continue_for=tuple(d.total_seconds() for d in doorway.continue_for),
            people=tuple(people))
        held_back = hold_back(settings.paths.data_dir, settings.experiment.hold_back)
        with store.transaction():
            prompt_id = record_prompt(store, at=now, day=day, kind=DOORWAY, category=category,
                                      message=words, used_s=used,
                                      person_id=people[0].id if people else None, held_back=held_back)
        if held_back:  # the experiment: recorded as if shown, nothing shown
            log.info("doorway for %s held back (experiment.hold_back)", category)
            return
        opening = _Opening(prompt_id, category, handle, now)
        self.state.showing = self.runner.open(
            view, lambda answer: self._answered(opening, answer),
            lambda reason: self._unavailable(opening, reason))
        log.info("doorway opened for %s (visit %d today)", category, visit)

    def _answered(self, opening: _Opening, answer: DoorwayAnswer) -> None:
        """Carry out the person's answer (on the runner's thread)."""
        now = self.clock()
        self.unavailable = None
        if answer.outcome == CONTINUED and answer.continue_seconds:
            with self._lock:
                policy.continue_for(self.state, opening.category, answer.continue_seconds, now)
        self._record(opening.prompt_id, answer.outcome, now)
        log.info("doorway for %s: %s", opening.category, answer.outcome)
        if answer.outcome == LEFT and opening.handle is not None:
            why = self.hooks.minimise(opening.handle)
            if why is not None:
                self._say_once(f"Leave could not minimise the window: {why}; left it as it is")
        elif answer.outcome == REACHED_OUT and answer.person_id is not None:
            self.hooks.reached_out(answer.person_id)

    def _unavailable(self, opening: _Opening, reason: str) -> None:
        now = self.clock()
        if self.unavailable != reason:
            self.unavailable, self._unavailable_since = reason, now
        self._record(opening.prompt_id, UNAVAILABLE, now)
        self._say_once(f"the doorway could not be shown: {reason}")

    def _record(self, prompt_id: int, action: str, now: float) -> None:
        """Store the outcome, and where the doorway stands now (for ``unscroll status``)."""
        with self._lock:
            until = {c: t for c, t in self.state.continue_until.items() if t > now}
        standing = DoorwayStanding(self.unavailable, self._unavailable_since if self.unavailable else None,
                                   until)
        try:
            with Store(self.database) as store, store.transaction():
                record_action(store, prompt_id, action, now)
                write_standing(store, standing)
        except Exception:  # the store may be briefly locked or gone: the answer still counts
            log.exception("could not record the doorway's outcome")

    def _say_once(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            log.warning("%s", message)

    def close(self) -> None:
        """End a window that is still up (the daemon is stopping)."""
        self.runner.close()


def _used_today(store: Store, settings: Settings, day: date, zone: tzinfo, category: str) -> float:
    start, end = day_bounds(day, settings.day_starts_at, zone)
    counted = category_totals(store, start, end, count_watching=settings.budgets.count_watching)
    return counted.get(category, 0.0)
