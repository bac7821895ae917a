r"""Which links from a person's card may be opened from a notification, and in what form.

A contact card comes from anywhere (an imported vCard, a CSV export, a typo), and
opening a link hands it to the desktop's URL handler. So only these are ever opened:

- ``https:`` web links with a plain host name (no ``user@`` part, which is used to
  disguise where a link goes: ``https://bank.example@evil.example``);
- ``mailto:`` one address, without ``?`` parameters (``attach=`` and ``body=`` have
  been abused to leak files and to prefill messages);
- ``tel:`` and ``sms:`` one phone number (digits, ``+``, ``-``, ``.``, ``(``, ``)``);
- messengers that register a scheme with the desktop: ``signal:`` and ``sgnl:``
  (Signal), ``whatsapp:``, ``tg:`` (Telegram), ``matrix:``, ``xmpp:``, ``threema:`` and
  ``facetime:``. ``skype:`` is left out: Skype closed in May 2025, and whatever still
  claims its scheme is not Skype. Messenger web links (``https://signal.me/…``,
  ``https://wa.me/…``, ``https://t.me/…``, ``https://matrix.to/…``) are https links.

Everything else is refused with an InputError that says why: ``http:`` (not
encrypted: write ``https:``), ``file:``, ``javascript:``, ``data:``, values without a
scheme or starting with ``-`` (they would reach the opener as options), and any value
with whitespace, control or invisible formatting characters, or characters that are
never valid in a URL (double quote, ``<>^`{|}`` and the backslash). Pure functions: nothing is opened here.

What is *stored* as a person's link (``storable_link``: ``people add/edit --link`` and every
import) follows the same rules with ``http:`` allowed too (it is kept, shown, but never
opened). Before the check, vCard escapes are undone (Google writes ``https\://…``), and a
bare host name such as ``www.example.org/sam`` (Outlook's "Web Page") becomes ``https://…``.
A phone link may carry an extension: ``tel:+15555550199;ext=42``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from monitor.core.errors import InputError

WEB_SCHEMES = ("https",)
CONTACT_SCHEMES = ("mailto", "tel", "sms")
MESSENGER_SCHEMES = ("signal", "sgnl", "whatsapp", "tg", "matrix", "xmpp", "threema", "facetime")
ALLOWED_SCHEMES = (*WEB_SCHEMES, *CONTACT_SCHEMES, *MESSENGER_SCHEMES)
STORED_SCHEMES = ("http", *ALLOWED_SCHEMES)
"""What a person's links may be: what may be opened, and ``http:`` (kept and shown, never opened)."""
MAX_LINK_LENGTH = 2048

ACCEPTED = ("https:, mailto:, tel:, sms: and messenger links (" +
            ", ".join(f"{scheme}:" for scheme in MESSENGER_SCHEMES) + ")")
STORED_ACCEPTED = "https:, http:, " + ACCEPTED.removeprefix("https:, ")

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_NEVER_IN_URLS = frozenset('"<>\\^`{|}')
_HOST_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?", re.UNICODE)
_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[^\s@]{1,255}")
_PHONE = re.compile(r"\+?[0-9().-]{3,40}(?:;ext=[0-9]{1,20})?")
_VCARD_ESCAPE = re.compile(r"\\([:;,\\])")
_BARE_HOST = re.compile(r"[^\s/:@]+\.[^\s/:@]+(?:[/?#].*)?", re.DOTALL)


def _shown(value: str) -> str:
    """The value as quoted in an error: escaped, and cut to 80 characters."""
    return repr(value if len(value) <= 80 else value[:77] + "...")


def _refuse(value: str, why: str, tail: str = f"only {ACCEPTED} are opened") -> InputError:
    return InputError(f"link {_shown(value)} refused: {why}; {tail}")


def _check_invisible(value: str) -> None:
    for char in value:
        if char.isspace() or unicodedata.category(char)[0] in ("C", "Z"):
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            raise _refuse(value, f"it contains spaces or control characters ({name})")


def _check_url_characters(value: str) -> None:
    for char in value:
        if char in _NEVER_IN_URLS:
            raise _refuse(value, f"it contains {char!r}, which is never part of a link")


def _valid_host(host: str) -> bool:
    if not host or len(host) > 253 or "." not in host.strip("."):
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in host.removesuffix(".").split("."))


def _check_web(value: str, scheme: str = "https") -> None:
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise _refuse(value, f"it is not a valid web address ({exc})") from None
    if not value.lower().startswith(f"{scheme}://"):
        raise _refuse(value, f"a web link must start with {scheme}://")
    if "@" in parts.netloc:
        raise _refuse(value, "it hides the real site behind a user@ part")
    if port is not None and not 0 < port < 65536:
        raise _refuse(value, "its port is not a valid number")
    if not _valid_host(parts.hostname or ""):
        raise _refuse(value, f"it has no valid host name after {scheme}://")


def _check_email(value: str, address: str) -> None:
    if "?" in address or "," in address:
        raise _refuse(value, "a mailto: link may hold one address and no ? parameters")
    if not _EMAIL.fullmatch(address) or not _valid_host(address.rsplit("@", 1)[1]):
        raise _refuse(value, f"{_shown(address)} is not an email address")


def _check_phone(value: str, number: str) -> None:
    if not _PHONE.fullmatch(number) or sum(ch.isdigit() for ch in number) < 3:
        raise _refuse(value, f"{_shown(number)} is not a phone number (digits, +, -, ., parentheses)")


def _checked(value: object, schemes: tuple[str, ...], tail: str) -> str:
    """``value`` as a link of one of ``schemes`` (scheme lower-cased), or InputError saying why not."""
    if not isinstance(value, str):
        raise InputError(f"link {value!r} refused: it is not text; {tail}")
    text = value
    if not text.strip():
        raise InputError(f"link {_shown(value)} refused: it is empty, or only spaces or control characters")
    if len(text) > MAX_LINK_LENGTH:
        raise _refuse(text, f"it is longer than {MAX_LINK_LENGTH} characters", tail)
    try:
        _check_invisible(text)
        found = _SCHEME.match(text)
        if found is None:
            raise _refuse(text, "it has no scheme such as https: at its start")
        scheme = found.group(1).lower()
        rest = text[found.end():]
        if scheme == "http" and scheme not in schemes:
            raise _refuse(text, "http: links are never opened (not encrypted); write it with https:")
        if scheme not in schemes:
            raise _refuse(text, f"{scheme}: links are never {'opened' if 'http' not in schemes else 'kept'}")
        if not rest or rest.startswith("-"):
            raise _refuse(text, f"nothing after {scheme}: that could be opened")
        _check_url_characters(text)
        link = f"{scheme}:{rest}"
        if scheme in ("https", "http"):
            _check_web(link, scheme)
        elif scheme == "mailto":
            _check_email(text, rest)
        elif scheme in ("tel", "sms"):
            _check_phone(text, rest)
    except InputError as exc:
        raise InputError(exc.message.rsplit("; only ", 1)[0] + f"; {tail}") from None
    return link


def safe_link(value: object) -> str:
    """``value`` as a link that may be opened (scheme lower-cased), or InputError saying why not."""
    return _checked(value, ALLOWED_SCHEMES, f"only {ACCEPTED} are opened")


def storable_link(value: str, *, where: str = "link") -> str:
    """``value`` as a link to keep with a person (see the module doc), or InputError naming ``where``.

    ``where`` starts the message: ``--link`` for a typed link, ``file line 7: URL`` for an import.
    """
    text = _VCARD_ESCAPE.sub(r"\1", value.strip())
    if _SCHEME.match(text) is None and _BARE_HOST.fullmatch(text):
        text = f"https://{text}"
    try:
        return _checked(text, STORED_SCHEMES, f"accepted: {STORED_ACCEPTED}")
    except InputError as exc:
        raise InputError(f"{where}: {exc.message.removeprefix('link ')}") from None


def email_link(email: str) -> str:
    """The ``mailto:`` link for one email address (InputError if it is not one)."""
    return safe_link(f"mailto:{email.strip()}")


def phone_link(phone: str, *, kind: str = "tel") -> str:
    """The ``tel:`` (or, with ``kind="sms"``, ``sms:``) link for a phone number; spaces are dropped."""
    if kind not in ("tel", "sms"):
        raise InputError(f"phone link kind {kind!r}: expected 'tel' or 'sms'")
    compact = re.sub(r"[ \u00a0\t]+", "", phone.strip())
    return safe_link(f"{kind}:{compact}")
