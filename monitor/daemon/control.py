"""Starting, stopping and asking after the daemon from another process (the CLI)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any

from monitor.core.errors import DaemonError
from monitor.core.paths import Paths
from monitor.daemon.lock import holder_pid
from monitor.store.database import Store
from monitor.tracking.heartbeat import read_heartbeat
from monitor.tracking.pause import paused_until

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0
WINDOWS_DETACHED_PROCESS = 0x00000008
"""``subprocess.DETACHED_PROCESS`` (defined on Windows only): no console to close under it."""
WINDOWS_NEW_PROCESS_GROUP = 0x00000200
"""``subprocess.CREATE_NEW_PROCESS_GROUP``: Ctrl+C in the terminal does not reach it."""


def detached_options(platform: str = sys.platform) -> dict[str, Any]:
    """``Popen`` options for a daemon that outlives the terminal and the command that started it."""
    if platform == "win32":
        return {"creationflags": WINDOWS_DETACHED_PROCESS | WINDOWS_NEW_PROCESS_GROUP}
    return {"start_new_session": True}  # its own session: no controlling terminal, no SIGHUP


class StopResult(Enum):
    """How ``unscroll stop`` ended."""

    STOPPED = "stopped"
    NOT_RUNNING = "not running"


@dataclass(frozen=True)
class DaemonStatus:
    """What ``unscroll status`` reports."""

    running: bool
    pid: int | None
    paused_until: float | None
    last_sample_at: float | None
    last_status: str | None
    backend: str | None
    database: str
    log_file: str

    def to_json(self) -> str:
        """The status as JSON (``paused_until`` of ``inf`` becomes the string "resume")."""
        data = asdict(self)
        if data["paused_until"] == float("inf"):
            data["paused_until"] = "resume"
        return json.dumps(data, indent=2)


def _poll(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return bool(check())


def status(paths: Paths) -> DaemonStatus:
    """Read whether the daemon runs and what it last did."""
    pid = holder_pid(paths.lock_file)
    pause = last_at = last_status = backend = None
    if paths.database.exists():
        with Store(paths.database) as store:
            pause = paused_until(store)
            beat = read_heartbeat(store)
        if beat is not None:
            last_at, last_status, backend = beat.at, beat.status, beat.backend
    if pause is not None and pause <= time.time():
        pause = None
    return DaemonStatus(
        running=pid is not None, pid=pid if pid and pid > 0 else None, paused_until=pause,
        last_sample_at=last_at if pid else None, last_status=last_status if pid else None,
        backend=backend if pid else None, database=str(paths.database), log_file=str(paths.log_file),
    )


def start_detached(paths: Paths) -> int:
    """Start the daemon in the background and wait until it holds its lock; return its pid."""
    env = dict(os.environ)
    env["UNSCROLL_CONFIG"] = str(paths.config_file)
    env["UNSCROLL_DATA_DIR"] = str(paths.data_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor.daemon"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env=env, close_fds=True, **detached_options(),
    )
    started = _poll(lambda: holder_pid(paths.lock_file) == process.pid or process.poll() is not None,
                    START_TIMEOUT)
    if process.poll() is not None:
        message = (process.stderr.read().decode(errors="replace").strip().splitlines()
                   if process.stderr else [])
        reason = message[-1] if message else f"exit code {process.returncode}"
        raise DaemonError(f"the daemon did not start: {reason.removeprefix('unscroll: ')}")
    if process.stderr is not None:
        process.stderr.close()
    if not started:
        raise DaemonError(f"the daemon did not start within {START_TIMEOUT:g} s; see {paths.log_file}")
    return process.pid


def stop(paths: Paths, timeout: float = STOP_TIMEOUT) -> StopResult:
    """Ask the running daemon to stop and wait until it has."""
    pid = holder_pid(paths.lock_file)
    if pid is None:
        return StopResult.NOT_RUNNING
    if pid <= 0:
        raise DaemonError(f"a daemon holds {paths.lock_file} but its pid is unreadable; stop it by hand")
    try:
        # on Windows this is TerminateProcess: the daemon gets no last word, and loses at
        # most the sample interval since its last write (each sample is committed)
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return StopResult.NOT_RUNNING
    except PermissionError:
        raise DaemonError(f"not allowed to stop the daemon (pid {pid})") from None
    if not _poll(lambda: holder_pid(paths.lock_file) is None, timeout):
        raise DaemonError(f"the daemon (pid {pid}) did not stop within {timeout:g} s")
    return StopResult.STOPPED
