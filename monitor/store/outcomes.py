"""What followed each decision of the hold-back experiment, read from the spans and the people log.

A decision is a prompt of a decision kind (a doorway, an over-budget or person notice),
shown or held back. Its outcomes:

- the seconds of its category (every category for ``total`` or none) in the 30 minutes after it;
- whether the visit ended within 5 minutes: nothing of that category had the focus at the
  5-minute mark (within ``MARK_TOLERANCE_S``, a sample's slack);
- whether anyone was logged as reached (any interaction) within 24 hours after it.

An outcome is None until its window has passed (``now``): it is not known yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monitor.core.vocabulary import TOTAL
from monitor.store.database import Store

NEXT_S = 30 * 60.0
"""The window whose seconds of the category are counted."""
VISIT_MARK_S = 5 * 60.0
"""The moment at which the visit must have ended."""
MARK_TOLERANCE_S = 5.0
REACHED_S = 24 * 3600.0
_LONGEST_SPAN_S = 2 * 86400.0
"""Longer than any span (spans are cut at day boundaries): how far back a span covering a moment starts."""


@dataclass(frozen=True)
class Decision:
    """One decision: a prompt of a decision kind, shown or held back."""

    id: int
    at_utc: float
    kind: str
    category: str | None
    person_id: int | None
    held_back: bool
    action: str | None


@dataclass(frozen=True)
class DecisionOutcomes:
    """What followed one decision; None where the window has not passed yet."""

    category_seconds_next_30m: float | None
    visit_ended_within_5m: bool | None
    reached_out_within_24h: bool | None


def decisions_between(store: Store, kinds: Sequence[str], start_utc: float, end_utc: float) -> list[Decision]:
    """The prompts of ``kinds`` made in ``[start_utc, end_utc)``, oldest first."""
    marks = ", ".join("?" for _ in kinds) or "NULL"
    rows = store.connection.execute(
        "SELECT id, at_utc, kind, category, person_id, held_back, action FROM prompts "  # noqa: S608
        f"WHERE kind IN ({marks}) AND at_utc >= ? AND at_utc < ? ORDER BY at_utc, id",
        (*kinds, start_utc, end_utc)).fetchall()
    return [Decision(int(i), float(at), str(kind), category, person, bool(held), action)
            for i, at, kind, category, person, held, action in rows]


def first_held_back(store: Store, kinds: Sequence[str]) -> float | None:
    """When the first decision of ``kinds`` was held back (the experiment's start); None: never."""
    marks = ", ".join("?" for _ in kinds) or "NULL"
    row = store.connection.execute(
        f"SELECT MIN(at_utc) FROM prompts WHERE held_back = 1 AND kind IN ({marks})",  # noqa: S608
        tuple(kinds)).fetchone()
    return None if row is None or row[0] is None else float(row[0])


def first_decision(store: Store, kinds: Sequence[str]) -> float | None:
    """When the first decision of ``kinds`` was made; None: never."""
    marks = ", ".join("?" for _ in kinds) or "NULL"
    row = store.connection.execute(
        f"SELECT MIN(at_utc) FROM prompts WHERE kind IN ({marks})", tuple(kinds)).fetchone()  # noqa: S608
    return None if row is None or row[0] is None else float(row[0])


def _category_filter(category: str | None) -> tuple[str, tuple[str, ...]]:
    """The SQL condition for spans of ``category`` (every span for ``total`` or None)."""
    if category is None or category == TOTAL:
        return "", ()
    return " AND category = ?", (category,)


def category_seconds(store: Store, category: str | None, start_utc: float, end_utc: float) -> float:
    """Seconds of ``category`` within ``[start_utc, end_utc)``, spans cut at both ends.

    Each moment once: spans of several computers (a synced folder) that overlap count
    their union, as the day's totals do.
    """
    condition, params = _category_filter(category)
    rows = store.connection.execute(
        "SELECT MAX(start_utc, ?), MIN(end_utc, ?) FROM spans "  # noqa: S608
        f"WHERE start_utc >= ? AND start_utc < ? AND end_utc > ?{condition} ORDER BY 1",
        (start_utc, end_utc, start_utc - _LONGEST_SPAN_S, end_utc, start_utc, *params))
    total = 0.0
    reached = start_utc  # the union so far ends here
    for start, end in rows:
        start = max(float(start), reached)
        if end > start:
            total += float(end) - start
            reached = float(end)
    return total


def on_category_at(store: Store, category: str | None, instant: float, tolerance: float) -> bool:
    """True when a span of ``category`` had the focus within ``tolerance`` seconds of ``instant``."""
    condition, params = _category_filter(category)
    row = store.connection.execute(
        "SELECT 1 FROM spans WHERE start_utc >= ? AND start_utc <= ? AND end_utc >= ?"  # noqa: S608
        f"{condition} LIMIT 1",
        (instant - _LONGEST_SPAN_S, instant + tolerance, instant - tolerance, *params)).fetchone()
    return row is not None


def anyone_reached(store: Store, start_utc: float, end_utc: float) -> bool:
    """True when an interaction with anyone was logged in ``[start_utc, end_utc)``."""
    row = store.connection.execute(
        "SELECT 1 FROM interactions WHERE at_utc >= ? AND at_utc < ? LIMIT 1",
        (start_utc, end_utc)).fetchone()
    return row is not None


def outcomes_of(store: Store, at_utc: float, category: str | None, now: float) -> DecisionOutcomes:
    """The outcomes of a decision made at ``at_utc`` about ``category``, as known at ``now``."""
    seconds = (category_seconds(store, category, at_utc, at_utc + NEXT_S)
               if now >= at_utc + NEXT_S else None)
    mark = at_utc + VISIT_MARK_S
    ended = (not on_category_at(store, category, mark, MARK_TOLERANCE_S)
             if now >= mark + MARK_TOLERANCE_S else None)
    reached = anyone_reached(store, at_utc, at_utc + REACHED_S) if now >= at_utc + REACHED_S else None
    return DecisionOutcomes(seconds, ended, reached)
