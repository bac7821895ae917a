"""Ctrl-C during `unscroll import activitywatch` of a big export: one line, exit 130, and nothing kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import psutil

from monitor.store.database import Store
from tests.helpers import ctrl_c_as_in_a_terminal
from tests.history.aw_generated import write_big_export

ROOT = Path(__file__).resolve().parents[2]
FIRST = datetime.fromisoformat("2024-01-01T00:00:00+00:00").timestamp()


def test_ctrl_c_while_importing_keeps_nothing_and_says_so(tmp_path):
    export = tmp_path / "aw-buckets-export.json"
    write_big_export(export, FIRST, 200_000)  # about 36 MB: streamed, with a planning process
    (tmp_path / "data").mkdir()
    env = {**os.environ, "UNSCROLL_CONFIG": str(tmp_path / "config.toml"),
           "UNSCROLL_DATA_DIR": str(tmp_path / "data"), "TZ": "UTC"}
    importing = subprocess.Popen([sys.executable, "-m", "monitor", "import", "activitywatch", str(export)],
                                 cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 preexec_fn=ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 60
    while not psutil.Process(importing.pid).children() and time.monotonic() < deadline:
        time.sleep(0.02)  # poll: the planning process starts before the file is read
    planners = psutil.Process(importing.pid).children()
    assert planners, "no planning process was started"
    importing.send_signal(signal.SIGINT)  # what Ctrl-C sends (to the importer; the planner ignores it)
    out, err = importing.communicate(timeout=60)

    assert importing.returncode == 130, err
    assert err.strip().splitlines()[-1] == (f"Stopped: nothing was imported from {export}; "
                                            "your data is as it was.")
    assert "Traceback" not in err
    assert out == ""
    with Store(tmp_path / "data" / "unscroll.sqlite3") as store:
        assert store.connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 0
    assert list((tmp_path / "data").glob("import-*")) == []
    psutil.wait_procs(planners, timeout=10)
    assert not [p for p in planners if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
