"""The connection prompt: an over-budget notice that names a real person, and its buttons.

The buttons, in this order (``PERSON_BUTTONS``): "Reached out" logs an interaction now
(so the person is not suggested again within ``prompts.suggest_gap``), "Someone else"
suggests the next person at once (or says that nobody else is due today), "Not today"
silences the category for the rest of the day, "15 more minutes" snoozes it. GNOME Shell
shows at most three buttons and drops the rest, so the one it loses is "15 more
minutes", which differs least from no answer at all (another notice comes after
``prompts.repeat_every`` of use anyway); dunst lists them all in its menu. A click on the
body opens the person's first link, email or phone, and a reply (where the server offers
a reply field) is saved as the interaction's note.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from monitor.core.errors import InputError
from monitor.core.opener import open_with_desktop
from monitor.core.vocabulary import ACTION_WORDS, DOORWAY, MORE, NOT_TODAY, REACHED_OUT, SOMEONE_ELSE
from monitor.people import directory as people
from monitor.people import suggest
from monitor.people.model import Person
from monitor.store.database import Store
from monitor.store.people import count_named, load_all

log = logging.getLogger(__name__)

NO_PEOPLE_HINT_KEY = "people.hint_day"
PERSON_BUTTONS: tuple[tuple[str, str], ...] = tuple(
    (ACTION_WORDS[key], key) for key in (REACHED_OUT, SOMEONE_ELSE, NOT_TODAY, MORE))
"""(label, action key) of the person notice's buttons, most important first (see above)."""


@dataclass(frozen=True)
class PersonPick:
    """Who to name in a notice, and the words for it; person is None for the add-people hint."""

    person: Person | None
    body: str


def pick_person(store: Store, *, now: float, day_start: float, day_label: str, gap_s: float,
                variant: int) -> PersonPick | None:
    """The person to suggest now and the wording, the add-people hint, or None (nothing to say).

    With nobody in the list the hint is given once a day at most. ``day_label`` is the
    local day (YYYY-MM-DD) that began at ``day_start``: whose birthday it is, and the
    notice's turn (``suggest.SuggestionDay``) counted from the notices that named someone
    since then (doorways keep their own count).
    """
    everyone = load_all(store.connection)
    if not everyone:
        if store.get_state(NO_PEOPLE_HINT_KEY) == day_label:
            return None
        store.set_state(NO_PEOPLE_HINT_KEY, day_label)
        return PersonPick(None, suggest.no_people_message())
    history = people.suggestion_history(store, since=now - gap_s, day_start=day_start)
    turn = 1 + count_named(store.connection, day_start, excluding_kind=DOORWAY)
    choice = suggest.choose(everyone, now, suggested_at=history.suggested_at, skipped=history.skipped,
                            gap=timedelta(seconds=gap_s), day=_suggestion_day(day_label, day_start, turn))
    if choice is None:
        return None
    return PersonPick(choice.person, suggest.prompt_text(choice, variant))


def _suggestion_day(day_label: str, day_start: float, turn: int) -> suggest.SuggestionDay | None:
    """The day as ``suggest`` takes it; None (no birthdays, no turns) if the label is not a date."""
    try:
        return suggest.SuggestionDay(date.fromisoformat(day_label), day_start, turn)
    except ValueError:
        log.warning("not a day: %r; suggesting without birthdays or turns", day_label)
        return None


def nobody_else() -> PersonPick:
    """What "Someone else" answers when nobody else may be suggested today (and how to add people)."""
    return PersonPick(None, suggest.nobody_else_message())


def contact_target(person: Person) -> str | None:
    """The first link, email or phone of ``person`` as a vetted URL, or None if none is safe."""
    from monitor.people.links import safe_link  # noqa: PLC0415 - only when the user clicks
    from monitor.people.phones import phone_uri  # noqa: PLC0415 - only when the user clicks

    candidates = [*person.links, *(f"mailto:{email}" for email in person.emails),
                  *(phone_uri(phone) for phone in person.phones)]
    for candidate in candidates:
        try:
            return safe_link(candidate)
        except InputError as exc:
            log.warning("not opening a link of person #%d: %s", person.id, exc)
    return None


class PersonActions:
    """Carries out what the user chose on a connection prompt (runs off the sampling thread)."""

    def __init__(self, database: Path, clock: Callable[[], float]) -> None:
        """Act on the store at ``database`` using ``clock`` for "now"."""
        self.database = database
        self.clock = clock

    def reached_out(self, person_id: int, note: str = "") -> None:
        """Log an interaction with the person now (with the reply as its note, if any)."""
        now = self.clock()
        with Store(self.database) as store:
            person = people.get(store, person_id)
            people.log_interaction(store, person, at=now, now=now, note=note, source="notification")
        log.info("logged an interaction with person #%d from a notification", person_id)

    def open_contact(self, person_id: int) -> None:
        """Open the person's first safe link, email or phone with the desktop's handler."""
        with Store(self.database) as store:
            person = people.get(store, person_id)
        target = contact_target(person)
        if target is None:
            log.info("person #%d has no link, email or phone to open", person_id)
            return
        open_with_desktop(target)
