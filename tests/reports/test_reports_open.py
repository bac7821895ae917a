"""``unscroll report --open`` hands the page to the desktop's viewer and returns at once.

The viewer here is a real stand-in for ``xdg-open`` on PATH that records what it was given,
writes to its output and then stays open for a while, like an image viewer would. The
command must not wait for it, nor leave it holding the command's output pipe.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from monitor.store.database import Store
from tests.helpers import wait_until
from tests.reports_fixtures import add_span, at, make_settings

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows opens files with os.startfile")
VIEWER_SECONDS = 30
OPENER = "open" if sys.platform == "darwin" else "xdg-open"


@pytest.fixture
def week_with_data(user_paths, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    from monitor.core.days import local_zone
    from reports.weeks import parse_week

    make_settings(user_paths)
    with Store(user_paths.database) as store:
        add_span(store, at(parse_week("2026-W20").days()[0], "10:00", local_zone()), 1800)
    return user_paths


def lingering_viewer(tmp_path) -> tuple[dict[str, str], object]:
    """PATH with a viewer that records ``pid sid file``, talks on stdout and stderr, then lingers."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "viewer.txt"
    script = bin_dir / OPENER
    script.write_text(f'#!/bin/sh\necho "$$ $(ps -o sid= -p $$) $1" > {record}.part\n'
                      f'mv {record}.part {record}\n'
                      f'echo "viewer says hello"\necho "viewer warns" >&2\nexec sleep {VIEWER_SECONDS}\n')
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}, record


def test_open_returns_at_once_and_leaves_the_viewer_running(week_with_data, tmp_path):
    env, record = lingering_viewer(tmp_path)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "monitor", "report", "--week", "2026-W20", "--open"],
                          env=env, capture_output=True, text=True, timeout=VIEWER_SECONDS - 5)
    took = time.monotonic() - started
    path = week_with_data.reports_dir / "week-2026-W20.png"
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}\n"  # nothing of the viewer's on our output
    assert "viewer" not in done.stderr
    assert took < VIEWER_SECONDS / 2
    wait_until(record.exists, timeout=10, message="the viewer to start")
    pid, sid, opened = record.read_text().split()
    try:
        assert opened == str(path)
        assert int(sid) != os.getsid(0)  # a session of its own: closing the terminal leaves it open
        os.kill(int(pid), 0)  # still running after the command returned
    finally:
        os.kill(int(pid), signal.SIGTERM)


def test_no_viewer_is_one_clear_line_and_the_report_stays(week_with_data, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "monitor", "report", "--week", "2026-W20", "--open"],
                          env={**os.environ, "PATH": str(empty)}, capture_output=True, text=True,
                          timeout=60)
    path = week_with_data.reports_dir / "week-2026-W20.png"
    assert done.returncode == 1
    assert done.stdout == f"{path}\n"
    assert done.stderr.splitlines()[-1] == (
        f"unscroll: --open: no viewer could be started ({OPENER}: No such file or directory); "
        f"the report is at {path}")
    assert "Traceback" not in done.stderr
    assert path.read_bytes()[:4] == b"\x89PNG"
