"""The daemon on a real X11 desktop against the floor loop: resident memory and CPU time.

One private desktop (tests/desktop/harness.py: Xvfb, openbox, a session bus and dunst)
with a few real xterm windows, some of them renamed copies so that their processes are
"firefox", "chrome", "code" or "signal-desktop" and their titles are written as those apps
write them. The real daemon (``python -m monitor.daemon``, as ``unscroll start`` detaches it, sampling every
``interval`` seconds) and the floor loop (floor_loop.py: the same X11 calls, nothing else)
run side by side over the same span while focus moves between the windows every 1 to 8
seconds (seeded) with ``xdotool windowactivate``, each followed by a one-pixel pointer move
(a person at the keyboard: without input the daemon would count as idle after 3 minutes
and stop recording). CPU is ``utime + stime`` from
/proc/<pid>/stat over the span, after both have sampled a few times (imports and setup are
not part of the steady state); memory is ``VmRSS`` from /proc/<pid>/status, sampled every
interval: the figure is the largest value seen.

A third process runs beside them as a what-if, reported as details only: lean_daemon.py,
the same sampling job driven by a plain loop instead of the daemon's scheduler (its other
jobs, the notifier and the tray runner are not started either).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from procstat import TICKS, CpuWindow, peak_rss_mb, rss_mb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WINDOWS = (
    ("firefox", "(3) Facebook — Mozilla Firefox"),
    ("firefox", "r/python - Reddit — Mozilla Firefox"),
    ("chrome", "YouTube - Google Chrome"),
    ("code", "store.py - unscroll - Visual Studio Code"),
    (None, "me@laptop: ~/src/unscroll"),
    ("signal-desktop", "Signal"),
)
WARMUP_SAMPLES = 3


@dataclass
class DesktopFigures:
    """What one run measured."""

    seconds: float
    interval: float
    daemon_rss_mb: float | None = None
    daemon_peak_rss_mb: float | None = None
    daemon_cpu_percent: float | None = None
    floor_cpu_percent: float | None = None
    floor_rss_mb: float | None = None
    lean_rss_mb: float | None = None
    """What-if (lean_daemon.py): the same sampling job on a plain loop, without the other jobs."""
    lean_cpu_percent: float | None = None
    tray_rss_mb: float | None = None
    """The tray's own process (``python -m monitor.tray``, the daemon's child): its largest VmRSS."""
    daemon_rss_by_minute_mb: list[float] = field(default_factory=list)
    """The daemon's highest VmRSS in each minute of the span: how its memory moves over time."""
    cpu_resolution_percent: float | None = None
    """One clock tick of /proc CPU time over the span: the figures' resolution."""
    focus_changes: int = 0
    spans_recorded: int = 0
    titles_recorded: int = 0
    notes: list[str] = field(default_factory=list)


def _spans(database: Path) -> tuple[int, int]:
    if not database.exists():
        return 0, 0
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
        try:
            row = db.execute("SELECT COUNT(*), COUNT(DISTINCT title) FROM spans").fetchone()
        except sqlite3.Error:
            return 0, 0
    return int(row[0]), int(row[1])


def _heartbeats(database: Path) -> str | None:
    if not database.exists():
        return None
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
        try:
            row = db.execute("SELECT value FROM state WHERE key = 'daemon.heartbeat'").fetchone()
        except sqlite3.Error:
            return None
    return None if row is None else str(row[0])


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux's /proc)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _wait(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def _start_player(desktop: object) -> tuple[subprocess.Popen[bytes], int]:
    """A real mpv playing a generated clip in a window (MPRIS on the session bus), focused."""
    from tests.desktop.harness import Desktop  # noqa: PLC0415

    assert isinstance(desktop, Desktop)
    player = subprocess.Popen(
        ["mpv", "--ao=null", "--loop=inf", "--really-quiet", "--stop-screensaver=no", "--vo=x11",
         "--title=Lecture - mpv", "av://lavfi:testsrc=size=320x240:rate=10"],
        env=desktop.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found: list[int] = []

    def window() -> bool:
        ids = desktop.run("xdotool", "search", "--onlyvisible", "--pid", str(player.pid), check=False).split()
        found.extend(int(i) for i in ids[:1])
        return bool(found)

    _wait(window, 30, "mpv's window")
    desktop.run("xdotool", "windowactivate", "--sync", str(found[0]), timeout=15)
    return player, found[0]


def measure(seconds: float, *, interval: float = 2.0, seed: int = 1, log: object = print,
            extra_config: str = "", watching: bool = False) -> DesktopFigures:
    """Run the daemon and the floor loop for ``seconds`` on a private desktop and measure both.

    ``extra_config`` is added to the daemon's config.toml (e.g. a ``[sync]`` table; ``{workdir}``
    in it is the run's private folder). ``watching``: instead of moving the focus, a real mpv
    plays in the focused window and nobody touches anything (``idle_after`` 10 s), so the
    daemon counts watching over MPRIS for the whole span.
    """
    from tests.desktop.harness import Desktop, require_programs, stop_process  # noqa: PLC0415

    require_programs()
    figures = DesktopFigures(seconds=seconds, interval=interval,
                             cpu_resolution_percent=100.0 / TICKS / seconds)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="unscroll-bench-desktop-") as tmp:
        workdir = Path(tmp)
        desktop = Desktop(workdir)
        daemon: subprocess.Popen[bytes] | None = None
        floor: subprocess.Popen[bytes] | None = None
        lean: subprocess.Popen[bytes] | None = None
        player: subprocess.Popen[bytes] | None = None
        try:
            desktop.start()
            windows = [desktop.open_window(title, process_name=name) for name, title in WINDOWS]
            if watching:
                player, _ = _start_player(desktop)
                extra_config = 'idle_after = "10s"\n' + extra_config
            config = workdir / "config" / "config.toml"
            config.parent.mkdir(parents=True)
            config.write_text(f'[tracking]\nsample_every = "{interval:g}s"\n'
                              + extra_config.replace("{workdir}", str(workdir)), encoding="utf-8")
            data_dir = workdir / "data"
            env = {**desktop.env, "UNSCROLL_CONFIG": str(config), "UNSCROLL_DATA_DIR": str(data_dir),
                   "PYTHONPATH": str(ROOT)}
            with (workdir / "daemon.log").open("ab") as out:
                daemon = subprocess.Popen([sys.executable, "-m", "monitor.daemon"],
                                          env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                          cwd=ROOT)
            floor = subprocess.Popen(
                [sys.executable, str(HERE / "floor_loop.py"), "--interval", str(interval),
                 "--seconds", str(seconds + 60)],
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            lean_env = {**env, "UNSCROLL_DATA_DIR": str(workdir / "lean-data")}
            with (workdir / "lean.log").open("ab") as out:
                lean = subprocess.Popen([sys.executable, str(HERE / "lean_daemon.py"), "--seconds",
                                         str(seconds + 60)], env=lean_env, stdin=subprocess.DEVNULL,
                                        stdout=out, stderr=out, cwd=ROOT)
            database = data_dir / "unscroll.sqlite3"

            def daemon_ready() -> bool:
                if daemon is not None and daemon.poll() is not None:
                    raise RuntimeError("the daemon exited: "
                                       + (workdir / "daemon.log").read_text(errors="replace")[-2000:])
                for candidate in data_dir.glob("*.sqlite3") if data_dir.exists() else []:
                    nonlocal database
                    database = candidate
                return _heartbeats(database) is not None

            _wait(daemon_ready, 60, "the daemon's first sample")
            assert floor.stdout is not None
            if floor.stdout.readline().strip() != b"ready":
                raise RuntimeError("the floor loop did not start")
            time.sleep(interval * WARMUP_SAMPLES)  # a few samples: past imports and first connections
            if watching:
                time.sleep(10 + interval)  # past idle_after: the media players are being asked
            daemon_cpu, floor_cpu, lean_cpu = CpuWindow(daemon.pid), CpuWindow(floor.pid), CpuWindow(lean.pid)
            for window in (daemon_cpu, floor_cpu, lean_cpu):
                window.start()
            began = time.monotonic()
            next_rss = began
            rss: list[float] = []
            by_minute: dict[int, float] = {}
            floor_rss: list[float] = []
            lean_rss: list[float] = []
            tray_rss: list[float] = []
            current = -1
            while (elapsed := time.monotonic() - began) < seconds:
                if time.monotonic() >= next_rss:
                    for pid, into in ((daemon.pid, rss), (floor.pid, floor_rss), (lean.pid, lean_rss)):
                        value = rss_mb(pid)
                        if value is not None:
                            into.append(value)
                            if into is rss:
                                minute = int(elapsed // 60)
                                by_minute[minute] = max(by_minute.get(minute, 0.0), value)
                    tray_rss.extend(value for child in _children(daemon.pid)
                                    if (value := rss_mb(child)) is not None)
                    next_rss += interval
                if watching:  # nobody there: the daemon counts the playing window
                    time.sleep(min(interval, max(0.0, seconds - elapsed)))
                    continue
                choice = rng.randrange(len(windows) - 1)
                current = choice if choice < current else choice + 1  # never the same twice
                desktop.run("xdotool", "windowactivate", "--sync", str(windows[current].window_id),
                            timeout=15)
                desktop.touch_input()  # a person at the keyboard: never idle, so every sample records
                figures.focus_changes += 1
                time.sleep(min(rng.uniform(1.0, 8.0), max(0.0, seconds - elapsed)))
            figures.daemon_cpu_percent = daemon_cpu.stop()
            figures.floor_cpu_percent = floor_cpu.stop()
            figures.lean_cpu_percent = lean_cpu.stop()
            figures.lean_rss_mb = max(lean_rss) if lean_rss else None
            figures.daemon_rss_mb = max(rss) if rss else None
            figures.daemon_rss_by_minute_mb = [round(by_minute[m], 2) for m in sorted(by_minute)]
            figures.daemon_peak_rss_mb = peak_rss_mb(daemon.pid)
            figures.floor_rss_mb = max(floor_rss) if floor_rss else None
            figures.tray_rss_mb = max(tray_rss) if tray_rss else None
            if daemon.poll() is not None:
                figures.notes.append("the daemon exited during the measurement")
        finally:
            stop_process(daemon, timeout=15)
            stop_process(floor)
            stop_process(lean)
            stop_process(player)
            desktop.close()
        figures.spans_recorded, figures.titles_recorded = _spans(database)
        if figures.titles_recorded < 2 and not watching:
            figures.notes.append(f"the daemon recorded only {figures.titles_recorded} distinct "
                                 "title(s): focus changes were not seen")
        if log is not None:
            log(f"daemon: {figures.daemon_cpu_percent} % CPU, {figures.daemon_rss_mb} MB; floor: "  # type: ignore[operator]
                f"{figures.floor_cpu_percent} %; {figures.focus_changes} focus changes, "
                f"{figures.spans_recorded} spans")
    return figures


def _stop_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # runs the clean-up in measure()


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    parser = argparse.ArgumentParser(description="Measure the daemon and the floor loop on Xvfb.")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--watching", action="store_true",
                        help="a real mpv plays in the focused window and nobody is there (MPRIS)")
    parser.add_argument("--extra-config", default="", help="TOML added to the daemon's config, e.g. "
                        "'[sync]\\nfolder = \"{workdir}/Sync/unscroll\"' ({workdir}: the run's folder)")
    args = parser.parse_args()
    os.chdir(ROOT)
    figures = measure(args.seconds, interval=args.interval, seed=args.seed,
                      extra_config=args.extra_config.replace("\\n", "\n"), watching=args.watching)
    if args.json:
        args.json.write_text(json.dumps(asdict(figures), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
