"""Private windows, titles off and excluded titles: what of a window may be stored (pure checks).

The titles are the formats browsers really write (Firefox's browser.ftl window titles,
Chromium's incognito title format, Edge, Brave, the Tor Browser), in a few languages.
The real-desktop proof (spans, database bytes, logs) is tests/faults/test_privacy_daemon.py.
"""

from __future__ import annotations

import re

import pytest

from monitor.core.settings import load_settings
from monitor.tracking.categories import load_rules
from monitor.tracking.observe import observe
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.privacy import EXCLUDED_TITLE, is_private_window
from tests.conftest import write_config

PRIVATE = [
    "Bank login — Mozilla Firefox Private Browsing",           # Firefox 119+ (Linux, Windows)
    "Mozilla Firefox Private Browsing",                         # a private window with no page title
    "Bank login - Mozilla Firefox (Private Browsing)",          # older Firefox
    "Bank login — Mozilla Firefox — (Private Browsing)",        # Firefox on macOS
    "Connexion — Mozilla Firefox (Navigation privée)",          # French
    "Anmeldung — Mozilla Firefox Privater Modus",                # German
    "Inicio — Mozilla Firefox (Navegación privada)",            # Spanish
    "Forside — Mozilla Firefox Privat nettlesing",              # Norwegian, no marker word we list
    "Главная — Mozilla Firefox Приватный просмотр",             # Russian
    "Page — Firefox Nightly Private Browsing",
    "Page — LibreWolf Private Browsing",
    "Bank login - Google Chrome (Incognito)",                   # Chrome on Linux and Windows
    "Neuer Tab - Google Chrome (Inkognito)",
    "Nueva pestaña - Google Chrome (Incógnito)",
    "新しいタブ - Google Chrome (シークレット)",
    "Page - Chromium (Incognito)",
    "Bank login - InPrivate - Microsoft\u200b Edge",               # Edge (with its zero-width space)
    "Bank login - [InPrivate] - Microsoft Edge",
    "Bank login - Brave (Private)",
    "Bank login - Brave (Private Window with Tor)",
    "Bank login - Vivaldi (Private)",
    "Bank login - Opera (Private)",
    "Bank login — Tor Browser",
    "Bank login — Mullvad Browser",
    "x" * 5000 + " — Mozilla Firefox Private Browsing",       # the marker far past 1000 characters
]

NOT_PRIVATE = [
    "Bank login — Mozilla Firefox",
    "Mozilla Firefox",
    "Page — Firefox Developer Edition",
    "Page — Firefox Nightly",
    "Bank login - Google Chrome",
    "Bank login - Microsoft\u200b Edge",
    "Private equity - Wikipedia — Mozilla Firefox",
    "Private API docs - Google Chrome",
    "Download Tor Browser | Tor Project — Mozilla Firefox",
    "Firefox - Mozilla Firefox release notes — Mozilla Firefox",
    "private-notes.txt - gedit",
    "Brave New World (novel) - Wikipedia — Mozilla Firefox",
    "",
    None,
]


@pytest.mark.parametrize("title", PRIVATE)
def test_private_browser_windows_are_recognised(title):
    assert is_private_window(title)


@pytest.mark.parametrize("title", NOT_PRIVATE)
def test_ordinary_windows_are_not_taken_for_private_ones(title):
    assert not is_private_window(title)


@pytest.fixture
def setup(user_paths):
    def make(config: str = ""):
        write_config(user_paths, config)
        settings = load_settings(user_paths)
        return load_rules(settings), settings.tracking
    return make


@pytest.mark.parametrize("title", PRIVATE)
def test_a_private_window_counts_by_app_but_its_title_and_site_are_never_kept(setup, title):
    rules, tracking = setup()
    seen = observe(ActiveWindow("firefox", "Facebook — " + title, 42), rules, tracking)
    assert seen is not None
    assert seen.title is None
    assert seen.name == "firefox (private window)"
    assert "Facebook" not in repr(seen)
    assert "Bank" not in repr(seen)


def test_titles_off_keeps_app_and_category_only(setup):
    rules, tracking = setup("[tracking]\nstore_titles = false\n")
    site = observe(ActiveWindow("firefox", "(3) Facebook — Mozilla Firefox", 1), rules, tracking)
    document = observe(ActiveWindow("soffice", "salary-2026.ods - LibreOffice Calc", 2), rules, tracking)
    assert site is not None
    assert document is not None
    assert (site.app, site.title, site.category, site.name) == ("firefox", None, "social", "firefox")
    assert (document.title, document.name) == (None, "LibreOffice")  # an app rule: the app's name
    assert "salary" not in repr(document)


def test_an_app_rule_keeps_its_name_with_titles_off(setup):
    rules, tracking = setup("[tracking]\nstore_titles = false\n")
    seen = observe(ActiveWindow("signal-desktop", "Signal — Sam", 1), rules, tracking)
    assert seen is not None
    assert seen.title is None
    assert seen.category == "messaging"
    assert "Sam" not in repr(seen)


def test_an_excluded_title_is_replaced_everywhere_even_past_1000_characters(setup):
    rules, tracking = setup('[tracking]\nexclude_titles = ["acme merger$", "^salary"]\n')
    long_title = "Notes " + "y" * 3000 + " ACME merger"
    for title in (long_title, "Salary review — Mozilla Firefox", "(1) Facebook — ACME merger"):
        seen = observe(ActiveWindow("firefox", title, 1), rules, tracking)
        assert seen is not None
        assert seen.title == EXCLUDED_TITLE
        assert seen.name == EXCLUDED_TITLE
        assert "ACME" not in repr(seen)
        assert not re.search("salary|facebook", repr(seen), re.IGNORECASE)
    kept = observe(ActiveWindow("firefox", "Weather — Mozilla Firefox", 1), rules, tracking)
    assert kept is not None
    assert kept.title == "Weather — Mozilla Firefox"
