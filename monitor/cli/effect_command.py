"""``unscroll effect``: do the prompts help? Shown and held-back decisions compared."""

from __future__ import annotations

import shutil
import textwrap
import time

import click

from monitor.core.days import DATE_ACCEPTED, day_of, local_zone, parse_day_argument
from monitor.core.shell import print_json, settings
from monitor.store.database import open_store


@click.command()
@click.option("--since", "since_text", metavar="DATE",
              help="Count decisions from this local day on (default: the experiment's first held-back "
                   f"decision): {DATE_ACCEPTED.removeprefix('a date like ')}.")
@click.option("--json", "as_json", is_flag=True, help="The figures as one JSON object.")
def effect(since_text: str | None, as_json: bool) -> None:
    """Whether doorways and notices change what you do, from prompts held back at random."""
    from monitor.effect.measure import measure_effect  # noqa: PLC0415
    from monitor.effect.words import effect_paragraphs  # noqa: PLC0415

    current = settings()
    zone = local_zone()
    now = time.time()
    since = None
    if since_text is not None:
        since = parse_day_argument(since_text, day_of(now, current.day_starts_at, zone), "effect: --since")
    with open_store(current) as store:
        report = measure_effect(store, current, now, zone, since)
    if as_json:
        print_json(report.to_json())
        return
    width = min(100, shutil.get_terminal_size().columns)
    for number, paragraph in enumerate(effect_paragraphs(report)):
        if number:
            click.echo()
        indent = "  " if number else ""  # a kind's findings under its heading; the opening flush left
        click.echo(textwrap.fill(paragraph[0], width, break_on_hyphens=False))
        for line in paragraph[1:]:
            click.echo(textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent,
                                     break_on_hyphens=False))
