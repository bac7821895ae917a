"""The tray process's worker on a real store: today into a view, and what each menu entry does.

The desktop's opener is a real stand-in for ``xdg-open`` on PATH that records what it was
asked to open; the rest is the real code on a real SQLite file.
"""

from __future__ import annotations

import os
import queue
import stat
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from monitor.core.days import day_of, local_zone, next_day_start
from monitor.core.settings import load_settings
from monitor.store.database import Store
from monitor.tracking.pause import paused_until
from monitor.tray.controller import MENU, RELOAD, TICK, TrayController
from monitor.tray.view import OVER, PAUSE_UNTIL_TOMORROW, QUIT, REPORT, RESUME, SETTINGS, person_of
from tests.conftest import write_config
from tests.helpers import wait_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the opener stand-in is a shell script")
MINUTE = 60.0
# the day starts twelve hours from now: the last few hours are today's whenever this runs
CONFIG = (f'[day]\nstarts_at = "{(datetime.now().hour + 12) % 24:02d}:00"\n'
          '[budgets]\nsocial = "30m"\ntotal = "2h"\n')
OPENER = "open" if sys.platform == "darwin" else "xdg-open"


NOW = time.time()


def add_use(paths, category: str, minutes: float, *, ending: float = NOW, name: str | None = None) -> None:
    with Store(paths.database) as store, store.transaction():
        store.insert_span(ending - minutes * MINUTE, ending, "firefox", None, category, name or category,
                          "pc")


class Tray:
    """The controller with what it shows and tells collected, and its event queue."""

    def __init__(self, paths, now: float = NOW) -> None:
        self.now = now
        self.views: list = []
        self.told: list = []
        self.events: queue.Queue[str] = queue.Queue()
        self.controller = TrayController(paths, self.views.append, self.told.append, self.events.put,
                                         clock=lambda: self.now)

    @property
    def view(self):
        return self.views[-1]


@pytest.fixture
def tray(user_paths):
    write_config(user_paths, CONFIG)
    add_use(user_paths, "social", 18, ending=NOW - 3600)
    add_use(user_paths, "work", 54, ending=NOW - 7200)
    made = Tray(user_paths)
    yield made
    made.controller.close()


@pytest.fixture
def opener(tmp_path, monkeypatch):
    """A recording ``xdg-open`` on PATH; returns the file it writes each target to."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "opened.txt"
    script = bin_dir / OPENER
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {record}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return record


def opened_line(record: Path) -> bool:
    """Whether the opener stand-in wrote a whole line (the shell makes the file before it writes)."""
    return record.exists() and record.read_text().endswith("\n")


def test_a_tick_shows_today_and_nothing_new_when_nothing_changed(tray):
    tray.controller.handle(TICK)
    assert len(tray.views) == 1
    assert tray.view.title == "Social 18 m of 30 m · Screen 1 h 12 m of 2 h 00 m"
    assert tray.view.level == 2
    tray.controller.handle(TICK)
    assert len(tray.views) == 1  # the same view is not shown twice


def test_the_next_tick_after_more_use_shows_it(tray, user_paths):
    tray.controller.handle(TICK)
    add_use(user_paths, "social", 12.5, ending=NOW)  # 30.5 of 30 minutes: spent
    tray.now = NOW + 2
    tray.controller.handle(TICK)
    assert tray.view.level == OVER
    assert tray.view.title.startswith("Social 30 m of 30 m")  # whole minutes from ten on, as in `today`
    assert any(entry.label == "Social  30 m of 30 m · over by 30 s" for entry in tray.view.menu)


def test_the_words_are_unscroll_todays(tray, run):
    code, out, _err = run("today")
    assert code == 0
    tray.controller.handle(TICK)
    for entry in tray.view.menu[:2]:
        name, words = entry.label.split("  ", 1)
        assert name.lower() in out
        for part in words.split(" · "):  # "18 m of 30 m" -> the table's "18 m" and "30 m"
            for piece in part.split(" of "):
                assert piece in out, (piece, out)


@pytest.mark.parametrize(("key", "length"), [("pause-30m", 1800.0), ("pause-1h", 3600.0)])
def test_pause_for_a_while_then_resume(tray, user_paths, key, length):
    tray.controller.handle(MENU + key)
    with Store(user_paths.database) as store:
        assert paused_until(store) == NOW + length
    assert tray.view.paused
    assert tray.view.title.startswith("Paused until ")
    tray.controller.handle(MENU + RESUME)
    with Store(user_paths.database) as store:
        assert paused_until(store) is None
    assert not tray.view.paused


def test_pause_until_tomorrow_ends_at_the_next_day_start(tray, user_paths):
    tray.controller.handle(MENU + PAUSE_UNTIL_TOMORROW)
    settings = load_settings(user_paths)
    with Store(user_paths.database) as store:
        until = paused_until(store)
    assert until == next_day_start(NOW, settings.day_starts_at, local_zone())
    assert day_of(until, settings.day_starts_at, local_zone()) == day_of(NOW, settings.day_starts_at,
                                                                           local_zone()) + timedelta(days=1)


def test_settings_file_is_made_private_and_opened(tray, user_paths, opener):
    user_paths.config_file.unlink()
    tray.controller.handle(MENU + SETTINGS)
    wait_until(lambda: opened_line(opener), timeout=10, message="the settings file to be opened")
    assert opener.read_text().split("\n")[0] == str(user_paths.config_file)
    assert user_paths.config_file.read_text().startswith("# Your unscroll settings")
    assert stat.S_IMODE(user_paths.config_file.stat().st_mode) == 0o600
    load_settings(user_paths)  # a valid (empty) file


def test_an_existing_settings_file_is_opened_untouched(tray, user_paths, opener):
    tray.controller.handle(MENU + SETTINGS)
    wait_until(lambda: opened_line(opener), timeout=10, message="the settings file to be opened")
    assert user_paths.config_file.read_text() == CONFIG


def test_this_weeks_report_is_drawn_and_opened(tray, user_paths, opener):
    tray.controller.handle(MENU + REPORT)
    wait_until(lambda: opened_line(opener), timeout=60, interval=0.2, message="the report to be opened")
    opened = opener.read_text().strip()
    assert opened.startswith(str(user_paths.reports_dir))
    assert opened.endswith(".png")
    assert Path(opened).stat().st_size > 10_000


def test_quit_asks_the_daemon_to_stop(tray):
    tray.controller.handle(MENU + QUIT)
    assert tray.told == [{"quit": True}]


def test_people_are_offered_by_their_buttons_words(tray, run):
    assert run("people", "add", "Sam Rivera", "--every", "1w", "--phone", "+44 20 7946 0000")[0] == 0
    assert run("people", "add", "Ana Okafor", "--every", "2w", "--email", "ana@example.org")[0] == 0
    tray.controller.handle(TICK)
    offered = [entry for entry in tray.view.menu if entry.key and person_of(entry.key) is not None]
    assert sorted(entry.label for entry in offered) == ["Call Sam", "Message Ana"]


def test_a_broken_settings_file_keeps_the_last_good_settings(tray, user_paths):
    tray.controller.handle(TICK)
    write_config(user_paths, '[budgets]\nsocial = "soon"\n')
    tray.controller.handle(RELOAD)
    assert tray.view.title.startswith("Social 18 m of 30 m")
    write_config(user_paths, CONFIG.replace('social = "30m"', 'social = "20m"'))
    tray.controller.handle(RELOAD)
    assert tray.view.title.startswith("Social 18 m of 20 m")
    assert tray.view.level == 3


def test_an_unknown_menu_key_changes_nothing(tray, user_paths):
    tray.controller.handle(MENU + "launch-rockets")
    with Store(user_paths.database) as store:
        assert paused_until(store) is None
    assert tray.told == []


def test_time_counted_while_watching_is_left_out_where_the_budgets_leave_it_out(user_paths):
    write_config(user_paths, CONFIG.replace('total = "2h"', 'total = "2h"\ncount_watching = false'))
    with Store(user_paths.database) as store, store.transaction():
        store.insert_span(NOW - 1800, NOW - 1200, "firefox", None, "social", "Facebook", "pc")
        store.insert_span(NOW - 1200, NOW, "firefox", None, "social", "YouTube", "pc", watching=True)
    tray = Tray(user_paths)
    try:
        tray.controller.handle(TICK)
    finally:
        tray.controller.close()
    assert tray.view.title == "Social 10 m of 30 m · Screen 10 m of 2 h 00 m"
    assert tray.view.level == 1
