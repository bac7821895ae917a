"""Writing this computer's news to its own folder: one segment per pass with changes, then the manifest.

The rows marked since the last segment (monitor.store.sync_capture) become its entries:
people (every column, each with when and where it last changed), interactions, spans
(``span``, or ``drop`` once deleted), prompts (``prompt`` / ``unprompt``), deleted people
(``unperson``) and forgets (``forget``). Its marks are cleared only once the file is on
disk. Segments are numbered from 1; when this device's folder does not hold an unbroken
run from 1 (the first pass, a folder emptied by hand, a segment of ours that no longer
reads), a *full* segment holding everything is written instead and the older ones go.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.store import sync_capture, sync_people
from monitor.store.database import Store
from monitor.store.devices import note_written
from monitor.store.sync_capture import Mark
from monitor.sync.compact import compact
from monitor.sync.identity import Identity, new_person_id
from monitor.sync.segments import (
    FULL_LEVEL,
    BadSegment,
    Entry,
    Manifest,
    Segment,
    SegmentName,
    encode,
    read_manifest,
    segment_files,
    write_atomically,
    write_manifest,
)

log = logging.getLogger(__name__)

NEXT_KEY = "sync.next_segment"
FORGOTTEN_KEY = "sync.forgotten_written"
RANGE_KEY = "sync.range"
REWRITE_KEY = "sync.rewrite"
MANIFEST_EVERY_S = 300.0
"""The manifest is rewritten at least this often (when this computer was last writing)."""


@dataclass
class Written:
    """What one export wrote."""

    segment: SegmentName | None = None
    entries: int = 0
    full: bool = False
    merged: list[SegmentName] = field(default_factory=list)


@dataclass
class _News:
    entries: list[Entry] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    forgotten_through: int = 0
    span_range: tuple[float, float] | None = None


def _unbroken(names: list[SegmentName], next_number: int) -> bool:
    """True when ``names`` (sorted) run without a gap from segment 1 to ``next_number - 1``."""
    expected = 1
    for name in names:
        if name.first > expected:
            return False
        expected = max(expected, name.last + 1)
    return bool(names) and expected == next_number


def _people(store: Store, identity: Identity, news: _News) -> None:
    """Entries for the people marked: every column, each with its latest change's time and device."""
    with store.transaction() as connection:
        for mark in sync_capture.marks(store, sync_capture.PERSON):
            news.marks.append(mark)
            row = sync_people.row_of(connection, mark.row_id)
            gid = sync_people.gid_of(connection, mark.row_id)
            if row is None or gid is None:
                continue  # deleted: its ids are in sync_people_gone
            records = sync_people.field_records(connection, mark.row_id)
            for column, value in row.items():
                as_json = sync_people.as_json(value)
                if column not in records or records[column][0] != as_json:
                    records[column] = (as_json, mark.touched_utc, identity.id)
            sync_people.save_field_records(connection, mark.row_id, records)
            news.entries.append({"t": "person", "gid": gid, "fields": {
                column: [value, records[column][1], records[column][2]] for column, value in row.items()}})


def _rows(store: Store, news: _News) -> None:
    """Entries for the interactions, spans and prompts marked."""
    for mark, talk in sync_capture.marked_talks(store):
        news.marks.append(mark)
        if talk is not None:
            news.entries.append({"t": "talk", **talk})
    for mark, span in sync_capture.marked_spans(store):
        news.marks.append(mark)
        if span is None:
            news.entries.append({"t": "drop", "id": mark.row_id, "s": mark.start_utc})
            continue
        news.entries.append({"t": "span", "id": mark.row_id, "s": mark.start_utc, "e": span["end"],
                             "app": span["app"], "title": span["title"], "cat": span["category"],
                             "name": span["name"], "w": span["watching"]})
        low, high = news.span_range or (mark.start_utc, span["end"])
        news.span_range = (min(low, mark.start_utc), max(high, span["end"]))
    for mark, prompt in sync_capture.marked_prompts(store):
        news.marks.append(mark)
        news.entries.append({"t": "unprompt", "id": mark.row_id} if prompt is None
                            else {"t": "prompt", "id": mark.row_id, **prompt})


def _gather(store: Store, identity: Identity, *, full: bool) -> _News:
    news = _News()
    with store.transaction() as connection:
        sync_people.give_ids(connection, new_person_id)
    _people(store, identity, news)
    _rows(store, news)
    for gid, at in sync_people.gone(store.connection, unsent_only=not full):
        news.gone.append(gid)
        news.entries.append({"t": "unperson", "gid": gid, "stamp": at})
    since = 0 if full else int(store.get_state(FORGOTTEN_KEY) or 0)
    news.forgotten_through = since
    for forgotten_id, forgotten in sync_capture.forgotten_after(store, since):
        news.entries.append({"t": "forget", **forgotten})
        news.forgotten_through = forgotten_id
    return news


def _range(store: Store, news: _News) -> tuple[float | None, float | None]:
    kept: list[Any] = json.loads(store.get_state(RANGE_KEY) or "[null, null]")
    if news.span_range is not None:
        low, high = news.span_range
        kept = [low if kept[0] is None else min(kept[0], low),
                high if kept[1] is None else max(kept[1], high)]
    return kept[0], kept[1]


def _commit(store: Store, news: _News, next_number: int,
            span_range: tuple[float | None, float | None]) -> None:
    """After the segment is on disk: forget its marks, note what was written."""
    sync_capture.clear(store, news.marks)
    with store.transaction() as connection:
        sync_people.mark_gone_sent(connection, news.gone)
        store.set_state(NEXT_KEY, str(next_number + 1))
        store.set_state(FORGOTTEN_KEY, str(news.forgotten_through))
        store.set_state(RANGE_KEY, json.dumps(list(span_range)))
        store.delete_state(REWRITE_KEY)


def export(store: Store, folder: Path, identity: Identity, now: float, *, clocks: dict[str, float],
           full: bool = False) -> Written:
    """Write a segment of what changed here (everything, when ``full`` or due) into ``folder``."""
    files = segment_files(folder)
    names = sorted(files)
    next_number = max(int(store.get_state(NEXT_KEY) or 1), max((n.last for n in names), default=0) + 1)
    full = full or store.get_state(REWRITE_KEY) is not None or not _unbroken(names, next_number)
    if full:
        sync_capture.mark_everything(store)
    news = _gather(store, identity, full=full)
    written = Written(full=full)
    if news.entries or full:
        span_range = _range(store, news)
        segment = Segment(device=identity.id, name=identity.name, first=1 if full else next_number,
                          last=next_number, level=FULL_LEVEL if full else 0, full=full, written_utc=now,
                          entries=news.entries, from_utc=span_range[0], to_utc=span_range[1])
        write_atomically(folder / segment.segment_name.file, encode(segment))
        _commit(store, news, next_number, span_range)
        note_written(store, identity.id, now)
        written.segment, written.entries = segment.segment_name, len(news.entries)
        if full:
            for name, path in files.items():
                if name != segment.segment_name:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
        written.merged = _compact(store, folder, identity, now)
    _manifest(store, folder, identity, now, clocks, full=full)
    return written


def _compact(store: Store, folder: Path, identity: Identity, now: float) -> list[SegmentName]:
    try:
        return compact(folder, identity.id, now)
    except BadSegment as exc:
        log.warning("a segment of this computer's in %s cannot be read (%s); writing everything anew",
                    folder, exc.reason)
        store.set_state(REWRITE_KEY, exc.reason)
        return []


def _manifest(store: Store, folder: Path, identity: Identity, now: float, clocks: dict[str, float], *,
              full: bool) -> None:
    """Rewrite the manifest when what it says changed (name, clocks, a full segment) or it is old.

    Its list of segments is the one of its writing: a reader goes by the files themselves.
    """
    try:
        current = read_manifest(folder)
    except BadSegment:
        current = None
    if current is not None and not full and current.name == identity.name and 0 <= now - current.written_utc \
            < MANIFEST_EVERY_S and all(abs(current.clocks.get(k, 1e18) - v) < 1 for k, v in clocks.items()):
        return
    first, last = json.loads(store.get_state(RANGE_KEY) or "[null, null]")
    write_manifest(folder, Manifest(device=identity.id, name=identity.name, written_utc=now, first_utc=first,
                                    last_utc=last, segments=[n.file for n in sorted(segment_files(folder))],
                                    clocks=clocks))
