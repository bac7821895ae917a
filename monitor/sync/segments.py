"""The files in the synced folder: segments and manifests, their names, their format, written safely.

``FOLDER/<device id>/`` holds one device's files, written by that device only:

- segments ``seg-<first>-<last>-l<level>.jsonl.gz``: gzip-compressed JSON lines, a header
  (``format``, the device's id and name, the segment numbers it covers, its ``level`` and
  whether it is ``full``: all of the device's data, replacing what was read of it before,
  when it was written, the time its spans cover), then one entry a line, then a footer
  with the number of entries. A segment never changes once written; several are merged
  into one of a higher level (monitor.sync.compact), and the merged ones deleted.
- ``manifest.json``: the format, the device's id and name, the time its data covers, its
  segments, and what it saw of the other devices' clocks (monitor.sync.clock).

Every file is written under a temporary name starting with ``.``, flushed to disk and
renamed: a reader sees a whole file or none. A file that is not whole (cut short, not
gzip, not JSON, no footer, a different device's id, an unknown format) is a BadSegment:
it is set aside whole, never half-read. Names that are not a segment's (Syncthing's
``*.sync-conflict-*`` copies, its ``.syncthing.*.tmp`` partial files) are never read.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1
"""The format of segments and manifests this version writes and reads."""
MANIFEST = "manifest.json"
INBOX = "inbox"
DEVICE_ID = re.compile(r"[a-z2-7]{26}")
"""A device's folder name: its id."""
_SEGMENT = re.compile(r"seg-(\d{9})-(\d{9})-l(\d)\.jsonl\.gz")
CONFLICT_MARK = ".sync-conflict-"
FULL_LEVEL = 9
"""The level of a full segment: never merged with later ones."""

Entry = dict[str, Any]


class BadSegment(Exception):
    """A file in the synced folder that cannot be used; ``reason`` says why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CopiedFolder(BadSegment):
    """A segment in a device's folder that another device wrote: the folder is a copy."""

    def __init__(self, original: str, folder_device: str) -> None:
        super().__init__(f"written by device {original!r}, not {folder_device!r}: a copied folder")
        self.original = original


@dataclass(frozen=True, order=True)
class SegmentName:
    """Which segment numbers a file covers, and its level (0: written at once; more: merged)."""

    first: int
    last: int
    level: int

    @property
    def file(self) -> str:
        """The file name."""
        return f"seg-{self.first:09d}-{self.last:09d}-l{self.level}.jsonl.gz"

    @classmethod
    def parse(cls, name: str) -> SegmentName | None:
        """The SegmentName of a file called ``name``; None when it is not a segment's name."""
        match = _SEGMENT.fullmatch(name)
        if match is None:
            return None
        first, last, level = (int(group) for group in match.groups())
        return cls(first, last, level) if 0 < first <= last else None


@dataclass
class Segment:
    """A segment: who wrote it, what it covers, and its entries in order."""

    device: str
    name: str
    first: int
    last: int
    level: int
    full: bool
    written_utc: float
    entries: list[Entry] = field(default_factory=list)
    from_utc: float | None = None
    to_utc: float | None = None

    @property
    def segment_name(self) -> SegmentName:
        """Its file name's parts."""
        return SegmentName(self.first, self.last, self.level)


@dataclass
class Manifest:
    """A device's manifest."""

    device: str
    name: str
    written_utc: float
    first_utc: float | None = None
    last_utc: float | None = None
    segments: list[str] = field(default_factory=list)
    clocks: dict[str, float] = field(default_factory=dict)
    """Other device id → the least its clock is ahead of this device's (seconds; negative: behind)."""


def segment_files(folder: Path) -> dict[SegmentName, Path]:
    """The segments in a device's ``folder`` (other names are left alone); empty if it is gone."""
    found: dict[SegmentName, Path] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            name = SegmentName.parse(entry.name)
            if name is not None:
                found[name] = Path(entry.path)
    return found


def stray_files(folder: Path) -> list[str]:
    """The names in ``folder`` that are neither a segment, the manifest nor a temporary file."""
    strays: list[str] = []
    with contextlib.suppress(OSError):
        strays.extend(entry.name for entry in os.scandir(folder)
                      if entry.name != MANIFEST and not entry.name.startswith((".", "~"))
                      and SegmentName.parse(entry.name) is None)
    return sorted(strays)


def encode(segment: Segment) -> bytes:
    """The file's bytes: gzip-compressed JSON lines, header, entries, footer."""
    header = {"format": FORMAT, "device": segment.device, "name": segment.name, "first": segment.first,
              "last": segment.last, "level": segment.level, "full": segment.full,
              "written_utc": segment.written_utc, "from_utc": segment.from_utc, "to_utc": segment.to_utc,
              "entries": len(segment.entries)}
    footer = {"end": len(segment.entries)}
    lines = [_dumps(header), *(_dumps(entry) for entry in segment.entries), _dumps(footer)]
    return gzip.compress("\n".join(lines).encode("utf-8") + b"\n", compresslevel=6, mtime=0)


def _dumps(value: object) -> str:
    """One compact JSON line (the standard library's json: the daemon loads no other JSON module)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _header(line: bytes, device: str) -> dict[str, Any]:
    header = json.loads(line)
    if not isinstance(header, dict) or "format" not in header:
        raise BadSegment("no header")
    if header["format"] != FORMAT:
        raise BadSegment(f"format {header['format']!r}, this version reads format {FORMAT}")
    if header.get("device") != device:
        raise CopiedFolder(str(header.get("device")), device)
    return header


def decode(data: bytes, device: str) -> Segment:
    """The segment in ``data``, checked whole; BadSegment if any of it is wrong."""
    try:
        lines = gzip.decompress(data).split(b"\n")
    except (OSError, EOFError, zlib.error) as exc:
        raise BadSegment(f"not a whole gzip file ({exc})") from None
    try:
        header = _header(lines[0], device)
        entries = [json.loads(line) for line in lines[1:-2]]
        footer = json.loads(lines[-2]) if len(lines) >= 3 else None  # header, footer, then ""
    except (ValueError, UnicodeDecodeError) as exc:  # json.JSONDecodeError is a ValueError
        raise BadSegment(f"not JSON lines ({exc})") from None
    if lines[-1] != b"" or not isinstance(footer, dict) or footer.get("end") != len(entries) \
            or header.get("entries") != len(entries) or not all(isinstance(e, dict) for e in entries):
        raise BadSegment("cut short (its entries do not match its footer)")
    try:
        return Segment(device=device, name=str(header["name"]), first=int(header["first"]),
                       last=int(header["last"]), level=int(header["level"]), full=bool(header["full"]),
                       written_utc=float(header["written_utc"]), entries=entries,
                       from_utc=header.get("from_utc"), to_utc=header.get("to_utc"))
    except (KeyError, TypeError, ValueError) as exc:
        raise BadSegment(f"a header without {exc}") from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary file: flushed, synced, renamed."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    with contextlib.suppress(OSError):  # the rename itself, on disk (not on every system)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write a device's manifest into its ``folder``."""
    text = json.dumps({
        "format": FORMAT, "device": manifest.device, "name": manifest.name,
        "written_utc": manifest.written_utc, "first_utc": manifest.first_utc, "last_utc": manifest.last_utc,
        "segments": manifest.segments, "clocks": manifest.clocks}, ensure_ascii=False, indent=2)
    write_atomically(folder / MANIFEST, text.encode("utf-8"))


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest in a device's ``folder``; None when there is none yet; BadSegment when unusable."""
    try:
        data = json.loads((folder / MANIFEST).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise BadSegment(f"{MANIFEST} cannot be read ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise BadSegment(f"{MANIFEST} has format {found!r}, this version reads format {FORMAT}")
    try:
        clocks = {str(key): float(value) for key, value in dict(data.get("clocks") or {}).items()}
        return Manifest(device=str(data["device"]), name=str(data["name"]),
                        written_utc=float(data["written_utc"]), first_utc=data.get("first_utc"),
                        last_utc=data.get("last_utc"), segments=[str(s) for s in data.get("segments") or []],
                        clocks=clocks)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadSegment(f"{MANIFEST} lacks {exc}") from None
