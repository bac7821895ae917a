"""What of a window title may be stored: private browsing, excluded titles, titles off.

How browsers mark a private window in its title (checked against real formats):

- Firefox and its forks: ``Page — Mozilla Firefox Private Browsing`` (current, Linux and
  Windows), ``Page - Mozilla Firefox (Private Browsing)`` (older), ``Mozilla Firefox
  Private Browsing`` with no page title, and localized markers after the brand name
  (``(Navigation privée)``, ``Privat nettlesing``…). A normal window ends with the brand
  name itself, so any words after ``Mozilla Firefox`` (or LibreWolf, Waterfox, Floorp,
  Firefox Nightly / Developer Edition) mean a private window, in any language.
- Chrome and Chromium: ``Page - Google Chrome (Incognito)``, localized inside the
  parentheses (``(Inkognito)``, ``(Incógnito)``, ``(シークレット)``…): any parenthesized
  word after a Chromium-family brand name (Chrome, Chromium, Brave, Vivaldi, Opera,
  Edge) counts, and so do the usual words anywhere in the title.
- Edge: ``Page - InPrivate - Microsoft Edge`` (``[InPrivate]`` in some versions);
  Brave: ``Page - Brave (Private)``, ``(Private Window with Tor)``, ``Page - Brave Private``.
- The Tor Browser and the Mullvad Browser are always private (``Page — Tor Browser``).

Erring towards privacy: a normal page whose title merely contains "incognito" or
"private browsing" is treated as private too (counted, title not kept). Safari on macOS
shows no marker in its titles, so its private windows cannot be told apart here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitor.core.vocabulary import CHROMIUM_FAMILY, FIREFOX_FAMILY, PRIVATE_ONLY_BROWSERS
from monitor.core.vocabulary import EXCLUDED_TITLE as EXCLUDED_TITLE  # the reports read it too
from monitor.tracking.titles import INVISIBLE
from monitor.tracking.titles import clean_title as clean_title  # re-exported: cleaning lives in titles

SCAN_CHARS = 2000
"""Only the start and end of a very long title are searched for markers (they sit at the end)."""

# Marker words, in the languages browsers ship the most (lower case, searched anywhere).
_MARKER_WORDS = re.compile(
    r"private browsing|privates surfen|privater modus|navigation privée|navegación privada|"
    r"navegação privada|navigazione anonima|privénavigatie|przeglądanie prywatne|"
    r"приватный просмотр|приватное окно|приватний перегляд|プライベートブラウジング|隐私浏览|隱私瀏覽|"
    r"incognito|inkognito|incógnito|inprivate|инкогнито|シークレット|无痕|無痕|시크릿|"
    r"\(private(?: window)?(?: with tor)?\)|\bprivate window\b",
)
_SEPARATOR = r"(?:^|\s[-–—|]\s)"
_FIREFOX_BRANDS = "|".join(map(re.escape, FIREFOX_FAMILY))
# Words after the brand name that are not a private-window marker (editions of the brand).
_FIREFOX_EDITIONS = {"", "esr", "beta", "nightly", "developer edition"}
_NO_SEPARATOR = r"(?:(?!\s[-–—|]\s).)*"
_FIREFOX_TAIL = re.compile(_SEPARATOR + r"(?P<brand>" + _FIREFOX_BRANDS + r")(?P<rest>(?:\s" + _NO_SEPARATOR
                           + r")?)$")
_CHROMIUM_BRANDS = "|".join(map(re.escape, CHROMIUM_FAMILY))
_CHROMIUM_TAIL = re.compile(
    _SEPARATOR + r"(?:" + _CHROMIUM_BRANDS + r")(?:\s\S+)?\s(?:\([^()]+\)|private\b" + _NO_SEPARATOR + r")$")
_ALWAYS_PRIVATE = re.compile(_SEPARATOR + r"(?:" + "|".join(map(re.escape, PRIVATE_ONLY_BROWSERS))
                             + r")(?:\s.*)?$")


def _normalized(part: str) -> str:
    """Lower case, invisible characters removed, control characters and runs of spaces as one space."""
    text = INVISIBLE.sub("", part)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split()).casefold()


def is_private_window(title: str | None) -> bool:
    """True when the title shows a private or incognito browser window."""
    if not title:
        return False
    parts = [title] if len(title) <= 2 * SCAN_CHARS else [title[:SCAN_CHARS], title[-SCAN_CHARS:]]
    for part in parts:
        text = _normalized(part)
        if _MARKER_WORDS.search(text) or _CHROMIUM_TAIL.search(text) or _ALWAYS_PRIVATE.search(text):
            return True
        firefox = _FIREFOX_TAIL.search(text)
        if firefox is not None and firefox.group("rest").strip() not in _FIREFOX_EDITIONS:
            return True
    return False


def storable_title(
    title: str | None,
    *,
    store_titles: bool,
    exclude: Iterable[re.Pattern[str]],
) -> str | None:
    """The title as it may be stored and logged: None, ``[excluded]``, or the title itself."""
    if not title or not store_titles or is_private_window(title):
        return None
    if any(pattern.search(title) for pattern in exclude):
        return EXCLUDED_TITLE
    return title
