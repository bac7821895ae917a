"""The doorway's pure decisions: when it opens, and the "Continue" periods."""

from __future__ import annotations

from monitor.doorway.policy import (
    ALWAYS,
    OFF,
    OVER_BUDGET,
    DoorwayRules,
    DoorwayState,
    continue_ended,
    continue_for,
    note_focus,
    should_open,
)

RULES = DoorwayRules(when=ALWAYS, categories=("social",), after_away=600.0)


def opens(state: DoorwayState, category: str | None, now: float, rules: DoorwayRules = RULES, *,
          over: bool = False, stored: float | None = None) -> bool:
    return should_open(state, rules, category, now, over_budget=lambda _c: over,
                       last_focus_before=lambda _c: stored)


def test_first_arrival_opens_and_other_categories_never_do() -> None:
    state = DoorwayState()
    assert opens(state, "social", 1000.0)
    assert not opens(state, "video", 1000.0)
    assert not opens(state, None, 1000.0)


def test_staying_or_switching_between_two_social_windows_is_not_an_arrival() -> None:
    state = DoorwayState()
    note_focus(state, "social", 1000.0)
    assert not opens(state, "social", 5000.0)  # still focused: however long, not an arrival


def test_coming_back_opens_only_after_away_has_passed() -> None:
    state = DoorwayState()
    note_focus(state, "social", 1000.0)
    note_focus(state, "work", 1001.0)
    assert not opens(state, "social", 1000.0 + 599.0)
    assert opens(state, "social", 1000.0 + 600.0)


def test_after_a_restart_the_store_says_when_the_category_last_had_focus() -> None:
    assert not opens(DoorwayState(), "social", 1000.0, stored=900.0)
    assert opens(DoorwayState(), "social", 1000.0, stored=300.0)


def test_continue_period_holds_the_doorway_back_until_it_ends() -> None:
    state = DoorwayState()
    continue_for(state, "social", 300.0, now=1000.0)
    note_focus(state, "work", 1000.0)
    state.last_focus.clear()
    assert not opens(state, "social", 1299.0)
    assert opens(state, "social", 1300.0)


def test_a_window_on_screen_holds_back_a_second_one() -> None:
    state = DoorwayState(showing=True)
    assert not opens(state, "social", 1000.0)


def test_modes_off_and_over_budget() -> None:
    off = DoorwayRules(when=OFF)
    over = DoorwayRules(when=OVER_BUDGET)
    assert not opens(DoorwayState(), "social", 1000.0, off, over=True)
    assert not opens(DoorwayState(), "social", 1000.0, over, over=False)
    assert opens(DoorwayState(), "social", 1000.0, over, over=True)


def test_an_ended_continue_period_is_announced_once_while_still_there() -> None:
    state = DoorwayState()
    continue_for(state, "social", 300.0, now=1000.0)
    assert continue_ended(state, "social", 1299.0) is None
    assert continue_ended(state, "social", 1300.0) == "social"
    assert continue_ended(state, "social", 1400.0) is None
    assert continue_ended(state, "work", 1400.0) is None
    continue_for(state, "social", 300.0, now=2000.0)
    assert continue_ended(state, "social", 2300.0) == "social"
