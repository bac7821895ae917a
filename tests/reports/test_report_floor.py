"""The weekly page at its floor (issue 22): it imports only what an empty figure needs, and draws lean.

The floor is a new Python drawing an empty figure of the page's size to PNG. The page may
import the project's own modules and the CLI's, but no matplotlib, numpy or Pillow module
that the floor does not import itself. The timing ratio is measured by
``benchmarks/run.py`` (``report_floor_ratio``), not here: timings on a shared machine are
no test.
"""

from __future__ import annotations

import gc
import os
import struct
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor.store.database import Store
from reports.charts import PAGE_INCHES, PNG_DPI, week_figure
from reports.weekly import render_week_report, report_for
from tests.reports_fixtures import SAMPLE_NOW, SAMPLE_WEEK, SAMPLE_ZONE, fill_sample_week, make_settings

ROOT = Path(__file__).resolve().parents[2]
DRAWING_PACKAGES = ("matplotlib", "mpl_toolkits", "numpy", "PIL", "fontTools", "kiwisolver", "pyparsing")
FLOOR = ("import sys\nfrom matplotlib.figure import Figure\n"
         "Figure(figsize=(float(sys.argv[1]), float(sys.argv[2])), facecolor='white').savefig("
         "sys.argv[4], format='png', dpi=int(sys.argv[3]), facecolor='white')")


MODULES_AT_EXIT = ("import atexit, runpy, sys\n"
                   "atexit.register(lambda: sys.stderr.write(\n"
                   "    ''.join(f'module: {name}\\n' for name in sys.modules)))\n")
"""Prefixed to the code a process runs: it lists every module it imported when it exits.

``sys.modules`` rather than ``-X importtime``: matplotlib loads its Agg backend with
``importlib.import_module``, which ``-X importtime`` does not list.
"""


def _imported(args: list[str], env: dict[str, str]) -> set[str]:
    """The modules a new Python running ``args`` (``-m module …`` or ``-c code …``) had imported at exit."""
    if args[0] == "-m":
        code = MODULES_AT_EXIT + (f"sys.argv[0] = {args[1]!r}\n"
                                  f"runpy.run_module({args[1]!r}, run_name='__main__')")
    else:
        code = MODULES_AT_EXIT + args[1]
    done = subprocess.run([sys.executable, "-c", code, *args[2:]], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.removeprefix("module: ") for line in done.stderr.splitlines() if line.startswith("module: ")}


def _drawing_modules(names: set[str]) -> set[str]:
    return {name for name in names if name.split(".")[0] in DRAWING_PACKAGES}


def _filled_store(user_paths) -> None:
    user_paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    with Store(user_paths.database) as store:
        fill_sample_week(store)


def test_the_page_imports_nothing_for_drawing_beyond_an_empty_figure(user_paths, tmp_path):
    _filled_store(user_paths)
    make_settings(user_paths)
    env = {**os.environ, "TZ": SAMPLE_ZONE}
    out = tmp_path / "week.png"
    page = _imported(["-m", "monitor", "report", "--week", SAMPLE_WEEK, "--out", str(out)], env)
    floor = _imported(["-c", FLOOR, str(PAGE_INCHES[0]), str(PAGE_INCHES[1]), str(PNG_DPI),
                       str(tmp_path / "empty.png")], env)
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "matplotlib.figure" in floor
    assert _drawing_modules(page) - _drawing_modules(floor) == set()
    # the PNG is the page's size: 16 × 10 inches at 120 dpi
    width, height = struct.unpack(">II", out.read_bytes()[16:24])
    assert (width, height) == (round(PAGE_INCHES[0] * PNG_DPI), round(PAGE_INCHES[1] * PNG_DPI))


def test_headline_cards_are_drawn_without_axes_of_their_own(user_paths):
    _filled_store(user_paths)
    settings = make_settings(user_paths)
    with Store(user_paths.database) as store:
        report = report_for(store, settings, SAMPLE_WEEK, zone=ZoneInfo(SAMPLE_ZONE),
                            now=datetime.fromisoformat(SAMPLE_NOW).timestamp())
    fig = week_figure(report)
    card_texts = [text.get_text() for text in fig.texts if text.get_gid() == "card"]
    assert len(card_texts) == 12  # four cards: a label, a value and a note each
    assert "People reached" in card_texts
    assert len([patch for patch in fig.artists if patch.get_gid() == "card"]) == 4
    # one axes per chart (daily, social, items, the prompt columns, people), none for decoration
    assert "card" not in {ax.get_gid() for ax in fig.axes}
    assert len(fig.axes) <= 6


def test_only_the_report_command_freezes_what_it_imported(user_paths, tmp_path):
    """`unscroll report` (one page, then exit) freezes its heap before drawing; drawing alone does not."""
    _filled_store(user_paths)
    settings = make_settings(user_paths)
    code = ("import atexit, gc, runpy, sys\n"
            "atexit.register(lambda: sys.stderr.write(f'frozen: {gc.get_freeze_count()}\\n'))\n"
            "sys.argv[0] = 'monitor'\nrunpy.run_module('monitor', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code, "report", "--week", SAMPLE_WEEK, "--out",
                           str(tmp_path / "week.png")], env={**os.environ, "TZ": SAMPLE_ZONE}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    [frozen] = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("frozen: ")]
    assert frozen > 50_000  # matplotlib's modules and what they hold
    # the daemon's weekly job draws with render_week_report: it leaves the collector as it was
    before = gc.get_freeze_count()
    with Store(user_paths.database) as store:
        render_week_report(store, settings, SAMPLE_WEEK, tmp_path / "again.png", zone=ZoneInfo(SAMPLE_ZONE),
                           now=datetime.fromisoformat(SAMPLE_NOW).timestamp())
    assert gc.get_freeze_count() == before
