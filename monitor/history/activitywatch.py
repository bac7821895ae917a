"""Import an ActivityWatch export into the store as spans, once, in one transaction.

How the buckets become spans (per host, as ActivityWatch's own canonical query does):

- Window buckets (``currentwindow``) give app + title; aw-android's give the package
  name (``com.instagram.android``) as the app and the app's label as the title.
- AFK buckets (``afkstatus``) of the same host: time marked ``afk`` is cut out of the
  window and web events. Time the AFK watcher says nothing about is kept (there is no
  AFK bucket on Android, and the window events are what was seen).
- Web buckets (``web.tab.current``): while that browser's window is in front, the tab
  replaces the browser window (title ``"<tab title> — <host>"``); tab time while the
  browser was not in front is left out. Incognito tabs are never stored: that time
  stays with the browser window, whose private title is not kept either.
- Watching is not away: where aw-watcher-web marked a tab ``audible`` while its browser
  window was in front, the AFK time during it is kept, as watching (the span's
  ``watching``), as the daemon counts media playing with no input.
- Overlapping events of one host are trimmed (one window has the focus at a time);
  spans are split at the configured day start; every piece is classified with the
  user's rules and passed through the same privacy filter as live samples.

Each span's ``origin`` is ``aw:<bucket id>:<event id>:<start in ms>``, unique in the
store, so importing the same file, or a later export that repeats it, adds nothing.
Pieces that start and end within one millisecond (slivers left where away time cuts an
event) are dropped: they hold no time worth counting and would share their origin's start
with their neighbour (``intervals.lasts_to_another_millisecond``); an event of a
millisecond is kept.
Time that ``unscroll forget`` forgot (its record in the store: a UTC range, maybe of
one app or of titles matching a pattern) is cut out too, so a re-import does not bring
it back; the report says how much.
Every row is written in one transaction: an error leaves the store as it was.
"""

from __future__ import annotations

import gc
import logging
import time as clock
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import time, timedelta, tzinfo
from functools import partial
from pathlib import Path

from monitor.core.days import day_bounds, day_of, local_zone
from monitor.core.settings import Settings, TrackingSettings
from monitor.history.aw_format import AwBucket, AwEvent, read_export
from monitor.history.aw_pieces import (
    ALL_TIME,
    BROWSER_WORDS,
    Host,
    ImportReport,
    Interval,
    flagged,
    group,
    host_pieces,
    length,
)
from monitor.history.aw_planner import Planner, PlanningOrder, planner
from monitor.history.aw_stream import Outline, Unreadable, stream_export
from monitor.history.intervals import kept_outside, lasts_to_another_millisecond, merge
from monitor.store.bulk import (
    CHUNK,
    ROWS_PER_STATEMENT,
    Batch,
    SpanInsert,
    insert_span_batches,
    insert_spans,
    page_cache,
)
from monitor.store.database import Store
from monitor.store.forgetting import Forgotten, forgotten_since
from monitor.store.import_scratch import ScratchEvents, scratch_events
from monitor.tracking.categories import Rules, load_rules
from monitor.tracking.observe import observe
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.spans import Observation

log = logging.getLogger(__name__)

SOURCE = "activitywatch"
UNKNOWN_HOSTS = ("", "unknown")
_Seen = tuple[Observation, list[tuple[float, float]]]
"""A window as stored, and the forgotten ranges (merged, sorted) that apply to it."""
_UNSEEN: _Seen = (Observation("", None, "", ""), [])
"""Marks an (app, title) not classified yet: ``None`` is the answer for windows never stored."""
WINDOW_DAYS = 7
"""Local days planned at a time by the streaming import."""
MARGIN_S = 86400.0
"""Events ending this long before a window are loaded with it, for the overlaps they trim."""
WHOLE_FILE_BYTES = 16 * 1024 * 1024
"""Up to this size a file is read whole: about 130 MB at most, at twice the streaming speed."""
PLANNER_BYTES = WHOLE_FILE_BYTES
"""From this size a streamed file's rows are planned by a process of their own, while this one stores."""
IMPORT_CACHE_KIB = 32 * 1024  # SQLite page cache while importing: most of the origin index stays in memory

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stages are ``reading`` and ``storing``."""

Row = SpanInsert
_as_event = partial(tuple.__new__, AwEvent)
"""An AwEvent from a tuple of all its fields (as the scratch file gives them back)."""


def _seen(app: str, title: str | None, rules: Rules, tracking: TrackingSettings,
          forgotten: Sequence[Forgotten]) -> _Seen | None:
    """The window as it would be stored, with the forgotten time of it (None: never stored)."""
    observation = observe(ActiveWindow(app, title, None), rules, tracking)
    if observation is None:
        return None
    holes = merge((f.start_utc, f.end_utc) for f in forgotten
                  if f.applies_to(observation.app, observation.title))
    return observation, holes


def _outside(start: float, end: float, holes: list[tuple[float, float]],
             report: ImportReport, clip: Interval) -> list[tuple[float, float]]:
    """The parts of ``[start, end)`` outside the forgotten ``holes`` (the rest, in ``clip``, is forgotten)."""
    kept = kept_outside(start, end, holes)
    report.forgotten_seconds += length(((start, end),), clip) - length(kept, clip)
    return kept


@dataclass
class _Planning:
    """What turning an export's pieces into rows needs besides the pieces."""

    rules: Rules
    tracking: TrackingSettings
    starts_at: time
    zone: tzinfo
    forgotten: Sequence[Forgotten]
    clip: Interval = ALL_TIME
    """Only rows starting here are kept, and only what is left out here is counted."""
    observations: dict[tuple[str, str | None], _Seen | None] = field(default_factory=dict)

    def is_browser(self, app: str) -> bool:
        """Whether ``app`` is a web browser's process."""
        own = getattr(self.rules, "is_browser", None)
        return bool(own(app)) if own else BROWSER_WORDS.search(app) is not None


def plan_rows(buckets: list[AwBucket], report: ImportReport, *, rules: Rules, tracking: TrackingSettings,
              starts_at: time, zone: tzinfo, device: str | None,
              forgotten: Sequence[Forgotten] = ()) -> list[Row]:
    """The span rows an export turns into, less ``forgotten`` time (pure: no store is used)."""
    return _plan(buckets, report, _Planning(rules, tracking, starts_at, zone, forgotten), device)


def _plan(buckets: list[AwBucket], report: ImportReport, planning: _Planning, device: str | None,
          hosts_with_windows: AbstractSet[str] | None = None) -> list[Row]:
    """The rows of ``buckets`` starting within ``planning.clip``.

    With ``hosts_with_windows`` (the hosts whose window watchers saw anything anywhere in
    the file), ``buckets`` hold only some days of the file and bucket figures are not counted.
    """
    rows: list[Row] = []
    devices: set[str] = set()
    firsts: list[float] = [] if report.first_utc is None else [report.first_utc]
    lasts: list[float] = [] if report.last_utc is None else [report.last_utc]
    grouped = group(buckets, report if hosts_with_windows is None else ImportReport(report.path))
    for hostname, host in grouped.items():
        if hosts_with_windows is not None:
            host.any_windows = hostname in hosts_with_windows
        name = device or (planning.tracking.device if hostname in UNKNOWN_HOSTS else hostname)
        host_first_row = len(rows)
        _host_rows(host, name, report, planning, rows)
        if len(rows) > host_first_row:
            # a host's pieces are sorted and free of overlaps: its first row starts first, its last ends last
            devices.add(name)
            firsts.append(rows[host_first_row][0])
            lasts.append(rows[-1][1])
    report.devices = tuple(sorted({*report.devices, *devices}))
    if firsts:
        report.first_utc = min(firsts)
        report.last_utc = max(lasts)
    return rows


def _host_rows(host: Host, name: str, report: ImportReport, planning: _Planning, rows: list[Row]) -> None:
    """Append one host's rows (split at day starts, within ``planning.clip``) to ``rows``."""
    append = rows.append
    observations = planning.observations
    starts_at, zone = planning.starts_at, planning.zone
    low, high = clip = planning.clip
    day_start = day_end = 0.0
    for start, end, (bucket_id, key, app, title), watching in flagged(*host_pieces(
            host, report, planning.is_browser, clip)):
        if end <= low or not lasts_to_another_millisecond(start, end):  # (ending before the clip: no row)
            continue
        seen = observations.get((app, title), _UNSEEN)
        if seen is _UNSEEN:
            seen = observations[(app, title)] = _seen(app, title, planning.rules, planning.tracking,
                                                      planning.forgotten)
        if seen is None:
            continue
        observation, holes = seen
        for part_start, kept_end in (_outside(start, end, holes, report, clip) if holes else ((start, end),)):
            while True:  # split at day boundaries
                if not day_start <= part_start < day_end:
                    day_start, day_end = day_bounds(day_of(part_start, starts_at, zone), starts_at, zone)
                part_end = kept_end if kept_end <= day_end else day_end
                if low <= part_start < high:
                    append((part_start, part_end, observation.app, observation.title,
                            observation.category, observation.name, name, SOURCE,
                            f"aw:{bucket_id}:{key}:{round(part_start * 1000)}", watching))
                if part_end >= kept_end:
                    break
                part_start = part_end


def import_activitywatch(store: Store, path: Path, settings: Settings, *, zone: tzinfo | None = None,
                         device: str | None = None, rules: Rules | None = None,
                         progress: Progress | None = None) -> ImportReport:
    """Import the export at ``path``; all or nothing. Raises InputError for a file it cannot use.

    A file up to ``WHOLE_FILE_BYTES`` is read whole (the fastest way, at about eight times its
    size in memory); a larger one is read a piece at a time into a scratch database and
    planned a week of days at a time, so memory does not grow with it (a file only the
    standard library reads, NaN say, is read whole).
    """
    began = clock.perf_counter()
    report = ImportReport(path=path)
    if progress:
        progress("reading", 0, 1)
    # Millions of small tuples and no cycles: the cyclic collector would only rescan them,
    # also while they are stored (every tuple made meanwhile is still in its youngest generation)
    collecting = gc.isenabled()
    gc.disable()
    try:
        forgotten = forgotten_since(store)
        zone = zone or local_zone()
        size = _size(path)
        # a big file's rows are planned by a process of its own (with the product's rules only: it loads
        # its own from the settings), started first: it gets ready while the rules load here
        order = PlanningOrder(settings, zone, tuple(forgotten), device) \
            if rules is None and size > WHOLE_FILE_BYTES and size >= PLANNER_BYTES else None
        with planner(order, path) as helper:
            planning = planning_for(rules or load_rules(settings), settings, zone, forgotten)
            try:
                if size <= WHOLE_FILE_BYTES:
                    _import_whole(store, path, planning, report, device, progress)
                else:
                    _import_streaming(store, path, planning, report, device, progress, helper)
            except Unreadable:
                report = ImportReport(path=path)
                _import_whole(store, path, planning, report, device, progress)
    finally:
        if collecting:
            gc.enable()
    report.elapsed_seconds = clock.perf_counter() - began
    log.info("imported %s: %d spans added, %d already there", path, report.spans_added,
             report.spans_already_there)
    return report


def _size(path: Path) -> int:
    """The file's size in bytes (0 when it cannot be asked: reading it then says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _import_whole(store: Store, path: Path, planning: _Planning, report: ImportReport,
                  device: str | None, progress: Progress | None) -> None:
    """Read the whole file, plan every row, store them in one transaction."""
    buckets = read_export(path)
    if progress:
        progress("reading", 1, 1)
    rows = _plan(buckets, report, planning, device)
    del buckets
    with page_cache(store, IMPORT_CACHE_KIB):
        _store_rows(store, rows, report, progress)
    report.spans_already_there = len(rows) - report.spans_added


def _import_streaming(store: Store, path: Path, planning: _Planning, report: ImportReport,
                      device: str | None, progress: Progress | None, helper: Planner | None) -> None:
    """Check the whole file into a scratch database, then plan and store a week at a time, in one go.

    With ``helper``, a planning process (``aw_planner``) started before the file is read, the
    planning is done there while this process stores (and here, from the last week back,
    whenever the planner's next week is not ready).
    """
    with scratch_events(store.path.parent) as scratch:
        outlines = stream_export(path, scratch, report.skip, progress)
        report.buckets = len(outlines)
        report.events = sum(outline.event_count for outline in outlines)
        batches: Iterator[Batch]
        if helper is not None:
            weeks = weeks_of(scratch, outlines, planning)
            plan_here = partial(plan_week, scratch, outlines, weeks, report=report, planning=planning,
                                device=device)
            batches = helper.weeks(scratch.share(), outlines, weeks, report, plan_here, progress)
        else:
            batches = _stored_weeks(planned_weeks(scratch, outlines, report, planning, device), progress)
        with page_cache(store, IMPORT_CACHE_KIB):
            offered, report.spans_added, report.seconds_added = insert_span_batches(store, batches)
        report.spans_already_there = offered - report.spans_added


def _stored_weeks(weeks: Iterator[tuple[int, int, list[Row]]], progress: Progress | None
                  ) -> Iterator[tuple[list[Row], None]]:
    """Each week's rows (the store rolls them up itself); once they have been stored, ``progress`` says so."""
    for done, total, rows in weeks:
        yield rows, None
        if progress:
            progress("storing", done, total)


def planning_for(rules: Rules, settings: Settings, zone: tzinfo, forgotten: Sequence[Forgotten]) -> _Planning:
    """What planning an import's rows needs besides the pieces."""
    return _Planning(rules, settings.tracking, settings.day_starts_at, zone, forgotten)


@dataclass(frozen=True)
class Weeks:
    """The windows of ``WINDOW_DAYS`` local days a streamed export is planned in, and what all need."""

    windows: list[Interval]
    """Each window's UTC start and end, in order: together they hold every event's start."""
    hosts: frozenset[str]
    """The hosts whose window watchers saw anything anywhere in the file."""
    with_events: frozenset[int]
    """The numbers of the buckets (of the outlines) that have events."""


def weeks_of(scratch: ScratchEvents, outlines: list[Outline], planning: _Planning) -> Weeks:
    """The windows the events in ``scratch`` are planned in (none when there are no events)."""
    extent = scratch.extent(number for number, outline in enumerate(outlines) if outline.kind != "other")
    if extent is None:
        return Weeks([], frozenset(), frozenset())
    first, last, with_events = extent
    starts_at, zone = planning.starts_at, planning.zone
    windows, low = [], day_bounds(day_of(first, starts_at, zone), starts_at, zone)[0]
    while low < last:
        high = day_bounds(day_of(low, starts_at, zone) + timedelta(days=WINDOW_DAYS), starts_at, zone)[0]
        windows.append((low, high))
        low = high
    hosts = frozenset(o.hostname for o in outlines if o.kind in ("window", "android") and o.has_pieces)
    return Weeks(windows, hosts, frozenset(with_events))


def plan_week(scratch: ScratchEvents, outlines: list[Outline], weeks: Weeks, index: int, *,
              report: ImportReport, planning: _Planning, device: str | None) -> list[Row]:
    """The rows of window ``index`` of ``weeks`` (the same rows as planning the file whole would give).

    The window loads the events overlapping it and a day before it (so that trimmed
    overlaps come out the same), and keeps the rows that start in it: rows are split at
    day starts, so a piece crossing into the window gives the same row, with the same origin.
    """
    low, high = planning.clip = weeks.windows[index]
    buckets = [AwBucket(o.id or o.key, o.type, o.hostname, o.kind, list(map(
        _as_event, scratch.overlapping(number, low - MARGIN_S, high)))
        if number in weeks.with_events else []) for number, o in enumerate(outlines)]
    return _plan(buckets, report, planning, device, weeks.hosts)


def planned_weeks(scratch: ScratchEvents, outlines: list[Outline], report: ImportReport, planning: _Planning,
                  device: str | None) -> Iterator[tuple[int, int, list[Row]]]:
    """The file's rows, ``WINDOW_DAYS`` local days at a time (the same rows as planning it whole).

    Yields each window's number (from 1), how many there are, and its rows.
    """
    weeks = weeks_of(scratch, outlines, planning)
    for index in range(len(weeks.windows)):
        yield index + 1, len(weeks.windows), plan_week(scratch, outlines, weeks, index, report=report,
                                                       planning=planning, device=device)


def _store_rows(store: Store, rows: list[Row], report: ImportReport, progress: Progress | None) -> None:
    """Insert every row in one transaction, skipping origins already stored."""
    stored = partial(progress, "storing") if progress else None
    report.spans_added, report.seconds_added = insert_spans(
        store, rows, chunk=CHUNK, per_statement=ROWS_PER_STATEMENT, stored=stored)
