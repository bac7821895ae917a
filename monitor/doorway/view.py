"""What the doorway window shows and what it answers, as plain data passed as JSON.

The daemon and the window's child process speak only these two types, so neither
needs the other's code: the view goes to the child's stdin, the answer comes back
on its stdout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEFT = "left"
CONTINUED = "continued"
REACHED_OUT = "reached-out"
NO_ANSWER = "no-answer"
OUTCOMES = (LEFT, CONTINUED, REACHED_OUT, NO_ANSWER)


def minutes_label(seconds: float) -> str:
    """``300`` -> ``"5 min"``, ``5400`` -> ``"1 h 30 min"``, ``30`` -> ``"30 s"``: button words."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    hours, minutes = divmod(whole // 60, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


@dataclass(frozen=True)
class DoorwayPerson:
    """A person the doorway offers: their id and name, the button's words and why they are named."""

    id: int
    name: str
    label: str
    why: str
    occasion: str = ""
    """Why they come first (``people.occasions.Occasion``): ``birthday``, ``birthday-eve``,
    ``first-contact``, or empty; the headline says it."""


@dataclass(frozen=True)
class DoorwayView:
    """Everything the window shows; durations in seconds."""

    headline: str
    today: str
    breath_seconds: int
    timeout_seconds: float
    continue_for: tuple[float, ...]
    people: tuple[DoorwayPerson, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The view as a JSON object."""
        return {"headline": self.headline, "today": self.today,
                "breath_seconds": self.breath_seconds, "timeout_seconds": self.timeout_seconds,
                "continue_for": list(self.continue_for),
                "people": [{"id": p.id, "name": p.name, "label": p.label, "why": p.why,
                            "occasion": p.occasion} for p in self.people]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DoorwayView:
        """The view from the JSON object ``to_json`` made."""
        return cls(headline=str(data["headline"]), today=str(data["today"]),
                   breath_seconds=int(data["breath_seconds"]),
                   timeout_seconds=float(data["timeout_seconds"]),
                   continue_for=tuple(float(s) for s in data["continue_for"]),
                   people=tuple(DoorwayPerson(int(p["id"]), str(p["name"]), str(p["label"]), str(p["why"]),
                                              str(p.get("occasion", ""))) for p in data["people"]))


@dataclass(frozen=True)
class DoorwayAnswer:
    """What the person chose: an outcome, and the continue period or person it names."""

    outcome: str
    continue_seconds: float | None = None
    person_id: int | None = None
    skipped: tuple[int, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The answer as a JSON object."""
        return {"outcome": self.outcome, "continue_seconds": self.continue_seconds,
                "person_id": self.person_id, "skipped": list(self.skipped)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DoorwayAnswer:
        """The answer from the child's JSON; ValueError when it is not one."""
        outcome = data.get("outcome")
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown doorway outcome {outcome!r}")
        seconds = data.get("continue_seconds")
        person = data.get("person_id")
        return cls(outcome=str(outcome),
                   continue_seconds=None if seconds is None else float(seconds),
                   person_id=None if person is None else int(person),
                   skipped=tuple(int(i) for i in data.get("skipped", ())))
