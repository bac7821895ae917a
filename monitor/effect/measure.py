"""The experiment's figures: for each kind of prompt, what followed shown and held-back decisions.

Decisions are counted from ``since`` (by default the local day of the first held-back
decision: the experiment's start, so prompts shown before it ran are not mixed in) to
``now``. Each outcome (monitor.store.outcomes) counts only decisions whose window has
passed. The difference is ``shown - held back`` with Welch's 95 % interval (``stats``);
an outcome is ``enough`` once each arm has ``ENOUGH`` decisions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any

from monitor.core.days import day_of, day_start
from monitor.core.prompt_words import DECISION_KINDS, DECISION_WORDS, shown_kind
from monitor.core.settings import Settings
from monitor.effect.stats import Comparison, welch
from monitor.store.database import Store
from monitor.store.outcomes import (
    DecisionOutcomes,
    decisions_between,
    first_decision,
    first_held_back,
    outcomes_of,
)

ENOUGH = 20
"""Decisions each arm needs before an outcome is compared in words."""
METHOD = "welch"


@dataclass(frozen=True)
class OutcomeKind:
    """One outcome: its name in the JSON and how to read it from a decision's outcomes."""

    name: str
    value: Callable[[DecisionOutcomes], float | None]


def _number(value: bool | float | None) -> float | None:
    return None if value is None else float(value)


OUTCOMES = (
    OutcomeKind("category_seconds_next_30m", lambda o: o.category_seconds_next_30m),
    OutcomeKind("visit_ended_within_5m", lambda o: _number(o.visit_ended_within_5m)),
    OutcomeKind("reached_out_within_24h", lambda o: _number(o.reached_out_within_24h)),
)


@dataclass(frozen=True)
class OutcomeEffect:
    """One outcome of one kind of prompt: both arms compared."""

    name: str
    comparison: Comparison

    @property
    def enough(self) -> bool:
        """True once each arm has ``ENOUGH`` decisions whose outcome is known."""
        return self.comparison.shown_n >= ENOUGH and self.comparison.held_back_n >= ENOUGH

    def to_json(self) -> dict[str, Any]:
        """The outcome as ``unscroll effect --json`` writes it."""
        c = self.comparison
        return {"name": self.name, "shown_n": c.shown_n, "held_back_n": c.held_back_n,
                "shown_mean": c.shown_mean, "held_back_mean": c.held_back_mean, "difference": c.difference,
                "ci95": None if c.interval is None else list(c.interval), "enough": self.enough}


@dataclass(frozen=True)
class KindEffect:
    """One kind of prompt ("doorway", "over-budget", "person"): its decisions and outcomes."""

    kind: str
    shown: int
    held_back: int
    categories: tuple[str, ...]
    """The categories its decisions were about (``total`` for all screen time)."""
    outcomes: tuple[OutcomeEffect, ...]

    def to_json(self) -> dict[str, Any]:
        """The kind as ``unscroll effect --json`` writes it."""
        return {"kind": self.kind, "shown": self.shown, "held_back": self.held_back,
                "categories": list(self.categories), "outcomes": [o.to_json() for o in self.outcomes]}


@dataclass(frozen=True)
class EffectReport:
    """Everything ``unscroll effect`` and the weekly page say about the experiment."""

    since: date
    until: date
    hold_back: float
    kinds: tuple[KindEffect, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``unscroll effect --json``."""
        return {"since": self.since.isoformat(), "until": self.until.isoformat(), "hold_back": self.hold_back,
                "method": METHOD, "enough_at": ENOUGH, "kinds": [k.to_json() for k in self.kinds]}


def default_since(store: Store, settings: Settings, now: float, zone: tzinfo) -> date:
    """The experiment's first day: that of the first held-back decision (else of the first decision)."""
    start = first_held_back(store, DECISION_KINDS) or first_decision(store, DECISION_KINDS) or now
    return day_of(start, settings.day_starts_at, zone)


def measure_effect(store: Store, settings: Settings, now: float, zone: tzinfo,
                   since: date | None = None) -> EffectReport:
    """Compare shown and held-back decisions from ``since`` (default: the experiment's start) to ``now``."""
    first_day = since or default_since(store, settings, now, zone)
    decisions = decisions_between(store, DECISION_KINDS, day_start(first_day, settings.day_starts_at, zone),
                                  now)
    grouped: dict[str, list[tuple[bool, str | None, DecisionOutcomes]]] = {}
    for decision in decisions:
        outcomes = outcomes_of(store, decision.at_utc, decision.category, now)
        kind = shown_kind(decision.kind, decision.person_id)
        grouped.setdefault(kind, []).append((decision.held_back, decision.category, outcomes))
    kinds = tuple(_kind_effect(kind, grouped[kind]) for kind in DECISION_WORDS if kind in grouped)
    return EffectReport(first_day, day_of(now, settings.day_starts_at, zone), settings.experiment.hold_back,
                        kinds)


def _kind_effect(kind: str, decided: list[tuple[bool, str | None, DecisionOutcomes]]) -> KindEffect:
    held = sum(1 for held_back, _, _ in decided if held_back)
    categories = tuple(sorted({category or "total" for _, category, _ in decided}))
    effects = []
    for outcome in OUTCOMES:
        values = [(held_back, outcome.value(outcomes)) for held_back, _, outcomes in decided]
        shown_values = [value for held_back, value in values if value is not None and not held_back]
        held_values = [value for held_back, value in values if value is not None and held_back]
        effects.append(OutcomeEffect(outcome.name, welch(shown_values, held_values)))
    return KindEffect(kind, len(decided) - held, held, categories, tuple(effects))
