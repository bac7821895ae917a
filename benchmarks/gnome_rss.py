"""The daemon's memory on a real headless GNOME Shell 43, with unscroll's extension.

``python benchmarks/gnome_rss.py [--seconds 90]`` starts GNOME Shell as the desktop tests
do (tests/desktop/gnome_session.py: ``--headless --wayland``, its own session and system
buses, the extension installed by ``unscroll gnome install`` before the Shell starts),
opens three foot windows, and runs the real daemon (``python -m monitor.daemon``, sampling
every second) while the focus moves between them every 1 to 6 seconds (seeded) and the
pointer moves (a person there). It prints the daemon's ``VmRSS`` every 10 s, its largest
value once the first memory trim has run (30 s after start), and ``VmHWM``. GNOME is the
backend whose window, idle time and focus changes all come over D-Bus (dbus-fast), so it
is the daemon's heaviest path.
"""

# ruff: noqa: PLC0415 - the test harness is imported once the paths are set

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for entry in (str(HERE), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from procstat import peak_rss_mb, rss_mb  # noqa: E402

SETTLE_SECONDS = 35.0
"""Past the daemon's first memory trim (monitor.daemon.memory.FIRST_TRIM_AFTER_SECONDS)."""


def measure(seconds: float, seed: int) -> dict[str, object]:
    """Run the daemon on GNOME for ``SETTLE_SECONDS + seconds``; its memory as it went."""
    from tests.desktop.gnome_session import GnomeSession
    from tests.desktop.wayland_session import running

    rng = random.Random(seed)
    with running(GnomeSession, "unscroll-bench-gnome-") as gnome:
        windows = [gnome.open_window(f"unscroll-bench {name}", app_id=f"org.example.{name.title()}",
                                     process_name=f"unscroll-bench-{name}")
                   for name in ("one", "two", "three")]
        data = gnome.workdir / "bench-data"
        config = gnome.workdir / "bench-config.toml"
        config.write_text('[tracking]\nsample_every = "1s"\n', encoding="utf-8")
        env = {**gnome.env, "UNSCROLL_CONFIG": str(config), "UNSCROLL_DATA_DIR": str(data),
               "PYTHONPATH": str(ROOT)}
        with (gnome.workdir / "bench-daemon.log").open("ab") as out:
            daemon = subprocess.Popen([sys.executable, "-m", "monitor.daemon"], env=env, cwd=ROOT,
                                      stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        try:
            started = time.monotonic()
            readings: list[tuple[float, float]] = []
            while (elapsed := time.monotonic() - started) < SETTLE_SECONDS + seconds:
                gnome.focus(rng.choice(windows))
                gnome.move_pointer()
                value = rss_mb(daemon.pid)
                if value is None:
                    log = (gnome.workdir / "bench-daemon.log").read_text(errors="replace")
                    raise RuntimeError(f"the daemon exited: {log[-2000:]}")
                readings.append((elapsed, value))
                time.sleep(rng.uniform(1.0, 6.0))
            peak = peak_rss_mb(daemon.pid)
            with contextlib.closing(sqlite3.connect(data / "unscroll.sqlite3")) as db:
                beat = json.loads(db.execute("SELECT value FROM state WHERE key = 'daemon.heartbeat'")
                                  .fetchone()[0])
                titles = db.execute("SELECT COUNT(DISTINCT title) FROM spans").fetchone()[0]
        finally:
            daemon.terminate()
            daemon.wait(15)
    settled = [value for elapsed, value in readings if elapsed >= SETTLE_SECONDS]
    return {"seconds": seconds, "rss_settled_max_mb": round(max(settled), 2),
            "rss_by_10s_mb": [round(max(v for e, v in readings if int(e // 10) == tick), 2)
                              for tick in sorted({int(e // 10) for e, _ in readings})],
            "vmhwm_mb": None if peak is None else round(peak, 2),
            "backend": beat.get("backend"), "titles_recorded": titles}


def main() -> int:
    """Measure and print the figures (as JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    figures = measure(args.seconds, args.seed)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
