"""``unscroll people``: the people you want to keep in touch with: add, list, show, edit, log, remove, import.

NAME anywhere below is any unambiguous part of a name (case and accents ignored), the
exact full name, or ``#id``. Frequencies are ``10d``, ``2w``, ``3mo`` or ``1y``; dates
are ``YYYY-MM-DD``, ``today``, ``yesterday``, ``3d ago`` or ``2w ago``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import time as clock_time
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.core.days import local_zone
from monitor.core.errors import InputError
from monitor.core.shell import print_json, settings
from monitor.people import directory as persons
from monitor.people import parsing
from monitor.people.model import KEEP, Person
from monitor.people.suggest import ADD_HINT, describe_gap
from monitor.store.database import Store, open_store

if TYPE_CHECKING:
    from monitor.people.importers import ImportReport

LONG_IMPORT = 100
"""Imports of at least this many records show a progress bar."""
INTERACTIONS_SHOWN = 10
_VIA_WORDS = {"call": "a call", "text": "a text", "email": "an email", "video": "a video call",
              "in person": "a meeting in person", "other": "a contact"}


@dataclass(frozen=True)
class _Clock:
    now: float
    zone: tzinfo
    starts_at: clock_time

    def day(self, instant: float | None) -> str | None:
        """The local day of ``instant`` as YYYY-MM-DD (None stays None)."""
        if instant is None:
            return None
        return parsing.local_date(instant, self.zone, self.starts_at).isoformat()

    def parse(self, text: str, where: str) -> float:
        """Read a date typed for ``where`` (e.g. ``--when``) as an instant."""
        return parsing.parse_date(text, now=self.now, zone=self.zone, starts_at=self.starts_at,
                                  where=where)


@contextmanager
def _session() -> Iterator[tuple[Store, _Clock]]:
    current = settings()
    store = open_store(current)
    try:
        yield store, _Clock(time.time(), local_zone(), current.day_starts_at)
    finally:
        store.close()


def _due_words(person: Person, clock: _Clock) -> str:
    due = person.due
    if due is None:
        return ""
    days = (due - clock.now) / 86400.0
    if days <= 0:
        return f"overdue by {describe_gap(-days)}"
    return f"due in {describe_gap(days)}"


def _as_json(person: Person, clock: _Clock) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "every_days": person.every_days,
        "last_talked": clock.day(person.last_talked),
        "due": clock.day(person.due),
        "tags": list(person.tags),
        "emails": list(person.emails),
        "phones": list(person.phones),
        "links": list(person.links),
        "notes": person.notes,
    }


def _summary(person: Person, clock: _Clock) -> str:
    every = f"every {parsing.format_every(person.every_days)}" if person.every_days else "no frequency"
    due = f", {_due_words(person, clock)} ({clock.day(person.due)})" if person.due is not None else ""
    return f"{person.name} (#{person.id}), {every}{due}"


@click.group(name="people")
def people() -> None:
    """The people you want to keep in touch with: the connection prompt suggests them.

    NAME is any unambiguous part of a name (case and accents ignored), the full name,
    or #id. FREQ is 10d, 2w, 3mo or 1y (3m is refused: m means minutes in unscroll).
    DATE is YYYY-MM-DD, today, yesterday, 3d ago or 2w ago.
    """


@people.command()
@click.argument("name")
@click.option("--every", "every", metavar="FREQ", help="How often to be in touch: 10d, 2w, 3mo, 1y.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeat for more).")
@click.option("--email", "emails", multiple=True, metavar="EMAIL", help="An email (repeat for more).")
@click.option("--phone", "phones", multiple=True, metavar="PHONE", help="A phone (repeat for more).")
@click.option("--link", "links", multiple=True, metavar="URL",
              help="A link: Signal, WhatsApp, a profile (repeat for more).")
@click.option("--note", default="", help="Free notes about them.")
@click.option("--last-talked", "last_talked", metavar="DATE",
              help="When you last talked: YYYY-MM-DD, today, yesterday, 3d ago.")
def add(name: str, every: str | None, tags: tuple[str, ...], emails: tuple[str, ...],
        phones: tuple[str, ...], links: tuple[str, ...], note: str, last_talked: str | None) -> None:
    """Add NAME to the people you want to keep in touch with."""
    with _session() as (store, clock):
        every_days = parsing.parse_every(every) if every is not None else None
        talked = clock.parse(last_talked, "--last-talked") if last_talked is not None else None
        person = persons.add(store, name, now=clock.now, every_days=every_days, tags=tags,
                            emails=emails, phones=phones, links=links, notes=note,
                            last_talked=talked)
        click.echo(f"Added {_summary(person, clock)}.")


@people.command(name="list")
@click.option("--due", "due_only", is_flag=True, help="Only people whose time has come.")
@click.option("--tag", metavar="TAG", help="Only people with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def list_command(due_only: bool, tag: str | None, as_json: bool) -> None:
    """List people, the most overdue first."""
    with _session() as (store, clock):
        listed = persons.list_people(store, now=clock.now, tag=tag, due_only=due_only)
        if as_json:
            print_json([_as_json(person, clock) for person in listed])
            return
        _print_table(listed, clock, empty=persons.count_people(store) == 0)


def _print_table(listed: list[Person], clock: _Clock, *, empty: bool) -> None:
    from rich.console import Console  # noqa: PLC0415 - only for the table view
    from rich.table import Table  # noqa: PLC0415

    console = Console()
    if empty:
        console.print(f"No people yet. Add someone: {ADD_HINT}", markup=False, highlight=False)
        return
    if not listed:
        console.print("No one matches.", markup=False)
        return
    table = Table(show_edge=False, box=None, padding=(0, 2))
    for column in ("#", "Name", "Every", "Last talked", "Due", "Tags"):
        table.add_column(column, justify="right" if column == "#" else "left",
                         no_wrap=column not in ("Name", "Tags"))
    for person in listed:
        due = _due_words(person, clock)
        style = "bold red" if person.is_due(clock.now) else ""
        table.add_row(str(person.id), person.name, parsing.format_every(person.every_days),
                      clock.day(person.last_talked) or "never", due, ", ".join(person.tags),
                      style=style)
    console.print(table)


@people.command()
@click.argument("name")
def show(name: str) -> None:
    """Show everything about one person, and their latest interactions."""
    with _session() as (store, clock):
        person = persons.find_by_query(store, name)
        rows = [
            ("every", parsing.format_every(person.every_days)),
            ("last talked", clock.day(person.last_talked) or "never"),
            ("due", f"{clock.day(person.due)} ({_due_words(person, clock)})" if person.due else "-"),
            ("tags", ", ".join(person.tags) or "-"),
            ("emails", ", ".join(person.emails) or "-"),
            ("phones", ", ".join(person.phones) or "-"),
            ("links", ", ".join(person.links) or "-"),
            ("added", clock.day(person.created) or "-"),
        ]
        click.echo(f"{person.name} (#{person.id})")
        for label, value in rows:
            click.echo(f"  {label + ':':<13}{value}")
        if person.notes:
            click.echo("  notes:")
            for line in person.notes.splitlines():
                click.echo(f"    {line}")
        history = persons.interactions_of(store, person, limit=INTERACTIONS_SHOWN)
        if history:
            click.echo("Interactions (latest first):")
        for item in history:
            click.echo(f"  {clock.day(item.at)}  {item.via:<10}{item.source:<12}{item.note}".rstrip())


@people.command()
@click.argument("name")
@click.option("--name", "new_name", metavar="NAME", help="A new name.")
@click.option("--every", metavar="FREQ", help="How often: 10d, 2w, 3mo, 1y; off for none.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Add a tag.")
@click.option("--untag", "untags", multiple=True, metavar="TAG", help="Remove a tag.")
@click.option("--email", "emails", multiple=True, metavar="EMAIL", help="Add an email.")
@click.option("--remove-email", "remove_emails", multiple=True, metavar="EMAIL",
              help="Remove an email.")
@click.option("--phone", "phones", multiple=True, metavar="PHONE", help="Add a phone.")
@click.option("--remove-phone", "remove_phones", multiple=True, metavar="PHONE",
              help="Remove a phone.")
@click.option("--link", "links", multiple=True, metavar="URL", help="Add a link.")
@click.option("--remove-link", "remove_links", multiple=True, metavar="URL", help="Remove a link.")
@click.option("--note", metavar="TEXT", help="Replace the notes.")
@click.option("--add-note", metavar="TEXT", help="Add a line to the notes.")
def edit(name: str, new_name: str | None, every: str | None, tags: tuple[str, ...],
         untags: tuple[str, ...], emails: tuple[str, ...], remove_emails: tuple[str, ...],
         phones: tuple[str, ...], remove_phones: tuple[str, ...], links: tuple[str, ...],
         remove_links: tuple[str, ...], note: str | None, add_note: str | None) -> None:
    """Change a person: name, frequency, tags, emails, phones, links or notes."""
    changes = (new_name, every, note, add_note)
    lists = (tags, untags, emails, remove_emails, phones, remove_phones, links, remove_links)
    if all(value is None for value in changes) and not any(lists):
        raise InputError("people edit: nothing to change; give --name, --every, --tag, --untag, "
                         "--email, --phone, --link (or their --remove- forms), --note or --add-note")
    with _session() as (store, clock):
        person = persons.find_by_query(store, name)
        every_days = parsing.parse_every(every) if every is not None else KEEP
        updated = persons.edit(store, person, name=new_name, every_days=every_days, add_tags=tags,
                              remove_tags=untags, add_emails=emails, remove_emails=remove_emails,
                              add_phones=phones, remove_phones=remove_phones, add_links=links,
                              remove_links=remove_links, notes=note, append_note=add_note)
        click.echo(f"Updated {_summary(updated, clock)}.")


@people.command()
@click.argument("name")
@click.option("--via", default="other", show_default=True,
              help="call, text, email, video, in person or other.")
@click.option("--note", default="", help="What you talked about.")
@click.option("--when", metavar="DATE", help="When (default now): YYYY-MM-DD, yesterday, 3d ago.")
def log(name: str, via: str, note: str, when: str | None) -> None:
    """Record that you were in touch with someone."""
    with _session() as (store, clock):
        person = persons.find_by_query(store, name)
        at = clock.parse(when, "--when") if when is not None else clock.now
        persons.log_interaction(store, person, at=at, now=clock.now, via=via, note=note)
        updated = persons.get(store, person.id)
        what = _VIA_WORDS[parsing.normalize_via(via)]
        next_due = f" Next due {clock.day(updated.due)}." if updated.due is not None else ""
        click.echo(f"Logged {what} with {updated.name} on {clock.day(at)}.{next_due}")


@people.command()
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def remove(name: str, yes: bool) -> None:
    """Remove a person and their logged interactions."""
    with _session() as (store, _clock):
        person = persons.find_by_query(store, name)
        count = len(persons.interactions_of(store, person))
        if not yes:
            click.confirm(f"Remove {person.name} (#{person.id}) and {count} logged "
                          f"interaction{'' if count == 1 else 's'}?", abort=True)
        persons.remove(store, person)
        click.echo(f"Removed {person.name}.")


@people.command(name="import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True, exists=False))
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Tag everyone imported.")
def import_command(files: tuple[Path, ...], tags: tuple[str, ...]) -> None:
    """Import contacts from vCard (.vcf) files or Google, Outlook or HubSpot CSV exports.

    Matching people (by email, phone or uid) are merged, never duplicated; running the
    same import again changes nothing. Exits with 1 if a file could not be read.
    """
    from monitor.people.importers import import_people  # noqa: PLC0415 - only when importing

    reports: list[ImportReport] = []
    failed: list[tuple[Path, str]] = []
    with _session() as (store, clock):
        for path in files:
            try:
                with _progress(path) as callback:
                    report = import_people(store, path, tags, callback, now=clock.now,
                                           zone=clock.zone)
            except InputError as exc:
                click.echo(f"unscroll: {exc.message}", err=True)
                failed.append((path, exc.message))
                continue
            reports.append(report)
    _print_import_summary(reports, failed)
    if failed:
        raise SystemExit(1)


@contextmanager
def _progress(path: Path) -> Iterator[Callable[[int, int], None]]:
    """A progress callback that shows a rich bar (on stderr) once an import is long."""
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    state: dict[str, Any] = {}

    def callback(done: int, total: int) -> None:
        """Show ``done`` of ``total``, starting the bar once an import proves long."""
        if "bar" not in state:
            if total < LONG_IMPORT:
                return
            bar = Progress(console=Console(stderr=True), transient=True)
            state["bar"], state["task"] = bar, bar.add_task(f"Importing {path.name}", total=total)
            bar.start()
        state["bar"].update(state["task"], completed=done)

    try:
        yield callback
    finally:
        if "bar" in state:
            state["bar"].stop()


def _counts(added: int, merged: int, unchanged: int, skipped: int) -> str:
    return f"{added} added, {merged} merged, {unchanged} unchanged, {skipped} skipped"


def _print_import_summary(reports: list[ImportReport], failed: list[tuple[Path, str]]) -> None:
    for report in reports:
        extra = f"; {report.interactions} last-contacted dates logged" if report.interactions else ""
        click.echo(f"{report.file} ({report.layout}): "
                   f"{_counts(report.added, report.merged, report.unchanged, len(report.skipped))}{extra}")
    skipped = [item for report in reports for item in report.skipped]
    if skipped:
        click.echo("Skipped:")
        for item in skipped:
            click.echo(f"  {item}")
    for path, _message in failed:
        click.echo(f"{path}: not imported (see the error above)")
    if len(reports) + len(failed) > 1:
        total = _counts(sum(r.added for r in reports), sum(r.merged for r in reports),
                        sum(r.unchanged for r in reports), len(skipped))
        failures = f", {len(failed)} file{'s' if len(failed) > 1 else ''} not imported" if failed else ""
        click.echo(f"Total: {total}{failures}")
