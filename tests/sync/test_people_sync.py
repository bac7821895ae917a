"""People across computers: added, edited, logged, deleted on one shows on another; the later change wins."""

from __future__ import annotations

import time
from datetime import date

import pytest

from monitor.people import directory
from monitor.store import sync_people
from monitor.store.database import Store
from monitor.sync.apply import Applying, apply_segment
from monitor.sync.segments import Segment
from tests.sync.world import Machine, machines_sharing


@pytest.fixture
def pair(tmp_path):
    with machines_sharing(tmp_path) as machines:
        yield machines


def settle(*machines: Machine) -> None:
    """Passes on every computer until each has read the others' news."""
    for _ in range(2):
        for machine in machines:
            machine.sync()


def person(machine: Machine, name: str):
    return directory.find_by_query(machine.store, name)


def talks(machine: Machine, name: str) -> list[tuple[float, str]]:
    return sorted((i.at, i.source) for i in directory.interactions_of(machine.store, person(machine, name)))


def test_added_edited_and_logged_on_one_shows_on_the_other(pair):
    laptop, desktop = pair
    now = time.time()
    ana = directory.add(laptop.store, "Ana Okafor", now=now, every_days=7, emails=["ana@example.org"],
                        last_talked=now - 40 * 86400)
    settle(laptop, desktop)
    seen = person(desktop, "Ana Okafor")
    assert (seen.every_days, seen.emails) == (7.0, ("ana@example.org",))
    assert seen.last_talked == pytest.approx(now - 40 * 86400)
    directory.edit(desktop.store, seen, notes="met at the climbing gym")
    directory.log_interaction(desktop.store, seen, at=now - 60, now=now, source="notification")
    settle(desktop, laptop)
    back = person(laptop, "Ana Okafor")
    assert back.id == ana.id
    assert back.notes == "met at the climbing gym"
    assert back.last_talked == pytest.approx(now - 60)


def test_both_logging_the_same_person_keeps_both(pair):
    laptop, desktop = pair
    now = time.time()
    directory.add(laptop.store, "Ben Moreau", now=now)
    settle(laptop, desktop)
    directory.log_interaction(laptop.store, person(laptop, "Ben Moreau"), at=now - 300, now=now, via="call")
    directory.log_interaction(desktop.store, person(desktop, "Ben Moreau"), at=now - 100, now=now, via="text")
    settle(laptop, desktop)
    assert talks(laptop, "Ben Moreau") == talks(desktop, "Ben Moreau") == [
        (pytest.approx(now - 300), "manual"), (pytest.approx(now - 100), "manual")]


def test_concurrent_edits_resolve_by_the_later_change_field_by_field(pair):
    laptop, desktop = pair
    now = time.time()
    directory.add(laptop.store, "Chidi Park", now=now)
    settle(laptop, desktop)
    directory.edit(laptop.store, person(laptop, "Chidi Park"), notes="from the laptop", every_days=14)
    time.sleep(0.05)
    directory.edit(desktop.store, person(desktop, "Chidi Park"), notes="from the desktop, later")
    settle(laptop, desktop)
    for machine in pair:
        chidi = person(machine, "Chidi Park")
        assert (chidi.notes, chidi.every_days) == ("from the desktop, later", 14.0)


def test_a_tie_goes_to_the_larger_device_id(tmp_path):
    with Store(tmp_path / "unscroll.sqlite3") as store:
        ana = directory.add(store, "Ana Okafor", now=1000.0)
        with store.transaction() as connection:
            sync_people.link(connection, "g-ana", ana.id)
            sync_people.save_field_records(connection, ana.id,
                                           {"notes": (sync_people.as_json(""), 500.0, "m" * 26)})
        for device, notes, kept in (("a" * 26, "smaller id", ""), ("z" * 26, "larger id", "larger id")):
            entry = {"t": "person", "gid": "g-ana", "fields": {"notes": [notes, 500.0, device]}}
            segment = Segment(device=device, name="other", first=1, last=1, level=0, full=False,
                              written_utc=0.0, entries=[entry])
            with store.transaction():
                apply_segment(store, segment, Applying(device=device, this_device="m" * 26, offset=0.0,
                                                       day_of=date.fromtimestamp))
            assert directory.get(store, ana.id).notes == kept


def test_deleted_on_one_is_deleted_on_the_other_and_stays_deleted(pair):
    laptop, desktop = pair
    now = time.time()
    directory.add(laptop.store, "Dana Lee", now=now, last_talked=now - 86400)
    settle(laptop, desktop)
    directory.remove(desktop.store, person(desktop, "Dana Lee"))
    settle(desktop, laptop)
    assert [p.name for p in directory.list_people(laptop.store, now=now)] == []
    settle(laptop, desktop)
    assert [p.name for p in directory.list_people(desktop.store, now=now)] == []


def test_the_same_person_added_on_both_before_syncing_is_one_person(pair):
    laptop, desktop = pair
    now = time.time()
    directory.add(laptop.store, "Eve Martin", now=now, emails=["eve@example.org"])
    directory.add(desktop.store, "eve martin", now=now + 1, phones=["+44 20 7946 0958"])
    settle(laptop, desktop)
    for machine in pair:
        [eve] = directory.list_people(machine.store, now=now)
        assert (eve.name.casefold(), eve.emails, eve.phones) == ("eve martin", ("eve@example.org",),
                                                                 ("+442079460958",))
