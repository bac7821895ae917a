"""Keeps the growing span and writes each change to the store as it happens.

The current span's end is extended in place every sample, so a crash loses at most
one sample interval. A failed write keeps the span in memory and is retried with
the next sample; nothing already stored is touched.

Time after the last input is provisional. The recorder remembers the stored spans that
ran past it; when ``idle_after`` passes with no input it cuts all of them back to the
last input (a focus change while the person was away no longer keeps the old window
counted). On a stop it does the same (``settle``), and after a crash the next daemon
does it from the last heartbeat (``recover``).

A span counted while watching (media playing with no input, see monitor.tracking.spans)
is not provisional: it ends where ``advance`` ends it, and no cut back to the last input
(an idle timeout, a stop, a crash) shortens it.

When the clock goes back (an NTP correction), nothing is counted until it passes the
latest instant already counted, so no stretch of time is counted twice; the time lost
is at most the size of the jump. A jump of more than ``MAX_CLOCK_BACK`` is taken as
the clock being set to another time: counting goes on from the new time (logged).

``unscroll forget`` may delete the span being extended while the daemon runs. The
update then finds no row (or a new span that took its id: updates also match the start),
and the span is stored again from the end of the forget that covered it, so counting
goes on from the moment of the forget. Every span written new is cut the same way,
so spans kept in memory while writes failed do not bring forgotten time back either.
When that forget named a title pattern, the window is stored without its title (its
app for a name, its category kept) until the focus moves: forgetting a title while
looking at it does not store it again, and the time still counts.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import replace

from monitor.core.errors import StoreWriteError
from monitor.store import forgetting
from monitor.store.database import Store
from monitor.tracking.spans import Observation, Playback, Span, Step, advance, cut_back

log = logging.getLogger(__name__)

MAX_CLOCK_BACK = 3600.0

Write = Callable[[Store], None]
"""More writes to make in the recorder's transaction."""


class Recorder:
    """Folds observations into spans (monitor.tracking.spans) and persists them."""

    def __init__(self, store: Store, *, device: str, day_end_after: Callable[[float], float]) -> None:
        """Record into ``store``; ``day_end_after(t)`` gives the end of the day containing t."""
        self.store = store
        self.device = device
        self.day_end_after = day_end_after
        self.current: Span | None = None
        self._unsaved: list[Span] = []
        self._write_failing = False
        self._counted_until: float | None = None
        self._clock_behind = False
        self._provisional: list[Span] = []
        """Stored spans that ran past the last input: cut back if nobody comes back in time."""
        self._fixes: list[Span] = []
        """Stored spans whose end must move back to theirs (deleted when nothing is left)."""
        self._last_input: float | None = None
        self._away_at: float | None = None
        """The previous sample, when it found nobody there (the next input ends the absence)."""
        self._hidden: tuple[Observation, Observation] | None = None
        """The window a title forget covered, and how it is stored until the focus moves."""

    def record(self, at: float, observation: Observation | None, *, idle_seconds: float,
               idle_after: float, pulse: float, also: Write | None = None,
               switch_at: float | None = None, playback: Playback | None = None,
               watching_max: float = math.inf) -> Step:
        """Fold one sample in and store the result (with ``also``, in the same transaction).

        ``switch_at``: when the desktop reported the focus change this sample follows.
        ``playback``: the focused window's media, asked when there was no input for ``idle_after``.
        """
        observation, set_back = self._check_clock(at, observation)
        observation = self._hide_forgotten(observation)
        step = advance(self.current, at, observation, idle_seconds=idle_seconds,
                       idle_after=idle_after, pulse=pulse, day_end_after=self.day_end_after,
                       switch_at=switch_at, away_at=self._away_at, playback=playback,
                       watching_max=watching_max)
        last_input = at - idle_seconds
        self._last_input = last_input
        self._provisional = [span for span in self._provisional if span.end > last_input]
        closed = list(step.closed)
        watching = step.current is not None and step.current.watching
        self._away_at = at if idle_seconds >= idle_after and not watching else None
        if idle_seconds >= idle_after:  # nobody came back in time: nothing after the last input counts
            closed = [span for span in closed if not self._emptied(span)]
            self._cut_back(last_input)
        self._unsaved.extend(closed)
        self.current = step.current
        self._note_counted(at, step, set_back)
        self.flush(also)
        return step

    def _hide_forgotten(self, observation: Observation | None) -> Observation | None:
        """The window whose title a forget removed stays without it until the focus moves."""
        if self._hidden is None:
            return observation
        seen, hidden = self._hidden
        if observation == seen:
            return hidden
        self._hidden = None
        return observation

    def _check_clock(self, at: float, observation: Observation | None) -> tuple[Observation | None, bool]:
        """Hold counting while the clock is behind time already counted; True when it was set back."""
        set_back = False
        if self._counted_until is not None and at < self._counted_until:
            behind = self._counted_until - at
            if behind <= MAX_CLOCK_BACK:
                if not self._clock_behind:
                    log.warning("the clock went back %.1f s; not counting until it passes the time "
                                "already counted", behind)
                    self._clock_behind = True
                observation = None
            else:
                log.warning("the clock went back %.0f s; counting on from the new time", behind)
                set_back = True
        elif self._clock_behind:
            log.info("the clock has passed the time already counted; counting again")
            self._clock_behind = False
        return observation, set_back

    def _note_counted(self, at: float, step: Step, set_back: bool) -> None:
        """Remember the latest instant counted (the clock going back must not count it twice)."""
        if set_back:  # the spans ended by the jump lie ahead of the clock now: start afresh
            self._counted_until = at if step.current is None else step.current.end
        else:
            ends = [span.end for span in step.closed] + ([] if step.current is None else [step.current.end])
            if ends:
                self._counted_until = max([*ends] if self._counted_until is None
                                          else [self._counted_until, *ends])

    def _emptied(self, span: Span) -> bool:
        """True (and its deletion queued if stored) when ``span`` has no time left."""
        if span.end > span.start:
            return False
        if span.span_id is not None:
            self._fixes.append(span)
        return True

    def _cut_back(self, last_input: float) -> None:
        """Cut every span that ran past ``last_input`` back to it, stored or not yet stored."""
        shortened, emptied = cut_back(self._provisional, last_input)
        self._fixes.extend((*shortened, *(replace(span, end=span.start) for span in emptied)))
        self._provisional = []
        kept: list[Span] = []
        for span in self._unsaved:
            if span.end > last_input and not span.watching:
                span = replace(span, end=max(span.start, last_input))
            if not self._emptied(span):
                kept.append(span)
        self._unsaved = kept

    def settle(self, also: Write | None = None) -> None:
        """Stop counting (a shutdown): end the growing span, cut what ran past the last input."""
        self._end_current()
        if self._last_input is not None:
            self._cut_back(self._last_input)
        self.flush(also)

    def recover(self, last_input: float) -> None:
        """After a crash: cut this device's spans back to the last input the dead daemon saw."""
        try:
            with self.store.transaction():
                changed = self.store.cut_spans_after(last_input, self.device)
        except StoreWriteError as exc:
            log.error("cannot cut the time after the last input before a crash (%s)", exc.reason)
            return
        if changed:
            log.info("cut %d span(s) back to the last input before the daemon stopped", changed)

    @property
    def failing(self) -> bool:
        """True while writes fail (spans are being kept in memory)."""
        return self._write_failing

    def close_current(self, also: Write | None = None) -> None:
        """End the growing span (pause, shutdown, desktop gone) and store it (and ``also``)."""
        self._end_current()
        self.flush(also)

    def _end_current(self) -> None:
        if self.current is not None:
            self._unsaved.append(self.current)
            self.current = None

    def flush(self, also: Write | None = None) -> None:
        """Write closed spans and the growing one; on failure keep them for the next try.

        ``also`` makes further writes in the same transaction (the daemon's heartbeat): one
        commit per sample, not two. It is not retried.
        """
        pending = list(self._unsaved)
        fixes = list(self._fixes)
        try:
            with self.store.transaction():
                for fix in fixes:
                    self._fix(fix)
                saved = [stored for span in pending if (stored := self._save(span)) is not None]
                current = None if self.current is None else self._save(self.current, growing=True)
                if also is not None:
                    also(self.store)
        except StoreWriteError as exc:
            if not self._write_failing:
                log.error("cannot write to %s (%s); keeping %d span(s) in memory and retrying",
                          self.store.path, exc.reason, len(pending) + (self.current is not None))
                self._write_failing = True
            return
        del self._unsaved[: len(pending)]
        del self._fixes[: len(fixes)]
        last_input = self._last_input
        self._provisional.extend(span for span in saved if not span.watching
                                 and (last_input is None or span.end > last_input))
        seen = self.current
        if current is not None and seen is not None and current.observation != seen.observation:
            self._hidden = (seen.observation, current.observation)  # stored without a forgotten title
        self.current = current
        if self._write_failing:
            log.info("writing to %s works again", self.store.path)
            self._write_failing = False

    def _fix(self, span: Span) -> None:
        assert span.span_id is not None  # only stored spans are queued
        if span.end > span.start:  # a span forgotten meanwhile is gone already: nothing to fix
            self.store.extend_span(span.span_id, span.end, start_utc=span.start)
        else:
            self.store.delete_span(span.span_id, start_utc=span.start)

    def _save(self, span: Span, *, growing: bool = False) -> Span | None:
        """Store ``span`` (its row extended, or a new one); None when a forget left nothing of it.

        ``growing``: the current span, stored even when nothing of it is left yet.
        """
        if span.span_id is not None:
            if self.store.extend_span(span.span_id, span.end, start_utc=span.start):
                return span
            log.info("the span being counted was deleted (unscroll forget); counting on from the forget")
        span = self._unforgotten(span)
        if span.end <= span.start and not growing:
            return None
        span_id = self.store.insert_span(
            span.start, span.end, span.observation.app, span.observation.title,
            span.observation.category, span.observation.name, self.device, watching=span.watching,
        )
        return replace(span, span_id=span_id)

    def _unforgotten(self, span: Span) -> Span:
        """``span`` from the end of every forget run since it started that covers it.

        A span lies within one day, and a forget covers whole days up to the moment it
        ran, so what is left of a span is the part after the forget; after a forget by
        title, without its title.
        """
        start = span.start
        observation = span.observation
        by_title = False
        for forgotten in forgetting.forgotten_since(self.store, span.start):
            if forgotten.start_utc < span.end and forgotten.end_utc > start \
                    and forgotten.applies_to(span.observation.app, span.observation.title):
                start = max(start, forgotten.end_utc)
                by_title = by_title or forgotten.title_pattern is not None
        if by_title:
            observation = replace(observation, title=None, name=observation.app)
        return Span(start=min(start, span.end), end=span.end, observation=observation,
                    watching=span.watching)
