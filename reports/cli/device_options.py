"""``--device NAME`` and ``--this-device``: one computer's time only, for today, week and report.

With a synced folder every view counts all computers together; these narrow the store's
view of the spans to one of them (monitor.store.devices.narrow_to_device) and name it,
so a page or table drawn that way says whose time it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from monitor.core.settings import Settings
from monitor.store.database import Store
from monitor.store.devices import narrow_to_device

Command = TypeVar("Command", bound=Callable[..., object])


def device_options(command: Command) -> Command:
    """Add ``--device NAME`` and ``--this-device`` to a command."""
    command = click.option("--this-device", is_flag=True,
                           help="Only the time of the computer you are on.")(command)
    return click.option("--device", metavar="NAME",
                        help="Only this computer's time (a name from `unscroll devices`).")(command)


def narrow(store: Store, current: Settings, device: str | None, this_device: bool) -> str | None:
    """Narrow ``store`` as asked; return the computer's name to show, or None for all of them."""
    narrow_to_device(store, device, this_device=this_device, this_name=current.sync.device_name)
    if this_device:
        return current.sync.device_name
    return None if device is None else device.strip()
