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
Pieces shorter than a millisecond (slivers left where away time cuts an event) are
dropped: they hold no time worth counting and would share a start with their neighbour.
Time that ``unscroll forget`` forgot (its record in the store: a UTC range, maybe of
one app or of titles matching a pattern) is cut out too, so a re-import does not bring
it back; the report says how much.
Every row is written in one transaction: an error leaves the store as it was.
"""

from __future__ import annotations

import gc
import logging
import re
import time as clock
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import time, tzinfo
from functools import partial
from operator import itemgetter
from pathlib import Path
from urllib.parse import urlsplit

from monitor.core.days import day_bounds, day_of, local_zone
from monitor.core.settings import Settings, TrackingSettings
from monitor.core.vocabulary import BROWSER_PROCESS_WORDS
from monitor.history.aw_format import AwBucket, AwEvent, read_export
from monitor.history.intervals import intersect, merge, subtract, trim_overlaps
from monitor.store.bulk import CHUNK, ROWS_PER_STATEMENT, SpanInsert, insert_spans, page_cache
from monitor.store.database import Store
from monitor.store.forgetting import Forgotten, forgotten_since
from monitor.tracking.categories import Rules, load_rules
from monitor.tracking.observe import observe
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.spans import Observation

log = logging.getLogger(__name__)

SOURCE = "activitywatch"
UNKNOWN_HOSTS = ("", "unknown")
_BROWSER_WORDS = re.compile("|".join(BROWSER_PROCESS_WORDS), re.IGNORECASE)

_START = itemgetter(0)
_Seen = tuple[Observation, list[tuple[float, float]]]
"""A window as stored, and the forgotten ranges (merged, sorted) that apply to it."""
_UNSEEN: _Seen = (Observation("", None, "", ""), [])
"""Marks an (app, title) not classified yet: ``None`` is the answer for windows never stored."""
MIN_PIECE_S = 0.001
IMPORT_CACHE_KIB = 64 * 1024  # SQLite page cache while importing: the origin index stays in memory

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stages are ``reading`` and ``storing``."""

# (start, end, bucket id, event key, app, title)
_Piece = tuple[float, float, tuple[str, str, str, str | None]]
_Flagged = tuple[float, float, tuple[str, str, str, str | None], int]
"""A piece and 1 when it was watched (an audible tab through AFK time), else 0."""
Row = SpanInsert


@dataclass
class ImportReport:
    """What an import took and what it left out."""

    path: Path
    buckets: int = 0
    events: int = 0
    spans_added: int = 0
    spans_already_there: int = 0
    seconds_added: float = 0.0
    away_seconds: float = 0.0
    """Window time left out because the AFK watcher said the user was away."""
    background_tab_seconds: float = 0.0
    """Web tab time left out because that browser's window was not in front."""
    forgotten_seconds: float = 0.0
    """Time left out because ``unscroll forget`` had forgotten it."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Reason → number of events left out whole."""
    devices: tuple[str, ...] = ()
    first_utc: float | None = None
    last_utc: float | None = None
    elapsed_seconds: float = 0.0

    def skip(self, reason: str, count: int = 1) -> None:
        """Count ``count`` events left out for ``reason``."""
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count


@dataclass
class _Host:
    """The buckets of one machine (ActivityWatch's hostname)."""

    windows: list[_Piece] = field(default_factory=list)
    afk: list[tuple[float, float]] = field(default_factory=list)
    web: list[tuple[str, list[_Piece]]] = field(default_factory=list)
    audible: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)
    """Per browser, when one of its tabs (shown in it) was playing sound."""


def _browser_of(bucket_id: str) -> str:
    """``aw-watcher-web-firefox_myhost`` → ``firefox``."""
    name = bucket_id.removeprefix("aw-watcher-web").lstrip("-_")
    return name.split("_")[0].lower()


def _web_title(event: AwEvent) -> str:
    try:
        host = urlsplit(event.url).hostname or ""
    except ValueError:
        host = ""
    title = (event.title or "").strip()
    return f"{title} — {host}" if title and host else title or host or event.url[:200]


def _group(buckets: Iterable[AwBucket], report: ImportReport) -> dict[str, _Host]:
    hosts: dict[str, _Host] = {}
    window_hosts = {b.hostname for b in buckets if b.kind in ("window", "android")}
    for bucket in buckets:
        report.buckets += 1
        report.events += bucket.event_count
        if bucket.kind == "other":
            report.skip(f"{bucket.type} events (not screen time)", bucket.event_count)
            continue
        hostname = bucket.hostname
        if bucket.kind == "web" and hostname not in window_hosts and len(window_hosts) == 1:
            hostname = next(iter(window_hosts))  # older aw-watcher-web wrote "unknown"
        host = hosts.setdefault(hostname, _Host())
        if bucket.kind == "afk":
            host.afk.extend((e.start, e.end) for e in bucket.events if e.afk and e.end > e.start)
        elif bucket.kind == "web":
            report.skip("events of zero length", sum(1 for e in bucket.events if e.end <= e.start))
            private = sum(1 for e in bucket.events if e.incognito)
            report.skip("incognito tabs (never stored)", private)
            tabs: list[_Piece] = [(e.start, e.end, (bucket.id, e.key, "", _web_title(e)))
                                  for e in bucket.events if e.end > e.start and not e.incognito]
            host.web.append((_browser_of(bucket.id), sorted(tabs, key=_START)))
            host.audible.append((_browser_of(bucket.id), merge(
                (e.start, e.end) for e in bucket.events if e.audible and not e.incognito)))
        else:
            bucket_id = bucket.id
            windows: list[_Piece] = [(start, end, (bucket_id, key, app, title))
                                     for start, end, key, app, title, *_ in bucket.events if end > start]
            report.skip("events of zero length", len(bucket.events) - len(windows))
            host.windows.extend(windows)
    return hosts


_Interval = tuple[float, float]


def _overlap(first: list[_Interval], second: list[_Interval]) -> list[_Interval]:
    """Where two lists of merged intervals overlap."""
    return [(s, e) for s, e, _, _ in intersect([(s, e, None) for s, e in first],
                                               [(s, e, None) for s, e in second])]


def _in_browser(browser: str, app: str, is_browser: Callable[[str], bool]) -> bool:
    """Whether the window of process ``app`` is the browser a web bucket names ("" for any)."""
    return browser in app.lower() if browser else is_browser(app)


def _watched(host: _Host, windows: list[_Piece], away: list[tuple[float, float]],
             is_browser: Callable[[str], bool]) -> list[tuple[float, float]]:
    """AFK time during which a tab played sound in its browser's window in front: watching."""
    found: list[tuple[float, float]] = []
    for browser, audible in host.audible:
        if host.windows:
            audible = _overlap(audible, merge((s, e) for s, e, (_, _, app, _) in windows
                                              if _in_browser(browser, app, is_browser)))
        found.extend(_overlap(audible, away))
    return merge(found)


def _host_pieces(host: _Host, report: ImportReport, is_browser: Callable[[str], bool]
                 ) -> tuple[list[_Piece], list[tuple[float, float]]]:
    """One host's time: AFK cut out, web tabs in place of their browser, overlaps trimmed.

    Returns the pieces and the watched intervals among them (AFK time kept for an audible tab).
    """
    windows, cut = trim_overlaps(sorted(host.windows, key=_START))
    if cut:
        log.info("trimmed %.0f s of overlapping window events", cut)
    watched = _watched(host, windows, merge(host.afk), is_browser)
    away = [(s, e) for s, e, _ in subtract([(s, e, None) for s, e in merge(host.afk)], watched)]
    present = subtract(windows, away)
    report.away_seconds += sum(e - s for s, e, _ in windows) - sum(e - s for s, e, _ in present)
    if not host.windows:  # only browser watchers: their tabs are all there is, one browser in front at a time
        tabs = [(s, e, (b, k, browser or "browser", t)) for browser, of_browser in host.web
                for s, e, (b, k, _, t) in subtract(trim_overlaps(of_browser)[0], away)]
        return trim_overlaps(sorted(tabs, key=_START))[0], watched
    for browser, tabs in host.web:
        tabs = subtract(trim_overlaps(tabs)[0], away)
        front = [piece for piece in present if _in_browser(browser, piece[2][2], is_browser)]
        rest = [piece for piece in present if not _in_browser(browser, piece[2][2], is_browser)]
        shown = [(s, e, (tab[0], tab[1], window[2], tab[3]))
                 for s, e, tab, window in intersect(tabs, front)]
        report.background_tab_seconds += sum(e - s for s, e, _ in tabs) - sum(e - s for s, e, _ in shown)
        front = subtract(front, merge((s, e) for s, e, _ in shown))
        present = sorted([*rest, *front, *shown], key=_START)
    return present, watched


def _flagged(pieces: list[_Piece], watched: list[tuple[float, float]]) -> list[_Flagged]:
    """``pieces`` cut where watching starts and ends, each part with 1 when watched, else 0."""
    parts: list[_Flagged] = [(s, e, payload, 0) for s, e, payload in subtract(pieces, watched)]
    if watched:
        holes = [(s, e, None) for s, e in watched]
        parts += [(s, e, payload, 1) for s, e, payload, _ in intersect(pieces, holes)]
        parts.sort(key=_START)
    return parts


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
             report: ImportReport) -> list[tuple[float, float]]:
    """The parts of ``[start, end)`` outside the forgotten ``holes`` (the rest is counted as forgotten)."""
    kept = [(s, e) for s, e, _ in subtract([(start, end, None)], holes) if e - s >= MIN_PIECE_S]
    report.forgotten_seconds += (end - start) - sum(e - s for s, e in kept)
    return kept


def plan_rows(buckets: list[AwBucket], report: ImportReport, *, rules: Rules, tracking: TrackingSettings,
              starts_at: time, zone: tzinfo, device: str | None,
              forgotten: Sequence[Forgotten] = ()) -> list[Row]:
    """The span rows an export turns into, less ``forgotten`` time (pure: no store is used)."""
    is_browser: Callable[[str], bool] = getattr(rules, "is_browser", None) or (
        lambda app: _BROWSER_WORDS.search(app) is not None)
    observations: dict[tuple[str, str | None], _Seen | None] = {}
    rows: list[Row] = []
    append = rows.append
    devices: set[str] = set()
    firsts: list[float] = []
    lasts: list[float] = []
    day_start = day_end = 0.0
    for hostname, host in _group(buckets, report).items():
        name = device or (tracking.device if hostname in UNKNOWN_HOSTS else hostname)
        host_first_row = len(rows)
        for start, end, (bucket_id, key, app, title), watching in _flagged(*_host_pieces(host, report,
                                                                                            is_browser)):
            if end - start < MIN_PIECE_S:
                continue
            seen = observations.get((app, title), _UNSEEN)
            if seen is _UNSEEN:
                seen = observations[(app, title)] = _seen(app, title, rules, tracking, forgotten)
            if seen is None:
                continue
            observation, holes = seen
            for part_start, kept_end in (_outside(start, end, holes, report) if holes else ((start, end),)):
                while True:  # split at day boundaries
                    if not day_start <= part_start < day_end:
                        day_start, day_end = day_bounds(day_of(part_start, starts_at, zone), starts_at, zone)
                    part_end = kept_end if kept_end <= day_end else day_end
                    append((part_start, part_end, observation.app, observation.title,
                            observation.category, observation.name, name, SOURCE,
                            f"aw:{bucket_id}:{key}:{round(part_start * 1000)}", watching))
                    if part_end >= kept_end:
                        break
                    part_start = part_end
        if len(rows) > host_first_row:
            # a host's pieces are sorted and free of overlaps: its first row starts first, its last ends last
            devices.add(name)
            firsts.append(rows[host_first_row][0])
            lasts.append(rows[-1][1])
    report.devices = tuple(sorted(devices))
    if rows:
        report.first_utc = min(firsts)
        report.last_utc = max(lasts)
    return rows


def import_activitywatch(store: Store, path: Path, settings: Settings, *, zone: tzinfo | None = None,
                         device: str | None = None, rules: Rules | None = None,
                         progress: Progress | None = None) -> ImportReport:
    """Import the export at ``path``; all or nothing. Raises InputError for a file it cannot use."""
    began = clock.perf_counter()
    report = ImportReport(path=path)
    if progress:
        progress("reading", 0, 1)
    # Millions of small tuples and no cycles: the cyclic collector would only rescan them,
    # also while they are stored (every tuple made meanwhile is still in its youngest generation)
    collecting = gc.isenabled()
    gc.disable()
    try:
        buckets = read_export(path)
        if progress:
            progress("reading", 1, 1)
        rows = plan_rows(buckets, report, rules=rules or load_rules(settings), tracking=settings.tracking,
                         starts_at=settings.day_starts_at, zone=zone or local_zone(), device=device,
                         forgotten=forgotten_since(store))
        del buckets
        with page_cache(store, IMPORT_CACHE_KIB):
            _store_rows(store, rows, report, progress)
        report.spans_already_there = len(rows) - report.spans_added
        del rows
    finally:
        if collecting:
            gc.enable()
    report.elapsed_seconds = clock.perf_counter() - began
    log.info("imported %s: %d spans added, %d already there", path, report.spans_added,
             report.spans_already_there)
    return report


def _store_rows(store: Store, rows: list[Row], report: ImportReport, progress: Progress | None) -> None:
    """Insert every row in one transaction, skipping origins already stored."""
    stored = partial(progress, "storing") if progress else None
    report.spans_added, report.seconds_added = insert_spans(
        store, rows, chunk=CHUNK, per_statement=ROWS_PER_STATEMENT, stored=stored)
