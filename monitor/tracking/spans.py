"""Pure span logic: samples of the focused window merged into spans of attention.

A span grows while samples keep showing the same thing at most one pulse apart. A
longer gap (sleep, a stopped daemon, a clock set back) is never counted; idleness past
``idle_after`` closes the span at the last input; a span never crosses a day boundary.
Nothing here reads the clock or the database: the daemon passes everything in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Observation:
    """What one sample saw, already classified and scrubbed for storage."""

    app: str
    title: str | None
    category: str
    name: str


@dataclass(frozen=True)
class Span:
    """A stretch of attention on one observation; ``span_id`` is None until stored."""

    start: float
    end: float
    observation: Observation
    span_id: int | None = None

    @property
    def seconds(self) -> float:
        """The span's length."""
        return self.end - self.start


@dataclass(frozen=True)
class Step:
    """The result of one sample: spans now finished, and the span still growing."""

    closed: tuple[Span, ...]
    current: Span | None


def _split_at_days(span: Span, day_end_after: Callable[[float], float]) -> tuple[list[Span], Span]:
    """Cut ``span`` at every day boundary it crosses; return the finished parts and the rest."""
    finished: list[Span] = []
    while True:
        boundary = day_end_after(span.start)
        if span.end <= boundary or boundary <= span.start:  # the latter only from a broken calendar
            return finished, span
        finished.append(replace(span, end=boundary))
        span = Span(start=boundary, end=span.end, observation=span.observation)


def advance(
    current: Span | None,
    at: float,
    observation: Observation | None,
    *,
    idle_seconds: float,
    idle_after: float,
    pulse: float,
    day_end_after: Callable[[float], float],
) -> Step:
    """Fold one sample taken at ``at`` into the growing span.

    ``observation`` is None when nothing is attended (no focused window, paused).
    ``day_end_after(t)`` gives the start of the day after the one containing ``t``.
    """
    if idle_seconds >= idle_after:
        if current is None:
            return Step((), None)
        last_input = at - idle_seconds
        trimmed = replace(current, end=max(current.start, min(current.end, last_input)))
        return Step((trimmed,), None)

    closed: list[Span] = []
    contiguous = current is not None and 0 <= at - current.end <= pulse
    if current is not None and not contiguous:
        closed.append(current)
        current = None
    if observation is None:
        if current is not None:
            closed.append(current)
        return Step(tuple(closed), None)

    if current is not None and current.observation == observation:
        grown = replace(current, end=at)
    elif current is not None:
        closed.append(current)
        grown = Span(start=current.end, end=at, observation=observation)
    else:
        grown = Span(start=at, end=at, observation=observation)
    finished, rest = _split_at_days(grown, day_end_after)
    return Step((*closed, *finished), rest)
