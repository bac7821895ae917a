"""How the people commands show people: local days, due words, JSON, and the list as a table.

Everything here only formats; the commands in ``people_commands`` and
``people_import_commands`` call it. Text that comes from data (names, tags, notes,
links) is printed as plain text, never as rich markup, with control characters shown
escaped, so a name like ``[bold]Sam[/bold]`` or one with a terminal escape shows as written.
The table is laid out here rather than by rich: rich measures every cell of every row,
8.7 s for 10,000 people; this takes a fraction of a second (benchmarks/people_list_bench.py).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, tzinfo
from datetime import time as clock_time
from typing import Any

import click
import orjson

from monitor.core.days import local_zone
from monitor.core.errors import InputError
from monitor.core.settings import Settings
from monitor.core.shell import settings
from monitor.people import birthdays, parsing
from monitor.people.links import storable_link
from monitor.people.model import Interaction, Person
from monitor.people.phones import display_phone
from monitor.people.suggest import describe_gap
from monitor.store.database import Store, open_store

COLUMNS = ("#", "Name", "Every", "Last talked", "Due", "Tags")
GAP = "  "
NARROWEST = 8
"""Name and Tags are cut (with …) to fit the terminal, but never below this many cells."""


@dataclass(frozen=True)
class Clock:
    """The moment a command runs, and how its days are counted."""

    now: float
    zone: tzinfo
    starts_at: clock_time

    @property
    def today(self) -> date:
        """The local day the command runs on (with the configured day start)."""
        return parsing.local_date(self.now, self.zone, self.starts_at)

    def day(self, instant: float | None) -> str | None:
        """The local day of ``instant`` as YYYY-MM-DD (None stays None)."""
        if instant is None:
            return None
        return parsing.local_date(instant, self.zone, self.starts_at).isoformat()

    def parse(self, text: str, where: str) -> float:
        """Read a date typed for ``where`` (e.g. ``--when``) as an instant."""
        return parsing.parse_date(text, now=self.now, zone=self.zone, starts_at=self.starts_at,
                                  where=where)

    def due_words(self, person: Person) -> str:
        """``due in 7 days``, ``due today``, ``overdue by 2 weeks``; empty without ``every``."""
        return due_words(person, self.now, self.zone, self.starts_at)


def due_words(person: Person, now: float, zone: tzinfo, starts_at: clock_time) -> str:
    """When ``person`` is due, in words, counted in local calendar days from ``now``."""
    days = person.days_until_due(now, zone, starts_at)
    if days is None:
        return ""
    if days == 0:
        return "due today"
    if days > 0:
        return f"due in {describe_gap(days)}"
    return f"overdue by {describe_gap(-days)}"


@contextmanager
def session() -> Iterator[tuple[Store, Clock, Settings]]:
    """The user's store, the clock of this command and the settings; the store is closed after."""
    current = settings()
    store = open_store(current)
    try:
        yield store, Clock(time.time(), local_zone(), current.day_starts_at), current
    finally:
        store.close()


def plain(text: str) -> str:
    """``text`` safe to print: control and bidirectional formatting characters shown escaped."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else
                   (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
                   for char in text)


def _safe_links(person: Person) -> tuple[list[str], list[str]]:
    """The person's links that may be kept, and those stored before the rules that would be refused now."""
    kept: list[str] = []
    refused: list[str] = []
    for link in person.links:
        try:
            kept.append(storable_link(link))
        except InputError:
            refused.append(link)
    return kept, refused


def as_json(person: Person, clock: Clock) -> dict[str, Any]:
    """One person as ``people list --json`` and ``people show --json`` print them."""
    links, refused = _safe_links(person) if person.links else ([], [])
    result: dict[str, Any] = {
        "id": person.id, "name": person.name, "every_days": person.every_days,
        "last_talked": clock.day(person.last_talked), "due": clock.day(person.due),
        "tags": list(person.tags), "emails": list(person.emails), "phones": list(person.phones),
        "links": links, "notes": person.notes, "aliases": list(person.aliases),
        "new": person.new, "birthday": birthdays.month_day_text(person.birthday),
    }
    if refused:
        result["refused_links"] = refused
    return result


def print_people_json(value: object) -> None:
    """Print ``value`` as ``core.shell.print_json`` does (indented by 2, UTF-8), with orjson.

    The standard library's indented encoder is pure Python: 0.9 s for 10,000 people; this, 0.05 s.
    """
    click.echo(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())


def interaction_json(item: Interaction, clock: Clock) -> dict[str, Any]:
    """One interaction as ``people show --json`` prints it."""
    return {"day": clock.day(item.at), "at_utc": item.at, "via": item.via, "source": item.source,
            "note": item.note}


def summary(person: Person, clock: Clock) -> str:
    """``Sam Lee (#1), every 2w, due in 7 days (2026-12-07), someone new, birthday 05-17 (in 3 days)``."""
    every = f"every {parsing.format_every(person.every_days)}" if person.every_days else "no frequency"
    due = f", {clock.due_words(person)} ({clock.day(person.due)})" if person.due is not None else ""
    new = ", someone new to get to know" if person.new else ""
    born = f", birthday {birthday_words(person, clock.today)}" if person.birthday else ""
    return f"{plain(person.name)} (#{person.id}), {every}{due}{new}{born}"


def birthday_words(person: Person, today: date) -> str:
    """``1990-05-17 (in 12 days)``, ``05-17 (today)``: the birthday as stored, and when it comes."""
    when = birthdays.describe_when(person.birthday, today)
    return f"{person.birthday} ({when})" if when else str(person.birthday or "-")


def marks(person: Person, today: date) -> str:
    """The list's small marks after a name: `` (new)``, `` (birthday today)``, `` (birthday tomorrow)``."""
    words = ["new"] if person.new else []
    when = birthdays.describe_when(person.birthday, today)
    if when in ("today", "tomorrow"):
        words.append(f"birthday {when}")
    return f" ({', '.join(words)})" if words else ""


def show_lines(person: Person, clock: Clock, region: str | None) -> list[str]:
    """The lines of ``people show`` about the person (their interactions are added by the command)."""
    links, refused = _safe_links(person)
    rows = [
        ("every", parsing.format_every(person.every_days)),
        ("last talked", clock.day(person.last_talked) or "never"),
        ("due", f"{clock.day(person.due)} ({clock.due_words(person)})" if person.due else "-"),
        ("tags", ", ".join(person.tags) or "-"),
        ("emails", ", ".join(person.emails) or "-"),
        ("phones", ", ".join(display_phone(phone, region) for phone in person.phones) or "-"),
        ("links", ", ".join(links) or "-"),
        ("added", clock.day(person.created) or "-"),
    ]
    if person.new:
        rows.append(("new", "someone you want to get to know"))
    if person.birthday:
        rows.append(("birthday", birthday_words(person, clock.today)))
    if person.anniversary:
        rows.append(("anniversary", person.anniversary))
    if refused:
        rows.append(("not links", ", ".join(refused) + " (stored before; never opened)"))
    if person.aliases:
        rows.append(("also known", ", ".join(person.aliases)))
    lines = [f"{plain(person.name)} (#{person.id})"]
    lines += [f"  {label + ':':<13}{plain(value)}" for label, value in rows]
    if person.notes:
        lines += ["  notes:", *(f"    {plain(line)}" for line in person.notes.splitlines())]
    return lines


def _fit(cell: str, width: int) -> str:
    """``cell`` padded to ``width`` terminal cells, or cut to it with …."""
    from rich.cells import cell_len, set_cell_size  # noqa: PLC0415 - cheap; only for the table

    length = len(cell) if cell.isascii() else cell_len(cell)
    if length <= width:
        return cell + " " * (width - length)
    return set_cell_size(cell, width - 1) + "…"


def table_lines(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """``rows`` (under COLUMNS) laid out in columns two spaces apart, within ``width`` cells.

    Name and Tags are cut with … when the whole does not fit; ``#`` is right-aligned.
    """
    from rich.cells import cell_len  # noqa: PLC0415 - cheap; only for the table

    cleaned = [[plain(cell) for cell in row] for row in rows]
    widths = [max([cell_len(column), *(cell_len(row[index]) for row in cleaned)])
              for index, column in enumerate(COLUMNS)]
    excess = sum(widths) + len(GAP) * (len(COLUMNS) - 1) - width
    for index in (5, 1):  # Tags first, then Name
        if excess > 0:
            cut = min(excess, max(widths[index] - NARROWEST, 0))
            widths[index] -= cut
            excess -= cut
    lines = []
    for row in [list(COLUMNS), *cleaned]:
        cells = [row[0].rjust(widths[0])] + [_fit(cell, widths[index])
                                             for index, cell in enumerate(row) if index > 0]
        lines.append(GAP.join(cells).rstrip())
    return lines


def print_table(listed: Sequence[Person], clock: Clock) -> None:
    """Print ``listed`` as the ``people list`` table: those due in bold red on a terminal."""
    today = clock.today
    rows = [(str(person.id), person.name + marks(person, today), parsing.format_every(person.every_days),
             clock.day(person.last_talked) or "never", clock.due_words(person), ", ".join(person.tags))
            for person in listed]
    lines = table_lines(rows, shutil.get_terminal_size().columns)
    due = [False, *(person.is_due(clock.now) for person in listed)]
    styled = (click.style(line, fg="red", bold=True) if is_due else line
              for line, is_due in zip(lines, due, strict=True))
    click.echo("\n".join(styled))
