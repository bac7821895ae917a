"""``benchmarks/run.py --quick`` runs end to end and writes every figure (no timing assertions).

It runs the real thing, kept short: 15 s of daemon on Xvfb (the harness's desktop), 60
generated days, two repeats. ActivityWatch's figures may be recorded as skipped (with the
reason) where aw-server cannot be installed; every other figure is measured from code in
this repository and must be a number.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.harness import require_programs

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.desktop  # the daemon figures need Xvfb and the desktop stack

# the figures issue 6 asks for
FIGURES = (
    "daemon_rss_mb", "daemon_cpu_percent", "floor_cpu_percent",
    "today_ms", "week_ms", "month_totals_ms", "year_totals_ms",
    "cli_today_s", "report_s", "import_events_per_s",
    "aw_month_totals_ms", "aw_server_rss_mb",
    # and issue 22's, measured in the same run
    "report_floor_ratio", "import_peak_rss_mb", "year_totals_5_devices_ms",
)
MAY_BE_SKIPPED = ("aw_month_totals_ms", "aw_server_rss_mb")


@pytest.mark.timeout(240)
def test_quick_run_writes_every_figure(tmp_path: Path) -> None:
    require_programs()
    out = tmp_path / "results.json"
    env = {**os.environ, "UNSCROLL_BENCH_DAEMON_SECONDS": "15", "UNSCROLL_BENCH_DAYS": "60"}
    env.pop("UNSCROLL_BENCH_SKIP", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--repeats", "2",
         "--out", str(out), "--data-dir", str(tmp_path / "data")],
        env=env, capture_output=True, text=True, timeout=230, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    document = json.loads(out.read_text(encoding="utf-8"))
    for key in ("cpu", "cores", "python", "os"):
        assert document["machine"][key], key
    figures = document["figures"]
    assert set(FIGURES) <= set(figures)
    for name in FIGURES:
        value = figures[name]
        if isinstance(value, dict):
            assert name in MAY_BE_SKIPPED, f"{name} was skipped: {value}"
            assert isinstance(value.get("skipped"), str), value
            assert value["skipped"].strip(), value
        else:
            assert isinstance(value, int | float), (name, value)
            assert not isinstance(value, bool), (name, value)
            assert math.isfinite(value), (name, value)
            assert value >= 0, (name, value)
    # the daemon really tracked the focus changes it was measured under
    assert document["details"]["desktop"]["titles_recorded"] >= 2
    assert document["run"]["data"]["days"] == 60
    # the table names every figure
    for name in FIGURES:
        assert name in done.stdout
