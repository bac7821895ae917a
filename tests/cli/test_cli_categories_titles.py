"""``unscroll categories test`` is the daemon's observe step: the same titles give the same stored rows.

Every window of tests/data/titles/wild.toml is shown to the real sampling job (a fake
desktop focusing each in turn, a real store, the config read from a real file) and given
to ``unscroll categories test --json``; what the job stored must be what the command says
would be stored. Then the command's words for private, excluded, cleaned and cut titles,
and the one-line errors for a bad ``mastodon_instances`` entry.
"""

from __future__ import annotations

import json

import pytest

from monitor.core.settings import load_settings
from monitor.core.settings_watch import SettingsWatcher
from monitor.daemon import sampling_job
from monitor.store.database import Store
from monitor.tracking.platforms.base import ActiveWindow
from tests.cli.test_cli_categories_budget import one_line_error
from tests.conftest import write_config
from tests.tracking.test_wild_titles import WILD, window_title

# exclusions and private windows are part of the step: both sides must honour them
CONFIG = WILD["config"] + '[tracking]\nexclude_titles = ["(?i)bank statement"]\n'
EXTRA = [("firefox", "My bank statement - Facebook — Mozilla Firefox"),
         ("firefox", "Facebook — Mozilla Firefox Private Browsing"),
         ("signal-desktop", "Signal — Sam")]
WINDOWS = [(row["app"], window_title(row)) for row in WILD["window"]] + EXTRA


class ShowEachWindow:
    """A desktop that focuses the given windows in turn, with a plain editor between them.

    The editor in between keeps two equal observations (two private windows) from merging
    into one span, so the job stores one span per window, in order.
    """

    name = "fake"

    def __init__(self, windows: list[tuple[str, str]]) -> None:
        self.shown = [ActiveWindow(app, title, 100 + n) for n, (app, title) in enumerate(windows)]
        self.samples = 0

    def active_window(self) -> ActiveWindow:
        index, between = divmod(self.samples, 2)
        self.samples += 1
        return ActiveWindow("gedit", f"notes {index}.txt - gedit", 1) if between else self.shown[index]

    def idle_seconds(self) -> float:
        return 0.0

    def close(self) -> None:
        pass


def stored_by_the_job(user_paths) -> list[tuple[str, str | None, str, str]]:
    """Run the sampling job over every window; the spans it stored (editor spans left out)."""
    desktop = ShowEachWindow(WINDOWS)
    now = [1_800_000_000.0]
    job = sampling_job.SamplingJob(SettingsWatcher(load_settings(user_paths)),
                                   platform_opener=lambda: desktop, clock=lambda: now[0])
    try:
        for _ in range(2 * len(WINDOWS)):
            job.tick()
            now[0] += 1.0
    finally:
        job.close()
    with Store(user_paths.database) as store:
        rows = store.connection.execute("SELECT app, title, category, name FROM spans ORDER BY start_utc")
        return [tuple(row) for row in rows if row[0] != "gedit"]


def test_categories_test_agrees_with_the_sampling_job(run, user_paths):
    write_config(user_paths, CONFIG)
    stored = stored_by_the_job(user_paths)
    assert len(stored) == len(WINDOWS)
    for (app, title), (job_app, job_title, job_category, job_name) in zip(WINDOWS, stored, strict=True):
        code, out, err = run("categories", "test", title, "--app", app, "--json")
        assert code == 0, err
        said = json.loads(out)
        assert (said["app"], said["stored_title"], said["category"], said["name"]) == (
            job_app, job_title, job_category, job_name), (app, title[:80])
    assert ("firefox", "[excluded]", "social", "[excluded]") in stored
    assert ("firefox", None, "social", "firefox (private window)") in stored


def test_categories_test_says_what_is_stored(run, user_paths):
    write_config(user_paths, CONFIG)
    code, out, _ = run("categories", "test", "Is Python dying? : Python — Mozilla Firefox")
    assert code == 0
    assert "category: social" in out
    assert "name:     Reddit" in out
    assert "title '.+ : (r/)?[a-z0-9_]{2,21}' matched 'Is Python dying? : Python'" in out
    assert "stored:   'Is Python dying? : Python — Mozilla Firefox'" in out

    code, out, _ = run("categories", "test", "\u202bFacebook\u202c — Mozilla Firefox")
    assert "stored:   'Facebook — Mozilla Firefox' (invisible marks" in out
    assert "name:     Facebook" in out

    code, out, _ = run("categories", "test", "Post " + "blah " * 400 + "end - Reddit - Mozilla Firefox")
    assert "name:     Reddit" in out
    assert "- Reddit - Mozilla Firefox' (cut in its middle)" in out

    code, out, _ = run("categories", "test", "Facebook — Mozilla Firefox Private Browsing")
    assert "category: social" in out
    assert "name:     firefox (private window)" in out
    assert "stored:   no title (a private window" in out

    code, out, _ = run("categories", "test", "My bank statement - Facebook — Mozilla Firefox")
    assert "stored:   [excluded] (the title matches tracking.exclude_titles)" in out
    assert "name:     [excluded]" in out  # the site's name would tell what the title was

    code, out, _ = run("categories", "test", "Instagram", "--app", "ApplicationFrameHost.exe")
    assert "rule:     Instagram (shipped rule" in out
    assert "hosted 'instagram' matched 'Instagram'" in out


def test_categories_test_with_titles_off(run, user_paths):
    write_config(user_paths, "[tracking]\nstore_titles = false\n")
    code, out, _ = run("categories", "test", "Home - Fosstodon — Mozilla Firefox", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["category"], data["name"], data["stored_title"]) == ("social", "firefox", None)
    assert data["match"]["kind"] == "title"
    _, out, _ = run("categories", "test", "Home - Fosstodon — Mozilla Firefox")
    assert "stored:   no title (tracking.store_titles is off)" in out


def test_categories_list_shows_titles_and_instances(run, user_paths):
    write_config(user_paths, WILD["config"])
    code, out, _ = run("categories", "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert "Example Social" in data["mastodon_instances"]
    assert "fosstodon.org" in data["mastodon_instances"]
    assert "applicationframehost" in data["app_hosts"]
    reddit = next(rule for rule in data["rules"] if rule["name"] == "Reddit")
    assert reddit["titles"]
    code, out, _ = run("categories", "list")
    assert "Mastodon instances:" in out


@pytest.mark.parametrize(("entries", "shown"), [
    ('["https://mastodon.example/"]', "'https://mastodon.example/'"),
    ('["Home - Fosstodon"]', "'Home - Fosstodon'"),
    ('["@me@example.social"]', "'@me@example.social'"),
    ('["ok.example", ""]', "''"),
    ('"mastodon.example"', "expected a list"),
    ("[3]", "expected a list"),
])
def test_a_bad_mastodon_instance_is_one_line(run, user_paths, entries, shown):
    write_config(user_paths, f"[categories]\nextra = []\nmastodon_instances = {entries}\n")
    code, _, err = run("categories", "test", "Home - Fosstodon")
    line = one_line_error(code, err)
    assert f"{user_paths.config_file}, line 3: categories.mastodon_instances" in line
    assert shown in line
    if "expected" not in shown:
        assert 'like "mastodon.social"' in line
