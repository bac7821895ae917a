"""What ``unscroll devices`` shows: every device seen, and ``devices forget`` (pure of printing).

A device is this computer, another computer writing to the synced folder, or a phone whose
ActivityWatch export came through the inbox. Each row says when its latest segment was
written, how many of its spans are stored here, how far its clock is off (and a flag past
an hour), and what keeps it from being read (a copied folder, a segment set aside, a folder
gone). ``forget`` stops counting a device that is gone: its spans and prompts leave this
store; its files stay in the synced folder for the person to delete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from monitor.core.errors import InputError
from monitor.core.settings import Settings
from monitor.store.database import Store
from monitor.store.devices import (
    MIN_ID_PREFIX,
    PHONE,
    SELF,
    THIS_DEVICE,
    Device,
    all_devices,
    forget_device,
    span_counts,
)
from monitor.sync.clock import ClockBounds, clock_note
from monitor.sync.identity import known_id

KIND_WORDS = {SELF: "this computer", PHONE: "phone"}


@dataclass(frozen=True)
class DeviceRow:
    """One device as ``unscroll devices`` shows it."""

    id: str | None
    """None: this computer before sync ever ran."""
    name: str
    kind: str
    this_device: bool
    last_segment_utc: float | None
    spans: int
    seconds: float
    clock_offset_s: float
    clock_note: str | None
    problem: str | None
    forgotten_utc: float | None

    def to_json(self) -> dict[str, object]:
        """The row for ``devices --json``."""
        return {"id": self.id, "name": self.name, "kind": self.kind, "this_device": self.this_device,
                "last_segment_utc": self.last_segment_utc, "spans": self.spans,
                "seconds": round(self.seconds),
                "clock_offset_seconds": round(self.clock_offset_s, 1), "clock_flag": self.clock_note,
                "problem": self.problem, "counted": self.forgotten_utc is None,
                "forgotten_utc": self.forgotten_utc}


def _row(device: Device, counts: dict[str, tuple[int, float]], this_id: str | None) -> DeviceRow:
    this = device.kind == SELF
    spans, seconds = counts.get(THIS_DEVICE if this else device.id, (0, 0.0))
    bounds = ClockBounds(device.clock_low, device.clock_low_at, device.clock_high)
    return DeviceRow(id=device.id, name=device.name, kind=KIND_WORDS.get(device.kind, "computer"),
                     this_device=this and device.id == this_id, last_segment_utc=device.last_segment_utc,
                     spans=spans, seconds=seconds, clock_offset_s=0.0 if this else device.offset_s,
                     clock_note=None if this else clock_note(bounds), problem=device.problem,
                     forgotten_utc=device.forgotten_utc)


def device_rows(store: Store, settings: Settings) -> list[DeviceRow]:
    """Every device seen, this computer first."""
    this_id = known_id(store)
    counts = span_counts(store)
    rows = [_row(device, counts, this_id) for device in all_devices(store.connection)
            if device.kind != SELF or device.id == this_id]
    if not any(row.this_device for row in rows):
        spans, seconds = counts.get(THIS_DEVICE, (0, 0.0))
        problem = ("sync is off: set [sync] folder in your config.toml" if not settings.sync.on
                   else "sync has not run yet (is the daemon running?)")
        rows.insert(0, DeviceRow(None, settings.sync.device_name, KIND_WORDS[SELF], True, None, spans,
                                 seconds, 0.0, None, problem, None))
    return rows


def find_device(store: Store, name: str) -> Device:
    """The other device called ``name`` (its name, any case, or its id's start); InputError if none."""
    wanted = name.strip().casefold()
    others = [device for device in all_devices(store.connection) if device.kind != SELF]
    found = [device for device in others if device.name.casefold() == wanted]
    if not found and len(wanted) >= MIN_ID_PREFIX:
        found = [device for device in others if device.id.startswith(wanted)]
    if len(found) == 1:
        return found[0]
    if found:
        ids = ", ".join(device.id for device in found)
        raise InputError(f"NAME: {len(found)} devices are called {name!r} ({ids}); "
                         "name one by the start of its id")
    this = known_id(store)
    if this is not None and (wanted == this or any(d.id == this and d.name.casefold() == wanted
                                                   for d in all_devices(store.connection))):
        raise InputError(f"NAME: {name!r} is this computer; run `unscroll devices forget` on another one")
    known = ", ".join(device.name for device in others) or "none yet"
    raise InputError(f"NAME: no other device is called {name!r}; the devices seen are: {known} "
                     "(see `unscroll devices`)")


@dataclass(frozen=True)
class Forgot:
    """What ``devices forget`` did."""

    device: Device
    spans: int
    seconds: float
    folder: Path | None
    """Where its files are (None: it came through the inbox, or sync is off)."""
    already: bool = False
    """It was forgotten before: nothing changed."""


def forget(store: Store, settings: Settings, name: str, now: float) -> Forgot:
    """Stop counting the device called ``name`` (its files are left where they are)."""
    device = find_device(store, name)
    if device.forgotten_utc is not None:
        return Forgot(device, 0, 0.0, None, already=True)
    spans, seconds = forget_device(store, device.id, now)
    folder = settings.sync.folder
    return Forgot(device, spans, seconds,
                  None if folder is None or device.kind == PHONE else folder / device.id)
