"""``unscroll check``: whether the totals kept for long ranges (the rollups) agree with the stored spans."""

from __future__ import annotations

import click

from monitor.core.shell import settings
from monitor.store.database import open_store


@click.command()
@click.option("--repair", is_flag=True, help="Build the rollups anew from the stored spans.")
def check(repair: bool) -> None:
    """Compare the rollups (the totals that weeks, months and years are summed from) with the spans.

    Prints one line per difference and exits with status 1 when there is one; --repair
    builds them anew from the spans (nothing stored is lost: the spans are the record).
    """
    from monitor.store.rollup_check import check_rollups, repair_rollups, stored_spans  # noqa: PLC0415

    with open_store(settings()) as store:
        problems = check_rollups(store)
        for line in problems:
            click.echo(line)
        if not repair:
            if problems:
                plural = "s" if len(problems) != 1 else ""
                click.echo(f"{len(problems):,} difference{plural} between the rollups and the spans; "
                           "`unscroll check --repair` builds them anew from the spans")
                raise SystemExit(1)
            click.echo(f"The rollups agree with the {stored_spans(store):,} stored spans.")
            return
        spans = repair_rollups(store)
        left = check_rollups(store)
    for line in left:
        click.echo(line)
    if left:
        raise SystemExit(1)
    click.echo(f"Rebuilt the rollups from the {spans:,} stored spans; they agree.")
