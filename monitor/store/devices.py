"""The devices this computer knows of (``sync_devices``), their spans, and narrowing the totals to some.

``kind`` is ``self`` (this computer), ``peer`` (another computer writing to the synced
folder) or ``phone`` (an ActivityWatch export dropped into the folder's inbox). This
computer's own spans are those of no other device: the daemon's (under
``tracking.device``) and what was imported here.

``narrow`` gives one connection a view of some devices only: a temporary view named
``spans`` over ``main.spans`` hides the rest from every query of that connection (read-only
commands, such as ``unscroll today --device laptop``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from monitor.core.errors import InputError

if TYPE_CHECKING:
    from monitor.store.database import Store

SELF, PEER, PHONE = "self", "peer", "phone"
MIN_ID_PREFIX = 4
"""A device may be named by this many first letters of its id, or more."""
THIS_DEVICE = ""
"""The label ``per_device_seconds`` gives this computer's own spans."""

Connection = sqlite3.Connection


@dataclass
class Device:
    """One device as this computer knows it."""

    id: str
    name: str
    kind: str
    applied_through: int = 0
    """The last segment number of it applied here."""
    last_segment_utc: float | None = None
    """When its latest segment read here was written (its own clock)."""
    read_utc: float | None = None
    """When this computer last read something of it."""
    first_utc: float | None = None
    last_utc: float | None = None
    clock_low: float | None = None
    """Its clock minus ours is at least this (seconds), from when its segments arrived."""
    clock_low_at: float | None = None
    clock_high: float | None = None
    """Its clock minus ours is at most this, from when ours arrived there (its manifest says)."""
    offset_s: float = 0.0
    """What is taken off its times to put them on this computer's clock."""
    problem: str | None = None
    forgotten_utc: float | None = None
    """When ``unscroll devices forget`` stopped counting it (None: counted)."""


_COLUMNS = tuple(field.name for field in fields(Device))


def _device(row: sqlite3.Row | tuple[Any, ...]) -> Device:
    return Device(*row)


def get_device(connection: Connection, device_id: str) -> Device | None:
    """The device with ``device_id``, or None."""
    row = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM sync_devices WHERE id = ?",  # noqa: S608
                             (device_id,)).fetchone()
    return None if row is None else _device(tuple(row))


def all_devices(connection: Connection) -> list[Device]:
    """Every device known, this computer first, then by name."""
    rows = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM sync_devices "  # noqa: S608
                              "ORDER BY kind != 'self', name COLLATE NOCASE, id").fetchall()
    return [_device(tuple(row)) for row in rows]


def save_device(connection: Connection, device: Device) -> None:
    """Store ``device`` (all of its fields)."""
    marks = ", ".join("?" for _ in _COLUMNS)
    connection.execute(f"INSERT OR REPLACE INTO sync_devices ({', '.join(_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                       [getattr(device, name) for name in _COLUMNS])


def others_counted(connection: Connection) -> bool:
    """True when spans of another device may be stored (a peer or phone not forgotten)."""
    return connection.execute("SELECT 1 FROM sync_devices WHERE kind != ? AND forgotten_utc IS NULL LIMIT 1",
                              (SELF,)).fetchone() is not None


def narrowed(connection: Connection) -> bool:
    """True when this connection sees some devices' spans only (``narrow``)."""
    return connection.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'spans'").fetchone() is not None


def narrow(store: Store, device_ids: list[str] | None) -> None:
    """Let this connection see only the spans of ``device_ids`` (None: this computer's own)."""
    if device_ids is None:
        condition = f"device NOT IN (SELECT id FROM main.sync_devices WHERE kind != '{SELF}')"  # noqa: S608
    else:
        quoted = ", ".join("'" + device_id.replace("'", "''") + "'" for device_id in device_ids) or "NULL"
        condition = f"device IN ({quoted})"
    for table in ("spans", "span_rollups", "span_rollups_daily"):  # the rollups (monitor.store.rollups) alike
        store.connection.execute(f"DROP VIEW IF EXISTS temp.{table}")
        store.connection.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM main.{table} WHERE {condition}")  # noqa: S608


def per_device_seconds(store: Store, start_utc: float, end_utc: float) -> dict[str, float]:
    """Seconds per device id of spans starting in ``[start_utc, end_utc)``; THIS_DEVICE: this computer's."""
    rows = store.connection.execute(
        "SELECT CASE WHEN device IN (SELECT id FROM sync_devices WHERE kind != ?) THEN device ELSE ? END, "
        "SUM(end_utc - start_utc) FROM spans WHERE start_utc >= ? AND start_utc < ? GROUP BY 1",
        (SELF, THIS_DEVICE, start_utc, end_utc)).fetchall()
    return {str(device): float(seconds) for device, seconds in rows}


def span_counts(store: Store) -> dict[str, tuple[int, float]]:
    """Device id (THIS_DEVICE: this computer) → (spans, seconds) stored here."""
    rows = store.connection.execute(
        "SELECT CASE WHEN device IN (SELECT id FROM sync_devices WHERE kind != ?) THEN device ELSE ? END, "
        "COUNT(*), COALESCE(SUM(end_utc - start_utc), 0) FROM main.spans GROUP BY 1",
        (SELF, THIS_DEVICE)).fetchall()
    return {str(device): (int(count), float(seconds)) for device, count, seconds in rows}


def _names(connection: Connection) -> dict[str, str]:
    return {device.id: device.name for device in all_devices(connection) if device.kind != SELF}


def narrow_to_device(store: Store, name: str | None, *, this_device: bool, this_name: str) -> None:
    """Narrow ``store`` (``narrow``) to the device called ``name``, or to this computer.

    ``name`` matches a device's name (ignoring case) or the start of its id; ``this_name``
    (``sync.device_name``) is this computer's. InputError, naming the devices seen, if none is.
    """
    if name is None and not this_device:
        return
    if this_device or (name is not None and name.strip().casefold() == this_name.casefold()):
        narrow(store, None)
        return
    assert name is not None
    wanted = name.strip().casefold()
    others = _names(store.connection)
    ids = [device_id for device_id, known in others.items() if known.casefold() == wanted]
    if not ids and len(wanted) >= MIN_ID_PREFIX:
        ids = [device_id for device_id in others if device_id.startswith(wanted)]
    if not ids:
        known = ", ".join(sorted({this_name, *others.values()}, key=str.casefold))
        raise InputError(f"--device: no device is called {name!r}; the devices seen are: {known} "
                         "(see `unscroll devices`)")
    narrow(store, ids)


def named_seconds(store: Store, start_utc: float, end_utc: float, this_name: str) -> list[tuple[str, float]]:
    """(device name, seconds) of spans starting in ``[start_utc, end_utc)``, most first (this one always)."""
    names = _names(store.connection)
    per_device = per_device_seconds(store, start_utc, end_utc)
    named: dict[str, float] = {this_name: per_device.pop(THIS_DEVICE, 0.0)}
    for device_id, seconds in per_device.items():
        label = names.get(device_id, device_id)
        named[label] = named.get(label, 0.0) + seconds
    return sorted(named.items(), key=lambda item: (-item[1], item[0].casefold()))


def forget_device(store: Store, device_id: str, now: float) -> tuple[int, float]:
    """Stop counting ``device_id``: its spans and prompts leave this store; (spans, seconds) removed."""
    with store.transaction() as connection:
        count, seconds = connection.execute(
            "SELECT COUNT(*), COALESCE(SUM(end_utc - start_utc), 0) FROM main.spans WHERE device = ?",
            (device_id,)).fetchone()
        connection.execute("DELETE FROM main.spans WHERE device = ?", (device_id,))
        connection.execute("DELETE FROM prompts WHERE device = ?", (device_id,))
        connection.execute("UPDATE sync_devices SET forgotten_utc = ? WHERE id = ? AND kind != ?",
                           (now, device_id, SELF))
    return int(count), float(seconds)


def note_written(store: Store, device_id: str, written_utc: float) -> None:
    """Note when this computer last wrote a segment (its own device row)."""
    store.connection.execute("UPDATE sync_devices SET last_segment_utc = ? WHERE id = ?",
                             (written_utc, device_id))


def drop_device(connection: Connection, device_id: str) -> None:
    """Forget a device nothing was ever read from (a copied folder, since deleted)."""
    connection.execute("DELETE FROM sync_devices WHERE id = ? AND kind != ? AND applied_through = 0",
                       (device_id, SELF))
