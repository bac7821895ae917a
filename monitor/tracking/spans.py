"""Pure span logic: samples of the focused window merged into spans of attention.

A span grows while samples keep showing the same thing at most one pulse apart. A
longer gap (sleep, a stopped daemon, a clock set back) is never counted; a span never
crosses a day boundary. Time after the last input is provisional: when ``idle_after``
passes with no input, every span touched since the last input is cut back to it
(``cut_back``), whatever moved the focus meanwhile. A focus change the desktop reported
is credited at its instant (``switch_at``); one found by polling, at the sample before.
Coming back is credited at the input that ended the absence (``away_at``).

Watching is not away: with no input for ``idle_after`` while a player of the focused
window is playing (``Playback``), the window keeps counting, in a span marked
``watching`` that starts at the last input. It ends the moment playback stops (the
span ends then, not at the last input), at the next input (a present span goes on
from it), or ``watching_max`` after the last input (a player that says "Playing"
forever). A watching span is never provisional: nothing cuts it back to the last input.
Nothing here reads the clock or the database: the daemon passes everything in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
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
    watching: bool = False
    """Counted while media played in the window with no input (see the module docstring)."""

    @property
    def seconds(self) -> float:
        """The span's length."""
        return self.end - self.start


@dataclass(frozen=True)
class Playback:
    """What the focused window's media was doing at a sample (asked only while there is no input)."""

    playing: bool
    """A player of the focused window's process (or its parent or child) is playing."""
    stopped_at: float | None = None
    """When its playing last stopped (paused, stopped, the player gone); None when not known."""


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
        span = Span(start=boundary, end=span.end, observation=span.observation, watching=span.watching)


def advance(
    current: Span | None,
    at: float,
    observation: Observation | None,
    *,
    idle_seconds: float,
    idle_after: float,
    pulse: float,
    day_end_after: Callable[[float], float],
    switch_at: float | None = None,
    away_at: float | None = None,
    playback: Playback | None = None,
    watching_max: float = math.inf,
) -> Step:
    """Fold one sample taken at ``at`` into the growing span.

    ``observation`` is None when nothing is attended (no focused window, paused).
    ``day_end_after(t)`` gives the start of the day after the one containing ``t``.
    ``switch_at`` is when the desktop said the focus (or title) changed, if it said so:
    the old span ends and the new one starts there rather than at the previous sample.
    ``away_at`` is the previous sample when it found the person away: a span that starts
    now starts at the input that ended the absence (``at - idle_seconds``), not at ``at``.
    ``playback``: the focused window's media, when there was no input for ``idle_after``;
    while it plays (up to ``watching_max`` after the last input) the window is watched.
    """
    if idle_seconds >= idle_after:
        if observation is not None and playback is not None and playback.playing \
                and idle_seconds < watching_max:
            return _watch(current, at, observation, idle_seconds=idle_seconds, pulse=pulse,
                          day_end_after=day_end_after, switch_at=switch_at)
        if current is None:
            return Step((), None)
        return Step((_away_end(current, at, idle_seconds, playback, watching_max),), None)
    return _attend(current, at, observation, idle_seconds=idle_seconds, pulse=pulse,
                   day_end_after=day_end_after, switch_at=switch_at, away_at=away_at)


def _attend(current: Span | None, at: float, observation: Observation | None, *, idle_seconds: float,
            pulse: float, day_end_after: Callable[[float], float], switch_at: float | None,
            away_at: float | None) -> Step:
    """A sample with recent input: the span grows, or the focus moved, or nothing is attended."""
    closed: list[Span] = []
    if current is not None and current.watching and 0 <= at - current.end <= pulse:
        # input again: watching ends at it, and the window goes on as attended from there
        boundary = _between(at - idle_seconds, current.end, at)
        closed.append(replace(current, end=boundary))
        current = Span(start=boundary, end=boundary, observation=current.observation)
    contiguous = current is not None and 0 <= at - current.end <= pulse
    if current is not None and not contiguous:
        closed.append(current)
        current = None
    if observation is None:
        if current is not None and switch_at is not None:  # the window had the focus up to the change
            current = replace(current, end=_between(switch_at, current.end, at))
        if current is not None:
            closed.append(current)
        return Step(tuple(closed), None)

    if current is not None and current.observation == observation:
        grown = replace(current, end=at)
    elif current is not None:
        boundary = current.end if switch_at is None else _between(switch_at, current.end, at)
        closed.append(replace(current, end=boundary))
        grown = Span(start=boundary, end=at, observation=observation)
    else:
        grown = Span(start=_first_instant(at, idle_seconds, pulse, switch_at, away_at), end=at,
                     observation=observation)
    finished, rest = _split_at_days(grown, day_end_after)
    return Step((*closed, *finished), rest)


def _watch(current: Span | None, at: float, observation: Observation, *, idle_seconds: float,
           pulse: float, day_end_after: Callable[[float], float], switch_at: float | None) -> Step:
    """No input, media playing in the focused window: it is watched, from the last input on."""
    closed: list[Span] = []
    last_input = at - idle_seconds
    contiguous = current is not None and 0 <= at - current.end <= pulse
    if current is not None and contiguous and current.watching:
        if current.observation == observation:
            grown = replace(current, end=at)
        else:  # a new title with nobody at the keys: the next video of a playlist
            boundary = current.end if switch_at is None else _between(switch_at, current.end, at)
            closed.append(replace(current, end=boundary))
            grown = Span(start=boundary, end=at, observation=observation, watching=True)
    elif current is not None and contiguous:
        # attended up to the last input; from there (or from the switch to this window) watched
        boundary = _between(last_input, current.start, current.end)
        closed.append(replace(current, end=boundary))
        start = boundary if current.observation == observation else (
            current.end if switch_at is None else _between(switch_at, current.end, at))
        grown = Span(start=start, end=at, observation=observation, watching=True)
    else:
        if current is not None:
            closed.append(_away_end(current, at, idle_seconds, None, math.inf))
        start = switch_at if switch_at is not None and 0 <= at - switch_at <= pulse else at
        grown = Span(start=start, end=at, observation=observation, watching=True)
    finished, rest = _split_at_days(grown, day_end_after)
    return Step((*closed, *finished), rest)


def _away_end(current: Span, at: float, idle_seconds: float, playback: Playback | None,
              watching_max: float) -> Span:
    """``current`` ended with nobody there: at the last input; a watched span when playing stopped.

    A watched span ends at most ``watching_max`` after the last input, and at its last
    sample when it is not known when the playing stopped.
    """
    last_input = at - idle_seconds
    if not current.watching:
        return replace(current, end=max(current.start, min(current.end, last_input)))
    end = current.end
    if playback is not None and playback.stopped_at is not None:
        end = playback.stopped_at
    return replace(current, end=_between(min(end, last_input + watching_max), current.start, at))


def _first_instant(at: float, idle_seconds: float, pulse: float, switch_at: float | None,
                   away_at: float | None) -> float:
    """Where a span that starts with the sample at ``at`` begins."""
    if switch_at is not None and 0 <= at - switch_at <= pulse:  # the focus came to it then
        return switch_at
    if away_at is not None and 0 <= at - away_at <= pulse:  # the input that ended an absence
        return min(at, max(away_at, at - idle_seconds))
    return at


def _between(instant: float, low: float, high: float) -> float:
    """``instant`` kept within ``[low, high]``."""
    return min(max(instant, low), high)


def cut_back(spans: Iterable[Span], last_input: float) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Spans counted past the last input, cut back to it: (shortened, emptied).

    Called when ``idle_after`` passed with no input: the time after ``last_input`` was
    provisional and nobody came back. A span ending at or before ``last_input`` is left
    alone (and in neither tuple); one starting at or after it has nothing left.
    """
    shortened: list[Span] = []
    emptied: list[Span] = []
    for span in spans:
        if span.end <= last_input:
            continue
        if span.start >= last_input:
            emptied.append(span)
        else:
            shortened.append(replace(span, end=last_input))
    return tuple(shortened), tuple(emptied)
