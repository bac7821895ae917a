"""Who is most overdue for a word: last talked + ``every_days`` has passed.

Last talked is a person's latest interaction; a person never talked to counts from when
they were added. (Who was reached in a period is monitor.store.people_reads.people_reached.)
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.store.database import Store
from monitor.store.people_reads import last_contacts

DAY_SECONDS = 86400.0


@dataclass(frozen=True)
class PersonOverdue:
    """Someone whose wished-for gap between contacts has run out."""

    person_id: int
    name: str
    every_days: float
    last_talked_utc: float | None
    due_utc: float
    overdue_days: float


def most_overdue(store: Store, as_of: float, *, limit: int | None = 5) -> list[PersonOverdue]:
    """People past their due date at ``as_of``, most overdue first (``limit``: at most that many)."""
    overdue = []
    for person in last_contacts(store, as_of):
        base = person.created_utc if person.last_talked_utc is None else person.last_talked_utc
        due = base + person.every_days * DAY_SECONDS
        if due < as_of:
            overdue.append(PersonOverdue(person.person_id, person.name, person.every_days,
                                         person.last_talked_utc, due, (as_of - due) / DAY_SECONDS))
    overdue.sort(key=lambda late: (-late.overdue_days, late.name))
    return overdue if limit is None else overdue[:limit]
