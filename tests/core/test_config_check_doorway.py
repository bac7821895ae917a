"""``[doorway] categories`` naming an unknown category (issue #21, item 2's Deliver: "a budget, doorway or
prompts key"): refused by ``config check`` in one line, and ridden out by the daemon's reload."""

from __future__ import annotations

import os
from datetime import date, timedelta

from monitor.core.settings import load_settings
from monitor.core.settings_watch import SettingsWatcher
from tests.conftest import write_config

FRIDAY = date(2026, 11, 27)
KNOWN = ("Known categories: social, video, messaging, news, work, uncategorized, total (declare your "
         "own with [categories] extra = [...])")


def test_config_check_names_the_doorway_key_its_line_and_the_category_meant(run, user_paths):
    write_config(user_paths, '[doorway]\nwhen = "always"\ncategories = ["social", "vidoe"]\n')
    code, out, err = run("config", "check")
    assert (code, out) == (1, "")
    assert err == (f"unscroll: {user_paths.config_file}, line 3: doorway.categories: 'vidoe' is not a "
                   f"category; did you mean video? {KNOWN}\n")
    write_config(user_paths, '[doorway]\ncategories = ["social", "video"]\n')
    assert run("config", "check")[0] == 0


def test_the_daemons_reload_rides_out_an_unknown_doorway_category(user_paths):
    write_config(user_paths, '[budgets]\nsocial = "20m"\n[doorway]\ncategories = ["social"]\n')
    told: list[str | None] = []
    watcher = SettingsWatcher(load_settings(user_paths), on_outcome=told.append)
    write_config(user_paths, '[budgets]\nsocial = "10m"\n[doorway]\ncategories = ["socal"]\n')
    stamp = user_paths.config_file.stat().st_mtime + 1
    os.utime(user_paths.config_file, (stamp, stamp))
    assert watcher.poll() is False
    assert watcher.settings.doorway.categories == ("social",)
    assert watcher.settings.budgets.for_day(FRIDAY)["social"] == timedelta(minutes=20)
    assert told == [watcher.problem]
    assert (watcher.problem or "").startswith(f"{user_paths.config_file}, line 4: doorway.categories: "
                                              "'socal' is not a category; did you mean social?")
