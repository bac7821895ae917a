"""``unscroll budget`` prints what it read as written, and refuses what ``config check`` refuses, alike.

Issue #21, items 2 and 8: the table is drawn with rich, so a config path or a name with
square brackets would otherwise be read as markup and partly swallowed; a settings file
that ``config check`` refuses (a category name that cannot be one) must not be shown as in
force; and ``budget set tiktok`` says what ``config check`` says of ``tiktok = "10m"``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_config


@pytest.fixture
def bracketed_config(user_paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file in a folder named ``[red]cfg``: markup, if rich were to read it."""
    config = tmp_path / "[red]cfg" / "config.toml"
    monkeypatch.setenv("UNSCROLL_CONFIG", str(config))
    config.parent.mkdir()
    config.write_text('[categories]\nextra = ["study"]\n[budgets]\nstudy = "1h"\n', encoding="utf-8")
    return config


def test_the_config_path_is_shown_as_written(run, bracketed_config):
    code, out, err = run("budget", "show")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].strip() == f"Budgets ({bracketed_config})"
    assert [line.split()[:3] for line in lines[2:]] == [
        ["social", "30", "m"], ["study", "1", "h"], ["total", "2", "h"]]


def test_budget_show_refuses_a_category_name_config_check_refuses(run, user_paths):
    write_config(user_paths, '[categories]\nextra = ["[b]study"]\n[budgets]\n"[b]study" = "1h"\n')
    shown = run("budget", "show")
    checked = run("config", "check")
    assert shown[0] == checked[0] == 1
    assert shown[1] == ""
    [line] = shown[2].strip().splitlines()
    assert line == checked[2].strip()
    assert line.startswith(f"unscroll: {user_paths.config_file}: categories.extra: '[b]study' cannot be "
                           "a category name")


@pytest.mark.parametrize("name", ["tiktok", "TikTok"])
def test_budget_set_and_config_check_say_the_same_of_a_rules_name(run, user_paths, name):
    code, out, err = run("budget", "set", name, "10m")
    assert (code, out) == (1, "")
    said = f"'{name}' is not a category but the name of a rule that counts as social; did you mean social?"
    assert err.startswith(f"unscroll: budget: {said} Accepted: social, video, ")
    assert len(err.strip().splitlines()) == 1
    assert not user_paths.config_file.exists()
    write_config(user_paths, f'[budgets]\n"{name}" = "10m"\n')
    code, _, err = run("config", "check")
    assert code == 1
    assert f"budgets.{name}: {said} Known categories: " in err
