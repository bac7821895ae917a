"""Title text: cleaning, cutting in the middle, page titles; rules on whole titles, app hosts, instances."""

from __future__ import annotations

import pytest

from monitor.core.errors import ConfigError
from monitor.core.settings import load_settings
from monitor.tracking.categories import HOSTED, TITLE, load_rules
from monitor.tracking.titles import (
    ALIGN_CHARS,
    TAIL_CHARS,
    clean_title,
    cut_middle,
    page_title,
    plain_text,
    title_parts,
)
from tests.conftest import write_config


@pytest.mark.parametrize(("raw", "clean"), [
    ("\u202bFacebook\u202c — Mozilla Firefox", "Facebook — Mozilla Firefox"),
    ("You\u200bTube\ufeff", "YouTube"),
    ("a\u2066b\u2069c\u200ed\u200ff\u061cg\u00adh", "abcdfgh"),
    ("tab\there\nnew\x00line", "tab here new line"),
    ("   many      spaces   ", "many spaces"),
    ("no\u00a0break\u3000ideographic", "no break ideographic"),
    ("lone \ud800 surrogate", "lone ? surrogate"),
    ("\u200f\u200e", ""),
])
def test_plain_text(raw, clean):
    assert plain_text(raw) == clean


def test_clean_title_is_none_for_nothing():
    assert clean_title(None) is None
    assert clean_title("\u200f \u202c\t") is None


def test_cut_middle_keeps_the_start_the_end_and_whole_words():
    title = "Why I quit " + "scrolling " * 200 + "for good - Reddit - Mozilla Firefox"
    cut = cut_middle(title, 1000)
    assert len(cut) <= 1000
    assert cut.startswith("Why I quit scrolling scrolling")
    assert cut.endswith("scrolling for good - Reddit - Mozilla Firefox")
    assert " … " in cut  # the cut falls between words
    assert cut.count("…") == 1
    assert len(cut) >= 1000 - 2 * ALIGN_CHARS
    tail = cut.split(" … ")[1]
    assert TAIL_CHARS - ALIGN_CHARS <= len(tail) < TAIL_CHARS
    assert cut_middle(cut, 1000) == cut


def test_cut_middle_without_spaces_cuts_exactly():
    title = "x" * 5000
    cut = cut_middle(title, 1000)
    assert cut == "x" * (1000 - 1 - TAIL_CHARS) + "…" + "x" * TAIL_CHARS
    assert cut_middle("short", 1000) == "short"
    assert cut_middle("abcdef", 1) == "…"


def test_page_title():
    assert page_title("(3) Is Python dying? : Python — Mozilla Firefox") == "Is Python dying? : Python"
    assert page_title("Home - Fosstodon - Google Chrome") == "Home - Fosstodon"
    assert page_title("Inbox and 2 more pages - Work - Microsoft\u200b Edge") == "Inbox - Work"
    assert page_title("Mozilla Firefox") == "Mozilla Firefox"
    assert page_title("") == ""
    assert title_parts("(3) Is Python dying? : Python — Mozilla Firefox") == ("Is Python dying?", "Python")


def test_title_parts_of_a_long_run_of_spaces():
    # issue 19: 20,000 spaces took seconds here; the split is now linear (benchmarks/title_bench.py)
    assert title_parts("a" + " " * 20_000 + "- b" + " " * 20_000 + "— Mozilla Firefox") == ("a", "b")


def rules_with(user_paths, text: str):
    write_config(user_paths, text)
    return load_rules(load_settings(user_paths))


def test_a_users_titles_rule_and_instances(user_paths):
    rules = rules_with(user_paths, """
[categories]
extra = ["study"]
mastodon_instances = ["Campus Social"]
[[categories.rules]]
name = "Lecture notes"
category = "study"
titles = ['lecture \\d+ : .+']
[[categories.rules]]
name = "Campus posts"
category = "study"
sites = ['{mastodon_instances} posts']
""")
    found = rules.explain("firefox", "(2) Lecture 12 : Graphs — Mozilla Firefox")
    assert found is not None
    assert (found.rule.name, found.kind, found.text) == ("Lecture notes", TITLE, "Lecture 12 : Graphs")
    assert rules.classify("firefox", "Campus Social posts — Mozilla Firefox").name == "Campus posts"
    assert rules.classify("firefox", "Home - Campus Social — Mozilla Firefox").name == "Mastodon"
    # a title rule is for browsers only
    assert rules.explain("evince", "Lecture 12 : Graphs") is None


def test_an_app_host_title_is_matched_against_apps(user_paths):
    rules = rules_with(user_paths, "")
    found = rules.explain("ApplicationFrameHost.exe", "Messenger")
    assert found is not None
    assert (found.rule.name, found.kind, found.text) == ("Messenger", HOSTED, "Messenger")
    assert found.from_title
    assert rules.classify("ApplicationFrameHost.exe", "Settings").category == "uncategorized"
    # a non-host's title is not used
    assert rules.classify("notepad.exe", "Instagram").name == "Text editor"


def test_a_rule_needs_apps_sites_or_titles(user_paths):
    with pytest.raises(ConfigError) as caught:
        rules_with(user_paths, '[[categories.rules]]\nname = "Empty"\ncategory = "social"\n')
    assert "titles = [...] (whole browser page titles)" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        rules_with(user_paths, '[[categories.rules]]\nname = "Bad"\ncategory = "social"\n'
                               'titles = ["(x"]\n')
    assert "number 1 ('Bad'): titles" in str(caught.value)
    assert "regular expression" in str(caught.value)
