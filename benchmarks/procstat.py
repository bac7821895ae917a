"""Reading a process's memory and CPU time from /proc, and describing the machine."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float | None:
    """The resident set (``VmRSS``) of ``pid`` in MB (10^6 bytes), or None if it is gone."""
    return _status_kb(pid, "VmRSS")


def peak_rss_mb(pid: int) -> float | None:
    """The highest resident set (``VmHWM``) of ``pid`` so far, in MB."""
    return _status_kb(pid, "VmHWM")


def _status_kb(pid: int, key: str) -> float | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024 / 1e6
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of ``pid`` (``utime + stime`` of /proc/<pid>/stat), in seconds."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS  # fields 14 and 15 of proc(5)


class CpuWindow:
    """CPU percent of one core used by a process between ``start()`` and ``stop()``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._cpu0 = 0.0
        self._wall0 = 0.0
        self.percent: float | None = None
        self.cpu_s = 0.0
        self.wall_s = 0.0

    def start(self) -> None:
        self._cpu0 = cpu_seconds(self.pid) or 0.0
        self._wall0 = time.monotonic()

    def stop(self) -> float | None:
        cpu = cpu_seconds(self.pid)
        self.wall_s = time.monotonic() - self._wall0
        if cpu is None or self.wall_s <= 0:
            return None
        self.cpu_s = cpu - self._cpu0
        self.percent = 100.0 * self.cpu_s / self.wall_s
        return self.percent


def median_time(call: Callable[[], object], repeats: int, *, warmup: int = 1) -> tuple[float, list[float]]:
    """Median wall time of ``call`` in seconds over ``repeats`` runs (after ``warmup`` unmeasured)."""
    for _ in range(warmup):
        call()
    runs = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs), runs


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    import sqlite3  # noqa: PLC0415

    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    try:
        os_release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines()
                          if "=" in line)
        distro = os_release.get("PRETTY_NAME", "").strip('"')
    except OSError:
        distro = ""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
        "distribution": distro,
        "load_average_at_start": load,
    }
