"""Keys that name categories: a misspelt or unknown one is refused with its file, line and a guess."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from monitor.core.config_check import (
    KnownCategories,
    check_category_names,
    closest_category,
    key_line,
    known_categories,
)
from monitor.core.errors import ConfigError
from monitor.core.paths import shipped_file
from monitor.core.settings import load_settings, read_toml
from tests.conftest import write_config

SHIPPED = ("social", "video", "messaging", "news", "work")
FRIDAY = date(2026, 11, 27)


def refused(user_paths, text: str) -> str:
    write_config(user_paths, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(user_paths)
    return caught.value.message


def test_the_known_categories_are_the_shipped_ones_the_users_extra_uncategorized_and_total():
    shipped = read_toml(shipped_file("categories.toml"))
    known = known_categories(shipped, {"extra": ["study", " family "]})
    assert known.names == (*SHIPPED, "study", "family", "uncategorized", "total")
    assert known.rule_categories["tiktok"] == "social"
    assert known.rule_categories["youtube"] == "video"
    assert "web search" not in known.rule_categories  # a rule counting as uncategorized explains nothing
    # what is malformed adds nothing here: the category rules report it
    assert known_categories(shipped, {"extra": "study"}).names == (*SHIPPED, "uncategorized", "total")
    assert known_categories(shipped, []).names == (*SHIPPED, "uncategorized", "total")


def test_a_misspelt_budget_names_file_line_key_the_likely_category_and_the_known_ones(user_paths):
    message = refused(user_paths, '# my settings\n[budgets]\ntotal = "3h"\nsocail = "30m"\n')
    assert message.startswith(f"{user_paths.config_file}, line 4: budgets.socail: ")
    assert "'socail' is not a category; did you mean social?" in message
    assert "Known categories: social, video, messaging, news, work, uncategorized, total" in message
    assert "[categories] extra" in message
    assert "\n" not in message


def test_a_rule_name_as_budget_says_which_category_counts_it(user_paths):
    message = refused(user_paths, '[budgets]\ntotal = "3h"\n\n[budgets.weekend]\n  tiktok = "10m"\n')
    assert message.startswith(f"{user_paths.config_file}, line 5: budgets.weekend.tiktok: ")
    assert "'tiktok' is not a category but the name of a rule that counts as social" in message
    assert "did you mean social?" in message


def test_an_unknown_category_without_a_close_one_lists_the_known_ones(user_paths):
    message = refused(user_paths, 'budgets = { games = "1h" }\n')
    assert message.startswith(f"{user_paths.config_file}, line 1: budgets.games: 'games' is not a "
                              "category. Known categories: social,")


def test_a_dotted_budget_key_is_found_on_its_line(user_paths):
    message = refused(user_paths, '# budgets first\nbudgets.vidoe = "1h"\n[tracking]\nsample_every = "2s"\n')
    assert message.startswith(f"{user_paths.config_file}, line 2: budgets.vidoe: 'vidoe' is not a "
                              "category; did you mean video?")


def test_a_prompts_key_naming_an_unknown_category_is_refused(user_paths):
    message = refused(user_paths, '[prompts]\nsuggest_people_on = ["social", "mesaging"]\n')
    assert message.startswith(f"{user_paths.config_file}, line 2: prompts.suggest_people_on: ")
    assert "'mesaging' in" not in message
    assert "'mesaging' is not a category; did you mean messaging?" in message


def test_the_users_own_categories_and_total_are_accepted(user_paths):
    write_config(user_paths, '[categories]\nextra = ["study"]\n[budgets]\nstudy = "2h"\ntotal = "4h"\n'
                             'uncategorized = "1h"\n[budgets.sat]\nstudy = "30m"\n'
                             '[prompts]\nsuggest_people_on = ["social", "study", "total"]\n')
    settings = load_settings(user_paths)
    assert settings.budgets.daily["study"] == timedelta(hours=2)
    assert settings.budgets.for_day(date(2026, 11, 28))["study"] == timedelta(minutes=30)
    assert settings.prompts.suggest_people_on == ("social", "study", "total")


def test_zero_is_no_time_at_all_written_any_way(user_paths):
    write_config(user_paths, '[budgets]\nsocial = "0"\nvideo = 0\nnews = "0s"\nwork = "0m"\n')
    budgets = load_settings(user_paths).budgets.for_day(FRIDAY)
    assert {name: budgets[name] for name in ("social", "video", "news", "work")} == dict.fromkeys(
        ("social", "video", "news", "work"), timedelta(0))
    message = refused(user_paths, '[budgets]\nsocial = "30"\n')
    assert "budgets.social" in message
    assert "1h30m" in message
    message = refused(user_paths, "[budgets]\nsocial = false\n")
    assert "budgets.social" in message


def test_the_check_serves_any_key_that_lists_categories(tmp_path: Path):
    """``[doorway] categories`` goes through the same function (tests/core/test_config_check_doorway.py)."""
    config = tmp_path / "config.toml"
    config.write_text('[doorway]\n# the doors\ncategories = ["social", "vidoes"]\n', encoding="utf-8")
    known = KnownCategories(("social", "video", "total"))
    check_category_names(["social", "video"], known, file=config, key=("doorway", "categories"))
    with pytest.raises(ConfigError) as caught:
        check_category_names(["social", "vidoes"], known, file=config, key=("doorway", "categories"))
    assert caught.value.message.startswith(
        f"{config}, line 3: doorway.categories: 'vidoes' is not a category; did you mean video? "
        "Known categories: social, video, total")


@pytest.mark.parametrize(("text", "key", "line"), [
    ('[budgets]\nsocial = "1h"\n', ("budgets", "social"), 2),
    ('[budgets.weekend]\nsocial = "1h"\n[budgets]\nsocial = "2h"\n', ("budgets", "social"), 4),
    ('[budgets.weekend]\nsocial = "1h"\n', ("budgets", "weekend", "social"), 2),
    ('[ budgets . "weekend" ]  # sat and sun\n"social" = "1h"\n', ("budgets", "weekend", "social"), 2),
    ('budgets.weekend.social = "1h"\n', ("budgets", "weekend", "social"), 1),
    ('[budgets]\nweekend.social = "1h"\n', ("budgets", "weekend", "social"), 2),
    ('x = 1\nbudgets = { total = "1h", social = "1h" }\n', ("budgets", "social"), 2),
    ('[budgets]\ntotal = "1h"\n', ("budgets", "social"), None),
])
def test_key_line_follows_tables_and_dotted_keys(tmp_path: Path, text: str, key: tuple[str, ...],
                                                 line: int | None):
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    assert key_line(config, key) == line


def test_key_line_of_a_missing_file_is_none(tmp_path: Path):
    assert key_line(tmp_path / "nowhere.toml", ("budgets", "social")) is None


def test_closest_category():
    known = (*SHIPPED, "uncategorized", "total")
    assert closest_category("socail", known) == "social"
    assert closest_category("Social ", known) == "social"
    assert closest_category("totl", known) == "total"
    assert closest_category("games", known) is None


@pytest.mark.parametrize("command", [["config", "check"], ["budget", "show"], ["today"]])
def test_commands_refuse_a_misspelt_budget_in_one_line(user_paths, command):
    write_config(user_paths, '[budgets]\nsocail = "30m"\n')
    result = subprocess.run([sys.executable, "-m", "monitor", *command], capture_output=True, text=True,
                            env=dict(os.environ), timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (f"unscroll: {user_paths.config_file}, line 2: budgets.socail: 'socail' is "
                             "not a category; did you mean social? Known categories: social, video, "
                             "messaging, news, work, uncategorized, total (declare your own with "
                             "[categories] extra = [...])\n")
