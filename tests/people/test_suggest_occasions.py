"""Birthdays and people to get to know in the suggestions: pure functions over an explicit day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from monitor.people.model import Person
from monitor.people.suggest import (
    TEMPLATES_BIRTHDAY,
    TEMPLATES_BIRTHDAY_EVE,
    TEMPLATES_FIRST_CONTACT,
    TEMPLATES_GETTING_TO_KNOW,
    Occasion,
    SuggestionDay,
    birthdays,
    choose,
    is_new_turn,
    ordinary_turns,
    prompt_text,
    rank,
)

DAY = 86400.0
ZONE = ZoneInfo("Europe/Berlin")
TODAY = date(2025, 5, 17)
DAY_START = datetime.combine(TODAY, time(4), tzinfo=ZONE).timestamp()   # the day starts at 04:00
NOW = DAY_START + 10 * 3600                                              # 14:00


def person(pid: int, name: str, *, every: float | None = 14, talked_days_ago: float | None = 30,
           birthday: str | None = None, new: bool = False, talked_at: float | None = None) -> Person:
    talked = talked_at if talked_at is not None else (
        None if talked_days_ago is None else NOW - talked_days_ago * DAY)
    return Person(id=pid, name=name, every_days=every, tags=(), emails=(), phones=(), links=(), notes="",
                  created=NOW - 400 * DAY, last_talked=talked, birthday=birthday, new=new)


def day(turn: int = 2, on: date = TODAY, start: float = DAY_START) -> SuggestionDay:
    return SuggestionDay(on, start, turn)


def test_birthdays_today_then_tomorrow_by_name():
    people = [person(1, "Zoe", birthday="05-18"), person(2, "Sam", birthday="1990-05-17"),
              person(3, "Ana", birthday="05-17"), person(4, "Bo", birthday="05-19"), person(5, "Cy")]
    found = birthdays(people, TODAY)
    assert [(p.name, occasion) for p, occasion in found] == [
        ("Ana", Occasion.BIRTHDAY), ("Sam", Occasion.BIRTHDAY), ("Zoe", Occasion.BIRTHDAY_EVE)]
    assert birthdays(people, date(2025, 1, 1)) == []


def test_a_birthday_leads_every_suggestion_with_words_that_say_why():
    overdue = person(1, "Often", every=3, talked_days_ago=30)           # the most overdue by far
    sam = person(2, "Sam Rivera", every=None, talked_days_ago=2, birthday="1990-05-17")
    ranked = rank([overdue, sam], NOW, day=day())
    assert [item.person.name for item in ranked] == ["Sam Rivera", "Often"]
    first = ranked[0]
    assert (first.occasion, first.leads) == (Occasion.BIRTHDAY, True)
    assert first.reason == "their birthday is today (they turn 35)"
    # named in a notice an hour ago and talked to two days ago: still first on the day itself
    again = choose([overdue, sam], NOW, suggested_at={2: NOW - 3600}, gap=timedelta(days=3), day=day())
    assert again is not None
    assert again.person is sam
    texts = {prompt_text(again, index) for index in range(len(TEMPLATES_BIRTHDAY))}
    assert all(text.startswith("It's Sam's birthday today") for text in texts)
    assert len(texts) == len(TEMPLATES_BIRTHDAY)


def test_the_eve_of_a_birthday_leads_too_with_its_own_words():
    bo = person(3, "Bo", every=None, talked_days_ago=None, birthday="05-18")
    ranked = rank([person(1, "Often", every=3), bo], NOW, day=day())
    assert ranked[0].person is bo
    assert ranked[0].occasion == Occasion.BIRTHDAY_EVE
    assert ranked[0].reason == "their birthday is tomorrow"
    words = prompt_text(ranked[0], 0)
    assert words in {t.text.format(name="Bo") for t in TEMPLATES_BIRTHDAY_EVE}
    assert "tomorrow" in words


def test_talked_to_today_or_skipped_today_is_not_suggested_even_on_their_birthday():
    called_this_morning = person(2, "Sam", every=None, talked_at=DAY_START + 3600, birthday="05-17")
    called_last_night = person(3, "Ana", every=None, talked_at=DAY_START - 3600, birthday="05-17")
    ranked = rank([called_this_morning, called_last_night], NOW, gap=timedelta(hours=1), day=day())
    assert [item.person.name for item in ranked] == ["Ana"]       # yesterday (before 04:00) is not today
    assert rank([called_last_night], NOW, skipped={3}, day=day()) == []


def test_a_birthday_is_a_fact_of_the_local_day_with_its_configured_start():
    sam = person(2, "Sam", every=None, birthday="05-17")
    # 02:00 on 18 May, before the 04:00 start: still 17 May, still Sam's birthday
    late = datetime(2025, 5, 18, 2, 0, tzinfo=ZONE).timestamp()
    [first] = rank([sam], late, day=SuggestionDay(TODAY, DAY_START, 2))
    assert first.occasion == Occasion.BIRTHDAY
    # without the day, nothing is special: as before
    [plain] = rank([sam], late)
    assert (plain.occasion, plain.leads) == (Occasion.NONE, False)


def test_every_third_suggestion_of_the_day_goes_to_someone_new():
    assert [turn for turn in range(1, 11) if is_new_turn(turn)] == [1, 4, 7, 10]
    assert [ordinary_turns(turn) for turn in range(8)] == [0, 0, 1, 2, 2, 3, 4, 4]
    regulars = [person(pid, f"Regular {pid}", every=7, talked_days_ago=10 + pid) for pid in range(1, 6)]
    newcomer = person(9, "Nadia", every=None, talked_days_ago=None, new=True)
    firsts = [rank([*regulars, newcomer], NOW, day=day(turn))[0] for turn in range(1, 7)]
    assert [item.person.name for item in firsts] == ["Nadia", "Regular 5", "Regular 5", "Nadia",
                                                     "Regular 5", "Regular 5"]
    assert firsts[0].occasion == Occasion.FIRST_CONTACT
    assert firsts[0].leads
    assert prompt_text(firsts[0], 1) == TEMPLATES_FIRST_CONTACT[1].text.format(name="Nadia")


def test_over_thirty_suggestions_someone_new_is_named_at_least_one_time_in_three():
    """Simulate a day of notices: each names the first of ``rank``, which then rests (the gap)."""
    regulars = [person(pid, f"Regular {pid}", every=7, talked_days_ago=8 + pid) for pid in range(1, 41)]
    newcomer = person(99, "Nadia", every=None, talked_days_ago=None, new=True)
    suggested_at: dict[int, float] = {}
    named: list[int] = []
    for turn in range(1, 31):
        at = NOW + turn * 600
        choice = choose([*regulars, newcomer], at, suggested_at=suggested_at, gap=timedelta(days=3),
                        day=day(turn))
        assert choice is not None
        named.append(choice.person.id)
        suggested_at[choice.person.id] = at
    expected = [turn for turn in range(1, 31) if is_new_turn(turn)]            # the simulated truth
    assert [turn for turn, pid in enumerate(named, start=1) if pid == 99] == expected
    assert named.count(99) >= 10
    assert all(99 in named[start:start + 3] for start in range(0, 28))        # every run of three


def test_several_new_people_take_turns_and_one_talked_to_lately_waits():
    regulars = [person(1, "Regular", every=7)]
    ana = person(7, "Ana", every=None, talked_days_ago=None, new=True)
    bo = person(8, "Bo", every=None, talked_days_ago=None, new=True)
    leads = [rank([*regulars, ana, bo], NOW, day=day(turn))[0].person.name for turn in (1, 4, 7, 10)]
    assert leads == ["Ana", "Bo", "Ana", "Bo"]
    talked = person(8, "Bo", every=None, talked_days_ago=1, new=True)
    leads = [rank([*regulars, talked], NOW, gap=timedelta(days=3), day=day(turn))[0].person.name
             for turn in (1, 4)]
    assert leads == ["Regular", "Regular"]
    [again] = [s for s in rank([talked], NOW, gap=timedelta(hours=1), day=day(1)) if s.person.id == 8]
    assert again.occasion == Occasion.FIRST_CONTACT
    assert prompt_text(again, 0) == TEMPLATES_GETTING_TO_KNOW[0].text.format(name="Bo")


def test_birthdays_come_before_the_new_persons_turn():
    nadia = person(9, "Nadia", every=None, talked_days_ago=None, new=True)
    sam = person(2, "Sam", every=None, birthday="05-17")
    ranked = rank([nadia, sam, person(1, "Regular")], NOW, day=day(1))
    assert [(item.person.name, item.occasion) for item in ranked[:2]] == [
        ("Sam", Occasion.BIRTHDAY), ("Nadia", Occasion.FIRST_CONTACT)]
    assert all(item.leads for item in ranked[:2])
