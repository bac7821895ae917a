"""Write ``aw-buckets-export.json``: an ActivityWatch export of our own making, with known totals.

The file has the shape aw-server 0.12 gives ``GET /api/0/export``: a ``currentwindow``
bucket whose events are listed newest first, back to back with short gaps, and an
``afkstatus`` bucket with one not-afk event covering them all. Its truth, which the tests
assert: 275 window events, 9,725 s in all, 2,496 s of them on windows that ActivityWatch's
own "Social Media" rule (``reddit|Facebook|Twitter|Instagram|devRant`` on app or title)
matches, all on 2026-11-27 between 08:00 and 10:47 UTC. Seeded, so running it again
writes the same file: ``python tests/data/activitywatch/make_export.py``.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

EVENTS = 275
TOTAL_S = 9725
SOCIAL_S = 2496
GAPS_S = 270
HOST = "vm"
START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)

SOCIAL_WINDOWS = [
    ("firefox", "reddit: the front page of the internet - Mozilla Firefox"),
    ("firefox", "What is your favourite bridge? : r/AskReddit - Mozilla Firefox"),
    ("Google-chrome", "(4) Facebook - Google Chrome"),
    ("Google-chrome", "Home / Twitter - Google Chrome"),
    ("firefox", "Instagram - Mozilla Firefox"),
]
OTHER_WINDOWS = [
    ("Code", "main.py - project - Visual Studio Code"),
    ("Code", "README.md - project - Visual Studio Code"),
    ("kitty", "~/project: pytest -q"),
    ("Evince", "quarterly-plan.pdf"),
    ("firefox", "Python 3 documentation - Mozilla Firefox"),
    ("firefox", "Weather forecast \U0001f326 \u2014 Mozilla Firefox"),
    ("Thunderbird", "Inbox - Thunderbird"),
]


def _split(total: int, parts: int, rng: random.Random, low: int = 5) -> list[int]:
    """``parts`` whole numbers of at least ``low`` that add up to ``total``."""
    cuts = sorted(rng.sample(range(1, total - parts * low), parts - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total - parts * low], strict=True)]
    return [size + low for size in sizes]


def build(seed: int = 20261127) -> dict[str, object]:
    rng = random.Random(seed)
    social_count = 68
    kinds = [True] * social_count + [False] * (EVENTS - social_count)
    rng.shuffle(kinds)
    kinds[10] = True  # a long Reddit visit for the test that puts an away stretch inside one
    kinds = kinds[:EVENTS]
    social = iter(_split(SOCIAL_S - 40, kinds.count(True) - 1, rng))
    other = iter(_split(TOTAL_S - SOCIAL_S, kinds.count(False), rng))
    gaps = [0] * EVENTS
    for index in rng.choices(range(EVENTS - 1), k=GAPS_S):  # the last event has no gap after it
        gaps[index] += 1
    events = []
    at = START
    for index, is_social in enumerate(kinds):
        if index == 10:
            duration, (app, title) = 40, SOCIAL_WINDOWS[0]
        elif is_social:
            duration, (app, title) = next(social), rng.choice(SOCIAL_WINDOWS)
        else:
            duration, (app, title) = next(other), rng.choice(OTHER_WINDOWS)
        events.append({"id": index + 1, "timestamp": at.isoformat(), "duration": float(duration),
                       "data": {"app": app, "title": title}})
        at += timedelta(seconds=duration + gaps[index])
    span_s = (at - START).total_seconds()
    created = "2026-11-27T07:59:58.123456+00:00"
    return {"buckets": {
        f"aw-watcher-window_{HOST}": {
            "id": f"aw-watcher-window_{HOST}", "created": created, "name": None,
            "type": "currentwindow", "client": "aw-watcher-window", "hostname": HOST, "data": {},
            "events": events[::-1]},
        f"aw-watcher-afk_{HOST}": {
            "id": f"aw-watcher-afk_{HOST}", "created": created, "name": None,
            "type": "afkstatus", "client": "aw-watcher-afk", "hostname": HOST, "data": {},
            "events": [{"id": 1, "timestamp": START.isoformat(), "duration": span_s,
                        "data": {"status": "not-afk"}}]},
    }}


if __name__ == "__main__":
    target = Path(__file__).with_name("aw-buckets-export.json")
    target.write_text(json.dumps(build(), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}")
