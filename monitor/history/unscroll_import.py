"""Import an unscroll JSON export into the store (a new computer, a restored backup), once.

The file is read and checked whole first (monitor.history.unscroll_file); then everything
is written in one transaction, so an error leaves the store as it was.

- Spans keep their category and name; their titles pass this computer's privacy settings
  (titles off, excluded titles), time ``unscroll forget`` forgot is left out, and they are
  split at this computer's day start. Each has the origin ``unscroll:<device>:<start ms>``;
  one whose device and start are already stored (the same file again, or this store's own
  spans) is not added.
- People are matched by uid, else by name and the moment they were added, else by a name
  only one stored person has; the others are added. Interactions come once per (person,
  instant, source), prompts once per (instant, kind). A prompt or interaction naming someone
  the file does not list brings them in by that name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path

from monitor.core.days import day_bounds, day_of, local_zone
from monitor.core.settings import Settings
from monitor.history.intervals import kept_outside, merge
from monitor.history.unscroll_file import PersonItem, RecordItem, SpanItem, read_unscroll_export
from monitor.people.model import Person, fold
from monitor.store.database import Store
from monitor.store.forgetting import Forgotten, forgotten_since
from monitor.store.people import insert_interaction, insert_person, load_all
from monitor.store.prompts import prompt_recorded, record_action, record_delivery, record_prompt
from monitor.store.restore import RestoredSpan, add_spans, span_starts
from monitor.tracking.privacy import storable_title

log = logging.getLogger(__name__)

SOURCE = "unscroll-export"
"""The source of a span the exporting store had recorded itself (``daemon``)."""


@dataclass
class UnscrollImportReport:
    """What an import added and what was already there."""

    path: Path
    version: int = 0
    spans_added: int = 0
    spans_already_there: int = 0
    seconds_added: float = 0.0
    forgotten_seconds: float = 0.0
    people_added: int = 0
    people_already_there: int = 0
    interactions_added: int = 0
    interactions_already_there: int = 0
    prompts_added: int = 0
    prompts_already_there: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    """Reason → number of records left out."""

    def skip(self, reason: str) -> None:
        """Count one record left out for ``reason``."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def span_rows(spans: list[SpanItem], settings: Settings, zone: tzinfo, forgotten: list[Forgotten],
              report: UnscrollImportReport) -> list[RestoredSpan]:
    """The rows the file's spans become here: privacy, forgotten time out, split at day starts (pure)."""
    tracking = settings.tracking
    rows: list[RestoredSpan] = []
    for span in spans:
        device = span.device or tracking.device
        source = span.source if span.source and span.source != "daemon" else SOURCE
        title = storable_title(span.title, store_titles=tracking.store_titles,
                               exclude=tracking.exclude_titles)
        holes = merge((f.start_utc, f.end_utc) for f in forgotten if f.applies_to(span.app, title))
        kept = kept_outside(span.start, span.end, holes)
        report.forgotten_seconds += (span.end - span.start) - sum(e - s for s, e in kept)
        for start, end in kept:
            while start < end:
                _day_start, day_end = day_bounds(day_of(start, settings.day_starts_at, zone),
                                                 settings.day_starts_at, zone)
                piece_end = min(end, day_end)
                rows.append((start, piece_end, span.app, title, span.category, span.name, device, source,
                             f"unscroll:{device}:{round(start * 1000)}"))
                start = piece_end
    return rows


class _People:
    """The people of the file, matched with those stored or added; what their records point at."""

    def __init__(self, store: Store, report: UnscrollImportReport) -> None:
        self.store = store
        self.report = report
        self.stored = load_all(store.connection)
        self.by_ref: dict[int, int] = {}

    def _named(self, name: str) -> list[Person]:
        wanted = fold(name)
        return [p for p in self.stored if wanted in (fold(p.name), *(fold(a) for a in p.aliases))]

    def _match(self, item: PersonItem) -> Person | None:
        if item.uid is not None:
            found = [p for p in self.stored if p.uid == item.uid]
            if found:
                return found[0]
        named = self._named(item.name)
        same_moment = [p for p in named if item.created is not None and abs(p.created - item.created) < 0.001]
        if same_moment:
            return same_moment[0]
        return named[0] if len(named) == 1 else None

    def _insert(self, person: Person) -> int:
        person_id = insert_person(self.store.connection, person)
        self.stored.append(replace(person, id=person_id))
        self.report.people_added += 1
        return person_id

    def add(self, item: PersonItem, now: float) -> None:
        """Match or add one person of the file."""
        match = self._match(item)
        if match is not None:
            self.report.people_already_there += 1
            person_id = match.id
        else:
            lists = item.lists
            person_id = self._insert(Person(
                id=0, name=item.name.strip(), every_days=item.every_days, tags=lists["tags"],
                emails=lists["emails"], phones=lists["phones"], links=lists["links"], notes=item.notes,
                last_talked=None, created=item.created if item.created is not None else now, uid=item.uid,
                aliases=lists["aliases"]))
        if item.ref is not None:
            self.by_ref[item.ref] = person_id

    def resolve(self, record: RecordItem) -> int | None:
        """The stored id of whom ``record`` names (added by name if need be); None: nobody."""
        if record.person_ref is not None and record.person_ref in self.by_ref:
            return self.by_ref[record.person_ref]
        if not record.person_name or not record.person_name.strip():
            return None
        named = self._named(record.person_name)
        if named:
            return named[0].id
        return self._insert(Person(id=0, name=record.person_name.strip(), every_days=None, tags=(),
                                   emails=(), phones=(), links=(), notes="", last_talked=None,
                                   created=record.at))


def import_unscroll(store: Store, path: Path, settings: Settings, *, zone: tzinfo | None = None,
                    now: float | None = None) -> UnscrollImportReport:
    """Import the export at ``path``; all or nothing. Raises InputError for a file it cannot use."""
    export = read_unscroll_export(path)
    zone = zone or local_zone()
    report = UnscrollImportReport(path=path, version=export.version)
    rows = span_rows(export.spans, settings, zone, forgotten_since(store), report)
    with store.transaction():
        stored = span_starts(store, min(r[0] for r in rows), max(r[0] for r in rows)) if rows else set()
        fresh = [row for row in rows if (row[6], round(row[0] * 1000)) not in stored]
        report.spans_added, report.seconds_added = add_spans(store, fresh)
        report.spans_already_there = len(rows) - report.spans_added
        people = _People(store, report)
        for person in export.people:
            people.add(person, now if now is not None else max((r[1] for r in rows), default=0.0))
        _interactions(store, export.interactions, people, report)
        _prompts(store, export.prompts, people, settings, zone, report)
    log.info("imported %s: %d spans, %d people, %d interactions and %d prompts added", path,
             report.spans_added, report.people_added, report.interactions_added, report.prompts_added)
    return report


def _interactions(store: Store, records: list[RecordItem], people: _People,
                  report: UnscrollImportReport) -> None:
    for record in records:
        person_id = people.resolve(record)
        if person_id is None:
            report.skip("interactions with someone the file does not list")
            continue
        fields = record.fields
        if insert_interaction(store.connection, person_id, record.at, fields["via"], fields["note"],
                              fields["source"]):
            report.interactions_added += 1
        else:
            report.interactions_already_there += 1


def _prompts(store: Store, records: list[RecordItem], people: _People, settings: Settings, zone: tzinfo,
             report: UnscrollImportReport) -> None:
    for record in records:
        fields = record.fields
        if prompt_recorded(store, record.at, fields["kind"]):
            report.prompts_already_there += 1
            continue
        prompt_id = record_prompt(
            store, at=record.at, day=day_of(record.at, settings.day_starts_at, zone), kind=fields["kind"],
            category=fields["category"], message=fields["message"], used_s=fields["used_s"],
            person_id=people.resolve(record), held_back=fields["held_back"])
        if fields["action"] is not None:
            at = fields["action_at"]
            record_action(store, prompt_id, fields["action"], record.at if at is None else at)
        if fields["delivery"] is not None:
            record_delivery(store, prompt_id, fields["delivery"])
        report.prompts_added += 1
