"""When the doorway opens: pure decisions over what the sampler saw, taking ``now``.

The doorway opens when a window of a doorway category gets focus, that category had no
focus for ``after_away``, no "Continue" period for it is running, and no doorway is on
screen. Focus moving between two windows of the same category is not an arrival.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ALWAYS = "always"
OVER_BUDGET = "over-budget"
OFF = "off"
MODES = (ALWAYS, OVER_BUDGET, OFF)


@dataclass(frozen=True)
class DoorwayRules:
    """The ``[doorway]`` settings the decision needs, durations in seconds."""

    when: str = ALWAYS
    categories: tuple[str, ...] = ("social",)
    after_away: float = 600.0


@dataclass
class DoorwayState:
    """What the doorway remembers between samples (in memory; the store answers after a restart)."""

    focused_category: str | None = None
    last_focus: dict[str, float] = field(default_factory=dict)
    """Category -> the last sample at which it had focus (UTC seconds)."""
    continue_until: dict[str, float] = field(default_factory=dict)
    """Category -> the end of the "Continue" period the person chose."""
    ended_notice_sent: set[str] = field(default_factory=set)
    """Categories whose ended "Continue" period has been announced."""
    showing: bool = False


def should_open(state: DoorwayState, rules: DoorwayRules, category: str | None, now: float, *,
                over_budget: Callable[[str], bool],
                last_focus_before: Callable[[str], float | None]) -> bool:
    """Whether the doorway opens for ``category`` gaining focus at ``now``.

    ``over_budget(category)`` says whether today's budget for it is spent (asked only in
    the "over-budget" mode); ``last_focus_before(category)`` answers from the store when
    this daemon has not seen the category yet (after a restart).
    """
    if rules.when == OFF or category is None or category not in rules.categories:
        return False
    if state.showing or category == state.focused_category:
        return False
    if state.continue_until.get(category, float("-inf")) > now:
        return False
    last = state.last_focus.get(category)
    if last is None:
        last = last_focus_before(category)
    if last is not None and now - last < rules.after_away:
        return False
    return rules.when == ALWAYS or over_budget(category)


def note_focus(state: DoorwayState, category: str | None, now: float) -> None:
    """Remember that ``category`` (None: nothing counted) has focus at ``now``."""
    state.focused_category = category
    if category is not None:
        state.last_focus[category] = now


def continue_for(state: DoorwayState, category: str, seconds: float, now: float) -> None:
    """Start a "Continue" period: no doorway for ``category`` for ``seconds`` from ``now``."""
    state.continue_until[category] = now + seconds
    state.ended_notice_sent.discard(category)


def continue_ended(state: DoorwayState, category: str | None, now: float) -> str | None:
    """The category whose "Continue" period ran out while it still has focus, once; else None."""
    if category is None or category in state.ended_notice_sent:
        return None
    until = state.continue_until.get(category)
    if until is None or now < until:
        return None
    state.ended_notice_sent.add(category)
    return category
