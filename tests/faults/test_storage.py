"""The database cannot be written for a while: disk full, folder read-only, locked by another writer.

In each case the real daemon keeps sampling, holds the growing span in memory, logs the
trouble once, loses nothing already stored, and writes everything once it can again:
the day's total then matches the time the window was really in focus, within one sample.

Disk full and read-only need root: for a full disk the data folder is a small tmpfs of its
own (4 MB) filled to the last byte; read-only is the folder and its files made immutable
with ``chattr +i`` (chmod does not stop root; tmpfs ignores +i for open files, so this
one runs where the tests' temporary folder lives, and is skipped where that cannot work).
The ``-shm`` index stays writable: it is memory-mapped, and SQLite (any WAL user) dies
of SIGBUS when its mapping cannot be written; the data files do become read-only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.faults.faultkit import (
    NO_BUDGETS,
    PROBE_APP,
    FaultDaemon,
    counted,
    daemon_config,
    integrity,
    keep_active,
    spans,
)
from tests.helpers import wait_until

INTERVAL = 0.25
SLACK = 0.35  # a tick's own latency, and the test reading its clock around the daemon's
CONFIG = daemon_config(INTERVAL, NO_BUDGETS)


def needs_root() -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs and chattr +i need root (chmod does not stop root's writes)")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs mounted where the daemon's data folder will be."""
    needs_root()
    folder = tmp_path / "data"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-R", "-i", str(folder)], capture_output=True, check=False)
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to its last byte; return the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 16, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    return filler


def started(desktop, tmp_path: Path, title: str) -> tuple[FaultDaemon, float]:
    daemon = FaultDaemon.make(desktop, tmp_path, CONFIG)
    desktop.focus(desktop.open_window(title, process_name=PROBE_APP))
    desktop.touch_input()
    daemon.start()
    first = min(start for start, _, _ in spans(daemon.paths.database, "title = ?", (title,)))
    return daemon, first


def through_a_write_failure(desktop, daemon: FaultDaemon, title: str, *, cause: Callable[[], object],
                            undo: Callable[[], object], noticed_within: float) -> tuple[float, float, float]:
    """Make the store refuse writes while the user stays in ``title``, then let it write again.

    Returns what was stored when the failure began and while it lasted, and the last input
    before the daemon was stopped afterwards.
    """
    cause()
    stored_before = counted(daemon.paths.database, title=title)
    wait_until(lambda: "cannot write to" in daemon.log_text(), timeout=noticed_within,
               message="the daemon to notice it cannot write")
    keep_active(desktop, 2.0)
    during = counted(daemon.paths.database, title=title)
    undo()
    wait_until(lambda: "works again" in daemon.log_text(), timeout=20,
               message="the daemon to write again")
    keep_active(desktop, 0.5)
    assert daemon.running()
    desktop.touch_input()
    last_input = time.time()  # a stop keeps what was counted up to the last input
    daemon.stop()
    return stored_before, during, last_input


def assert_all_counted(daemon: FaultDaemon, title: str, first: float, stopped: float, during: float) -> None:
    """The store is sound and holds all the time held, the failure's included (kept in memory)."""
    assert integrity(daemon.paths.database) == "ok"
    total = counted(daemon.paths.database, title=title)
    assert total == pytest.approx(stopped - first, abs=INTERVAL + SLACK)
    assert total > during + 2.0  # the time held while writes failed was written afterwards


def test_disk_full_then_space_back(desktop, tmp_path, small_disk):
    title = "faults disk full"
    daemon, first = started(desktop, tmp_path, title)
    filler = small_disk / "filler"
    try:
        keep_active(desktop, 1.0)
        stored_before, during, stopped = through_a_write_failure(
            desktop, daemon, title, cause=lambda: fill(small_disk), undo=filler.unlink, noticed_within=60)
    finally:
        daemon.finish()
    # nothing stored was lost, and nothing more could be stored
    assert stored_before <= during < stored_before + 60
    assert_all_counted(daemon, title, first, stopped, during)


def immutable_stops_open_files(folder: Path) -> str | None:
    """None when ``chattr +i`` on a file in ``folder`` stops writes through a descriptor opened
    before (ext4, xfs, btrfs); else why not (tmpfs lets them through; chattr may be missing)."""
    probe = folder / "immutable-probe"
    fd = os.open(probe, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        frozen = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, text=True, check=False)
        if frozen.returncode != 0:
            return f"chattr +i is not supported here: {frozen.stderr.strip()}"
        try:
            os.pwrite(fd, b"x", 0)
        except OSError:
            return None
        return "chattr +i does not stop writes to files already open on this file system"
    finally:
        os.close(fd)
        subprocess.run(["chattr", "-i", str(probe)], capture_output=True, check=False)
        probe.unlink()


def test_read_only_data_folder_then_writable(desktop, tmp_path):
    needs_root()
    why_not = immutable_stops_open_files(tmp_path)
    if why_not:
        pytest.skip(why_not)
    title = "faults read only"
    daemon, first = started(desktop, tmp_path, title)
    # not the -shm: SQLite maps it into memory, and a write to an immutable mapping is a SIGBUS
    # that ends any WAL reader or writer (the systemd unit restarts the daemon after it)
    files = [daemon.paths.data_dir, *(path for path in daemon.paths.data_dir.iterdir()
                                      if not path.name.endswith("-shm"))]
    try:
        keep_active(desktop, 1.0)
        stored_before, during, stopped = through_a_write_failure(
            desktop, daemon, title, noticed_within=20,
            cause=lambda: subprocess.run(["chattr", "+i", *map(str, files)], check=True),
            undo=lambda: subprocess.run(["chattr", "-i", *map(str, files)], check=True))
    finally:
        subprocess.run(["chattr", "-i", *map(str, files)], capture_output=True, check=False)
        daemon.finish()
    assert stored_before <= during <= stored_before + INTERVAL + SLACK
    assert_all_counted(daemon, title, first, stopped, during)


def test_database_locked_by_another_writer_for_30_seconds(desktop, tmp_path):
    title = "faults locked"
    daemon, first = started(desktop, tmp_path, title)
    try:
        keep_active(desktop, 1.0)
        ticks_before = daemon.ticks()
        with contextlib.closing(sqlite3.connect(daemon.paths.database, isolation_level=None)) as other:
            other.execute("BEGIN EXCLUSIVE")
            locked_at = time.time()
            other.execute("INSERT INTO state (key, value) VALUES ('faults.locker', 'x')")
            keep_active(desktop, 30.0)
            stored_during = counted(daemon.paths.database, title=title)  # readers still read (WAL)
            other.execute("COMMIT")
            released = time.time()
        beat = wait_until(lambda: daemon.heartbeat(after=released), timeout=10,
                          message="a heartbeat after the lock")
        keep_active(desktop, 0.5)
        assert daemon.running()
        desktop.touch_input()
        stopped = time.time()  # the last input: a stop keeps what was counted up to it
        wait_until(lambda: daemon.heartbeat(after=stopped), timeout=5, message="a sample after the input")
        daemon.stop()
    finally:
        daemon.finish()
    log = daemon.log_text()
    assert integrity(daemon.paths.database) == "ok"
    # while locked nothing more was stored, but the daemon kept sampling at its pace
    assert stored_during <= locked_at - first + INTERVAL + SLACK
    assert beat["ticks"] - ticks_before >= 0.8 * (released - locked_at) / INTERVAL
    assert "maximum number of running instances" not in log
    assert daemon.paths.log_file.read_text().count("cannot write to") == 1  # once, not every sample
    total = counted(daemon.paths.database, title=title)
    assert total == pytest.approx(stopped - first, abs=INTERVAL + SLACK)
