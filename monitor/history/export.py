"""Writing the user's data out: CSV (one row per span), JSON (everything) or an ActivityWatch export.

Rows are streamed from SQLite, so a year of spans never sits in memory at once. The
ActivityWatch format is what aw-server's ``/api/0/export`` writes and its import reads:
one ``currentwindow`` bucket per device with events ``{"timestamp" (ISO 8601, UTC),
"duration" (seconds), "data": {"app", "title"}}``. Data is written as stored: a title
that was never stored stays empty.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from monitor.core.errors import InputError
from monitor.core.paths import PRIVATE_FILE_MODE
from monitor.store import history_rows
from monitor.store.database import Store

FORMATS = ("csv", "json", "activitywatch")
CSV_COLUMNS = ("start", "end", "seconds", "app", "title", "category", "name", "device", "source")
EXPORT_CLIENT = "unscroll"


def iso_utc(instant: float) -> str:
    """``2026-03-23T08:00:00.250000+00:00``: ISO 8601 in UTC, as ActivityWatch writes it."""
    return datetime.fromtimestamp(instant, UTC).isoformat()


def export_csv(store: Store, out: TextIO, since_utc: float | None = None) -> int:
    """One row per span with a header line; returns the number of spans written."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for start, end, app, title, category, name, device, source in history_rows.span_tuples(store, since_utc):
        writer.writerow((iso_utc(start), iso_utc(end), round(end - start, 3), app, title or "", category,
                         name, device, source))
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


def export_json(store: Store, out: TextIO, since_utc: float | None = None) -> int:
    """Spans, people, interactions and prompts as one JSON document; returns the spans written."""
    exported = iso_utc(time.time())
    out.write("{\n" + f' "format": "unscroll-export", "version": 1, "exported_at": "{exported}",\n')
    spans = (
        {"start": iso_utc(row["start_utc"]), "end": iso_utc(row["end_utc"]), **row}
        for row in history_rows.span_records(store, since_utc)
    )
    count = _write_array(out, "spans", spans, first=True)
    _write_array(out, "people", (_decoded(p) for p in history_rows.people_records(store)), first=False)
    _write_array(out, "interactions", history_rows.interaction_records(store, since_utc), first=False)
    _write_array(out, "prompts", history_rows.prompt_records(store, since_utc), first=False)
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
