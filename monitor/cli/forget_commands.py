"""``unscroll forget``: delete history for good, or every trace of unscroll with ``--all``."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import TYPE_CHECKING

import click

from monitor.core.days import day_of, day_start, local_zone
from monitor.core.durations import format_duration
from monitor.core.errors import InputError

if TYPE_CHECKING:
    from monitor.core.settings import Settings
    from monitor.history.forget import Selection

DATE_ACCEPTED = "a date like 2026-03-01, today or yesterday"


def parse_day(text: str, today: date, where: str) -> date:
    """Read ``YYYY-MM-DD``, ``today`` or ``yesterday``."""
    cleaned = text.strip().lower()
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InputError(f"forget: {where} {text!r} is not {DATE_ACCEPTED}") from None


@click.command()
@click.option("--since", "since_text", metavar="DATE", help="From the start of this day (YYYY-MM-DD).")
@click.option("--until", "until_text", metavar="DATE", help="Up to the end of this day (YYYY-MM-DD).")
@click.option("--app", metavar="APP", help="Only this app (process name, any case).")
@click.option("--title", "title_regex", metavar="REGEX",
              help="Only windows whose title matches this regular expression (any case).")
@click.option("--all", "everything", is_flag=True,
              help="Stop the monitor and delete all its data, logs, reports and your config.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def forget(since_text: str | None, until_text: str | None, app: str | None, title_regex: str | None,
           everything: bool, yes: bool) -> None:
    """Delete history for good: nothing of it stays in unscroll's files.

    Days follow your day.starts_at. Forgetting only a period also deletes the
    notifications sent in it. Works while the monitor runs: it goes on counting from
    now (a window whose title you forgot, without its title until you switch away).
    A record of the period up to now (with --app and --title as given) is kept,
    so importing history again leaves it out. To stop a title from being stored at
    all, add it to tracking.exclude_titles in your config.
    """
    if everything:
        if any(value is not None for value in (since_text, until_text, app, title_regex)):
            raise InputError("forget: --all deletes everything; leave out --since, --until, --app "
                             "and --title, or leave out --all")
        _forget_everything(yes)
        return
    if all(value is None for value in (since_text, until_text, app, title_regex)):
        raise InputError("forget: say what to forget with --since DATE, --until DATE, --app APP or "
                         "--title REGEX (they combine), or use --all to delete everything")
    _forget_selected(since_text, until_text, app, title_regex, yes)


def _selection(current: Settings, since_text: str | None, until_text: str | None, app: str | None,
               title_regex: str | None) -> Selection:
    """The spans the options pick, their days read in the user's day (``day.starts_at``)."""
    from monitor.history.forget import Selection, title_pattern  # noqa: PLC0415 - only when forgetting

    zone = local_zone()
    today = day_of(time.time(), current.day_starts_at, zone)
    since = parse_day(since_text, today, "--since") if since_text is not None else None
    until = parse_day(until_text, today, "--until") if until_text is not None else None
    if since is not None and until is not None and until < since:
        raise InputError(f"forget: --until {until_text} is before --since {since_text}")
    if app is not None and not app.strip():
        raise InputError("forget: --app needs the name of an app, like firefox")
    starts = current.day_starts_at
    return Selection(
        since_utc=None if since is None else day_start(since, starts, zone),
        until_utc=None if until is None else day_start(until + timedelta(days=1), starts, zone),
        app=app, title=None if title_regex is None else title_pattern(title_regex))


def _forget_selected(since_text: str | None, until_text: str | None, app: str | None,
                     title_regex: str | None, yes: bool) -> None:
    """Show what the selection holds, ask (unless ``yes``), forget it and say what went."""
    from monitor.core.shell import settings  # noqa: PLC0415
    from monitor.history import forget as forgetting  # noqa: PLC0415 - only when forgetting
    from monitor.store.database import open_store  # noqa: PLC0415

    current = settings()
    selection = _selection(current, since_text, until_text, app, title_regex)
    with open_store(current) as store:
        count, seconds = forgetting.preview(store, selection)
        what = f"{count:,} span{'s' if count != 1 else ''} ({format_duration(seconds)})"
        if count == 0 and not selection.by_days_only:
            click.echo("Nothing stored matches; nothing to forget.")
            return
        if not yes:
            extra = " and the notifications sent in that period" if selection.by_days_only else ""
            click.confirm(f"Forget {what}{extra} for good?", abort=True)
        result = forgetting.forget(store, selection, now=time.time())
    notices = f" and {result.prompts:,} notification record{'s' if result.prompts != 1 else ''}" \
        if result.prompts else ""
    click.echo(f"Forgot {result.spans:,} span{'s' if result.spans != 1 else ''} "
               f"({format_duration(result.seconds)}){notices}; the database was rebuilt without them "
               f"({result.bytes_before:,} → {result.bytes_after:,} bytes).")
    if current.paths.reports_dir.exists() and any(current.paths.reports_dir.iterdir()):
        click.echo(f"Reports drawn before are unchanged: delete them in {current.paths.reports_dir} "
                   "if they show what you forgot.")


def _forget_everything(yes: bool) -> None:
    """Stop the daemon, then delete every file unscroll keeps (after asking, unless ``yes``)."""
    from monitor.core.paths import resolve_paths  # noqa: PLC0415 - works with a broken config too
    from monitor.daemon import control  # noqa: PLC0415
    from monitor.history.forget import everything_paths, forget_everything  # noqa: PLC0415

    paths = resolve_paths()
    found = everything_paths(paths)
    if not yes:
        listing = "\n".join(f"  {path}" for path in found) or "  (no files yet)"
        click.echo(f"This stops the monitor and deletes, for good:\n{listing}")
        click.confirm("Delete everything unscroll keeps?", abort=True)
    stopped = control.stop(paths) is control.StopResult.STOPPED
    result = forget_everything(paths)
    if stopped:
        click.echo("Stopped the monitor.")
    for path in result.removed:
        click.echo(f"Deleted {path}")
    if not result.removed:
        click.echo("There was nothing to delete.")
    click.echo("If unscroll starts at login, run `unscroll autostart disable` too, or it starts "
               "a new history.")
