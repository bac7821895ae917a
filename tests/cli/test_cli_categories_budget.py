"""``unscroll categories`` and ``unscroll budget``, run through the real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from datetime import datetime, timedelta

import pytest

from monitor.core.days import day_start, local_zone
from monitor.core.settings import load_settings
from monitor.store.database import Store
from tests.conftest import write_config
from tests.helpers import assert_private


def one_line_error(code: int, err: str) -> str:
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("unscroll: ")
    return lines[0]


# --- categories test / list ---------------------------------------------------------------

def test_categories_test_prints_category_name_and_rule(run):
    code, out, _ = run("categories", "test", "(3) Facebook — Mozilla Firefox", "--app", "firefox")
    assert code == 0
    assert "category: social" in out
    assert "name:     Facebook" in out
    assert "Facebook (shipped rule" in out
    assert "site 'facebook' matched 'Facebook'" in out


def test_categories_test_json(run):
    code, out, _ = run("categories", "test", "(12) Feed | LinkedIn - Brave", "--app", "brave",
                       "--json")
    assert code == 0
    data = json.loads(out)
    assert data["category"] == "social"
    assert data["name"] == "LinkedIn"
    assert data["browser"] is True
    assert data["match"]["kind"] == "site"
    assert data["match"]["matched"] == "LinkedIn"


def test_categories_test_not_a_browser(run):
    code, out, _ = run("categories", "test", "facebook-notes.txt", "--app", "evince", "--json")
    assert code == 0
    data = json.loads(out)
    # the daemon's observe step: an uncategorized window is named by its title when kept
    assert (data["category"], data["name"], data["rule"], data["match"]) == (
        "uncategorized", "facebook-notes.txt", None, None)
    code, out, _ = run("categories", "test", "facebook-notes.txt", "--app", "evince")
    assert "not a browser" in out


def test_categories_test_takes_the_app_before_the_title(run):
    code, out, _ = run("categories", "test", "slack", "general - Acme - Slack", "--json")
    assert code == 0, out
    shown = json.loads(out)
    assert (shown["app"], shown["title"], shown["category"]) == ("slack", "general - Acme - Slack", "work")
    _, title_only, _ = run("categories", "test", "general - Acme - Slack", "--json")
    assert json.loads(title_only)["app"] == "firefox"


def test_categories_test_with_an_unquoted_title_says_to_quote_it(run):
    code, _, err = run("categories", "test", "firefox", "Home", "-", "Mastodon")
    assert code == 2
    assert "expected [APP] TITLE: put a title with spaces in quotes" in err
    code, _, err = run("categories", "test", "slack", "general", "--app", "slack")
    assert code == 2
    assert "expected [APP] TITLE" in err


def test_categories_test_uses_the_users_rules(run, user_paths):
    write_config(user_paths, '[categories]\nextra = ["study"]\n[[categories.rules]]\n'
                             'name = "Lectures"\ncategory = "study"\nsites = ["youtube"]\n')
    code, out, _ = run("categories", "test", "Calculus - YouTube — Mozilla Firefox")
    assert code == 0
    assert "category: study" in out
    assert "Lectures (your rule 1)" in out


def test_categories_bad_rule_is_one_line_error(run, user_paths):
    write_config(user_paths, '[[categories.rules]]\nname = "Bad"\ncategory = "social"\n'
                             'sites = ["(unclosed"]\n')
    code, _, err = run("categories", "test", "x")
    line = one_line_error(code, err)
    assert str(user_paths.config_file) in line
    assert "'Bad'" in line
    assert "regular expression" in line


def test_categories_list(run, user_paths):
    write_config(user_paths, '[categories]\ndisable = ["TikTok"]\n[[categories.rules]]\n'
                             'name = "Anki"\ncategory = "work"\napps = ["anki"]\n')
    code, out, _ = run("categories", "list")
    assert code == 0
    assert "yours 1" in out
    assert "Anki" in out
    assert "Facebook" in out
    assert "Switched off: TikTok" in out
    code, out, _ = run("categories", "list", "--json")
    data = json.loads(out)
    assert data["rules"][0]["name"] == "Anki"
    assert "TikTok" not in [rule["name"] for rule in data["rules"]]
    assert "firefox" in data["browsers"]


# --- categories recheck -------------------------------------------------------------------

def _spans(user_paths) -> list[tuple[str, str | None, str, str]]:
    with Store(user_paths.database) as store:
        rows = store.connection.execute(
            "SELECT app, title, category, name FROM spans ORDER BY id").fetchall()
    return [tuple(row) for row in rows]


def test_categories_recheck_updates_spans_in_bulk(run, user_paths):
    settings = load_settings(user_paths)
    zone = local_zone()
    today = datetime.now(zone).date()
    start_today = day_start(today, settings.day_starts_at, zone)
    old = start_today - 3 * 86400
    with Store(user_paths.database) as store:
        for offset in range(300):
            store.insert_span(old + offset * 10, old + offset * 10 + 5, "firefox",
                              "(3) Facebook — Mozilla Firefox", "uncategorized", "firefox", "pc")
        store.insert_span(start_today + 60, start_today + 90, "firefox",
                          "(3) Facebook — Mozilla Firefox", "uncategorized", "firefox", "pc")
        store.insert_span(start_today + 100, start_today + 120, "firefox", None,
                          "uncategorized", "firefox", "pc")
        store.insert_span(start_today + 130, start_today + 150, "gedit", "notes.txt - gedit",
                          "work", "Text editor", "pc")

    code, out, _ = run("categories", "recheck", "--since", today.isoformat())
    assert code == 0
    assert "Rechecked 3 spans" in out
    assert "1 changed" in out
    spans = _spans(user_paths)
    assert spans[0][2:] == ("uncategorized", "firefox")  # before --since: untouched
    assert spans[300][2:] == ("social", "Facebook")
    assert spans[301][2:] == ("uncategorized", "firefox")
    assert spans[302][2:] == ("work", "Text editor")

    code, out, _ = run("categories", "recheck")
    assert code == 0
    assert "Rechecked 303 spans" in out
    assert "300 changed" in out
    assert all(span[2:] == ("social", "Facebook") for span in _spans(user_paths)[:301])

    # rules change: the user moves Facebook into a category of their own
    write_config(user_paths, '[categories]\nextra = ["family"]\n[[categories.rules]]\n'
                             'name = "Family group"\ncategory = "family"\nsites = ["facebook"]\n')
    code, out, _ = run("categories", "recheck")
    assert "301 changed" in out
    assert _spans(user_paths)[0][2:] == ("family", "Family group")


def test_categories_recheck_bad_date(run):
    code, _, err = run("categories", "recheck", "--since", "last tuesday")
    line = one_line_error(code, err)
    assert "'last tuesday' is not a date like" in line


# --- budget show / set / unset ------------------------------------------------------------

def test_budget_show_defaults_and_overrides(run, user_paths):
    code, out, _ = run("budget", "show")
    assert code == 0
    assert "social" in out
    assert "30 m" in out
    assert "2 h 00 m" in out
    write_config(user_paths, '[budgets]\nsocial = "45m"\n[budgets.weekend]\nsocial = "1h"\n'
                             '[budgets.sat]\nvideo = "2h"\n')
    code, out, _ = run("budget", "show")
    assert "Weekend" in out
    assert "Sat" in out
    code, out, _ = run("budget", "show", "--json")
    data = json.loads(out)
    assert data["daily"] == {"total": 7200.0, "social": 2700.0}
    assert data["overrides"] == {"weekend": {"social": 3600.0}, "sat": {"video": 7200.0}}
    assert set(data["today"]) >= {"total", "social"}


COMMENTED = """\
# My unscroll settings
[tracking]
sample_every = "2s"  # keep the default

[budgets]
# social media, the big one
social = "30m"  # half an hour
total = "3h"

[prompts]
# not at night
quiet_hours = "22:00-08:00"
"""


def test_budget_set_preserves_comments(run, user_paths):
    write_config(user_paths, COMMENTED)
    code, out, _ = run("budget", "set", "social", "45m")
    assert code == 0
    assert "45m (was 30m)" in out
    text = user_paths.config_file.read_text(encoding="utf-8")
    for comment in ("# My unscroll settings", "# keep the default", "# social media, the big one",
                    "# not at night"):
        assert comment in text
    assert 'social = "45m"' in text
    assert text.replace('social = "45m"', 'social = "30m"') == COMMENTED
    assert load_settings(user_paths).budgets.daily["social"] == timedelta(minutes=45)

    code, _, _ = run("budget", "set", "video", "1h30m", "--day", "weekend")
    assert code == 0
    data = tomllib.loads(user_paths.config_file.read_text(encoding="utf-8"))
    assert data["budgets"]["weekend"] == {"video": "1h30m"}
    assert data["prompts"]["quiet_hours"] == "22:00-08:00"
    assert "# social media, the big one" in user_paths.config_file.read_text(encoding="utf-8")


def test_budget_set_creates_a_private_file_in_a_private_folder(run, user_paths):
    assert not user_paths.config_file.parent.exists()
    code, _, _ = run("budget", "set", "total", "2h30m", "--day", "Saturday")
    assert code == 0
    assert_private(user_paths.config_file)
    assert_private(user_paths.config_file.parent)
    data = tomllib.loads(user_paths.config_file.read_text(encoding="utf-8"))
    assert data == {"budgets": {"sat": {"total": "2h30m"}}}


def test_budget_set_keeps_a_symlinked_config_a_symlink(run, user_paths, tmp_path):
    real = tmp_path / "dotfiles" / "unscroll.toml"
    real.parent.mkdir()
    real.write_text(COMMENTED, encoding="utf-8")
    user_paths.config_file.parent.mkdir(parents=True)
    user_paths.config_file.symlink_to(real)
    code, _, _ = run("budget", "set", "social", "20m")
    assert code == 0
    assert user_paths.config_file.is_symlink()
    assert 'social = "20m"  # half an hour' in real.read_text(encoding="utf-8")


def test_budget_set_for_an_extra_category(run, user_paths):
    write_config(user_paths, '[categories]\nextra = ["study"]\n')
    code, _, _ = run("budget", "set", "study", "2h")
    assert code == 0
    assert load_settings(user_paths).budgets.daily["study"] == timedelta(hours=2)


@pytest.mark.parametrize(("args", "expected"), [
    (("social", "thirty minutes"),
     "unscroll: budget: 'thirty minutes' is not a duration like 90s, 30m, 1h30m"),
    (("social", "-5m"), "unscroll: budget: '-5m' is not a duration like"),
    (("social", "30"), "unscroll: budget: '30' is not a duration like"),
    (("social", "2d"), "longer than a day"),
    (("sociall", "30m"), "unscroll: budget: 'sociall' is not a category; did you mean social? Accepted: "
                         "social, video"),
    (("social", "30m", "--day", "holiday"), "unscroll: budget: --day 'holiday' is not one of"),
])
def test_budget_set_bad_input_is_one_line_and_changes_nothing(run, user_paths, args, expected):
    write_config(user_paths, COMMENTED)
    code, out, err = run("budget", "set", *args)
    line = one_line_error(code, err)
    assert line.startswith(expected) or expected in line, line
    assert out == ""
    assert user_paths.config_file.read_text(encoding="utf-8") == COMMENTED


def test_budget_set_on_a_broken_config_names_it(run, user_paths):
    write_config(user_paths, "[budgets\nsocial = 1\n")
    code, _, err = run("budget", "set", "social", "30m")
    line = one_line_error(code, err)
    assert str(user_paths.config_file) in line
    assert "not valid TOML" in line
    assert user_paths.config_file.read_text(encoding="utf-8") == "[budgets\nsocial = 1\n"


def test_budget_unset(run, user_paths):
    write_config(user_paths, COMMENTED + '\n[budgets.sat]\nsocial = "1h"\n')
    code, out, _ = run("budget", "unset", "social", "--day", "sat")
    assert code == 0
    assert "was 1h" in out
    data = tomllib.loads(user_paths.config_file.read_text(encoding="utf-8"))
    assert "sat" not in data["budgets"]
    # the shipped defaults hold a social budget: unsetting it writes "" so none remains
    code, out, _ = run("budget", "unset", "social")
    assert code == 0
    assert "No budget for social any more (was 30m)" in out
    assert "social" not in load_settings(user_paths).budgets.daily
    assert "# social media, the big one" in user_paths.config_file.read_text(encoding="utf-8")
    code, out, _ = run("budget", "unset", "video")
    assert code == 0
    assert "No budget for video every day to remove." in out


def test_real_process_exit_code_and_single_line(user_paths):
    env = dict(os.environ, UNSCROLL_CONFIG=str(user_paths.config_file),
               UNSCROLL_DATA_DIR=str(user_paths.data_dir))
    result = subprocess.run([sys.executable, "-m", "monitor", "budget", "set", "social",
                             "thirty minutes"], capture_output=True, text=True, env=env,
                            check=False, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "unscroll: budget: 'thirty minutes' is not a duration like 90s, 30m, 1h30m, 2d or 2w "
        "(units w, d, h, m, s)"]
    assert not user_paths.config_file.exists()
