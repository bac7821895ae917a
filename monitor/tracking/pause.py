"""Pausing tracking: a state entry the daemon reads every sample and the CLI writes."""

from __future__ import annotations

import math

from monitor.store.database import Store

PAUSE_KEY = "paused_until"


def paused_until(store: Store) -> float | None:
    """When the pause ends (Unix time; ``inf`` for until resumed), or None if not paused."""
    value = store.get_state(PAUSE_KEY)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def is_paused(store: Store, now: float) -> bool:
    """True while a pause is in force at ``now``."""
    until = paused_until(store)
    return until is not None and now < until


def pause(store: Store, until: float | None) -> None:
    """Pause tracking until ``until`` (Unix time), or until resumed when None."""
    store.set_state(PAUSE_KEY, repr(math.inf if until is None else until))


def resume(store: Store) -> None:
    """End any pause."""
    store.delete_state(PAUSE_KEY)
