"""Prompts shown during a run of local days and what the user did with them: notices and doorways apart.

Both come from the prompts table; a doorway is a prompt of kind ``doorway`` whose action is
its outcome. Notices are counted without the doorways, and the doorways on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from monitor.core.vocabulary import DOORWAY, DOORWAY_NO_ANSWER, DOORWAY_OUTCOMES, DOORWAY_UNAVAILABLE
from monitor.store.database import Store
from monitor.store.prompts import outcomes_between

NO_ANSWER = "no answer"
"""The action a notice never acted on is counted under."""

OutcomeRows = Iterable[tuple[str, str | None, int]]
"""(kind, action or None, count) rows, as ``monitor.store.prompts.outcomes_between`` returns them."""


@dataclass(frozen=True)
class PromptStats:
    """How many notices were sent, of which kinds, and how they were answered (doorways not included)."""

    sent: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_action: dict[str, int] = field(default_factory=dict)
    """Action → count, largest first; notices never acted on count as ``no answer``."""

    @property
    def answered(self) -> int:
        """Notices the user acted on in any way."""
        return self.sent - self.by_action.get(NO_ANSWER, 0)


def _no_outcomes() -> dict[str, int]:
    return dict.fromkeys(DOORWAY_OUTCOMES, 0)


@dataclass(frozen=True)
class DoorwayStats:
    """How the doorways ended: each outcome of those shown, and how many could not be shown."""

    outcomes: dict[str, int] = field(default_factory=_no_outcomes)
    """Outcome → count: left, continued, reached-out, no-answer (always all four, in that order),
    then any other stored outcome; a doorway whose outcome was never recorded counts as no-answer."""
    unavailable: int = 0
    """Doorways that could not be shown (no display, no Tk): recorded, but not outcomes."""

    @property
    def shown(self) -> int:
        """Doorways that were shown."""
        return sum(self.outcomes.values())

    @property
    def answered(self) -> int:
        """Doorways shown and answered with a button."""
        return self.shown - self.outcomes.get(DOORWAY_NO_ANSWER, 0)

    @property
    def recorded(self) -> int:
        """Every doorway recorded, shown or not."""
        return self.shown + self.unavailable


def _ranked(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def notice_counts(rows: OutcomeRows) -> PromptStats:
    """The notices among ``rows`` (every kind but ``doorway``), by kind and by action."""
    by_kind: dict[str, int] = {}
    by_action: dict[str, int] = {}
    for kind, action, count in rows:
        if kind == DOORWAY:
            continue
        by_kind[kind] = by_kind.get(kind, 0) + count
        answer = NO_ANSWER if action is None else action
        by_action[answer] = by_action.get(answer, 0) + count
    return PromptStats(sent=sum(by_kind.values()), by_kind=_ranked(by_kind), by_action=_ranked(by_action))


def doorway_counts(rows: OutcomeRows) -> DoorwayStats:
    """The doorways among ``rows``: outcomes of those shown, and the number never shown."""
    outcomes = _no_outcomes()
    others: dict[str, int] = {}
    unavailable = 0
    for kind, action, count in rows:
        if kind != DOORWAY:
            continue
        if action == DOORWAY_UNAVAILABLE:
            unavailable += count
        elif action is None or action in outcomes:
            key = DOORWAY_NO_ANSWER if action is None else action
            outcomes[key] += count
        else:
            others[action] = others.get(action, 0) + count
    return DoorwayStats(outcomes={**outcomes, **_ranked(others)}, unavailable=unavailable)


def prompt_stats(store: Store, first_day: date, last_day: date) -> PromptStats:
    """Notices whose local day is within ``[first_day, last_day]``."""
    return notice_counts(outcomes_between(store, first_day, last_day))

