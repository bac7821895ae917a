"""What every importer produces: contacts ready to merge, or records skipped with a reason.

Also reading a file as text: UTF-8 (with or without a byte-order mark) and UTF-16 with
a byte-order mark are accepted; anything else is an InputError naming the file and
the line of the first byte that is not text, rather than a guess at the encoding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from monitor.core.errors import InputError

_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Contact:
    """One person as read from a file, with emails and phones already normalised."""

    line: int
    """The line of the file where the record starts."""
    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str = ""
    uid: str | None = None
    last_contacted: float | None = None
    """When the source says the user last contacted them (UTC Unix seconds), if it says."""
    interaction_source: str = "import"
    """The ``source`` of the interaction that ``last_contacted`` becomes."""


@dataclass(frozen=True)
class Skipped:
    """A record that was not imported, and why."""

    file: str
    line: int
    reason: str
    label: str = ""
    """A name or other hint to find the record, when one could be read."""

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"{self.file} line {self.line}{label}: {self.reason}"


def read_text(path: Path) -> str:
    """The text of ``path``; InputError if it cannot be read or is not UTF-8/UTF-16 text."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a contacts file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(f"{path}: is empty")
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path}: line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 text; "
                         "export the contacts again as UTF-8 (vCard or CSV)") from None
    if "\x00" in text:
        raise InputError(f"{path}: looks like a binary file, not a vCard or CSV export")
    return text


def full_name(given: str = "", middle: str = "", family: str = "", prefix: str = "",
              suffix: str = "") -> str:
    """A display name from its parts; family name first for Chinese, Japanese or Korean names."""
    parts = [part.strip() for part in (given, middle, family)]
    if parts[0] and parts[2] and _CJK.search(parts[0] + parts[2]):
        ordered = [parts[2], parts[0], parts[1]]
    else:
        ordered = [prefix.strip(), *parts, suffix.strip()]
    return " ".join(part for part in ordered if part)
