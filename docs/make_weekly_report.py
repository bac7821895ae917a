"""Draw the README's screenshot, docs/weekly-report.png, from the sample week of the report tests.

Run from the repository's root: ``.venv/bin/python -m docs.make_weekly_report`` (or give
another output path). The week is built in a temporary folder (``fill_sample_week`` in
tests/reports_fixtures.py: seeded, so the same every time) and drawn by the same call the
daemon's weekly job makes.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor.core.paths import Paths
from monitor.store.database import Store
from reports.weekly import render_week_report
from tests.reports_fixtures import (
    SAMPLE_CONFIG,
    SAMPLE_NOW,
    SAMPLE_WEEK,
    SAMPLE_ZONE,
    fill_sample_week,
    make_settings,
)

DEFAULT_OUT = Path(__file__).resolve().parent / "weekly-report.png"


def main(argv: list[str]) -> int:
    """Write the sample week's page to ``argv[0]`` (default: docs/weekly-report.png)."""
    out = Path(argv[0]) if argv else DEFAULT_OUT
    with tempfile.TemporaryDirectory() as folder:
        paths = Paths(config_file=Path(folder) / "config.toml", data_dir=Path(folder) / "data")
        settings = make_settings(paths, SAMPLE_CONFIG)
        with Store(Path(folder) / "sample.sqlite3") as store:
            fill_sample_week(store)
            path, headline = render_week_report(store, settings, SAMPLE_WEEK, out.resolve(),
                                                zone=ZoneInfo(SAMPLE_ZONE),
                                                now=datetime.fromisoformat(SAMPLE_NOW).timestamp())
    path.chmod(0o644)  # the page is written private (0600); this one is for the README, made-up data
    sys.stdout.write(f"{path}: {headline}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
