"""People and interactions: parsing what is typed, the store, finding by name, due dates."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from monitor.core.errors import InputError
from monitor.people import directory as people
from monitor.people.directory import find_by_query
from monitor.people.model import KEEP
from monitor.people.parsing import (
    DATE_ACCEPTED,
    format_every,
    local_date,
    normalize_email,
    normalize_phone,
    normalize_via,
    parse_date,
    parse_every,
)
from monitor.store.database import Store
from monitor.store.people import load_all

DAY = 86400.0
BERLIN = ZoneInfo("Europe/Berlin")
# 2024-03-20 15:30 in Berlin
NOW = datetime(2024, 3, 20, 15, 30, tzinfo=BERLIN).timestamp()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "unscroll.sqlite3") as opened:
        yield opened


def snapshot(store: Store) -> tuple[list[tuple], list[tuple]]:
    """Everything stored about people, to show that a failed command changed nothing."""
    rows = store.connection.execute("SELECT * FROM people ORDER BY id").fetchall()
    interactions = store.connection.execute("SELECT * FROM interactions ORDER BY id").fetchall()
    return [tuple(row) for row in rows], [tuple(row) for row in interactions]


# --- frequencies ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "days"), [
    ("10d", 10), ("2w", 14), ("3mo", 90), ("1y", 365), ("6 weeks", 42), ("1 month", 30),
    ("1.5w", 10.5), (" 2W ", 14),
])
def test_parse_every(text, days):
    assert parse_every(text) == days


@pytest.mark.parametrize("text", ["10d", "2w", "3mo", "1y", "5d"])
def test_format_every_writes_what_parse_every_reads(text):
    assert format_every(parse_every(text)) == text


def test_every_off_means_none():
    assert parse_every("off") is None
    assert parse_every("none") is None
    assert format_every(None) == "-"


def test_every_3m_is_refused_as_ambiguous():
    with pytest.raises(InputError) as caught:
        parse_every("3m")
    assert "ambiguous" in caught.value.message
    assert "3mo" in caught.value.message
    assert "90d" in caught.value.message
    assert caught.value.message.startswith("--every:")


@pytest.mark.parametrize(("text", "hint"), [
    ("14", "14d"), ("0d", "more than 0"), ("11y", "at most 10 years"), ("2 fortnights", "unknown unit"),
    ("often", "10d, 2w, 3mo or 1y"),
])
def test_bad_frequencies_say_what_is_accepted(text, hint):
    with pytest.raises(InputError) as caught:
        parse_every(text)
    assert hint in caught.value.message


# --- dates ------------------------------------------------------------------------------------

def noon(day: date) -> float:
    return datetime.combine(day, time(12), tzinfo=BERLIN).timestamp()


@pytest.mark.parametrize(("text", "day"), [
    ("2024-03-01", date(2024, 3, 1)), ("yesterday", date(2024, 3, 19)), ("3d ago", date(2024, 3, 17)),
    ("2w ago", date(2024, 3, 6)), ("0d ago", date(2024, 3, 20)), ("1 week ago", date(2024, 3, 13)),
    ("10 days ago", date(2024, 3, 10)),
])
def test_parse_date_gives_noon_of_the_local_day(text, day):
    assert parse_date(text, now=NOW, zone=BERLIN) == noon(day)


def test_today_is_now_while_noon_is_still_to_come():
    morning = datetime(2024, 3, 20, 9, 0, tzinfo=BERLIN).timestamp()
    assert parse_date("today", now=morning, zone=BERLIN) == morning
    assert parse_date("today", now=NOW, zone=BERLIN) == noon(date(2024, 3, 20))
    assert parse_date("2024-03-20", now=morning, zone=BERLIN) == morning


def test_today_follows_the_configured_day_start():
    late_night = datetime(2024, 3, 21, 2, 0, tzinfo=BERLIN).timestamp()
    # at 02:00 with days starting at 04:00 it is still the 20th
    assert parse_date("today", now=late_night, zone=BERLIN, starts_at=time(4)) == noon(date(2024, 3, 20))
    assert local_date(late_night, BERLIN, time(4)) == date(2024, 3, 20)


@pytest.mark.parametrize("text", ["2024-03-21", "2030-01-01"])
def test_future_dates_are_refused(text):
    with pytest.raises(InputError) as caught:
        parse_date(text, now=NOW, zone=BERLIN, where="--when")
    assert caught.value.message == f"--when: {text!r} is in the future (today is 2024-03-20)"


@pytest.mark.parametrize("text", ["tomorrow", "15/03/2024", "last week", ""])
def test_unknown_dates_say_what_is_accepted(text):
    with pytest.raises(InputError) as caught:
        parse_date(text, now=NOW, zone=BERLIN, where="--when")
    assert caught.value.message == f"--when: {text!r} is not {DATE_ACCEPTED}"


# --- normalising ------------------------------------------------------------------------------

def test_normalize_email_and_phone():
    assert normalize_email(" Sam.Lee@Example.COM ") == "sam.lee@example.com"
    assert normalize_email("mailto:a@b.org") == "a@b.org"
    assert normalize_email("not an email") is None
    assert normalize_phone("+1 (555) 010-2000") == "+15550102000"
    assert normalize_phone("tel:+46-70-123-4567") == "+46701234567"
    assert normalize_phone("030 / 123 45") == "030 / 123 45"          # no region: kept as written
    assert normalize_phone("030 / 123 45", "DE") == "+493012345"
    assert normalize_phone("n/a") is None


def test_normalize_via_accepts_spellings_of_in_person():
    assert normalize_via("In-Person") == "in person"
    assert normalize_via("CALL") == "call"
    with pytest.raises(InputError, match="call, text, email, video, in person, other"):
        normalize_via("fax")


# --- adding, finding, editing ------------------------------------------------------------------

def add(store, name, **kwargs):
    kwargs.setdefault("now", NOW)
    return people.add(store, name, **kwargs)


def test_add_stores_everything_normalised(store):
    sam = add(store, "  Sam   Lee ", every_days=14, tags=["friends", "Friends", "climbing"],
              emails=["Sam@Example.com"], phones=["+1 555 010 2000"], links=["https://signal.me/#p/x"],
              notes="likes tea", last_talked=NOW - 10 * DAY)
    assert sam.name == "Sam Lee"
    assert sam.tags == ("friends", "climbing")
    assert sam.emails == ("sam@example.com",)
    assert sam.phones == ("+15550102000",)
    assert sam.links == ("https://signal.me/#p/x",)
    assert sam.last_talked == NOW - 10 * DAY
    assert sam.created == NOW
    assert sam.due == NOW + 4 * DAY
    assert not sam.is_due(NOW)
    assert sam.is_due(NOW + 4 * DAY)
    assert sam.overdue_ratio(NOW) == pytest.approx(10 / 14)
    assert people.get(store, sam.id) == sam


def test_someone_never_talked_to_is_due_every_days_after_being_added(store):
    eleni = add(store, "Ελένη", every_days=7)
    assert eleni.last_talked is None
    assert eleni.due == NOW + 7 * DAY
    assert add(store, "No frequency").due is None


def test_add_refuses_duplicates_and_bad_values_and_stores_nothing(store):
    add(store, "Sam Lee", emails=["sam@example.com"], phones=["555 0100"])
    before = snapshot(store)
    cases = [
        (dict(name="sam lee"), "already in your list"),
        (dict(name="Other", emails=["SAM@example.com"]), "already Sam Lee's email"),
        (dict(name="Other", phones=["(555) 0100"]), "already Sam Lee's phone"),
        (dict(name="Other", emails=["nope"]), "not an email address"),
        (dict(name="Other", phones=["x"]), "not a phone number"),
        (dict(name="   "), "needs a name"),
        (dict(name="Other", last_talked=NOW + 60), "in the future"),
        (dict(name="Other", every_days=0), "more than 0"),
    ]
    for kwargs, message in cases:
        name = kwargs.pop("name")
        with pytest.raises(InputError, match=message):
            add(store, name, **kwargs)
    assert snapshot(store) == before


def test_find_by_query(store):
    sam = add(store, "Sam")
    sam_lee = add(store, "Sam Lee")
    samantha = add(store, "Samantha Jones")
    zoe = add(store, "Zoë Ångström")
    eleni = add(store, "Ελένη Παπαδοπούλου")
    taro = add(store, "山田 太郎")
    assert find_by_query(store, "sam") == sam                # the exact full name wins
    assert find_by_query(store, "SAM LEE") == sam_lee
    assert find_by_query(store, "jones") == samantha
    assert find_by_query(store, "sam jon") == samantha       # every word must occur
    assert find_by_query(store, "zoe angstrom") == zoe      # accents ignored
    assert find_by_query(store, "ΕΛΈΝΗ") == eleni            # Greek case-insensitive
    assert find_by_query(store, "太郎") == taro
    assert find_by_query(store, f"#{sam_lee.id}") == sam_lee


def test_ambiguous_query_lists_the_matching_people(store):
    add(store, "Sam Lee", emails=["sam@example.com"])
    add(store, "Samantha Jones")
    add(store, "Zoë")
    with pytest.raises(InputError) as caught:
        find_by_query(store, "sa")
    message = caught.value.message
    assert "'sa' matches 2 people" in message
    assert "Sam Lee (#1, sam@example.com)" in message
    assert "Samantha Jones (#2)" in message
    assert "Zoë" not in message


def test_query_matching_nobody_says_so(store):
    with pytest.raises(InputError, match="your list is empty"):
        find_by_query(store, "sam")
    add(store, "Sam Lee")
    with pytest.raises(InputError, match="no one matches 'bob'"):
        find_by_query(store, "bob")
    with pytest.raises(InputError, match="#99"):
        find_by_query(store, "#99")


def test_edit_changes_only_what_is_asked(store):
    sam = add(store, "Sam Lee", every_days=14, tags=["friends"], emails=["sam@example.com"],
              notes="first")
    edited = people.edit(store, sam, name="Samuel Lee", add_tags=["climbing"], remove_tags=["FRIENDS"],
                         add_emails=["Samuel@Example.com"], remove_emails=["sam@example.com"],
                         add_phones=["+44 20 7946 0958"], add_links=["https://wa.me/442079460958"],
                         append_note="second")
    assert edited.name == "Samuel Lee"
    assert edited.every_days == 14
    assert edited.tags == ("climbing",)
    assert edited.emails == ("samuel@example.com",)
    assert edited.phones == ("+442079460958",)
    assert edited.links == ("https://wa.me/442079460958",)
    assert edited.notes == "first\nsecond"
    cleared = people.edit(store, edited, every_days=None, notes="")
    assert cleared.every_days is None
    assert cleared.notes == ""
    kept = people.edit(store, cleared, every_days=KEEP, name="Sam")
    assert kept.every_days is None
    assert kept.name == "Sam"


def test_edit_refuses_removing_what_is_not_there_or_taking_someone_elses(store):
    sam = add(store, "Sam Lee", tags=["friends"], emails=["sam@example.com"])
    add(store, "Ana", emails=["ana@example.com"])
    before = snapshot(store)
    with pytest.raises(InputError, match="has no tag 'work'"):
        people.edit(store, sam, remove_tags=["work"], add_tags=["x"])
    with pytest.raises(InputError, match="already Ana's email"):
        people.edit(store, sam, add_emails=["ana@example.com"])
    with pytest.raises(InputError, match="already in your list"):
        people.edit(store, sam, name="ana")
    assert snapshot(store) == before


# --- interactions and due dates ----------------------------------------------------------------

def test_last_talked_is_the_latest_interaction(store):
    sam = add(store, "Sam", every_days=7)
    people.log_interaction(store, sam, at=NOW - 3 * DAY, now=NOW, via="call", note="catch-up")
    people.log_interaction(store, sam, at=NOW - 9 * DAY, now=NOW, via="text")
    sam = people.get(store, sam.id)
    assert sam.last_talked == NOW - 3 * DAY
    assert sam.due == NOW + 4 * DAY
    history = people.interactions_of(store, sam)
    assert [(item.via, item.note, item.source) for item in history] == [
        ("call", "catch-up", "manual"), ("text", "", "manual")]


def test_logging_the_same_instant_twice_keeps_one(store):
    sam = add(store, "Sam")
    first = people.log_interaction(store, sam, at=NOW - DAY, now=NOW, via="call")
    again = people.log_interaction(store, sam, at=NOW - DAY, now=NOW, via="call")
    assert first == again
    assert len(people.interactions_of(store, sam)) == 1


def test_future_interactions_and_unknown_vias_change_nothing(store):
    sam = add(store, "Sam")
    before = snapshot(store)
    with pytest.raises(InputError, match="in the future"):
        people.log_interaction(store, sam, at=NOW + 1, now=NOW)
    with pytest.raises(InputError, match="--via"):
        people.log_interaction(store, sam, at=NOW, now=NOW, via="pigeon")
    assert snapshot(store) == before


def test_list_is_sorted_by_how_overdue_and_filters(store):
    add(store, "Loose", tags=["work"], last_talked=NOW - 100 * DAY)
    add(store, "Twice over", every_days=7, last_talked=NOW - 14 * DAY, tags=["Friends"])
    add(store, "Not yet", every_days=30, last_talked=NOW - 10 * DAY, tags=["friends"])
    add(store, "Thrice over", every_days=10, last_talked=NOW - 30 * DAY)
    listed = people.list_people(store, now=NOW)
    assert [person.name for person in listed] == ["Thrice over", "Twice over", "Not yet", "Loose"]
    due = people.list_people(store, now=NOW, due_only=True)
    assert [person.name for person in due] == ["Thrice over", "Twice over"]
    tagged = people.list_people(store, now=NOW, tag="friends")
    assert [person.name for person in tagged] == ["Twice over", "Not yet"]


def test_remove_takes_the_interactions_along(store):
    sam = add(store, "Sam", last_talked=NOW - DAY)
    people.log_interaction(store, sam, at=NOW, now=NOW)
    keep = add(store, "Keep", last_talked=NOW - DAY)
    assert people.remove(store, sam) == 2
    assert [person.name for person in load_all(store.connection)] == ["Keep"]
    rows = store.connection.execute("SELECT person_id FROM interactions").fetchall()
    assert [row[0] for row in rows] == [keep.id]
    with pytest.raises(InputError, match="no longer in your list"):
        people.remove(store, sam)


def test_suggestion_history_reads_prompts(store):
    sam = add(store, "Sam")
    ana = add(store, "Ana")
    bo = add(store, "Bo")
    rows = [
        (NOW - 5 * DAY, sam.id, None, None),                  # suggested before the window
        (NOW - 1 * DAY, ana.id, "reached-out", NOW - DAY),    # suggested in the window
        (NOW - 600, bo.id, "someone-else", NOW - 500),        # skipped today
        (NOW - 2 * DAY, sam.id, "someone-else", NOW - 2 * DAY),  # skipped, but not today
    ]
    for at, pid, action, action_at in rows:
        store.connection.execute(
            "INSERT INTO prompts (at_utc, day, kind, person_id, message, action, action_at) "
            "VALUES (?, '2024-03-20', 'over', ?, '', ?, ?)", (at, pid, action, action_at))
    history = people.suggestion_history(store, since=NOW - 3 * DAY, day_start=NOW - 3600)
    assert history.suggested_at == {ana.id: NOW - DAY, bo.id: NOW - 600, sam.id: NOW - 2 * DAY}
    assert history.skipped == {bo.id}


def test_the_number_from_the_list_works_without_its_hash_unless_a_name_holds_it(store):
    sam = add(store, "Sam Lee")
    agent = add(store, "Agent 1")
    assert (sam.id, agent.id) == (1, 2)
    assert find_by_query(store, "2") == agent  # no name holds "2": the list's number
    assert find_by_query(store, "1") == agent  # "Agent 1" holds "1": a name comes first
    assert find_by_query(store, f"#{sam.id}") == sam
    with pytest.raises(InputError, match="no one matches '7'"):
        find_by_query(store, "7")
