"""Birthdays and people to get to know through the store: the notice's person and the doorway's people.

Real SQLite files; prompts are recorded as the nudger and the doorway record them, so the
turns are counted the way the daemon counts them.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor.core.days import day_bounds
from monitor.core.vocabulary import DOORWAY, OVER, SUGGESTION
from monitor.people import directory as people
from monitor.people.connect import pick_person
from monitor.people.offer import offer_people
from monitor.people.suggest import Occasion, is_new_turn
from monitor.store.database import Store
from monitor.store.migrations import MIGRATIONS, SCHEMA_VERSION
from monitor.store.people import load_all
from monitor.store.prompts import record_prompt

ZONE = ZoneInfo("Europe/Berlin")
STARTS = time(4)
TODAY = date(2025, 5, 17)
DAY_START, DAY_END = day_bounds(TODAY, STARTS, ZONE)
MORNING = DAY_START + 5 * 3600                          # 09:00
GAP = timedelta(days=3).total_seconds()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


def add_regulars(store: Store, count: int) -> None:
    for number in range(count):
        people.add(store, f"Regular {number:02d}", now=MORNING, every_days=7,
                   last_talked=MORNING - (10 + number) * 86400)


def pick(store: Store, at: float):
    return pick_person(store, now=at, day_start=DAY_START, day_label=TODAY.isoformat(), gap_s=GAP,
                       variant=0)


def test_notices_name_someone_new_one_time_in_three_whatever_the_doorways_do(store):
    add_regulars(store, 40)
    nadia = people.add(store, "Nadia Okafor", now=MORNING, new=True, emails=["nadia@example.com"])
    named: list[int] = []
    for number in range(30):
        at = MORNING + number * 900
        choice = pick(store, at)
        assert choice is not None
        assert choice.person is not None
        named.append(choice.person.id)
        record_prompt(store, at=at, day=TODAY, kind=OVER, category="social", message=choice.body,
                      person_id=choice.person.id)
        if choice.person.id == nadia.id:
            assert choice.body.startswith(("You wanted to get to know Nadia", "Nadia is on your list",
                                           "Getting to know Nadia"))
        # a doorway in between names someone too: it keeps its own count
        record_prompt(store, at=at + 60, day=TODAY, kind=DOORWAY, category="social", message="",
                      person_id=nadia.id)
    truth = [turn for turn in range(1, 31) if is_new_turn(turn)]
    assert [turn for turn, pid in enumerate(named, start=1) if pid == nadia.id] == truth
    assert named.count(nadia.id) >= 10


def test_a_birthday_leads_every_notice_until_they_are_reached(store):
    add_regulars(store, 3)
    sam = people.add(store, "Sam Rivera", now=MORNING, birthday="1990-05-17",
                     last_talked=MORNING - 86400, phones=["+1 555 555 0199"])
    for number in range(3):
        at = MORNING + number * 600
        choice = pick(store, at)
        assert choice is not None
        assert choice.person is not None
        assert choice.person.id == sam.id               # named a minute ago, talked to yesterday: still
        assert choice.body.startswith("It's Sam's birthday today")
        record_prompt(store, at=at, day=TODAY, kind=SUGGESTION, category="social", message=choice.body,
                      person_id=sam.id)
    people.log_interaction(store, sam, at=MORNING + 3600, now=MORNING + 3600, via="call")
    after = pick(store, MORNING + 7200)
    assert after is not None
    assert after.person is not None
    assert after.person.id != sam.id


def test_the_day_before_and_a_day_that_starts_at_four(store):
    add_regulars(store, 2)
    people.add(store, "Bo", now=MORNING, birthday="05-18")
    choice = pick(store, MORNING)
    assert choice is not None
    assert choice.body.startswith(("It's Bo's birthday tomorrow", "Bo's birthday is tomorrow"))
    # 02:00 on 18 May is still the 17th (the day starts at 04:00): the offers say "tomorrow"
    late = datetime(2025, 5, 18, 2, 0, tzinfo=ZONE).timestamp()
    offers = offer_people(store, late, gap_s=GAP, limit=3, turn=2, day_start=DAY_START, zone=ZONE)
    assert (offers[0].name, offers[0].occasion) == ("Bo", Occasion.BIRTHDAY_EVE)
    next_start, _ = day_bounds(date(2025, 5, 18), STARTS, ZONE)
    offers = offer_people(store, next_start + 3600, gap_s=GAP, limit=3, turn=2, day_start=next_start,
                          zone=ZONE)
    assert (offers[0].name, offers[0].occasion) == ("Bo", Occasion.BIRTHDAY)
    assert "their birthday is today" in offers[0].why


def test_the_doorway_offers_someone_new_first_on_every_third_visit(store):
    add_regulars(store, 6)
    nadia = people.add(store, "Nadia Okafor", now=MORNING, new=True, phones=["+234 802 123 4567"])
    firsts = []
    for visit in range(1, 31):
        offers = offer_people(store, MORNING + visit * 300, gap_s=GAP, limit=3, turn=visit,
                              day_start=DAY_START, zone=ZONE)
        assert len(offers) == 3
        assert len({offer.person_id for offer in offers}) == 3
        firsts.append(offers[0])
    new_visits = [visit for visit, offer in enumerate(firsts, start=1) if offer.person_id == nadia.id]
    assert new_visits == [visit for visit in range(1, 31) if is_new_turn(visit)]
    assert len(new_visits) >= 10
    assert {offer.occasion for offer in firsts if offer.person_id == nadia.id} == {"first-contact"}
    assert firsts[0].label == "Call Nadia"
    others = {offer.person_id for offer in firsts if offer.person_id != nadia.id}
    assert len(others) == 3                             # the rest still rotate among the top three


def test_a_store_from_before_the_columns_keeps_its_people(tmp_path):
    path = tmp_path / "unscroll.sqlite3"
    [ours] = [index for index, text in enumerate(MIGRATIONS) if "ADD COLUMN birthday" in text]
    old = sqlite3.connect(path, isolation_level=None)
    for text in MIGRATIONS[:ours]:
        old.executescript(text)
    old.execute(f"PRAGMA user_version = {ours}")
    old.execute("INSERT INTO people (name, created_utc) VALUES ('Sam Lee', 1700000000)")
    old.close()
    with Store(path) as upgraded:
        assert upgraded.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        [sam] = load_all(upgraded.connection)
        assert (sam.name, sam.new, sam.birthday, sam.anniversary) == ("Sam Lee", False, None, None)
        changed = people.edit(upgraded, sam, new=True, birthday="--0517")
        assert (changed.new, changed.birthday) == (True, "05-17")
