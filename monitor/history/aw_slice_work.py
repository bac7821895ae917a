"""Checking an export's events a slice at a time, here or in the planning process beside this one.

The quick reading (``aw_slices``) parses a usual export's events a slice of whole events at
a time. Each slice is checked exactly as ``aw_format`` checks a whole file and turned into
the scratch file's rows by ``check_slice``, a pure function: a slice checked by the planning
process gives the same rows, counts and skips as one checked here, since it is the same code
run on the same text.

While the file is read, the planning process has nothing to do yet. ``SharedChecking`` hands
it the next slice (its text) whenever it is free, checks the following ones here meanwhile,
and writes every slice's rows into the scratch file in file order: the events are checked on
two cores. A slice the planner finds unusual (an event only the checked path reads, which also
writes the message) makes the quick reading step aside, as one found here does.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from monitor.history.aw_format import AwEvent, Where, checked_events
from monitor.history.aw_slices import NotUsual, check_usual
from monitor.store.import_scratch import Batch, ScratchEvents, event_batches

log = logging.getLogger(__name__)

HELPER_SLICES = 2
"""Slices the helper has at once: one it checks, and the next, so it never waits for this process."""
WAITING_SLICES = 8
"""Slices (checked here, or with the helper) that may wait to be written before the helper is waited for."""

Skip = Callable[[str, int], None]
"""Called as ``skip(reason, count)`` for events left out whole."""


@dataclass(frozen=True)
class CheckedSlice:
    """A slice of a bucket's events, checked: the scratch file's rows and what the report counts."""

    batches: list[Batch]
    """The events to keep (not incognito tabs) as scratch rows."""
    skips: list[tuple[str, int]]
    """Events left out whole, and why."""
    has_pieces: bool
    """Whether any event has a length."""

    def encoded(self) -> bytes:
        """The slice as the planner sends it."""
        return marshal.dumps((self.batches, self.skips, self.has_pieces))

    @classmethod
    def decoded(cls, body: bytes) -> CheckedSlice:
        """The slice the planner sent as ``body``."""
        batches, skips, has_pieces = marshal.loads(body)  # noqa: S302 - from our own child, a moment ago
        return cls(batches, skips, has_pieces)


@dataclass(frozen=True)
class SliceOrder:
    """A slice for the planner to check: its bucket's kind and type, and its text (a JSON array)."""

    kind: str
    bucket_type: str
    text: bytes


def tally_skips(kind: str, bucket_type: str, events: Sequence[AwEvent], count: int, skip: Skip) -> None:
    """Count the events of one bucket (or a batch of it) that are left out whole, and why."""
    if kind == "other":
        skip(f"{bucket_type} events (not screen time)", count)
    elif kind == "web":
        skip("events of zero length", sum(1 for e in events if e.end <= e.start))
        skip("incognito tabs (never stored)", sum(1 for e in events if e.incognito))
    elif kind != "afk":
        skip("events of zero length", sum(1 for e in events if e.end <= e.start))


def check_slice(raw: list[Any], kind: str, bucket_type: str, where: Where, bucket: str,
                first: int = 0) -> CheckedSlice:
    """Check ``raw`` (the next events of a bucket) as ``aw_format`` does; InputError names a bad one.

    ``first`` is the number of the bucket's events before these (the message counts from it).
    """
    return slice_of(list(checked_events(raw, kind, where, bucket, first=first)), kind, bucket_type, len(raw))


def slice_of(events: list[AwEvent], kind: str, bucket_type: str, count: int) -> CheckedSlice:
    """``events`` (checked, of ``count`` in the file) as the scratch file's rows and the report's counts."""
    skips: list[tuple[str, int]] = []
    tally_skips(kind, bucket_type, events, count, lambda reason, left_out: skips.append((reason, left_out)))
    # a private tab's title and address never reach the disk, not even the scratch file
    kept = [event for event in events if not event.incognito]
    return CheckedSlice(event_batches(kept), skips, any(event.end > event.start for event in events))


def check_order(order: SliceOrder) -> CheckedSlice:
    """The planner's side: parse and check the slice of ``order`` (NotUsual or InputError: unusual)."""
    raw = orjson.loads(order.text)
    check_usual(raw)
    return check_slice(raw, order.kind, order.bucket_type, Where(Path("<slice>")), "")


class BucketOutline(Protocol):
    """What is known of the bucket a slice is of (``aw_stream.Outline``)."""

    key: str
    id: str | None
    type: Any
    kind: str
    event_count: int
    has_pieces: bool


class SliceHelper(Protocol):
    """A process that checks slices beside this one (the planner)."""

    def slices_welcome(self) -> bool:
        """Whether slices may be sent (the helper has started and is ready)."""

    def send_slice(self, order: SliceOrder) -> None:
        """Hand the helper a slice; it answers for its slices in the order sent."""

    def slice_done(self) -> bool:
        """Whether the first slice not taken back has been checked (its answer is waiting)."""

    def checked_slice(self) -> CheckedSlice:
        """The answer for the first slice not taken back, waited for; NotUsual when it is unusual."""


@dataclass
class _Pending:
    """A slice on its way to the scratch file: checked, or with the helper (``checked`` None)."""

    outline: BucketOutline
    number: int
    checked: CheckedSlice | None


class SharedChecking:
    """Slices checked here and by a helper, written into the scratch file in file order."""

    def __init__(self, helper: SliceHelper, scratch: ScratchEvents, skip: Skip, where: Where,
                 written: Callable[[], None]) -> None:
        self._helper = helper
        self._scratch = scratch
        self._skip = skip
        self._where = where
        self._written = written
        self._pending: deque[_Pending] = deque()
        """Slices not written yet, in file order."""
        self._with_helper: deque[_Pending] = deque()
        """Those of them the helper has, in the order sent (it answers in that order)."""
        self.helped = 0
        """Slices the helper checked."""

    def add(self, outline: BucketOutline, number: int, text: str, raw: list[Any]) -> None:
        """Check the next slice of a bucket's events (``raw``, parsed from ``text``) here or by the helper."""
        first = outline.event_count
        outline.event_count += len(raw)
        if len(self._with_helper) < HELPER_SLICES and self._helper.slices_welcome():
            self._helper.send_slice(SliceOrder(outline.kind, outline.type, text.encode()))
            self._with_helper.append(_Pending(outline, number, None))
            self._pending.append(self._with_helper[-1])
        else:
            self._pending.append(_Pending(outline, number, check_slice(
                raw, outline.kind, outline.type, self._where, outline.id or outline.key, first)))
        self._write(wait_for=1 if len(self._pending) > WAITING_SLICES else 0)

    def finish(self) -> None:
        """Write every slice added (waiting for the helper's)."""
        self._write(wait_for=len(self._with_helper))

    def abandon(self) -> None:
        """Take back the helper's answers for its slices, and forget every slice (the reading steps aside)."""
        self._pending.clear()
        while self._with_helper:
            self._with_helper.popleft()
            with contextlib.suppress(NotUsual):
                self._helper.checked_slice()

    def _write(self, *, wait_for: int) -> None:
        """Take the helper's answers that have come (waiting for the first ``wait_for``); write the rest."""
        while self._with_helper and (wait_for > 0 or self._helper.slice_done()):
            answered = self._with_helper.popleft()  # taken first: an unusual answer is taken all the same
            answered.checked = self._helper.checked_slice()
            self.helped += 1
            wait_for -= 1
        while self._pending and (checked := self._pending[0].checked) is not None:
            pending = self._pending.popleft()
            store_checked(pending.outline, pending.number, checked, self._scratch, self._skip)
            self._written()


def store_checked(outline: BucketOutline, number: int, checked: CheckedSlice, scratch: ScratchEvents,
                  skip: Skip) -> None:
    """Write a checked slice into the scratch file and count it into its bucket's ``outline``."""
    scratch.add_batches(number, checked.batches)
    for reason, count in checked.skips:
        skip(reason, count)
    outline.has_pieces = outline.has_pieces or checked.has_pieces

