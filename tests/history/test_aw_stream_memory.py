"""Issue 22: an export bigger than the memory the importing process may have is imported all the same.

The child process (``python -m monitor import activitywatch FILE``, as a user runs it) sets
itself an address-space limit (``RLIMIT_AS``) before it starts. ``python -m monitor --help``
runs within 30 MB of address space here, so the limit leaves the import over 200 MB of
headroom beyond it. The file (120 MB) does not fit in that limit once parsed whole: reading it
whole (``aw_format.read_export``, what the import did before) fails under the same limit.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from monitor.store.database import Store
from tests.history.aw_generated import write_big_export

ROOT = Path(__file__).resolve().parents[2]
LIMIT_BYTES = 250 * 2**20
EVENTS = 700_000
FIRST = datetime.fromisoformat("2021-03-01T00:00:00+00:00").timestamp()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UNSCROLL_CONFIG": str(tmp_path / "config.toml"),
           "UNSCROLL_DATA_DIR": str(tmp_path / "data"), "TZ": "UTC"}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, preexec_fn=_limit_memory, check=False)


def test_an_export_bigger_than_the_memory_limit_is_imported(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "config.toml").write_text('[day]\nstarts_at = "04:00"\n', encoding="utf-8")
    export = tmp_path / "aw-buckets-export.json"
    bounds = write_big_export(export, FIRST, EVENTS)
    assert export.stat().st_size > 100e6
    day_starts = {FIRST + 4 * 3600 + day * 86400 for day in range(1 + int(bounds[-1] - FIRST) // 86400)}
    cut_at_day_start = len({d for d in day_starts if d < bounds[-1]} - set(bounds))

    assert _run(["-m", "monitor", "--help"], tmp_path).returncode == 0  # the limit leaves room to start
    whole = _run(["-c", "import pathlib, sys; from monitor.history.aw_format import read_export; "
                        "read_export(pathlib.Path(sys.argv[1]))", str(export)], tmp_path)
    assert whole.returncode != 0  # a MemoryError, or orjson's crash (SIGSEGV) when an allocation fails
    result = _run(["-m", "monitor", "import", "activitywatch", str(export)], tmp_path)

    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{EVENTS:,} events in 1 bucket(s) read." in result.stdout
    with Store(tmp_path / "data" / "unscroll.sqlite3") as store:
        spans, seconds, events = store.connection.execute(
            "SELECT COUNT(*), SUM(end_utc - start_utc), COUNT(DISTINCT rtrim(origin, '0123456789')) "
            "FROM spans WHERE device = 'big'").fetchone()
    assert events == EVENTS
    assert seconds == bounds[-1] - FIRST
    assert spans == EVENTS + cut_at_day_start > EVENTS
    assert f"Added {spans:,} spans" in result.stdout
    assert list((tmp_path / "data").glob("import-*")) == []
