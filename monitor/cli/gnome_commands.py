"""``unscroll gnome``: install unscroll's GNOME Shell extension, and say where it stands."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from monitor.core.shell import print_json

if TYPE_CHECKING:
    from monitor.tracking.platforms.gnome_setup import ExtensionStatus

FLAVOURS = {"legacy": "GNOME 43 and 44", "modules": "GNOME 45 and later"}


@click.group()
def gnome() -> None:
    """The GNOME Shell extension unscroll ships (GNOME on Wayland).

    On Wayland, GNOME Shell tells other programs which window has focus only through a
    Shell extension: unscroll ships its own.
    """


@gnome.command()
def install() -> None:
    """Copy the extension into your extensions folder and turn it on."""
    from monitor.tracking.platforms.gnome_setup import install_here, what_to_do  # noqa: PLC0415

    done = install_here(os.environ)
    first = f"Installed unscroll's GNOME Shell extension (for {FLAVOURS[done.flavour]}) in {done.folder}"
    if done.turned_on:
        click.echo(f"{first} and turned it on.")
    else:
        click.echo(f"{first}, but could not turn it on (GNOME Shell did not answer and `gsettings` "
                   "could not change its settings): run `unscroll gnome install` again inside your GNOME "
                   "session, or turn it on in the Extensions app.")
    click.echo(what_to_do(done.status))


@gnome.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def status(as_json: bool) -> None:
    """Say whether the extension is installed, turned on, and answering."""
    from monitor.tracking.platforms.gnome_setup import status_here, what_to_do  # noqa: PLC0415

    found = status_here(os.environ)
    if as_json:
        print_json({**found.to_dict(), "advice": what_to_do(found)})
        return
    for line in status_lines(found):
        click.echo(line)


def status_lines(found: ExtensionStatus) -> list[str]:
    """``unscroll gnome status`` as lines of text."""
    from monitor.tracking.platforms.gnome_focus import UUID  # noqa: PLC0415
    from monitor.tracking.platforms.gnome_setup import what_to_do  # noqa: PLC0415

    installed = "no"
    if found.folder is not None:
        version = "" if found.installed_version is None else f" (version {found.installed_version})"
        installed = f"yes, in {found.folder}{version}"
    turned_on = {True: "yes", False: "no", None: "unknown (its settings could not be read)"}
    answering = "no" if found.answering_version is None else f"yes (version {found.answering_version})"
    said = found.shell_state or ("-" if found.shell_version is None else "does not know it (not loaded)")
    if found.shell_error:
        said += f": {found.shell_error}"
    shell = "No GNOME Shell on this session bus" if found.shell_version is None else \
        f"GNOME Shell {found.shell_version or '(its version unknown)'}"
    rows = (("installed", installed), ("turned on", turned_on[found.enabled_in_settings]),
            ("answering", answering), ("GNOME Shell says", said))
    return [f"{shell}; unscroll's extension {UUID}:",
            *(f"  {label + ':':<18}{value}" for label, value in rows), what_to_do(found)]
