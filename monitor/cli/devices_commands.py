"""``unscroll devices``: the computers (and phone) whose time is counted together, and forgetting one."""

from __future__ import annotations

import time

import click

from monitor.core.days import clock_text, local_zone
from monitor.core.durations import format_duration
from monitor.core.shell import print_json, settings
from monitor.store.database import open_store


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="A JSON list, one object per device.")
@click.pass_context
def devices(ctx: click.Context, as_json: bool) -> None:
    """List every device seen through the synced folder: its name, latest segment, spans, clock."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console  # noqa: PLC0415 - only for the table
    from rich.markup import escape  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from monitor.sync.devices_view import device_rows  # noqa: PLC0415

    current = settings()
    with open_store(current) as store:
        rows = device_rows(store, current)
    if as_json:
        print_json([row.to_json() for row in rows])
        return
    now, zone = time.time(), local_zone()
    table = Table(title="Devices", title_justify="left")
    for column in ("Name", "Kind", "Latest segment", "Spans", "Time", "Notes"):
        table.add_column(column)
    for row in rows:
        notes = [note for note in (row.clock_note, row.problem) if note]
        if row.forgotten_utc is not None:
            notes.insert(0, f"forgotten {clock_text(row.forgotten_utc, now, zone)}: not counted")
        elif abs(row.clock_offset_s) >= 1 and row.clock_note is None:
            notes.append(f"clock {row.clock_offset_s:+.0f} s, corrected")
        table.add_row(escape(row.name), row.kind,
                      "-" if row.last_segment_utc is None else clock_text(row.last_segment_utc, now, zone),
                      str(row.spans), format_duration(row.seconds), escape("; ".join(notes)))
    Console().print(table)


@devices.command("forget")
@click.argument("name")
def forget_command(name: str) -> None:
    """Stop counting the device called NAME (gone, sold, replaced); its files stay in the folder."""
    from monitor.sync.devices_view import forget  # noqa: PLC0415

    current = settings()
    with open_store(current) as store:
        result = forget(store, current, name, time.time())
    if result.already:
        click.echo(f"{result.device.name} ({result.device.id}) was forgotten before; nothing changed.")
        return
    spans = f"{result.spans} span{'' if result.spans == 1 else 's'}"
    click.echo(f"Stopped counting {result.device.name} ({result.device.id}): {spans} "
               f"({format_duration(result.seconds)}) left this computer's totals.")
    if result.folder is not None:
        click.echo(f"Its files stay in {result.folder}; delete that folder when you like (on any computer).")
