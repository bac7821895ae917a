"""One segment of another device into this store, in the caller's transaction: all of it or none.

Times are moved onto this computer's clock (``offset``: monitor.sync.clock) and spans
lose the time ``unscroll forget`` forgot here (the ``forgotten`` table), as an import does.
People are matched by sync id, else (a newcomer) by uid or name; each field keeps its
latest change, ties going to the larger device id, and an interaction is added unless the
same one is stored: two devices logging the same person both count. A person deleted on
the other device goes here too, unless a field changed here after that.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from monitor.history.intervals import kept_outside, merge
from monitor.store import forgetting, sync_apply, sync_people
from monitor.store.database import Store
from monitor.store.forgetting import Forgotten
from monitor.store.sync_apply import Connection, RemotePrompt, RemoteSpan, span_key
from monitor.sync.segments import Segment

log = logging.getLogger(__name__)


@dataclass
class Applying:
    """What applying a segment needs to know besides the segment."""

    device: str
    """The device that wrote it."""
    this_device: str
    offset: float
    """Seconds taken off its times."""
    day_of: Callable[[float], date]
    """The local day (this computer's settings) of an instant."""
    forgotten: Sequence[Forgotten] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        """Count one entry of ``what`` applied."""
        self.counts[what] = self.counts.get(what, 0) + 1


def _pieces(span: dict[str, Any], at: Applying) -> list[tuple[float, float]]:
    start, end = float(span["s"]) - at.offset, float(span["e"]) - at.offset
    holes = merge((f.start_utc, f.end_utc) for f in at.forgotten if f.applies_to(span["app"], span["title"]))
    return kept_outside(start, end, holes)


def _spans(connection: Connection, entries: list[dict[str, Any]], at: Applying) -> None:
    stored: list[RemoteSpan] = []
    dropped: list[str] = []
    for entry in entries:
        key = span_key(at.device, int(entry["id"]), float(entry["s"]))
        if entry["t"] == "drop":
            dropped.append(key)
            continue
        stored.append(RemoteSpan(key, _pieces(entry, at), str(entry["app"]), entry["title"],
                                 str(entry["cat"]), str(entry["name"]), bool(entry["w"])))
    sync_apply.drop_spans(connection, dropped)
    sync_apply.store_spans(connection, at.device, stored)
    at.counts["spans"] = at.counts.get("spans", 0) + len(stored) + len(dropped)


def _prompts(connection: Connection, entries: list[dict[str, Any]], at: Applying) -> None:
    stored: list[RemotePrompt] = []
    for entry in entries:
        origin = f"sync:{at.device}:{int(entry['id'])}"
        if entry["t"] == "unprompt":
            sync_apply.drop_prompts(connection, [origin])
            continue
        moment = float(entry["at"]) - at.offset
        person = None if entry.get("gid") is None else sync_people.person_of(connection, str(entry["gid"]))
        action_at = entry.get("action_at")
        stored.append(RemotePrompt(
            origin=origin, at_utc=moment, day=at.day_of(moment).isoformat(), kind=str(entry["kind"]),
            category=entry.get("category"), person_id=person, message=str(entry.get("message") or ""),
            action=entry.get("action"), action_at=None if action_at is None else float(action_at) - at.offset,
            used_s=float(entry.get("used") or 0.0), held_back=bool(entry.get("held"))))
    sync_apply.store_prompts(connection, at.device, stored)
    at.counts["prompts"] = at.counts.get("prompts", 0) + len(entries)


def _match(connection: Connection, fields: dict[str, list[Any]]) -> int | None:
    """The person here who is the newcomer described by ``fields`` (same uid, else same name), if any."""
    from monitor.people.model import name_key  # noqa: PLC0415 - only when someone new comes in

    uid = (fields.get("uid") or [None])[0]
    name = (fields.get("name") or [None])[0]
    people = sync_people.candidates(connection)
    if uid:
        for person_id, _, known_uid in people:
            if known_uid == uid:
                return person_id
    if isinstance(name, str) and name_key(name):
        for person_id, known_name, _ in people:
            if name_key(known_name) == name_key(name):
                return person_id
    return None


def _local_touch(connection: Connection, person_id: int) -> float | None:
    return sync_people.local_touch(connection, person_id)


def _person(connection: Connection, entry: dict[str, Any], at: Applying) -> None:
    gid, fields = str(entry["gid"]), dict(entry["fields"])
    person_id = sync_people.person_of(connection, gid)
    if person_id is None and sync_people.is_gone(connection, gid):
        return  # deleted here: the deletion stands
    if person_id is None:
        person_id = _match(connection, fields)
        if person_id is None:
            if "name" not in fields or "created_utc" not in fields:
                log.warning("person %s from device %s lacks a name; left out", gid, at.device)
                return
            person_id = sync_people.insert_person(connection, {k: v[0] for k, v in fields.items()})
            sync_people.not_dirty(connection, person_id)
        else:
            fields = _first_sight(connection, person_id, fields)
        sync_people.link(connection, gid, person_id)
    _fields(connection, person_id, fields, at)
    at.count("people")


def _json_list(value: object) -> list[Any] | None:
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, list) else None


def _first_sight(connection: Connection, person_id: int,
                 fields: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """One person known on both before they met: lists joined, blanks filled; the rest is for ``_fields``.

    What changed here is written back (with this moment as its change), so both end with it.
    """
    row = sync_people.row_of(connection, person_id) or {}
    updates: dict[str, Any] = {}
    rest: dict[str, list[Any]] = {}
    for column, record in fields.items():
        mine, theirs = row.get(column), record[0]
        mine_list, their_list = _json_list(mine), _json_list(theirs)
        if mine_list is not None and their_list is not None:
            joined = [*mine_list, *(item for item in their_list if item not in mine_list)]
            if joined != mine_list:
                updates[column] = json.dumps(joined, ensure_ascii=False)
        elif column == "created_utc" and isinstance(mine, float | int) and isinstance(theirs, float | int):
            updates[column] = min(mine, theirs)
        elif mine in (None, "") and theirs not in (None, ""):
            updates[column] = theirs
        elif column in row:
            rest[column] = record
    sync_people.update_person(connection, person_id, {k: v for k, v in updates.items() if v != row.get(k)})
    return rest


def _fields(connection: Connection, person_id: int, fields: dict[str, list[Any]], at: Applying) -> None:
    """Each field of ``fields`` that changed later than here (ties: the larger device id) is taken."""
    row = sync_people.row_of(connection, person_id) or {}
    records = sync_people.field_records(connection, person_id)
    touched = _local_touch(connection, person_id)
    edited_here = False
    updates: dict[str, Any] = {}
    for column, (value, stamp, device) in fields.items():
        if column not in row:
            continue
        current = sync_people.as_json(row[column])
        record = records.get(column)
        if record is not None and record[0] == current:
            mine = (record[1], record[2])
        else:  # changed here and not written yet, or never written
            mine = (touched or 0.0, at.this_device)
            edited_here = edited_here or record is not None or touched is not None
        if (float(stamp), str(device)) > mine:
            updates[column] = value
            records[column] = (sync_people.as_json(value), float(stamp), str(device))
    sync_people.update_person(connection, person_id, updates)
    sync_people.save_field_records(connection, person_id, records)
    if updates and not edited_here:  # nothing of this computer's to write back
        sync_people.not_dirty(connection, person_id)


def _unperson(connection: Connection, entry: dict[str, Any]) -> None:
    person_id = sync_people.person_of(connection, str(entry["gid"]))
    if person_id is None:
        return
    latest = max((stamp for _, stamp, _ in sync_people.field_records(connection, person_id).values()),
                 default=0.0)
    touched = _local_touch(connection, person_id) or 0.0
    if float(entry["stamp"]) >= max(latest, touched):
        sync_people.delete_person(connection, person_id)


def _talk(connection: Connection, entry: dict[str, Any], at: Applying) -> None:
    person_id = sync_people.person_of(connection, str(entry["gid"]))
    if person_id is not None:
        talk = {**entry, "at": float(entry["at"]) - at.offset}
        if sync_people.insert_talk(connection, person_id, talk, at.device):
            at.count("interactions")


def _forget(store: Store, entry: dict[str, Any]) -> None:
    """Forget here what was forgotten there (once: the same forget coming back is left alone)."""
    record = Forgotten(float(entry["start"]), float(entry["end"]), entry.get("app"), entry.get("pattern"),
                       float(entry["at"]))
    if sync_apply.has_forgotten(store.connection, record.start_utc, record.end_utc, record.app,
                                record.title_pattern, record.forgotten_utc):
        return
    forgetting.record_forgotten(store, record)
    forgetting.secure_delete(store)  # the freed bytes are zeroed, as `unscroll forget` does
    starting = forgetting.spans_starting(store, record.start_utc, record.end_utc)
    doomed = [span_id for span_id, _, app, title in starting if record.applies_to(app, title)]
    forgetting.delete_spans(store, doomed)
    if record.app is None and record.title_pattern is None:
        forgetting.delete_prompts(store, record.start_utc, record.end_utc)


def apply_segment(store: Store, segment: Segment, at: Applying) -> None:
    """Apply ``segment``'s entries (call inside ``store.transaction()``)."""
    connection = store.connection
    if segment.full:
        sync_apply.wipe_device(connection, at.device)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for entry in segment.entries:
        by_kind.setdefault(str(entry.get("t")), []).append(entry)
    for entry in by_kind.get("person", []):
        _person(connection, entry, at)
    for entry in by_kind.get("talk", []):
        _talk(connection, entry, at)
    _spans(connection, [e for e in segment.entries if e.get("t") in ("span", "drop")], at)
    _prompts(connection, [e for e in segment.entries if e.get("t") in ("prompt", "unprompt")], at)
    for entry in by_kind.get("unperson", []):
        _unperson(connection, entry)
    for entry in by_kind.get("forget", []):
        _forget(store, entry)
