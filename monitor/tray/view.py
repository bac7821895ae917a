"""What the tray shows, decided from today's figures alone (pure): the icon's step, the title, the menu.

The figures are today's totals per category as the budgets count them (the nudger's and
``unscroll status``'s), shaped as ``unscroll today``'s day (``summary_of``) and said in its
words (``reports.words``): "Social 18 m of 30 m · Screen 1 h 12 m of 2 h 00 m". The icon shows
how much of the most-used budget is spent in ``LEVELS`` steps, from empty to over, and
whether tracking is paused. The menu's entries carry the key of what choosing them does
(``PAUSE_FOR``, ``RESUME``, ``REPORT``, ``person_key``, ``SETTINGS``, ``QUIT``); lines
that only inform have no key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from monitor.core.days import clock_text
from monitor.core.vocabulary import TOTAL
from reports.aggregate import CategoryTotal, DaySummary
from reports.words import budget_left, used_of_budget

LEVELS = 5
"""Icon steps: 0 (under a quarter spent), 1, 2 (half or more), 3 (three quarters or more), 4 (spent)."""
OVER = LEVELS - 1
SCREEN = "Screen"
"""How the tray names ``total``, all screen time together."""
SEPARATOR = " · "
CATEGORY_LINES = 6
"""At most this many categories in the menu (the largest); the rest are in ``unscroll today``."""

PAUSE_FOR = {"pause-30m": ("Pause for 30 min", 1800.0), "pause-1h": ("Pause for 1 h", 3600.0)}
PAUSE_UNTIL_TOMORROW = "pause-tomorrow"
RESUME = "resume"
REPORT = "report"
SETTINGS = "settings"
QUIT = "quit"
PERSON_PREFIX = "person-"


@dataclass(frozen=True)
class MenuEntry:
    """One line of the menu: its words, and the key of what choosing it does (None: a line to read)."""

    label: str
    key: str | None = None
    enabled: bool = True
    separator: bool = False


SEPARATOR_ENTRY = MenuEntry("", separator=True, enabled=False)


@dataclass(frozen=True)
class PersonOffer:
    """Someone to reach out to: the words of their button (``Call Sam``) and who."""

    person_id: int
    label: str


@dataclass(frozen=True)
class TrayView:
    """Everything the tray shows at one moment."""

    level: int
    """How much of the most-used budget is spent, 0 to ``OVER``."""
    paused: bool
    title: str
    """The one line of the title and tooltip."""
    menu: tuple[MenuEntry, ...]


def person_key(person_id: int) -> str:
    """The menu key of reaching out to person ``person_id``."""
    return f"{PERSON_PREFIX}{person_id}"


def person_of(key: str) -> int | None:
    """The person a menu key names, or None."""
    if not key.startswith(PERSON_PREFIX):
        return None
    digits = key.removeprefix(PERSON_PREFIX)
    return int(digits) if digits.isdigit() else None


def shown_name(category: str) -> str:
    """A category as the tray names it: ``Social``; ``total`` is ``Screen``."""
    return SCREEN if category == TOTAL else category[:1].upper() + category[1:]


def summary_of(day: date, totals: Mapping[str, float], budgets: Mapping[str, float]) -> DaySummary:
    """A day as ``unscroll today`` lays it out, from its totals per category (no items).

    Every category with a budget is there (at 0 when unused); largest first, then by name.
    """
    seconds = {**{name: 0.0 for name in budgets if name != TOTAL}, **totals}
    categories = sorted((CategoryTotal(name, used, budgets.get(name)) for name, used in seconds.items()),
                        key=lambda total: (-total.seconds, total.name))
    return DaySummary(day=day, total_seconds=sum(totals.values()), total_budget_seconds=budgets.get(TOTAL),
                      categories=categories, items=[])


def budgets_of(summary: DaySummary) -> list[tuple[str, float, float]]:
    """(category, used, budget) for each budget in force, by category name, ``total`` last."""
    found = sorted((c.name, c.seconds, budget) for c in summary.categories
                   if (budget := c.budget_seconds) is not None)
    if summary.total_budget_seconds is not None:
        found.append((TOTAL, summary.total_seconds, summary.total_budget_seconds))
    return found


def spent_fraction(used_s: float, budget_s: float) -> float:
    """How much of a budget is spent (1.0 and more: spent); a zero budget is spent at any use."""
    if budget_s <= 0:
        return math.inf if used_s > 0 else 0.0
    return used_s / budget_s


def level_of(fraction: float) -> int:
    """The icon's step for a spent fraction: a quarter per step, ``OVER`` from 1.0 on."""
    if fraction >= 1.0:
        return OVER
    return max(0, min(OVER - 1, math.floor(fraction * (LEVELS - 1))))


def title_words(summary: DaySummary) -> str:
    """``Social 18 m of 30 m · Screen 1 h 12 m of 2 h 00 m``; without budgets, today's screen time."""
    budgets = budgets_of(summary)
    if not budgets:
        return f"{SCREEN} {used_of_budget(summary.total_seconds, None)} today"
    return SEPARATOR.join(f"{shown_name(name)} {used_of_budget(used, budget)}"
                          for name, used, budget in budgets)


def pause_words(paused_until: float, now: float, zone: tzinfo) -> str:
    """``Paused until 14:30``, or ``Paused until you resume``."""
    if math.isinf(paused_until):
        return "Paused until you resume"
    return f"Paused until {clock_text(paused_until, now, zone)}"


def _category_lines(summary: DaySummary) -> list[MenuEntry]:
    lines = []
    for category in summary.categories[:CATEGORY_LINES]:
        words = f"{shown_name(category.name)}  {used_of_budget(category.seconds, category.budget_seconds)}"
        if category.budget_seconds is not None:
            words += SEPARATOR + budget_left(category.seconds, category.budget_seconds)
        lines.append(MenuEntry(words, enabled=False))
    total = f"{SCREEN}  {used_of_budget(summary.total_seconds, summary.total_budget_seconds)}"
    if summary.total_budget_seconds is not None:
        total += SEPARATOR + budget_left(summary.total_seconds, summary.total_budget_seconds)
    return [*lines, MenuEntry(total, enabled=False)]


def _pause_lines(paused_until: float | None, now: float, zone: tzinfo) -> list[MenuEntry]:
    lines = [] if paused_until is None else [MenuEntry(pause_words(paused_until, now, zone), enabled=False)]
    lines += [MenuEntry(label, key) for key, (label, _seconds) in PAUSE_FOR.items()]
    lines.append(MenuEntry("Pause until tomorrow", PAUSE_UNTIL_TOMORROW))
    lines.append(MenuEntry("Resume", RESUME, enabled=paused_until is not None))
    return lines


def _people_lines(offers: Sequence[PersonOffer]) -> list[MenuEntry]:
    if not offers:
        return [MenuEntry("Nobody is due to hear from you", enabled=False)]
    return [MenuEntry(offer.label, person_key(offer.person_id)) for offer in offers]


def build_view(summary: DaySummary, paused_until: float | None, offers: Sequence[PersonOffer],
               now: float, zone: tzinfo) -> TrayView:
    """The tray at ``now``: today's ``summary``, the pause in force (None: none), people to offer."""
    paused = paused_until is not None and now < paused_until
    until = paused_until if paused else None
    fractions = [spent_fraction(used, budget) for _name, used, budget in budgets_of(summary)]
    level = level_of(max(fractions, default=0.0))
    title = title_words(summary)
    if until is not None:
        title = pause_words(until, now, zone) + SEPARATOR + title
    menu = [*_category_lines(summary), SEPARATOR_ENTRY, *_pause_lines(until, now, zone), SEPARATOR_ENTRY,
            MenuEntry("Open this week's report", REPORT), SEPARATOR_ENTRY, *_people_lines(offers),
            SEPARATOR_ENTRY, MenuEntry("Settings file", SETTINGS), MenuEntry("Quit unscroll", QUIT)]
    return TrayView(level=level, paused=paused, title=title, menu=tuple(menu))
