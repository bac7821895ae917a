"""The people directory: add, edit, find, log and remove people and their interactions in the store.

These are the operations the commands and the connection prompt call. The model
(``Person``, due dates, matching) lives in ``monitor.people.model``, reading what is
typed in ``monitor.people.parsing``, and the SQL in ``monitor.store.people``.

- A name must be unique (ignoring case and accents), as must each uid. An email or phone
  typed for someone may not already be someone else's (imports may share them: a family's
  landline, a couple's email; what a person already has never blocks an edit).
- Phones are read in ``region`` (``people.default_region``, see ``monitor.people.phones``);
  links must be ones that may be kept (``links.storable_link``).
- Adding someone with ``last_talked`` also logs an interaction then (``via`` other).
- Renaming someone keeps the old name as an alias, so their card still merges on import;
  ``merge`` joins two people (links, tags, interactions, prompts) into one.
- Dates after ``now`` are refused; so are frequencies outside (0, 10 years].
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from monitor.core.errors import InputError
from monitor.core.vocabulary import SOMEONE_ELSE
from monitor.people.birthdays import parse_birthday
from monitor.people.links import storable_link
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
    names_agree,
    overdue_order,
    union,
)
from monitor.people.parsing import normalize_email, normalize_via
from monitor.people.phones import normalize_phone, phone_key
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


def _phones(values: Iterable[str], *, strict: bool, region: str | None) -> tuple[str, ...]:
    result = []
    for value in values:
        phone = normalize_phone(value, region)
        if phone is None:
            if strict:
                raise InputError(f"--phone: {value!r} is not a phone number (it needs at least 3 "
                                 "digits, like +44 20 7946 0958)")
            log.debug("ignoring %r: not a phone number", value)
            continue
        result.append(phone)
    return union((), result, key=lambda phone: phone_key(phone, region))


def _links(values: Iterable[str]) -> tuple[str, ...]:
    return union((), (storable_link(value, where="--link") for value in values), key=str)


def _birthday(text: str | None) -> str | None:
    """A birthday in its stored form (``birthdays.parse_birthday``); None or blank for none."""
    if text is None or not text.strip():
        return None
    return parse_birthday(text)


def _check_unique(people: Sequence[Person], candidate: Person, before: Person | None = None,
                  region: str | None = None) -> None:
    """A name, uid, or an email or phone new to ``candidate``, that is someone else's: InputError."""
    had_emails = set(before.emails) if before else set()
    had_phones = {phone_key(phone, region) for phone in before.phones} if before else set()
    new_emails = set(candidate.emails) - had_emails
    new_phones = {phone_key(phone, region): phone for phone in candidate.phones} if candidate.phones else {}
    for other in people:
        if other.id == candidate.id:
            continue
        if fold(other.name) == fold(candidate.name):
            raise InputError(f"{candidate.name!r} is already in your list ({described(other)}); "
                             "edit them with `unscroll people edit`, or use a different name")
        for email in sorted(new_emails & set(other.emails)):
            raise InputError(f"{email} is already {other.name}'s email (#{other.id})")
        for key in sorted(set(new_phones) - had_phones):
            if key in {phone_key(phone, region) for phone in other.phones}:
                raise InputError(f"{new_phones[key]} is already {other.name}'s phone (#{other.id})")
        if candidate.uid is not None and candidate.uid == other.uid:
            raise InputError(f"the uid {candidate.uid!r} already belongs to {other.name} (#{other.id})")


def _check_removals(person: Person, tags: Iterable[str], emails: Iterable[str],
                    phones: Iterable[str], links: Iterable[str], region: str | None) -> None:
    checks: list[tuple[str, Iterable[str], tuple[str, ...], Callable[[str], str | None]]] = [
        ("tag", tags, person.tags, str.casefold),
        ("email", emails, person.emails, normalize_email),
        ("phone", phones, person.phones, lambda phone: phone_key(phone, region)),
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
        uid: str | None = None, region: str | None = None, new: bool = False,
        birthday: str | None = None) -> Person:
    """Add a person (and, with ``last_talked``, an interaction then); return them as stored.

    Refuses a name already in the list, an email or phone that belongs to someone else,
    a bad email, phone, link or birthday, a frequency out of range and a ``last_talked``
    after ``now``. ``new`` marks someone to get to know.
    """
    _check_every(every_days)
    if last_talked is not None and last_talked > now:
        raise InputError("--last-talked: the date is in the future")
    draft = Person(id=0, name=_clean_name(name), every_days=every_days, tags=union((), tags),
                   emails=_emails(emails, strict=True), phones=_phones(phones, strict=True, region=region),
                   links=_links(links), notes=notes.strip(), last_talked=None, created=now, uid=uid,
                   new=new, birthday=_birthday(birthday))
    with store.transaction() as connection:
        _check_unique(stored.load_all(connection), draft, region=region)
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
         append_note: str | None = None, region: str | None = None,
         new: bool | Keep = KEEP, birthday: str | Keep | None = KEEP) -> Person:
    """Change a person: rename, set or clear ``every`` (None clears), add/remove list items, notes.

    ``new`` marks (or unmarks) someone to get to know; ``birthday`` None or blank clears it.
    Removing something the person does not have is an InputError, as is an email or
    phone that belongs to someone else, a bad link or birthday or a name already in use.
    A new name keeps the old one as an alias (see the module doc).
    """
    def by_phone(phone: str) -> str:
        """Phones are compared as read in ``region``."""
        return phone_key(phone, region)

    with store.transaction() as connection:
        current = stored.load(connection, person.id)
        if current is None:
            raise InputError(f"{person.name} (#{person.id}) is no longer in your list")
        _check_removals(current, remove_tags, remove_emails, remove_phones, remove_links, region)
        if not isinstance(every_days, Keep):
            _check_every(every_days)
        new_notes = current.notes if notes is None else notes.strip()
        if append_note and append_note.strip():
            new_notes = f"{new_notes}\n{append_note.strip()}" if new_notes else append_note.strip()
        updated = replace(
            current, name=current.name if name is None else _clean_name(name),
            every_days=current.every_days if isinstance(every_days, Keep) else every_days,
            tags=union(_without(current.tags, remove_tags), add_tags),
            emails=union(_without(current.emails, _emails(remove_emails, strict=False), key=str),
                         _emails(add_emails, strict=True), key=str),
            phones=union(_without(current.phones, remove_phones, key=by_phone),
                         _phones(add_phones, strict=True, region=region), key=by_phone),
            links=union(_without(current.links, remove_links, key=str), _links(add_links), key=str),
            notes=new_notes, aliases=_aliases_after_rename(current, name),
            new=current.new if isinstance(new, Keep) else new,
            birthday=current.birthday if isinstance(birthday, Keep) else _birthday(birthday))
        _check_unique(stored.load_all(connection), updated, before=current, region=region)
        stored.update_person(connection, updated)
    return get(store, person.id)


def _aliases_after_rename(person: Person, new_name: str | None) -> tuple[str, ...]:
    """The person's aliases, with their old name added when ``new_name`` is a different name."""
    if new_name is None or not person.has_name or names_agree(person, new_name):
        return person.aliases
    return union(person.aliases, [person.name])


def set_every_for_tag(store: Store, tag: str, every_days: float | None) -> list[Person]:
    """Give everyone tagged ``tag`` (case ignored) the frequency ``every_days`` (None clears it).

    Returns the people changed, by name; InputError when no one has the tag.
    """
    _check_every(every_days)
    wanted = tag.strip().casefold()
    with store.transaction() as connection:
        tagged = [person for person in stored.load_all(connection)
                  if wanted in {known.casefold() for known in person.tags}]
        if not tagged:
            raise InputError(f"--tag: no one has the tag {tag!r}; `unscroll people list` shows "
                             "everyone's tags")
        for person in tagged:
            stored.update_person(connection, replace(person, every_days=every_days))
    return sorted((replace(person, every_days=every_days) for person in tagged),
                  key=lambda person: (fold(person.name), person.id))


@dataclass(frozen=True)
class MergeResult:
    """What ``merge`` did: the person kept (as stored now), the one merged in, and what moved."""

    person: Person
    gone: Person
    added: tuple[str, ...]
    """What the kept person gained, e.g. ``1 email``, ``2 tags``."""
    interactions: int
    prompts: int


def _combined(keep: Person, gone: Person, region: str | None) -> Person:
    notes = keep.notes
    if gone.notes and gone.notes not in notes:
        notes = f"{notes}\n\n{gone.notes}" if notes else gone.notes
    gone_names = [gone.name] if gone.has_name and not names_agree(keep, gone.name) else []
    return replace(
        keep, every_days=keep.every_days if keep.every_days is not None else gone.every_days,
        tags=union(keep.tags, gone.tags), emails=union(keep.emails, gone.emails, key=str),
        phones=union(keep.phones, gone.phones, key=lambda phone: phone_key(phone, region)),
        links=union(keep.links, gone.links, key=str), notes=notes, uid=keep.uid or gone.uid,
        aliases=union(keep.aliases, (*gone_names, *gone.aliases)), new=keep.new or gone.new,
        birthday=keep.birthday or gone.birthday, anniversary=keep.anniversary or gone.anniversary)


def merge(store: Store, keep: Person, gone: Person, *, region: str | None = None) -> MergeResult:
    """Merge ``gone`` into ``keep`` (``gone`` is removed, their name becomes an alias of ``keep``).

    Their emails, phones, links, tags, notes, interactions and the prompts that named them
    go to ``keep``; ``keep``'s frequency and uid win when both have one.
    """
    if keep.id == gone.id:
        raise InputError(f"{described(keep)} was named twice; name two different people to merge")
    with store.transaction() as connection:
        current, other = stored.load(connection, keep.id), stored.load(connection, gone.id)
        if current is None or other is None:
            missing = keep if current is None else gone
            raise InputError(f"{missing.name} (#{missing.id}) is no longer in your list")
        combined = _combined(current, other, region)
        interactions, prompts = stored.move_records(connection, other.id, current.id)
        stored.delete_person(connection, other.id)
        stored.update_person(connection, combined)
    gained = ((label, len(after) - len(before))
              for label, before, after in (("email", current.emails, combined.emails),
                                           ("phone", current.phones, combined.phones),
                                           ("link", current.links, combined.links),
                                           ("tag", current.tags, combined.tags)))
    added = [f"{count} {label}{'' if count == 1 else 's'}" for label, count in gained if count]
    log.info("merged person #%d into #%d", other.id, current.id)
    return MergeResult(get(store, current.id), other, tuple(added), interactions, prompts)


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
