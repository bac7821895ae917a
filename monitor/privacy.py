"""What of a window title may be stored: private browsing, excluded titles, titles off."""

from __future__ import annotations

import re
from collections.abc import Iterable

EXCLUDED_TITLE = "[excluded]"

# How browsers mark private windows in their titles (and the Tor Browser, always private).
_PRIVATE_MARKERS = re.compile(
    r"private browsing|privates surfen|navigation privée|navegación privada|"
    r"\(incognito\)|- incognito\b|\bincognito -|inprivate|\bprivate\b.*\b(brave|vivaldi|opera)\b|"
    r"\b(brave|vivaldi|opera)\b.*\bprivate\b|tor browser",
    re.IGNORECASE,
)


def is_private_window(title: str | None) -> bool:
    """True when the title shows a private or incognito browser window."""
    return bool(title) and _PRIVATE_MARKERS.search(title or "") is not None


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


def clean_title(raw: str | None, limit: int = 1000) -> str | None:
    """Make a title safe to store: valid text, no control characters, at most ``limit`` long."""
    if raw is None:
        return None
    text = raw.encode("utf-8", "replace").decode("utf-8", "replace") if isinstance(raw, str) else ""
    text = "".join(ch if ch.isprintable() or ch == " " else " " for ch in text).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or None
