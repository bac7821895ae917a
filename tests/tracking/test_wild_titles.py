"""Wild window titles (issue 19) through the daemon's observe step, from tests/data/titles/wild.toml.

Old Reddit, Mastodon by instance name or domain, 9GAG, VK, Threads, Bluesky, the
Windows Store apps, right-to-left and zero-width marks, and titles far over the stored
limit: each row is a window, what is stored for it is compared with the table.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from monitor.core.settings import load_settings
from monitor.tracking.categories import load_rules
from monitor.tracking.observe import examine
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.titles import INVISIBLE, TITLE_LIMIT
from tests.conftest import write_config

TABLE = Path(__file__).resolve().parent.parent / "data" / "titles" / "wild.toml"
WILD = tomllib.loads(TABLE.read_text(encoding="utf-8"))


def window_title(row: dict[str, Any]) -> str:
    """The row's title: written out, or built as before + middle * times + after."""
    if "title" in row:
        return str(row["title"])
    return str(row["before"]) + str(row["middle"]) * int(row["times"]) + str(row["after"])


ROWS = [pytest.param(row, id=row["why"]) for row in WILD["window"]]


@pytest.fixture(scope="module")
def observed_with(tmp_path_factory):
    """The rules and tracking settings of the table's own config.toml."""
    from monitor.core.paths import Paths

    folder = tmp_path_factory.mktemp("wild")
    paths = Paths(config_file=folder / "config.toml", data_dir=folder / "data")
    write_config(paths, WILD["config"])
    settings = load_settings(paths)
    return load_rules(settings), settings.tracking


def test_the_table_covers_every_case_of_the_issue():
    whys = " ".join(row["why"] for row in WILD["window"]).lower()
    for case in ("old reddit", "mastodon", "9gag", "vk", "threads", "bluesky", "whatsapp",
                 "telegram", "messenger", "instagram", "right-to-left", "zero-width", "20,000 spaces",
                 "2,000-character", "private"):
        assert case in whys, case


@pytest.mark.parametrize("row", ROWS)
def test_wild_title_through_observe(observed_with, row):
    rules, tracking = observed_with
    title = window_title(row)
    seen = examine(ActiveWindow(row["app"], title, 7), rules, tracking)
    stored = seen.observation
    assert (stored.category, stored.name) == (row["category"], row["name"])
    if row.get("kept", True) is False:
        assert stored.title is None
        return
    assert stored.title is not None
    assert len(stored.title) <= TITLE_LIMIT
    assert not INVISIBLE.search(stored.title)
    assert "  " not in stored.title
    if "stored" in row:
        assert stored.title == row["stored"]
    if "starts" in row:
        assert len(title) > TITLE_LIMIT
        assert stored.title.startswith(row["starts"])
        assert stored.title.endswith(row["ends"])
        assert "…" in stored.title
    # what is stored classifies the same again (a recheck of the stored span agrees)
    assert rules.classify(stored.app, stored.title).category == stored.category
