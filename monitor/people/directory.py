"""People the user wants to keep in touch with, and the interactions that say when they last talked.

Domain rules, over the ``people`` and ``interactions`` tables of the store:

- *Last talked* is a person's latest interaction (any source: typed, logged from a
  notification, imported from HubSpot's "Last Contacted").
- *Due* is last talked + ``every_days``. A person never talked to counts from when
  they were added (as ``reports.people_stats`` does), so adding someone with
  ``--every 2w`` makes them due two weeks later unless ``--last-talked`` says otherwise.
  People without ``every`` are never due.
- Frequencies (``parse_every``) are written ``10d``, ``2w``, ``3mo`` or ``1y``: in this
  context ``3m`` would read as three *minutes* everywhere else in unscroll, so it is
  refused with a hint to write ``3mo`` or ``90d``. A month is 30 days, a year 365.
- Dates (``parse_date``) are ``YYYY-MM-DD``, ``today``, ``yesterday`` or ``3d ago`` /
  ``2w ago``. A date is a local day (counted with the configured day start) and is
  stored as noon of that day, or as ``now`` when noon is still to come; dates in the
  future are refused.
- Emails are stored lowercased; phones as digits with a leading ``+`` kept; both are
  the keys by which imports recognise a person.
- Times are UTC Unix seconds; pure helpers take ``now`` and the zone as arguments.
"""

from __future__ import annotations

import enum
import json
import logging
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from monitor.core.days import day_of
from monitor.core.errors import InputError
from monitor.store.database import Store

log = logging.getLogger(__name__)

DAY_S = 86400.0
VIA_CHOICES = ("call", "text", "email", "video", "in person", "other")
SOURCE_MANUAL = "manual"
MAX_EVERY_DAYS = 3650.0
MAX_NAME_LENGTH = 200
AMBIGUOUS_LISTED = 10

EVERY_ACCEPTED = "a frequency like 10d, 2w, 3mo or 1y (days, weeks, months of 30 days, years)"
DATE_ACCEPTED = "a date like 2024-03-15, today, yesterday, 3d ago or 2w ago"
NO_EVERY_WORDS = ("off", "none", "never", "-")

_EVERY_UNITS: dict[str, float] = {
    "d": 1, "day": 1, "days": 1,
    "w": 7, "wk": 7, "week": 7, "weeks": 7,
    "mo": 30, "mon": 30, "month": 30, "months": 30,
    "y": 365, "yr": 365, "year": 365, "years": 365,
}
_EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_AGO = re.compile(r"(\d+)\s*(d|days?|w|weeks?)\s+ago")
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+")


class _Keep(enum.Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP
"""Passed to ``edit`` for a field that must stay as it is."""


@dataclass(frozen=True)
class Interaction:
    """One time the user was in touch with a person."""

    id: int
    person_id: int
    at: float
    """When, as UTC Unix seconds."""
    via: str
    note: str
    source: str
    """Where the record came from: ``manual``, ``notification``, ``hubspot`` …"""


@dataclass(frozen=True)
class Person:
    """Someone the user wants to keep in touch with, with their latest interaction."""

    id: int
    name: str
    every_days: float | None
    tags: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    links: tuple[str, ...]
    notes: str
    last_talked: float | None
    """The latest interaction (UTC Unix seconds), or None if there is none."""
    created: float
    uid: str | None = None

    @property
    def since(self) -> float:
        """The instant the current gap is counted from: last talked, else when added."""
        return self.created if self.last_talked is None else self.last_talked

    @property
    def due(self) -> float | None:
        """When the next contact is due (UTC Unix seconds); None without ``every``."""
        if self.every_days is None:
            return None
        return self.since + self.every_days * DAY_S

    def days_since(self, now: float) -> float:
        """Days from ``since`` to ``now`` (never negative)."""
        return max(now - self.since, 0.0) / DAY_S

    def overdue_ratio(self, now: float) -> float | None:
        """Days since last talked ÷ ``every_days`` (1.0 = due now); None without ``every``."""
        if self.every_days is None or self.every_days <= 0:
            return None
        return self.days_since(now) / self.every_days

    def is_due(self, now: float) -> bool:
        """True when the person has an ``every`` and it has run out at ``now``."""
        due = self.due
        return due is not None and due <= now


# --- parsing what people type -----------------------------------------------------------------

def parse_every(text: str, *, where: str = "--every") -> float | None:
    """Read a frequency like ``2w`` or ``3mo`` as days; ``off``/``none`` mean no frequency.

    ``3m`` is refused: elsewhere in unscroll ``m`` means minutes.
    """
    cleaned = text.strip().lower()
    if cleaned in NO_EVERY_WORDS:
        return None
    match = _EVERY.fullmatch(cleaned)
    if match is None:
        if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
            raise InputError(f"{where}: {text!r} has no unit; write {cleaned}d for days, "
                             f"{cleaned}w for weeks or {cleaned}mo for months")
        raise InputError(f"{where}: {text!r} is not {EVERY_ACCEPTED}")
    number, unit = float(match.group(1)), match.group(2)
    if unit in ("m", "min", "mins", "minute", "minutes"):
        raise InputError(f"{where}: {text!r} is ambiguous (m means minutes elsewhere in unscroll); "
                         f"write {match.group(1)}mo for months or {round(number * 30)}d for days")
    if unit not in _EVERY_UNITS:
        raise InputError(f"{where}: {text!r} has an unknown unit {unit!r}; expected {EVERY_ACCEPTED}")
    days = number * _EVERY_UNITS[unit]
    if days <= 0 or days > MAX_EVERY_DAYS:
        raise InputError(f"{where}: {text!r} must be more than 0 days and at most 10 years")
    return days


def format_every(days: float | None) -> str:
    """Write a frequency back the way it is typed: ``2w``, ``3mo``, ``1y``, ``10d``; ``-`` for none."""
    if days is None:
        return "-"
    for unit, size in (("y", 365.0), ("mo", 30.0), ("w", 7.0)):
        count = days / size
        if days >= size and abs(count - round(count)) < 1e-9:
            return f"{round(count)}{unit}"
    return f"{days:g}d"


def local_date(instant: float, zone: tzinfo, starts_at: time = time(0)) -> date:
    """The local day an instant belongs to (with the configured day start)."""
    return day_of(instant, starts_at, zone)


def parse_date(text: str, *, now: float, zone: tzinfo, starts_at: time = time(0),
               where: str = "date") -> float:
    """Read ``YYYY-MM-DD``, ``today``, ``yesterday`` or ``3d ago`` as an instant (see module doc)."""
    cleaned = " ".join(text.strip().lower().split())
    today = local_date(now, zone, starts_at)
    day: date
    if cleaned == "today":
        day = today
    elif cleaned == "yesterday":
        day = today - timedelta(days=1)
    elif (ago := _AGO.fullmatch(cleaned)) is not None:
        count = int(ago.group(1))
        day = today - timedelta(days=count * (7 if ago.group(2).startswith("w") else 1))
    else:
        try:
            day = date.fromisoformat(cleaned)
        except ValueError:
            raise InputError(f"{where}: {text!r} is not {DATE_ACCEPTED}") from None
    if day > today:
        raise InputError(f"{where}: {text!r} is in the future (today is {today.isoformat()})")
    noon = datetime.combine(day, time(12), tzinfo=zone).timestamp()
    return min(noon, now)


def normalize_via(text: str) -> str:
    """``Call`` → ``call``, ``in-person`` → ``in person``; InputError for anything else."""
    cleaned = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    if cleaned == "inperson":
        cleaned = "in person"
    if cleaned not in VIA_CHOICES:
        raise InputError(f"--via: {text!r} is not one of {', '.join(VIA_CHOICES)}")
    return cleaned


def normalize_email(text: str) -> str | None:
    """An email lowercased and stripped of ``mailto:``; None when it is not an address."""
    cleaned = text.strip()
    if cleaned.lower().startswith("mailto:"):
        cleaned = cleaned[7:]
    cleaned = cleaned.strip().strip("<>").lower()
    return cleaned if _EMAIL.fullmatch(cleaned) else None


def normalize_phone(text: str) -> str | None:
    """A phone number as its digits, keeping a leading ``+``; None with fewer than 3 digits."""
    cleaned = text.strip()
    if cleaned.lower().startswith("tel:"):
        cleaned = cleaned[4:].strip()
    digits = "".join(ch for ch in cleaned if ch.isdigit() and ch.isascii())
    if len(digits) < 3:
        return None
    return ("+" if cleaned.startswith("+") else "") + digits


def fold(text: str) -> str:
    """A name for matching: case-folded, spaces collapsed, accents dropped from Latin/Greek/Cyrillic."""
    kept: list[str] = []
    base = 0
    for char in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(char):
            if base < 0x0590:
                continue
        else:
            base = ord(char)
        kept.append(char)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("name: a person needs a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InputError(f"name: {len(cleaned)} characters is too long (at most {MAX_NAME_LENGTH})")
    return cleaned


def union(existing: Iterable[str], extra: Iterable[str],
          key: Callable[[str], str] = str.casefold) -> tuple[str, ...]:
    """The items of ``existing`` then the new ones of ``extra``, stripped, each once (by ``key``)."""
    seen: set[str] = set()
    result: list[str] = []
    for item in (*existing, *extra):
        cleaned = item.strip()
        if cleaned and key(cleaned) not in seen:
            seen.add(key(cleaned))
            result.append(cleaned)
    return tuple(result)


def _without(existing: Iterable[str], removed: Iterable[str],
             key: Callable[[str], str] = str.casefold) -> tuple[str, ...]:
    gone = {key(item.strip()) for item in removed}
    return tuple(item for item in existing if key(item) not in gone)


def _emails(values: Iterable[str], *, strict: bool) -> tuple[str, ...]:
    result = []
    for value in values:
        email = normalize_email(value)
        if email is None:
            if strict:
                raise InputError(f"--email: {value!r} is not an email address like sam@example.com")
            log.debug("ignoring %r: not an email address", value)
            continue
        result.append(email)
    return union((), result)


def _phones(values: Iterable[str], *, strict: bool) -> tuple[str, ...]:
    result = []
    for value in values:
        phone = normalize_phone(value)
        if phone is None:
            if strict:
                raise InputError(f"--phone: {value!r} is not a phone number (it needs at least 3 "
                                 "digits, like +44 20 7946 0958)")
            log.debug("ignoring %r: not a phone number", value)
            continue
        result.append(phone)
    return union((), result)


# --- reading and writing rows -----------------------------------------------------------------

_SELECT = (
    "SELECT p.id, p.name, p.every_days, p.tags, p.emails, p.phones, p.links, p.notes, "
    "p.created_utc, p.uid, (SELECT MAX(i.at_utc) FROM interactions i WHERE i.person_id = p.id) "
    "FROM people p"
)


def _list(text: object) -> tuple[str, ...]:
    try:
        value = json.loads(str(text))
    except ValueError:
        return ()
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _person(row: Sequence[object]) -> Person:
    (pid, name, every, tags, emails, phones, links, notes, created, uid, last) = row
    return Person(
        id=int(str(pid)), name=str(name),
        every_days=None if every is None else float(str(every)),
        tags=_list(tags), emails=_list(emails), phones=_list(phones), links=_list(links),
        notes=str(notes or ""), last_talked=None if last is None else float(str(last)),
        created=float(str(created)), uid=None if uid is None else str(uid),
    )


def _json(items: Sequence[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def load_all(connection: sqlite3.Connection) -> list[Person]:
    """Every person, by id."""
    return [_person(row) for row in connection.execute(_SELECT + " ORDER BY p.id").fetchall()]


def load(connection: sqlite3.Connection, person_id: int) -> Person | None:
    """The person with ``person_id``, or None."""
    row = connection.execute(_SELECT + " WHERE p.id = ?", (person_id,)).fetchone()
    return None if row is None else _person(row)


def insert_person(connection: sqlite3.Connection, person: Person) -> int:
    """Store a new person (``person.id`` and ``last_talked`` are ignored); return the new id."""
    cursor = connection.execute(
        "INSERT INTO people (name, every_days, tags, emails, phones, links, notes, uid, created_utc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (person.name, person.every_days, _json(person.tags), _json(person.emails),
         _json(person.phones), _json(person.links), person.notes, person.uid, person.created),
    )
    return int(cursor.lastrowid or 0)


def update_person(connection: sqlite3.Connection, person: Person) -> None:
    """Write every field of ``person`` (but ``created``) to its row."""
    connection.execute(
        "UPDATE people SET name = ?, every_days = ?, tags = ?, emails = ?, phones = ?, links = ?, "
        "notes = ?, uid = ? WHERE id = ?",
        (person.name, person.every_days, _json(person.tags), _json(person.emails),
         _json(person.phones), _json(person.links), person.notes, person.uid, person.id),
    )


def insert_interaction(connection: sqlite3.Connection, person_id: int, at: float, via: str,
                       note: str, source: str) -> bool:
    """Store an interaction unless the same (person, instant, source) is stored; True if added."""
    cursor = connection.execute(
        "INSERT INTO interactions (person_id, at_utc, via, note, source) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (person_id, at_utc, source) DO NOTHING",
        (person_id, at, via, note, source),
    )
    return cursor.rowcount > 0


# --- finding people ---------------------------------------------------------------------------

def _described(person: Person) -> str:
    extra = person.emails[:1] or person.phones[:1]
    return f"{person.name} (#{person.id}{', ' + extra[0] if extra else ''})"


def match_people(people: Sequence[Person], query: str) -> Person:
    """The one person ``query`` names (see ``find_by_query``); InputError otherwise."""
    text = " ".join(query.split())
    if not text:
        raise InputError("name: give a name, or part of one")
    if not people:
        raise InputError(f"no one matches {query!r}: your list is empty; add someone with "
                         'unscroll people add "Name" --every 2w')
    if re.fullmatch(r"#\d+", text):
        wanted = int(text[1:])
        for person in people:
            if person.id == wanted:
                return person
        raise InputError(f"no one has the number {text}; `unscroll people list` shows everyone")
    folded = fold(text)
    exact = [person for person in people if fold(person.name) == folded]
    if len(exact) == 1:
        return exact[0]
    words = folded.split()
    matches = exact or [person for person in people
                        if all(word in fold(person.name) for word in words)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputError(f"no one matches {query!r}; `unscroll people list` shows everyone")
    matches = sorted(matches, key=lambda person: (fold(person.name), person.id))
    listed = ", ".join(_described(person) for person in matches[:AMBIGUOUS_LISTED])
    more = f" and {len(matches) - AMBIGUOUS_LISTED} more" if len(matches) > AMBIGUOUS_LISTED else ""
    raise InputError(f"{query!r} matches {len(matches)} people: {listed}{more}; "
                     "use more of the name, or #number")


def find_by_query(store: Store, query: str) -> Person:
    """The person named by ``query``: ``#id``, the exact full name, or any unambiguous part of it.

    Matching ignores case and accents; every word of the query must occur in the name
    ("sam lee" finds "Samuel Lee"). An exact full-name match wins over partial ones.
    Raises InputError listing the matches when several fit, or saying none does.
    """
    return match_people(load_all(store.connection), query)


def get(store: Store, person_id: int) -> Person:
    """The person with ``person_id``; InputError if there is none (e.g. removed meanwhile)."""
    person = load(store.connection, person_id)
    if person is None:
        raise InputError(f"no one has the number #{person_id} (removed?)")
    return person


# --- commands over the store ------------------------------------------------------------------

def _check_unique(people: Sequence[Person], candidate: Person) -> None:
    for other in people:
        if other.id == candidate.id:
            continue
        if fold(other.name) == fold(candidate.name):
            raise InputError(f"{candidate.name!r} is already in your list ({_described(other)}); "
                             "edit them with `unscroll people edit`, or use a different name")
        for email in set(candidate.emails) & set(other.emails):
            raise InputError(f"{email} is already {other.name}'s email (#{other.id})")
        for phone in set(candidate.phones) & set(other.phones):
            raise InputError(f"{phone} is already {other.name}'s phone (#{other.id})")
        if candidate.uid is not None and candidate.uid == other.uid:
            raise InputError(f"the uid {candidate.uid!r} already belongs to {other.name} (#{other.id})")


def add(store: Store, name: str, *, now: float, every_days: float | None = None,
        tags: Iterable[str] = (), emails: Iterable[str] = (), phones: Iterable[str] = (),
        links: Iterable[str] = (), notes: str = "", last_talked: float | None = None,
        uid: str | None = None) -> Person:
    """Add a person (and, with ``last_talked``, an interaction then); return them as stored.

    Refuses a name already in the list, an email or phone that belongs to someone else,
    a bad email or phone, a frequency out of range and a ``last_talked`` after ``now``.
    """
    if every_days is not None and not 0 < every_days <= MAX_EVERY_DAYS:
        raise InputError(f"--every: {every_days:g} days must be more than 0 and at most 10 years")
    if last_talked is not None and last_talked > now:
        raise InputError("--last-talked: the date is in the future")
    draft = Person(id=0, name=_clean_name(name), every_days=every_days, tags=union((), tags),
                   emails=_emails(emails, strict=True), phones=_phones(phones, strict=True),
                   links=union((), links, key=str), notes=notes.strip(), last_talked=None,
                   created=now, uid=uid)
    with store.transaction() as connection:
        _check_unique(load_all(connection), draft)
        person_id = insert_person(connection, draft)
        if last_talked is not None:
            insert_interaction(connection, person_id, last_talked, "other", "", SOURCE_MANUAL)
    log.info("added person #%d", person_id)
    return get(store, person_id)


def edit(store: Store, person: Person, *, name: str | None = None,
         every_days: float | _Keep | None = KEEP, add_tags: Iterable[str] = (),
         remove_tags: Iterable[str] = (), add_emails: Iterable[str] = (),
         remove_emails: Iterable[str] = (), add_phones: Iterable[str] = (),
         remove_phones: Iterable[str] = (), add_links: Iterable[str] = (),
         remove_links: Iterable[str] = (), notes: str | None = None,
         append_note: str | None = None) -> Person:
    """Change a person: rename, set or clear ``every`` (None clears), add/remove list items, notes.

    Removing something the person does not have is an InputError, as is an email or
    phone that belongs to someone else or a name already in use.
    """
    with store.transaction() as connection:
        current = load(connection, person.id)
        if current is None:
            raise InputError(f"{person.name} (#{person.id}) is no longer in your list")
        _check_removals(current, remove_tags, remove_emails, remove_phones, remove_links)
        if every_days is not KEEP and every_days is not None and not 0 < every_days <= MAX_EVERY_DAYS:
            raise InputError(f"--every: {every_days:g} days must be more than 0 and at most 10 years")
        new_notes = current.notes if notes is None else notes.strip()
        if append_note and append_note.strip():
            new_notes = f"{new_notes}\n{append_note.strip()}" if new_notes else append_note.strip()
        updated = Person(
            id=current.id,
            name=current.name if name is None else _clean_name(name),
            every_days=current.every_days if isinstance(every_days, _Keep) else every_days,
            tags=union(_without(current.tags, remove_tags), add_tags),
            emails=union(_without(current.emails, _emails(remove_emails, strict=False), key=str),
                          _emails(add_emails, strict=True), key=str),
            phones=union(_without(current.phones, _phones(remove_phones, strict=False), key=str),
                          _phones(add_phones, strict=True), key=str),
            links=union(_without(current.links, remove_links, key=str), add_links, key=str),
            notes=new_notes, last_talked=current.last_talked, created=current.created,
            uid=current.uid,
        )
        _check_unique(load_all(connection), updated)
        update_person(connection, updated)
    return get(store, person.id)


def _check_removals(person: Person, tags: Iterable[str], emails: Iterable[str],
                    phones: Iterable[str], links: Iterable[str]) -> None:
    checks: list[tuple[str, Iterable[str], tuple[str, ...], Callable[[str], str | None]]] = [
        ("tag", tags, person.tags, str.casefold),
        ("email", emails, person.emails, normalize_email),
        ("phone", phones, person.phones, normalize_phone),
        ("link", links, person.links, str.strip),
    ]
    for label, wanted, have, key in checks:
        have_keys = {key(item) for item in have}
        for item in wanted:
            if key(item) not in have_keys:
                listed = ", ".join(have) or "none"
                raise InputError(f"{person.name} has no {label} {item!r} (they have: {listed})")


def remove(store: Store, person: Person) -> int:
    """Delete a person and their interactions; return how many interactions went with them."""
    with store.transaction() as connection:
        count = int(connection.execute("SELECT COUNT(*) FROM interactions WHERE person_id = ?",
                                       (person.id,)).fetchone()[0])
        deleted = connection.execute("DELETE FROM people WHERE id = ?", (person.id,)).rowcount
        if not deleted:
            raise InputError(f"{person.name} (#{person.id}) is no longer in your list")
    log.info("removed person #%d and %d interactions", person.id, count)
    return count


def log_interaction(store: Store, person: Person, *, at: float, now: float, via: str = "other",
                    note: str = "", source: str = SOURCE_MANUAL) -> Interaction:
    """Record that the user was in touch with ``person`` at ``at``; return the stored interaction.

    ``via`` is one of VIA_CHOICES; ``at`` after ``now`` is refused. Logging the same
    instant from the same source again returns the interaction already stored.
    """
    kind = normalize_via(via)
    if at > now:
        raise InputError(f"when: {datetime.fromtimestamp(at).isoformat(timespec='minutes')} "
                         "is in the future")
    with store.transaction() as connection:
        if load(connection, person.id) is None:
            raise InputError(f"{person.name} (#{person.id}) is no longer in your list")
        insert_interaction(connection, person.id, at, kind, note.strip(), source)
    row = store.connection.execute(
        "SELECT id, person_id, at_utc, via, note, source FROM interactions "
        "WHERE person_id = ? AND at_utc = ? AND source = ?", (person.id, at, source)).fetchone()
    return _interaction(row)


def _interaction(row: Sequence[object]) -> Interaction:
    iid, pid, at, via, note, source = row
    return Interaction(int(str(iid)), int(str(pid)), float(str(at)), str(via), str(note), str(source))


def interactions_of(store: Store, person: Person, limit: int | None = None) -> list[Interaction]:
    """A person's interactions, latest first (at most ``limit``)."""
    rows = store.connection.execute(
        "SELECT id, person_id, at_utc, via, note, source FROM interactions WHERE person_id = ? "
        "ORDER BY at_utc DESC, id DESC LIMIT ?", (person.id, -1 if limit is None else limit),
    ).fetchall()
    return [_interaction(row) for row in rows]


def overdue_order(people: Iterable[Person], now: float) -> list[Person]:
    """People with ``every`` first, most overdue (highest ratio) first; then the rest by name."""
    def key(person: Person) -> tuple[int, float, str, int]:
        ratio = person.overdue_ratio(now)
        if ratio is None:
            return (1, 0.0, fold(person.name), person.id)
        return (0, -ratio, fold(person.name), person.id)
    return sorted(people, key=key)


def list_people(store: Store, *, now: float, tag: str | None = None,
                due_only: bool = False) -> list[Person]:
    """Everyone (with ``tag``; only those due at ``now`` with ``due_only``), most overdue first."""
    people = load_all(store.connection)
    if tag is not None:
        wanted = tag.strip().casefold()
        people = [person for person in people if wanted in {t.casefold() for t in person.tags}]
    if due_only:
        people = [person for person in people if person.is_due(now)]
    return overdue_order(people, now)


def count_people(store: Store) -> int:
    """How many people are in the list."""
    return int(store.connection.execute("SELECT COUNT(*) FROM people").fetchone()[0])


@dataclass(frozen=True)
class SuggestionHistory:
    """What ``suggest.rank`` needs to know about past prompts."""

    suggested_at: dict[int, float]
    """Person id → the latest time they were named in a prompt."""
    skipped: frozenset[int]
    """People the user answered "Someone else" to today."""


def suggestion_history(store: Store, *, since: float, day_start: float,
                       skip_actions: Iterable[str] = ("someone-else",)) -> SuggestionHistory:
    """Read, from the ``prompts`` table, who was suggested since ``since`` and who was skipped today.

    A prompt row with a ``person_id`` is a suggestion of that person; one whose
    ``action`` is in ``skip_actions`` with ``action_at`` at or after ``day_start`` is a skip.
    """
    suggested = {
        int(pid): float(at) for pid, at in store.connection.execute(
            "SELECT person_id, MAX(at_utc) FROM prompts WHERE person_id IS NOT NULL AND at_utc >= ? "
            "GROUP BY person_id", (since,)).fetchall()
    }
    actions = list(skip_actions)
    marks = ", ".join("?" for _ in actions) or "NULL"
    skipped = frozenset(
        int(row[0]) for row in store.connection.execute(
            f"SELECT DISTINCT person_id FROM prompts WHERE person_id IS NOT NULL "  # noqa: S608
            f"AND action IN ({marks}) AND action_at >= ?", (*actions, day_start)).fetchall()
    )
    return SuggestionHistory(suggested, skipped)
