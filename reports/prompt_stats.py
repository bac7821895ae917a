"""Prompts sent during a run of local days and what the user did with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from monitor.store.database import Store

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
    bounds = (first_day.isoformat(), last_day.isoformat())
    kinds = store.connection.execute(
        "SELECT kind, COUNT(*) FROM prompts WHERE day BETWEEN ? AND ? GROUP BY kind", bounds,
    ).fetchall()
    actions = store.connection.execute(
        "SELECT COALESCE(action, ?), COUNT(*) FROM prompts WHERE day BETWEEN ? AND ? "
        "GROUP BY COALESCE(action, ?)", (NO_ANSWER, *bounds, NO_ANSWER),
    ).fetchall()
    by_kind = _ranked([(str(kind), int(count)) for kind, count in kinds])
    return PromptStats(
        sent=sum(by_kind.values()),
        by_kind=by_kind,
        by_action=_ranked([(str(action), int(count)) for action, count in actions]),
    )
