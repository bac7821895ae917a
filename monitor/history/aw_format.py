"""Reading and checking an ActivityWatch export (``aw-buckets-export.json``), without storing anything.

The file is ``{"buckets": {id: {"type", "hostname", "events": [{"timestamp", "duration",
"data"}]}}}``. Bucket types read: ``currentwindow`` (desktop watchers: data ``app`` and
``title``; aw-android: ``package`` with the app's label in ``app``), ``afkstatus``
(``status`` ``afk`` or ``not-afk``) and ``web.tab.current`` (``url``, ``title``,
``incognito``, and ``audible`` where the watcher writes it). Other types (lock screen
unlocks, input counts…) are counted and left out.

A file that is not JSON, is cut short, is not shaped like an export, or holds an event
with a bad or missing field is refused as a whole with an InputError naming the bucket,
the event's number and the field: a partial import would be hard to notice and to undo.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from sys import intern
from typing import Any, Final, NamedTuple, cast

import orjson

from monitor.core.errors import InputError

WINDOW = "currentwindow"
AFK = "afkstatus"
WEB_PREFIX = "web.tab"
MAX_EVENT_SECONDS = 366 * 86400.0
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC).timestamp()
LATEST = datetime(2200, 1, 1, tzinfo=UTC).timestamp()
HOW_TO_EXPORT = ("expected an ActivityWatch export such as aw-buckets-export.json "
                 "(ActivityWatch → Settings → Export all buckets as JSON)")


class AwEvent(NamedTuple):
    """One event of a bucket: its time and what it says (fields by bucket kind)."""

    start: float
    end: float
    key: str
    """The event's identity within its bucket: its id when the file has one, else its timestamp."""
    app: str = ""
    title: str | None = None
    url: str = ""
    afk: bool = False
    incognito: bool = False
    audible: bool = False
    """A web tab that was playing sound (aw-watcher-web's ``audible``)."""


_new_event = tuple.__new__
"""Builds an AwEvent from a tuple of all its fields, without the generated ``__new__``'s call."""
EventFields = tuple[float, float, str, str, str | None, str, bool, bool, bool]
"""An AwEvent's fields as a plain tuple, in its order: what the streaming import keeps (marshal writes it)."""
# where an event's start, end and private flag are, in an AwEvent and in its plain fields alike
_START: Final = 0
_END: Final = 1
_INCOGNITO: Final = 7


@dataclass(frozen=True)
class AwBucket:
    """One bucket of the export."""

    id: str
    type: str
    hostname: str
    kind: str
    """``window``, ``android``, ``afk``, ``web`` or ``other`` (not read)."""
    events: list[AwEvent] = field(default_factory=list)
    event_count: int = 0


def kind_of(bucket_id: str, bucket_type: str) -> str:
    """What a bucket holds: ``window``, ``android``, ``afk``, ``web`` or ``other``."""
    if bucket_type == WINDOW:
        return "android" if bucket_id.startswith("aw-watcher-android") else "window"
    if bucket_type == AFK:
        return "afk"
    if bucket_type.startswith(WEB_PREFIX):
        return "web"
    return "other"


class Where:
    """Builds error messages that name the file, bucket and event."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, problem: str, bucket: str | None = None, event: int | None = None) -> InputError:
        """An InputError saying ``problem`` at the file, bucket and event (counted from 1) named."""
        place = str(self.path)
        if bucket is not None:
            place += f": bucket {bucket!r}"
        if event is not None:
            place += f", event {event + 1}"
        return InputError(f"{place}: {problem}")


def _parse_json(raw: bytes) -> Any:
    """``json.loads(raw)`` in less than half the time and memory, through orjson where it can.

    orjson builds the objects straight from the UTF-8 bytes; the standard library first
    decodes the whole file into one string, four bytes a character once a title holds an
    emoji. What orjson refuses (NaN, lone surrogates, text that is not UTF-8, a broken
    file) goes to the standard library, so what is read, and the error that says where a
    file is broken, are the standard library's. The one difference: orjson reads integers
    beyond 64 bits as floats, and no export holds one (event ids are SQLite row ids).
    """
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def load_json(path: Path) -> Any:
    """Parse ``path`` as JSON, with errors that say where the file is broken."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        return _parse_json(raw)
    except json.JSONDecodeError as exc:
        cut = " (the file looks cut short)" if not raw.rstrip().endswith((b"}", b"]")) else ""
        raise InputError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg}{cut}; {HOW_TO_EXPORT}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not JSON text (not UTF-8); {HOW_TO_EXPORT}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be an ActivityWatch export") from None


def _timestamp(value: object, where: Where, bucket: str, index: int) -> float:
    if not isinstance(value, str):
        raise where.fail(f"timestamp is {value!r}; expected an ISO 8601 time like "
                         "\"2026-11-27T10:46:01.5+00:00\"", bucket, index)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise where.fail(f"timestamp {value[:60]!r} is not an ISO 8601 time like "
                         "\"2026-11-27T10:46:01.5+00:00\"", bucket, index) from None
    if moment.tzinfo is None:  # ActivityWatch writes UTC; a bare time is read as UTC too
        moment = moment.replace(tzinfo=UTC)
    try:
        instant = moment.timestamp()
    except (OverflowError, OSError, ValueError):
        instant = math.nan
    if not EARLIEST <= instant < LATEST:
        raise where.fail(f"timestamp {value!r} is outside the years 1990 to 2199", bucket, index)
    return instant


def _duration(value: object, where: Where, bucket: str, index: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.fail(f"duration is {value!r}; expected a number of seconds", bucket, index)
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise where.fail(f"duration is {value!r}; expected a number of seconds, 0 or more", bucket, index)
    if seconds > MAX_EVENT_SECONDS:
        raise where.fail(f"duration is {value!r} seconds, longer than a year", bucket, index)
    return seconds


def _text(data: dict[str, Any], key: str, where: Where, bucket: str, index: int, *,
          required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        missing = "is missing" if key not in data else f"is {value!r}, not text"
        raise where.fail(f"data.{key} {missing}", bucket, index)
    return value


def plain_window_event(stamp: Any, duration: Any, app: Any, title: Any, event_id: Any) -> EventFields | None:
    """The fields of a desktop window event of the common shape (None: anything unusual).

    Anything unusual (a naive timestamp, a missing title, a duration out of range…) takes the
    checked path (``_event``), which also writes the error message.
    """
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # naive: the checked path reads it as UTC
        return None
    start = moment.timestamp()
    if (type(duration) in (float, int) and type(app) is str and type(title) is str
            and (event_id is None or type(event_id) in (int, str))
            and 0 <= duration <= MAX_EVENT_SECONDS and EARLIEST <= start < LATEST):
        # exports from aw-server carry event ids: the key is the id then, as in _event
        key = stamp if event_id is None else str(event_id)
        # a window's events share one copy of its app and title (interned): the scratch file then
        # writes each once per batch, and reading them back makes one object, its hash kept
        return (start, start + duration, key, intern(app), intern(title), "", False, False, False)
    return None


class InexactId(Exception):
    """An event's id is a float where the parser may have read a whole number too long for it as one."""


def _plain_fields(raw: Any) -> EventFields | None:
    """The fields of a usual desktop window event, read already or from its object (None: unusual)."""
    if type(raw) is tuple:  # read by its shape from its tokens (aw_tokens); JSON itself makes no tuples
        return raw
    try:
        data = raw["data"]
        return None if "package" in data else plain_window_event(
            raw["timestamp"], raw["duration"], data["app"], data["title"], raw.get("id"))
    except (AttributeError, KeyError, TypeError):
        return None


def _window_events(events: Iterable[Any], where: Where, bucket: str, first: int,
                   floats_exact: bool) -> Iterator[AwEvent]:
    """A desktop window bucket's events: the usual ones read by ``plain_window_event``, others by ``_event``.

    A year of focus changes is a few hundred thousand events, so the usual event costs one
    call beyond the parsing itself.
    """
    for index, raw in enumerate(events, first):
        fields = _plain_fields(raw)
        yield _new_event(AwEvent, fields) if fields is not None else \
            _event(raw, "window", where, bucket, index, floats_exact)


def checked_fields(events: list[Any], kind: str, where: Where, bucket: str, *, first: int = 0,
                   floats_exact: bool = True) -> list[EventFields]:
    """As ``checked_events`` for a batch, each event as the plain tuple of its fields.

    The streaming import keeps events so: a usual desktop window event is then one tuple,
    built once, and one call; the unusual ones are checked after, in order, so the first
    bad event is still the one named.
    """
    if kind != "window":
        return [(*event,) for event in checked_events(events, kind, where, bucket, first=first,
                                                       floats_exact=floats_exact)]
    found = [_plain_fields(raw) for raw in events]
    if None not in found:
        return cast(list[EventFields], found)
    return [fields if fields is not None else (*_event(raw, "window", where, bucket, index, floats_exact),)
            for index, (raw, fields) in enumerate(zip(events, found, strict=True), first)]


def _event(raw: object, kind: str, where: Where, bucket: str, index: int,
           floats_exact: bool = True) -> AwEvent:
    if not isinstance(raw, dict):
        raise where.fail("is not an object with timestamp, duration and data", bucket, index)
    for key in ("timestamp", "duration", "data"):
        if key not in raw:
            raise where.fail(f"has no {key!r}; expected timestamp, duration and data", bucket, index)
    start = _timestamp(raw["timestamp"], where, bucket, index)
    end = start + _duration(raw["duration"], where, bucket, index)
    data = raw["data"]
    if not isinstance(data, dict):
        raise where.fail(f"data is {type(data).__name__}, expected an object", bucket, index)
    event_id = raw.get("id")
    if type(event_id) is float and not floats_exact:
        raise InexactId(f"{bucket}: event {index}: id {event_id!r}")
    key = str(event_id) if isinstance(event_id, int | str) and not isinstance(event_id, bool) \
        else str(raw["timestamp"])
    if kind == "afk":
        status = data.get("status")
        if status not in ("afk", "not-afk"):
            raise where.fail(f"data.status is {status!r}; expected \"afk\" or \"not-afk\"", bucket, index)
        return AwEvent(start, end, key, afk=status == "afk")
    if kind == "web":
        url = _text(data, "url", where, bucket, index) or ""
        title = _text(data, "title", where, bucket, index, required=False)
        incognito = data.get("incognito") is True
        return AwEvent(start, end, key, title=title, url=url, incognito=incognito,
                       audible=data.get("audible") is True)
    if "package" in data:  # aw-android: the package name is the app, its label the title
        package = _text(data, "package", where, bucket, index) or ""
        label = _text(data, "app", where, bucket, index, required=False)
        return AwEvent(start, end, key, app=package, title=label)
    app = _text(data, "app", where, bucket, index) or ""
    title = _text(data, "title", where, bucket, index, required=kind != "android")
    return AwEvent(start, end, key, app=app, title=title)


def checked_events(events: Iterable[Any], kind: str, where: Where, bucket: str, *,
                   first: int = 0, floats_exact: bool = True) -> Iterator[AwEvent]:
    """A bucket's events of ``kind``, each checked as read (InputError naming the first bad one).

    ``first`` is the number of the bucket's events before these (messages count from it).
    Without ``floats_exact`` (the parser reads a whole number too long for 64 bits as a
    float: orjson), an id that is a float raises InexactId: the file is to be read otherwise.
    """
    if kind == "window":
        return _window_events(events, where, bucket, first, floats_exact)
    if kind == "other":
        return iter(())
    return (_event(event, kind, where, bucket, index, floats_exact)
            for index, event in enumerate(events, first))


def tally_skips(kind: str, bucket_type: str, events: Sequence[EventFields], count: int,
                skip: Callable[[str, int], None]) -> None:
    """Count the events of one bucket (or a batch of it) that are left out whole, and why.

    ``events`` are AwEvents or their plain fields (``checked_fields``).
    """
    if kind == "other":
        skip(f"{bucket_type} events (not screen time)", count)
        return
    if kind == "afk":
        return  # away events only mark absence: none of them is left out
    skip("events of zero length", sum(1 for e in events if e[_END] <= e[_START]))
    if kind == "web":
        skip("incognito tabs (never stored)", sum(1 for e in events if e[_INCOGNITO]))


def not_private(events: list[EventFields]) -> list[EventFields]:
    """The events that are not of a private (incognito) tab."""
    return [event for event in events if not event[_INCOGNITO]]


def any_with_length(events: Iterable[EventFields]) -> bool:
    """Whether any of ``events`` lasts longer than an instant."""
    return any(event[_END] > event[_START] for event in events)


def parse_export(document: object, path: Path) -> list[AwBucket]:
    """Check the shape of a parsed export and read its buckets (InputError on anything wrong)."""
    where = Where(path)
    if not isinstance(document, dict) or not isinstance(document.get("buckets"), dict):
        raise where.fail(f"not an ActivityWatch export: no \"buckets\" object at the top; {HOW_TO_EXPORT}")
    buckets = []
    for bucket_key, raw in document["buckets"].items():
        if not isinstance(raw, dict):
            raise where.fail("is not an object", str(bucket_key))
        raw_id = raw.get("id")
        bucket_id = raw_id if isinstance(raw_id, str) else str(bucket_key)
        bucket_type = raw.get("type")
        events = raw.get("events")
        if not isinstance(bucket_type, str):
            raise where.fail(f"has no \"type\" (got {bucket_type!r}); expected e.g. \"currentwindow\"",
                             bucket_id)
        if not isinstance(events, list):
            raise where.fail("has no \"events\" list", bucket_id)
        hostname = raw.get("hostname") if isinstance(raw.get("hostname"), str) else ""
        kind = kind_of(bucket_id, bucket_type)
        parsed = list(checked_events(events, kind, where, bucket_id))
        buckets.append(AwBucket(bucket_id, bucket_type, hostname or "", kind, parsed, len(events)))
    return buckets


def read_export(path: Path) -> list[AwBucket]:
    """Read and check the ActivityWatch export at ``path``."""
    return parse_export(load_json(path), path)
