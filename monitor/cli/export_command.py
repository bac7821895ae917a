"""``unscroll export``: write your data out as CSV, JSON or an ActivityWatch export."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from monitor.core.days import DATE_ACCEPTED, day_of, day_start, local_zone, parse_day_argument
from monitor.core.shell import settings
from monitor.store.database import open_store


@click.command()
@click.option("--format", "file_format", type=click.Choice(["csv", "json", "activitywatch"]),
              default="csv", show_default=True, help="csv: one row per span; json: spans, people, "
              "interactions and prompts; activitywatch: importable into ActivityWatch.")
@click.option("--since", "since_text", metavar="DATE",
              help=f"Only from this local day on: {DATE_ACCEPTED.removeprefix('a date like ')}.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), metavar="PATH",
              help="Write to this file (private, 0600) instead of standard output.")
def export(file_format: str, since_text: str | None, out: Path | None) -> None:
    """Export your data: spans (and for json, people, interactions and prompts)."""
    from monitor.history.export import EXPORTERS, private_output  # noqa: PLC0415

    current = settings()
    zone = local_zone()
    since = None
    if since_text is not None:
        today = day_of(time.time(), current.day_starts_at, zone)
        day = parse_day_argument(since_text, today, "export: --since")
        since = day_start(day, current.day_starts_at, zone)
    writer = EXPORTERS[file_format]
    with open_store(current) as store:
        if out is None:
            writer(store, sys.stdout, since)
            return
        with private_output(out) as handle:
            count = writer(store, handle, since)
    click.echo(f"{out}: {count:,} spans written.", err=True)
