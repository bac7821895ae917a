"""Fuzzing `unscroll import unscroll` with mutated exports (version 1 from tests/data, version 2 made here).

Each example is one of the two exports with values replaced, keys dropped or records copied,
or with its bytes mutated. The import may refuse the whole file with an InputError naming
it; nothing else may escape, a refused import leaves the store as it was, and importing an
accepted file again adds nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from monitor.core.errors import InputError
from monitor.core.paths import Paths
from monitor.core.settings import load_settings
from monitor.history.unscroll_import import import_unscroll
from monitor.store.database import Store
from tests.fuzz.fuzzing import fuzz_settings, only_our_errors
from tests.fuzz.test_fuzz_importers import json_values, mutated
from tests.history.crafted_exports import crafted_export

V1 = json.loads((Path(__file__).resolve().parents[1] / "data" / "exports" / "unscroll-export-v1.json")
                .read_text(encoding="utf-8"))
V2 = crafted_export(1_780_000_000.0, shown=3, held_back=2, shown_mean=300, held_back_mean=900, kind="person")
V2["interactions"] = [{"time": "2026-05-28T10:00:00+02:00", "person": "Sam Rivera", "via": "call"}]
LISTS = ("spans", "people", "interactions", "prompts")
KEYS = ("start", "end", "start_utc", "app", "title", "category", "name", "device", "time", "at_utc", "kind",
        "stored_kind", "person", "person_id", "outcome", "action", "held_back", "id", "tags", "created_utc")


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("settings")
    return load_settings(Paths(config_file=folder / "config.toml", data_dir=folder / "data"))


@st.composite
def mutated_export(draw: st.DrawFn) -> bytes:
    original = draw(st.sampled_from([V1, V2]))
    if draw(st.integers(0, 4)) == 0:
        return draw(mutated([json.dumps(original).encode()]))
    document: Any = json.loads(json.dumps(original))
    for _ in range(draw(st.integers(1, 5))):
        records = document.get(draw(st.sampled_from(LISTS)))
        records = records if isinstance(records, list) else []
        objects = [record for record in records if isinstance(record, dict)]
        kind = draw(st.sampled_from(["value", "drop", "copy", "record", "top"]))
        if kind in ("value", "drop") and objects:
            record = draw(st.sampled_from(objects))
            key = draw(st.sampled_from([*record.keys(), *KEYS]))
            if kind == "value":
                record[key] = draw(json_values)
            else:
                record.pop(key, None)
        elif kind == "copy" and records:
            records.extend(json.loads(json.dumps(records[: draw(st.integers(1, 3))])))
        elif kind == "record" and records:
            records[draw(st.integers(0, len(records) - 1))] = draw(json_values)
        elif kind == "top":
            document[draw(st.sampled_from([*LISTS, "version", "format"]))] = draw(json_values)
    return json.dumps(document).encode()


def counts(store: Store) -> tuple[int, ...]:
    return tuple(store.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                 for table in LISTS)


@fuzz_settings
@given(mutated_export())
def test_fuzz_unscroll_importer(tmp_path_factory, settings, data):
    tmp = tmp_path_factory.mktemp("export")
    path = tmp / "export.json"
    path.write_bytes(data)
    with Store(tmp / "store.sqlite3") as store:
        report = only_our_errors(lambda: import_unscroll(store, path, settings, now=1_780_000_000.0),
                                 names=str(path), expected=InputError)
        stored = counts(store)
        if report is None:
            event("refused whole (InputError)")
            assert stored == (0, 0, 0, 0)
            return
        event(f"imported: {'some' if report.spans_added else 'no'} spans")
        assert stored[0] == report.spans_added
        assert stored[3] == report.prompts_added
        again = import_unscroll(store, path, settings, now=1_780_000_000.0)
        assert (again.spans_added, again.prompts_added, again.interactions_added) == (0, 0, 0)
        assert counts(store) == stored
        assert store.integrity_ok()
