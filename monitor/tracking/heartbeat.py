"""The daemon's last word about itself: when it last sampled and what it saw (no titles)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from monitor.store.database import Store

HEARTBEAT_KEY = "daemon.heartbeat"


@dataclass(frozen=True)
class Heartbeat:
    """When the daemon last sampled, what state it was in and through which backend."""

    at: float
    status: str
    backend: str | None
    ticks: int = 0
    """Samples taken since the daemon started (tells a replay of missed runs from one run)."""
    last_input: float | None = None
    """The last input the sample saw (UTC seconds): after a crash, later time was provisional."""


def write_heartbeat(store: Store, beat: Heartbeat) -> None:
    """Record the latest sample's heartbeat."""
    store.set_state(HEARTBEAT_KEY, json.dumps({"at": beat.at, "status": beat.status,
                                               "backend": beat.backend, "ticks": beat.ticks,
                                               "last_input": beat.last_input}))


def read_heartbeat(store: Store) -> Heartbeat | None:
    """The last heartbeat written, or None."""
    text = store.get_state(HEARTBEAT_KEY)
    if not text:
        return None
    try:
        data = json.loads(text)
        last_input = data.get("last_input")
        return Heartbeat(at=float(data["at"]), status=str(data["status"]), backend=data.get("backend"),
                         ticks=int(data.get("ticks", 0)),
                         last_input=None if last_input is None else float(last_input))
    except (ValueError, KeyError, TypeError):
        return None
