"""The doorway's words: rotated so they do not go stale, kind, and most of them about a call.

Fixed wording is tuned out within days (Okeke et al. 2018), and a call connects more
than a text while being no more awkward than people fear (Kumar & Epley 2021), so at
least half of the phrasings suggest a call or a voice message. None of them shames.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.doorway.view import minutes_label
from monitor.people.occasions import Occasion

CALL = "call"
"""A phrasing that suggests a call: offered only for someone with a phone number."""
VOICE = "voice"
"""A phrasing about their voice or a voice message: fits any way of reaching them."""
MESSAGE = "message"


@dataclass(frozen=True)
class Phrasing:
    """One headline, with ``{name}`` for the person, and whether it suggests a call."""

    text: str
    suggests: str


PHRASINGS: tuple[Phrasing, ...] = (
    Phrasing("A call to {name} would take less time than a scroll.", CALL),
    Phrasing("{name} might like to hear your voice today.", VOICE),
    Phrasing("How about a two-minute voice message to {name}?", VOICE),
    Phrasing("Before the feed: ring {name}? Calls feel less awkward than we expect.", CALL),
    Phrasing("{name} would probably pick up. Worth a try?", CALL),
    Phrasing("A short hello to {name} tends to mean more than we think.", MESSAGE),
    Phrasing("What is {name} up to these days? You could ask.", MESSAGE),
    Phrasing("One line to {name} now, the feed after, if you still want it.", MESSAGE),
)
"""Eight phrasings, five of them about a call or a voice message (three need a phone)."""

FIRST_CONTACT: tuple[str, ...] = (
    "You wanted to get to know {name}: a first hello takes a minute.",
    "{name} is on your list of people to know better. Say hi?",
)
"""Headlines for someone the user wants to get to know (``Occasion.FIRST_CONTACT``)."""

BIRTHDAY = "It's {name}'s birthday today: a call would make their day."
BIRTHDAY_WITHOUT_PHONE = "It's {name}'s birthday today: a message from you would make their day."
BIRTHDAY_EVE = "It's {name}'s birthday tomorrow: a good moment to get in touch."

NOBODY: tuple[str, ...] = (
    "A breath before the feed.",
    "Is this what you came here for?",
    "Before you go in: a moment to choose.",
)
"""Headlines when nobody is due (or the people list is empty)."""


def headline(turn: int, name: str | None, *, can_call: bool = True, occasion: str = "") -> str:
    """The headline for the ``turn``-th doorway (any integer), naming ``name`` when there is one.

    ``occasion`` (``people.occasions.Occasion``) is why the person is first: their birthday today or
    tomorrow, or someone new to get to know; the headline says so. Without a phone number
    (``can_call`` False) the phrasings that ask for a call are skipped.
    """
    if name is None:
        return NOBODY[turn % len(NOBODY)]
    if occasion == Occasion.BIRTHDAY:
        return (BIRTHDAY if can_call else BIRTHDAY_WITHOUT_PHONE).format(name=name)
    if occasion == Occasion.BIRTHDAY_EVE:
        return BIRTHDAY_EVE.format(name=name)
    if occasion == Occasion.FIRST_CONTACT:
        return FIRST_CONTACT[turn % len(FIRST_CONTACT)].format(name=name)
    fitting = [p for p in PHRASINGS if can_call or p.suggests != CALL]
    return fitting[turn % len(fitting)].text.format(name=name)


def ordinal(number: int) -> str:
    """``1`` -> ``"1st"``, ``2`` -> ``"2nd"``, ``11`` -> ``"11th"``, ``23`` -> ``"23rd"``."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def today_line(label: str, used_seconds: float, budget_seconds: float | None, visit: int) -> str:
    """``"Social: 18 of 30 min today · 4th visit today"`` (no budget: ``"Social: 18 min today · …"``)."""
    used = minutes_label(used_seconds) if used_seconds >= 60 else "under a minute"
    if budget_seconds is None:
        spent = f"{used} today"
    else:
        budget = minutes_label(budget_seconds)
        same_unit = used.endswith(" min") and budget.endswith(" min")
        spent = f"{used.removesuffix(' min') if same_unit else used} of {budget} today"
    return f"{label}: {spent} · {ordinal(visit)} visit today"
