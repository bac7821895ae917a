"""Importing ActivityWatch exports: the real aw-server export, AFK, web and Android buckets, bad files."""

from __future__ import annotations

import gc
import json
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.core.errors import InputError
from monitor.history.activitywatch import SOURCE, import_activitywatch
from monitor.history.aw_format import AwEvent, load_json, read_export
from monitor.history.intervals import kept_outside, lasts_to_another_millisecond
from monitor.store.database import Store
from monitor.tracking.categories import load_rules
from reports.week import week_report
from reports.weeks import week_containing

# an export of our own making with known totals (tests/data/activitywatch/make_export.py)
CORPUS = Path(__file__).resolve().parents[1] / "data" / "activitywatch" / "aw-buckets-export.json"
WINDOW_BUCKET = "aw-watcher-window_vm"
# ActivityWatch's own "Media > Social Media" rule, which issue 5 defines social by
SOCIAL = re.compile(r"reddit|facebook|twitter|instagram|devrant", re.IGNORECASE)
UTC_ZONE = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")


def instant(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def span_rows(store: Store) -> list[tuple]:
    return [tuple(row) for row in store.connection.execute(
        "SELECT start_utc, end_utc, app, title, category, name, device, source, origin "
        "FROM spans ORDER BY id")]


def write_export(path: Path, buckets: dict) -> Path:
    path.write_text(json.dumps({"buckets": buckets}), encoding="utf-8")
    return path


def bucket(bucket_type: str, events: list[dict], hostname: str = "laptop", **extra) -> dict:
    return {"type": bucket_type, "hostname": hostname, "client": "test", "events": events, **extra}


def event(timestamp: str, duration: float, **data) -> dict:
    return {"timestamp": timestamp, "duration": duration, "data": data}


# --- the real export from aw-server 0.12.0 --------------------------------------------------
def corpus_window_events() -> list[dict]:
    return json.loads(CORPUS.read_text(encoding="utf-8"))["buckets"][WINDOW_BUCKET]["events"]


def test_corpus_social_total_equals_the_files_reddit_and_twitter_time(settings, store):
    events = corpus_window_events()
    expected = sum(e["duration"] for e in events
                   if SOCIAL.search(e["data"]["app"]) or SOCIAL.search(e["data"]["title"]))
    assert expected == 2496  # as make_export.py built it
    rules = load_rules(settings)
    reddit = "reddit: the front page of the internet - Mozilla Firefox"
    if rules.classify("firefox", reddit).category != "social":
        pytest.fail("the category rules do not classify Reddit as social yet (the categories work "
                    "ships them); this test passes once they do")
    report = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    assert report.spans_added == len(events) == 275
    assert report.away_seconds == 0  # the AFK bucket is one not-afk event covering every window event
    week = week_containing(date(2026, 11, 27))
    summary = week_report(store, week, starts_at=settings.day_starts_at, zone=BERLIN,
                          budgets=settings.budgets, now=instant("2026-12-31T00:00:00+00:00"))
    assert summary.headline.social_seconds == expected  # to the second
    assert summary.headline.total_seconds == sum(e["duration"] for e in events) == 9725


def test_corpus_windows_land_in_the_categories_the_rules_give(settings, store):
    rules = load_rules(settings)
    expected: dict[str, float] = {}
    for e in corpus_window_events():
        category = rules.classify(e["data"]["app"], e["data"]["title"]).category
        expected[category] = expected.get(category, 0.0) + e["duration"]
    import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    stored = {row[0]: row[1] for row in store.connection.execute(
        "SELECT category, SUM(end_utc - start_utc) FROM spans GROUP BY category")}
    assert stored == expected
    assert {row[0] for row in store.connection.execute("SELECT DISTINCT source FROM spans")} == {SOURCE}
    assert {row[0] for row in store.connection.execute("SELECT DISTINCT device FROM spans")} == {"vm"}


def test_a_second_import_adds_nothing(settings, store):
    first = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    before = span_rows(store)
    second = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    assert first.spans_added == 275
    assert second.spans_added == 0
    assert second.spans_already_there == 275
    assert second.seconds_added == 0
    assert span_rows(store) == before


def test_afk_time_in_the_corpus_would_be_left_out(settings, store, tmp_path):
    """How AFK overlaps interact with the social total: away time inside a Reddit event is cut."""
    document = json.loads(CORPUS.read_text(encoding="utf-8"))
    reddit = next(e for e in document["buckets"][WINDOW_BUCKET]["events"]
                  if "reddit" in e["data"]["title"] and e["duration"] >= 20)
    start = instant(reddit["timestamp"])
    away_from = datetime.fromtimestamp(start + 5, UTC).isoformat()
    document["buckets"]["aw-watcher-afk_vm"]["events"].append(
        {"timestamp": away_from, "duration": 10.0, "data": {"status": "afk"}})
    edited = tmp_path / "with-afk.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    report = import_activitywatch(store, edited, settings, zone=BERLIN)
    assert report.away_seconds == 10
    social = store.connection.execute("SELECT SUM(end_utc - start_utc) FROM spans WHERE category = 'social'")
    assert social.fetchone()[0] == 2496 - 10


# --- synthetic exports: AFK, web, Android, days, privacy --------------------------------------
def test_afk_cuts_window_events_of_the_same_host_only(settings, store, tmp_path):
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-window_laptop": bucket("currentwindow", [
            event("2026-03-24T10:00:00+00:00", 600, app="code", title="a.py - VS Code")]),
        "aw-watcher-afk_laptop": bucket("afkstatus", [
            event("2026-03-24T10:02:00+00:00", 120, status="afk"),
            event("2026-03-24T10:04:00+00:00", 60, status="not-afk")]),
        "aw-watcher-window_desk": bucket("currentwindow", [
            event("2026-03-24T10:00:00+00:00", 300, app="code", title="b.py - VS Code")], hostname="desk"),
    })
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    rows = [(row[0], row[1], row[6]) for row in span_rows(store)]
    t0 = instant("2026-03-24T10:00:00+00:00")
    assert sorted(rows) == sorted([(t0, t0 + 120, "laptop"), (t0 + 240, t0 + 600, "laptop"),
                                   (t0, t0 + 300, "desk")])
    assert report.away_seconds == 120
    assert report.devices == ("desk", "laptop")


def test_web_tabs_replace_their_browser_window_and_incognito_is_never_stored(settings, store, tmp_path):
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-window_laptop": bucket("currentwindow", [
            event("2026-03-24T10:00:00+00:00", 300, app="firefox", title="Mozilla Firefox"),
            event("2026-03-24T10:05:00+00:00", 100, app="code", title="a.py - VS Code"),
            event("2026-03-24T10:06:40+00:00", 60, app="firefox", title="Mozilla Firefox Private Browsing")]),
        "aw-watcher-web-firefox_laptop": bucket("web.tab.current", [
            event("2026-03-24T10:01:00+00:00", 120, url="https://www.reddit.com/r/python", title="r/Python",
                  audible=False, incognito=False, tabCount=3),
            event("2026-03-24T10:05:00+00:00", 100, url="https://www.youtube.com/", title="YouTube",
                  audible=True, incognito=False),   # the browser was not in front: left out
            event("2026-03-24T10:06:40+00:00", 60, url="https://secret.example/", title="Secret",
                  incognito=True)]),
    })
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    t0 = instant("2026-03-24T10:00:00+00:00")
    rows = [(row[0] - t0, row[1] - t0, row[2], row[3]) for row in span_rows(store)]
    assert sorted(rows) == [
        (0, 60, "firefox", "Mozilla Firefox"),
        (60, 180, "firefox", "r/Python — www.reddit.com"),
        (180, 300, "firefox", "Mozilla Firefox"),
        (300, 400, "code", "a.py - VS Code"),
        (400, 460, "firefox", None),   # a private window: time counted, title never stored
    ]
    assert report.skipped == {"incognito tabs (never stored)": 1}
    assert report.background_tab_seconds == 100  # the YouTube tab behind VS Code
    assert "secret" not in json.dumps(span_rows(store)).lower()
    [tab] = [row for row in span_rows(store) if row[3] == "r/Python — www.reddit.com"]
    assert (tab[4], tab[5]) == ("social", "Reddit")  # the host helps the rules


def test_tabs_of_two_browsers_without_a_window_watcher_are_counted_once(settings, store, tmp_path):
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-web-chrome_laptop": bucket("web.tab.current", [
            event("2026-03-24T10:03:00+00:00", 300, url="https://news.ycombinator.com/", title="HN")]),
        "aw-watcher-web-firefox_laptop": bucket("web.tab.current", [
            event("2026-03-24T10:00:00+00:00", 300, url="https://www.reddit.com/", title="Reddit")]),
    })
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    t0 = instant("2026-03-24T10:00:00+00:00")
    assert [(row[0] - t0, row[1] - t0, row[2]) for row in span_rows(store)] == [
        (0, 300, "firefox"), (300, 480, "chrome")]
    assert report.seconds_added == 480
    assert (report.first_utc, report.last_utc) == (t0, t0 + 480)


def test_android_package_names_are_the_app(settings, store, tmp_path):
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-android-test": bucket("currentwindow", [
            event("2026-03-24T18:00:00.250Z", 90.5, app="Instagram", package="com.instagram.android",
                  classname="com.instagram.mainactivity.MainActivity"),
            event("2026-03-24T18:02:00Z", 30, app="Signal", package="org.thoughtcrime.securesms")],
            hostname="Pixel 7"),
        "aw-watcher-android-unlock": bucket("os.lockscreen.unlocks", [
            event("2026-03-24T17:59:59Z", 0)], hostname="Pixel 7"),
    })
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    rows = span_rows(store)
    assert [(row[2], row[3], row[6]) for row in rows] == [
        ("com.instagram.android", "Instagram", "Pixel 7"),
        ("org.thoughtcrime.securesms", "Signal", "Pixel 7")]
    assert rows[0][1] - rows[0][0] == pytest.approx(90.5)
    assert report.skipped == {"os.lockscreen.unlocks events (not screen time)": 1}
    assert [(row[4], row[5]) for row in rows] == [("social", "Instagram"), ("messaging", "Signal")]


def test_spans_are_split_at_the_day_start_and_the_device_can_be_named(settings, store, tmp_path):
    # 03:30 to 04:30 Berlin (CET, UTC+1) on Tuesday 24 March: half Monday's, half Tuesday's
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-window_unknown": bucket("currentwindow", [
            event("2026-03-24T02:30:00+00:00", 3600, app="xterm", title="bash")], hostname="unknown")})
    import_activitywatch(store, path, settings, zone=BERLIN, device="old-laptop")
    rows = span_rows(store)
    boundary = instant("2026-03-24T03:00:00+00:00")
    assert [(row[0], row[1]) for row in rows] == [(boundary - 1800, boundary), (boundary, boundary + 1800)]
    assert {row[6] for row in rows} == {"old-laptop"}
    assert len({row[8] for row in rows}) == 2
    store.connection.execute("DELETE FROM spans")
    import_activitywatch(store, path, settings, zone=BERLIN)
    assert {row[6] for row in span_rows(store)} == {"this-laptop"}  # "unknown" host: this device


def test_overlapping_events_are_trimmed_and_zero_length_ones_skipped(settings, store, tmp_path):
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-window_laptop": bucket("currentwindow", [
            event("2026-03-24T10:00:00+00:00", 100, app="code", title="a"),
            event("2026-03-24T10:01:00+00:00", 100, app="xterm", title="b"),
            event("2026-03-24T10:05:00+00:00", 0, app="xterm", title="c")])})
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    t0 = instant("2026-03-24T10:00:00+00:00")
    kept = [(row[0] - t0, row[1] - t0, row[3]) for row in span_rows(store)]
    assert kept == [(0, 100, "a"), (100, 160, "b")]
    assert report.skipped == {"events of zero length": 1}


# --- bad input: a clear error and nothing stored ----------------------------------------------
BAD_EVENTS = [
    (event("2026-03-24T10:00:00+00:00", -3, app="a", title="t"), "duration is -3"),
    (event("2026-03-24T10:00:00+00:00", "10", app="a", title="t"), "duration is '10'"),
    (event("2026-03-24T10:00:00+00:00", float("nan"), app="a", title="t"), "duration is nan"),
    (event("yesterday", 10, app="a", title="t"), "timestamp 'yesterday'"),
    (event("2026-03-24T10:00:00+00:00", 10, title="t"), "data.app is missing"),
    (event("2026-03-24T10:00:00+00:00", 10, app="a"), "data.title is missing"),
    (event("2026-03-24T10:00:00+00:00", 10, app=5, title="t"), "data.app is 5"),
    ({"timestamp": "2026-03-24T10:00:00+00:00", "data": {"app": "a", "title": "t"}}, "has no 'duration'"),
    ({"duration": 1, "data": {}}, "has no 'timestamp'"),
    ("not an event", "is not an object"),
    (event("1970-01-01T00:00:00+00:00", 10, app="a", title="t"), "outside the years"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_EVENTS)
def test_a_bad_event_refuses_the_file_and_stores_nothing(settings, store, tmp_path, bad, message):
    store.insert_span(1.7e9, 1.7e9 + 60, "xterm", "kept", "work", "kept", "this-laptop")
    before = span_rows(store)
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-window_laptop": bucket("currentwindow", [
            event("2026-03-24T09:00:00+00:00", 10, app="good", title="first"), bad])})
    with pytest.raises(InputError) as caught:
        import_activitywatch(store, path, settings, zone=BERLIN)
    text = str(caught.value)
    assert str(path) in text
    assert "aw-watcher-window_laptop" in text
    assert "event 2" in text
    assert message in text
    assert span_rows(store) == before


@pytest.mark.parametrize(("content", "message"), [
    ('{"buckets": {"aw-watcher-window_x": {"type": "currentwindow", "events": [', "cut short"),
    ("[1, 2, 3]", "no \"buckets\" object"),
    ('{"spans": []}', "no \"buckets\" object"),
    ('{"buckets": {"b": {"type": "currentwindow"}}}', "no \"events\" list"),
    ('{"buckets": {"b": {"events": []}}}', "has no \"type\""),
    ('{"buckets": {"b": []}}', "is not an object"),
    ("", "not valid JSON"),
    ("[" * 100000, "nested too deeply"),
])
def test_files_that_are_not_activitywatch_exports(settings, store, tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        import_activitywatch(store, path, settings, zone=BERLIN)
    assert span_rows(store) == []


EMOJI_TITLE = json.dumps({"buckets": {"b": bucket("currentwindow", [
    event("2026-03-24T10:00:00+00:00", 1, app="a", title="caf\u00e9 \U0001f9f5 \u2014 x"),
])}}, ensure_ascii=False)


@pytest.mark.parametrize("raw", [
    EMOJI_TITLE.encode("utf-8"),
    EMOJI_TITLE.encode("utf-8-sig"),
    EMOJI_TITLE.encode("utf-16"),
    b'{"buckets": {}, "n": NaN, "lone": "\\ud800"}',
    b'{"a": 1, "a": 2, "escaped": "caf\\u00e9", "ids": [9223372036854775807, -9223372036854775808]}',
], ids=["utf-8", "utf-8 with BOM", "utf-16", "beyond orjson", "repeated key, escapes, 64-bit ids"])
def test_the_reader_reads_what_the_standard_library_reads(tmp_path, raw):
    path = tmp_path / "aw.json"
    path.write_bytes(raw)
    assert repr(load_json(path)) == repr(json.loads(raw))


def test_a_file_that_is_not_utf8_is_refused_with_its_name(settings, store, tmp_path):
    path = tmp_path / "aw.json"
    path.write_bytes(EMOJI_TITLE.replace("\U0001f9f5 \u2014 ", "").encode("latin-1"))
    with pytest.raises(InputError, match=r"aw\.json: not JSON text \(not UTF-8\)"):
        import_activitywatch(store, path, settings, zone=BERLIN)


def test_a_truncated_corpus_file_is_refused(settings, store, tmp_path):
    raw = CORPUS.read_bytes()
    path = tmp_path / "cut.json"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError, match="cut short"):
        import_activitywatch(store, path, settings, zone=BERLIN)
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="not"):
        import_activitywatch(store, tmp_path / "binary.json", settings, zone=BERLIN)
    assert span_rows(store) == []


def test_spans_already_stored_are_skipped_one_by_one_inside_a_statement(settings, store, monkeypatch):
    from monitor.history import activitywatch

    import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    everything = span_rows(store)
    store.connection.execute("DELETE FROM spans WHERE id % 3 = 0")
    store.connection.commit()
    monkeypatch.setattr(activitywatch, "ROWS_PER_STATEMENT", 7)
    monkeypatch.setattr(activitywatch, "CHUNK", 50)
    report = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    assert report.spans_added == 275 // 3
    assert report.spans_already_there == 275 - 275 // 3
    assert sorted(span_rows(store)) == sorted(everything)


def test_a_failure_while_storing_rolls_everything_back(settings, store, tmp_path, monkeypatch):
    from monitor.history import activitywatch

    monkeypatch.setattr(activitywatch, "CHUNK", 100)
    calls = []

    def progress(stage, done, total):
        calls.append((stage, done, total))
        if stage == "storing" and done >= 200:
            raise KeyboardInterrupt  # the user pressed Ctrl-C half way
    with pytest.raises(KeyboardInterrupt):
        import_activitywatch(store, CORPUS, settings, zone=BERLIN, progress=progress)
    assert ("storing", 100, 275) in calls
    assert span_rows(store) == []
    assert gc.isenabled()  # the import pauses the cyclic collector, and resumes it on the way out
    assert import_activitywatch(store, CORPUS, settings, zone=BERLIN).spans_added == 275


def test_the_reader_reports_bucket_kinds(tmp_path):
    buckets = read_export(CORPUS)
    assert [(b.id, b.kind, len(b.events)) for b in buckets] == [
        (WINDOW_BUCKET, "window", 275), ("aw-watcher-afk_vm", "afk", 1)]


WHEN = "2026-03-24T10:00:00+00:00"
AT = instant(WHEN)


@pytest.mark.parametrize(("raw", "expected"), [
    # the common shapes, read inline
    ({"id": 7, "timestamp": WHEN, "duration": 2.5, "data": {"app": "a", "title": "t"}},
     AwEvent(AT, AT + 2.5, "7", "a", "t")),
    ({"id": "x7", "timestamp": WHEN, "duration": 3, "data": {"app": "a", "title": "t", "url": "u"}},
     AwEvent(AT, AT + 3, "x7", "a", "t")),
    ({"timestamp": WHEN, "duration": 0, "data": {"app": "a", "title": ""}},
     AwEvent(AT, AT, WHEN, "a", "")),
    # the unusual ones, read by the checked path
    ({"timestamp": "2026-03-24T10:00:00", "duration": 1, "data": {"app": "a", "title": "t"}},
     AwEvent(AT, AT + 1, "2026-03-24T10:00:00", "a", "t")),
    ({"id": True, "timestamp": WHEN, "duration": 1, "data": {"app": "a", "title": "t"}},
     AwEvent(AT, AT + 1, WHEN, "a", "t")),
    ({"id": 7.0, "timestamp": WHEN, "duration": 1, "data": {"app": "a", "title": "t"}},
     AwEvent(AT, AT + 1, WHEN, "a", "t")),
])
def test_window_events_read_the_same_on_the_fast_and_the_checked_path(tmp_path, raw, expected):
    path = write_export(tmp_path / "aw.json", {"aw-watcher-window_laptop": bucket("currentwindow", [raw])})
    [window] = read_export(path)
    assert window.events == [expected]
    assert type(window.events[0]) is AwEvent

def test_a_batch_checked_as_plain_fields_is_what_the_events_hold_and_names_the_first_bad_one(tmp_path):
    # the streaming import keeps each event as the plain tuple of its fields (marshal writes no other)
    from monitor.history.aw_format import Where, checked_events, checked_fields

    usual = {"id": 7, "timestamp": WHEN, "duration": 2.5, "data": {"app": "a", "title": "t"}}
    naive = {"id": 8, "timestamp": "2026-03-24T10:00:00", "duration": 1, "data": {"app": "a", "title": "t"}}
    phone = {"id": 9, "timestamp": WHEN, "duration": 1, "data": {"package": "org.app", "app": "App"}}
    batch = [usual, naive, phone, usual]
    where = Where(tmp_path / "aw.json")
    fields = checked_fields(batch, "window", where, "b", first=10)
    assert fields == [tuple(event) for event in checked_events(batch, "window", where, "b")]
    assert {type(row) for row in fields} == {tuple}
    no_time = {"id": 10, "duration": 1, "data": {"app": "a", "title": "t"}}
    with pytest.raises(InputError, match=r"bucket 'b', event 14: has no 'timestamp'"):
        checked_fields([usual, naive, phone, no_time, {"duration": "x"}], "window", where, "b", first=10)
    assert checked_fields([{"timestamp": WHEN, "duration": 1, "data": {"status": "afk"}}], "afk", where,
                          "b") == [(AT, AT + 1, WHEN, "", None, "", True, False, False)]


def test_a_windows_events_share_one_copy_of_its_app_and_title(tmp_path):
    # so the scratch file of a streamed import writes each once per batch, and reads it back once
    raw = [{"id": n, "timestamp": WHEN, "duration": 1, "data": {"app": "kitty", "title": "~/src — vim"}}
           for n in range(2)]
    path = write_export(tmp_path / "aw.json", {"aw-watcher-window_laptop": bucket("currentwindow", raw)})
    [window] = read_export(path)
    first, second = window.events
    assert (first.app, first.title) == ("kitty", "~/src — vim")
    assert first.app is second.app
    assert first.title is second.title


# --- the command ----------------------------------------------------------------------------
def test_import_command_reports_and_is_idempotent(user_paths, settings, tmp_path):
    copy = tmp_path / "aw-buckets-export.json"
    shutil.copy(CORPUS, copy)
    runner = CliRunner()
    first = runner.invoke(cli, ["import", "activitywatch", str(copy)])
    assert first.exit_code == 0, first.output
    assert "276 events in 2 bucket(s) read" in first.output
    assert "Added 275 spans (2 h 42 m) for vm; 0 were already imported." in first.output
    second = runner.invoke(cli, ["import", "activitywatch", str(copy), "--device", "vm"])
    assert "Added 0 spans (0 s) for vm; 275 were already imported." in second.output


def test_import_command_error_is_one_line(user_paths, settings, tmp_path):
    import subprocess
    import sys

    path = tmp_path / "notes.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "monitor", "import", "activitywatch", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"unscroll: {path}: not an ActivityWatch export")


def test_a_sliver_left_by_away_time_never_hides_the_next_event(settings, store, tmp_path):
    # away time ends 0.4 ms after the first event starts: the sliver left over must not take
    # the origin of the second event, which starts in that same millisecond
    export = write_export(tmp_path / "sliver.json", {
        "aw-watcher-window_laptop": bucket("currentwindow", [
            {**event("2026-03-10T10:00:00.000000+00:00", 0.0004, app="xterm", title="a"), "id": 1},
            {**event("2026-03-10T10:00:00.000400+00:00", 60.0, app="code", title="b"), "id": 2},
        ]),
        "aw-watcher-afk_laptop": bucket("afkstatus", [
            {**event("2026-03-10T09:59:00+00:00", 60.0002, status="afk"), "id": 3},
            {**event("2026-03-10T10:00:00.0002+00:00", 120.0, status="not-afk"), "id": 4},
        ]),
    })
    import_activitywatch(store, export, settings)
    rows = span_rows(store)
    assert [row[2] for row in rows] == ["code"]
    assert rows[0][1] - rows[0][0] == pytest.approx(60.0)


def test_an_event_of_a_millisecond_is_kept_though_its_length_rounds_under_one(settings, store, tmp_path):
    when = "2023-09-28T08:17:41.658000+00:00"
    start = instant(when)
    assert (start + 0.001) - start < 0.001  # floating point: 0.00099993 s
    export = write_export(tmp_path / "one-ms.json", {
        "aw-watcher-window_laptop": bucket("currentwindow", [
            {**event(when, 0.001, app="htop", title="htop"), "id": 1},
            {**event("2023-09-28T08:17:41.659000+00:00", 5.0, app="code", title="b"), "id": 2},
        ]),
    })
    assert import_activitywatch(store, export, settings).spans_added == 2
    assert [row[2] for row in span_rows(store)] == ["htop", "code"]


@pytest.mark.parametrize(("start", "end", "kept"), [
    (1695889061.658, 1695889061.658 + 0.001, True),  # a millisecond, 0.00099993 s in floating point
    (100.0002, 100.0004, False),  # a sliver within one millisecond
    (100.0004, 100.0006, True),  # a sliver across a millisecond's rounding: its origin is its own
    (100.0, 100.0011, True),
    (100.0, 100.0, False),
])
def test_a_piece_is_kept_when_it_ends_in_another_millisecond_than_it_starts(start, end, kept):
    assert lasts_to_another_millisecond(start, end) is kept


def test_what_is_kept_around_forgotten_time_leaves_out_the_slivers():
    # the three importers (ActivityWatch, unscroll exports, sync) keep a span's parts so
    holes = [(10.0, 20.0), (30.0, 99.9999)]
    assert kept_outside(0.0, 100.0, holes) == [(0.0, 10.0), (20.0, 30.0)]  # 0.1 ms left at the end: dropped
    assert kept_outside(0.0, 100.0, []) == [(0.0, 100.0)]
    assert kept_outside(15.0, 18.0, holes) == []
