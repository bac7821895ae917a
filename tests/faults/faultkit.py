"""Tools for hurting the real daemon and measuring what it lost.

``FaultDaemon`` extends tests/desktop's DaemonProcess with a start that does not wait
(so a SIGKILL can land anywhere, even before the first sample), and readers for the
daemon's tick counter, log, memory and file descriptors. The other helpers read the
database the way the checks need it: integrity, span totals between two instants.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from Xlib import X
from Xlib import display as xdisplay
from Xlib.ext import xtest

from monitor.core.paths import Paths
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop
from tests.helpers import wait_until

PROBE_APP = "unscroll-probe"  # a process name no category rule knows

NO_BUDGETS = '[budgets]\ntotal = ""\nsocial = ""\n'
"""No budget notices: nothing but sampling goes on."""
NOTICE_EVERY_SECOND = """
[budgets]
total = ""
social = "1s"

[prompts]
warn_before = "0s"
repeat_every = "1s"
max_per_day = 1000
suggest_people_on = []
"""
"""A social notice (without a person) every second of social use."""


def daemon_config(interval: float, extra: str = "") -> str:
    """The config of a daemon under test: sampling every ``interval`` s, never idle, plus ``extra``."""
    return f'''
[tracking]
sample_every = "{interval}s"
idle_after = "1h"
{extra}
'''


class FaultDaemon(DaemonProcess):
    """The real daemon as a child process, with the controls the fault tests need."""

    @classmethod
    def make(cls, desktop: Desktop, folder: Path, config: str) -> FaultDaemon:
        """A daemon whose config (``config``, TOML text) and data live under ``folder``."""
        paths = Paths(config_file=folder / "config.toml", data_dir=folder / "data")
        write_test_config(paths, config)
        return cls(desktop.env, paths)

    @property
    def pid(self) -> int:
        """The daemon's process id."""
        assert self.process is not None
        return self.process.pid

    def spawn(self) -> float:
        """Start the daemon without waiting for anything; return the wall time just before."""
        log = (self.paths.data_dir.parent / "daemon-stderr.log").open("ab")
        began = time.time()
        self.process = subprocess.Popen([sys.executable, "-m", "monitor", "start", "--foreground"],
                                        env=self.env, stdout=log, stderr=log)
        log.close()
        return began

    def running(self) -> bool:
        """True while the child process is alive."""
        return self.process is not None and self.process.poll() is None

    def kill_now(self) -> float:
        """SIGKILL the daemon; return the wall time of the kill."""
        assert self.process is not None
        at = time.time()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        return at

    def ticks(self) -> int:
        """How many samples the running daemon has taken (its heartbeat's tick counter)."""
        beat = self.heartbeat()
        return int(beat.get("ticks", 0)) if beat else 0

    def wait_ticks(self, more: int, timeout: float = 20.0) -> int:
        """Wait until the daemon has taken ``more`` samples beyond now; return the count."""
        base = self.ticks()
        return wait_until(lambda: (t := self.ticks()) >= base + more and t, timeout=timeout,
                          message=f"{more} more samples")

    def log_text(self) -> str:
        """The daemon's log file and its stderr (the file log may be unwritable)."""
        parts = [self.stderr()]
        for path in sorted(self.paths.data_dir.glob("unscroll.log*")):
            with contextlib.suppress(OSError):
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    def finish(self) -> None:
        """Stop the daemon if it still runs (kill it when stop does not work)."""
        if self.running():
            try:
                self.stop()
            except Exception:
                assert self.process is not None
                self.process.kill()
                self.process.wait(timeout=10)


def integrity(database: Path) -> str:
    """``PRAGMA integrity_check`` of the database (``ok`` when sound)."""
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def spans(database: Path, where: str = "1", args: tuple[object, ...] = ()) -> list[tuple[float, float, str]]:
    """(start, end, title) of the stored spans matching ``where``, oldest first."""
    if not database.exists():
        return []
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        rows = connection.execute(
            f"SELECT start_utc, end_utc, COALESCE(title, '') FROM spans WHERE {where} "
            "ORDER BY start_utc", args).fetchall()
    return [(float(a), float(b), str(c)) for a, b, c in rows]


def counted(database: Path, start: float = 0.0, end: float = float("inf"), title: str | None = None) -> float:
    """Seconds stored in spans that start in ``[start, end)`` (only ``title``'s, if given)."""
    rows = spans(database, "start_utc >= ? AND start_utc < ?", (start, min(end, 1e12)))
    return sum(b - a for a, b, t in rows if title is None or t == title)


@dataclass(frozen=True)
class ProcSample:
    """One reading of a process from /proc."""

    at: float
    rss_kb: int
    fds: int


def proc_sample(pid: int) -> ProcSample:
    """The resident memory (KB, VmRSS) and open file descriptor count of ``pid``."""
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    return ProcSample(time.time(), rss, sum(1 for _ in Path(f"/proc/{pid}/fd").iterdir()))


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """The least-squares slope of (seconds, value) points, in value per minute."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return 60.0 * sxy / sxx if sxx else 0.0


@contextlib.contextmanager
def present(desktop: Desktop, every: float = 0.1) -> Iterator[None]:
    """A person at the keyboard throughout: the input touched every ``every`` s on a thread.

    A stop or a crash keeps what was counted up to the last input only, so a test of
    losses keeps the person there to measure what the kill itself loses.
    """
    stop = threading.Event()
    pointer = xdisplay.Display(desktop.display)  # XTEST in this process: cheaper than xdotool

    def touch() -> None:
        step = 1
        while not stop.is_set():
            xtest.fake_input(pointer, X.MotionNotify, detail=True, x=step, y=0)
            pointer.sync()
            step = -step
            stop.wait(every)
    thread = threading.Thread(target=touch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
        pointer.close()


def keep_active(desktop: Desktop, seconds: float, every: float = 0.5) -> float:
    """Touch the input every ``every`` s for ``seconds``; return the time actually spent."""
    start = time.monotonic()
    deadline = start + seconds
    while time.monotonic() < deadline:
        desktop.touch_input()
        time.sleep(min(every, max(0.0, deadline - time.monotonic())))
    return time.monotonic() - start
