"""The people directory: add, edit, find, log and remove people and their interactions in the store.

These are the operations the commands and the connection prompt call. The model
(``Person``, due dates, matching) lives in ``monitor.people.model``, reading what is
typed in ``monitor.people.parsing``, and the SQL in ``monitor.store.people``.

- A name must be unique (ignoring case and accents), as must each email, phone and uid.
- Adding someone with ``last_talked`` also logs an interaction then (``via`` other).
- Dates after ``now`` are refused; so are frequencies outside (0, 10 years].
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from monitor.core.errors import InputError
from monitor.core.vocabulary import SOMEONE_ELSE
from monitor.people.model import (
    KEEP,
    MAX_EVERY_DAYS,
    MAX_NAME_LENGTH,
    SOURCE_MANUAL,
    Interaction,
    Keep,
    Person,
    SuggestionHistory,
    described,
    fold,
    match_people,
    overdue_order,
    union,
)
from monitor.people.parsing import normalize_email, normalize_phone, normalize_via
from monitor.store import people as stored
from monitor.store.database import Store

log = logging.getLogger(__name__)


# --- checking what is typed -----------------------------------------------------------------

def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("name: a person needs a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InputError(f"name: {len(cleaned)} characters is too long (at most {MAX_NAME_LENGTH})")
    return cleaned


def _check_every(every_days: float | None) -> None:
    if every_days is not None and not 0 < every_days <= MAX_EVERY_DAYS:
        raise InputError(f"--every: {every_days:g} days must be more than 0 and at most 10 years")


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


def _check_unique(people: Sequence[Person], candidate: Person) -> None:
    for other in people:
        if other.id == candidate.id:
            continue
        if fold(other.name) == fold(candidate.name):
            raise InputError(f"{candidate.name!r} is already in your list ({described(other)}); "
                             "edit them with `unscroll people edit`, or use a different name")
        for email in set(candidate.emails) & set(other.emails):
            raise InputError(f"{email} is already {other.name}'s email (#{other.id})")
        for phone in set(candidate.phones) & set(other.phones):
            raise InputError(f"{phone} is already {other.name}'s phone (#{other.id})")
        if candidate.uid is not None and candidate.uid == other.uid:
            raise InputError(f"the uid {candidate.uid!r} already belongs to {other.name} (#{other.id})")


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


# --- finding people ---------------------------------------------------------------------------

def find_by_query(store: Store, query: str) -> Person:
    """The person named by ``query``: ``#id``, the exact full name, or any unambiguous part of it.

    Matching ignores case and accents; every word of the query must occur in the name
    ("sam lee" finds "Samuel Lee"). An exact full-name match wins over partial ones.
    Raises InputError listing the matches when several fit, or saying none does.
    """
    return match_people(stored.load_all(store.connection), query)


def get(store: Store, person_id: int) -> Person:
    """The person with ``person_id``; InputError if there is none (e.g. removed meanwhile)."""
    person = stored.load(store.connection, person_id)
    if person is None:
        raise InputError(f"no one has the number #{person_id} (removed?)")
    return person


def list_people(store: Store, *, now: float, tag: str | None = None,
                due_only: bool = False) -> list[Person]:
    """Everyone (with ``tag``; only those due at ``now`` with ``due_only``), most overdue first."""
    people = stored.load_all(store.connection)
    if tag is not None:
        wanted = tag.strip().casefold()
        people = [person for person in people if wanted in {t.casefold() for t in person.tags}]
    if due_only:
        people = [person for person in people if person.is_due(now)]
    return overdue_order(people, now)


def count_people(store: Store) -> int:
    """How many people are in the list."""
    return stored.count_people(store.connection)


def interactions_of(store: Store, person: Person, limit: int | None = None) -> list[Interaction]:
    """A person's interactions, latest first (at most ``limit``)."""
    return stored.interactions_of(store.connection, person.id, limit)


# --- changing people --------------------------------------------------------------------------

def add(store: Store, name: str, *, now: float, every_days: float | None = None,
        tags: Iterable[str] = (), emails: Iterable[str] = (), phones: Iterable[str] = (),
        links: Iterable[str] = (), notes: str = "", last_talked: float | None = None,
        uid: str | None = None) -> Person:
    """Add a person (and, with ``last_talked``, an interaction then); return them as stored.

    Refuses a name already in the list, an email or phone that belongs to someone else,
    a bad email or phone, a frequency out of range and a ``last_talked`` after ``now``.
    """
    _check_every(every_days)
    if last_talked is not None and last_talked > now:
        raise InputError("--last-talked: the date is in the future")
    draft = Person(id=0, name=_clean_name(name), every_days=every_days, tags=union((), tags),
                   emails=_emails(emails, strict=True), phones=_phones(phones, strict=True),
                   links=union((), links, key=str), notes=notes.strip(), last_talked=None,
                   created=now, uid=uid)
    with store.transaction() as connection:
        _check_unique(stored.load_all(connection), draft)
        person_id = stored.insert_person(connection, draft)
        if last_talked is not None:
            stored.insert_interaction(connection, person_id, last_talked, "other", "", SOURCE_MANUAL)
    log.info("added person #%d", person_id)
    return get(store, person_id)


def edit(store: Store, person: Person, *, name: str | None = None,
         every_days: float | Keep | None = KEEP, add_tags: Iterable[str] = (),
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
        current = stored.load(connection, person.id)
        if current is None:
            raise InputError(f"{person.name} (#{person.id}) is no longer in your list")
        _check_removals(current, remove_tags, remove_emails, remove_phones, remove_links)
        if not isinstance(every_days, Keep):
            _check_every(every_days)
        new_notes = current.notes if notes is None else notes.strip()
        if append_note and append_note.strip():
            new_notes = f"{new_notes}\n{append_note.strip()}" if new_notes else append_note.strip()
        updated = Person(
            id=current.id,
            name=current.name if name is None else _clean_name(name),
            every_days=current.every_days if isinstance(every_days, Keep) else every_days,
            tags=union(_without(current.tags, remove_tags), add_tags),
            emails=union(_without(current.emails, _emails(remove_emails, strict=False), key=str),
                          _emails(add_emails, strict=True), key=str),
            phones=union(_without(current.phones, _phones(remove_phones, strict=False), key=str),
                          _phones(add_phones, strict=True), key=str),
            links=union(_without(current.links, remove_links, key=str), add_links, key=str),
            notes=new_notes, last_talked=current.last_talked, created=current.created,
            uid=current.uid,
        )
        _check_unique(stored.load_all(connection), updated)
        stored.update_person(connection, updated)
    return get(store, person.id)


def remove(store: Store, person: Person) -> int:
    """Delete a person and their interactions; return how many interactions went with them."""
    with store.transaction() as connection:
        count = stored.count_interactions(connection, person.id)
        if not stored.delete_person(connection, person.id):
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
        if stored.load(connection, person.id) is None:
            raise InputError(f"{person.name} (#{person.id}) is no longer in your list")
        stored.insert_interaction(connection, person.id, at, kind, note.strip(), source)
    return stored.interaction_at(store.connection, person.id, at, source)


# --- what the connection prompt needs ---------------------------------------------------------

def suggestion_history(store: Store, *, since: float, day_start: float,
                       skip_actions: Iterable[str] = (SOMEONE_ELSE,)) -> SuggestionHistory:
    """Read, from the ``prompts`` table, who was suggested since ``since`` and who was skipped today.

    A prompt row with a ``person_id`` is a suggestion of that person; one whose
    ``action`` is in ``skip_actions`` with ``action_at`` at or after ``day_start`` is a skip.
    """
    return SuggestionHistory(stored.last_suggested(store.connection, since),
                             stored.answered_since(store.connection, skip_actions, day_start))
