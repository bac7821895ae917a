"""What a new user meets in the first hour: pause, zero budgets, export --since, a read-only folder."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.core.days import clock_text, day_of, day_start, local_zone
from monitor.core.paths import Paths
from monitor.core.settings import load_settings
from monitor.store.database import Store
from monitor.tracking.pause import paused_until

WEEKDAY = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"


def one_line_error(code: int, err: str) -> str:
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("unscroll: ")
    return lines[0]


def stored_pause(paths: Paths) -> float | None:
    if not paths.database.exists():
        return None
    with Store(paths.database) as store:
        return paused_until(store)


# --- pause ------------------------------------------------------------------------------------

def test_pause_for_days_prints_the_date_and_time_it_ends(run, user_paths):
    before = time.time()
    code, out, err = run("pause", "2d")
    assert (code, err) == (0, "")
    until = stored_pause(user_paths)
    assert until is not None
    assert before + 2 * 86400 <= until <= time.time() + 2 * 86400
    assert re.fullmatch(rf"Tracking paused until {WEEKDAY} \d{{1,2}} {MONTH} \d\d:\d\d\.\n", out), out
    assert out == f"Tracking paused until {clock_text(until, until - 2 * 86400, local_zone())}.\n"


def test_pause_within_today_prints_the_time_alone(run, user_paths):
    code, out, _ = run("pause", "90s")
    assert code == 0
    until = stored_pause(user_paths)
    assert until is not None
    expected = clock_text(until, until - 90, local_zone())  # a date only when 90 s cross midnight
    assert out == f"Tracking paused until {expected}.\n"
    assert re.fullmatch(r"\d\d:\d\d", expected) or expected.startswith(("Mon", "Tue", "Wed", "Thu", "Fri",
                                                                        "Sat", "Sun"))


@pytest.mark.parametrize("duration", ["0s", "0", "0m", " 0h0m "])
def test_pause_for_no_time_is_refused_and_pauses_nothing(run, user_paths, duration):
    code, out, err = run("pause", duration)
    line = one_line_error(code, err)
    assert line == (f"unscroll: pause: {duration!r} is no time at all; give a duration longer than zero, "
                    "like 30m, 2h or 2d (or none: until `unscroll resume`)")
    assert out == ""
    assert stored_pause(user_paths) is None


@pytest.mark.parametrize("text", ["a while", "-5m", "-0s"])
def test_pause_with_a_word_is_refused_naming_what_is_accepted(run, user_paths, text):
    code, _, err = run("pause", text)  # -5m too: one line, not click's usage for an unknown option
    assert one_line_error(code, err) == (f"unscroll: pause: {text!r} is not a duration longer than zero, "
                                         "like 30m, 2h or 2d (or none: until `unscroll resume`)")
    assert stored_pause(user_paths) is None


# --- budget set 0 -----------------------------------------------------------------------------

@pytest.mark.parametrize("zero", ["0", "0s"])
def test_budget_zero_and_zero_seconds_are_the_same(run, user_paths, zero):
    code, out, err = run("budget", "set", "social", zero)
    assert (code, err) == (0, "")
    assert out.startswith("Budget for social every day: 0s (was 30m). Saved in ")
    assert 'social = "0s"' in user_paths.config_file.read_text(encoding="utf-8")
    assert load_settings(user_paths).budgets.daily["social"] == timedelta(0)


def test_budget_set_help_says_what_zero_means(run):
    code, out, _ = run("budget", "set", "--help")
    assert code == 0
    assert "0 (or 0s) means no time at all" in " ".join(out.split())


def test_budget_set_suggests_the_category_meant(run, user_paths):
    code, _, err = run("budget", "set", "socail", "10m")
    assert "did you mean social?" in one_line_error(code, err)
    assert not user_paths.config_file.exists()


# --- export --since ---------------------------------------------------------------------------

def _export_rows(run, *args: str) -> list[dict[str, str]]:
    code, out, err = run("export", *args)
    assert (code, err) == (0, ""), err
    return list(csv.DictReader(io.StringIO(out)))


def test_export_since_takes_the_words_forget_and_people_take(run, user_paths):
    settings = load_settings(user_paths)
    zone = local_zone()
    today = day_of(time.time(), settings.day_starts_at, zone)
    with Store(user_paths.database) as store:
        for days_ago, app in ((0, "today-app"), (1, "yesterday-app"), (3, "older-app"), (9, "oldest-app")):
            start = day_start(today - timedelta(days=days_ago), settings.day_starts_at, zone) + 600
            store.insert_span(start, start + 60, app, None, "work", app, "pc")
    by_words = {text: [row["app"] for row in _export_rows(run, "--since", text)]
                for text in ("yesterday", "today", "3d ago", "1w ago", "YESTERDAY")}
    assert by_words["yesterday"] == by_words["YESTERDAY"] == ["yesterday-app", "today-app"]
    assert by_words["today"] == ["today-app"]
    assert by_words["3d ago"] == ["older-app", "yesterday-app", "today-app"]
    assert by_words["1w ago"] == by_words["3d ago"]
    iso = [row["app"] for row in _export_rows(run, "--since", (today - timedelta(days=1)).isoformat())]
    assert iso == by_words["yesterday"]


def test_export_since_nonsense_is_one_line(run):
    code, _, err = run("export", "--since", "last week")
    assert one_line_error(code, err) == ("unscroll: export: --since 'last week' is not a date like "
                                         "2026-03-01, today, yesterday, 3d ago or 2w ago")


# --- a data folder that cannot be written -----------------------------------------------------

@pytest.fixture
def read_only_data_folder(user_paths) -> Iterator[Path]:
    """The data folder, with a database in it, made read-only for this user.

    As root, chmod stops nothing, so the folder is made immutable (``chattr +i``); as
    anyone else the folder is given away... which needs root too, so there its parent
    is made read-only and the data folder is missing: it cannot be created.
    """
    if os.geteuid() != 0:
        user_paths.data_dir.parent.chmod(0o500)
        try:
            yield user_paths.data_dir.parent
        finally:
            user_paths.data_dir.parent.chmod(0o700)
        return
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    with Store(user_paths.database) as store, store.transaction():
        store.set_state("probe", "1")
    made = subprocess.run(["chattr", "+i", str(user_paths.data_dir)], capture_output=True, text=True,
                          check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot make a folder immutable here: {made.stderr.strip()}")
    try:
        yield user_paths.data_dir
    finally:
        subprocess.run(["chattr", "-i", str(user_paths.data_dir)], check=True)


@pytest.mark.parametrize("command", [["pause", "10m"], ["resume"], ["today"], ["status"],
                                     ["export"]])
def test_a_read_only_data_folder_is_one_line_naming_it_and_what_to_do(run, user_paths,
                                                                      read_only_data_folder, command):
    code, out, err = run(*command)
    line = one_line_error(code, err)
    assert line.startswith(f"unscroll: {user_paths.data_dir}: the data folder ")
    assert "UNSCROLL_DATA_DIR" in line
    assert "unable to open database file" not in line
    assert out == ""


def test_a_read_only_database_file_is_named_too(run, user_paths):
    """A database file left by ``sudo unscroll …``: owned by root, read-only for the user."""
    if os.geteuid() == 0:
        pytest.skip("root writes a read-only file anyway: as another user (setpriv) below")
    with Store(user_paths.database):
        pass
    user_paths.database.chmod(0o400)
    code, _, err = run("pause", "10m")
    line = one_line_error(code, err)
    assert line.startswith(f"unscroll: {user_paths.database}: the database file is read-only for you")


def test_a_data_folder_of_another_user_is_named(tmp_path):
    """Run as nobody (setpriv) against a data folder and database that root left behind."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the command as another user")
    with tempfile.TemporaryDirectory(prefix="unscroll-test-") as shared:  # pytest's own is root's alone
        paths = Paths(config_file=Path(shared) / "config.toml", data_dir=Path(shared) / "data")
        Path(shared).chmod(0o755)
        with Store(paths.database) as store, store.transaction():
            store.set_state("probe", "1")
        paths.data_dir.chmod(0o755)
        paths.database.chmod(0o644)
        env = {**os.environ, "UNSCROLL_CONFIG": str(paths.config_file),
               "UNSCROLL_DATA_DIR": str(paths.data_dir)}
        for command in (["pause", "10m"], ["today"], ["status"]):
            result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                     sys.executable, "-m", "monitor", *command],
                                    capture_output=True, text=True, env=env, timeout=60, check=False)
            line = one_line_error(result.returncode, result.stderr)
            assert line == (f"unscroll: {paths.data_dir}: the data folder is read-only for you, so the "
                            "database cannot be kept there; make it yours and writable (e.g. `sudo chown "
                            f"-R $USER {paths.data_dir}`), or set UNSCROLL_DATA_DIR to a folder you can "
                            "write")
        with Store(paths.database) as store:
            assert store.get_state("probe") == "1"  # nothing stored is lost
