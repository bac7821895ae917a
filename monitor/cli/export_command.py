"""``unscroll export``: write your data out as CSV, JSON or an ActivityWatch export."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from monitor.core.errors import InputError
from monitor.core.shell import settings
from monitor.store.database import open_store


def _since(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--since: {text!r} is not a date like 2026-03-23 (YYYY-MM-DD)") from None


@click.command()
@click.option("--format", "file_format", type=click.Choice(["csv", "json", "activitywatch"]),
              default="csv", show_default=True, help="csv: one row per span; json: spans, people, "
              "interactions and prompts; activitywatch: importable into ActivityWatch.")
@click.option("--since", "since_text", metavar="DATE", help="Only from this local day on (YYYY-MM-DD).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), metavar="PATH",
              help="Write to this file (private, 0600) instead of standard output.")
def export(file_format: str, since_text: str | None, out: Path | None) -> None:
    """Export your data: spans (and for json, people, interactions and prompts)."""
    from monitor.core.days import day_start, local_zone  # noqa: PLC0415
    from monitor.history.export import EXPORTERS, private_output  # noqa: PLC0415

    current = settings()
    day = _since(since_text)
    since = None if day is None else day_start(day, current.day_starts_at, local_zone())
    writer = EXPORTERS[file_format]
    with open_store(current) as store:
        if out is None:
            writer(store, sys.stdout, since)
            return
        with private_output(out) as handle:
            count = writer(store, handle, since)
    click.echo(f"{out}: {count:,} spans written.", err=True)
