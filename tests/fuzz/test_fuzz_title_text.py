"""Fuzzing the title text functions: cleaning, cutting in the middle, splitting, classifying a long title.

Whatever the title (lone surrogates, controls, bidirectional and zero-width marks, long
runs of spaces): cleaning gives printable single-spaced text without invisible marks and
is idempotent; cutting never exceeds the limit, keeps the start and the suffix, and
cutting again changes nothing; splitting and the page title agree with each other; and a
long title's site suffix still decides its category through ``observe``.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from monitor.core.paths import Paths
from monitor.core.settings import load_settings
from monitor.tracking.categories import load_rules
from monitor.tracking.observe import observe
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.titles import (
    ALIGN_CHARS,
    INVISIBLE,
    TAIL_CHARS,
    TITLE_LIMIT,
    clean_title,
    cut_middle,
    page_title,
    plain_text,
    title_parts,
)
from tests.fuzz.fuzzing import fuzz_settings

MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u200b\u200c\u200d\u2060"
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)
title_like = st.lists(st.one_of(
    any_text,
    st.sampled_from([" - ", " — ", " | ", " : ", " / ", "(3) ", "Reddit", "Mozilla Firefox", "  ", "\t"]),
    st.text(alphabet=MARKS, max_size=5),
    st.builds(lambda n: " " * n, st.integers(0, 3000)),
), max_size=12).map("".join)
words = st.text(alphabet="abcdefghij klmnop-:|.é€🦋" + MARKS, max_size=2000)


def assert_clean(text: str) -> None:
    assert text == text.strip()
    assert "  " not in text
    assert not INVISIBLE.search(text)
    assert all(ch.isprintable() for ch in text)
    text.encode("utf-8")


@fuzz_settings
@given(title_like, st.integers(1, 1200))
@example("a" + " " * 5000 + "b", 20)
@example("\u202bFacebook\u202c — Mozilla Firefox", TITLE_LIMIT)
def test_fuzz_clean_title(title, limit):
    cleaned = clean_title(title, limit=limit)
    if cleaned is None:
        assert plain_text(title) == ""
        return
    assert 0 < len(cleaned) <= limit
    assert_clean(cleaned)
    assert clean_title(cleaned, limit=limit) == cleaned  # idempotent
    assert plain_text(plain_text(title)) == plain_text(title)
    if len(plain_text(title)) <= limit:
        assert cleaned == plain_text(title)


@fuzz_settings
@given(words, st.text(alphabet="abcdefghij -|", min_size=1, max_size=TAIL_CHARS - ALIGN_CHARS - 1),
       st.integers(2 * TAIL_CHARS + 2, 3000))
def test_fuzz_cut_keeps_start_and_suffix(body, suffix, limit):
    text = plain_text("Start " + body + "x" + suffix)
    suffix_kept = plain_text("x" + suffix)
    cut = cut_middle(text, limit)
    assert len(cut) <= limit
    assert cut.endswith(suffix_kept)
    head_kept = limit - 1 - TAIL_CHARS - ALIGN_CHARS
    assert cut.startswith(text[:head_kept])
    assert cut_middle(cut, limit) == cut
    if len(text) > limit:
        assert "…" in cut
    else:
        assert cut == text


@fuzz_settings
@given(title_like)
def test_fuzz_parts_and_page_title_agree(title):
    parts = title_parts(title)
    page = page_title(title)
    for part in parts:
        assert part
        assert_clean(part)
        assert part in page
    assert title_parts(plain_text(title)) == parts  # cleaning first changes nothing
    assert page_title(plain_text(title)) == page


@pytest.fixture(scope="module")
def default_rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cut")
    settings = load_settings(Paths(config_file=folder / "config.toml", data_dir=folder / "data"))
    return load_rules(settings), settings.tracking


@fuzz_settings
@given(words, st.integers(0, 30_000))
@example("word " * 300, 20_000)
def test_fuzz_long_title_keeps_its_site(default_rules, middle, spaces):
    rules, tracking = default_rules
    title = "Post " + middle + " " * spaces + "end - Reddit - Mozilla Firefox"
    seen = observe(ActiveWindow("firefox", title, None), rules, tracking)
    assert seen is not None
    assert seen.category == "social"
    if seen.title is not None:  # a marker word in the middle may make it a private window
        assert len(seen.title) <= TITLE_LIMIT
        assert seen.title.endswith("end - Reddit - Mozilla Firefox")
        assert seen.title.startswith("Post")
