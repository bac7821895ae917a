"""The daemon's scheduler: a few jobs on one thread, each run when it is due.

A job is due at a wall-clock moment (``time.time``) and says when it is due next: a
fixed period after its last due moment (sampling, the memory trim) or the next moment
of a calendar rule (the weekly report). Missed runs are never made up one by one: a job
late by several periods (the computer slept) runs once and goes on from now.

Short jobs run on the scheduler's own thread, one at a time, so a sample wakes one
thread. A long job (``worker=True``: the weekly report draws for seconds) runs on a
thread of its own, never two at once, so sampling goes on meanwhile.

This replaces apscheduler, which cost the daemon 3.3 MB resident (asyncio, uuid,
multiprocessing, tzlocal, zipfile …) for what these hundred lines do.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

NextDue = Callable[[float], float]
"""Given the moment a job ran (or was due), when it is due next (UTC seconds)."""


@dataclass
class _Job:
    name: str
    run: Callable[[], object]
    next_due: NextDue
    due: float
    worker: bool
    busy: bool = False


def every(seconds: float) -> NextDue:
    """A period: due ``seconds`` after the last due moment (from now, once that is past)."""
    return lambda last_due: last_due + seconds


class Scheduler:
    """Runs jobs when they are due until ``shutdown``."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        """Keep time with ``clock`` (UTC seconds)."""
        self.clock = clock
        self._jobs: dict[str, _Job] = {}
        self._changed = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._workers: list[threading.Thread] = []

    def add(self, name: str, run: Callable[[], object], next_due: NextDue, *, first: float,
            worker: bool = False) -> None:
        """Run ``run`` at ``first`` and then when ``next_due`` says; a job of the same name is replaced."""
        with self._changed:
            self._jobs[name] = _Job(name, run, next_due, first, worker)
            self._changed.notify()

    def reschedule(self, name: str, next_due: NextDue, *, first: float) -> None:
        """Give the job ``name`` a new rule, next due at ``first``."""
        with self._changed:
            job = self._jobs[name]
            job.next_due, job.due = next_due, first
            self._changed.notify()

    @property
    def running(self) -> bool:
        """Whether the scheduler's thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the scheduler's thread."""
        self._thread = threading.Thread(target=self._loop, name="unscroll-scheduler", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._changed:
                if self._stopping:
                    return
                now = self.clock()
                due = [job for job in self._jobs.values() if job.due <= now and not job.busy]
                if not due:
                    soonest = min((job.due for job in self._jobs.values() if not job.busy), default=None)
                    self._changed.wait(None if soonest is None else soonest - now)
                    continue
            for job in sorted(due, key=lambda j: j.due):
                self._run(job, now)

    def _run(self, job: _Job, now: float) -> None:
        if self._stopping:
            return
        if not job.worker:
            self._call(job)
            job.due = self._following(job, now)
            return
        job.busy = True

        def in_worker() -> None:
            try:
                self._call(job)
            finally:
                with self._changed:
                    job.due, job.busy = self._following(job, self.clock()), False
                    self._changed.notify()

        thread = threading.Thread(target=in_worker, name=f"unscroll-{job.name}", daemon=True)
        self._workers = [t for t in self._workers if t.is_alive()] + [thread]
        thread.start()

    def _following(self, job: _Job, now: float) -> float:
        due = job.next_due(job.due)
        return due if due > now - 1e-9 else job.next_due(now)

    @staticmethod
    def _call(job: _Job) -> None:
        try:
            job.run()
        except Exception:  # one failed run must not end the schedule
            log.exception("the %s job failed; it runs again when next due", job.name)

    def shutdown(self, timeout: float = 30.0) -> None:
        """Stop: no job starts after this; wait up to ``timeout`` for the running ones."""
        with self._changed:
            self._stopping = True
            self._changed.notify()
        deadline = time.monotonic() + timeout
        for thread in [self._thread, *self._workers]:
            if thread is not None and thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
