"""The daemon's reload: a bad edit is ridden out on the last good settings, logged once, and told."""

from __future__ import annotations

import logging
import os
from datetime import date, timedelta

from monitor.core.settings import load_settings
from monitor.core.settings_watch import SettingsWatcher
from monitor.tracking.categories import load_rules
from tests.conftest import write_config

FRIDAY = date(2026, 11, 27)


def save(user_paths, text: str, bump: int) -> None:
    """Write the config file with an mtime of its own (saves within one clock tick look alike)."""
    write_config(user_paths, text)
    stamp = user_paths.config_file.stat().st_mtime + bump
    os.utime(user_paths.config_file, (stamp, stamp))


def test_a_bad_edit_is_ridden_out_logged_once_and_told(user_paths, caplog):
    save(user_paths, '[budgets]\nsocial = "20m"\n', 0)
    told: list[str | None] = []
    watcher = SettingsWatcher(load_settings(user_paths), on_outcome=told.append)
    assert watcher.poll() is False  # nothing changed yet
    caplog.set_level(logging.INFO, logger="monitor.core.settings_watch")

    save(user_paths, '[budgets]\nsocail = "25m"\n', 1)
    assert watcher.poll() is False
    assert watcher.settings.budgets.for_day(FRIDAY)["social"] == timedelta(minutes=20)
    assert watcher.problem is not None
    assert "line 2: budgets.socail" in watcher.problem
    assert "did you mean social?" in watcher.problem
    save(user_paths, '# still wrong\n[budgets]\nsocail = "25m"\n', 2)  # another save, another line
    assert watcher.poll() is False
    save(user_paths, '# still wrong\n[budgets]\nsocail = "25m"\n\n', 3)  # the same error again
    assert watcher.poll() is False
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 2, [record.getMessage() for record in errors]  # line 2, then line 3
    assert all("keeping the last good settings" in record.getMessage() for record in errors)
    assert told == [told[0], told[1], told[1]]
    assert "line 3" in (told[1] or "")

    save(user_paths, '[budgets]\nsocial = "25m"\n', 4)
    assert watcher.poll() is True
    assert watcher.problem is None
    assert told[-1] is None
    assert watcher.settings.budgets.for_day(FRIDAY)["social"] == timedelta(minutes=25)


def test_the_further_check_vets_the_category_rules_too(user_paths):
    save(user_paths, '[budgets]\nsocial = "20m"\n', 0)
    watcher = SettingsWatcher(load_settings(user_paths), check=load_rules)
    save(user_paths, '[budgets]\nsocial = "10m"\n[[categories.rules]]\nname = "Bad"\ncategory = "social"\n'
                     'sites = ["(unclosed"]\n', 1)
    assert watcher.poll() is False
    assert "regular expression" in (watcher.problem or "")
    assert watcher.settings.budgets.for_day(FRIDAY)["social"] == timedelta(minutes=20)


def test_a_removed_file_brings_back_the_defaults(user_paths):
    save(user_paths, '[budgets]\nsocial = "20m"\n', 0)
    told: list[str | None] = []
    watcher = SettingsWatcher(load_settings(user_paths), on_outcome=told.append)
    user_paths.config_file.unlink()
    assert watcher.poll() is True
    assert told == [None]
    assert watcher.settings.budgets.for_day(FRIDAY)["social"] == timedelta(minutes=30)
