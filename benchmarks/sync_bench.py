"""Sync figures: reading another device's day, a month's totals across five devices, the folder's size.

Five devices, each with its own seeded year of usage (generate.py, seeds 20261127 + n, the
daemon's classification), each in its own data folder, share one plain folder:

- ``full_segment_mb``: each device's first pass writes its whole year as one full segment
  (what a device's folder holds once compacted): its size per device per year;
- ``ingest_year_s``: the first device's pass reading the four others' years (informational);
- ``ingest_day_ms``: one day of another device's spans (a weekday, ~1,000 spans) as a
  segment, read from disk, decoded and applied in one transaction, the median of seven days;
- ``month_totals_cold_ms`` / ``month_totals_ms``: per-category totals of the last 30 local
  days across the five devices (each moment once), as ``week`` and ``report`` get them
  (``reports.daily.daily_totals``, summed): the first call sweeps and keeps each past day,
  later calls read what was kept (median of seven); ``month_range_sweep_ms``: the same 30
  days as one range, swept whole (what ``category_totals`` does for a range longer than a day);
- ``day_of_passes``: one weekday replayed as the recorder and the daemon would write it
  (a span grown every 2 s, a pass every 20 s): segments written, files left after the
  merges, bytes on disk at the end of the day, and a reader's totals checked against it.

``python benchmarks/sync_bench.py [--days 365] [--devices 5] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generate import DEFAULT_SEED, generate, write_store  # noqa: E402

from monitor.core.days import day_bounds, day_of, local_zone  # noqa: E402
from monitor.core.paths import Paths  # noqa: E402
from monitor.core.settings import load_settings  # noqa: E402
from monitor.store.database import Store  # noqa: E402
from monitor.store.spans import category_totals  # noqa: E402
from monitor.sync.apply import Applying, apply_segment  # noqa: E402
from monitor.sync.cycle import Syncer  # noqa: E402
from monitor.sync.segments import Segment, decode, encode, segment_files  # noqa: E402
from reports.daily import daily_totals  # noqa: E402

REPEATS = 7


def _config(folder: Path, name: str) -> str:
    return f'[tracking]\ndevice = "{name}"\n[sync]\nfolder = "{folder}"\ndevice_name = "{name}"\n'


def _devices(root: Path, count: int, days: int, log: Any) -> list[Paths]:
    """``count`` data folders, each with its own generated year, all syncing to ``root/share``."""
    zone = local_zone()
    made: list[Paths] = []
    for number in range(count):
        paths = Paths(config_file=root / f"dev{number}" / "config.toml", data_dir=root / f"dev{number}")
        paths.data_dir.mkdir(parents=True)
        paths.config_file.write_text(_config(root / "share", f"bench-{number}"), encoding="utf-8")
        began = time.perf_counter()
        usage = generate(DEFAULT_SEED + number, days, zone=zone)
        spans = write_store(usage, paths.database, config_file=paths.config_file)
        log(f"device {number}: {spans} spans ({time.perf_counter() - began:.1f} s)")
        made.append(paths)
    (root / "share").mkdir()
    return made


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _day_segment(source: Store, device: str, day: date, starts_at: Any, zone: Any) -> Segment:
    start, end = day_bounds(day, starts_at, zone)
    rows = source.connection.execute(
        "SELECT id, start_utc, end_utc, app, title, category, name, watching FROM spans "
        "WHERE start_utc >= ? AND start_utc < ? AND source != 'sync'", (start, end)).fetchall()
    entries = [{"t": "span", "id": r[0], "s": r[1], "e": r[2], "app": r[3], "title": r[4], "cat": r[5],
                "name": r[6], "w": r[7]} for r in rows]
    return Segment(device=device, name="bench-other", first=1, last=1, level=0, full=False,
                   written_utc=end, entries=entries)


def ingest_day(reader: Store, source: Store, root: Path, settings: Any) -> dict[str, Any]:
    """Seven weekdays of another device, each as a segment file read, decoded and applied."""
    zone = local_zone()
    today = day_of(time.time(), settings.day_starts_at, zone)
    weekdays = [d for d in (today - timedelta(days=n) for n in range(2, 20)) if d.weekday() < 5][:REPEATS]
    timings: list[float] = []
    sizes: list[int] = []
    for number, day in enumerate(weekdays):
        device = chr(ord("a") + number) * 26
        path = root / f"day-{number}.jsonl.gz"
        path.write_bytes(encode(_day_segment(source, device, day, settings.day_starts_at, zone)))
        began = time.perf_counter()
        segment = decode(path.read_bytes(), device)
        with reader.transaction():
            apply_segment(reader, segment, Applying(device=device, this_device="self", offset=0.0,
                                                    day_of=lambda t: day_of(t, settings.day_starts_at, zone)))
        timings.append(time.perf_counter() - began)
        sizes.append(len(segment.entries))
    return {"ingest_day_ms": _median_ms(timings), "ingest_day_runs_ms": [round(t * 1000, 2) for t in timings],
            "day_spans": sizes}


def month_totals(reader: Store, settings: Any) -> dict[str, Any]:
    """The last 30 local days' totals across the devices: cold (swept and kept), then warm."""
    zone = local_zone()
    today = day_of(time.time(), settings.day_starts_at, zone)
    days = [today - timedelta(days=n) for n in range(29, -1, -1)]

    def once() -> dict[str, float]:
        summed: dict[str, float] = {}
        for day in daily_totals(reader, days, starts_at=settings.day_starts_at, zone=zone):
            for category, seconds in day.categories.items():
                summed[category] = summed.get(category, 0.0) + seconds
        return summed

    began = time.perf_counter()
    cold = once()
    cold_s = time.perf_counter() - began
    warm: list[float] = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        assert once() == cold
        warm.append(time.perf_counter() - began)
    start, end = day_bounds(days[0], settings.day_starts_at, zone)[0], time.time()
    sweeps: list[float] = []
    for _ in range(3):
        began = time.perf_counter()
        category_totals(reader, start, end)
        sweeps.append(time.perf_counter() - began)
    spans = reader.connection.execute("SELECT COUNT(*) FROM spans WHERE start_utc >= ?",
                                      (start,)).fetchone()[0]
    return {"month_totals_cold_ms": round(cold_s * 1000, 1), "month_totals_ms": _median_ms(warm),
            "month_range_sweep_ms": _median_ms(sweeps), "month_spans": int(spans),
            "month_social_hours": round(cold.get("social", 0.0) / 3600, 1)}


def day_of_passes(source: Store, root: Path, settings: Any, log: Any) -> dict[str, Any]:
    """One weekday replayed: a span grown every 2 s, a pass every 20 s; the folder at the day's end."""
    zone = local_zone()
    today = day_of(time.time(), settings.day_starts_at, zone)
    day = next(d for d in (today - timedelta(days=n) for n in range(2, 9)) if d.weekday() < 5)
    start, end = day_bounds(day, settings.day_starts_at, zone)
    rows = source.connection.execute("SELECT start_utc, end_utc, app, title, category, name FROM spans "
                                     "WHERE start_utc >= ? AND start_utc < ? AND source != 'sync' "
                                     "ORDER BY start_utc", (start, end)).fetchall()
    folder = root / "replay" / "share"
    folder.mkdir(parents=True)
    paths = Paths(config_file=root / "replay" / "config.toml", data_dir=root / "replay" / "data")
    paths.config_file.write_text(_config(folder, "replayed"), encoding="utf-8")
    replay_settings = load_settings(paths)
    syncer, passes, written = Syncer(), 0, 0
    with Store(paths.database) as store:
        next_pass = rows[0][0] + 20 if rows else end
        for span_start, span_end, app, title, category, name in rows:
            with store.transaction():
                span_id = store.insert_span(span_start, span_start, app, title, category, name, "replayed")
            moment = span_start
            while moment < span_end:
                moment = min(moment + 2.0, span_end)
                with store.transaction():
                    store.extend_span(span_id, moment)
                if moment >= next_pass:
                    report = syncer.run(store, replay_settings, moment, zone)
                    passes += 1
                    written += int(report.written is not None and report.written.segment is not None)
                    next_pass = moment + 20
        syncer.run(store, replay_settings, end, zone)
        own = next(p for p in folder.iterdir() if p.is_dir())
        files = list(own.iterdir())
        replayed_total = sum(category_totals(store, start, end).values())
    reader_paths = Paths(config_file=root / "replay" / "reader.toml", data_dir=root / "replay" / "reader")
    reader_paths.config_file.write_text(_config(folder, "reader"), encoding="utf-8")
    with Store(reader_paths.database) as reader:
        Syncer().run(reader, load_settings(reader_paths), end + 60, zone)
        read_total = sum(category_totals(reader, start, end).values())
    log(f"replayed {day}: {len(rows)} spans, {passes} passes, {written} segments, {len(files)} files")
    return {"day": day.isoformat(), "spans": len(rows), "passes": passes, "segments_written": written,
            "files_left": len(files), "folder_bytes": sum(f.stat().st_size for f in files),
            "reader_agrees": abs(read_total - replayed_total) < 0.01, "day_seconds": round(replayed_total)}


def run(days: int, devices: int, log: Any = print) -> dict[str, Any]:
    """Every figure (see the module doc)."""
    with tempfile.TemporaryDirectory(prefix="unscroll-bench-sync-") as tmp:
        root = Path(tmp)
        made = _devices(root, devices, days, log)
        settings = [load_settings(paths) for paths in made]
        sizes: list[float] = []
        zone = local_zone()
        for paths, current in zip(made, settings, strict=True):
            with Store(paths.database) as store:
                Syncer().run(store, current, time.time(), zone)  # the first pass: the whole year, full
        for path in (root / "share").iterdir():
            if path.is_dir():
                sizes.extend(f.stat().st_size / 1e6 for f in segment_files(path).values())
        figures: dict[str, Any] = {"devices": devices, "days": days,
                                   "full_segment_mb": [round(size, 2) for size in sizes]}
        with Store(made[0].database) as reader:
            began = time.perf_counter()
            Syncer().run(reader, settings[0], time.time(), zone)
            figures["ingest_year_s"] = round((time.perf_counter() - began) / max(1, devices - 1), 2)
            figures["stored_spans"] = reader.connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
            figures.update(month_totals(reader, settings[0]))
            with Store(made[1].database) as source:  # last: it adds seven made-up devices' days
                figures.update(ingest_day(reader, source, root, settings[0]))
        with Store(made[1].database) as source:
            figures["day_of_passes"] = day_of_passes(source, root, settings[1], log)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--devices", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    figures = run(args.days, args.devices)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
