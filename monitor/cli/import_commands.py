"""``unscroll import``: bring history in from other programs (ActivityWatch) or an unscroll export."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monitor.core.durations import format_duration
from monitor.core.shell import settings
from monitor.store.database import open_store


@click.group(name="import")
def import_group() -> None:
    """Import history from another program's export (ActivityWatch), or an unscroll export."""


@import_group.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--device", metavar="NAME", help="Store the spans under this device name "
              "(default: the host name ActivityWatch recorded).")
def activitywatch(file: Path, device: str | None) -> None:
    """Import an ActivityWatch export (aw-buckets-export.json); importing it again adds nothing."""
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        Progress,
        TaskID,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from monitor.history.activitywatch import import_activitywatch  # noqa: PLC0415

    current = settings()
    # a share, not a count: the stages count in different things (the file's bytes, weeks, rows)
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    quiet = not sys.stderr.isatty()
    try:
        with Progress(*columns, transient=True, disable=quiet) as bar, open_store(current) as store:
            tasks: dict[str, TaskID] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage.capitalize(), total=total)
                bar.update(tasks[stage], completed=done, total=total)

            result = import_activitywatch(store, file, current, device=device, progress=progress)
    except KeyboardInterrupt:  # the import is one transaction: nothing of it was kept
        click.echo(f"Stopped: nothing was imported from {file}; your data is as it was.", err=True)
        sys.exit(130)
    click.echo(f"{file}: {result.events:,} events in {result.buckets} bucket(s) read.")
    click.echo(f"Added {result.spans_added:,} spans ({format_duration(result.seconds_added)})"
               + (f" for {', '.join(result.devices)}" if result.devices else "")
               + f"; {result.spans_already_there:,} were already imported.")
    if result.away_seconds:
        click.echo(f"Left out {format_duration(result.away_seconds)} marked away (AFK).")
    if result.background_tab_seconds:
        click.echo(f"Left out {format_duration(result.background_tab_seconds)} of browser tabs "
                   "while the browser was not in front.")
    if result.forgotten_seconds:
        click.echo(f"Skipped {format_duration(result.forgotten_seconds)} you had forgotten "
                   "(unscroll forget).")
    for reason, count in result.skipped.items():
        click.echo(f"Skipped {count:,} {reason}.")


@import_group.command(name="unscroll")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def unscroll_export(file: Path) -> None:
    """Import an unscroll JSON export (`unscroll export --format json`): spans, people, prompts.

    For a new computer or a restored backup; importing it again adds nothing.
    """
    from monitor.history.unscroll_import import import_unscroll  # noqa: PLC0415

    current = settings()
    with open_store(current) as store:
        result = import_unscroll(store, file, current)
    click.echo(f"{file}: an unscroll export (version {result.version}) read.")
    click.echo(f"Added {result.spans_added:,} spans ({format_duration(result.seconds_added)}); "
               f"{result.spans_already_there:,} were already there.")
    for nouns, added, there in ((("person", "people"), result.people_added, result.people_already_there),
                                (("interaction", "interactions"), result.interactions_added,
                                 result.interactions_already_there),
                                (("prompt", "prompts"), result.prompts_added, result.prompts_already_there)):
        click.echo(f"Added {added:,} {nouns[added != 1]}; {there:,} "
                   f"{'was' if there == 1 else 'were'} already there.")
    if result.forgotten_seconds:
        click.echo(f"Skipped {format_duration(result.forgotten_seconds)} you had forgotten "
                   "(unscroll forget).")
    for reason, count in result.skipped.items():
        click.echo(f"Skipped {count:,} {reason}.")
