"""What ``unscroll forget`` forgot stays forgotten: its record keeps an import from bringing it back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from monitor.core.days import day_of, day_start, local_zone
from monitor.history.activitywatch import import_activitywatch
from monitor.history.forget import Selection, forget, title_pattern
from monitor.store.forgetting import Forgotten, forgotten_since
from tests.history.test_activitywatch import BERLIN, CORPUS, bucket, event, instant, span_rows, write_export

CORPUS_DAY = date(2026, 11, 27)  # every event of the corpus falls in it (day start 04:00, Berlin)
STARTS_AT = time(4)
AFTER_CORPUS = instant("2026-12-31T00:00:00+00:00")


def corpus_day() -> Selection:
    return Selection(since_utc=day_start(CORPUS_DAY, STARTS_AT, BERLIN),
                     until_utc=day_start(CORPUS_DAY + timedelta(days=1), STARTS_AT, BERLIN))


def test_a_reimport_after_forgetting_the_day_brings_none_of_it_back(settings, store):
    first = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    forgot = forget(store, corpus_day(), now=AFTER_CORPUS)
    assert forgot.spans == first.spans_added == 275
    second = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    assert span_rows(store) == []
    assert (second.spans_added, second.spans_already_there) == (0, 0)
    assert second.forgotten_seconds == pytest.approx(forgot.seconds)
    assert second.forgotten_seconds == pytest.approx(first.seconds_added)


def test_forgetting_one_title_leaves_only_that_title_out_of_a_reimport(settings, store):
    first = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    forgot = forget(store, Selection(title=title_pattern("reddit")), now=AFTER_CORPUS)
    assert 0 < forgot.spans < 275
    kept = span_rows(store)
    second = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    assert span_rows(store) == kept
    assert not [row for row in kept if re.search("reddit", row[3], re.IGNORECASE)]
    assert second.spans_already_there == first.spans_added - forgot.spans
    assert second.forgotten_seconds == pytest.approx(forgot.seconds)


def test_an_app_forgotten_before_its_history_arrives_is_never_stored(settings, store):
    """A record made with nothing stored yet (as a synced device will find it) holds for the import."""
    forget(store, Selection(app="FireFox"), now=AFTER_CORPUS)
    report = import_activitywatch(store, CORPUS, settings, zone=BERLIN)
    apps = {row[2] for row in span_rows(store)}
    assert "firefox" not in {app.casefold() for app in apps}
    assert apps  # the other apps came in
    assert report.forgotten_seconds > 0


def test_an_event_across_the_moment_of_the_forget_keeps_its_later_part(settings, store, tmp_path):
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-window_laptop": bucket("currentwindow", [
            event("2026-03-24T09:00:00+00:00", 7200, app="code", title="notes.md")])})
    moment = instant("2026-03-24T10:00:00+00:00")
    day = Selection(since_utc=day_start(date(2026, 3, 24), STARTS_AT, BERLIN),
                    until_utc=day_start(date(2026, 3, 25), STARTS_AT, BERLIN))
    forget(store, day, now=moment)
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    assert [(row[0], row[1]) for row in span_rows(store)] == [(moment, moment + 3600)]
    assert report.forgotten_seconds == pytest.approx(3600)
    again = import_activitywatch(store, path, settings, zone=BERLIN)
    assert (again.spans_added, again.spans_already_there) == (0, 1)


def test_the_record_holds_the_period_up_to_the_forget_and_its_filters(store):
    since = day_start(CORPUS_DAY, STARTS_AT, BERLIN)
    selection = Selection(since_utc=since, until_utc=since + 86_400, app=" Firefox ",
                          title=title_pattern("bank|salary"))
    result = forget(store, selection, now=since + 3600)
    expected = Forgotten(since, since + 3600, "Firefox", "bank|salary", since + 3600)
    assert result.record == expected
    assert forgotten_since(store) == [expected]
    ahead = forget(store, Selection(since_utc=since + 2 * 86_400), now=since + 3600)
    assert ahead.record is None  # nothing of a period still ahead has been counted
    assert forgotten_since(store) == [expected]
    assert forgotten_since(store, since + 3600) == []


@pytest.mark.parametrize(("record", "app", "title", "applies"), [
    (Forgotten(0, 1, "Firefox", "bank", 1), "firefox", "My BANK account", True),
    (Forgotten(0, 1, "Firefox", "bank", 1), "firefox", None, False),
    (Forgotten(0, 1, "Firefox", "bank", 1), "chromium", "bank", False),
    (Forgotten(0, 1, None, None, 1), "anything", None, True),
    (Forgotten(0, 1, None, "(unclosed", 1), "anything", "(unclosed", False),
])
def test_a_record_applies_as_the_forget_chose(record, app, title, applies):
    assert record.applies_to(app, title) is applies


def test_the_import_command_says_how_much_it_left_out(run, user_paths, tmp_path):
    # "yesterday" as the commands read it: the day before today, whose start is 04:00 local
    yesterday = day_of(datetime.now(UTC).timestamp(), time(4), local_zone()) - timedelta(days=1)
    ten = datetime.combine(yesterday, time(10), tzinfo=local_zone()).astimezone(UTC)
    path = write_export(tmp_path / "aw.json", {
        "aw-watcher-window_laptop": bucket("currentwindow", [
            event(ten.isoformat(), 2700, app="firefox", title="Facebook"),
            event((ten + timedelta(minutes=45)).isoformat(), 900, app="code", title="notes.md")])})
    code, out, err = run("import", "activitywatch", str(path))
    assert code == 0, err
    assert "Added 2 spans (1 h 00 m)" in out
    code, out, err = run("forget", "--since", "yesterday", "--until", "yesterday", "--yes")
    assert code == 0, err
    assert "Forgot 2 spans (1 h 00 m)" in out
    code, out, err = run("import", "activitywatch", str(path))
    assert code == 0, err
    assert "Added 0 spans (0 s); 0 were already imported." in out
    assert "Skipped 1 h 00 m you had forgotten (unscroll forget)." in out
