"""What unscroll showed and what came of it: the rows of ``unscroll prompts``.

Each stored prompt (a notice or a doorway) becomes one ``PromptEntry`` in the words a
person reads: its kind ("doorway", "heads-up", "over-budget", "person", "weekly"), the
person it named, and its outcome ("left", "continued", "reached-out", "someone-else",
"snoozed", "not-today", "no-answer", ...; None while unanswered), and whether the
hold-back experiment kept it from the screen (``held_back``: recorded as if shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from monitor.core.prompt_words import KIND_WORDS as KIND_WORDS  # re-exported: the words live in core
from monitor.core.prompt_words import OUTCOME_WORDS as OUTCOME_WORDS
from monitor.core.prompt_words import outcome_word
from monitor.core.prompt_words import shown_kind as shown_kind_of
from monitor.store.database import Store
from monitor.store.people import load_all
from monitor.store.prompts import StoredPrompt, prompts_of_day


@dataclass(frozen=True)
class PromptEntry:
    """One prompt as ``unscroll prompts`` shows it."""

    time: datetime
    kind: str
    category: str | None
    person: str | None
    outcome: str | None
    held_back: bool = False

    def to_json(self) -> dict[str, Any]:
        """The entry as the JSON object of ``unscroll prompts --json``."""
        return {"time": self.time.isoformat(timespec="seconds"), "kind": self.kind,
                "category": self.category, "person": self.person, "outcome": self.outcome,
                "held_back": self.held_back}


def shown_kind(prompt: StoredPrompt) -> str:
    """The kind a person reads for a stored prompt."""
    return shown_kind_of(prompt.kind, prompt.person_id)


def prompt_history(store: Store, day: date, zone: tzinfo) -> list[PromptEntry]:
    """Every prompt of the local ``day``, oldest first, as people read them."""
    stored = prompts_of_day(store, day)
    names = {person.id: person.name for person in load_all(store.connection)} if stored else {}
    return [PromptEntry(
        time=datetime.fromtimestamp(p.at_utc, zone),
        kind=shown_kind(p),
        category=p.category,
        person=names.get(p.person_id) if p.person_id is not None else None,
        outcome=outcome_word(p.action),
        held_back=p.held_back,
    ) for p in stored]
