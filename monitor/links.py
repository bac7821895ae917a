"""Which links from a person's card may be opened from a notification.

Cards come from imported files, so their values are untrusted: only web links,
email, phone and a few messenger schemes are handed to the desktop; ``file:``,
``javascript:``, ``data:``, anything with spaces or control characters, and anything
that looks like a command is refused with a clear reason.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from monitor.errors import InputError

SAFE_SCHEMES = frozenset({
    "https", "mailto", "tel", "sms",
    "signal", "sgnl", "whatsapp", "tg", "matrix", "xmpp", "skype", "facetime", "threema",
})
ACCEPTED = "https:, mailto:, tel:, sms: or a messenger link (" + ", ".join(
    sorted(SAFE_SCHEMES - {"https", "mailto", "tel", "sms"})) + ")"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def safe_link(value: str) -> str:
    """Return ``value`` if it may be opened; raise InputError saying why not otherwise."""
    shown = value[:80]
    if not value or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise InputError(f"link {shown!r} refused: it contains spaces or control characters")
    match = _SCHEME.match(value)
    if match is None:
        raise InputError(f"link {shown!r} refused: it has no scheme; accepted are {ACCEPTED}")
    scheme = match.group(1).lower()
    if scheme not in SAFE_SCHEMES:
        raise InputError(f"link {shown!r} refused: {scheme}: links are never opened; accepted are "
                         f"{ACCEPTED}")
    rest = value[match.end():]
    if not rest.strip("/"):
        raise InputError(f"link {shown!r} refused: nothing after {scheme}:")
    if scheme == "https" and not urlsplit(value).hostname:
        raise InputError(f"link {shown!r} refused: a web link needs a host name")
    return value
