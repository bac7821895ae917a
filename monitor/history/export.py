"""Writing the user's data out: CSV (one row per span), JSON (everything) or an ActivityWatch export.

Rows are streamed from SQLite, so a year of spans never sits in memory at once. The
ActivityWatch format is what aw-server's ``/api/0/export`` writes and its import reads:
one ``currentwindow`` bucket per device with events ``{"timestamp" (ISO 8601, UTC),
"duration" (seconds), "data": {"app", "title"}}``. Data is written as stored: a title
that was never stored stays empty. CSV and JSON carry each span's ``watching`` (counted
while media played with no input: 1/0 in CSV, true/false in JSON).

The JSON export is version 2 (``EXPORT_VERSION``): each prompt carries the fields of
``unscroll prompts --json`` (``time``, ``kind``, ``category``, ``person``, ``outcome``,
``held_back``), its ``outcomes`` (monitor.store.outcomes; null for a prompt that was no
decision, and each null until its window has passed) and, to come back exactly, the stored
columns (``at_utc``, ``stored_kind``, ``action``, ...); each interaction also its ``time``.
Version 1 wrote the prompts' stored columns only. ``unscroll import unscroll`` reads both
(monitor.history.unscroll_import).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from monitor.core.errors import InputError
from monitor.core.paths import PRIVATE_FILE_MODE
from monitor.core.prompt_words import DECISION_KINDS, outcome_word, shown_kind
from monitor.store import history_rows
from monitor.store.database import Store
from monitor.store.outcomes import outcomes_of

FORMATS = ("csv", "json", "activitywatch")
CSV_COLUMNS = ("start", "end", "seconds", "app", "title", "category", "name", "device", "source", "watching")
EXPORT_CLIENT = "unscroll"
EXPORT_FORMAT = "unscroll-export"
EXPORT_VERSION = 2


def iso_utc(instant: float) -> str:
    """``2026-03-23T08:00:00.250000+00:00``: ISO 8601 in UTC, as ActivityWatch writes it."""
    return datetime.fromtimestamp(instant, UTC).isoformat()


def export_csv(store: Store, out: TextIO, since_utc: float | None = None) -> int:
    """One row per span with a header line; returns the number of spans written."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for start, end, app, title, category, name, device, source, watching in history_rows.span_tuples(
            store, since_utc):
        writer.writerow((iso_utc(start), iso_utc(end), round(end - start, 3), app, title or "", category,
                         name, device, source, watching))
        count += 1
    return count


def _write_array(out: TextIO, key: str, items: Iterator[dict[str, Any]], first: bool) -> int:
    out.write(("" if first else ",\n") + f' "{key}": [')
    count = 0
    for item in items:
        out.write(("\n  " if count == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n ]" if count else "]")
    return count


def _decoded(person: dict[str, Any]) -> dict[str, Any]:
    for key in ("tags", "emails", "phones", "links"):
        with contextlib.suppress(TypeError, ValueError):
            person[key] = json.loads(person[key])
    return person


_SHOWN_ALREADY = ("id", "kind", "category", "held_back")
"""Stored prompt columns the export writes under their ``prompts --json`` names instead."""


def _prompt_items(store: Store, since_utc: float | None, now: float) -> Iterator[dict[str, Any]]:
    """Each prompt as ``prompts --json`` shows it, with its outcomes and its stored columns."""
    names = {int(p["id"]): str(p["name"]) for p in history_rows.people_records(store)}
    for row in history_rows.prompt_records(store, since_utc):
        at, kind, category, person_id = row["at_utc"], row["kind"], row["category"], row["person_id"]
        outcomes = asdict(outcomes_of(store, at, category, now)) if kind in DECISION_KINDS else None
        yield {"time": iso_utc(at), "kind": shown_kind(kind, person_id), "category": category,
               "person": names.get(person_id) if person_id is not None else None,
               "outcome": outcome_word(row["action"]), "held_back": bool(row.get("held_back", 0)),
               "outcomes": outcomes, "stored_kind": kind,
               **{key: value for key, value in row.items() if key not in _SHOWN_ALREADY}}


def _interaction_items(store: Store, since_utc: float | None) -> Iterator[dict[str, Any]]:
    for row in history_rows.interaction_records(store, since_utc):
        yield {"time": iso_utc(row["at_utc"]), **row}


def export_json(store: Store, out: TextIO, since_utc: float | None = None) -> int:
    """Spans, people, interactions and prompts as one JSON document; returns the spans written."""
    now = time.time()
    out.write("{\n" + f' "format": "{EXPORT_FORMAT}", "version": {EXPORT_VERSION}, '
              f'"exported_at": "{iso_utc(now)}",\n')
    spans = (
        {"start": iso_utc(row["start_utc"]), "end": iso_utc(row["end_utc"]), **row,
         "watching": bool(row["watching"])}
        for row in history_rows.span_records(store, since_utc)
    )
    count = _write_array(out, "spans", spans, first=True)
    _write_array(out, "people", (_decoded(p) for p in history_rows.people_records(store)), first=False)
    _write_array(out, "interactions", _interaction_items(store, since_utc), first=False)
    _write_array(out, "prompts", _prompt_items(store, since_utc, now), first=False)
    out.write("\n}\n")
    return count


def export_activitywatch(store: Store, out: TextIO, since_utc: float | None = None) -> int:
    """An ActivityWatch export: one ``currentwindow`` bucket per device; returns the events written."""
    devices = history_rows.devices(store)
    created = iso_utc(time.time())
    out.write('{"buckets": {')
    count = 0
    for index, device in enumerate(devices):
        bucket_id = f"aw-watcher-window_{device}"
        header: dict[str, Any] = {"id": bucket_id, "created": created, "name": None, "type": "currentwindow",
                  "client": EXPORT_CLIENT, "hostname": device, "data": {}}
        out.write(("" if index == 0 else ", ") + json.dumps(bucket_id) + ": " + json.dumps(header)[:-1]
                  + ', "events": [')
        rows = history_rows.device_windows(store, device, since_utc)
        for number, (start, end, app, title) in enumerate(rows):
            event = {"timestamp": iso_utc(start), "duration": round(end - start, 6),
                     "data": {"app": app, "title": title or ""}}
            out.write(("" if number == 0 else ", ") + json.dumps(event, ensure_ascii=False))
            count += 1
        out.write("]}")
    out.write("}}\n")
    return count


@contextlib.contextmanager
def private_output(path: Path) -> Iterator[TextIO]:
    """Write a new file at ``path`` (0600) through a temporary file, replaced in one step on success.

    The folder must exist; an error leaves no partial file behind.
    """
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist; "
                         "create it or choose another --out")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name for --out")
    temporary = path.with_name(f".{path.name}.part")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        temporary.replace(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)


EXPORTERS: dict[str, Callable[[Store, TextIO, float | None], int]] = {
    "csv": export_csv,
    "json": export_json,
    "activitywatch": export_activitywatch,
}
