"""Planning a big export's rows in a process of its own, while this one stores them.

Once a streamed export has been read into its scratch database, two jobs are left, of
about the same length: planning the rows (pieces, trims, categories, day splits; Python)
and storing them (SQLite, in one transaction). One process does them one after the other;
with a second process planning they run side by side, on two cores, and the importing
process also plans whenever it would otherwise wait, so that both end together whichever
job is the longer for a given file.

The planner (``python -m monitor.history.aw_planner``: its orders pickled on its standard
input, its answers framed on its standard output and read ahead by a thread here:
``planner_pipes``) is started before the file is read, so that its start and its category
rules are ready by the time the reading ends. It is then handed the scratch file's name,
the buckets' outlines and the weeks (``activitywatch.Weeks``), and asked for weeks one at
a time, from the first on, a few ahead; the importing process takes weeks from the last
back whenever the planner's next one is not ready. Each week's rows come as the
parameters of the statements that insert them (``store.bulk.as_statements``), with their
rollup (``store.rollup_rows``, so the store need not read them back), marshalled; once no
week is left to ask, the planner sends what it counted and ends. It reads the scratch
file only, never the store, and writes nothing. A planner that cannot be started leaves
the planning to this process (logged); one that fails or ends early fails the import,
which then stores nothing.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import marshal
import os
import pickle
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from monitor.core.errors import UnscrollError
from monitor.core.settings import Settings
from monitor.history import planner_pipes
from monitor.history.aw_pieces import ImportReport
from monitor.history.planner_pipes import Answers, write_message
from monitor.store.bulk import Statements, as_statements
from monitor.store.forgetting import Forgotten
from monitor.store.rollup_rows import RollupRow, rollup_rows

if TYPE_CHECKING:
    from monitor.history.activitywatch import Weeks

log = logging.getLogger(__name__)

ROWS, DONE, FAILED = b"R", b"D", b"F"
"""The kinds of message from the planner: a week's rows, what it counted at the end, a failure."""
STOP_WAITING_S = 5.0
"""How long a planner that is no longer needed is given to end before it is killed."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PlanningOrder:
    """What the planner needs besides the scratch file: it loads its own category rules."""

    settings: Settings
    zone: tzinfo
    forgotten: tuple[Forgotten, ...]
    device: str | None


class PlannerFailed(UnscrollError):
    """The planning process failed or ended before it was done: the import stored nothing."""

    title = "Import failed"


class Planner:
    """A planning process (``python -m monitor.history.aw_planner``), started and loading its rules."""

    def __init__(self, order: PlanningOrder, path: Path) -> None:
        self._path = path
        """The export, for messages."""
        self._process = subprocess.Popen([sys.executable, "-m", "monitor.history.aw_planner"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if self._process.stdin is None or self._process.stdout is None:
            raise OSError("the planning process has no pipes")
        self._orders, self._answers_pipe = self._process.stdin, self._process.stdout
        self._planning = False
        """Whether it has been handed the scratch file and has not sent all of its weeks."""
        try:
            self._answers = Answers(self._answers_pipe)
        except RuntimeError:  # no thread to be had
            self._process.kill()
            self._process.wait()
            raise
        try:
            pickle.dump(order, self._orders)
            self._orders.flush()
        except OSError:
            self.close()
            raise

    def weeks(self, scratch: Path, outlines: list[Any], weeks: Weeks, report: ImportReport,
              plan_here: Callable[[int], list[Any]], progress: Progress | None
              ) -> Iterator[tuple[list[Any] | Statements, list[RollupRow]]]:
        """Each week's rows and their rollup: the planner's from the first week, this process's from the last.

        The planner is kept ``ANSWERS_AHEAD`` weeks ahead; whenever its next week is not
        ready, this process plans the last week not asked of it (``plan_here``) instead of
        waiting. ``report`` then takes what both counted while planning.
        """
        self._planning = True
        self._send((scratch, outlines, weeks, ImportReport(report.path)))
        total = len(weeks.windows)
        low, high = 0, total
        """The weeks neither asked of the planner nor planned here: ``low`` up to ``high``."""
        waiting = done = 0
        """Weeks asked of the planner and not yet answered; weeks stored."""
        while done < total:
            while waiting < planner_pipes.ANSWERS_AHEAD and low < high:
                self._send(low)
                low, waiting = low + 1, waiting + 1
            if low < high and not self._answers.ready():
                high -= 1
                rows = plan_here(high)
                yield rows, rollup_rows(rows)
            else:
                yield self._rows()
                waiting -= 1
            done += 1
            if progress:
                progress("storing", done, total)
        self._orders.close()  # no more weeks: the planner sends what it counted, and ends
        _add_planned(report, self._report())
        self._planning = False

    def _send(self, order: object) -> None:
        """Hand ``order`` to the planner (a week's number, or what all weeks need)."""
        try:
            pickle.dump(order, self._orders)
            self._orders.flush()
        except OSError:
            raise self._ended_early() from None

    def _rows(self) -> tuple[Statements, list[RollupRow]]:
        """The next week's rows (as their statements' parameters) and rollup, from the planner."""
        kind, body = self._message()
        if kind != ROWS:
            raise self._failed(kind, body)
        _, statements, rollup = marshal.loads(body)  # noqa: S302 - from our own child, a moment ago
        return Statements(*statements), rollup

    def _report(self) -> ImportReport:
        """What the planner counted while planning, sent once it has planned every week asked."""
        kind, body = self._message()
        if kind != DONE:
            raise self._failed(kind, body)
        report: ImportReport = pickle.loads(body)  # noqa: S301 - our own child's report
        return report

    def _failed(self, kind: bytes, body: bytes) -> PlannerFailed:
        """The error for the planner's failure message (or for an answer out of turn)."""
        failure = body.decode("utf-8", "replace") if kind == FAILED else f"an answer out of turn: {kind!r}"
        log.error("the planning process failed:\n%s", failure)
        return PlannerFailed(f"{self._path}: nothing was imported: planning its rows failed "
                             f"({failure.strip().splitlines()[-1]})")

    def close(self) -> None:
        """End the process: it ends by itself once done, or once told there is nothing to plan.

        One stopped while it plans (the import failed or was interrupted) is killed: what it
        would send is not wanted, and it may be waiting for its answers to be taken.
        """
        with contextlib.suppress(OSError):
            self._orders.close()
        if self._planning:
            self._process.kill()
        try:
            self._process.wait(STOP_WAITING_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._answers.join(STOP_WAITING_S)  # its pipe has ended with the process
        with contextlib.suppress(OSError):
            self._answers_pipe.close()

    def _message(self) -> tuple[bytes, bytes]:
        """The next message's kind and body."""
        message = self._answers.next()
        if message is None:
            raise self._ended_early()
        return message

    def _ended_early(self) -> PlannerFailed:
        """The error for a planning process that ended before it was done."""
        try:
            code = self._process.wait(STOP_WAITING_S)
        except subprocess.TimeoutExpired:
            code = None
        return PlannerFailed(f"{self._path}: nothing was imported: the process planning its rows ended "
                             f"early (exit code {code}); importing it again starts afresh")


@contextlib.contextmanager
def planner(order: PlanningOrder | None, path: Path) -> Iterator[Planner | None]:
    """A planner for the import of ``path`` (None: without ``order``, or when it cannot be started)."""
    started = None
    if order is not None and not _portable(order):
        log.info("planning in this process: its time zone (%r) cannot be handed to another", order.zone)
    elif order is not None:
        try:
            started = Planner(order, path)
        except OSError as exc:
            log.warning("planning in this process: a planning process could not be started (%s)", exc)
    try:
        yield started
    finally:
        if started is not None:
            started.close()


def _portable(order: PlanningOrder) -> bool:
    """Whether ``order`` can be pickled (a time zone read from a file of its own cannot)."""
    try:
        pickle.dumps(order)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


def _add_planned(report: ImportReport, planned: ImportReport) -> None:
    """Add to ``report`` what the planner counted (in a report of its own, from nothing)."""
    report.away_seconds += planned.away_seconds
    report.background_tab_seconds += planned.background_tab_seconds
    report.forgotten_seconds += planned.forgotten_seconds
    for reason, count in planned.skipped.items():
        report.skip(reason, count)
    report.devices = tuple(sorted({*report.devices, *planned.devices}))
    firsts = [when for when in (report.first_utc, planned.first_utc) if when is not None]
    lasts = [when for when in (report.last_utc, planned.last_utc) if when is not None]
    report.first_utc, report.last_utc = (min(firsts), max(lasts)) if firsts else (None, None)


def main() -> None:
    """The planning process: load the rules, wait for the scratch file, send its rows a week at a time."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # nothing printed by accident reaches the rows
    orders = sys.stdin.buffer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importer's to answer: it ends this process
    gc.disable()  # many small tuples and no cycles, as in the importing process
    try:
        _plan(orders, out)
    except EOFError:
        pass  # nothing to plan: the import ended before its file was read
    except Exception:  # every failure is told to the importing process, which says it
        with contextlib.suppress(OSError):
            write_message(out, FAILED, traceback.format_exc().encode("utf-8", "replace"))


def _plan(orders: IO[bytes], out: IO[bytes]) -> None:
    """Plan what ``orders`` asks, sending each week's rows (and their rollup) to ``out``, then the report."""
    from monitor.history import activitywatch  # noqa: PLC0415 - the planner's own, not the importer's
    from monitor.store.import_scratch import shared_scratch  # noqa: PLC0415
    from monitor.tracking.categories import load_rules  # noqa: PLC0415

    order: PlanningOrder = pickle.load(orders)  # noqa: S301 - from the process that started this one
    planning = activitywatch.planning_for(load_rules(order.settings), order.settings, order.zone,
                                          order.forgotten)
    scratch_path, outlines, weeks, report = pickle.load(orders)  # noqa: S301
    with shared_scratch(Path(scratch_path)) as scratch:
        while (index := _next_week(orders)) is not None:
            rows = activitywatch.plan_week(scratch, outlines, weeks, index, report=report, planning=planning,
                                           device=order.device)
            # rolled up here, on the other core (the store then need not read the rows back), and
            # made into their statements' parameters: storing is as long a job as planning, or longer
            write_message(out, ROWS, marshal.dumps((index, tuple(as_statements(rows)), rollup_rows(rows))))
    write_message(out, DONE, pickle.dumps(report))


def _next_week(orders: IO[bytes]) -> int | None:
    """The number of the next week to plan (None: there are no more)."""
    try:
        index: int = pickle.load(orders)  # noqa: S301 - from the process that started this one
    except EOFError:
        return None
    return index


if __name__ == "__main__":
    main()
