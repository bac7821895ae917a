"""Render a week's report page from the store: the one call the CLI and the daemon's weekly job make.

Importing this module does not import matplotlib; drawing does.
"""

from __future__ import annotations

import re
import time
from datetime import tzinfo
from pathlib import Path

from monitor.core.days import local_zone
from monitor.core.errors import InputError
from monitor.core.paths import PRIVATE_FILE_MODE, ensure_private_dir, make_private_file
from monitor.core.settings import Settings
from monitor.effect.measure import measure_effect
from monitor.store.database import Store
from reports.week import WeekReport, week_report
from reports.weeks import IsoWeek, parse_week, period_bounds, week_of


def report_for(store: Store, settings: Settings, week: IsoWeek | str, *, zone: tzinfo | None = None,
               now: float | None = None, device: str | None = None) -> WeekReport:
    """The aggregates of ``week`` (an IsoWeek or ``YYYY-Www``) with the user's day start and budgets."""
    if isinstance(week, str):
        week = parse_week(week)
    zone = zone or local_zone()
    now = time.time() if now is None else now
    as_of = min(now, period_bounds(week.days(), settings.day_starts_at, zone)[1] - 0.001)  # its last day
    return week_report(store, week, starts_at=settings.day_starts_at, zone=zone, budgets=settings.budgets,
                       now=now, effect=measure_effect(store, settings, as_of, zone), device=device)


def current_week(settings: Settings, *, zone: tzinfo | None = None, now: float | None = None) -> IsoWeek:
    """The week of the local day (with the configured day start) that ``now`` belongs to."""
    return week_of(time.time() if now is None else now, settings.day_starts_at, zone or local_zone())


def default_report_path(settings: Settings, week: IsoWeek, extension: str = ".png", *,
                        device: str | None = None) -> Path:
    """``<data folder>/reports/week-YYYY-Www.png`` (``-<device>`` before the extension for one computer).

    The folder is created private (0700).
    """
    mark = "" if device is None else "-" + (re.sub(r"[^\w.-]+", "-", device).strip("-.") or "device")
    return ensure_private_dir(settings.paths.reports_dir) / f"week-{week.label}{mark}{extension}"


def check_out_path(out_path: Path) -> Path:
    """Refuse an output path whose folder does not exist or which is a folder itself."""
    from reports.charts import chart_format  # noqa: PLC0415 - charts stays lazy (no matplotlib here)

    folder = out_path.parent
    if not folder.is_dir():
        raise InputError(f"{out_path}: the folder {folder} does not exist; create it or choose "
                         "another --out")
    if out_path.is_dir():
        raise InputError(f"{out_path} is a folder; give a file name ending in .png, .svg or .pdf")
    chart_format(out_path)
    return out_path


def render_week_report(store: Store, settings: Settings, week: IsoWeek | str, out_path: Path, *,
                       zone: tzinfo | None = None, now: float | None = None,
                       device: str | None = None) -> tuple[Path, str]:
    """Draw ``week`` into ``out_path`` (PNG, SVG or PDF by extension); return the path and headline.

    The headline reads like "3 h 10 m on social, 20 % less than last week; you reached
    3 people". A week still in progress is compared with the same stretch of the week
    before. The file is written private (0600), through a temporary file, so a reader
    never sees half a picture.
    """
    from reports.charts import chart_format, save_figure, week_figure  # noqa: PLC0415 - lazy

    check_out_path(out_path)
    report = report_for(store, settings, week, zone=zone, now=now, device=device)
    figure = week_figure(report)
    temporary = out_path.with_name(f".{out_path.name}.part")
    try:
        temporary.touch(mode=PRIVATE_FILE_MODE)
        make_private_file(temporary)
        save_figure(figure, temporary, file_format=chart_format(out_path))
        temporary.replace(out_path)
    except OSError as exc:
        raise InputError(f"{out_path}: cannot write the report: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return out_path, report.headline_text
