"""What importing one file did, record by record: added, merged, unchanged, kept apart, skipped, warned.

The same report serves a real import and a dry run (``dry_run``: nothing was written),
as text (the command's summary) and as JSON (``as_json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from monitor.people.importers.records import FieldWarning, Skipped

ADDED = "added"
MERGED = "merged"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Outcome:
    """What became of one record: added as a new person, merged into one, or matched with nothing new."""

    line: int
    name: str
    """The record's name, as read."""
    action: str
    """``added``, ``merged`` or ``unchanged``."""
    person_id: int
    person_name: str
    changes: tuple[str, ...] = ()
    """What the record added to the person (``1 email``, ``tag work``, ``last contacted 2024-03-15``)."""


@dataclass(frozen=True)
class Sharer:
    """A person a new record shares an email, phone or uid with, though their names differ."""

    person_id: int
    name: str
    shared: str
    """The shared identifier: an email, a phone or ``uid …``."""


@dataclass(frozen=True)
class KeptApart:
    """A record added as its own person although it shares an identifier with someone else."""

    file: str
    line: int
    person_id: int
    name: str
    sharers: tuple[Sharer, ...]

    def __str__(self) -> str:
        others = "; ".join(f"{sharer.shared} with {sharer.name} (#{sharer.person_id})"
                           for sharer in self.sharers)
        return f"{self.file} line {self.line}: {self.name} (#{self.person_id}) shares {others}"


@dataclass
class ImportReport:
    """What importing one file did."""

    file: str
    layout: str = ""
    encoding: str = "UTF-8"
    encoding_assumed: bool = False
    """True when the encoding was a guess (a Windows code page: the file is not UTF-8)."""
    dry_run: bool = False
    """True when nothing was written: the report says what an import would do."""
    added: int = 0
    merged: int = 0
    """Records that added something to a person already stored."""
    unchanged: int = 0
    """Records that matched a stored person and had nothing new."""
    interactions: int = 0
    """Interactions added from "Last Contacted" dates."""
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[FieldWarning] = field(default_factory=list)
    """Fields dropped, or kept as written, while their record imported."""
    kept_apart: list[KeptApart] = field(default_factory=list)
    """New people who share an email, phone or uid with someone of another name: possible duplicates."""
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Every record read from the file."""
        return self.added + self.merged + self.unchanged + len(self.skipped)

    def record(self, outcome: Outcome) -> None:
        """Count ``outcome`` and keep it."""
        self.outcomes.append(outcome)
        if outcome.action == ADDED:
            self.added += 1
        elif outcome.action == MERGED:
            self.merged += 1
        else:
            self.unchanged += 1

    def as_json(self) -> dict[str, Any]:
        """The report as plain data for ``--json``."""
        def outcomes(action: str) -> list[dict[str, Any]]:
            return [{"line": item.line, "name": item.name, "person_id": item.person_id,
                     "person": item.person_name, "changes": list(item.changes)}
                    for item in self.outcomes if item.action == action]

        return {
            "file": self.file, "layout": self.layout, "encoding": self.encoding,
            "encoding_assumed": self.encoding_assumed, "dry_run": self.dry_run,
            "counts": {"added": self.added, "merged": self.merged, "unchanged": self.unchanged,
                       "skipped": len(self.skipped), "kept_apart": len(self.kept_apart),
                       "warnings": len(self.warnings), "interactions": self.interactions},
            ADDED: outcomes(ADDED), MERGED: outcomes(MERGED), UNCHANGED: outcomes(UNCHANGED),
            "kept_apart": [{"line": item.line, "name": item.name, "person_id": item.person_id,
                            "shares": [{"person_id": sharer.person_id, "name": sharer.name,
                                        "shared": sharer.shared} for sharer in item.sharers]}
                           for item in self.kept_apart],
            "skipped": [{"line": item.line, "label": item.label, "reason": item.reason}
                        for item in self.skipped],
            "warnings": [{"line": item.line, "label": item.label, "message": item.message}
                         for item in self.warnings],
        }
