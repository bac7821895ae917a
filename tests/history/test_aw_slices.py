"""The quick reading (orjson, a slice of events at a time) stores what ijson's tokens do, or steps aside."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.core.errors import InputError
from monitor.history import aw_slices, aw_stream
from monitor.history.aw_format import Where
from monitor.history.aw_slices import NotUsual, SliceTokens
from monitor.store.import_scratch import scratch_events
from tests.history.aw_generated import mixed_export

FIRST = datetime.fromisoformat("2026-10-08T13:17:00+00:00").timestamp()
EVERYTHING = (float("-inf"), float("inf"))
TRICKY_TITLES = ('}, {"id": 1}', "}]", '"}', "a\\\"}}, ]", "{[}]", "ünïcödé }, 🎉", "tab\tand\nnewline",
                 "\\u007d", "}" * 40, "]" * 3 + "},")


def read(path: Path, tmp_path: Path, *, quickly: bool) -> tuple[list[Any], list[tuple[str, int]], list[Any]]:
    """The outlines, the skips and every event in the scratch file, by one reading or the other."""
    skips: list[tuple[str, int]] = []
    folder = tmp_path / ("quick" if quickly else "careful")
    folder.mkdir(exist_ok=True)
    with scratch_events(folder) as scratch, pytest.MonkeyPatch.context() as patch:
        if quickly:
            patch.setattr(aw_stream, "_read_carefully", _must_not_be_called)
        else:
            patch.setattr(aw_stream, "_read_quickly", lambda *args: None)
        outlines = aw_stream.stream_export(path, scratch, lambda reason, count: skips.append((reason, count)))
        events = [scratch.overlapping(number, *EVERYTHING) for number in range(len(outlines))]
    return outlines, skips, events


def _must_not_be_called(*args: object) -> None:
    raise AssertionError("the file was read again with ijson's tokens")


def write(path: Path, document: dict[str, Any], **dumps: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, **dumps), encoding="utf-8")
    return path


def with_titles(document: dict[str, Any], titles: list[str]) -> dict[str, Any]:
    """``document`` with its window events' titles taken from ``titles`` in turn."""
    events = document["buckets"]["aw-watcher-window_laptop"]["events"]
    for number, event in enumerate(events):
        event["data"]["title"] = titles[number % len(titles)]
    return document


@pytest.mark.parametrize("layout", ["aw-server", "compact", "indented", "no ids (types last)"])
@pytest.mark.parametrize("slice_bytes", [1 << 20, 300, 1])
def test_a_usual_file_is_read_quickly_into_the_same_events(tmp_path, monkeypatch, layout, slice_bytes):
    monkeypatch.setattr(aw_slices, "SLICE_BYTES", slice_bytes)  # 1: each slice grows until an event fits
    monkeypatch.setattr(aw_slices, "BLOCK_BYTES", 7)  # blocks that end inside characters of several bytes
    types_last = layout == "no ids (types last)"
    document = with_titles(mixed_export(5, FIRST, 2, ids=not types_last), list(TRICKY_TITLES))
    if types_last:
        document["buckets"] = {key: {"events": raw["events"], "hostname": raw["hostname"],
                                     "type": raw["type"]} for key, raw in document["buckets"].items()}
    dumps = {"compact": {"separators": (",", ":")}, "indented": {"indent": 2}}.get(layout, {})
    path = write(tmp_path / "export.json", document, **dumps)
    quick = read(path, tmp_path, quickly=True)
    assert quick == read(path, tmp_path, quickly=False)
    outlines, skips, events = quick
    assert sum(map(len, events)) > 500
    assert {event[4] for bucket in events for event in bucket} >= set(TRICKY_TITLES)
    assert [outline.deferred for outline in outlines] == [types_last] * len(outlines)
    assert skips


@pytest.mark.parametrize(("change", "why"), [
    ('[{"id": ', '[{"id": 18446744073709551616, "was": '),  # past 64 bits: orjson reads a float
    ('"title": "', '"title": "\\ud800'),  # a lone surrogate
    ('"duration": ', '"duration": 1e999 + '),  # not JSON
    ('"hostname": "laptop"', '"hostname": "laptop\\udfff"'),  # a lone surrogate outside the events
    ('}}, {"id": ', '}}, 5, {"id": '),  # an event that is not an object, inside a slice
])
def test_what_orjson_reads_otherwise_is_read_again_with_ijson(tmp_path, change, why):
    text = json.dumps(mixed_export(3, FIRST, 1, ids=True))
    assert change in text
    path = tmp_path / "unusual.json"
    path.write_text(text.replace(change, why, 1), encoding="utf-8")
    with path.open("rb") as stream, scratch_events(tmp_path) as scratch:
        reader = aw_stream._Reader(SliceTokens(stream), Where(path), scratch, lambda *skip: None,
                                   lambda: None)
        with pytest.raises((NotUsual, InputError)):
            reader.document()
    assert outcome(path, tmp_path, quickly=None) == outcome(path, tmp_path, quickly=False)


@pytest.mark.parametrize("bucket_key", ["aw-watcher-window_laptop", "aw-watcher-afk_laptop",
                                        "aw-watcher-web-firefox_laptop"])
def test_an_id_past_64_bits_inside_a_slice_is_read_as_ijson_reads_it(tmp_path, bucket_key):
    # orjson reads it as a float: the events' check says so, and the file is read as ijson reads it
    document = mixed_export(3, FIRST, 1, ids=True)
    events = document["buckets"][bucket_key]["events"]
    events[len(events) // 2]["id"] = 2 ** 64 + 7
    path = write(tmp_path / "long-id.json", document)
    with path.open("rb") as stream, scratch_events(tmp_path) as scratch:
        reader = aw_stream._Reader(SliceTokens(stream), Where(path), scratch, lambda *skip: None,
                                   lambda: None)
        with pytest.raises(NotUsual, match="an event id orjson reads as a float"):
            reader.document()
    assert outcome(path, tmp_path, quickly=None) == outcome(path, tmp_path, quickly=False)


def outcome(path: Path, tmp_path: Path, *, quickly: bool | None) -> tuple[Any, ...]:
    """What reading gives (quickly=None: as an import reads), or the error it raises and its message."""
    try:
        if quickly is None:
            with scratch_events(tmp_path) as scratch:
                outlines = aw_stream.stream_export(path, scratch, lambda *skip: None)
                return ("read", [scratch.overlapping(n, *EVERYTHING) for n in range(len(outlines))])
        return ("read", read(path, tmp_path, quickly=quickly)[2])
    except (InputError, aw_stream.Unreadable) as refused:
        return (type(refused).__name__, str(refused))


@pytest.mark.parametrize("tail", [" \n", " {}", "]", "x"])
def test_only_whitespace_may_follow_the_export(tmp_path, tail):
    path = tmp_path / "tail.json"
    path.write_text(json.dumps(mixed_export(3, FIRST, 1, ids=True)) + tail, encoding="utf-8")
    with path.open("rb") as stream:
        tokens = SliceTokens(stream)
        with scratch_events(tmp_path) as scratch:
            aw_stream._Reader(tokens, Where(path), scratch, lambda *skip: None, lambda: None).document()
        assert tokens.rest_is_blank() == (not tail.strip())


titles = st.text(alphabet=st.sampled_from('{}[]",:\\ \t\né🎉ab'), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.lists(titles, min_size=1, max_size=30), slice_bytes=st.integers(1, 400))
def test_any_titles_are_read_as_ijson_reads_them(tmp_path, chosen, slice_bytes):
    document = with_titles(mixed_export(7, FIRST, 1, ids=True), chosen)
    document["buckets"] = {"aw-watcher-window_laptop": document["buckets"]["aw-watcher-window_laptop"]}
    path = write(tmp_path / "titles.json", document)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(aw_slices, "SLICE_BYTES", slice_bytes)
        patch.setattr(aw_slices, "CUTS_TRIED", 2)  # a slice cut badly twice grows: more paths taken
        assert read(path, tmp_path, quickly=True) == read(path, tmp_path, quickly=False)


def test_the_events_read_are_the_files(tmp_path):
    """The comparison above has something to compare: every window event, at its own start."""
    document = mixed_export(3, FIRST, 1, ids=True)
    window = document["buckets"]["aw-watcher-window_laptop"]["events"]
    path = write(tmp_path / "export.json", document)
    _, _, events = read(path, tmp_path, quickly=True)
    assert [event[0] for event in events[0]] == sorted(
        datetime.fromisoformat(event["timestamp"]).timestamp() for event in window)
    assert len(window) > 100


def test_where_orjson_stopped_is_found_in_bytes():
    """orjson counts characters; the cut is made in the file's bytes, before the character it stopped at."""
    text = '[{"title": "ünïcödé 🎉 — x"}]}'.encode()
    with pytest.raises(orjson.JSONDecodeError) as stopped:
        orjson.loads(text)
    at = aw_slices._byte_of(text, stopped.value.pos)
    assert text[at:at + 1] == b"}"
    assert at == len(text) - 1
    assert aw_slices._byte_of(b"ab\xff\xfecd", 4) <= 4  # bytes that are not UTF-8: never later
