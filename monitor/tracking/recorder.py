"""Keeps the growing span and writes each change to the store as it happens.

The current span's end is extended in place every sample, so a crash loses at most
one sample interval. A failed write keeps the span in memory and is retried with
the next sample; nothing already stored is touched.

When the clock goes back (an NTP correction), nothing is counted until it passes the
latest instant already counted, so no stretch of time is counted twice; the time lost
is at most the size of the jump. A jump of more than ``MAX_CLOCK_BACK`` is taken as
the clock being set to another time: counting goes on from the new time (logged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from monitor.core.errors import StoreWriteError
from monitor.store.database import Store
from monitor.tracking.spans import Observation, Span, Step, advance

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

    def record(self, at: float, observation: Observation | None, *, idle_seconds: float,
               idle_after: float, pulse: float, also: Write | None = None) -> Step:
        """Fold one sample in and store the result (with ``also``, in the same transaction)."""
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
        step = advance(self.current, at, observation, idle_seconds=idle_seconds,
                       idle_after=idle_after, pulse=pulse, day_end_after=self.day_end_after)
        self._unsaved.extend(step.closed)
        self.current = step.current
        if set_back:  # the spans ended by the jump lie ahead of the clock now: start afresh
            self._counted_until = at if step.current is None else step.current.end
        else:
            ends = [span.end for span in step.closed] + ([] if step.current is None else [step.current.end])
            if ends:
                self._counted_until = max([*ends] if self._counted_until is None
                                          else [self._counted_until, *ends])
        self.flush(also)
        return step

    @property
    def failing(self) -> bool:
        """True while writes fail (spans are being kept in memory)."""
        return self._write_failing

    def close_current(self, also: Write | None = None) -> None:
        """End the growing span (pause, shutdown, desktop gone) and store it (and ``also``)."""
        if self.current is not None:
            self._unsaved.append(self.current)
            self.current = None
        self.flush(also)

    def flush(self, also: Write | None = None) -> None:
        """Write closed spans and the growing one; on failure keep them for the next try.

        ``also`` makes further writes in the same transaction (the daemon's heartbeat): one
        commit per sample, not two. It is not retried.
        """
        pending = list(self._unsaved)
        try:
            with self.store.transaction():
                saved = [self._save(span) for span in pending]
                current = None if self.current is None else self._save(self.current)
                if also is not None:
                    also(self.store)
        except StoreWriteError as exc:
            if not self._write_failing:
                log.error("cannot write to %s (%s); keeping %d span(s) in memory and retrying",
                          self.store.path, exc.reason, len(pending) + (self.current is not None))
                self._write_failing = True
            return
        del self._unsaved[: len(saved)]
        self.current = current
        if self._write_failing:
            log.info("writing to %s works again", self.store.path)
            self._write_failing = False

    def _save(self, span: Span) -> Span:
        if span.span_id is None:
            span_id = self.store.insert_span(
                span.start, span.end, span.observation.app, span.observation.title,
                span.observation.category, span.observation.name, self.device,
            )
            return replace(span, span_id=span_id)
        self.store.extend_span(span.span_id, span.end)
        return span
