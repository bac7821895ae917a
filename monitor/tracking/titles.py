r"""Window titles as text: cleaning, cutting a long one in its middle, and splitting a browser's.

Titles come from any program on the desktop. Before anything looks at one (the daemon's
observe step, ``unscroll categories test``, the ActivityWatch import) it is cleaned the
same way: lone surrogates replaced, invisible marks removed (the right-to-left and
left-to-right marks and embeddings, isolates, zero-width spaces and joiners, the byte
order mark, soft hyphens), every other control or odd space turned into a plain space,
runs of spaces made one. A title longer than the stored limit is cut in its middle, so
its start and its end, where sites and browsers put their names (" - Reddit - Mozilla
Firefox"), are both kept.

Every function here is linear in the length of its input: no expression may retry a
variable-length run from each of its characters (issue 19: ``\s+`` before a separator
took seconds on 20,000 spaces).
"""

from __future__ import annotations

import re

from monitor.core.vocabulary import (
    CHROMIUM_FAMILY,
    FIREFOX_FAMILY,
    OTHER_BROWSERS,
    PRIVATE_ONLY_BROWSERS,
)

TITLE_LIMIT = 1000
"""The longest title stored; a longer one is cut in its middle."""
TAIL_CHARS = 300
"""How much of a cut title's end is kept (a site's and browser's names fit many times over)."""
ALIGN_CHARS = 20
"""A cut moves by up to this many characters to fall between words."""
ELLIPSIS = "…"

INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""Marks with no width: bidirectional marks, embeddings and isolates, zero-width characters."""

_SEPARATOR = re.compile(r"( (?:[-–—|·•/»]|::?) )")
_COUNTER = re.compile(r"(?:\(\d+\+?\)|\[\d+\+?\]|[●•*]) ?")
_MORE_PAGES = re.compile(r" and \d+ more (?:pages?|tabs?)\b", re.IGNORECASE)
_BROWSER_NAME = re.compile(
    "|".join([
        r"(?:mozilla )?firefox(?: [\w ]+)?",  # every edition and window: "Firefox Beta"
        r"google chrome(?: \w+)?",  # "Google Chrome Beta", "Google Chrome Canary"
        *(re.escape(name)
          for name in (*FIREFOX_FAMILY, *CHROMIUM_FAMILY, *OTHER_BROWSERS, *PRIVATE_ONLY_BROWSERS)),
    ]),
    re.IGNORECASE,
)


def plain_text(raw: str) -> str:
    """``raw`` as one line of printable text: invisible marks gone, other odd characters a space.

    Runs of spaces become one space and the ends are stripped. Idempotent.
    """
    text = raw.encode("utf-8", "replace").decode("utf-8", "replace")
    text = INVISIBLE.sub("", text)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


def cut_middle(text: str, limit: int = TITLE_LIMIT) -> str:
    """``text`` at most ``limit`` long: its start, ``…`` and its end (up to ``TAIL_CHARS`` of it).

    Each side of the cut moves back to a space when one is within ``ALIGN_CHARS``, so
    words stay whole: ``"Long post title … - Reddit - Mozilla Firefox"``. Text that fits
    is returned as it is, so cutting twice changes nothing.
    """
    if len(text) <= limit:
        return text
    tail_room = min(TAIL_CHARS, (limit - 1) // 2)
    head_room = limit - 1 - tail_room
    head = text[:head_room]
    tail = text[len(text) - tail_room:] if tail_room else ""
    space = head.rfind(" ", max(0, head_room - ALIGN_CHARS))
    if space > 0:
        head = head[:space + 1]
    space = tail.find(" ", 0, ALIGN_CHARS)
    if space > 0:
        tail = tail[space:]
    return head + ELLIPSIS + tail


def clean_title(raw: str | None, limit: int = TITLE_LIMIT) -> str | None:
    """A title as it may be stored and classified: plain text, cut in its middle; None if empty."""
    if raw is None:
        return None
    text = plain_text(raw) if isinstance(raw, str) else ""
    return cut_middle(text, limit) if text else None


def _pieces(title: str) -> list[str]:
    """The title split at its separators, separators kept: ``[part, separator, part, …]``."""
    text = _MORE_PAGES.sub("", plain_text(title))
    return _SEPARATOR.split(text)


def _without_counter(part: str) -> str:
    found = _COUNTER.match(part)
    return part[found.end():].strip() if found else part.strip()


def _site_pieces(title: str) -> list[str]:
    """``_pieces`` without empty parts at the start, nor empty parts or browser names at the end."""
    pieces = _pieces(title)
    while len(pieces) > 2 and not _without_counter(pieces[0]):
        del pieces[:2]
    while len(pieces) > 2 and (not _without_counter(pieces[-1])
                               or _BROWSER_NAME.fullmatch(_without_counter(pieces[-1]))):
        del pieces[-2:]
    return pieces


def title_parts(title: str) -> tuple[str, ...]:
    """A browser title cut at its separators, without counters or the browser's own name.

    ``"(12) Feed | LinkedIn - Brave"`` gives ``("Feed", "LinkedIn")``.
    """
    pieces = _site_pieces(title)
    return tuple(part for part in map(_without_counter, pieces[::2]) if part)


def page_title(title: str) -> str:
    """A browser title without a leading counter and the browser's own name at the end.

    ``"(3) Is Python dying? : Python — Mozilla Firefox"`` gives ``"Is Python dying? : Python"``.
    """
    pieces = _site_pieces(title)
    pieces[0] = _without_counter(pieces[0])
    return "".join(pieces).strip()
