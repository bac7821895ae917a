"""A seeded, realistic year of one person's desktop usage, for the benchmarks.

The same seed and end day always give the same usage. A person with a laptop:

- weekdays of about 10 active hours (a work morning and afternoon, an evening at home),
  weekends of 3 to 7, a few days off; breaks of 4 to 25 minutes, lunch and dinner are
  idle gaps (longer than the 3-minute ``idle_after``), nights are off;
- within an active stretch the focus changes every 5 s to 2 min (log-uniform) across a
  few hundred windows and sites: editors, terminals, mail, chat apps, and browser tabs
  titled as browsers write them ("(3) Facebook — Mozilla Firefox", "r/python - Reddit —
  Mozilla Firefox", "… - YouTube - Google Chrome"), a few private windows among them;
- the mix follows the hour and the day: mostly work on weekday daytime, more social and
  video in the evening and at weekends; one activity tends to follow itself (code ↔
  terminal, feed after feed).

Two outputs from the same events:

- ``write_store``: spans straight into a Store, each distinct window classified once with
  ``monitor.tracking.categories.load_rules(settings)`` through ``monitor.tracking.observe.observe`` (the
  daemon's classification and privacy step), the way the daemon would have written them;
- ``write_aw_export``: an ActivityWatch export (``aw-buckets-export.json`` layout) of the
  same days: a ``currentwindow`` bucket whose last event of each stretch runs on through
  the break (the window watcher keeps seeing the window), and an ``afkstatus`` bucket that
  marks the stretches ``not-afk`` and the breaks ``afk``. Window time minus AFK time is
  exactly the spans of ``write_store``.

Command line: ``python benchmarks/generate.py --store year.sqlite3 --aw-export aw.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time as clock
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GENERATOR_VERSION = 1
"""Bump when the generated usage changes, so cached data is made again."""
HOSTNAME = "bench-laptop"
DEFAULT_SEED = 20261127
DEFAULT_DAYS = 365
MIN_FOCUS_S = 5.0
MAX_FOCUS_S = 120.0
STAY_IN_GROUP = 0.6
"""Chance that the next window is of the same activity as the one before."""

FIREFOX = " — Mozilla Firefox"
CHROME = " - Google Chrome"

# --- the windows ------------------------------------------------------------------------------

_PROJECTS = ("unscroll", "billing-api", "dotfiles", "thesis")
_FILES = ("store.py", "daemon.py", "cli.py", "README.md", "settings.py", "test_store.py",
          "pyproject.toml", "models.py", "views.py", "utils.py", "config.toml", "Makefile",
          "main.py", "schema.sql", "conftest.py", "CHANGELOG.md", "api.py", "tasks.py")
_COMMANDS = ("", " — pytest -q", " — git log", " — htop", " — vim notes.md", " — make",
             " — ssh build", " — python")
_GITHUB = ("Pull requests", "Issues", "Actions", "Fix the sampler on Wayland · Pull Request #{n}",
           "Slow month view · Issue #{n}", "Commits", "Release v0.{n}")
_QUESTIONS = (
    "python - How do I sort a dictionary by value?", "sql - SQLite covering index not used",
    "git - How to undo the most recent local commits", "bash - Loop over lines of a file",
    "python - What does the yield keyword do?", "linux - Find which process uses a port",
    "python - Difference between __str__ and __repr__", "regex - Match balanced brackets",
    "css - Center a div vertically", "python - asyncio gather vs wait",
    "sqlite - Upsert with ON CONFLICT", "docker - Copy files from container to host")
_SEARCHES = ("sqlite covering index", "python dataclass slots", "matplotlib stacked bar",
             "xdotool windowactivate", "weather tomorrow", "pizza near me", "flight to lisbon",
             "how long to boil an egg", "python 3.12 release notes", "ssh agent forwarding",
             "train times", "recipe lentil soup", "best headphones 2026", "unix epoch now")
_DOCS = ("sqlite3 — DB-API 2.0 interface for SQLite databases", "datetime — Basic date and time types",
         "re — Regular expression operations", "argparse — Parser for command-line options",
         "subprocess — Subprocess management", "typing — Support for type hints",
         "pathlib — Object-oriented filesystem paths", "logging — Logging facility for Python")
_SUBREDDITS = ("python", "linux", "programming", "AskReddit", "worldnews", "pics", "aww",
               "funny", "todayilearned", "science", "gaming", "movies", "cooking",
               "personalfinance", "learnpython", "unixporn", "dataisbeautiful", "Showerthoughts",
               "mildlyinteresting", "explainlikeimfive", "europe", "soccer", "running", "books")
_POSTS = ("What is your favourite keyboard shortcut?", "I finally quit doom-scrolling",
          "This cat sat on my laptop all day", "TIL SQLite is in every phone",
          "Weekly discussion thread", "What are you working on this week?",
          "My grandmother's recipe", "Rate my setup", "Breaking: storm hits the coast")
_VIDEOS = ("How SQLite works under the hood", "Lofi hip hop radio - beats to relax/study to",
           "10 Python tips you did not know", "The history of the keyboard",
           "Cat compilation 2026", "Why cities look the way they do", "Building a PC in 2026",
           "Beginner yoga - 20 minutes", "Top 10 goals of the season", "Making sourdough bread",
           "The mathematics of juggling", "A day in the life of a lighthouse keeper",
           "Learn Rust in 30 minutes", "Late night talk show highlights", "Urban sketching tips",
           "Train ride through the Alps (4K)", "How to fix a bike puncture",
           "Why you are always tired", "Classic football finals", "Tiny house tour")
_STORIES = ("Show HN: A tiny SQLite browser", "The unreasonable effectiveness of plain text",
            "Why we moved off microservices", "A history of the Unix epoch",
            "Ask HN: How do you limit screen time?", "Launch HN: A keyboard for one hand")
_HEADLINES = ("Storm warning for the coast", "Elections: what the polls say",
              "Markets close higher", "Heatwave expected next week", "New rail line opens")
_PEOPLE = ("Alice", "Bob", "Mum", "Dad", "Sam", "Priya", "Jonas", "Mei", "Family", "Climbing club")
_SONGS = ("Radiohead - Weird Fishes", "Bonobo - Kerala", "Nils Frahm - Says",
          "Khruangbin - Maria También", "Daft Punk - Veridis Quo", "Massive Attack - Teardrop",
          "Nina Simone - Feeling Good", "Bicep - Glue", "Air - La Femme d'Argent")


def catalogue() -> dict[str, list[tuple[str, str]]]:
    """Every window the person uses, as (process name, title), grouped by activity."""
    n = 0

    def number() -> int:
        nonlocal n
        n = n * 7 % 997 + 11
        return n

    groups: dict[str, list[tuple[str, str]]] = {
        "code": [("code", f"{name} - {project} - Visual Studio Code")
                 for project in _PROJECTS for name in _FILES],
        "terminal": [("gnome-terminal-server", f"me@laptop: ~/src/{project}{command}")
                     for project in _PROJECTS for command in _COMMANDS],
        "github": [("firefox", f"{page.format(n=number())} · acme/{project} · GitHub{FIREFOX}")
                   for project in _PROJECTS[:3] for page in _GITHUB],
        "stackoverflow": [("firefox", f"{q} - Stack Overflow{FIREFOX}") for q in _QUESTIONS],
        "search": [("firefox", f"{q} - Google Search{FIREFOX}") for q in _SEARCHES],
        "docs": [("firefox", f"{page} — Python 3.11 documentation{FIREFOX}") for page in _DOCS],
        "mail": [("firefox", f"Inbox ({count}) - me@example.com - Gmail{FIREFOX}")
                 for count in range(0, 25)] + [("thunderbird", "Inbox - Mozilla Thunderbird")],
        "slack": [("slack", f"Slack | #{channel} | Acme")
                  for channel in ("general", "dev", "random", "standup", "incidents", "design")],
        "office": [("firefox", f"{doc} - Google Docs{FIREFOX}")
                   for doc in ("Q3 plan", "Meeting notes", "Thesis draft", "Budget 2026")]
        + [("soffice.bin", f"{doc} - LibreOffice Calc") for doc in ("budget.ods", "hours.ods")],
        "facebook": [("firefox", f"({count}) Facebook{FIREFOX}") for count in range(1, 13)]
        + [("firefox", f"Facebook{FIREFOX}"), ("firefox", f"Marketplace | Facebook{FIREFOX}")],
        "reddit": [("firefox", f"r/{sub} - Reddit{FIREFOX}") for sub in _SUBREDDITS]
        + [("firefox", f"{post} : r/{sub}{FIREFOX}") for sub in _SUBREDDITS[:8] for post in _POSTS[:4]]
        + [("firefox", f"Reddit - Dive into anything{FIREFOX}")],
        "x": [("firefox", f"({count}) Home / X{FIREFOX}") for count in range(1, 9)]
        + [("firefox", f"{who} on X: \"{what}\" / X{FIREFOX}")
           for who in ("Nasa", "Ada", "Linus") for what in ("Big news today", "Thread 🧵")],
        "instagram": [("firefox", f"Instagram{FIREFOX}"), ("chrome", f"Instagram{CHROME}")]
        + [("firefox", f"{who} on Instagram: \"sunset\"{FIREFOX}") for who in _PEOPLE[:5]],
        "linkedin": [("firefox", f"({count}) Feed | LinkedIn{FIREFOX}") for count in range(1, 6)],
        "youtube": [("chrome", f"YouTube{CHROME}")]
        + [("chrome", f"{video} - YouTube{CHROME}") for video in _VIDEOS]
        + [("firefox", f"{video} - YouTube{FIREFOX}") for video in _VIDEOS[:6]],
        "streaming": [("chrome", f"Netflix{CHROME}"), ("chrome", f"Twitch{CHROME}"),
                      ("chrome", f"Home - Twitch{CHROME}")],
        "news": [("firefox", f"Hacker News{FIREFOX}")]
        + [("firefox", f"{story} | Hacker News{FIREFOX}") for story in _STORIES]
        + [("firefox", f"BBC News - Home{FIREFOX}"), ("firefox", f"The Guardian{FIREFOX}")]
        + [("firefox", f"{headline} - BBC News{FIREFOX}") for headline in _HEADLINES],
        "messaging": [("signal-desktop", "Signal"), ("telegram-desktop", "Telegram")]
        + [("telegram-desktop", f"Telegram ({count})") for count in range(1, 6)]
        + [("firefox", f"({count}) WhatsApp{FIREFOX}") for count in range(1, 6)]
        + [("discord", f"#{channel} | Python Discord - Discord")
           for channel in ("general", "help-1", "off-topic")]
        + [("signal-desktop", f"Signal - {who}") for who in _PEOPLE],
        "misc": [("spotify", song) for song in _SONGS]
        + [("nautilus", folder) for folder in ("Downloads", "Documents", "Pictures", "Home")]
        + [("evince", f"{doc}.pdf") for doc in ("invoice-2026-03", "lease", "paper", "manual")]
        + [("firefox", f"Facebook{FIREFOX} Private Browsing"),
           ("firefox", "Mozilla Firefox Private Browsing")],
    }
    return groups


MOODS: dict[str, dict[str, float]] = {
    "work": {"code": 22, "terminal": 14, "github": 6, "stackoverflow": 5, "search": 4, "docs": 4,
             "mail": 5, "slack": 6, "office": 3, "facebook": 4, "reddit": 5, "x": 2, "instagram": 1,
             "linkedin": 1, "youtube": 3, "streaming": 0, "news": 6, "messaging": 6, "misc": 3},
    "evening": {"code": 5, "terminal": 3, "github": 1, "stackoverflow": 1, "search": 4, "docs": 1,
                "mail": 3, "slack": 1, "office": 1, "facebook": 12, "reddit": 12, "x": 5,
                "instagram": 5, "linkedin": 1, "youtube": 18, "streaming": 6, "news": 7,
                "messaging": 11, "misc": 4},
    "weekend": {"code": 3, "terminal": 2, "github": 1, "stackoverflow": 1, "search": 6, "docs": 1,
                "mail": 3, "slack": 0, "office": 2, "facebook": 12, "reddit": 13, "x": 5,
                "instagram": 6, "linkedin": 0, "youtube": 19, "streaming": 7, "news": 8,
                "messaging": 11, "misc": 6},
}


@dataclass
class Usage:
    """Generated usage: windows, focus changes and the active stretches around them."""

    windows: list[tuple[str, str]]
    """(process name, title) per window index."""
    focus: list[tuple[int, int, int]] = field(default_factory=list)
    """(start ms, end ms, window index), in order, back to back within each stretch."""
    stretches: list[tuple[int, int]] = field(default_factory=list)
    """Active (not-AFK) stretches (start ms, end ms); the gaps between them are breaks or nights."""
    first_day: date | None = None
    last_day: date | None = None

    @property
    def active_seconds(self) -> float:
        """All focused time."""
        return sum(end - start for start, end, _ in self.focus) / 1000


def _at(day: date, hours: float, zone: tzinfo) -> int:
    """Unix milliseconds of ``hours`` after local midnight of ``day`` (may run past midnight)."""
    # aware datetime + timedelta is wall-clock arithmetic: local times survive a DST change
    return round((datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=hours)).timestamp() * 1000)


def _plan_day(rng: random.Random, day: date, zone: tzinfo) -> list[tuple[int, int, str]]:
    """The day's active stretches (start ms, end ms, mood)."""
    weekday = day.weekday() < 5
    if rng.random() < 0.05:  # a day off, ill, travelling
        weekday = False
        target_h = rng.uniform(0.5, 3.0)
    elif weekday:
        target_h = min(12.5, max(7.5, rng.gauss(10.0, 0.8)))
    else:
        target_h = min(8.0, max(2.5, rng.gauss(5.0, 1.2)))
    hour = rng.uniform(7.75, 9.25) if weekday else rng.uniform(9.0, 11.5)
    last_hour = 25.75  # 01:45 the next night: well before the 04:00 day start
    plan: list[tuple[int, int, str]] = []
    active_h = 0.0
    lunch = dinner = False
    while active_h < target_h - 0.05 and hour < last_hour:
        length = min(rng.uniform(0.5, 1.8), target_h - active_h, last_hour - hour)
        if weekday and not lunch and hour < 12.5 < hour + length:
            length = max(0.25, 12.5 - hour)
        mood = "work" if weekday and hour < 18.0 else "evening" if weekday else "weekend"
        plan.append((_at(day, hour, zone), _at(day, hour + length, zone), mood))
        active_h += length
        hour += length
        if weekday and not lunch and hour >= 12.0:
            hour += rng.uniform(0.6, 1.2)
            lunch = True
        elif not dinner and hour >= 18.0:
            hour += rng.uniform(1.0, 2.0)
            dinner = True
        else:
            hour += rng.uniform(4, 25) / 60
    return plan


def generate(seed: int = DEFAULT_SEED, days: int = DEFAULT_DAYS, *, last_day: date | None = None,
             zone: tzinfo = UTC) -> Usage:
    """``days`` days of usage ending with ``last_day`` (default: today), from ``seed``."""
    rng = random.Random(seed)
    groups = catalogue()
    windows: list[tuple[str, str]] = []
    members: dict[str, list[int]] = {}
    for name, of_group in groups.items():
        members[name] = list(range(len(windows), len(windows) + len(of_group)))
        windows.extend(of_group)
    end = last_day or date.today()
    first = end - timedelta(days=days - 1)
    usage = Usage(windows=windows, first_day=first, last_day=end)
    moods = {mood: (list(weights), list(weights.values())) for mood, weights in MOODS.items()}
    low, high = math.log(MIN_FOCUS_S * 1000), math.log(MAX_FOCUS_S * 1000)
    focus = usage.focus
    append = focus.append
    uniform = rng.uniform
    rand = rng.random
    current = -1
    group = "code"
    for offset in range(days):
        day = first + timedelta(days=offset)
        for start, stop, mood in _plan_day(rng, day, zone):
            usage.stretches.append((start, stop))
            names, weights = moods[mood]
            moment = start
            while moment < stop:
                if rand() >= STAY_IN_GROUP or current < 0:
                    group = rng.choices(names, weights)[0]
                pool = members[group]
                # popular windows first: a skewed pick, never the same window twice in a row
                index = pool[int(len(pool) * rand() ** 2)]
                if index == current:
                    index = pool[(pool.index(index) + 1) % len(pool)]
                if index == current:
                    continue
                length = round(math.exp(uniform(low, high)))
                finish = min(moment + length, stop)
                append((moment, finish, index))
                moment = finish
                current = index
    return usage


# --- writing ----------------------------------------------------------------------------------

def write_store(usage: Usage, store_path: Path, *, config_file: Path | None = None) -> int:
    """Write the usage as spans into the store at ``store_path``; return how many were written.

    Each distinct window is classified once with the user's rules through the daemon's own
    ``observe`` (classification, private windows, title settings), as the daemon does.
    """
    from monitor.core.paths import Paths  # noqa: PLC0415
    from monitor.core.settings import load_settings  # noqa: PLC0415
    from monitor.store.database import Store  # noqa: PLC0415
    from monitor.tracking.categories import load_rules  # noqa: PLC0415 - keep --help fast
    from monitor.tracking.observe import observe  # noqa: PLC0415
    from monitor.tracking.platforms.base import ActiveWindow  # noqa: PLC0415

    paths = Paths(config_file=config_file or store_path.parent / "config.toml",
                  data_dir=store_path.parent)
    settings = load_settings(paths)
    rules = load_rules(settings)
    observed = [observe(ActiveWindow(app, title, None), rules, settings.tracking)
                for app, title in usage.windows]
    device = settings.tracking.device
    rows = [(start / 1000, end / 1000, o.app, o.title, o.category, o.name, device)
            for start, end, index in usage.focus if (o := observed[index]) is not None]
    with Store(store_path) as store, store.transaction() as connection:
        connection.executemany(
            "INSERT INTO spans (start_utc, end_utc, app, title, category, name, device) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _stamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="microseconds")


def aw_events(usage: Usage) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The window and AFK events ActivityWatch's watchers would have recorded for ``usage``.

    The window watcher keeps reporting the last window through a break, so the last event of
    each stretch runs on until the next stretch of the same day; the AFK watcher marks the
    stretches ``not-afk`` and those breaks ``afk``.
    """
    stretch_end = {stop for _, stop in usage.stretches}
    next_start: dict[int, int] = {}
    for (_, stop), (start, _) in zip(usage.stretches, usage.stretches[1:], strict=False):
        if start - stop < 6 * 3600 * 1000:  # a break in the same day, not the night
            next_start[stop] = start
    windows: list[dict[str, object]] = []
    for number, (start, end, index) in enumerate(usage.focus, 1):
        if end in stretch_end:
            end = next_start.get(end, end)
        app, title = usage.windows[index]
        windows.append({"id": number, "timestamp": _stamp(start), "duration": (end - start) / 1000,
                        "data": {"app": app, "title": title}})
    afk: list[dict[str, object]] = []
    for start, stop in usage.stretches:
        afk.append({"timestamp": _stamp(start), "duration": (stop - start) / 1000,
                    "data": {"status": "not-afk"}})
        if stop in next_start:
            afk.append({"timestamp": _stamp(stop), "duration": (next_start[stop] - stop) / 1000,
                        "data": {"status": "afk"}})
    for number, event in enumerate(afk, len(windows) + 1):
        event["id"] = number
    return windows, afk


def aw_buckets(usage: Usage, hostname: str = HOSTNAME) -> dict[str, dict[str, object]]:
    """The ``buckets`` object of an export (also the body aw-server's import API takes)."""
    windows, afk = aw_events(usage)
    created = _stamp(usage.focus[0][0]) if usage.focus else _stamp(0)
    return {
        f"aw-watcher-window_{hostname}": {
            "id": f"aw-watcher-window_{hostname}", "created": created, "name": None,
            "type": "currentwindow", "client": "aw-watcher-window", "hostname": hostname,
            "data": {}, "events": windows},
        f"aw-watcher-afk_{hostname}": {
            "id": f"aw-watcher-afk_{hostname}", "created": created, "name": None,
            "type": "afkstatus", "client": "aw-watcher-afk", "hostname": hostname,
            "data": {}, "events": afk},
    }


def write_aw_export(usage: Usage, path: Path, hostname: str = HOSTNAME) -> int:
    """Write ``usage`` as an ActivityWatch export at ``path``; return the number of events."""
    buckets = aw_buckets(usage, hostname)
    with path.open("w", encoding="utf-8") as handle:
        json.dump({"buckets": buckets}, handle, ensure_ascii=False)
    return sum(len(events) for bucket in buckets.values() if isinstance(events := bucket["events"], list))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    parser.add_argument("--last-day", type=date.fromisoformat, default=None,
                        help="the last generated day, YYYY-MM-DD (default: today)")
    parser.add_argument("--store", type=Path, help="write spans into this SQLite store")
    parser.add_argument("--config", type=Path, help="config.toml whose rules classify (default: none)")
    parser.add_argument("--aw-export", type=Path, help="write an ActivityWatch export here")
    args = parser.parse_args(argv)
    from monitor.core.days import local_zone  # noqa: PLC0415

    began = clock.perf_counter()
    usage = generate(args.seed, args.days, last_day=args.last_day, zone=local_zone())
    print(f"{len(usage.focus)} focus changes over {args.days} days, "
          f"{usage.active_seconds / 3600:.0f} active hours, {len(usage.windows)} windows "
          f"({clock.perf_counter() - began:.1f} s)")
    if args.store:
        count = write_store(usage, args.store, config_file=args.config)
        print(f"{count} spans written to {args.store}")
    if args.aw_export:
        count = write_aw_export(usage, args.aw_export)
        print(f"{count} events written to {args.aw_export}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
