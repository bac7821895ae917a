"""The choice of person to suggest, and the words of the prompt: pure functions over explicit times."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from monitor.people.model import Person
from monitor.people.suggest import (
    ADD_HINT,
    OVERDUE,
    TEMPLATES_NEVER,
    TEMPLATES_WITH_GAP,
    UNSCHEDULED,
    UPCOMING,
    choose,
    describe_gap,
    everyone_resting_message,
    no_people_message,
    nobody_else_message,
    prompt_text,
    rank,
    templates_for,
)

DAY = 86400.0
NOW = 1_750_000_000.0


def person(pid: int, name: str, every: float | None, talked_days_ago: float | None,
           added_days_ago: float = 400) -> Person:
    return Person(id=pid, name=name, every_days=every, tags=(), emails=(), phones=(), links=(),
                  notes="", created=NOW - added_days_ago * DAY,
                  last_talked=None if talked_days_ago is None else NOW - talked_days_ago * DAY)


def names(people, **kwargs) -> list[str]:
    return [item.person.name for item in rank(people, NOW, **kwargs)]


def test_most_overdue_by_ratio_not_by_days():
    weekly = person(1, "Weekly", 7, 14)        # 2.0 × its gap
    monthly = person(2, "Monthly", 30, 45)     # 1.5 ×, though more days
    often = person(3, "Often", 3, 9)           # 3.0 ×
    ranked = rank([weekly, monthly, often], NOW)
    assert [item.person.name for item in ranked] == ["Often", "Weekly", "Monthly"]
    assert [item.ratio for item in ranked] == pytest.approx([3.0, 2.0, 1.5])
    assert all(item.kind == OVERDUE for item in ranked)
    assert choose([weekly, monthly, often], NOW).person is often


def test_reason_says_how_long_and_the_wish():
    chosen = choose([person(1, "Sam", 14, 42)], NOW)
    assert chosen.reason == "6 weeks since you last talked (you aim for every 2w)"
    assert chosen.days_since == pytest.approx(42)


def test_never_contacted_counts_from_when_added():
    never = person(1, "Never", 7, None, added_days_ago=21)      # ratio 3 from the day added
    talked = person(2, "Talked", 7, 14)                        # ratio 2
    fresh = person(3, "Fresh", 7, None, added_days_ago=2)      # not due yet
    ranked = rank([talked, fresh, never], NOW)
    assert [item.person.name for item in ranked] == ["Never", "Talked", "Fresh"]
    assert ranked[0].never_talked
    assert ranked[0].kind == OVERDUE
    assert ranked[0].reason.startswith("no talk logged since you added them 3 weeks ago")
    assert ranked[2].kind == UPCOMING


def test_people_without_every_only_when_no_one_with_every_is_left():
    scheduled = person(1, "Scheduled", 30, 3)             # far from due, still preferred
    loose_old = person(2, "Loose old", None, 400)
    loose_new = person(3, "Loose new", None, 10)
    assert names([loose_old, scheduled, loose_new]) == ["Scheduled"]
    assert choose([loose_old, scheduled, loose_new], NOW).kind == UPCOMING
    # with the scheduled person resting, the unscheduled ones come in, longest gap first
    ranked = rank([loose_old, scheduled, loose_new], NOW, skipped={1})
    assert [item.person.name for item in ranked] == ["Loose old", "Loose new"]
    assert {item.kind for item in ranked} == {UNSCHEDULED}
    assert ranked[0].ratio is None


def test_recently_suggested_people_are_left_out_for_the_gap():
    first = person(1, "First", 7, 30)
    second = person(2, "Second", 7, 20)
    gap = timedelta(days=3)
    suggested = {1: NOW - 2 * DAY}
    assert choose([first, second], NOW, suggested_at=suggested, gap=gap).person is second
    # once the gap has passed, the most overdue comes back
    suggested = {1: NOW - 3 * DAY - 1}
    assert choose([first, second], NOW, suggested_at=suggested, gap=gap).person is first
    # a zero gap leaves no one out
    assert choose([first, second], NOW, suggested_at={1: NOW}, gap=timedelta(0)).person is first


def test_people_talked_to_within_the_gap_are_left_out_even_if_never_suggested():
    overdue = person(1, "Overdue", 7, 30)
    just_called = person(2, "Just called", 1, 10 / (24 * 60))  # logged ten minutes ago
    loose = person(3, "Loose", None, 2)                          # no every, talked 2 days ago
    gap = timedelta(days=3)
    assert names([overdue, just_called, loose], gap=gap) == ["Overdue"]
    # with the overdue one skipped, nobody is left: not the person talked to minutes ago
    assert choose([overdue, just_called, loose], NOW, skipped={1}, gap=gap) is None
    # the gap counts from the talk: 3 days and a second later they may come back
    back = person(2, "Just called", 1, 3 + 1 / DAY)
    assert choose([back], NOW, gap=gap).person is back


def test_reached_out_after_being_named_counts_from_the_talk_not_the_notice():
    sam = person(1, "Sam", 7, 1 / 24)      # "Reached out" an hour ago …
    named = {1: NOW - 4 * DAY}             # … on a notice that named Sam four days ago
    assert choose([sam], NOW, suggested_at=named, gap=timedelta(days=3)) is None
    assert choose([sam], NOW, suggested_at=named, gap=timedelta(minutes=30)).person is sam


def test_people_skipped_today_are_left_out_and_then_no_one_is_left():
    first = person(1, "First", 7, 30)
    second = person(2, "Second", 7, 20)
    assert choose([first, second], NOW, skipped={1}).person is second
    assert choose([first, second], NOW, skipped={1, 2}) is None
    assert choose([], NOW) is None


def test_ties_are_broken_by_name_then_id_whatever_the_input_order():
    twins = [person(4, "bob", 7, 14), person(2, "Bob", 7, 14), person(3, "Alice", 14, 28),
             person(1, "Carol", 7, 14)]
    expected = None
    for order in itertools.permutations(twins):
        ranked = [(item.person.name, item.person.id) for item in rank(list(order), NOW)]
        expected = expected or ranked
        assert ranked == expected
    assert expected == [("Alice", 3), ("Bob", 2), ("bob", 4), ("Carol", 1)]


@pytest.mark.parametrize(("days", "words"), [
    (0.4, "less than a day"), (1, "1 day"), (13.9, "13 days"), (14, "2 weeks"), (42, "6 weeks"),
    (61, "2 months"), (365, "12 months"), (800, "2 years"),
])
def test_describe_gap(days, words):
    assert describe_gap(days) == words


def test_prompt_text_rotates_deterministically_and_offers_calls_and_texts():
    suggestion = choose([person(1, "Sam", 14, 42)], NOW)
    count = len(TEMPLATES_WITH_GAP)
    texts = [prompt_text(suggestion, index) for index in range(count)]
    assert texts[0] == "You haven't talked to Sam in 6 weeks. Call them?"
    assert len(set(texts)) == count
    assert all("Sam" in text and "6 weeks" in text for text in texts)
    assert [prompt_text(suggestion, index + count) for index in range(count)] == texts
    assert any(t.call for t in TEMPLATES_WITH_GAP)
    assert any(not t.call for t in TEMPLATES_WITH_GAP)
    calls = [text for text, t in zip(texts, TEMPLATES_WITH_GAP, strict=True) if t.call]
    assert all("call" in text.lower() or "ring" in text.lower() for text in calls)
    # a template starting with the gap capitalises it
    assert any(text.startswith("6 weeks since") for text in texts)


def test_prompt_text_for_someone_never_talked_to_or_talked_to_today():
    never = choose([person(1, "Ελένη", 7, None, added_days_ago=30)], NOW)
    assert templates_for(never) is TEMPLATES_NEVER
    texts = {prompt_text(never, index) for index in range(len(TEMPLATES_NEVER))}
    assert all("Ελένη" in text and "weeks" not in text for text in texts)
    today = choose([person(2, "Sam", 0.1, 0.5)], NOW, gap=timedelta(hours=6))
    assert "less than a day" not in prompt_text(today, 0)
    assert "Sam" in prompt_text(today, 0)


def test_messages_when_no_one_can_be_suggested():
    assert 'unscroll people add "Name" --every 2w' in no_people_message()
    assert ADD_HINT in no_people_message()
    assert everyone_resting_message()
    nobody = nobody_else_message()
    assert nobody.startswith("Nobody else is due today \N{EM DASH} ")
    assert nobody.endswith(ADD_HINT)


def test_prompt_text_uses_the_first_name_as_a_friend_would():
    [suggestion] = rank([person(1, "Sam Rivera", 14, 42)], NOW)
    text = prompt_text(suggestion, 0)
    assert "Sam" in text
    assert "Rivera" not in text
