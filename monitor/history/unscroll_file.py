"""Reading and checking an unscroll JSON export (``unscroll export --format json``), storing nothing.

Versions 1 and 2 are read (``monitor.history.export``). What an import needs, and all it
needs: ``format`` ``"unscroll-export"`` and ``version``; each span's ``start`` and ``end``
(ISO 8601 with an offset), ``app``, ``title``, ``category`` and ``name``; each prompt's
``time``, ``kind``, ``category``, ``person``, ``outcome`` and ``held_back`` (version 1:
its stored columns, ``at_utc`` and the stored ``kind``); ``people`` and ``interactions``
may be empty lists. Anything wrong refuses the whole file with an InputError naming the
file, the item (``prompts[3].time``) and what would be accepted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from monitor.core.errors import InputError
from monitor.core.prompt_words import kind_choices, stored_action, stored_kind

FORMAT = "unscroll-export"
VERSIONS = (1, 2)
TIME_EXAMPLE = "2026-03-24T10:05:00+01:00"
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC).timestamp()
LATEST = datetime(2200, 1, 1, tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class SpanItem:
    """One span of the file."""

    start: float
    end: float
    app: str
    title: str | None
    category: str
    name: str
    device: str | None
    source: str | None


@dataclass(frozen=True)
class PersonItem:
    """One person of the file; ``ref`` is their id in the file (what its records point at)."""

    ref: int | None
    name: str
    every_days: float | None
    lists: Mapping[str, tuple[str, ...]]
    """tags, emails, phones, links, aliases."""
    notes: str
    uid: str | None
    created: float | None


@dataclass(frozen=True)
class RecordItem:
    """An interaction or a prompt: when, and whom it names (by the file's id or by name)."""

    at: float
    person_ref: int | None
    person_name: str | None
    fields: Mapping[str, Any]
    """Interactions: via, note, source. Prompts: kind (as stored), category, action, action_at,
    message, used_s, delivery, held_back."""


@dataclass(frozen=True)
class UnscrollExport:
    """The whole file, checked."""

    version: int
    spans: list[SpanItem]
    people: list[PersonItem]
    interactions: list[RecordItem]
    prompts: list[RecordItem]


_MISSING: Any = object()


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Reader:
    """Reads fields of the file's items, failing with the file and the item's place."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> InputError:
        return InputError(f"{self.path}: {where}: {problem}")

    def value(self, item: Mapping[str, Any], key: str, where: str, check: Callable[[object], bool],
              accepted: str, default: Any = _MISSING, nullable: bool = False) -> Any:
        """``item[key]`` if ``check`` accepts it (or null, if ``nullable``); ``default`` when missing."""
        if key not in item:
            if default is _MISSING:
                raise self.fail(where, f"{key} is missing; expected {accepted}")
            return default
        value = item[key]
        if (value is None and nullable) or check(value):
            return value
        raise self.fail(f"{where}.{key}", f"{value!r} is not {accepted}" + (" or null" if nullable else ""))

    def text(self, item: Mapping[str, Any], key: str, where: str, default: Any = _MISSING,
             nullable: bool = False) -> Any:
        """A string field."""
        return self.value(item, key, where, _is_text, "a string in quotes", default, nullable)

    def number(self, item: Mapping[str, Any], key: str, where: str, default: Any = _MISSING,
               nullable: bool = False) -> Any:
        """A number field (a float, as JSON numbers are)."""
        found = self.value(item, key, where, _is_number, "a number", default, nullable)
        return float(found) if _is_number(found) else found

    def instant(self, item: Mapping[str, Any], where: str, iso_key: str, number_key: str) -> float:
        """The time of an item: ``number_key`` (Unix seconds, version 1) or ``iso_key`` (ISO 8601)."""
        if _is_number(item.get(number_key)):
            key, instant = number_key, float(item[number_key])
        else:
            accepted = f"an ISO 8601 time with an offset, like {TIME_EXAMPLE}"
            key, text = iso_key, self.value(item, iso_key, where, _is_text, accepted)
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise self.fail(f"{where}.{iso_key}", f"{text!r} is not {accepted}") from None
            if moment.tzinfo is None:
                raise self.fail(f"{where}.{iso_key}", f"{text!r} has no offset; write it like {TIME_EXAMPLE}")
            instant = moment.timestamp()
        if not EARLIEST <= instant <= LATEST:
            raise self.fail(f"{where}.{key}", "is not between 1990 and 2200")
        return instant

    def items(self, document: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        """The list ``document[key]`` (missing: empty), each entry an object."""
        value = document.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "must be a list (it may be empty: [])")
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{key}[{index}]", "must be an object {...}")
        return value


def load_document(path: Path) -> dict[str, Any]:
    """Parse ``path`` as JSON (an object), with errors that say where the file is broken."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        try:
            document = orjson.loads(raw)
        except orjson.JSONDecodeError:
            document = json.loads(raw)  # for the standard library's line and column in the error
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; "
                         "expected a file written by `unscroll export --format json`") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not JSON text (not UTF-8); expected a file written by "
                         "`unscroll export --format json`") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be an unscroll export") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f'{path}: not an unscroll export (no "format": "{FORMAT}"); expected a file '
                         "written by `unscroll export --format json`")
    return document


def read_unscroll_export(path: Path) -> UnscrollExport:
    """Read and check the export at ``path`` (InputError on anything wrong)."""
    document = load_document(path)
    version: Any = document.get("version")
    if not _is_whole(version) or version not in VERSIONS:
        newer = _is_whole(version) and version > max(VERSIONS)
        raise InputError(f"{path}: version {version!r} " + (
            "was written by a newer unscroll; upgrade unscroll to import it" if newer
            else f"is not one this unscroll reads ({', '.join(map(str, VERSIONS))})"))
    reader = _Reader(path)

    def each(key: str) -> list[tuple[Mapping[str, Any], str]]:
        return [(item, f"{key}[{index}]") for index, item in enumerate(reader.items(document, key))]

    return UnscrollExport(version, [_span(reader, item, where) for item, where in each("spans")],
                          [_person(reader, item, where) for item, where in each("people")],
                          [_interaction(reader, item, where) for item, where in each("interactions")],
                          [_prompt(reader, item, where, version) for item, where in each("prompts")])


def _span(reader: _Reader, item: Mapping[str, Any], where: str) -> SpanItem:
    start = reader.instant(item, where, "start", "start_utc")
    end = reader.instant(item, where, "end", "end_utc")
    if end < start:
        raise reader.fail(where, "ends before it starts")
    app = reader.text(item, "app", where)
    if not app:
        raise reader.fail(f"{where}.app", "is empty; expected the app's name")
    return SpanItem(start, end, app, reader.text(item, "title", where, nullable=True),
                    reader.text(item, "category", where), reader.text(item, "name", where),
                    reader.text(item, "device", where, None, nullable=True),
                    reader.text(item, "source", where, None, nullable=True))


def _string_list(reader: _Reader, value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):  # version 1 kept a list it could not decode as its JSON text
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            value = None
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        raise reader.fail(where, 'expected a list of strings, like ["friends"]')
    return tuple(value)


def _person(reader: _Reader, item: Mapping[str, Any], where: str) -> PersonItem:
    name = reader.text(item, "name", where)
    if not name.strip():
        raise reader.fail(f"{where}.name", "is empty; expected the person's name")
    lists = {key: _string_list(reader, item.get(key, []), f"{where}.{key}")
             for key in ("tags", "emails", "phones", "links", "aliases")}
    return PersonItem(reader.value(item, "id", where, _is_whole, "a whole number", None, nullable=True), name,
                      reader.number(item, "every_days", where, None, nullable=True), lists,
                      reader.text(item, "notes", where, "", nullable=True) or "",
                      reader.text(item, "uid", where, None, nullable=True),
                      reader.number(item, "created_utc", where, None, nullable=True))


def _whom(reader: _Reader, item: Mapping[str, Any], where: str) -> tuple[int | None, str | None]:
    ref = reader.value(item, "person_id", where, _is_whole, "the id of someone in people", None,
                       nullable=True)
    return ref, reader.text(item, "person", where, None, nullable=True)


def _interaction(reader: _Reader, item: Mapping[str, Any], where: str) -> RecordItem:
    at = reader.instant(item, where, "time", "at_utc")
    ref, name = _whom(reader, item, where)
    if ref is None and not name:
        raise reader.fail(where, "names nobody; expected person_id (an id in people) or person (a name)")
    fields = {"via": reader.text(item, "via", where, "other"),
              "note": reader.text(item, "note", where, "", nullable=True) or "",
              "source": reader.text(item, "source", where, "import")}
    return RecordItem(at, ref, name, fields)


def _prompt_kind(reader: _Reader, item: Mapping[str, Any], where: str, version: int) -> str:
    if isinstance(item.get("stored_kind"), str) and item["stored_kind"]:
        return str(item["stored_kind"])
    kind = reader.value(item, "kind", where, _is_text, f"one of {kind_choices()}")
    stored = kind if version == 1 else stored_kind(kind)
    if stored is None:
        raise reader.fail(f"{where}.kind", f"{kind!r} is not one of {kind_choices()}")
    return str(stored)


def _prompt(reader: _Reader, item: Mapping[str, Any], where: str, version: int) -> RecordItem:
    at = reader.instant(item, where, "time", "at_utc")
    kind = _prompt_kind(reader, item, where, version)
    ref, name = _whom(reader, item, where)
    if item.get("kind") == "person" and ref is None and not name:
        raise reader.fail(f"{where}.person", 'a "person" prompt names someone; give their name')
    if "action" in item or version == 1:
        action = reader.text(item, "action", where, None, nullable=True)
    else:
        action = stored_action(reader.text(item, "outcome", where, None, nullable=True))
    held = reader.value(item, "held_back", where, lambda v: isinstance(v, bool) or v in (0, 1),
                        "true or false", False)
    fields = {"kind": kind, "category": reader.text(item, "category", where, None, nullable=True),
              "action": action, "action_at": reader.number(item, "action_at", where, None, nullable=True),
              "message": reader.text(item, "message", where, "", nullable=True) or "",
              "used_s": reader.number(item, "used_s", where, 0.0, nullable=True) or 0.0,
              "delivery": reader.text(item, "delivery", where, None, nullable=True),
              "held_back": bool(held)}
    return RecordItem(at, ref, name, fields)
