"""Running the real ``unscroll`` daemon as a child process against the test desktop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from monitor.core.errors import StoreError
from monitor.core.paths import Paths
from monitor.store.database import Store
from tests.helpers import wait_until


class DaemonProcess:
    """A daemon in the foreground as a child process, with helpers to steer and read it."""

    def __init__(self, env: dict[str, str], paths: Paths) -> None:
        self.env = {**env, "UNSCROLL_CONFIG": str(paths.config_file),
                    "UNSCROLL_DATA_DIR": str(paths.data_dir), "PYTHONUNBUFFERED": "1"}
        self.paths = paths
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run ``unscroll ARGS`` with this daemon's environment."""
        result = subprocess.run([sys.executable, "-m", "monitor", *args], env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"unscroll {' '.join(args)} failed: {result.stderr}")
        return result

    def start(self) -> DaemonProcess:
        """Start the daemon in the foreground and wait until it has sampled once."""
        log = (self.paths.data_dir.parent / "daemon-stderr.log").open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "monitor", "start", "--foreground"],
                                        env=self.env, stdout=log, stderr=log)
        log.close()
        wait_until(lambda: self.heartbeat() is not None or self.process.poll() is not None,
                   timeout=30, message="the daemon's first sample")
        assert self.process.poll() is None, self.stderr()
        return self

    def stderr(self) -> str:
        path = self.paths.data_dir.parent / "daemon-stderr.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def heartbeat(self, after: float = 0.0) -> dict[str, Any] | None:
        """The daemon's latest heartbeat, if written after ``after``."""
        if not self.paths.database.exists():
            return None
        try:
            with Store(self.paths.database) as store:
                text = store.get_state("daemon.heartbeat")
        except StoreError:  # the daemon is creating the database this very moment: ask again
            return None
        if text is None:
            return None
        beat: dict[str, Any] = json.loads(text)
        return beat if beat["at"] > after else None

    def signal(self, signum: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signum)

    def kill(self) -> None:
        """SIGKILL the daemon and reap it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop via ``unscroll stop`` (if still running) and reap the process."""
        if self.process is not None and self.process.poll() is None:
            self.cli("stop")
            self.process.wait(timeout=10)

    def today(self) -> dict[str, Any]:
        """``unscroll today --json``."""
        result: dict[str, Any] = json.loads(self.cli("today", "--json").stdout)
        return result

    def item_seconds(self, name: str) -> float:
        """Seconds today for the item called ``name`` (0 if absent)."""
        return float(sum(item["seconds"] for item in self.today()["items"] if item["name"] == name))

    def exact_seconds(self, title: str) -> float:
        """Unrounded seconds stored for windows titled ``title``, straight from the database."""
        if not self.paths.database.exists():
            return 0.0
        with Store(self.paths.database) as store:
            row = store.connection.execute(
                "SELECT COALESCE(SUM(end_utc - start_utc), 0) FROM spans WHERE title = ?", (title,)
            ).fetchone()
        return float(row[0])


DOORWAY_OFF = """
# The doorway window would take the focus from the windows this test counts;
# tests/desktop/test_doorway.py is where it is on.
[doorway]
when = "off"
"""


EVERY_PROMPT_SHOWN = """
# No prompt held back at random: the tests count the notices and doorways they expect;
# tests/desktop/test_hold_back.py is where the experiment is on.
[experiment]
hold_back = 0
"""


def write_test_config(paths: Paths, text: str) -> Path:
    """Write the config.toml the daemon under test reads (the doorway off and every prompt shown,
    unless ``text`` sets them)."""
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    if "[doorway]" not in text:
        text += DOORWAY_OFF
    if "[experiment]" not in text:
        text += EVERY_PROMPT_SHOWN
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file
