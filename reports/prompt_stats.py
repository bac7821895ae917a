"""Prompts sent during a run of local days and what the user did with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from monitor.store.database import Store
from monitor.store.prompts import actions_between, kinds_between

NO_ANSWER = "no answer"


@dataclass(frozen=True)
class PromptStats:
    """How many prompts were sent, of which kinds, and how they were answered."""

    sent: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_action: dict[str, int] = field(default_factory=dict)
    """Action → count, largest first; prompts never acted on count as ``no answer``."""

    @property
    def answered(self) -> int:
        """Prompts the user acted on in any way."""
        return self.sent - self.by_action.get(NO_ANSWER, 0)


def _ranked(rows: list[tuple[str, int]]) -> dict[str, int]:
    return dict(sorted(rows, key=lambda kv: (-kv[1], kv[0])))


def prompt_stats(store: Store, first_day: date, last_day: date) -> PromptStats:
    """Prompts whose local day is within ``[first_day, last_day]``."""
    by_kind = _ranked(kinds_between(store, first_day, last_day))
    return PromptStats(
        sent=sum(by_kind.values()),
        by_kind=by_kind,
        by_action=_ranked(actions_between(store, first_day, last_day, unanswered=NO_ANSWER)),
    )
