"""``unscroll status``: the daemon, today against the budgets, snoozes, settings and missed notices."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from monitor.cli.daemon_commands import status_lines
from monitor.core.days import day_of, day_start
from monitor.core.settings import load_settings
from monitor.core.vocabulary import DELIVERED_DESKTOP, DELIVERED_LOG, MORE, NOT_TODAY, OVER, WARN
from monitor.daemon.lock import InstanceLock
from monitor.daemon.settings_record import SettingsReporter, read_settings_record
from monitor.daemon.status_report import gather_status
from monitor.doorway.standing import DoorwayStanding, write_standing
from monitor.nudge.policy import Snooze
from monitor.nudge.prompt_log import add_snooze
from monitor.store.database import Store
from monitor.store.prompts import record_delivery, record_prompt
from tests.conftest import write_config

BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = 60.0
CONFIG = '[budgets]\nsocial = "30m"\nvideo = "1h"\ntotal = "2h"\n'


def at(day: date, clock: str) -> float:
    hours, minutes = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=BERLIN).timestamp()


def fill_day(user_paths, day: date, zone=BERLIN) -> float:
    """Social 35 m, video 10 m, work 20 m from the start of ``day``; snoozes; two notices. Returns now."""
    start = day_start(day, load_settings(user_paths).day_starts_at, zone)
    now = start + 4 * 3600
    with Store(user_paths.database) as store:
        offset = start + 600
        for category, minutes in (("social", 35), ("video", 10), ("work", 20)):
            store.insert_span(offset, offset + minutes * MINUTE, "firefox", None, category, category, "pc")
            offset += minutes * MINUTE + 60
        moment = datetime.fromtimestamp(now - 1800, zone)
        add_snooze(store, day, Snooze.more("video", moment, 10 * MINUTE))   # 15 m of use left
        add_snooze(store, day, Snooze.more("work", moment, 0.0))            # spent: 20 m used
        add_snooze(store, day, Snooze.more("social", moment, 31 * MINUTE))
        add_snooze(store, day, Snooze.rest_of_day("social", moment))
        with store.transaction():
            missed = record_prompt(store, at=now - 900, day=day, kind=OVER, category="social",
                                   message="Social: 31 m of your 30 m today\nTime for something else?")
            record_delivery(store, missed, DELIVERED_LOG)
            shown = record_prompt(store, at=now - 1200, day=day, kind=WARN, category="social",
                                  message="Social: 5 m left of 30 m\nHeads-up")
            record_delivery(store, shown, DELIVERED_DESKTOP)
    return now


def test_today_against_each_budget_snoozes_and_missed_notices(user_paths):
    write_config(user_paths, CONFIG)
    day = date(2026, 11, 27)
    now = fill_day(user_paths, day)
    report = gather_status(user_paths, now, BERLIN)
    assert report.day == day
    assert not report.daemon.running
    assert [(b.category, b.used_s / MINUTE, b.budget_s / MINUTE, b.over) for b in report.budgets] == [
        ("social", 35.0, 30.0, True), ("video", 10.0, 60.0, False), ("total", 65.0, 120.0, False)]
    assert [(s.category, s.action) for s in report.snoozes] == [("social", NOT_TODAY), ("video", MORE)]
    video = report.snoozes[1]
    assert video.use_left_s == 15 * MINUTE
    assert video.earliest_end == now + 15 * MINUTE
    assert report.snoozes[0].use_left_s is None
    assert report.missed_notices is not None
    assert [(n.kind, n.title) for n in report.missed_notices] == [(OVER, "Social: 31 m of your 30 m today")]
    assert report.settings.error is None
    assert report.settings.daemon_file is None


def test_status_reads_without_creating_anything(user_paths):
    report = gather_status(user_paths, at(date(2026, 11, 27), "12:00"), BERLIN)
    assert not user_paths.data_dir.exists()
    assert [(b.category, b.used_s) for b in report.budgets] == [("social", 0.0), ("total", 0.0)]
    assert report.snoozes == ()
    assert report.missed_notices == ()
    assert not report.settings.exists


def test_a_zero_budget_is_over_at_the_first_second_only(user_paths):
    write_config(user_paths, '[budgets]\nsocial = "0"\nnews = "0s"\n')
    day = date(2026, 11, 27)
    now = fill_day(user_paths, day)
    standings = {b.category: b.over for b in gather_status(user_paths, now, BERLIN).budgets}
    assert standings["social"] is True
    assert standings["news"] is False  # nothing of it used


def test_the_error_the_daemon_rides_out(user_paths):
    write_config(user_paths, CONFIG)
    lock = InstanceLock(user_paths.lock_file)
    assert lock.acquire()  # this process stands in for the daemon: the lock is what status reads
    try:
        clock = iter([1000.0, 2000.0, 3000.0, 4000.0]).__next__
        reporter = SettingsReporter(user_paths.database, user_paths.config_file, clock=clock)
        reporter.started()
        write_config(user_paths, '[budgets]\nsocail = "30m"\n')
        problem = "the file's error, as the daemon's watcher saw it"
        reporter(problem)
        reporter(problem)  # the same error after another save: since stays
        report = gather_status(user_paths, 5000.0, BERLIN)
    finally:
        lock.release()
    standing = report.settings
    assert report.daemon.running
    assert (standing.daemon_file, standing.daemon_loaded_at) == (str(user_paths.config_file), 1000.0)
    assert (standing.ridden_out, standing.ridden_out_since) == (problem, 2000.0)
    assert standing.error is not None
    assert "line 2: budgets.socail" in standing.error
    assert report.day is None
    assert report.budgets == ()


def test_a_good_reload_clears_the_record(user_paths):
    clock = iter([10.0, 20.0, 30.0]).__next__
    reporter = SettingsReporter(user_paths.database, user_paths.config_file, clock=clock)
    reporter.started()
    reporter("broken")
    reporter(None)
    with Store(user_paths.database) as store:
        record = read_settings_record(store)
    assert record is not None
    assert (record.loaded_at, record.problem, record.problem_since) == (30.0, None, None)


# --- the command -----------------------------------------------------------------------------

@pytest.fixture
def berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")


def today_in_berlin(user_paths) -> date:
    return day_of(datetime.now(BERLIN).timestamp(), load_settings(user_paths).day_starts_at, BERLIN)


def test_status_command_text(run, user_paths, berlin):
    write_config(user_paths, CONFIG)
    fill_day(user_paths, today_in_berlin(user_paths))
    code, out, err = run("status")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "unscroll is not running. Start it with: unscroll start"
    assert lines[1].startswith("Today (")
    assert lines[1].endswith("), against your budgets:")
    assert lines[2].split() == ["social", "35", "m", "of", "30", "m", "over", "by", "5", "m"]
    assert lines[3].split() == ["video", "10", "m", "of", "1", "h", "00", "m", "50", "m", "left"]
    assert lines[4].split() == ["total", "1", "h", "05", "m", "of", "2", "h", "00", "m", "55", "m", "left"]
    assert lines[5] == "Snoozed:"
    assert lines[6].startswith('  social: "Not today" (chosen at ')
    assert lines[6].endswith("): no more notices about it today.")
    assert lines[7].startswith('  video: "15 more minutes" (chosen at ')
    assert lines[7].endswith(", after 15 m more of it.")
    assert f"Settings: {user_paths.config_file}" in lines
    assert "Notifications: 1 missed today (no notification service showed them):" in lines
    assert any(line.endswith(" Social: 31 m of your 30 m today") for line in lines)
    assert lines[-1] == f"Data: {user_paths.database}"


def test_status_command_json_keeps_the_daemon_keys_and_adds_the_day(run, user_paths, berlin):
    write_config(user_paths, CONFIG)
    fill_day(user_paths, today_in_berlin(user_paths))
    code, out, _ = run("status", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"running", "pid", "paused_until", "last_sample_at", "database", "log_file"} <= set(data)
    assert data["day"] == today_in_berlin(user_paths).isoformat()
    assert data["budgets"][0] == {"category": "social", "used_seconds": 2100.0, "budget_seconds": 1800.0,
                                  "over": True}
    assert [(s["category"], s["action"]) for s in data["snoozes"]] == [("social", NOT_TODAY),
                                                                      ("video", MORE)]
    assert data["settings"]["file"] == str(user_paths.config_file)
    assert [n["kind"] for n in data["missed_notifications"]] == [OVER]


def test_status_command_with_a_broken_config_says_so_and_still_answers(run, user_paths):
    write_config(user_paths, '[budgets]\nsocail = "30m"\n')
    code, out, err = run("status")
    assert (code, err) == (0, "")
    assert "Today against your budgets: not shown while your settings have an error (below)." in out
    assert f"  Error: {user_paths.config_file}, line 2: budgets.socail:" in out
    code, out, _ = run("status", "--json")
    assert json.loads(out)["settings"]["error"].startswith(f"{user_paths.config_file}, line 2")


def test_the_doorway_unavailable_and_a_continue_period(user_paths):
    write_config(user_paths, CONFIG + '[doorway]\nafter_away = "5m"\n')
    day = date(2026, 11, 27)
    now = fill_day(user_paths, day)
    with Store(user_paths.database) as store:
        write_standing(store, DoorwayStanding("Tk is not available (No module named '_tkinter')",
                                              now - 600, {"social": now + 300, "video": now - 60}))
    report = gather_status(user_paths, now, BERLIN)
    doorway = report.to_dict()["doorway"]
    assert doorway["when"] == "always"
    assert doorway["after_away_seconds"] == 300.0
    assert doorway["unavailable"].startswith("Tk is not available")
    lines = status_lines(report, now, BERLIN)
    text = "\n".join(lines)
    assert "Doorway: before social, after 5 m away from it." in text
    assert "Unavailable since" in text
    assert "Tk is not available" in text
    assert 'social: "Continue" until' in text
    assert "video" not in text.split("Doorway:")[1]  # its period is over


def test_the_doorway_off_is_said_so(user_paths):
    write_config(user_paths, CONFIG + '[doorway]\nwhen = "off"\n')
    now = fill_day(user_paths, date(2026, 11, 27))
    report = gather_status(user_paths, now, BERLIN)
    assert report.to_dict()["doorway"]["when"] == "off"
    assert 'Doorway: off ([doorway] when = "off").' in status_lines(report, now, BERLIN)
