"""A big import's rows planned by a process of their own: the same rows, and nothing stored when it fails."""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

import psutil
import pytest

from monitor.core.errors import InputError
from monitor.history import activitywatch, aw_planner, planner_pipes
from monitor.history.activitywatch import import_activitywatch
from monitor.history.aw_planner import PlannerFailed
from monitor.store.database import Store
from monitor.store.rollup_check import check_rollups
from tests.history.aw_generated import mixed_export, write_json
from tests.history.test_activitywatch import BERLIN
from tests.history.test_aw_stream import stored_rows

FIRST = datetime.fromisoformat("2026-10-08T13:17:00+00:00").timestamp()


@pytest.fixture(autouse=True)
def _streamed_and_planned_apart(monkeypatch):
    """These files are small: without this they would be read whole, and planned here."""
    monkeypatch.setattr(activitywatch, "WHOLE_FILE_BYTES", 0)
    monkeypatch.setattr(activitywatch, "PLANNER_BYTES", 0)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    return write_json(tmp_path_factory.mktemp("aw") / "mixed.json", mixed_export(7, FIRST, 28, ids=True))


@pytest.fixture
def planners(monkeypatch) -> list[aw_planner.Planner]:
    """Every planner started, as it is started."""
    started: list[aw_planner.Planner] = []
    real = aw_planner.Planner.__init__

    def starting(self, order, path):
        real(self, order, path)
        started.append(self)
    monkeypatch.setattr(aw_planner.Planner, "__init__", starting)
    return started


@pytest.fixture
def no_children_left():
    """Asks whether every process this test started has ended (other tests' may still run)."""
    before = {child.pid for child in psutil.Process().children()}

    def ended() -> bool:
        return not [child for child in psutil.Process().children()
                    if child.pid not in before and child.status() != psutil.STATUS_ZOMBIE]
    return ended


@pytest.fixture
def planned_here(settings, mixed, user_paths, monkeypatch, planners):
    """The rows and report of ``mixed`` imported with every week planned in the importing process."""
    with Store(user_paths.database.with_name("here.sqlite3")) as here:
        monkeypatch.setattr(activitywatch, "PLANNER_BYTES", 1 << 40)
        report = import_activitywatch(here, mixed, settings, zone=BERLIN)
        rows = stored_rows(here)
    monkeypatch.setattr(activitywatch, "PLANNER_BYTES", 0)
    assert planners == []
    assert len(rows) > 5000
    return rows, report


@pytest.mark.parametrize("helping", ["never", "always", "when idle"])
def test_the_planner_plans_the_rows_this_process_would(settings, store, mixed, planners, planned_here,
                                                        monkeypatch, no_children_left, helping):
    # the importing process plans a week itself whenever the planner's next one is not ready: never (the
    # planner's always are), always (they never are: it plans all but the weeks first asked), or as it happens
    if helping != "when idle":
        monkeypatch.setattr(planner_pipes.Answers, "ready", lambda answers: helping == "never")
    weeks_here: list[int] = []
    real_plan_week = activitywatch.plan_week

    def plan_week(*args, **kwargs):
        weeks_here.append(args[3])
        return real_plan_week(*args, **kwargs)
    monkeypatch.setattr(activitywatch, "plan_week", plan_week)
    stages = []
    report = import_activitywatch(store, mixed, settings, zone=BERLIN,
                                  progress=lambda *stage: stages.append(stage))
    expected, whole = planned_here
    assert len(planners) == 1
    assert stored_rows(store) == expected
    assert check_rollups(store) == []  # rolled up where planned, as the store would have
    if helping == "never":
        assert weeks_here == []
    if helping == "always":  # the last week first; the first four were asked of the planner
        assert weeks_here == [4]
    for name in ("buckets", "events", "spans_added", "skipped", "devices", "first_utc", "last_utc"):
        assert getattr(report, name) == getattr(whole, name), name
    for name in ("seconds_added", "away_seconds", "background_tab_seconds", "forgotten_seconds"):
        # added up week by week in two processes: in another order, so to the nanosecond
        assert getattr(report, name) == pytest.approx(getattr(whole, name), abs=1e-9), name
    storing = [stage for stage in stages if stage[0] == "storing"]
    assert [done for _, done, _ in storing] == [1, 2, 3, 4, 5]  # four weeks and a bit, a week at a time
    assert {total for _, _, total in storing} == {5}
    assert no_children_left()
    assert import_activitywatch(store, mixed, settings, zone=BERLIN).spans_added == 0


def test_a_planner_killed_before_it_plans_fails_the_import_and_stores_nothing(settings, store, mixed,
                                                                              planners, no_children_left):
    def kill_when_read(stage, done, total):
        if stage == "reading" and done == total and planners[0]._process.returncode is None:
            os.kill(planners[0]._process.pid, signal.SIGKILL)
            planners[0]._process.wait()
    with pytest.raises(PlannerFailed) as failed:
        import_activitywatch(store, mixed, settings, zone=BERLIN, progress=kill_when_read)
    assert str(failed.value) == (f"{mixed}: nothing was imported: the process planning its rows ended early "
                                 f"(exit code {-signal.SIGKILL}); importing it again starts afresh")
    assert stored_rows(store) == []
    assert not list(store.path.parent.glob("import-*"))
    assert no_children_left()


def test_an_import_stopped_while_its_planner_plans_ends_it_at_once(settings, store, mixed, planners,
                                                                   monkeypatch, no_children_left):
    monkeypatch.setattr(planner_pipes, "ANSWERS_AHEAD", 1)  # the planner soon waits for its weeks to be taken
    monkeypatch.setattr(aw_planner, "STOP_WAITING_S", 600.0)  # were it waited for, the test would time out

    def stop_after_the_first_week(stage, done, total):
        if stage == "storing":
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        import_activitywatch(store, mixed, settings, zone=BERLIN, progress=stop_after_the_first_week)
    assert planners[0]._process.returncode == -signal.SIGKILL
    assert stored_rows(store) == []
    assert no_children_left()


def test_a_planner_that_fails_says_why_and_nothing_is_stored(settings, store, mixed, caplog,
                                                             no_children_left):
    def remove_scratch_when_read(stage, done, total):
        if stage == "reading" and done == total and (scratch := list(store.path.parent.glob("import-*"))):
            scratch[0].unlink()  # this process keeps it open; the planner cannot open it
    with pytest.raises(PlannerFailed, match=r"mixed\.json: nothing was imported: planning its rows failed "
                                            r"\(sqlite3\.OperationalError: unable to open database file\)"):
        import_activitywatch(store, mixed, settings, zone=BERLIN, progress=remove_scratch_when_read)
    assert "Traceback" in caplog.text
    assert stored_rows(store) == []
    assert no_children_left()


def test_a_planner_that_cannot_start_leaves_the_planning_here(settings, store, mixed, monkeypatch, caplog):
    monkeypatch.setattr(sys, "executable", str(Path(sys.executable).with_name("no-such-python")))
    with caplog.at_level(logging.WARNING, logger="monitor.history.aw_planner"):
        report = import_activitywatch(store, mixed, settings, zone=BERLIN)
    assert report.spans_added > 5000
    assert "planning in this process: a planning process could not be started" in caplog.text


def test_a_broken_file_ends_its_planner(settings, store, tmp_path, planners, no_children_left):
    document = mixed_export(3, FIRST, 3)
    document["buckets"]["aw-watcher-window_laptop"]["events"][-1]["duration"] = "soon"
    path = write_json(tmp_path / "broken.json", document)
    with pytest.raises(InputError, match="duration is 'soon'"):
        import_activitywatch(store, path, settings, zone=BERLIN)
    assert len(planners) == 1
    assert planners[0]._process.returncode == 0  # told there was nothing to plan, it ended by itself
    assert no_children_left()



def test_a_zone_that_cannot_be_handed_over_is_planned_here(settings, store, mixed, planners, caplog,
                                                           user_paths):
    class OwnZone(tzinfo):
        """A time zone of the caller's own (two hours east, no daylight saving): local, so not pickled."""

        def utcoffset(self, moment):
            return timedelta(hours=2)

        def dst(self, moment):
            return timedelta(0)

    own, fixed = OwnZone(), timezone(timedelta(hours=2))
    with pytest.raises((pickle.PicklingError, TypeError, AttributeError)):
        pickle.dumps(own)
    with caplog.at_level(logging.INFO, logger="monitor.history.aw_planner"):
        report = import_activitywatch(store, mixed, settings, zone=own)
    assert planners == []
    assert "its time zone" in caplog.text
    with Store(user_paths.database.with_name("fixed.sqlite3")) as other:
        assert import_activitywatch(other, mixed, settings, zone=fixed).spans_added == report.spans_added
        assert stored_rows(other) == stored_rows(store)
    assert len(planners) == 1  # a zone that pickles is handed over
