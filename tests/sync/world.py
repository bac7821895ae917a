"""Computers sharing a synced folder, for the sync tests: each a real data folder, store and config.

A ``Machine`` is one computer: its own config.toml (with ``[sync]``), data folder and
SQLite store, and a ``Syncer`` that runs passes as the daemon does. Its clock may run
ahead or behind (``clock_offset``): what it stores and writes is in its own time, as a
computer with a wrong clock would. Its commands (``cli``) run as real ``unscroll``
processes with its environment.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

from monitor.core.days import day_bounds, day_of, local_zone
from monitor.core.paths import Paths
from monitor.core.settings import Settings, load_settings
from monitor.store.database import Store
from monitor.sync.cycle import PassReport, Syncer

DAY_START = (datetime.now(local_zone()) - timedelta(hours=10)).time().replace(second=0, microsecond=0)
"""The machines' day start: ten hours ago, so "today" holds the last minutes whenever the tests run
(the shipped 04:00 failed every run made in the twenty minutes after it)."""
SOCIAL = ("firefox", "Facebook — Mozilla Firefox", "social", "Facebook")
WORK = ("code", "sync.py - unscroll - Visual Studio Code", "work", "Visual Studio Code")


class Machine:
    """One computer writing to and reading from ``folder``."""

    def __init__(self, root: Path, folder: Path, name: str, *, clock_offset: float = 0.0,
                 extra_config: str = "", paths: Paths | None = None, day_start: dt_time = DAY_START) -> None:
        self.name = name
        self.folder = folder
        self.paths = paths or Paths(config_file=root / name / "config.toml", data_dir=root / name / "data")
        self.paths.config_file.parent.mkdir(parents=True, exist_ok=True)
        self.paths.config_file.write_text(
            f'[tracking]\ndevice = "{name}"\n[sync]\nfolder = "{folder}"\ndevice_name = "{name}"\n'
            f"[experiment]\nhold_back = 0\n[day]\nstarts_at = \"{day_start:%H:%M}\"\n{extra_config}",
            encoding="utf-8")
        self.settings: Settings = load_settings(self.paths)
        self.store = Store(self.paths.database)
        self.syncer = Syncer()
        self.clock_offset = clock_offset

    def clock(self, real: float | None = None) -> float:
        """This computer's clock at the real moment ``real`` (now when None)."""
        return (time.time() if real is None else real) + self.clock_offset

    def use(self, start: float, end: float, window: tuple[str, str, str, str] = SOCIAL) -> int:
        """A span of ``window`` from real ``start`` to ``end``, stored in this computer's time."""
        app, title, category, name = window
        with self.store.transaction():
            return self.store.insert_span(self.clock(start), self.clock(end), app, title, category, name,
                                          self.settings.tracking.device)

    def sync(self, real: float | None = None) -> PassReport:
        """One pass, at the real moment ``real`` (now when None) as this computer's clock shows it."""
        return self.syncer.run(self.store, self.settings, self.clock(real), local_zone())

    def own_folder(self) -> Path:
        """This computer's folder in the synced folder (after its first pass)."""
        device_id = self.store.get_state("sync.device_id")
        assert device_id is not None
        return self.folder / device_id

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``unscroll ARGS`` as this computer's user would."""
        env = {"UNSCROLL_CONFIG": str(self.paths.config_file), "UNSCROLL_DATA_DIR": str(self.paths.data_dir),
               "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COLUMNS": "200", "HOME": str(self.paths.data_dir)}
        result = subprocess.run([sys.executable, "-m", "monitor", *args], env=env, capture_output=True,
                                text=True, timeout=60, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"unscroll {' '.join(args)} failed: {result.stderr}")
        return result

    def today(self, *args: str) -> dict[str, Any]:
        """``unscroll today --json``."""
        result: dict[str, Any] = json.loads(self.cli("today", "--json", *args).stdout)
        return result

    def devices(self) -> dict[str, dict[str, Any]]:
        """``unscroll devices --json``, by name."""
        return {row["name"]: row for row in json.loads(self.cli("devices", "--json").stdout)}

    def social_today(self) -> float:
        """Today's social seconds as ``today --json`` says."""
        return float(sum(c["seconds"] for c in self.today()["categories"] if c["name"] == "social"))

    def close(self) -> None:
        """Close the store."""
        self.store.close()


@contextmanager
def machines_sharing(tmp_path: Path, day_start: dt_time = DAY_START) -> Iterator[tuple[Machine, Machine]]:
    """A laptop and a desktop sharing one synced folder, both closed afterwards."""
    folder = tmp_path / "Sync" / "unscroll"
    folder.parent.mkdir()
    laptop = Machine(tmp_path, folder, "laptop", day_start=day_start)
    desktop = Machine(tmp_path, folder, "desktop", day_start=day_start)
    try:
        yield laptop, desktop
    finally:
        laptop.close()
        desktop.close()


def recent_stretch(minutes: float) -> float:
    """A start for ``minutes`` of use ending a minute ago, within today (the day starts at ``DAY_START``)."""
    now = time.time()
    zone = local_zone()
    start = now - 60 - minutes * 60
    day_start, _ = day_bounds(day_of(now, DAY_START, zone), DAY_START, zone)
    assert start >= day_start, "too close to the start of the day for this test; run it again later"
    return start
