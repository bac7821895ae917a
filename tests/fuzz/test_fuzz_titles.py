"""Fuzzing window titles on their way in: the X11 text decoders, the privacy filters, ``observe``.

Titles come from any program on the desktop, in any encoding a client chose, so the
decoders get random bytes under each property type (COMPOUND_TEXT with random escape
sequences too), and ``observe`` gets random text, lone surrogates and control
characters included. None of them may raise; what they return must be storable text.
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
from monitor.tracking.platforms.x11_text import decode_compound_text, decode_string, decode_text_property
from monitor.tracking.privacy import EXCLUDED_TITLE, clean_title, is_private_window, storable_title
from tests.conftest import write_config
from tests.fuzz.fuzzing import fuzz_settings

ESCAPES = [b"\x1b%G", b"\x1b%@", b"\x1b%/1", b"\x1b%/2", b"\x1b(B", b"\x1b(J", b"\x1b)I", b"\x1b-A",
           b"\x1b-F", b"\x1b$(A", b"\x1b$)B", b"\x1b$)C", b"\x1b$(Z", b"\x9b1]", b"\x9b]", b"\x1b", b"\x02",
           b"iso8859-15\x02", b"big5-0\x02", b"iso10646-1\x02", b"\x80\x05", b"\xff\xff"]
compound = st.lists(st.one_of(st.sampled_from(ESCAPES), st.binary(max_size=12)), max_size=12).map(b"".join)
property_types = st.sampled_from(["UTF8_STRING", "STRING", "C_STRING", "COMPOUND_TEXT", "TEXT", "ATOM", ""])
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)
private_suffixes = st.sampled_from(["", " — Mozilla Firefox", " — Mozilla Firefox Private Browsing",
                                    " - Google Chrome (Incognito)", " - InPrivate - Microsoft\u200b Edge",
                                    " - Brave (Private)", " — Tor Browser"])


@fuzz_settings
@given(property_types, st.one_of(st.binary(max_size=300), compound))
@example("COMPOUND_TEXT", b"\x1b%/0\x00\x02\x00\x02")  # found: a NUL in an encoding name (ValueError)
def test_fuzz_x11_text_decoders(type_name, data):
    for text in (decode_text_property(type_name, data), decode_compound_text(data), decode_string(data)):
        assert isinstance(text, str)
        text.encode("utf-8")  # no lone surrogates: storable as it is


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    def make(config: str):
        folder = tmp_path_factory.mktemp("titles")
        paths = Paths(config_file=folder / "config.toml", data_dir=folder / "data")
        write_config(paths, config)
        settings = load_settings(paths)
        return load_rules(settings), settings.tracking
    return {
        "plain": make(""),
        "titles off": make("[tracking]\nstore_titles = false\n"),
        "excluded": make('[tracking]\nexclude_titles = ["secret", "^\\\\(\\\\d+\\\\)", "x{3}$"]\n'),
    }


@fuzz_settings
@given(st.sampled_from(["plain", "titles off", "excluded"]),
       st.one_of(any_text, st.sampled_from(["firefox", "chrome", "msedge", "brave", ""])),
       st.one_of(st.none(), any_text, st.builds(str.__add__, any_text, private_suffixes),
                 st.builds(lambda head, n: head * n, st.text(max_size=3, min_size=1),
                           st.integers(300, 4000))),
       st.one_of(st.none(), st.integers(-(2**31), 2**31)))
def test_fuzz_window_titles_through_observe(setup, mode, app, title, pid):
    rules, tracking = setup[mode]
    seen = observe(ActiveWindow(app, title, pid), rules, tracking)
    assert seen is not None
    for text in (seen.app, seen.name, seen.category, seen.title or ""):
        text.encode("utf-8")  # storable in SQLite as UTF-8
        assert all(ch.isprintable() or ch == " " for ch in text)
    assert len(seen.app) <= 200
    assert seen.title is None or len(seen.title) <= 1000
    if title is not None and is_private_window(title):
        assert seen.title is None
        assert seen.name.endswith("(private window)")
    if mode == "titles off":
        assert seen.title is None
    if mode == "excluded" and title and "secret" in title.lower():
        assert seen.title in (None, EXCLUDED_TITLE)
        assert "secret" not in seen.name.lower()


@fuzz_settings
@given(st.one_of(st.none(), any_text), st.booleans(), st.integers(1, 50))
def test_fuzz_privacy_functions(title, store_titles, limit):
    is_private_window(title)
    kept = storable_title(title, store_titles=store_titles, exclude=())
    assert kept is None or kept == title
    cleaned = clean_title(title, limit=limit)
    if cleaned is not None:
        assert 0 < len(cleaned) <= limit
        cleaned.encode("utf-8")
