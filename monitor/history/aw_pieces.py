"""How an ActivityWatch export's events become one host's pieces of time (pure; see ``activitywatch``).

Grouping buckets by host, cutting AFK time, putting web tabs in place of their browser
window, trimming overlaps and marking watched time; what is left out is counted in an
``ImportReport``, within a window of time when a streaming import plans a few days at a time.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from monitor.core.vocabulary import BROWSER_PROCESS_WORDS
from monitor.history.aw_format import AwBucket, AwEvent, tally_skips
from monitor.history.intervals import intersect, merge, subtract, trim_overlaps

log = logging.getLogger(__name__)

BROWSER_WORDS = re.compile("|".join(BROWSER_PROCESS_WORDS), re.IGNORECASE)
START = itemgetter(0)
Interval = tuple[float, float]
ALL_TIME: Interval = (-math.inf, math.inf)

# (start, end, bucket id, event key, app, title)
Piece = tuple[float, float, tuple[str, str, str, str | None]]
Flagged = tuple[float, float, tuple[str, str, str, str | None], int]
"""A piece and 1 when it was watched (an audible tab through AFK time), else 0."""

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
class Host:
    """The buckets of one machine (ActivityWatch's hostname)."""

    windows: list[Piece] = field(default_factory=list)
    afk: list[tuple[float, float]] = field(default_factory=list)
    web: list[tuple[str, list[Piece]]] = field(default_factory=list)
    audible: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)
    """Per browser, when one of its tabs (shown in it) was playing sound."""
    any_windows: bool | None = None
    """Whether the host has window time anywhere in the file (None: whether ``windows`` has any)."""

    def has_windows(self) -> bool:
        """Whether the host's window watcher saw anything (else its browser tabs are all there is)."""
        return bool(self.windows) if self.any_windows is None else self.any_windows


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


def group(buckets: Iterable[AwBucket], report: ImportReport) -> dict[str, Host]:
    """The buckets by host, their events as pieces; bucket and event figures counted in ``report``."""
    hosts: dict[str, Host] = {}
    window_hosts = {b.hostname for b in buckets if b.kind in ("window", "android")}
    for bucket in buckets:
        report.buckets += 1
        report.events += bucket.event_count
        tally_skips(bucket.kind, bucket.type, bucket.events, bucket.event_count, report.skip)
        if bucket.kind == "other":
            continue
        hostname = bucket.hostname
        if bucket.kind == "web" and hostname not in window_hosts and len(window_hosts) == 1:
            hostname = next(iter(window_hosts))  # older aw-watcher-web wrote "unknown"
        host = hosts.setdefault(hostname, Host())
        if bucket.kind == "afk":
            host.afk.extend((e.start, e.end) for e in bucket.events if e.afk and e.end > e.start)
        elif bucket.kind == "web":
            tabs: list[Piece] = [(e.start, e.end, (bucket.id, e.key, "", _web_title(e)))
                                  for e in bucket.events if e.end > e.start and not e.incognito]
            host.web.append((_browser_of(bucket.id), sorted(tabs, key=START)))
            host.audible.append((_browser_of(bucket.id), merge(
                (e.start, e.end) for e in bucket.events if e.audible and not e.incognito)))
        else:
            bucket_id = bucket.id
            # every field named, not ``*_``: a list made for each of a year's events cost 0.1 s
            windows: list[Piece] = [(start, end, (bucket_id, key, app, title))
                                     for start, end, key, app, title, _, _, _, _ in bucket.events
                                     if end > start]
            host.windows.extend(windows)
    return hosts




def _overlap(first: list[Interval], second: list[Interval]) -> list[Interval]:
    """Where two lists of merged intervals overlap."""
    return [(s, e) for s, e, _, _ in intersect([(s, e, None) for s, e in first],
                                               [(s, e, None) for s, e in second])]


def _in_browser(browser: str, app: str, is_browser: Callable[[str], bool]) -> bool:
    """Whether the window of process ``app`` is the browser a web bucket names ("" for any)."""
    return browser in app.lower() if browser else is_browser(app)


def _watched(host: Host, windows: list[Piece], away: list[tuple[float, float]],
             is_browser: Callable[[str], bool]) -> list[tuple[float, float]]:
    """AFK time during which a tab played sound in its browser's window in front: watching."""
    found: list[tuple[float, float]] = []
    for browser, audible in host.audible:
        if host.has_windows():
            audible = _overlap(audible, merge((s, e) for s, e, (_, _, app, _) in windows
                                              if _in_browser(browser, app, is_browser)))
        found.extend(_overlap(audible, away))
    return merge(found)


def host_pieces(host: Host, report: ImportReport, is_browser: Callable[[str], bool],
                 clip: Interval = ALL_TIME) -> tuple[list[Piece], list[tuple[float, float]]]:
    """One host's time: AFK cut out, web tabs in place of their browser, overlaps trimmed.

    Returns the pieces and the watched intervals among them (AFK time kept for an audible tab).
    What is left out is counted in ``report`` within ``clip`` only.
    """
    windows, cut = trim_overlaps(sorted(host.windows, key=START))
    if cut:
        log.info("trimmed %.0f s of overlapping window events", cut)
    watched = _watched(host, windows, merge(host.afk), is_browser)
    away = [(s, e) for s, e, _ in subtract([(s, e, None) for s, e in merge(host.afk)], watched)]
    present = subtract(windows, away)
    report.away_seconds += length(windows, clip) - length(present, clip)
    if not host.has_windows():  # only browser watchers: their tabs are all there is, one in front at a time
        tabs = [(s, e, (b, k, browser or "browser", t)) for browser, of_browser in host.web
                for s, e, (b, k, _, t) in subtract(trim_overlaps(of_browser)[0], away)]
        return trim_overlaps(sorted(tabs, key=START))[0], watched
    for browser, tabs in host.web:
        tabs = subtract(trim_overlaps(tabs)[0], away)
        front = [piece for piece in present if _in_browser(browser, piece[2][2], is_browser)]
        rest = [piece for piece in present if not _in_browser(browser, piece[2][2], is_browser)]
        shown = [(s, e, (tab[0], tab[1], window[2], tab[3]))
                 for s, e, tab, window in intersect(tabs, front)]
        report.background_tab_seconds += length(tabs, clip) - length(shown, clip)
        front = subtract(front, merge((s, e) for s, e, _ in shown))
        present = sorted([*rest, *front, *shown], key=START)
    return present, watched


def flagged(pieces: list[Piece], watched: list[tuple[float, float]]) -> list[Flagged]:
    """``pieces`` cut where watching starts and ends, each part with 1 when watched, else 0."""
    parts: list[Flagged] = [(s, e, payload, 0) for s, e, payload in subtract(pieces, watched)]
    if watched:
        holes = [(s, e, None) for s, e in watched]
        parts += [(s, e, payload, 1) for s, e, payload, _ in intersect(pieces, holes)]
        parts.sort(key=START)
    return parts


def length(pieces: Iterable[tuple[float, float, *tuple[Any, ...]]], clip: Interval) -> float:
    """The seconds ``pieces`` hold within ``clip`` (all of them with ``ALL_TIME``)."""
    low, high = clip
    total = 0.0
    for piece in pieces:
        start, end = piece[0], piece[1]
        if start < low:
            start = low
        if end > high:
            end = high
        if end > start:
            total += end - start
    return total
