"""The people the doorway offers: the most overdue first, each with a button that reaches them.

Unlike a notice, a doorway may come several times a day, so being shown in one does not
make a person rest (they are left out only once talked to within the gap, or skipped
with "Someone else" today); instead the first person offered rotates through the top
few from one doorway to the next, so the same name does not go stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from monitor.core.errors import InputError
from monitor.people import directory as people
from monitor.people import suggest
from monitor.people.links import safe_link
from monitor.people.model import Person
from monitor.store.database import Store
from monitor.store.people import load_all

ROTATE_AMONG = 3
"""The first person offered rotates among this many of the most overdue."""
CALL_SCHEMES = ("tel:",)
MESSAGE_SCHEMES = ("sms:", "mailto:", "https:", "http:")


@dataclass(frozen=True)
class Offer:
    """A person to offer: who, the button's words, and why they are named."""

    person_id: int
    name: str
    label: str
    why: str


def first_name(name: str) -> str:
    """The name buttons and headlines use: the first word of a full name (``Sam Rivera`` -> ``Sam``)."""
    words = name.split()
    return words[0] if words else name


def contact_label(person: Person) -> str:
    """``Call Sam`` for a phone, ``Message Sam`` for a messaging link, email or web page.

    With nothing safe to open the button only logs the talk: ``I talked to Sam``.
    """
    candidates = [*person.links, *(f"mailto:{e}" for e in person.emails),
                  *(f"tel:{p}" for p in person.phones)]
    for candidate in candidates:
        try:
            link = safe_link(candidate)
        except InputError:
            continue
        verb = "Call" if link.startswith(CALL_SCHEMES) else "Message"
        return f"{verb} {first_name(person.name)}"
    return f"I talked to {first_name(person.name)}"


def offer_people(store: Store, now: float, *, gap_s: float, limit: int, turn: int = 0,
                 day_start: float | None = None) -> list[Offer]:
    """Up to ``limit`` people to offer at ``now``, the first rotating with ``turn``."""
    everyone = load_all(store.connection)
    if not everyone:
        return []
    today_from = day_start if day_start is not None else now
    history = people.suggestion_history(store, since=now, day_start=today_from)
    ranked = suggest.rank(everyone, now, skipped=history.skipped, gap=timedelta(seconds=gap_s))
    if not ranked:
        return []
    first = turn % min(len(ranked), ROTATE_AMONG)
    ordered = ranked[first:] + ranked[:first]
    return [Offer(s.person.id, s.person.name, contact_label(s.person), _why(s))
            for s in ordered[:limit]]


def _why(suggestion: suggest.Suggestion) -> str:
    reason = suggestion.reason
    return f"{suggestion.person.name}: {reason}."
