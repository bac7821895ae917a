"""The fields every importer reads the same way: emails, phones and links, each checked on its own.

Each value comes with the name of its field as the file calls it (``EMAIL``, ``E-mail 2 -
Value``, ``Web Page`` …), so a value that is dropped, or kept as written, is reported as
``FIELD 'value': why``. Nothing here drops a whole record.

- An email that is not an address is dropped.
- A phone is read with ``monitor.people.phones`` in the configured region; one that
  cannot be checked is kept exactly as written, with a warning.
- A link is kept only when ``links.storable_link`` accepts it (``https:``, ``http:``,
  ``mailto:``, ``tel:``, ``sms:``, the messengers); others are dropped with the reason.
- A birthday or anniversary is read leniently (``birthdays.parse_birthday``: vCard's
  ``--0517``, Google's `` --05-17``, a date-time, a stand-in year such as Apple's 1604
  dropped); the first readable one is kept, the unreadable ones dropped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.core.errors import InputError
from monitor.people.birthdays import BIRTHDAY_ACCEPTED, parse_birthday
from monitor.people.links import storable_link
from monitor.people.parsing import normalize_email
from monitor.people.phones import read_phone

Field = tuple[str, str]
"""(the field's name in the file, its text)."""
SHOWN = 80


def shown(value: str) -> str:
    """A value as quoted in a warning: ``repr``, cut to 80 characters."""
    return repr(value if len(value) <= SHOWN else value[:SHOWN - 1] + "…")


def read_emails(values: Iterable[Field]) -> tuple[tuple[str, ...], list[str]]:
    """The addresses among ``values`` (lower-cased), and a warning for each value that is not one."""
    emails: list[str] = []
    warnings: list[str] = []
    for field, value in values:
        if not value.strip():
            continue
        email = normalize_email(value)
        if email is None:
            warnings.append(f"{field} {shown(value.strip())} is not an email address; dropped")
        else:
            emails.append(email)
    return tuple(emails), warnings


def read_phones(values: Iterable[Field], region: str | None) -> tuple[tuple[str, ...], list[str]]:
    """The phones among ``values`` in their stored form, and a warning for each dropped or unchecked."""
    phones: list[str] = []
    warnings: list[str] = []
    for field, value in values:
        if not value.strip():
            continue
        phone = read_phone(value, region)
        if phone is None:
            warnings.append(f"{field} {shown(value.strip())} is not a phone number (fewer than 3 "
                            "digits); dropped")
            continue
        if not phone.checked:
            warnings.append(f"{field} {shown(value.strip())} kept as written: {phone.why_unchecked}")
        phones.append(phone.stored)
    return tuple(phones), warnings


def read_links(values: Iterable[Field]) -> tuple[tuple[str, ...], list[str]]:
    """The links among ``values`` that may be kept, and a warning with the reason for each dropped."""
    links: list[str] = []
    warnings: list[str] = []
    for field, value in values:
        if not value.strip():
            continue
        try:
            links.append(storable_link(value, where=field))
        except InputError as exc:
            warnings.append(exc.message.split("; accepted: ")[0])
    return tuple(links), warnings


def read_date(values: Iterable[Field], *, accepted: str = BIRTHDAY_ACCEPTED) -> tuple[str | None, list[str]]:
    """The first readable birthday (or anniversary) among ``values``, and a warning for each unreadable.

    ``accepted`` names what a date should look like in the warning.
    """
    found: str | None = None
    warnings: list[str] = []
    for field, value in values:
        if not value.strip():
            continue
        try:
            day = parse_birthday(value, where=field, placeholder_years=True, accepted=accepted)
        except InputError as exc:
            warnings.append(f"{exc.message}; dropped")
            continue
        found = found or day
    return found, warnings
