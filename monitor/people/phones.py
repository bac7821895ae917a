"""Phone numbers read, stored, compared and shown with Google's libphonenumber (``phonenumbers``).

- **Stored** as E.164 (``+15555550199``); an extension is kept apart, RFC 3966's way:
  ``+15555550199;ext=42`` (written ``;ext=42``, ``x42``, ``ext. 42`` or ``extension 42``).
  ``+44 (0) 20 7946 0958`` is ``+442079460958``: the national ``(0)`` is dropped.
- A **national** number (``030 1234567``) is read in ``region`` (the setting
  ``people.default_region``, e.g. ``DE``); without a region it cannot be checked.
- A number that cannot be checked (no country code and no region, letters such as
  ``555 CALL NOW``, too short or too long for its country) is **kept exactly as written**
  (only the spaces around it trimmed) and flagged when shown, never altered.
- Two phones are the same when their ``phone_key`` is: E.164 plus extension for a
  checked number, else the digits (a leading ``+`` kept). So ``5555550100`` read with
  region ``US`` and ``+15555550100`` are one phone.

Pure functions; ``phonenumbers`` is imported on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import phonenumbers

EXTENSION = ";ext="
MIN_DIGITS = 3
MAX_PHONE_LENGTH = 80
_STORED = re.compile(r"\+[1-9]\d{3,14}(?:;ext=\d{1,20})?")
_EXTENSION_WORDS = re.compile(r"(?i)(?:;\s*ext=|\bext(?:ension)?\b\.?|(?<=\d)\s*x|\bx)\s*(?=\d)")
_LETTERS = re.compile(r"[^\W\d_]")
_URI_PREFIX = re.compile(r"(?i)^\s*tel:")


@dataclass(frozen=True)
class Phone:
    """A phone number as read: the form to store, and whether it could be checked."""

    stored: str
    """E.164 with ``;ext=N`` when checked, else the number exactly as written."""
    checked: bool
    """False when it was kept as written (see ``why_unchecked``)."""
    why_unchecked: str = ""


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isascii() and char.isdigit())


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | str:
    """The parsed number, or the reason it cannot be checked."""
    import phonenumbers  # noqa: PLC0415 - loaded only when a phone is read

    body = _URI_PREFIX.sub("", text)
    if _LETTERS.search(_EXTENSION_WORDS.sub(" ", body)):
        return "it has letters"
    try:
        number = phonenumbers.parse(body, region.upper() if region else None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            return "no country code; write it with + or set people.default_region"
        return "not a phone number libphonenumber can read"
    if not phonenumbers.is_possible_number(number):
        return "too short or too long for its country"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if not _STORED.fullmatch(e164) or _reread(shown) != e164:
        return "not a phone number libphonenumber can read"  # e.g. zeros only: shown, it reads as another
    return number


def _reread(shown: str) -> str | None:
    """The E.164 form of a number as libphonenumber shows it, read again (None if it cannot be)."""
    import phonenumbers  # noqa: PLC0415 - loaded only when a phone is read

    try:
        number = phonenumbers.parse(shown, None)
    except phonenumbers.NumberParseException:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def read_phone(text: str, region: str | None = None) -> Phone | None:
    """``text`` as a Phone (see the module doc); None when it has fewer than 3 digits."""
    written = " ".join(text.split())
    if len(_digits(written)) < MIN_DIGITS or len(written) > MAX_PHONE_LENGTH:
        return None
    parsed = _parse(written, region)
    if isinstance(parsed, str):
        return Phone(_URI_PREFIX.sub("", written).strip(), checked=False, why_unchecked=parsed)
    import phonenumbers  # noqa: PLC0415 - already loaded by _parse

    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    extension = _digits(parsed.extension or "")
    return Phone(e164 + (EXTENSION + extension if extension else ""), checked=True)


def normalize_phone(text: str, region: str | None = None) -> str | None:
    """The form of ``text`` to store (E.164, or as written when unchecked); None if not a phone."""
    phone = read_phone(text, region)
    return None if phone is None else phone.stored


def phone_key(text: str, region: str | None = None) -> str:
    """What two phones are compared by: E.164 (with ``;ext=N``) when checked, else the digits."""
    if _STORED.fullmatch(text):
        return text
    phone = read_phone(text, region)
    if phone is not None and phone.checked:
        return phone.stored
    return ("+" if text.strip().startswith("+") else "") + _digits(text)


def display_phone(stored: str, region: str | None = None) -> str:
    """A stored phone as people write it: ``+1 555-555-0199 ext. 42``; unchecked ones flagged."""
    import phonenumbers  # noqa: PLC0415 - loaded only when a phone is shown

    parsed = _parse(stored, region) if read_phone(stored, region) is not None else "too short"
    if isinstance(parsed, str):
        return f"{stored} (kept as written: {parsed})"
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def phone_uri(stored: str, region: str | None = None) -> str:
    """The ``tel:`` form of a stored phone: ``tel:+15555550199;ext=42``; spaces dropped if unchecked."""
    phone = read_phone(stored, region)
    if phone is not None and phone.checked:
        return f"tel:{phone.stored}"
    return "tel:" + re.sub(r"\s+", "", stored)
