"""``unscroll prompts``: what unscroll showed on a day, and what came of it."""

from __future__ import annotations

import time

import click

from monitor.core.days import DATE_ACCEPTED, day_of, local_zone, parse_day_argument
from monitor.core.shell import print_json, settings
from monitor.store.database import open_store


@click.command()
@click.option("--day", "day_text", metavar="DATE", default="today", show_default=True,
              help=f"Which local day: {DATE_ACCEPTED.removeprefix('a date like ')}.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list, one object per prompt.")
def prompts(day_text: str, as_json: bool) -> None:
    """List every doorway and notice of a day, and what came of each."""
    from rich.console import Console  # noqa: PLC0415
    from rich.markup import escape  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from monitor.nudge.prompt_history import prompt_history  # noqa: PLC0415

    current = settings()
    zone = local_zone()
    day = parse_day_argument(day_text, day_of(time.time(), current.day_starts_at, zone), "prompts: --day")
    with open_store(current) as store:
        entries = prompt_history(store, day, zone)
    if as_json:
        print_json([entry.to_json() for entry in entries])
        return
    if not entries:
        click.echo(f"No doorways or notices on {day.isoformat()}.")
        return
    table = Table(title=f"Prompts on {day.isoformat()}", title_justify="left")
    for column in ("Time", "Kind", "Category", "Person", "Outcome"):
        table.add_column(column)
    for entry in entries:
        table.add_row(entry.time.strftime("%H:%M"), entry.kind, escape(entry.category or ""),
                      escape(entry.person or ""),
                      "held back (experiment)" if entry.held_back
                      else (entry.outcome or "no answer yet").replace("-", " "))
    Console().print(table)
