"""Who to suggest talking to, and the words of the connection prompt. Pure: ``now`` is an argument.

The order (``rank``), first match wins:

1. **overdue**: people with an ``every`` whose gap has run out (days since last
   talked ÷ every ≥ 1), the highest ratio first. Someone never talked to counts
   from when they were added (``Person.since``), as everywhere else in unscroll.
2. **upcoming**: people with an ``every`` not yet due, the highest ratio (the
   closest to due) first: a nudge is still welcome when nobody is overdue.
3. **unscheduled**: people without an ``every``, only when nobody with one can be
   suggested; the longest since last talked (or since added) first. People without a
   frequency are often bulk-imported contacts, so they never push aside someone the
   user chose to keep up with.

Left out entirely: anyone named in a prompt within ``gap`` (settings
``prompts.suggest_gap``), anyone talked to within ``gap`` (an interaction logged with
``unscroll people log`` or the notice's "Reached out" button minutes ago counts), and
anyone the user answered "Someone else" to today.
Ties are broken by case-folded name, then id, so the choice is deterministic.
``choose`` returns None when no one is left (the caller decides what to say then).

Given the local day (``SuggestionDay``: the date, when it began, and which suggestion of
the day this is), two kinds of people go before that order (``Suggestion.leads``):

- **birthdays** (``birthdays``): someone whose birthday is today, then someone whose
  birthday is tomorrow, leads every suggestion, whatever the gap; once the user has talked
  to them that day (or answered "Someone else") they are not suggested again that day.
  Birthdays are local-day facts: the date is the configured day's, so a day that starts
  at 04:00 still has yesterday's birthday at 02:00.
- **someone new** (``Person.new``): on every third suggestion of the day (the 1st, 4th,
  7th…: ``is_new_turn``) one of the people marked new leads, taking turns among them, even
  if named in a prompt lately (not if talked to within the gap, or skipped today). So
  whenever anyone is marked new, at least one suggestion in three names someone new.

Each suggestion says why it is made (``Suggestion.occasion``), for the wording: a birthday,
the eve of one, a first contact with someone new, or nothing special.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from monitor.people import birthdays as birthday_dates
from monitor.people.model import Person, fold
from monitor.people.occasions import Occasion
from monitor.people.parsing import format_every

OVERDUE = "overdue"
UPCOMING = "upcoming"
UNSCHEDULED = "unscheduled"
_TIERS = {OVERDUE: 0, UPCOMING: 1, UNSCHEDULED: 2}

DEFAULT_GAP = timedelta(days=3)
NEW_PERSON_EVERY = 3
"""One suggestion in this many (the 1st, 4th, 7th… of a day) goes to someone marked new."""


@dataclass(frozen=True)
class SuggestionDay:
    """The local day a suggestion is made on, and which suggestion of that day it is."""

    day: date
    """The local date, counted with the configured day start."""
    start: float
    """When that day began (UTC Unix seconds): a talk since then is a talk today."""
    turn: int = 1
    """Which suggestion of the day this is, from 1 (see ``is_new_turn``)."""

ADD_HINT = 'unscroll people add "Name" --every 2w'


@dataclass(frozen=True)
class Suggestion:
    """A person to suggest, and why."""

    person: Person
    kind: str
    """``overdue``, ``upcoming`` or ``unscheduled``."""
    days_since: float
    """Days since last talked (or since added, when ``never_talked``)."""
    ratio: float | None
    """Days since ÷ every; None without ``every``."""
    never_talked: bool
    reason: str
    """Why, in words: ``6 weeks since you last talked (you aim for every 2w)``."""
    occasion: Occasion = Occasion.NONE
    leads: bool = False
    """True for those put before the usual order: birthdays, someone new on their turn."""


def describe_gap(days: float) -> str:
    """A span of days as a person says it: ``less than a day``, ``4 days``, ``6 weeks``, ``5 months``."""
    if days < 1:
        return "less than a day"

    def plural(count: int, unit: str) -> str:
        """``1 day``, ``4 days``."""
        return f"{count} {unit}{'' if count == 1 else 's'}"

    if days < 14:
        return plural(int(days), "day")
    if days < 60:
        return plural(round(days / 7), "week")
    if days < 730:
        return plural(round(days / 30.44), "month")
    return plural(round(days / 365.25), "year")


def _reason(person: Person, kind: str, days: float, now: float) -> str:
    gap = describe_gap(days)
    if person.last_talked is None:
        base = f"no talk logged since you added them {gap} ago" if days >= 1 else "no talk logged yet"
    else:
        base = f"{gap} since you last talked" if days >= 1 else "you talked less than a day ago"
    if kind == UNSCHEDULED:
        return base
    aim = f"you aim for every {format_every(person.every_days)}"
    if kind == OVERDUE:
        return f"{base} ({aim})"
    due = person.due
    left = describe_gap((due - now) / 86400.0) if due is not None else "?"
    return f"{base}; due in {left} ({aim})"


def _suggestion(person: Person, now: float) -> Suggestion:
    ratio = person.overdue_ratio(now)
    days = person.days_since(now)
    if ratio is None:
        kind = UNSCHEDULED
    elif ratio >= 1:
        kind = OVERDUE
    else:
        kind = UPCOMING
    occasion = Occasion.FIRST_CONTACT if person.new else Occasion.NONE
    reason = _reason(person, kind, days, now)
    if person.new:
        reason = f"someone you want to get to know; {reason}"
    return Suggestion(person, kind, days, ratio, person.last_talked is None, reason, occasion)


def birthdays(people: Iterable[Person], today: date) -> list[tuple[Person, Occasion]]:
    """Who has a birthday on the local day ``today`` (BIRTHDAY), then tomorrow (BIRTHDAY_EVE).

    Each group by case-folded name, then id; 29 February counts on 28 February in other years.
    """
    found: list[tuple[Person, Occasion]] = []
    for person in people:
        if birthday_dates.is_birthday(person.birthday, today):
            found.append((person, Occasion.BIRTHDAY))
        elif birthday_dates.is_birthday_eve(person.birthday, today):
            found.append((person, Occasion.BIRTHDAY_EVE))
    return sorted(found, key=lambda item: (item[1] != Occasion.BIRTHDAY, fold(item[0].name), item[0].id))


def is_new_turn(turn: int) -> bool:
    """True for the suggestions of a day that go to someone new: the 1st, 4th, 7th and so on."""
    return (turn - 1) % NEW_PERSON_EVERY == 0


def ordinary_turns(turn: int) -> int:
    """How many of a day's first ``turn`` suggestions are not someone new's turn (``is_new_turn``)."""
    if turn < 1:
        return 0
    return turn - ((turn - 1) // NEW_PERSON_EVERY + 1)


def _birthday_reason(person: Person, occasion: Occasion, today: date) -> str:
    when = "today" if occasion == Occasion.BIRTHDAY else "tomorrow"
    day = today if occasion == Occasion.BIRTHDAY else today + timedelta(days=1)
    age = birthday_dates.age_on(person.birthday, day)
    return f"their birthday is {when}" + (f" (they turn {age})" if age is not None and age > 0 else "")


def _talked_on(person: Person, day: SuggestionDay) -> bool:
    return person.last_talked is not None and person.last_talked >= day.start


def _leading(people: list[Person], now: float, day: SuggestionDay, cutoff: float) -> list[Suggestion]:
    """The birthdays of ``day`` (the caller leaves out those talked to that day), then someone new."""
    leading = [replace(_suggestion(person, now), occasion=occasion, leads=True,
                       reason=_birthday_reason(person, occasion, day.day))
               for person, occasion in birthdays(people, day.day)]
    if not is_new_turn(day.turn):
        return leading
    taken = {item.person.id for item in leading}
    newcomers = sorted((_suggestion(person, now) for person in people
                        if person.new and person.id not in taken
                        and (person.last_talked is None or person.last_talked <= cutoff)),
                       key=lambda item: (-item.days_since, fold(item.person.name), item.person.id))
    if newcomers:
        leading.append(replace(newcomers[(day.turn // NEW_PERSON_EVERY) % len(newcomers)], leads=True))
    return leading


def _order(suggestion: Suggestion) -> tuple[int, float, str, int]:
    urgency = suggestion.ratio if suggestion.ratio is not None else suggestion.days_since
    return (_TIERS[suggestion.kind], -urgency, fold(suggestion.person.name), suggestion.person.id)


def _resting(person: Person, suggested_at: Mapping[int, float], cutoff: float) -> bool:
    """True when ``person`` was named in a prompt or talked to after ``cutoff``."""
    named = suggested_at.get(person.id)
    talked = person.last_talked
    return (named is not None and named > cutoff) or (talked is not None and talked > cutoff)


def rank(people: Iterable[Person], now: float, *, suggested_at: Mapping[int, float] | None = None,
         skipped: Collection[int] = frozenset(), gap: timedelta = DEFAULT_GAP,
         day: SuggestionDay | None = None) -> list[Suggestion]:
    """Everyone who may be suggested at ``now``, best first (see the module doc for the order).

    ``suggested_at`` maps a person id to the last time they were named in a prompt;
    those named or talked to within ``gap`` of ``now`` are left out, as are the ids in
    ``skipped``. Unscheduled people are listed only when no one with an ``every`` is left.
    With ``day``, birthdays and someone new on their turn lead (``Suggestion.leads``).
    """
    recent = suggested_at or {}
    cutoff = now - gap.total_seconds()
    candidates = [person for person in people if person.id not in skipped]
    if day is not None:  # talked to on their birthday (or its eve): not suggested again that day
        greeted = {person.id for person, _ in birthdays(candidates, day.day) if _talked_on(person, day)}
        candidates = [person for person in candidates if person.id not in greeted]
    leading = _leading(candidates, now, day, cutoff) if day is not None else []
    led = {item.person.id for item in leading}
    eligible = [_suggestion(person, now) for person in candidates
                if person.id not in led and not _resting(person, recent, cutoff)]
    eligible.sort(key=_order)
    if any(item.kind != UNSCHEDULED for item in eligible):
        eligible = [item for item in eligible if item.kind != UNSCHEDULED]
    return [*leading, *eligible]


def choose(people: Iterable[Person], now: float, *, suggested_at: Mapping[int, float] | None = None,
           skipped: Collection[int] = frozenset(), gap: timedelta = DEFAULT_GAP,
           day: SuggestionDay | None = None) -> Suggestion | None:
    """The one person to suggest at ``now`` (the first of ``rank``), or None if no one is left."""
    ranked = rank(people, now, suggested_at=suggested_at, skipped=skipped, gap=gap, day=day)
    return ranked[0] if ranked else None


@dataclass(frozen=True)
class Template:
    """One wording of the prompt; ``call`` says whether it suggests a call rather than a text."""

    text: str
    call: bool


TEMPLATES_WITH_GAP: tuple[Template, ...] = (
    Template("You haven't talked to {name} in {gap}. Call them?", True),
    Template("It's been {gap} since you last talked to {name}. Send them a message?", False),
    Template("{name} hasn't heard from you in {gap}. How about a quick call instead of scrolling?", True),
    Template("{Gap} since you and {name} last talked. A short text takes a minute.", False),
    Template("Swap the feed for a friend: ring {name}? It's been {gap}.", True),
    Template("Still thinking of {name}? It's been {gap}. Drop them a line.", False),
)
"""When the user has talked to the person before, at least a day ago."""

TEMPLATES_NEVER: tuple[Template, ...] = (
    Template("You haven't logged a talk with {name} yet. Call them?", True),
    Template("No conversation with {name} logged so far. Send them a message?", False),
    Template("{name} is on your list with no talk logged yet. How about a quick call instead?", True),
    Template("A short text to {name} takes a minute, and you haven't logged one yet.", False),
)
"""When there is no interaction with the person at all."""

TEMPLATES_RECENT: tuple[Template, ...] = (
    Template("How about a quick call to {name} instead of scrolling?", True),
    Template("Send {name} a message instead of scrolling?", False),
    Template("Swap the feed for a friend: ring {name}?", True),
    Template("A short text to {name} takes a minute.", False),
)
"""When the last talk was less than a day ago."""


TEMPLATES_BIRTHDAY: tuple[Template, ...] = (
    Template("It's {name}'s birthday today! Call them?", True),
    Template("It's {name}'s birthday today: a message from you would make their day.", False),
    Template("It's {name}'s birthday today. A quick call beats any feed.", True),
)
"""On the person's birthday."""

TEMPLATES_BIRTHDAY_EVE: tuple[Template, ...] = (
    Template("It's {name}'s birthday tomorrow. A good moment to get in touch?", False),
    Template("{name}'s birthday is tomorrow: call them today, or plan to tomorrow?", True),
)
"""The day before the person's birthday."""

TEMPLATES_FIRST_CONTACT: tuple[Template, ...] = (
    Template("You wanted to get to know {name}. A first hello takes a minute: send them a message?",
             False),
    Template("{name} is on your list of people to know better. Say hi instead of scrolling?", False),
    Template("Getting to know {name} starts with one message. Write to them now?", False),
)
"""Someone the user wants to get to know and has not talked to yet."""

TEMPLATES_GETTING_TO_KNOW: tuple[Template, ...] = (
    Template("You're getting to know {name}. How about a few words to them instead of scrolling?", False),
    Template("{name} is on your list of people to know better. A short call?", True),
)
"""Someone the user wants to get to know and has talked to before."""


def templates_for(suggestion: Suggestion) -> tuple[Template, ...]:
    """The wordings that fit ``suggestion``: its occasion, else never talked, recently, or a while ago."""
    if suggestion.occasion == Occasion.BIRTHDAY:
        return TEMPLATES_BIRTHDAY
    if suggestion.occasion == Occasion.BIRTHDAY_EVE:
        return TEMPLATES_BIRTHDAY_EVE
    if suggestion.occasion == Occasion.FIRST_CONTACT:
        return TEMPLATES_FIRST_CONTACT if suggestion.never_talked else TEMPLATES_GETTING_TO_KNOW
    if suggestion.never_talked:
        return TEMPLATES_NEVER
    if suggestion.days_since < 1:
        return TEMPLATES_RECENT
    return TEMPLATES_WITH_GAP


def prompt_text(suggestion: Suggestion, index: int = 0) -> str:
    """The connection prompt, e.g. ``You haven't talked to Sam in 6 weeks. Call them?``.

    ``index`` (e.g. a count of prompts sent) picks the wording, rotating through the
    templates that fit; the same index always gives the same text.
    """
    choices = templates_for(suggestion)
    template = choices[index % len(choices)]
    gap = describe_gap(suggestion.days_since)
    # people say "Sam", not "Sam Rivera": the first word of the name, as a friend would
    words = suggestion.person.name.split()
    first_name = words[0] if words else suggestion.person.name
    return template.text.format(name=first_name, gap=gap, Gap=gap[:1].upper() + gap[1:])


def no_people_message() -> str:
    """What the prompt says when the list of people is empty: how to add someone."""
    return (f"Who would you like to talk to more? Add them with: {ADD_HINT} "
            "(or import your contacts: unscroll people import contacts.vcf)")


def nobody_else_message() -> str:
    """What the notice says after "Someone else" when nobody else may be suggested today."""
    return ("Nobody else is due today \N{EM DASH} everyone else on your list was suggested or "
            "talked to lately, which is good going. Someone missing? Add them with: " + ADD_HINT)


def everyone_resting_message() -> str:
    """What the prompt can say when people exist but all were suggested recently or skipped."""
    return "Everyone on your list was suggested recently. Who else could you call today?"
