"""What every importer produces: contacts ready to merge, or records skipped with a reason.

A record is skipped only when nothing of it can be imported (no name, email or phone; a
card that cannot be read). A bad *field* is dropped with a warning naming the record and
the field (``Contact.warnings``), and the rest of the record imports.
Reading the file itself (its kind, size and encoding) is ``importers.source``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    named: bool = True
    """False when the record has no name and is called by its email or phone."""
    birthday: str | None = None
    """``MM-DD`` or ``YYYY-MM-DD`` (``people.birthdays``), when the record has a readable one."""
    anniversary: str | None = None
    """The same forms as ``birthday``."""
    warnings: tuple[str, ...] = ()
    """Fields dropped or kept as written, each as ``FIELD 'value': why``."""


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


def full_name(given: str = "", middle: str = "", family: str = "", prefix: str = "",
              suffix: str = "") -> str:
    """A display name from its parts; family name first for Chinese, Japanese or Korean names."""
    parts = [part.strip() for part in (given, middle, family)]
    if parts[0] and parts[2] and _CJK.search(parts[0] + parts[2]):
        ordered = [parts[2], parts[0], parts[1]]
    else:
        ordered = [prefix.strip(), *parts, suffix.strip()]
    return " ".join(part for part in ordered if part)


@dataclass(frozen=True)
class FieldWarning:
    """A field of a record that was dropped, or kept as written, and why."""

    file: str
    line: int
    message: str
    label: str = ""

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"{self.file} line {self.line}{label}: {self.message}"
