"""The doorway's headline says why its first person is offered: a birthday, its eve, someone new."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from monitor.core.paths import Paths
from monitor.core.settings import Settings, load_settings
from monitor.daemon.doorway_job import DoorwayJob
from monitor.doorway.view import DoorwayPerson, DoorwayView
from monitor.doorway.wording import (
    BIRTHDAY,
    BIRTHDAY_EVE,
    BIRTHDAY_WITHOUT_PHONE,
    FIRST_CONTACT,
    PHRASINGS,
    headline,
)
from monitor.people import directory as people
from monitor.people.connect import PersonActions
from monitor.people.suggest import Occasion
from monitor.store.database import Store
from tests.conftest import write_config
from tests.doorway.test_wording import SHAMING

ZONE_NAME = "Europe/Berlin"
ZONE = ZoneInfo(ZONE_NAME)
NOON = datetime(2025, 5, 17, 12, 0, tzinfo=ZONE).timestamp()
NO_HOLD_BACK = "[experiment]\nhold_back = 0\n" if "experiment" in Settings.__dataclass_fields__ else ""
"""The hold-back experiment, where it exists, keeps a doorway in five off the screen: not here."""


def test_headlines_for_each_occasion():
    assert headline(5, "Sam", occasion=Occasion.BIRTHDAY) == BIRTHDAY.format(name="Sam")
    assert headline(5, "Sam", can_call=False, occasion=Occasion.BIRTHDAY) == \
        BIRTHDAY_WITHOUT_PHONE.format(name="Sam")
    assert headline(5, "Sam", occasion=Occasion.BIRTHDAY_EVE) == BIRTHDAY_EVE.format(name="Sam")
    firsts = {headline(turn, "Nadia", occasion=Occasion.FIRST_CONTACT) for turn in range(10)}
    assert firsts == {text.format(name="Nadia") for text in FIRST_CONTACT}
    ordinary = {p.text.format(name="Sam") for p in PHRASINGS}
    assert headline(3, "Sam", occasion="") == headline(3, "Sam") in ordinary
    assert headline(3, None, occasion=Occasion.BIRTHDAY) == headline(3, None)   # nobody: no name to say
    for text in (BIRTHDAY, BIRTHDAY_WITHOUT_PHONE, BIRTHDAY_EVE, *FIRST_CONTACT):
        assert "{name}" in text
        assert not SHAMING.search(text), text


def test_the_occasion_travels_to_the_window_and_back():
    person = DoorwayPerson(7, "Sam", "Call Sam", "Sam: their birthday is today.", "birthday")
    view = DoorwayView("It's Sam's birthday today", "Social: 3 min today · 1st visit today", 4, 60.0,
                       (300.0,), (person,))
    assert DoorwayView.from_json(json.loads(json.dumps(view.to_json()))) == view
    older = view.to_json()
    del older["people"][0]["occasion"]                     # from a window of before: no occasion
    assert DoorwayView.from_json(older).people[0].occasion == ""


class CapturingRunner:
    """Stands in for the window's child process: keeps the view instead of showing it."""

    def __init__(self) -> None:
        self.views: list[DoorwayView] = []
        self.running = False

    def open(self, view: DoorwayView, on_answer, on_unavailable) -> bool:
        self.views.append(view)
        return True

    def close(self) -> None:
        self.running = False


@pytest.fixture
def job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", ZONE_NAME)
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_config(paths, '[doorway]\nwhen = "always"\nafter_away = "10m"\n[day]\nstarts_at = "04:00"\n'
                 + NO_HOLD_BACK)
    settings = load_settings(paths)
    database = paths.database
    clock = lambda: NOON  # noqa: E731 - a fixed clock
    sampler = SimpleNamespace(minimise=lambda handle: None)
    notifier = SimpleNamespace(send=lambda notice: None)
    made = DoorwayJob(database, sampler, notifier, PersonActions(database, clock), lambda: settings, clock)
    runner = CapturingRunner()
    made.doorway.runner = runner
    with Store(database) as store:
        yield SimpleNamespace(job=made, runner=runner, store=store, settings=settings)


def arrive(job, at: float) -> DoorwayView:
    """Focus moves to a social window after a while away; the doorway opens."""
    job.job.check(job.store, job.settings, at, ZONE, None, None)
    job.job.check(job.store, job.settings, at + 1, ZONE, "social", "0x1")
    return job.runner.views[-1]


def test_a_birthday_leads_the_doorway_and_its_headline_says_so(job):
    people.add(job.store, "Often Due", now=NOON, every_days=3, last_talked=NOON - 30 * 86400,
               phones=["+49 30 901820"])
    sam = people.add(job.store, "Sam Rivera", now=NOON, birthday="1990-05-17", phones=["+1 555 555 0199"])
    view = arrive(job, NOON)
    assert view.headline == "It's Sam's birthday today: a call would make their day."
    assert [(p.name, p.occasion) for p in view.people][:2] == [("Sam Rivera", "birthday"), ("Often Due", "")]
    assert view.people[0].why == "Sam Rivera: their birthday is today (they turn 35)."
    recorded = job.store.connection.execute("SELECT message, person_id FROM prompts WHERE kind = 'doorway'")
    assert [tuple(row) for row in recorded] == [(view.headline, sam.id)]


def test_the_first_visit_of_the_day_offers_someone_new(job):
    people.add(job.store, "Often Due", now=NOON, every_days=3, last_talked=NOON - 30 * 86400)
    people.add(job.store, "Nadia Okafor", now=NOON, new=True, emails=["nadia@example.com"])
    view = arrive(job, NOON)
    assert view.people[0].name == "Nadia Okafor"
    assert view.people[0].occasion == "first-contact"
    assert view.headline in {text.format(name="Nadia") for text in FIRST_CONTACT}
