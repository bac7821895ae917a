"""The alert policy: given today's usage, the budgets and what was already sent, what to send now.

Everything here is pure: the caller passes today's totals, today's prompts and snoozes,
and ``now``. For each category with a budget (``total`` being all screen time):

- ``warn``: once, a heads-up when usage reaches ``budget - warn_before`` (skipped if
  the budget is already spent the first time we look);
- ``over``: once, when usage reaches the budget;
- ``repeat``: after that, each time usage grows by another ``repeat_every`` beyond the
  usage recorded with the last notice: use, not clock time, so a pause sends nothing;
- at most ``max_per_day`` notices of any kind per category per day;
- nothing during quiet hours, and nothing saved up for afterwards: when they end, at
  most the one notice that is due then (``over`` if it never went out, else a repeat);
- a ``more`` snooze silences a category until its usage reaches the snooze's level,
  then a repeat goes out; a rest-of-day snooze silences it until the next day.

A zero budget means "none of this today": ``over`` on the first second of use.

Each notice takes the place of the category's notice still on screen (the heads-up gives
way to the over-budget notice), and every notice but the heads-up stays until dismissed
(``stays_on_screen``): a notice about a budget already spent should not slip by unseen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from monitor.core.durations import format_duration
from monitor.core.settings import PromptSettings
from monitor.core.vocabulary import ALERT_KINDS, MORE, NOT_TODAY, OVER, REPEAT, TOTAL, WARN
from monitor.nudge.notice import SERVER_DEFAULT, STAYS, Notice

DEFAULT_MORE = timedelta(minutes=15)


@dataclass(frozen=True)
class PromptRecord:
    """A notice already sent: when, which kind, for which category, at what usage."""

    at: datetime
    kind: str
    category: str | None
    used_s: float = 0.0
    """The category's usage today (seconds) when the notice was sent."""


@dataclass(frozen=True)
class Snooze:
    """Silence for one category: until its usage reaches a level, or for the rest of the day."""

    category: str
    at: datetime
    until_used_s: float | None
    """The usage (seconds) at which notices resume; None: not again today."""

    @classmethod
    def more(cls, category: str, at: datetime, used_s: float,
             extra: timedelta = DEFAULT_MORE) -> Snooze:
        """Snooze for "15 more minutes": silent until usage grows by ``extra`` beyond ``used_s``."""
        return cls(category, at, used_s + extra.total_seconds())

    @classmethod
    def rest_of_day(cls, category: str, at: datetime) -> Snooze:
        """Snooze for "Not today": silent for this category until the next day."""
        return cls(category, at, None)


@dataclass(frozen=True)
class Alert:
    """A notice to send now."""

    kind: str
    category: str
    used_s: float
    budget_s: float
    at: datetime


def snooze_for(action: str, category: str, at: datetime, used_s: float,
               extra: timedelta = DEFAULT_MORE) -> Snooze | None:
    """The snooze a button press asks for (``more`` or ``not-today``); None for other actions."""
    if action == MORE:
        return Snooze.more(category, at, used_s, extra)
    if action == NOT_TODAY:
        return Snooze.rest_of_day(category, at)
    return None


def stays_on_screen(kind: str) -> bool:
    """True for the kinds of notice that stay until dismissed: all but the heads-up (``warn``)."""
    return kind != WARN


def in_quiet_hours(now: datetime, quiet: tuple[time, time] | None) -> bool:
    """True when ``now``'s wall-clock time is inside the window (which may wrap midnight).

    A window whose start equals its end is empty.
    """
    if quiet is None:
        return False
    start, end = quiet
    clock = now.time().replace(tzinfo=None)
    if start < end:
        return start <= clock < end
    if start > end:
        return clock >= start or clock < end
    return False


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _ordered(categories: Iterable[str]) -> list[str]:
    return sorted(categories, key=lambda name: (name == TOTAL, name))


def _pending(used: float, budget: float, history: Sequence[PromptRecord],
             snoozes: Sequence[Snooze], prompts: PromptSettings) -> list[tuple[float, str]]:
    """The notices still to come for one category today: (usage level, kind), most urgent first.

    A notice is due once usage reaches its level (and is above zero). Snoozes raise the
    levels; nothing is pending once ``max_per_day`` is reached or the day is snoozed.
    """
    if len(history) >= prompts.max_per_day or any(s.until_used_s is None for s in snoozes):
        return []
    latest = max(snoozes, key=lambda snooze: snooze.at, default=None)
    silent_below = 0.0 if latest is None or latest.until_used_s is None else latest.until_used_s
    kinds = {record.kind for record in history}
    if OVER not in kinds and REPEAT not in kinds:
        levels = [(budget, OVER)]
        warn_before = prompts.warn_before.total_seconds()
        if warn_before > 0 and WARN not in kinds:
            levels.append((budget - warn_before, WARN))
    else:
        last = max(history, key=lambda record: (record.at, record.used_s))
        due_at = last.used_s + prompts.repeat_every.total_seconds()
        if latest is not None and last.used_s < silent_below:
            due_at = min(due_at, silent_below)
        levels = [(due_at, REPEAT)]
    return [(max(level, silent_below), kind) for level, kind in levels]


def _decide_one(used: float, budget: float, history: Sequence[PromptRecord],
                snoozes: Sequence[Snooze], prompts: PromptSettings) -> str | None:
    if used <= 0:
        return None
    return next((kind for level, kind in _pending(used, budget, history, snoozes, prompts)
                 if used >= level), None)


def _per_category(
    totals: Mapping[str, float], budgets: Mapping[str, float | timedelta],
    sent: Iterable[PromptRecord], snoozes: Iterable[Snooze],
) -> Iterator[tuple[str, float, float, list[PromptRecord], list[Snooze]]]:
    """Each budgeted category (``total`` last) with its usage, budget, notices and snoozes."""
    sent_list = [record for record in sent if record.kind in ALERT_KINDS]
    snooze_list = list(snoozes)
    for category in _ordered(budgets):
        yield (category, float(totals.get(category, 0.0)), max(_seconds(budgets[category]), 0.0),
               [record for record in sent_list if record.category == category],
               [snooze for snooze in snooze_list if snooze.category == category])


def decide(
    totals: Mapping[str, float],
    budgets: Mapping[str, float | timedelta],
    sent: Iterable[PromptRecord],
    snoozes: Iterable[Snooze],
    now: datetime,
    prompts: PromptSettings,
) -> list[Alert]:
    """The notices to send at ``now``: at most one per category, ``total`` last.

    ``totals`` holds today's seconds per category and ``total``; ``budgets`` the
    budgets in force today (seconds or timedeltas; absent means no budget); ``sent``
    and ``snoozes`` today's (monitor.nudge.prompt_log). Prompts of other kinds (e.g. about
    people) in ``sent`` are ignored.
    """
    if in_quiet_hours(now, prompts.quiet_hours):
        return []
    alerts = []
    for category, used, budget, history, mine in _per_category(totals, budgets, sent, snoozes):
        kind = _decide_one(used, budget, history, mine, prompts)
        if kind is not None:
            alerts.append(Alert(kind, category, used, budget, now))
    return alerts


def headroom(
    totals: Mapping[str, float],
    budgets: Mapping[str, float | timedelta],
    sent: Iterable[PromptRecord],
    snoozes: Iterable[Snooze],
    prompts: PromptSettings,
) -> float:
    """Seconds of further use before ``decide`` can send anything today (``inf``: nothing more).

    Usage grows by at most one second per second, so with nothing else changed (settings,
    snoozes, notices, the day, quiet hours) ``decide`` stays silent for at least this long:
    the daemon need not look again before then. Quiet hours are not considered here.
    """
    room = math.inf
    for _category, used, budget, history, mine in _per_category(totals, budgets, sent, snoozes):
        for level, _kind in _pending(used, budget, history, mine, prompts):
            room = min(room, max(level - used, 0.0))
    return room


# --- words -----------------------------------------------------------------------------------

_WARN_BODIES: tuple[str, ...] = (
    "{left} left. A good moment to finish what you're reading.",
    "Heads-up: {left} to go on today's {budget}.",
    "Almost there: {left} left. Anyone you'd rather talk to?",
)
_OVER_BODIES: tuple[str, ...] = (
    "That's today's budget. Time for something else?",
    "Budget reached. Who could you message instead?",
    "You planned {budget} today. Maybe stand up and stretch?",
    "That was the {budget} you set yourself. Close the tab?",
)
_REPEAT_BODIES: tuple[str, ...] = (
    "Still going: {over} over your budget.",
    "{over} past your budget now. Call it a day here?",
    "Another {repeat} on top. Is this still worth it?",
    "{over} over. Who haven't you talked to in a while?",
)


def category_label(category: str) -> str:
    """How a category is named in a notice: ``Social``, ``Screen time`` for the total."""
    if category == TOTAL:
        return "Screen time"
    return category.replace("_", " ").replace("-", " ").capitalize()


def describe(alert: Alert, variant: int = 0, repeat_every: timedelta = timedelta(minutes=15)
             ) -> Notice:
    """The notice for ``alert``, worded; ``variant`` (e.g. a count of notices) rotates the words.

    ``Social: 32 m of your 30 m today`` / ``That's today's budget. Time for something else?``
    """
    label = category_label(alert.category)
    values = {
        "used": format_duration(alert.used_s),
        "budget": format_duration(alert.budget_s),
        "left": format_duration(max(alert.budget_s - alert.used_s, 0.0)),
        "over": format_duration(max(alert.used_s - alert.budget_s, 0.0)),
        "repeat": format_duration(repeat_every.total_seconds()),
    }
    if alert.kind == WARN:
        title = "{label}: {left} left of {budget}"
        bodies = _WARN_BODIES
    else:
        title = "{label}: {used} of your {budget} today"
        bodies = _OVER_BODIES if alert.kind == OVER else _REPEAT_BODIES
    body = bodies[variant % len(bodies)]
    return Notice(alert.kind, alert.category, alert.used_s, title.format(label=label, **values),
                  body.format(**values),
                  timeout_s=STAYS if stays_on_screen(alert.kind) else SERVER_DEFAULT)
