"""The ``[experiment]`` settings: how often a prompt is held back, to learn whether prompts help.

At each decision point (a doorway that would open, an over-budget or person notice that
would be sent) unscroll shows nothing with probability ``hold_back`` and records the
decision as if it had been shown; ``unscroll effect`` compares the two arms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitor.core.errors import ConfigError

EXPERIMENT_KEYS = ("hold_back",)
DEFAULT_HOLD_BACK = 0.2
MAX_HOLD_BACK = 0.9
"""More than this would leave almost nothing shown: prompts are better turned off then."""


@dataclass(frozen=True)
class ExperimentSettings:
    """The ``[experiment]`` table."""

    hold_back: float = DEFAULT_HOLD_BACK
    """The chance (0 to MAX_HOLD_BACK) that a prompt due is held back; 0 turns the experiment off."""

    @property
    def on(self) -> bool:
        """True when some prompts are held back."""
        return self.hold_back > 0


def _chance(value: object, where: str) -> float:
    accepted = f"a number from 0 (off) to {MAX_HOLD_BACK}, like {DEFAULT_HOLD_BACK}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {value!r} is not {accepted}")
    if not 0 <= value <= MAX_HOLD_BACK:
        raise ConfigError(f"{where}: {value!r} is out of range; write {accepted}")
    return float(value)


def read_experiment(get: Callable[[str, Callable[[object, str], Any]], Any]) -> ExperimentSettings:
    """The ``[experiment]`` table, each key read through ``get(key, convert)`` (which names the file)."""
    return ExperimentSettings(hold_back=get("hold_back", _chance))
