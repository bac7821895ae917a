"""The weekly page at its floor (issue 22): it imports only what an empty figure needs, and draws lean.

The floor is a new Python drawing an empty figure of the page's size to PNG. The page may
import the project's own modules and the CLI's, but no matplotlib, numpy or Pillow module
that the floor does not import itself. The timing ratio is measured by
``benchmarks/run.py`` (``report_floor_ratio``), not here: timings on a shared machine are
no test.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor.store.database import Store
from reports.charts import PAGE_INCHES, PNG_DPI, week_figure
from reports.weekly import report_for
from tests.reports_fixtures import SAMPLE_NOW, SAMPLE_WEEK, SAMPLE_ZONE, fill_sample_week, make_settings

ROOT = Path(__file__).resolve().parents[2]
DRAWING_PACKAGES = ("matplotlib", "mpl_toolkits", "numpy", "PIL", "fontTools", "kiwisolver", "pyparsing")
FLOOR = ("import sys\nfrom matplotlib.figure import Figure\n"
         "Figure(figsize=(float(sys.argv[1]), float(sys.argv[2])), facecolor='white').savefig("
         "sys.argv[4], format='png', dpi=int(sys.argv[3]), facecolor='white')")


def _imported(args: list[str], env: dict[str, str]) -> set[str]:
    """The modules a new ``python -X importtime ARGS`` process imported (it must succeed)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    return {line.split("|")[-1].strip() for line in lines if line.startswith("import time:")}


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
