"""Keeping a device's folder small: consecutive segments merged into one of a higher level.

A device writes a small segment each pass that has news (every ``sync.every`` while
someone is at the computer). Whenever its newest FANOUT segments share a level, they are
merged into one segment of the next level covering the same numbers, holding each row's
latest state only (``net``), and then deleted: a year of passes stays a few dozen files.
A reader that had read part of the merged range reads the merged segment whole: applying
the latest state of every row it holds leaves the same store as the segments it replaces.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from monitor.sync.segments import (
    FULL_LEVEL,
    Entry,
    Segment,
    SegmentName,
    decode,
    encode,
    segment_files,
    write_atomically,
)

FANOUT = 16
"""How many segments of one level are merged into one of the next."""


def _person(merged: dict[str, list[Any]], fields: dict[str, list[Any]]) -> None:
    """Merge a person's fields: each keeps its latest change (by stamp, then device id)."""
    for column, record in fields.items():
        kept = merged.get(column)
        if kept is None or (record[1], record[2]) >= (kept[1], kept[2]):
            merged[column] = record


def net(entries: Iterable[Entry]) -> list[Entry]:
    """The latest state of each row ``entries`` (in order) touch: people, talks, spans, prompts, deletions."""
    people: dict[str, dict[str, list[Any]]] = {}
    talks: dict[tuple[Any, ...], Entry] = {}
    spans: dict[tuple[Any, ...], Entry] = {}
    prompts: dict[Any, Entry] = {}
    gone: dict[str, Entry] = {}
    forgets: dict[tuple[Any, ...], Entry] = {}
    for entry in entries:
        kind = entry.get("t")
        if kind == "person":
            _person(people.setdefault(entry["gid"], {}), entry["fields"])
        elif kind == "talk":
            talks[(entry["gid"], entry["at"], entry["source"])] = entry
        elif kind in ("span", "drop"):
            spans[(entry["id"], entry["s"])] = entry
        elif kind in ("prompt", "unprompt"):
            prompts[entry["id"]] = entry
        elif kind == "unperson":
            gone[entry["gid"]] = entry
        elif kind == "forget":
            forgets[(entry["start"], entry["end"], entry["app"], entry["pattern"], entry["at"])] = entry
    return [*({"t": "person", "gid": gid, "fields": fields} for gid, fields in people.items()),
            *talks.values(), *spans.values(), *prompts.values(), *gone.values(), *forgets.values()]


def _tail_run(names: list[SegmentName]) -> list[SegmentName]:
    """The newest segments that follow each other and share a level (below a full segment's)."""
    run: list[SegmentName] = []
    for name in reversed(names):
        follows = not run or (name.level == run[0].level and name.last + 1 == run[0].first)
        if name.level >= FULL_LEVEL - 1 or not follows:
            break
        run.insert(0, name)
    return run


def compact(folder: Path, device: str, now: float) -> list[SegmentName]:
    """Merge the newest FANOUT segments of one level, again while possible; return the merged ones.

    BadSegment when one of this device's own segments cannot be read (then a full
    segment is due instead).
    """
    merged: list[SegmentName] = []
    while True:
        files = segment_files(folder)
        run = _tail_run(sorted(files))
        if len(run) < FANOUT:
            return merged
        group = run[-FANOUT:]
        parts = [decode(files[name].read_bytes(), device) for name in group]
        combined = Segment(device=device, name=parts[-1].name, first=group[0].first, last=group[-1].last,
                           level=group[0].level + 1, full=parts[0].full, written_utc=now,
                           entries=net(entry for part in parts for entry in part.entries),
                           from_utc=min((p.from_utc for p in parts if p.from_utc is not None), default=None),
                           to_utc=max((p.to_utc for p in parts if p.to_utc is not None), default=None))
        write_atomically(folder / combined.segment_name.file, encode(combined))
        for name in group:
            with contextlib.suppress(FileNotFoundError):
                files[name].unlink()
        merged.append(combined.segment_name)
