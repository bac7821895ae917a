"""``unscroll report``: draw a week's report page (PNG, SVG or PDF) and print where it is."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.core.errors import UnscrollError
from monitor.core.shell import settings
from monitor.store.database import open_store
from reports.cli.device_options import device_options, narrow


class ViewerError(UnscrollError):
    """The report was written, but no viewer could be started for it."""

    title = "No viewer"


@click.command()
@click.option("--week", "week_text", metavar="YYYY-Www",
              help="The ISO week, e.g. 2026-W13 (default: this week).")
@click.option("--out", "out", type=click.Path(path_type=Path), metavar="PATH",
              help="Where to write it: a .png, .svg or .pdf file, or a folder "
                   "(default: the data folder's reports/).")
@click.option("--open", "open_it", is_flag=True,
              help="Open the report in the default viewer (returns at once, the viewer stays open).")
@device_options
def report(week_text: str | None, out: Path | None, open_it: bool, device: str | None,
           this_device: bool) -> None:
    """Draw the weekly report: time per day and category, budgets, top items, people."""
    from reports.charts import settle_for_one_page  # noqa: PLC0415
    from reports.weekly import check_out_path, current_week, default_report_path, render_week_report  # noqa: PLC0415
    from reports.weeks import parse_week  # noqa: PLC0415

    current = settings()
    week = parse_week(week_text) if week_text else current_week(current)
    with open_store(current) as store:
        scope = narrow(store, current, device, this_device)
        if out is None:
            out = default_report_path(current, week, device=scope)
        elif out.is_dir():
            out = out / default_report_path(current, week, device=scope).name
        check_out_path(out)  # a bad --out is refused before matplotlib is loaded
        settle_for_one_page()
        path, headline = render_week_report(store, current, week, out, device=scope)
    click.echo(str(path))
    click.echo(headline[:1].upper() + headline[1:] + ".", err=True)
    if open_it:
        from monitor.core.opener import start_viewer  # noqa: PLC0415 - only with --open

        try:
            start_viewer(str(path))
        except OSError as exc:
            reason = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
            raise ViewerError(f"--open: no viewer could be started ({reason}); "
                              f"the report is at {path}") from None
