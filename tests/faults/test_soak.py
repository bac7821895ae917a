"""A soak: the daemon sampling every 0.05 s for 30 minutes keeps its memory and file descriptors flat.

Run with ``--soak`` (skipped otherwise). ``UNSCROLL_SOAK_SECONDS`` shortens or lengthens
the run (default 1800); ``UNSCROLL_SOAK_REPORT`` names a JSON file for the figures.
The focus moves between two windows every 20 s, so spans keep being closed and opened,
and a small social budget keeps the budget check busy on every sample.

Resident memory (VmRSS) and the number of open descriptors are read from /proc every
5 s, and the least-squares slope of RSS is reported after a warm-up of a fifth of the
run and over its last half; the last half's must stay under 75 KB/min (a leak of one
64-byte object per sample is 1,200 samples a minute, 75 KB/min), and the descriptor
count may not grow after the warm-up.

What the slope is made of (the daemon run in-process for 15 minutes, with
``sys.getallocatedblocks()``, ``sqlite3_memory_used()`` and glibc's ``mallinfo2()`` read
every 30 s): Python's blocks, SQLite's memory and malloc's bytes in use stay flat after
the first minutes; what still grows, more and more slowly, is the heap malloc keeps
around them (fragmentation), not live objects.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.faults.faultkit import PROBE_APP, FaultDaemon, counted, integrity, proc_sample, slope_per_minute

SOAK_SECONDS = float(os.environ.get("UNSCROLL_SOAK_SECONDS", "1800"))
READ_EVERY = 5.0
SWITCH_EVERY = 20.0
MAX_SLOPE_KB_PER_MIN = 75.0

CONFIG = """
[tracking]
sample_every = "0.05s"
idle_after = "1h"

[budgets]
social = "1m"

[prompts]
max_per_day = 2
"""


@pytest.mark.soak
@pytest.mark.timeout(SOAK_SECONDS + 600)
def test_memory_and_descriptors_stay_flat(desktop, tmp_path: Path) -> None:
    daemon = FaultDaemon.make(desktop, tmp_path, CONFIG)
    first = desktop.open_window("soak one", process_name=PROBE_APP)
    second = desktop.open_window("Reddit — Mozilla Firefox", process_name="firefox")
    desktop.focus(first)
    desktop.touch_input()
    daemon.start()
    readings = []
    began = time.monotonic()
    switched = began
    windows = [first, second]
    try:
        while time.monotonic() - began < SOAK_SECONDS:
            readings.append(proc_sample(daemon.pid))
            if time.monotonic() - switched >= SWITCH_EVERY:
                windows.reverse()
                desktop.focus(windows[0])
                desktop.touch_input()
                switched = time.monotonic()
            time.sleep(READ_EVERY)
        assert daemon.running(), daemon.stderr()
        ticks = daemon.ticks()
    finally:
        daemon.finish()

    warm = [r for r in readings if r.at - readings[0].at >= SOAK_SECONDS / 5]
    slope = slope_per_minute([(r.at, r.rss_kb) for r in warm])
    figures = {
        "seconds": SOAK_SECONDS, "ticks": ticks, "readings": len(readings),
        "rss_kb_first": readings[0].rss_kb, "rss_kb_after_warmup": warm[0].rss_kb,
        "rss_kb_last": readings[-1].rss_kb, "rss_kb_max": max(r.rss_kb for r in readings),
        "rss_slope_kb_per_min": round(slope, 2),
        "fds_first": readings[0].fds, "fds_after_warmup": warm[0].fds,
        "fds_last": readings[-1].fds, "fds_max_after_warmup": max(r.fds for r in warm),
        "rss_slope_last_half_kb_per_min": round(slope_per_minute(
            [(r.at, r.rss_kb) for r in readings if r.at - readings[0].at >= SOAK_SECONDS / 2]), 2),
        "counted_seconds": round(counted(daemon.paths.database), 1),
        "log_bytes": sum(p.stat().st_size for p in daemon.paths.data_dir.glob("unscroll.log*")),
    }
    print("soak figures:", json.dumps(figures))
    report = os.environ.get("UNSCROLL_SOAK_REPORT")
    if report:
        series = [[round(r.at - readings[0].at), r.rss_kb, r.fds] for r in readings]
        Path(report).write_text(json.dumps({**figures, "series_s_rss_kb_fds": series}) + "\n")
    assert integrity(daemon.paths.database) == "ok"
    assert figures["rss_slope_last_half_kb_per_min"] < MAX_SLOPE_KB_PER_MIN, figures
    assert figures["fds_max_after_warmup"] <= warm[0].fds, figures
    # the daemon really sampled at its pace the whole time (at least half the nominal rate)
    assert ticks >= 0.5 * SOAK_SECONDS / 0.05, figures
