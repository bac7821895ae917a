"""Settings: defaults, key-by-key overrides, and errors that name the file and key."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, time, timedelta

import pytest

from monitor.core.errors import ConfigError
from monitor.core.paths import resolve_paths
from monitor.core.settings import load_settings
from tests.conftest import write_config


def test_defaults_without_a_user_file(user_paths):
    settings = load_settings(user_paths)
    assert settings.tracking.sample_every == timedelta(seconds=2)
    assert settings.tracking.idle_after == timedelta(minutes=3)
    assert settings.tracking.store_titles is True
    assert settings.day_starts_at == time(4, 0)
    assert settings.budgets.for_day(date(2026, 11, 27)) == {
        "total": timedelta(hours=2), "social": timedelta(minutes=30)}


def test_user_file_overrides_key_by_key(user_paths):
    write_config(user_paths, '[tracking]\nsample_every = "1s"\n[budgets]\nsocial = "45m"\n'
                             '[budgets.weekend]\nsocial = "1h"\n')
    settings = load_settings(user_paths)
    assert settings.tracking.sample_every == timedelta(seconds=1)
    assert settings.tracking.idle_after == timedelta(minutes=3)
    assert settings.budgets.for_day(date(2026, 11, 27))["social"] == timedelta(minutes=45)
    assert settings.budgets.for_day(date(2026, 11, 28))["social"] == timedelta(hours=1)


@pytest.mark.skipif(sys.platform != "linux", reason="XDG variables count on Linux only")
def test_xdg_variables_are_honoured():
    paths = resolve_paths({"XDG_CONFIG_HOME": "/x/conf", "XDG_DATA_HOME": "/x/data"})
    assert str(paths.config_file) == "/x/conf/unscroll/config.toml"
    assert str(paths.data_dir) == "/x/data/unscroll"


@pytest.mark.parametrize(("text", "expected"), [
    ('[tracking\nsample_every = "2s"\n', ["not valid TOML", "line 1"]),
    ('[tracking]\nsample_evry = "2s"\n', ["tracking.sample_evry", "unknown key", "sample_every"]),
    ('[tracking]\nsample_every = "two seconds"\n', ["tracking.sample_every", "1h30m"]),
    ('[tracking]\nsample_every = 2\n', ["tracking.sample_every", "in quotes"]),
    ('[budgets]\nsocial = "thirty minutes"\n', ["budgets.social", "1h30m"]),
    ('[budgets]\nsocial = "-5m"\n', ["budgets.social"]),
    ('[day]\nstarts_at = "25:00"\n', ["day.starts_at", "HH:MM"]),
    ('[prompts]\nquiet_hours = "late"\n', ["prompts.quiet_hours", "22:00-08:00"]),
    ('[tracking]\nexclude_titles = ["("]\n', ["tracking.exclude_titles", "regular expression"]),
    ('[trackin]\n', ["trackin", "unknown section"]),
    ('[budgets.holiday]\nsocial = "1h"\n', ["budgets.holiday", "weekend"]),
])
def test_bad_config_names_file_key_and_what_is_accepted(user_paths, text, expected):
    write_config(user_paths, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(user_paths)
    message = str(caught.value)
    assert str(user_paths.config_file) in message
    for part in expected:
        assert part in message


@pytest.mark.parametrize("command", [["config", "check"], ["start"]])
def test_cli_reports_bad_config_in_one_line_with_exit_1(user_paths, command):
    write_config(user_paths, '[tracking]\nidle_after = "soon"\n')
    result = subprocess.run([sys.executable, "-m", "monitor", *command], capture_output=True,
                            text=True, env=dict(os.environ), timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(user_paths.config_file) in lines[0]
    assert "tracking.idle_after" in lines[0]
    assert not user_paths.lock_file.exists() or result.stdout == ""
