"""Reading an ActivityWatch export a piece at a time, so memory does not grow with the file.

A usual file is read once by ``aw_slices`` (its events parsed by orjson a slice at a time);
any other, or one that reader steps aside from, by one pass of ijson's C tokenizer (yajl2_c
``basic_parse``), its tokens read a batch at a time (``aw_tokens``: most events are built
from their tokens by a learnt shape, in C). Both offer the same tokens to one reader here.
Each bucket's outline (id, type, host name) is noted as read; once a bucket's id and type
are known (ActivityWatch writes them before its events), its events are checked a batch at a
time exactly as ``aw_format`` does for a whole file (same messages, naming the file, bucket
and event) and written into a scratch database. A bucket whose id or type comes after its
events has them counted, then read again once the file is read (ijson's ``items``). Nothing
is stored until every event has been checked, so a broken file, even in its last event,
imports nothing; when two things are wrong, the one reported is the one a whole-file read
reports (broken JSON anywhere first, then the first bucket in the file): a broken file is
always read by ijson's tokens, which say so.

A file ijson cannot read (broken JSON, NaN, text that is not UTF-8) is handed back to the
whole-file reader when it is small, whose message says where it is broken (and which reads
what the standard library reads); a big one is refused with ijson's message.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

import ijson

from monitor.core.errors import InputError
from monitor.history.aw_format import (
    HOW_TO_EXPORT,
    EventFields,
    InexactId,
    Where,
    any_with_length,
    checked_fields,
    kind_of,
    not_private,
    plain_window_event,
    tally_skips,
)
from monitor.history.aw_slices import NotUsual, SliceTokens
from monitor.history.aw_tokens import END_MAP, START_MAP, Shape, Token, Tokens, Truncated
from monitor.store.import_scratch import ScratchEvents

log = logging.getLogger(__name__)

WHOLE_FILE_LIMIT = 32 * 1024 * 1024
"""Files up to this size that ijson refuses are read whole, for the standard library's message."""
BATCH = 10_000
"""Events checked and written to the scratch database at a time."""

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
    id_seen: bool = False
    type_seen: bool = False
    deferred: bool = False
    """Its type or id came after its events: they are read again once the file has been read."""
    has_pieces: bool = False
    """Whether any event has a length (what makes a window bucket's host have windows)."""


class _Reader:
    """One pass over the tokens: each bucket's outline, and its events checked into the scratch file."""

    def __init__(self, tokens: Tokens | SliceTokens, where: Where, scratch: ScratchEvents, skip: Skip,
                 progress: Callable[[], None]) -> None:
        self.tokens = tokens
        self.where = where
        self.scratch = scratch
        self.skip = skip
        self.progress = progress
        self.outlines: list[Outline] = []

    def document(self) -> list[Outline]:
        """Read the whole file; the buckets in file order."""
        tokens = self.tokens
        tokens.take()  # the top object's start: the file's first character is "{"
        seen_buckets = False
        while (token := tokens.take()) != END_MAP:
            if token[1] != "buckets":
                tokens.value()
            elif seen_buckets:
                raise self.where.fail(f"has \"buckets\" twice; {HOW_TO_EXPORT}")
            elif tokens.peek() == START_MAP:
                seen_buckets = True
                tokens.take()
                while (key := tokens.take()) != END_MAP:
                    self._bucket(key[1])
            else:
                tokens.value()
        if not seen_buckets:
            raise self.where.fail("not an ActivityWatch export: no \"buckets\" object at the top; "
                                  + HOW_TO_EXPORT)
        return self.outlines

    def _bucket(self, key: str) -> None:
        """Read one bucket: its fields, and its events as soon as its id and type are known."""
        if any(outline.key == key for outline in self.outlines):
            raise self.where.fail("is in the file twice", key)
        outline = Outline(key)
        self.outlines.append(outline)
        number = len(self.outlines) - 1
        tokens = self.tokens
        if tokens.peek() != START_MAP:
            outline.is_object = False
            _check_outline(outline, self.where)
        tokens.take()
        read_with: tuple[str | None, Any] | None = None
        while (token := tokens.take()) != END_MAP:
            name = token[1]
            if name != "events":
                _field(outline, name, tokens.value())
            elif outline.has_events:
                raise self.where.fail("has two \"events\" lists", outline.id or key)
            elif tokens.peek() != ("start_array", None):
                tokens.value()
            elif outline.id_seen and outline.type_seen:
                outline.has_events = True
                _check_outline(outline, self.where)
                read_with = (outline.id, outline.type)
                tokens.take()
                self._events(outline, number)
            else:
                outline.deferred = outline.has_events = True
                tokens.take()
                self._count(outline)
        if read_with is not None and read_with != (outline.id or key, outline.type):
            raise self.where.fail("has its \"id\" or \"type\" twice", outline.id or key)
        _check_outline(outline, self.where)

    def _events(self, outline: Outline, number: int) -> None:
        """Check a bucket's events a batch at a time and write them into the scratch file."""
        shapes: list[Shape] = []
        reader = _window_reader if outline.kind == "window" else None
        ended = False
        while not ended:
            batch, ended = self.tokens.items(shapes, BATCH, reader)
            self._write(outline, number, batch)

    def _write(self, outline: Outline, number: int, raw: list[Any]) -> None:
        """Check ``raw`` (the next events of the bucket) and write them into the scratch file."""
        if not raw:
            return
        try:
            events = checked_fields(raw, outline.kind, self.where, outline.id or outline.key,
                                    first=outline.event_count, floats_exact=self.tokens.floats_exact)
        except InexactId:
            raise NotUsual("an event id orjson reads as a float") from None
        _store_checked(outline, number, events, len(raw), self.scratch, self.skip)
        outline.event_count += len(raw)
        self.progress()

    def _count(self, outline: Outline) -> None:
        """Count the events of a bucket whose type comes after them (they are read again later)."""
        shapes: list[Shape] = []
        ended = False
        while not ended:
            batch, ended = self.tokens.items(shapes, BATCH)
            outline.event_count += len(batch)


def _window_reader(shape: Shape) -> Callable[[tuple[Token, ...]], EventFields | None] | None:
    """Reads a desktop window event of ``shape`` from its values (None: such events are read as objects)."""
    if "package" in shape.objects.get(("data",), ("package",)):
        return None  # no data object, or aw-android's package: the checked path
    fields = (("timestamp",), ("duration",), ("data", "app"), ("data", "title"))
    if ("id",) in shape.paths:
        with_id = shape.pick(*fields, ("id",))
        if with_id is None:
            return None

        def read(values: tuple[Token, ...]) -> EventFields | None:
            """The event, from its plain values' tokens."""
            (_, stamp), (_, duration), (_, app), (_, title), (_, event_id) = with_id(values)
            return plain_window_event(stamp, duration, app, title, event_id)
        return read
    without_id = shape.pick(*fields)
    if without_id is None or "id" in shape.objects[()]:
        return None  # an id that is an object or a list: the checked path

    def read_without_id(values: tuple[Token, ...]) -> EventFields | None:
        """The event (keyed by its timestamp), from its plain values' tokens."""
        (_, stamp), (_, duration), (_, app), (_, title) = without_id(values)
        return plain_window_event(stamp, duration, app, title, None)
    return read_without_id


def _field(outline: Outline, name: str, value: Any) -> None:
    """Note the value of a bucket's field ``name``."""
    if name == "id":
        outline.id = value if isinstance(value, str) else None
        outline.id_seen = True
    elif name == "type":
        outline.type = value
        outline.type_seen = True
    elif name == "hostname":
        outline.hostname = value if isinstance(value, str) else ""


def _event_batches(path: Path, outline: Outline, where: Where) -> Iterator[list[EventFields]]:
    """One bucket's events, read again by ijson and checked a batch at a time."""
    with path.open("rb") as stream:
        raw = ijson.items(stream, f"buckets.{outline.key}.events.item", use_float=True)
        read = 0
        while batch := list(islice(raw, BATCH)):
            yield checked_fields(batch, outline.kind, where, outline.id or outline.key, first=read)
            read += len(batch)


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
            if stream.read(4096).lstrip()[:1] != b"{":  # ijson is slow on a deep nest of arrays: no export
                raise Unreadable("not an object at the top")
            stream.seek(0)
            size = os.fstat(stream.fileno()).st_size

            def read() -> None:
                if progress:
                    progress("reading", min(stream.tell(), size), size)
            outlines = _read_quickly(stream, where, scratch, skip, read)
            if outlines is None:  # read again, carefully
                scratch.clear()
                stream.seek(0)
                outlines = _read_carefully(stream, path, where, scratch, skip, read)
        for number, outline in enumerate(outlines):
            if outline.deferred:
                _deferred(path, outline, scratch, where, number, skip)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except (ijson.JSONError, UnicodeDecodeError, Unreadable, Truncated) as exc:
        raise _unreadable(path, exc) from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be an ActivityWatch export") from None
    scratch.finish()
    return outlines


def _read_quickly(stream: IO[bytes], where: Where, scratch: ScratchEvents, skip: Skip,
                  progress: Callable[[], None]) -> list[Outline] | None:
    """The buckets of a usual file, its events parsed by orjson (None: read it with ijson's tokens)."""
    skipped: list[tuple[str, int]] = []
    tokens = SliceTokens(stream)
    reader = _Reader(tokens, where, scratch, lambda reason, count: skipped.append((reason, count)), progress)
    try:
        outlines = reader.document()
        if not tokens.rest_is_blank():
            raise NotUsual("more after the top value")
    except (NotUsual, InputError, RecursionError) as exc:
        # the careful reading says what is wrong with a broken file, as it always has
        log.debug("%s: read with ijson's tokens (%s)", where.path, exc)
        return None
    for reason, count in skipped:
        skip(reason, count)
    return outlines


def _read_carefully(stream: IO[bytes], path: Path, where: Where, scratch: ScratchEvents, skip: Skip,
                    progress: Callable[[], None]) -> list[Outline]:
    """The buckets, read from ijson's tokens (any JSON, and the messages for broken files)."""
    parsed = ijson.basic_parse(stream, use_float=True)
    reader = _Reader(Tokens(parsed), where, scratch, skip, progress)
    try:
        return reader.document()
    except InputError:
        deque(parsed, 0)  # a file broken further on says so first, as when read whole
        for outline in reader.outlines[:-1]:
            _deferred(path, outline, scratch, where)  # an earlier bucket's problem comes first
        raise


def _deferred(path: Path, outline: Outline, scratch: ScratchEvents, where: Where, number: int = -1,
              skip: Skip | None = None) -> None:
    """Read again the events of a bucket whose type came after them, now that it is known."""
    if not outline.deferred:
        return
    if outline.kind == "other":
        tally_skips(outline.kind, outline.type, (), outline.event_count, skip or _ignore)
        return
    for batch in _event_batches(path, outline, where):
        _store_checked(outline, number, batch, len(batch), scratch, skip or _ignore)


def _store_checked(outline: Outline, number: int, events: list[EventFields], count: int,
                   scratch: ScratchEvents, skip: Skip) -> None:
    """Write checked ``events`` (``count`` were read) of bucket ``number`` to ``scratch``; count the rest."""
    # a private tab's title and address never reach the disk, not even the scratch file
    scratch.add(number, not_private(events) if outline.kind == "web" else events)  # (only a tab is private)
    tally_skips(outline.kind, outline.type, events, count, skip)
    outline.has_pieces = outline.has_pieces or any_with_length(events)


def _ignore(reason: str, count: int) -> None:
    """A ``Skip`` that counts nothing (the import fails anyway)."""


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
