"""The streaming ActivityWatch import stores exactly the rows of the whole file's plan, all or nothing."""

from __future__ import annotations

import json
import stat
from datetime import datetime
from pathlib import Path

import pytest

from monitor.core.errors import InputError
from monitor.history import activitywatch, aw_stream
from monitor.history.activitywatch import ImportReport, import_activitywatch, plan_rows
from monitor.history.aw_format import read_export
from monitor.history.forget import Selection, forget
from monitor.store import import_scratch
from monitor.store.database import Store
from monitor.store.forgetting import forgotten_since
from monitor.store.import_scratch import scratch_events
from monitor.tracking.categories import load_rules
from tests.history.aw_generated import mixed_export, write_json
from tests.history.test_activitywatch import BERLIN, CORPUS

# four weeks in Berlin across the end of summer time (25 October 2026)
FIRST = datetime.fromisoformat("2026-10-08T13:17:00+00:00").timestamp()


@pytest.fixture(autouse=True)
def _always_streaming(monkeypatch):
    """These files are small: without this they would be read whole (WHOLE_FILE_BYTES)."""
    monkeypatch.setattr(activitywatch, "WHOLE_FILE_BYTES", 0)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Buckets with ids before their events, as aw-server writes them: each is read as the file is."""
    return write_json(tmp_path_factory.mktemp("aw") / "mixed.json", mixed_export(7, FIRST, 28, ids=True))


@pytest.fixture(scope="module")
def mixed_without_ids(tmp_path_factory) -> Path:
    """Buckets without ids: each one's events are read again once the file has been read."""
    return write_json(tmp_path_factory.mktemp("aw") / "mixed-no-ids.json", mixed_export(7, FIRST, 28))


def stored_rows(store: Store) -> list[tuple]:
    return sorted(tuple(row) for row in store.connection.execute(
        "SELECT start_utc, end_utc, app, title, category, name, device, source, origin, watching FROM spans"))


def whole_file_plan(store: Store, path: Path, settings) -> tuple[list[tuple], ImportReport]:
    report = ImportReport(path=path)
    rows = plan_rows(read_export(path), report, rules=load_rules(settings), tracking=settings.tracking,
                     starts_at=settings.day_starts_at, zone=BERLIN, device=None,
                     forgotten=forgotten_since(store))
    return sorted(rows), report


def scratch_files(store: Store) -> list[Path]:
    return sorted(store.path.parent.glob("import-*.tmp.sqlite3"))


@pytest.mark.parametrize("window_days", [7, 1, 3])
@pytest.mark.parametrize("source", ["corpus", "mixed", "mixed without ids"])
def test_streaming_stores_the_rows_of_the_whole_file_plan(settings, store, mixed, mixed_without_ids,
                                                          monkeypatch, window_days, source):
    path = {"corpus": CORPUS, "mixed": mixed, "mixed without ids": mixed_without_ids}[source]
    monkeypatch.setattr(activitywatch, "WINDOW_DAYS", window_days)
    expected, planned = whole_file_plan(store, path, settings)
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    assert stored_rows(store) == expected
    assert len(expected) > (200 if source == "corpus" else 5000)
    assert report.spans_added == len(expected)
    for name in ("buckets", "events", "skipped", "devices", "first_utc", "last_utc"):
        assert getattr(report, name) == getattr(planned, name), name
    assert report.seconds_added == pytest.approx(sum(row[1] - row[0] for row in expected), rel=1e-9)
    for name in ("away_seconds", "background_tab_seconds", "forgotten_seconds"):
        assert getattr(report, name) == pytest.approx(getattr(planned, name), rel=1e-9, abs=1e-3), name
    if source != "corpus":
        assert planned.away_seconds > 0
        assert planned.background_tab_seconds > 0
        assert set(planned.devices) == {"laptop", "phone", "this-laptop"}  # "unknown" host: this device
        assert any(row[9] for row in expected)  # watched (audible tab while away)
    assert scratch_files(store) == []
    assert import_activitywatch(store, path, settings, zone=BERLIN).spans_added == 0


def test_forgotten_time_is_left_out_and_counted_the_same(settings, store, mixed):
    later = FIRST + 40 * 86400
    forget(store, Selection(since_utc=FIRST + 3 * 86400 + 1234.5, until_utc=FIRST + 17 * 86400), now=later)
    forget(store, Selection(app="slack"), now=later)
    expected, planned = whole_file_plan(store, mixed, settings)
    report = import_activitywatch(store, mixed, settings, zone=BERLIN)
    assert stored_rows(store) == expected
    assert planned.forgotten_seconds > 14 * 86400 * 0.1
    assert report.forgotten_seconds == pytest.approx(planned.forgotten_seconds, rel=1e-9)


@pytest.mark.parametrize("ids", [True, False])
def test_a_broken_last_event_imports_nothing(settings, store, tmp_path, ids):
    document = mixed_export(3, FIRST, 10, ids=ids)
    last_bucket = document["buckets"]["aw-watcher-android-test"]
    last_bucket["events"][-1]["duration"] = "soon"
    path = write_json(tmp_path / "broken.json", document)
    with pytest.raises(InputError) as whole:
        read_export(path)
    with pytest.raises(InputError) as streamed:
        import_activitywatch(store, path, settings, zone=BERLIN)
    count = len(last_bucket["events"])
    assert str(streamed.value) == str(whole.value)
    assert f"bucket 'aw-watcher-android-test', event {count}: duration is 'soon'" in str(streamed.value)
    assert stored_rows(store) == []
    assert scratch_files(store) == []


def test_a_bucket_whose_type_comes_after_its_events(settings, store, tmp_path):
    document = mixed_export(5, FIRST, 3)
    in_order = write_json(tmp_path / "in-order.json", document)
    expected, _ = whole_file_plan(store, in_order, settings)
    buckets = {key: {"events": raw["events"], "hostname": raw["hostname"], "type": raw["type"]}
               for key, raw in document["buckets"].items()}
    late = write_json(tmp_path / "type-last.json", {"buckets": buckets})
    assert json.loads(late.read_text())["buckets"]["aw-watcher-window_laptop"].popitem()[0] == "type"
    report = import_activitywatch(store, late, settings, zone=BERLIN)
    assert report.spans_added == len(expected) > 100
    assert [row[:9] for row in stored_rows(store)] == [row[:9] for row in expected]


def test_window_events_of_unusual_shapes_give_the_rows_of_the_whole_file_plan(settings, store, tmp_path):
    """Events unlike their neighbours are read as objects and checked the long way, with the same result."""
    document = mixed_export(11, FIRST, 6, ids=True)
    events = document["buckets"]["aw-watcher-window_laptop"]["events"]
    for number, event in enumerate(events):
        if number % 7 == 1:
            del event["id"]
        elif number % 7 == 2:
            event["id"] = f"text-{number}"
        elif number % 7 == 3:
            event["data"]["extra"] = {"nested": [1, 2]}
        elif number % 7 == 4:
            event["timestamp"] = event["timestamp"].removesuffix("+00:00")  # naive: read as UTC
        elif number % 11 == 5:
            event["data"] = {"title": event["data"]["title"], "app": event["data"]["app"], "url": None}
    path = write_json(tmp_path / "shapes.json", document)
    expected, planned = whole_file_plan(store, path, settings)
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    assert stored_rows(store) == expected
    assert len(expected) > 1000
    assert report.events == planned.events


def test_of_two_problems_the_one_a_whole_read_reports_is_reported(settings, store, tmp_path):
    document = mixed_export(3, FIRST, 4)
    buckets = document["buckets"]
    buckets["aw-watcher-afk_laptop"]["events"][5]["data"]["status"] = "asleep"  # no id: read again later
    phone = buckets["aw-watcher-android-test"] = {"id": "aw-watcher-android-test",
                                                  **buckets["aw-watcher-android-test"]}
    phone["events"][0]["timestamp"] = "soon"
    path = write_json(tmp_path / "two.json", document)
    with pytest.raises(InputError) as whole:
        read_export(path)
    with pytest.raises(InputError) as streamed:
        import_activitywatch(store, path, settings, zone=BERLIN)
    assert str(streamed.value) == str(whole.value)
    assert "bucket 'aw-watcher-afk_laptop', event 6: data.status is 'asleep'" in str(streamed.value)
    path.write_bytes(path.read_bytes()[:-200])  # and cut short: that comes first
    with pytest.raises(InputError) as whole:
        read_export(path)
    with pytest.raises(InputError) as streamed:
        import_activitywatch(store, path, settings, zone=BERLIN)
    assert str(streamed.value) == str(whole.value)
    assert "cut short" in str(streamed.value)
    assert stored_rows(store) == []
    assert scratch_files(store) == []


def test_a_bucket_twice_in_a_big_file_is_refused_in_one_line(settings, store, tmp_path):
    bucket = json.dumps(mixed_export(3, FIRST, 1, ids=True)["buckets"]["aw-watcher-window_laptop"])
    path = tmp_path / "twice.json"
    twice = f'"aw-watcher-window_laptop": {bucket}'
    path.write_text(f'{{"buckets": {{{twice}, {twice}}}}}', encoding="utf-8")
    with pytest.raises(InputError) as refused:
        import_activitywatch(store, path, settings, zone=BERLIN)
    assert str(refused.value) == f"{path}: bucket 'aw-watcher-window_laptop': is in the file twice"
    assert stored_rows(store) == []


def test_a_big_file_ijson_refuses_gets_one_line_saying_so(settings, store, tmp_path, monkeypatch):
    monkeypatch.setattr(aw_stream, "WHOLE_FILE_LIMIT", 100)  # as if the file were big
    path = write_json(tmp_path / "cut.json", mixed_export(3, FIRST, 2))
    path.write_bytes(path.read_bytes()[:-500])
    with pytest.raises(InputError, match=r"cut\.json: not valid JSON \(parse error: premature EOF\) "
                                         r"\(the file looks cut short\); expected an ActivityWatch export"):
        import_activitywatch(store, path, settings, zone=BERLIN)
    (tmp_path / "list.json").write_text("[" * 10 + "]" * 10, encoding="utf-8")
    with pytest.raises(InputError, match=r"list\.json: not an ActivityWatch export: no \"buckets\" object"):
        import_activitywatch(store, tmp_path / "list.json", settings, zone=BERLIN)
    assert stored_rows(store) == []


def test_a_small_file_only_the_standard_library_reads_is_still_imported(settings, store, tmp_path):
    text = json.dumps(mixed_export(3, FIRST, 1))
    path = tmp_path / "nan.json"
    path.write_text(text.replace('"presses": 3', '"presses": NaN'), encoding="utf-8")
    report = import_activitywatch(store, path, settings, zone=BERLIN)
    assert report.spans_added > 0
    assert report.skipped["os.hid.input events (not screen time)"] == 1


def test_the_scratch_database_is_private_and_removed(store, monkeypatch):
    monkeypatch.setattr(import_scratch, "BLOB_EVENTS", 3)  # several rows, each a batch of events
    # newest first, as some exports are, with two events starting together (kept in file order)
    events = [(float(start), start + length, str(start), "app", None, "", False, False, False)
              for start, length in ((50, 5.0), (40, 30.0), (30, 1.0), (20, 2.0), (20, 1.0), (10, 10.0))]
    with scratch_events(store.path.parent) as scratch:
        [path] = scratch_files(store)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        scratch.add(0, events)
        scratch.add(1, events[:1])
        scratch.finish()
        assert store.path.parent.joinpath(path.name).exists()
        assert scratch.overlapping(0, 15.0, 16.0) == [events[5]]
        assert scratch.overlapping(0, 20.5, 45.0) == [events[3], events[4], events[2], events[1]]
        assert scratch.overlapping(0, 70.0, 80.0) == []
        assert scratch.extent([0, 1, 2]) == (10.0, 70.0, {0, 1})
    assert scratch_files(store) == []


def test_a_failure_while_storing_a_stream_rolls_everything_back(settings, store):
    calls = []

    def progress(stage, done, total):
        calls.append((stage, done, total))
        if stage == "storing":
            raise KeyboardInterrupt  # the user pressed Ctrl-C once the first week's rows were written
    with pytest.raises(KeyboardInterrupt):
        import_activitywatch(store, CORPUS, settings, zone=BERLIN, progress=progress)
    assert calls[-1] == ("storing", 1, 1)
    size = CORPUS.stat().st_size  # a stream says how much of the file it has read, in bytes
    assert ("reading", size, size) in calls
    assert stored_rows(store) == []
    assert scratch_files(store) == []
    assert import_activitywatch(store, CORPUS, settings, zone=BERLIN).spans_added == 275


def test_private_tabs_never_reach_the_scratch_file(settings, store, mixed, monkeypatch):
    from monitor.history.aw_format import AwEvent
    from monitor.store.import_scratch import ScratchEvents

    written = []
    add = ScratchEvents.add

    def recording(self, bucket, events):
        events = list(events)
        written.extend(events)
        add(self, bucket, events)
    monkeypatch.setattr(ScratchEvents, "add", recording)
    report = import_activitywatch(store, mixed, settings, zone=BERLIN)
    assert written  # the file was streamed through the scratch file
    assert not [fields for fields in written if AwEvent(*fields).incognito]  # each as its plain fields
    assert dict(report.skipped).get("incognito tabs (never stored)", 0) > 0
