"""The files in the synced folder: segment names, the format read back whole or refused whole, the clock."""

from __future__ import annotations

import gzip
import json

import pytest

from monitor.sync import clock
from monitor.sync.compact import net
from monitor.sync.segments import (
    MANIFEST,
    BadSegment,
    CopiedFolder,
    Manifest,
    Segment,
    SegmentName,
    decode,
    encode,
    read_manifest,
    segment_files,
    stray_files,
    write_atomically,
    write_manifest,
)

DEVICE = "abcdefghijklmnopqrstuvwxyz"[:26]


def segment(entries: list[dict], *, first: int = 1, last: int = 1) -> Segment:
    return Segment(device=DEVICE, name="laptop", first=first, last=last, level=0, full=False,
                   written_utc=1_800_000_000.5, entries=entries, from_utc=1.0, to_utc=2.0)


def test_a_segment_reads_back_as_written():
    entries = [{"t": "span", "id": 3, "s": 10.25, "e": 70.5, "app": "firefox", "title": "Zoë — Ça va",
                "cat": "social", "name": "Facebook", "w": 0}, {"t": "drop", "id": 2, "s": 5.0}]
    read = decode(encode(segment(entries, first=4, last=9)), DEVICE)
    assert (read.first, read.last, read.name, read.entries) == (4, 9, "laptop", entries)
    assert read.written_utc == 1_800_000_000.5


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_a_segment_cut_short_is_refused_whole(cut):
    data = encode(segment([{"t": "drop", "id": n, "s": float(n)} for n in range(400)]))
    with pytest.raises(BadSegment, match="gzip"):
        decode(data[:int(len(data) * cut)], DEVICE)


def test_a_segment_whose_lines_were_cut_is_refused_though_it_is_whole_gzip():
    whole = encode(segment([{"t": "drop", "id": n, "s": 1.0} for n in range(5)]))
    lines = gzip.decompress(whole).split(b"\n")
    shortened = gzip.compress(b"\n".join(lines[:4]) + b"\n")  # header and three entries, no footer
    with pytest.raises(BadSegment, match="cut short"):
        decode(shortened, DEVICE)


def test_another_devices_segment_marks_a_copied_folder():
    with pytest.raises(CopiedFolder) as raised:
        decode(encode(segment([])), "z" * 26)
    assert raised.value.original == DEVICE


def test_an_unknown_format_is_refused_naming_it():
    header = json.dumps({"format": 7, "device": DEVICE}).encode()
    data = gzip.compress(header + b"\n" + json.dumps({"end": 0}).encode() + b"\n")
    with pytest.raises(BadSegment, match="format 7, this version reads format 1"):
        decode(data, DEVICE)


def test_only_segment_names_are_read(tmp_path):
    name = SegmentName(12, 40, 1)
    (tmp_path / name.file).write_bytes(b"x")
    for other in ("seg-000000012-000000040-l1.sync-conflict-20260324-101010-ABCDEFG.jsonl.gz",
                  f".syncthing.{name.file}.tmp", f".{name.file}.123.tmp", "notes.txt"):
        (tmp_path / other).write_bytes(b"x")
    assert list(segment_files(tmp_path)) == [name]
    assert stray_files(tmp_path) == ["notes.txt", "seg-000000012-000000040-l1.sync-conflict-20260324-101010-"
                                                  "ABCDEFG.jsonl.gz"]
    assert SegmentName.parse(name.file) == name
    assert SegmentName.parse("seg-000000040-000000012-l1.jsonl.gz") is None


def test_files_are_written_whole_through_a_hidden_name(tmp_path):
    write_atomically(tmp_path / "a.bin", b"hello")
    write_manifest(tmp_path, Manifest(device=DEVICE, name="laptop", written_utc=5.0, segments=["s"],
                                      clocks={"x" * 26: 2.5}))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin", MANIFEST]
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert (manifest.device, manifest.clocks) == (DEVICE, {"x" * 26: 2.5})
    (tmp_path / MANIFEST).write_text('{"format": 2}')
    with pytest.raises(BadSegment, match="format 2"):
        read_manifest(tmp_path)


def test_net_keeps_each_rows_latest_state_and_each_fields_latest_change():
    merged = net([
        {"t": "span", "id": 1, "s": 0.0, "e": 10.0}, {"t": "span", "id": 1, "s": 0.0, "e": 20.0},
        {"t": "span", "id": 2, "s": 5.0, "e": 9.0}, {"t": "drop", "id": 2, "s": 5.0},
        {"t": "person", "gid": "g", "fields": {"name": ["Ana", 10.0, "a"], "notes": ["x", 10.0, "a"]}},
        {"t": "person", "gid": "g", "fields": {"name": ["Ana O.", 12.0, "b"], "notes": ["y", 9.0, "b"]}},
    ])
    assert merged == [{"t": "person", "gid": "g", "fields": {"name": ["Ana O.", 12.0, "b"],
                                                             "notes": ["x", 10.0, "a"]}},
                      {"t": "span", "id": 1, "s": 0.0, "e": 20.0}, {"t": "drop", "id": 2, "s": 5.0}]


def test_a_few_minutes_of_skew_are_corrected_and_a_slow_delivery_invents_none():
    ahead = clock.with_sample(clock.ClockBounds(), clock.arrival_sample(1000.0 + 240, 1001.5, 1002.0), 1002.0)
    assert clock.correction(ahead) == pytest.approx(238.5)  # less the 1.5 s the file took
    two_hours_later = 1000.0 + 7200
    sample = clock.arrival_sample(1000.0, two_hours_later, two_hours_later)
    late = clock.with_sample(clock.ClockBounds(), sample, 0)
    assert clock.correction(late) == 0.0  # two hours late: a sleeping laptop, not a clock two hours behind
    assert clock.clock_note(late) is None
    # the other side saw our files arrive 300 s "early": its clock is at least 300 s behind ours
    behind = clock.with_peer_view(late, their_low_of_ours=300.0)
    assert clock.correction(behind) == -300.0
    far = clock.with_sample(clock.ClockBounds(), 3 * 3600.0 + 2.0, 10.0)
    assert clock.clock_note(far) == "its clock is at least 3 h ahead of this computer's"
    assert clock.clock_note(clock.with_peer_view(clock.ClockBounds(), 5 * 3600.0)) == (
        "its clock is at least 5 h behind this computer's")


def test_a_lower_bound_gives_way_to_a_fresher_one_after_a_day():
    bounds = clock.with_sample(clock.ClockBounds(), 50.0, now=0.0)
    assert clock.with_sample(bounds, 10.0, now=3600.0).low == 50.0
    assert clock.with_sample(bounds, 10.0, now=2 * 86400.0).low == 10.0
