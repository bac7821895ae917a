"""Where the tray stands, kept in the store for ``unscroll status``: shown, no tray host, off, or an error.

The daemon's runner (monitor.tray.runner) writes it when the state changes: ``starting``
when it starts the tray process, then what that process reports; ``off`` when
``[tray] enabled`` is false. ``status`` reads it from the files alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from monitor.store.database import Store

STATE_KEY = "tray.standing"
SHOWN = "shown"
NO_HOST = "no tray host"
OFF = "off"
STARTING = "starting"
ERROR_PREFIX = "error: "
NO_HOST_HELP = ("nothing on the session bus shows tray icons (no StatusNotifierWatcher); on GNOME turn on "
                "the AppIndicator extension, on sway or Hyprland add waybar's tray module; the icon appears "
                "as soon as one runs")


@dataclass(frozen=True)
class TrayStanding:
    """The tray's state (``shown``, ``no tray host``, ``off``, ``starting``, ``error: …``) and since when."""

    state: str
    since: float


NO_TRAY = TrayStanding(OFF, 0.0)
"""Where nothing was kept, or no daemon runs: no tray."""


def write_standing(store: Store, standing: TrayStanding) -> None:
    """Keep ``standing`` for ``unscroll status``."""
    store.set_state(STATE_KEY, json.dumps({"state": standing.state, "since": standing.since}))


def read_standing(store: Store) -> TrayStanding | None:
    """The standing the daemon last kept, or None (no tray yet, or an unreadable value)."""
    text = store.get_state(STATE_KEY)
    if text is None:
        return None
    try:
        data = json.loads(text)
        return TrayStanding(state=str(data["state"]), since=float(data["since"]))
    except (ValueError, TypeError, KeyError):
        return None
