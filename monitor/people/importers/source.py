"""Reading a contacts file safely, and telling its encoding.

- **Only regular files.** The path is looked at (``stat``) before it is opened: a folder,
  a device (``/dev/zero``), a named pipe or a socket is refused in one line, never read.
  It is then opened without blocking (``O_NONBLOCK`` where the system has it) and looked
  at again, in case it was swapped for something else meanwhile.
- **At most ``people.import_max``** bytes: a larger file is refused before it is read,
  and one that grows past the limit while read is refused too.
- **Encodings**, in this order: UTF-8 (with or without a byte-order mark); UTF-16 or
  UTF-32 with a byte-order mark; then, for the CSV files classic Outlook for Windows
  writes in the Windows code page, the code page among Windows-1252 (Western European)
  and its neighbours (1250 Central European, 1251 Cyrillic, 1253 Greek, 1254 Turkish,
  1257 Baltic) whose reading looks most like words (``implausible``: the fewest symbols
  inside words, words mixing scripts, Latin words made mostly of accented letters,
  capitals after small letters, accented letters that no one language has together,
  Cyrillic or Greek words with hardly a vowel); on a tie this computer's code page
  first, then that order. Which one was assumed is said in the summary: the guess can
  be wrong for short files whose words several code pages read as real words (Turkish
  ``Yılmaz`` is Icelandic-looking ``Yýlmaz`` in Windows-1252; Hungarian ``Szőlő`` is
  Portuguese-looking ``Szõlõ``).
- A file with NUL bytes, or with control characters beyond a stray one, is **not a contacts
  file**.
"""

from __future__ import annotations

import codecs
import locale
import os
import re
import stat
import string
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from monitor.core.errors import InputError
from monitor.core.people_settings import format_size

NOT_CONTACTS = "not a contacts file: expected a vCard (.vcf) or a CSV with a header row"
CODE_PAGES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257")
CODE_PAGE_NAMES = {"cp1252": "Windows-1252", "cp1250": "Windows-1250", "cp1251": "Windows-1251",
                   "cp1253": "Windows-1253", "cp1254": "Windows-1254", "cp1257": "Windows-1257"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
_CONTROLS = frozenset(chr(code) for code in (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F))
WORDS_JUDGED = 2000
WORD_CHARS = 64
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORDS = re.compile(r"[A-Za-z\x80-\U0010ffff]+")
"""A word as the code page guess sees it: ASCII letters and any non-ASCII characters."""
_VOWELS = frozenset("аеёиоуыэюяіїєαεηιουωάέήίόύώϊϋΐΰ")
"""The vowels of Cyrillic and Greek: each script read in the other's code page has few."""
_LATIN_ALPHABETS = tuple(frozenset(letters) for letters in (
    "äöüß", "àâæçéèêëîïôœùûüÿ", "áéíñóúü", "ãõáâàçéêíóôú", "àèéìíîòóùú", "ëïéèöü", "æøåé", "åäöé",
    "áðéíóúýþæö", "ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "áéíóöőúüű", "ăâîşţșț",
    "čćđšž", "çğıöşü", "ąčęėįšųūž", "āčēģīķļņšūž", "äöõüšž", "çë"))
"""The accented letters of the languages the Windows code pages serve, one alphabet each
(German, French, Spanish, Portuguese, Italian, Dutch, Danish and Norwegian, Swedish and
Finnish, Icelandic, Polish, Czech, Slovak, Hungarian, Romanian, Croatian and Slovenian,
Turkish, Lithuanian, Latvian, Estonian, Albanian): a Latin word's accented letters come
from one of them."""
_KINDS = ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISSOCK, "a socket"))


@dataclass(frozen=True)
class ContactsText:
    """The text of a contacts file and the encoding it was read in."""

    text: str
    encoding: str
    """``UTF-8``, ``UTF-16``, ``UTF-32`` or a Windows code page such as ``Windows-1252``."""
    assumed: bool = False
    """True when the encoding is a guess (a Windows code page: the file is not UTF-8)."""


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _refuse_special(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a folder, not a contacts file")
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: is {_kind(mode)}, not a file; only contacts files saved on disk "
                         "are imported")


def _too_big(path: Path, size: int, limit: int) -> InputError:
    return InputError(f"{path}: is {format_size(size)}, more than people.import_max "
                      f"({format_size(limit)}); a contacts export is much smaller; if this one "
                      "really is, raise import_max in your config.toml")


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``); InputError otherwise (see module doc)."""
    try:
        found = path.stat()
        _refuse_special(path, found.st_mode)
        if found.st_size > limit:
            raise _too_big(path, found.st_size, limit)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            _refuse_special(path, os.fstat(handle.fileno()).st_mode)
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _too_big(path, len(data), limit)
    return data


def _local_code_page() -> str | None:
    encoding = locale.getpreferredencoding(False).lower().replace("windows-", "cp")
    return encoding if encoding in CODE_PAGES else None


def _looks_binary(text: str) -> bool:
    """NUL bytes, or more than one character in a hundred a control character (a stray one is text)."""
    if "\x00" in text:
        return True
    controls = sum(1 for char in text if char in _CONTROLS)
    return controls > max(1, len(text) // 100)


def _script(char: str) -> str:
    """The script of a letter as Unicode names it: ``LATIN``, ``CYRILLIC``, ``GREEK`` and so on."""
    return "LATIN" if char.isascii() else unicodedata.name(char, "?").split(" ", 1)[0]


def _word_oddities(word: str) -> int:
    """How unlike a word of one language ``word`` (letters and non-ASCII characters) looks."""
    letters = [char for char in word if char.isalpha()]
    if not letters:
        return 0
    odd = sum(1 for char in word if unicodedata.category(char)[0] in "SNC")   # "£ukasz", "¯ó³æ"
    scripts = {_script(char) for char in letters}
    if len(scripts) > 1:
        odd += 2                                                 # "Jьrgen": Cyrillic in a Latin word
    elif scripts == {"LATIN"} and len(letters) >= 3 and \
            2 * sum(1 for char in letters if not char.isascii()) > len(letters):
        odd += 1                                                 # "Èâàí": Cyrillic read as Latin
    odd += sum(1 for before, after in pairwise(letters)
               if before.islower() and after.isupper() and not after.isascii())   # "ЕлЭнз"
    if scripts <= {"CYRILLIC", "GREEK"} and len(letters) >= 4 and \
            4 * sum(1 for char in letters if char.lower() in _VOWELS) < len(letters):
        odd += 1                                                 # "Гйюсгпт": Greek read as Cyrillic
    accented = {char.lower()[0] for char in letters if not char.isascii()} - set(string.ascii_lowercase)
    if scripts == {"LATIN"} and not any(accented <= alphabet for alphabet in _LATIN_ALPHABETS):
        odd += 1                                                 # "Jiøí": ø and í are no language's
    return odd


def implausible(text: str) -> int:
    """How wrongly decoded the words of ``text`` with non-ASCII characters look (0: not at all).

    At most ``WORDS_JUDGED`` such words are judged, each by its first ``WORD_CHARS``
    characters, so a 50 MB file costs what a small one does.
    """
    oddities = judged = position = 0
    while judged < WORDS_JUDGED:
        found = _NON_ASCII.search(text, position)
        if found is None:
            break
        start = found.start()
        while start > max(0, found.start() - WORD_CHARS) and _WORDS.match(text, start - 1, start):
            start -= 1
        word = _WORDS.match(text, start)
        assert word is not None                          # text[start] is a letter or non-ASCII
        oddities += _word_oddities(word.group()[:WORD_CHARS])
        judged += 1
        position = word.end()
    return oddities


def decode(data: bytes, path: Path) -> ContactsText:
    """The text of ``data`` read from ``path`` (see the module doc for the encodings tried)."""
    if not data.strip():
        raise InputError(f"{path}: is empty")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: {NOT_CONTACTS} (it starts like {name} text but byte "
                                 f"{exc.start} is not {name})") from None
            return _checked(ContactsText(text.removeprefix("\ufeff"), name), path)
    try:
        return _checked(ContactsText(data.decode("utf-8"), "UTF-8"), path)
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InputError(f"{path}: {NOT_CONTACTS} (it holds binary data)")
    readings: list[tuple[int, str, str]] = []
    for page in dict.fromkeys(page for page in (_local_code_page(), *CODE_PAGES) if page):
        try:
            text = data.decode(page)
        except UnicodeDecodeError:
            continue
        readings.append((implausible(text), page, text))
    if readings:
        _score, page, text = min(readings, key=lambda reading: reading[0])   # the first of the best
        return _checked(ContactsText(text, CODE_PAGE_NAMES[page], assumed=True), path)
    raise InputError(f"{path}: {NOT_CONTACTS} (it holds binary data, or text in an encoding other than "
                     "UTF-8, UTF-16 or a Windows code page)")


def _checked(decoded: ContactsText, path: Path) -> ContactsText:
    if _looks_binary(decoded.text):
        raise InputError(f"{path}: {NOT_CONTACTS} (it holds binary data)")
    return decoded


def read_contacts_text(path: Path, limit: int) -> ContactsText:
    """Read and decode the contacts file ``path`` of at most ``limit`` bytes; InputError if it cannot be."""
    return decode(read_limited(path, limit), path)
