"""Fuzzing the vCard, CSV and ActivityWatch importers with random and mutated real files.

Seeds are the project's own samples of real exporters' formats: the Apple, Android,
Google, Outlook and HubSpot files in tests/data/contacts, the vCard 4.0 files in
tests/data/vcards40, and the ActivityWatch
export in tests/data/activitywatch. Each example mutates one (bit flips, inserted or deleted bytes,
cut short, lines repeated or swapped, JSON values replaced) or is random bytes, and is
then imported for real into a fresh store. The import may refuse the whole file with
an InputError naming it, or skip records with a reason; nothing else may escape, and a
refused import leaves the store as it was.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from monitor.core.errors import InputError
from monitor.core.paths import Paths
from monitor.core.settings import load_settings
from monitor.history.activitywatch import import_activitywatch
from monitor.people.importers import import_people
from monitor.people.importers.records import Skipped
from monitor.store.database import Store
from monitor.tracking.categories import load_rules
from tests.fuzz.fuzzing import fuzz_settings, only_our_errors

HERE = Path(__file__).resolve().parents[1]
CONTACTS = HERE / "data" / "contacts"
VCARDS40 = HERE / "data" / "vcards40"
AW_EXPORT = HERE / "data" / "activitywatch" / "aw-buckets-export.json"


def seeds(*patterns: str) -> list[bytes]:
    found = [path.read_bytes() for folder in (CONTACTS, VCARDS40) for pattern in patterns
             for path in sorted(folder.rglob(pattern))]
    if not found:
        pytest.fail(f"no seed files {patterns} in {CONTACTS} or {VCARDS40}")
    return found


VCARDS = seeds("*.vcf")
CSVS = seeds("*.csv")
AW_SEED = json.loads(AW_EXPORT.read_text(encoding="utf-8"))


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    """One of ``originals`` after a few random edits, or random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat", "swap", "splice"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.one_of(
                st.binary(min_size=1, max_size=8),
                st.sampled_from([b"\r\n", b"\n ", b":", b";", b",", b'"', b"=", b"\xff\xfe", b"\x00",
                                 b"BEGIN:VCARD\r\n", b"END:VCARD\r\n", b"=C3=A9", b"\xc3", b"\xe2\x80\x94",
                                 b"ENCODING=QUOTED-PRINTABLE:", b"CHARSET=klingon:", b"\t"])))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 20))]
        elif kind == "cut":
            del data[at:]
        else:
            lines = bytes(data).split(b"\n")
            first = draw(st.integers(0, len(lines) - 1))
            second = draw(st.integers(0, len(lines) - 1))
            if kind == "repeat":
                lines.insert(first, lines[second])
            elif kind == "swap":
                lines[first], lines[second] = lines[second], lines[first]
            else:  # splice a line of another seed file in
                other = draw(st.sampled_from(originals)).split(b"\n")
                lines.insert(first, other[draw(st.integers(0, len(other) - 1))])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz-import")
    return load_settings(Paths(config_file=folder / "none.toml", data_dir=folder / "data"))


@pytest.fixture(scope="module")
def rules(settings):
    return load_rules(settings)


def counts(store: Store) -> tuple[int, int, int]:
    row = store.connection.execute(
        "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM interactions), "
        "(SELECT COUNT(*) FROM spans)").fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def import_contacts(tmp: Path, data: bytes, suffix: str) -> None:
    path = tmp / f"contacts{suffix}"
    path.write_bytes(data)
    with Store(tmp / f"store-{suffix.strip('.')}.sqlite3") as store:
        before = counts(store)
        report = only_our_errors(lambda: import_people(store, path, ("fuzz",), now=2e9, zone=UTC),
                                 names=str(path), expected=InputError)
        if report is None:
            event("refused whole (InputError)")
            assert counts(store) == before  # a refused file changes nothing
            return
        event(f"imported: {'some' if report.added else 'no'} people added, "
              f"{'some' if report.skipped else 'no'} records skipped")
        assert report.records == report.added + report.merged + report.unchanged + len(report.skipped)
        for skipped in report.skipped:
            assert isinstance(skipped, Skipped)
            assert skipped.reason
            assert str(path) in str(skipped)
        people = counts(store)[0]
        assert people - before[0] == report.added
        assert store.integrity_ok()


@fuzz_settings
@given(mutated(VCARDS))
def test_fuzz_vcard_importer(tmp_path_factory, data):
    import_contacts(tmp_path_factory.mktemp("vcf"), data, ".vcf")


@fuzz_settings
@given(mutated(CSVS))
def test_fuzz_csv_importer(tmp_path_factory, data):
    import_contacts(tmp_path_factory.mktemp("csv"), data, ".csv")


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
              st.sampled_from(["2026-11-27T10:46:01.5+00:00", "2026-11-27T10:46:01", "1970-01-01T00:00:00Z",
                               "9999-12-31T23:59:59+14:00", "afk", "not-afk", "currentwindow", "afkstatus",
                               "web.tab.current", "", "firefox", "https://example.org/", "javascript:x"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=8)


@st.composite
def mutated_export(draw: st.DrawFn) -> bytes:
    """The real ActivityWatch export with some values replaced, keys dropped or events copied."""
    if draw(st.integers(0, 4)) == 0:
        return draw(mutated([json.dumps(AW_SEED).encode()]))
    document: Any = json.loads(json.dumps(AW_SEED))
    buckets = list(document["buckets"].values())
    for _ in range(draw(st.integers(1, 5))):
        bucket = draw(st.sampled_from(buckets))
        events = bucket["events"] if isinstance(bucket.get("events"), list) else []
        kind = draw(st.sampled_from(["value", "drop", "event", "bucket", "copy", "type"]))
        objects = [event for event in events if isinstance(event, dict)]
        if kind in ("value", "drop") and objects:
            event = draw(st.sampled_from(objects))
            inside = isinstance(event.get("data"), dict) and draw(st.booleans())
            target = event["data"] if inside else event
            key = draw(st.sampled_from([*target.keys(), "id", "url", "incognito", "package", "status"]))
            if kind == "value":
                target[key] = draw(json_values)
            else:
                target.pop(key, None)
        elif kind == "event" and events:
            events[draw(st.integers(0, len(events) - 1))] = draw(json_values)
        elif kind == "bucket":
            bucket[draw(st.sampled_from(["type", "hostname", "id", "events"]))] = draw(json_values)
        elif kind == "copy" and events:
            events.extend(json.loads(json.dumps(events[: draw(st.integers(1, 5))])))  # duplicates
        elif kind == "type":
            bucket["type"] = draw(st.sampled_from(["afkstatus", "web.tab.current", "currentwindow",
                                                   "os.lockscreen"]))
    return json.dumps(document).encode()


@fuzz_settings
@given(mutated_export())
def test_fuzz_activitywatch_importer(tmp_path_factory, settings, rules, data):
    tmp = tmp_path_factory.mktemp("aw")
    path = tmp / "aw-buckets-export.json"
    path.write_bytes(data)
    with Store(tmp / "store.sqlite3") as store:
        report = only_our_errors(lambda: import_activitywatch(store, path, settings, zone=UTC, rules=rules),
                                 names=str(path), expected=InputError)
        stored = counts(store)[2]
        if report is None:
            event("refused whole (InputError)")
            assert stored == 0  # all or nothing
            return
        event(f"imported: {'some' if report.spans_added else 'no'} spans")
        assert stored == report.spans_added
        rows = store.connection.execute("SELECT start_utc, end_utc FROM spans").fetchall()
        assert all(end >= start for start, end in rows)
        assert store.integrity_ok()
    with sqlite3.connect(tmp / "store.sqlite3") as connection:  # importing again adds nothing
        again = Store(tmp / "store.sqlite3")
        try:
            assert import_activitywatch(again, path, settings, zone=UTC, rules=rules).spans_added == 0
        finally:
            again.close()
        assert connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == stored


@fuzz_settings
@given(st.text(alphabet='NAME;=:,"x1.- ', max_size=12))
def test_the_vcard_line_check_accepts_exactly_what_vobject_reads(line):
    """Short lines, where vobject's backtracking pattern is still quick, get the same verdict."""
    from vobject.base import line_re

    from monitor.people.importers.vcard import _CONTENT_LINE

    assert (_CONTENT_LINE.match(line) is not None) == (line_re.match(line) is not None)


def test_a_line_vobject_backtracks_on_for_minutes_is_skipped_at_once(tmp_path):
    """Found by atheris: vobject's line pattern took 136 s on this 90-character line (and twice
    as long for each few characters more). The card is skipped with the line; the next imports."""
    slow = "N;CHA5=A4=A7=E5=AD=A6=E3=81=AE=E5=8F=8B=E9=81=94=0A=E3=83=86=E3=83=8B=E3=82=B9=E4=BB=B2=" * 3
    path = tmp_path / "slow.vcf"
    path.write_text(f"BEGIN:VCARD\r\nVERSION:2.1\r\n{slow}\r\n=E9=96=93\r\nEND:VCARD\r\n"
                    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Next One\r\nEND:VCARD\r\n")
    with Store(tmp_path / "store.sqlite3") as store:
        report = import_people(store, path, now=2e9, zone=UTC)
    assert report.added == 1
    [skipped] = report.skipped
    assert skipped.line == 1
    assert skipped.reason.startswith("not a readable vCard: line 3: Failed to parse line: N;CHA5=A4")
