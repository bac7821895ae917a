"""``unscroll people``: add, list, show, edit, log, remove, merge and import the people you keep up with.

``import`` lives in ``people_import_commands``.

NAME anywhere below is any unambiguous part of a name (case and accents ignored), the
exact full name, or ``#id``. Frequencies are ``10d``, ``2w``, ``3mo`` or ``1y``; dates
are ``YYYY-MM-DD``, ``today``, ``yesterday``, ``3d ago`` or ``2w ago``. How people are
shown (days, JSON, the table) is ``people_view``.
"""

from __future__ import annotations

from datetime import date

import click

from monitor.cli.people_import_commands import import_command
from monitor.cli.people_view import (
    as_json,
    interaction_json,
    plain,
    print_people_json,
    print_table,
    session,
    show_lines,
    summary,
)
from monitor.core.errors import InputError
from monitor.people import directory as persons
from monitor.people import parsing
from monitor.people.birthdays import birth_year, parse_birthday
from monitor.people.model import KEEP, described
from monitor.people.suggest import ADD_HINT

INTERACTIONS_SHOWN = 10
_VIA_WORDS = {"call": "a call", "text": "a text", "email": "an email", "video": "a video call",
              "in person": "a meeting in person", "other": "a contact"}


@click.group(name="people")
def people() -> None:
    """The people you want to keep in touch with: the connection prompt suggests them.

    NAME is any unambiguous part of a name (case and accents ignored), the full name,
    or #id. FREQ is 10d, 2w, 3mo or 1y (3m is refused: m means minutes in unscroll).
    DATE is YYYY-MM-DD, today, yesterday, 3d ago or 2w ago. BIRTHDAY is MM-DD, or
    YYYY-MM-DD when you know the year.
    """


@people.command()
@click.argument("name")
@click.option("--every", "every", metavar="FREQ", help="How often to be in touch: 10d, 2w, 3mo, 1y.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeat for more).")
@click.option("--email", "emails", multiple=True, metavar="EMAIL", help="An email (repeat for more).")
@click.option("--phone", "phones", multiple=True, metavar="PHONE",
              help="A phone, with + and the country code or in people.default_region (repeat for more).")
@click.option("--link", "links", multiple=True, metavar="URL",
              help="A link: https:, mailto:, tel:, Signal, WhatsApp… (repeat for more).")
@click.option("--note", default="", help="Free notes about them.")
@click.option("--last-talked", "last_talked", metavar="DATE",
              help="When you last talked: YYYY-MM-DD, today, yesterday, 3d ago.")
@click.option("--new/--not-new", "new", default=False,
              help="Someone you want to get to know: suggested at least one time in three.")
@click.option("--birthday", metavar="BIRTHDAY", help="Their birthday: MM-DD, or YYYY-MM-DD.")
def add(name: str, every: str | None, tags: tuple[str, ...], emails: tuple[str, ...],
        phones: tuple[str, ...], links: tuple[str, ...], note: str, last_talked: str | None,
        new: bool, birthday: str | None) -> None:
    """Add NAME to the people you want to keep in touch with."""
    with session() as (store, clock, current):
        every_days = parsing.parse_every(every) if every is not None else None
        talked = clock.parse(last_talked, "--last-talked") if last_talked is not None else None
        person = persons.add(store, name, now=clock.now, every_days=every_days, tags=tags,
                             emails=emails, phones=phones, links=links, notes=note,
                             last_talked=talked, region=current.people.default_region, new=new,
                             birthday=_birthday(birthday, clock.today))
        click.echo(f"Added {summary(person, clock)}.")


@people.command(name="list")
@click.option("--due", "due_only", is_flag=True, help="Only people whose time has come.")
@click.option("--tag", metavar="TAG", help="Only people with this tag.")
@click.option("--json", "json_output", is_flag=True, help="Print machine-readable JSON.")
def list_command(due_only: bool, tag: str | None, json_output: bool) -> None:
    """List people, the most overdue first."""
    with session() as (store, clock, _settings):
        listed = persons.list_people(store, now=clock.now, tag=tag, due_only=due_only)
        if json_output:
            print_people_json([as_json(person, clock) for person in listed])
        elif listed:
            print_table(listed, clock)
        elif persons.count_people(store) == 0:
            click.echo(f"No people yet. Add someone: {ADD_HINT}")
        else:
            click.echo("No one matches.")


@people.command()
@click.argument("name")
@click.option("--json", "json_output", is_flag=True, help="Print machine-readable JSON.")
def show(name: str, json_output: bool) -> None:
    """Show everything about one person, and their latest interactions."""
    with session() as (store, clock, current):
        person = persons.find_by_query(store, name)
        history = persons.interactions_of(store, person, limit=None if json_output else INTERACTIONS_SHOWN)
        if json_output:
            print_people_json({**as_json(person, clock), "added": clock.day(person.created),
                               "uid": person.uid, "birth_year": birth_year(person.birthday),
                               "anniversary": person.anniversary,
                               "interactions": [interaction_json(item, clock) for item in history]})
            return
        click.echo("\n".join(show_lines(person, clock, current.people.default_region)))
        if history:
            click.echo("Interactions (latest first):")
        for item in history:
            click.echo(plain(f"  {clock.day(item.at)}  {item.via:<10}{item.source:<12}{item.note}".rstrip()))


@people.command()
@click.argument("name", required=False)
@click.option("--name", "new_name", metavar="NAME", help="A new name.")
@click.option("--every", metavar="FREQ", help="How often: 10d, 2w, 3mo, 1y; off for none.")
@click.option("--tag", "tags", multiple=True, metavar="TAG",
              help="Add a tag; without NAME, with --every: everyone with this tag.")
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
@click.option("--new/--not-new", "new", default=None,
              help="Mark (or unmark) someone you want to get to know.")
@click.option("--birthday", metavar="BIRTHDAY", help="Their birthday: MM-DD or YYYY-MM-DD; '' clears it.")
@click.option("--no-birthday", "no_birthday", is_flag=True, help="Forget their birthday.")
def edit(name: str | None, new_name: str | None, every: str | None, tags: tuple[str, ...],
         untags: tuple[str, ...], emails: tuple[str, ...], remove_emails: tuple[str, ...],
         phones: tuple[str, ...], remove_phones: tuple[str, ...], links: tuple[str, ...],
         remove_links: tuple[str, ...], note: str | None, add_note: str | None, new: bool | None,
         birthday: str | None, no_birthday: bool) -> None:
    """Change a person: name, frequency, tags, emails, phones, links, notes, new or birthday.

    Without NAME, `--tag TAG --every FREQ` sets the frequency of everyone tagged TAG.
    """
    changes = (new_name, every, note, add_note, new, birthday)
    lists = (tags, untags, emails, remove_emails, phones, remove_phones, links, remove_links)
    if name is None:
        _edit_tag(tags, every, others=(new_name, note, add_note, new is not None, birthday is not None,
                                         no_birthday, *lists[1:]))
        return
    if all(value is None for value in changes) and not any(lists) and not no_birthday:
        raise InputError("people edit: nothing to change; give --name, --every, --tag, --untag, "
                         "--email, --phone, --link (or their --remove- forms), --note, --add-note, "
                         "--new, --not-new, --birthday or --no-birthday")
    if no_birthday and birthday:
        raise InputError("people edit: give --birthday or --no-birthday, not both")
    with session() as (store, clock, current):
        person = persons.find_by_query(store, name)
        every_days = parsing.parse_every(every) if every is not None else KEEP
        born = None if no_birthday else KEEP if birthday is None else _birthday(birthday, clock.today)
        updated = persons.edit(store, person, name=new_name, every_days=every_days, add_tags=tags,
                               remove_tags=untags, add_emails=emails, remove_emails=remove_emails,
                               add_phones=phones, remove_phones=remove_phones, add_links=links,
                               remove_links=remove_links, notes=note, append_note=add_note,
                               region=current.people.default_region,
                               new=KEEP if new is None else new, birthday=born)
        click.echo(f"Updated {summary(updated, clock)}.")


def _birthday(text: str | None, today: date) -> str | None:
    """``--birthday`` as stored (``MM-DD`` or ``YYYY-MM-DD``); None when not given or blank."""
    if text is None or not text.strip():
        return None
    return parse_birthday(text, where="--birthday", today=today)


def _edit_tag(tags: tuple[str, ...], every: str | None, others: tuple[object, ...]) -> None:
    """``people edit --tag TAG --every FREQ``: the frequency of everyone with the tag."""
    if len(tags) != 1 or every is None or any(others):
        raise InputError("people edit: give NAME (the person to change), or --tag TAG with --every FREQ "
                         "alone to set the frequency of everyone with that tag")
    with session() as (store, _clock, _settings):
        changed = persons.set_every_for_tag(store, tags[0], parsing.parse_every(every))
    every_text = f"every {parsing.format_every(changed[0].every_days)}" if changed[0].every_days else \
        "no frequency"
    names = ", ".join(plain(person.name) for person in changed)
    count = f"{len(changed)} {'person' if len(changed) == 1 else 'people'}"
    click.echo(f"Set {every_text} for {count} tagged {plain(tags[0])}: {names}.")


@people.command()
@click.argument("name")
@click.option("--via", default="other", show_default=True,
              help="call, text, email, video, in person or other.")
@click.option("--note", default="", help="What you talked about.")
@click.option("--when", metavar="DATE", help="When (default now): YYYY-MM-DD, yesterday, 3d ago.")
def log(name: str, via: str, note: str, when: str | None) -> None:
    """Record that you were in touch with someone."""
    with session() as (store, clock, _settings):
        person = persons.find_by_query(store, name)
        at = clock.parse(when, "--when") if when is not None else clock.now
        persons.log_interaction(store, person, at=at, now=clock.now, via=via, note=note)
        updated = persons.get(store, person.id)
        what = _VIA_WORDS[parsing.normalize_via(via)]
        next_due = f" Next due {clock.day(updated.due)}." if updated.due is not None else ""
        click.echo(f"Logged {what} with {plain(updated.name)} on {clock.day(at)}.{next_due}")


@people.command()
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def remove(name: str, yes: bool) -> None:
    """Remove a person and their logged interactions."""
    with session() as (store, _clock, _settings):
        person = persons.find_by_query(store, name)
        count = len(persons.interactions_of(store, person))
        if not yes:
            click.confirm(f"Remove {plain(person.name)} (#{person.id}) and {count} logged "
                          f"interaction{'' if count == 1 else 's'}?", abort=True)
        persons.remove(store, person)
        click.echo(f"Removed {plain(person.name)}.")


@people.command()
@click.argument("keep", metavar="NAME")
@click.argument("other", metavar="OTHER")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def merge(keep: str, other: str, yes: bool) -> None:
    """Merge OTHER into NAME: one person, with both's emails, phones, links, tags and history.

    OTHER's name is kept as an alias of NAME, so importing OTHER's card again merges it
    into NAME. Use it for the possible duplicates an import lists.
    """
    with session() as (store, _clock, current):
        kept, gone = persons.find_by_query(store, keep), persons.find_by_query(store, other)
        if not yes and kept.id != gone.id:
            click.confirm(f"Merge {plain(described(gone))} into {plain(described(kept))}? "
                          f"{plain(gone.name)} (#{gone.id}) will no longer be listed on their own",
                          abort=True)
        result = persons.merge(store, kept, gone, region=current.people.default_region)
    gained = ", ".join(result.added) or "nothing new"
    moved = (f"{result.interactions} interaction{'' if result.interactions == 1 else 's'} and "
             f"{result.prompts} prompt{'' if result.prompts == 1 else 's'} moved")
    click.echo(f"Merged {plain(result.gone.name)} (#{result.gone.id}) into {plain(result.person.name)} "
               f"(#{result.person.id}): {gained}; {moved}. {plain(result.gone.name)} is now an alias: "
               "importing their card again merges it here.")


people.add_command(import_command)
