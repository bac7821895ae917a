"""A what-if for the benchmarks, not product code: the daemon's own sampling job on a plain loop.

It builds the real ``monitor.daemon.sampling_job.SamplingJob`` (platform, rules, recorder, store,
budget checks) exactly as ``monitor.daemon.lifecycle.Daemon`` does, but drives ``tick()`` from a
monotonic-clock loop on the main thread instead of the daemon's scheduler (monitor.daemon.
scheduler, which also runs the weekly, sync and settings jobs). desktop_bench.py runs it
beside the real daemon so the README can say what all but the sampling cost in memory and CPU. It stops on
SIGTERM or SIGINT, and by itself after ``--seconds``.
"""

# ruff: noqa: PLC0415 - monitor is imported after argument parsing, so --help is instant

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=900.0)
    args = parser.parse_args()
    from monitor.core.settings import load_settings
    from monitor.core.settings_watch import SettingsWatcher
    from monitor.daemon.sampling_job import SamplingJob

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    job = SamplingJob(SettingsWatcher(load_settings()))
    began = next_at = time.monotonic()
    try:
        while not stop.is_set() and time.monotonic() - began < args.seconds:
            job.tick()
            next_at += job.interval
            now = time.monotonic()
            if next_at < now:  # coalesce missed ticks (a suspended laptop), as the daemon does
                next_at = now
            stop.wait(next_at - now)
    finally:
        job.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
