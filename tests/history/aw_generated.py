"""ActivityWatch exports generated from a seed, for comparing the streaming import with the whole-file one.

``mixed_export``: weeks of a laptop (window, AFK, two web buckets, an input bucket) and a
phone (aw-android), with what makes the pipeline work hard: overlapping and zero-length
events, events hours long that cross day starts and week boundaries, AFK time, incognito
and audible tabs, a web bucket of the old "unknown" host, and a DST change in Berlin.

``write_big_export``: one window bucket of ``count`` plain events, written as text a line at
a time (the file is bigger than what the memory test lets its import process have).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

APPS = [("firefox", "Reddit — Mozilla Firefox"), ("code", "main.py — unscroll"),
        ("slack", "general | Slack"), ("firefox", "YouTube — Mozilla Firefox"),
        ("google-chrome", "Twitter — Google Chrome"), ("gnome-terminal", "bash")]
URLS = ["https://www.reddit.com/r/python", "https://www.youtube.com/watch?v=x", "https://docs.python.org/3/",
        "https://twitter.com/home"]


def stamp(instant: float) -> str:
    """``instant`` as ActivityWatch writes it."""
    return datetime.fromtimestamp(instant, UTC).isoformat()


def _event(rng: random.Random, at: float, seconds: float, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": rng.randrange(1, 10**9), "timestamp": stamp(at), "duration": seconds, "data": data}


def _windows(rng: random.Random, first: float, last: float) -> list[dict[str, Any]]:
    events, at = [], first
    while at < last:
        roll = rng.random()
        seconds = 0.0 if roll < 0.03 else rng.uniform(4 * 3600, 30 * 3600) if roll < 0.01 + 0.03 \
            else rng.uniform(1, 900)
        app, title = rng.choice(APPS)
        events.append(_event(rng, at, round(seconds, 3), {"app": app, "title": title}))
        at += seconds * rng.choice((1.0, 1.0, 0.5)) + rng.uniform(0, 120)  # some overlap the next
    return events


def _afk(rng: random.Random, first: float, last: float) -> list[dict[str, Any]]:
    events, at = [], first
    while at < last:
        seconds = rng.uniform(300, 7200)
        status = rng.choice(("afk", "not-afk", "not-afk"))
        events.append(_event(rng, at, round(seconds, 3), {"status": status}))
        at += seconds
    return events


def _tabs(rng: random.Random, first: float, last: float) -> list[dict[str, Any]]:
    events, at = [], first
    while at < last:
        seconds = 0.0 if rng.random() < 0.02 else rng.uniform(1, 1200)
        data = {"url": rng.choice(URLS), "title": rng.choice(("Reddit", "YouTube", "", "Docs")),
                "audible": rng.random() < 0.2, "incognito": rng.random() < 0.05}
        events.append(_event(rng, at, round(seconds, 3), data))
        at += seconds + rng.uniform(0, 600)
    return events


def _phone(rng: random.Random, first: float, last: float) -> list[dict[str, Any]]:
    events, at = [], first
    while at < last:
        seconds = rng.uniform(5, 600)
        package, label = rng.choice((("com.instagram.android", "Instagram"),
                                     ("org.mozilla.firefox", "Firefox")))
        events.append(_event(rng, at, round(seconds, 3), {"package": package, "app": label}))
        at += seconds + rng.uniform(60, 3600)
    return events


def mixed_export(seed: int, first: float, days: int, *, ids: bool = False) -> dict[str, Any]:
    """The ``buckets`` document of ``days`` days from ``first`` (see the module's docstring).

    With ``ids`` each bucket starts with its ``id`` (its key), as aw-server writes it.
    """
    rng = random.Random(seed)
    last = first + days * 86400

    def bucket(bucket_type: str, hostname: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        return {"type": bucket_type, "hostname": hostname, "client": "generated", "events": events}
    return _with_ids({"buckets": {
        "aw-watcher-window_laptop": bucket("currentwindow", "laptop", _windows(rng, first, last)),
        "aw-watcher-afk_laptop": bucket("afkstatus", "laptop", _afk(rng, first, last)),
        "aw-watcher-web-firefox_laptop": bucket("web.tab.current", "laptop",
                                                _tabs(rng, first, last)),
        "aw-watcher-web-chrome": bucket("web.tab.current", "unknown", _tabs(rng, first, last)),
        "aw-watcher-input_laptop": bucket("os.hid.input", "laptop",
                                          [_event(rng, first, 5.0, {"presses": 3})]),
        "aw-watcher-android-test": bucket("currentwindow", "phone", _phone(rng, first, last)),
    }}, ids=ids)


def _with_ids(document: dict[str, Any], *, ids: bool) -> dict[str, Any]:
    """``document`` with each bucket's key as its first field ``id`` (when ``ids``)."""
    if ids:
        document["buckets"] = {key: {"id": key, **bucket} for key, bucket in document["buckets"].items()}
    return document


def write_json(path: Path, document: dict[str, Any]) -> Path:
    """Write ``document`` as JSON."""
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def write_big_export(path: Path, first: float, count: int) -> list[float]:
    """A window bucket of ``count`` back-to-back events (20 to 80 s) from ``first``: starts, then the end."""
    rng = random.Random(22)
    at, total = first, 0
    starts = []
    with path.open("w", encoding="utf-8") as out:
        out.write('{"buckets": {"aw-watcher-window_big": {"id": "aw-watcher-window_big", "created": '
                  '"2020-01-01T00:00:00+00:00", "type": "currentwindow", "client": "aw-watcher-window", '
                  '"hostname": "big", "events": [\n')
        for number in range(count):
            seconds = rng.randrange(20, 81)
            title = f"Tab {number % 5000} of a long and plausible window title — Mozilla Firefox"
            out.write(f'{"," if number else ""}{{"id": {number + 1}, "timestamp": "{stamp(at)}", '
                      f'"duration": {seconds}, "data": {{"app": "firefox", "title": "{title}"}}}}\n')
            starts.append(at)
            at += seconds
            total += seconds
        out.write("]}}}\n")
    return [*starts, at]
