"""The people the doorway offers: the most overdue first, each with a button that reaches them.

Unlike a notice, a doorway may come several times a day, so being shown in one does not
make a person rest (they are left out only once talked to within the gap, or skipped
with "Someone else" today); instead the first person offered rotates through the top
few from one doorway to the next, so the same name does not go stale.

Before them come those ``suggest.rank`` puts first (``Suggestion.leads``): whose birthday
is today or tomorrow, and, on every third visit of the day (the visit is the turn),
someone the user wants to get to know. Each offer carries its ``occasion`` so the
doorway's headline can say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from monitor.core.days import local_zone
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
    occasion: str = ""
    """Why they lead (``people.occasions.Occasion``): a birthday, its eve, a first contact, or empty."""


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
                 day_start: float | None = None, zone: tzinfo | None = None) -> list[Offer]:
    """Up to ``limit`` people to offer at ``now``: those who lead, then the rest rotating with ``turn``.

    ``day_start`` is when the local day began (default ``now``); its date in ``zone``
    (default the machine's) is the day whose birthdays count. ``turn`` is the visit of the day.
    """
    everyone = load_all(store.connection)
    if not everyone:
        return []
    today_from = day_start if day_start is not None else now
    history = people.suggestion_history(store, since=now, day_start=today_from)
    day = suggest.SuggestionDay(datetime.fromtimestamp(today_from, zone or local_zone()).date(),
                                today_from, turn)
    ranked = suggest.rank(everyone, now, skipped=history.skipped, gap=timedelta(seconds=gap_s), day=day)
    leading = [item for item in ranked if item.leads]
    rest = [item for item in ranked if not item.leads]
    if rest:
        # with someone new taking every third visit, count the others, so the rest still all rotate
        rotation = suggest.ordinary_turns(turn) if any(p.new for p in everyone) else turn
        first = rotation % min(len(rest), ROTATE_AMONG)
        rest = rest[first:] + rest[:first]
    return [Offer(s.person.id, s.person.name, contact_label(s.person), _why(s), s.occasion.value)
            for s in [*leading, *rest][:limit]]


def _why(suggestion: suggest.Suggestion) -> str:
    reason = suggestion.reason
    return f"{suggestion.person.name}: {reason}."
