"""Coverage-guided fuzzing with atheris (libFuzzer), outside CI, for the same targets as the
hypothesis tests: durations, config, vCard, CSV, ActivityWatch, X11 titles.

atheris is not a project dependency. Install it apart and run, for example::

    pip install --target /tmp/atheris atheris
    PYTHONPATH=/tmp/atheris .venv/bin/python -m tests.fuzz.atheris_targets vcard -runs=200000

A target passes an input when the code returns or raises an UnscrollError with a
message; any other exception is a crash that libFuzzer reports with the input saved.
Seeds for the file formats come from tests/data (contacts, vcards40, activitywatch).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from monitor.core.durations import parse_duration
    from monitor.core.errors import UnscrollError
    from monitor.core.paths import Paths
    from monitor.core.settings import load_settings
    from monitor.history.activitywatch import import_activitywatch
    from monitor.people.importers import import_people
    from monitor.store.database import Store
    from monitor.tracking.categories import load_rules
    from monitor.tracking.observe import observe
    from monitor.tracking.platforms.base import ActiveWindow
    from monitor.tracking.platforms.x11_text import decode_text_property

WORK = Path(tempfile.mkdtemp(prefix="unscroll-atheris-"))
PATHS = Paths(config_file=WORK / "config.toml", data_dir=WORK / "data")
SETTINGS = load_settings(PATHS)
RULES = load_rules(SETTINGS)
TYPES = ["UTF8_STRING", "STRING", "COMPOUND_TEXT", "TEXT"]


def _ours(call: Callable[[], object]) -> None:
    try:
        call()
    except UnscrollError as exc:
        if not str(exc).strip():
            raise AssertionError(f"{type(exc).__name__} without a message") from exc


def duration(data: bytes) -> None:
    """parse_duration on any text."""
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(64)
    _ours(lambda: parse_duration(text, where="fuzz"))


def config(data: bytes) -> None:
    """load_settings and load_rules on any bytes as config.toml."""
    PATHS.config_file.write_bytes(data)
    _ours(lambda: load_rules(load_settings(PATHS)))


def _contacts(data: bytes, suffix: str) -> None:
    path = WORK / f"contacts{suffix}"
    path.write_bytes(data)
    database = WORK / "people.sqlite3"
    with Store(database) as store:
        _ours(lambda: import_people(store, path, now=2e9, zone=UTC))
        store.connection.execute("DELETE FROM people")


def vcard(data: bytes) -> None:
    """A whole people import of any bytes as a .vcf file."""
    _contacts(data, ".vcf")


def csv(data: bytes) -> None:
    """A whole people import of any bytes as a .csv file."""
    _contacts(data, ".csv")


def activitywatch(data: bytes) -> None:
    """A whole ActivityWatch import of any bytes."""
    path = WORK / "aw.json"
    path.write_bytes(data)
    with Store(WORK / "aw.sqlite3") as store:
        _ours(lambda: import_activitywatch(store, path, SETTINGS, zone=UTC, rules=RULES))
        store.connection.execute("DELETE FROM spans")


def titles(data: bytes) -> None:
    """Any bytes as an X11 title property of any type, then through observe."""
    provider = atheris.FuzzedDataProvider(data)
    kind = TYPES[provider.ConsumeIntInRange(0, len(TYPES) - 1)]
    app = provider.ConsumeUnicode(20)
    text = decode_text_property(kind, provider.ConsumeBytes(provider.remaining_bytes()))
    seen = observe(ActiveWindow(app, text, None), RULES, SETTINGS.tracking)
    assert seen is not None
    (seen.title or "").encode("utf-8")


TARGETS = {"duration": duration, "config": config, "vcard": vcard, "csv": csv,
           "activitywatch": activitywatch, "titles": titles}


def main() -> None:
    """``python -m tests.fuzz.atheris_targets TARGET [libFuzzer options] [corpus folders]``."""
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit("usage: atheris_targets {" + ",".join(TARGETS) + "} [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.instrument_all()  # what instrument_imports missed (modules imported earlier)
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
