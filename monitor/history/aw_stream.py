"""Reading an ActivityWatch export a piece at a time, so memory does not grow with the file.

Two passes of ijson (its C backend, yajl2_c) over the file. The first reads each bucket's
outline: its id, type and host name (which may come after its events) and how many events
it holds. The second reads one bucket's events at a time, checks each exactly as
``aw_format`` does for a whole file (same messages, naming the file, bucket and event) and
writes it into a scratch database. Nothing is stored until every event has been checked,
so a broken file, even in its last event, imports nothing.

A file ijson cannot read (broken JSON, NaN, text that is not UTF-8) is handed back to the
whole-file reader when it is small, whose message says where it is broken (and which reads
what the standard library reads); a big one is refused with ijson's message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

import ijson

from monitor.core.errors import InputError
from monitor.history.aw_format import HOW_TO_EXPORT, AwEvent, Where, checked_events, kind_of
from monitor.store.import_scratch import ScratchEvents

WHOLE_FILE_LIMIT = 32 * 1024 * 1024
"""Files up to this size that ijson refuses are read whole, for the standard library's message."""
BATCH = 10_000
"""Events checked and written to the scratch database at a time."""
_VALUE_STARTS = frozenset(("start_map", "start_array", "string", "number", "boolean", "null"))
_NOT_SCALAR: dict[str, object] = {"start_map": {}, "start_array": []}

Skip = Callable[[str, int], None]
"""Called as ``skip(reason, count)`` for events left out whole."""
Progress = Callable[[str, int, int], None]


class Unreadable(Exception):
    """ijson could not read a small file: read it whole instead."""


@dataclass
class Outline:
    """One bucket as the first pass saw it."""

    key: str
    is_object: bool = True
    id: str | None = None
    type: Any = None
    hostname: str = ""
    has_events: bool = False
    event_count: int = 0
    kind: str = "other"
    has_pieces: bool = False
    """Whether any event has a length (what makes a window bucket's host have windows)."""


def tally_skips(kind: str, bucket_type: str, events: Sequence[AwEvent], count: int, skip: Skip) -> None:
    """Count the events of one bucket (or a batch of it) that are left out whole, and why."""
    if kind == "other":
        skip(f"{bucket_type} events (not screen time)", count)
    elif kind == "web":
        skip("events of zero length", sum(1 for e in events if e.end <= e.start))
        skip("incognito tabs (never stored)", sum(1 for e in events if e.incognito))
    elif kind != "afk":
        skip("events of zero length", sum(1 for e in events if e.end <= e.start))


def _scan(stream: IO[bytes], where: Where) -> list[Outline]:
    """The first pass: every bucket's outline, in file order."""
    if stream.read(4096).lstrip()[:1] != b"{":  # ijson is slow on a deep nest of arrays: not an export anyway
        raise Unreadable("not an object at the top")
    stream.seek(0)
    tokens = ijson.parse(stream)
    next(tokens)
    outlines: dict[str, Outline] = {}
    seen_buckets = False
    bucket: Outline | None = None
    field = events = item = ""
    for prefix, event, value in tokens:
        if prefix.startswith(events) and bucket:
            if prefix == item and event in _VALUE_STARTS:
                bucket.event_count += 1
            continue
        if prefix == "" and event == "map_key" and value == "buckets":
            prefix, event, value = next(tokens)
            seen_buckets = event == "start_map"
        elif prefix == "buckets" and event == "map_key" and seen_buckets:
            bucket = outlines[value] = Outline(value)
            field = f"buckets.{value}"
            events, item = f"{field}.events", f"{field}.events.item"
            bucket.is_object = next(tokens)[1] == "start_map"
        elif prefix == field and event == "map_key" and bucket:
            _field(bucket, value, next(tokens))
    if not seen_buckets:
        raise where.fail(f"not an ActivityWatch export: no \"buckets\" object at the top; {HOW_TO_EXPORT}")
    return list(outlines.values())


def _field(bucket: Outline, name: str, token: tuple[str, str, Any]) -> None:
    """Note the value of a bucket's field ``name`` (its first token)."""
    _, event, value = token
    value = _NOT_SCALAR.get(event, value)
    if name == "id" and isinstance(value, str):
        bucket.id = value
    elif name == "type":
        bucket.type = value
    elif name == "hostname":
        bucket.hostname = value if isinstance(value, str) else ""
    elif name == "events":
        bucket.has_events = event == "start_array"
        bucket.event_count = 0


def _events(path: Path, outline: Outline, where: Where) -> Iterator[AwEvent]:
    """One bucket's events, read and checked one at a time."""
    with path.open("rb") as stream:
        raw = ijson.items(stream, f"buckets.{outline.key}.events.item", use_float=True)
        yield from checked_events(raw, outline.kind, where, outline.id or outline.key)


def _check_outline(outline: Outline, where: Where) -> None:
    """What ``parse_export`` checks of a bucket before its events."""
    if not outline.is_object:
        raise where.fail("is not an object", outline.key)
    outline.id = outline.id or outline.key
    if not isinstance(outline.type, str):
        raise where.fail(f"has no \"type\" (got {outline.type!r}); expected e.g. \"currentwindow\"",
                         outline.id)
    if not outline.has_events:
        raise where.fail("has no \"events\" list", outline.id)
    outline.kind = kind_of(outline.id, outline.type)


def stream_export(path: Path, scratch: ScratchEvents, skip: Skip, progress: Progress | None = None
                  ) -> list[Outline]:
    """Check every event of the export at ``path`` and write it into ``scratch``; its buckets in file order.

    Raises InputError for a file that cannot be used, Unreadable for a small one ijson refuses.
    """
    where = Where(path)
    try:
        with path.open("rb") as stream:
            outlines = _scan(stream, where)
        total = sum(outline.event_count for outline in outlines)
        done = 0
        for number, outline in enumerate(outlines):
            _check_outline(outline, where)
            if outline.kind == "other":
                tally_skips(outline.kind, outline.type, (), outline.event_count, skip)
                continue
            events = _events(path, outline, where)
            while batch := list(islice(events, BATCH)):
                # a private tab's title and address never reach the disk, not even the scratch file
                scratch.add(number, [event for event in batch if not event.incognito])
                tally_skips(outline.kind, outline.type, batch, len(batch), skip)
                outline.has_pieces = outline.has_pieces or any(e.end > e.start for e in batch)
                done += len(batch)
                if progress:
                    progress("reading", done, total)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except (ijson.JSONError, UnicodeDecodeError, Unreadable) as exc:
        raise _unreadable(path, exc) from None
    scratch.finish()
    return outlines


def _unreadable(path: Path, exc: Exception) -> Exception:
    """Unreadable for a small file; for a big one, an InputError with ijson's message."""
    size = path.stat().st_size
    if size <= WHOLE_FILE_LIMIT:
        return Unreadable(str(exc))
    with path.open("rb") as stream:
        stream.seek(max(0, size - 64))
        tail = stream.read().rstrip()
    if isinstance(exc, Unreadable):
        return Where(path).fail("not an ActivityWatch export: no \"buckets\" object at the top; "
                                + HOW_TO_EXPORT)
    cut = " (the file looks cut short)" if not tail.endswith((b"}", b"]")) else ""
    problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return InputError(f"{path}: not valid JSON ({problem}){cut}; {HOW_TO_EXPORT}")
