"""``unscroll autostart``: start the monitor at login, or stop doing so."""

from __future__ import annotations

import click

from monitor.daemon import autostart as autostart_files


@click.group()
def autostart() -> None:
    """Start unscroll when you log in.

    Linux: a systemd user unit, or an XDG autostart entry where systemd does not run the
    session. macOS: a LaunchAgent. Windows: the Run key of the current user.
    """


@autostart.command()
def enable() -> None:
    """Write the start-at-login file for this desktop."""
    result = autostart_files.enable()
    verb = "Wrote" if result.changed else "Already in place:"
    click.echo(f"{verb} {result.kind.value} {result.path}")


@autostart.command()
def disable() -> None:
    """Remove the start-at-login files unscroll wrote."""
    removed = autostart_files.disable()
    if not removed:
        click.echo("Autostart was not enabled; nothing to remove.")
    for result in removed:
        click.echo(f"Removed {result.kind.value} {result.path}")
