"""``unscroll categories``: test a title against the rules, list them, reclassify stored spans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import click

from monitor.core.days import day_of, day_start, local_zone
from monitor.core.errors import InputError
from monitor.core.shell import print_json, settings
from monitor.core.vocabulary import EXCLUDED_TITLE
from monitor.store.database import open_store
from monitor.tracking.categories import Rules, load_rules
from monitor.tracking.titles import ELLIPSIS

if TYPE_CHECKING:
    from monitor.tracking.observe import Examined


@click.group()
def categories() -> None:
    """See and apply the rules that put apps and sites into categories."""


def _app_and_title(words: tuple[str, ...], app_option: str | None) -> tuple[str, str]:
    """APP and TITLE from ``categories test``'s arguments: ``TITLE``, ``APP TITLE`` or ``--app APP TITLE``."""
    if len(words) > 2 or (len(words) == 2 and app_option is not None):
        raise click.UsageError("expected [APP] TITLE: put a title with spaces in quotes, "
                               "as in: unscroll categories test firefox \"Home / X — Mozilla Firefox\"")
    if len(words) == 2:
        return words[0], words[1]
    return app_option or "firefox", words[0] if words else ""


@categories.command("test")
@click.argument("words", nargs=-1, metavar="[APP] TITLE")
@click.option("--app", "app_option", default=None,
              help="The process name of the window (a browser, for site rules).  [default: firefox]")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def test_title(words: tuple[str, ...], app_option: str | None, as_json: bool) -> None:
    """Show which category and rule a window TITLE of APP gets, and what would be stored.

    The window goes through the daemon's own observe step: the same cleaning, cutting,
    privacy settings and rules. APP is the process name (firefox when left out), as in
    `unscroll categories test slack "general - Acme"`.
    """
    from monitor.tracking.observe import examine  # noqa: PLC0415
    from monitor.tracking.platforms.base import ActiveWindow  # noqa: PLC0415

    app, title = _app_and_title(words, app_option)
    current = settings()
    rules = load_rules(current)
    seen = examine(ActiveWindow(app, title or None, None), rules, current.tracking)
    stored, found = seen.observation, seen.match
    if as_json:
        match = None if found is None else {
            "origin": found.rule.origin, "number": found.rule.number,
            "file": found.rule.source, "kind": found.kind, "pattern": found.pattern,
            "matched": found.text,
        }
        print_json({"app": stored.app, "title": title or None, "cleaned_title": seen.title,
                    "stored_title": stored.title, "private": seen.private,
                    "browser": rules.is_browser(stored.app), "category": stored.category,
                    "name": stored.name, "rule": None if found is None else found.rule.label,
                    "match": match})
        return
    click.echo(f"category: {stored.category}")
    click.echo(f"name:     {stored.name}")
    if found is None:
        reason = ("no site or app rule matches" if rules.is_browser(stored.app)
                  else f"no app rule matches {stored.app!r} (not a browser: its title is not used)")
        click.echo(f"rule:     none ({reason})")
    else:
        click.echo(f"rule:     {found.rule.label}: {found.kind} {found.pattern!r} "
                   f"matched {found.text!r}")
    click.echo(f"stored:   {_stored_title(seen, title, current.tracking.store_titles)}")


def _stored_title(seen: Examined, given: str, store_titles: bool) -> str:
    """How the title is stored, and why it is not, or why it differs from the one given."""
    stored = seen.observation.title
    if seen.private:
        return "no title (a private window: its category counts, its title is not kept)"
    if not store_titles:
        return "no title (tracking.store_titles is off)"
    if stored is None:
        return "no title"
    if stored == EXCLUDED_TITLE:
        return f"{EXCLUDED_TITLE} (the title matches tracking.exclude_titles)"
    if stored == given:
        return repr(stored)
    how = ("cut in its middle" if ELLIPSIS in stored and len(stored) < len(given)
           else "invisible marks, control characters and extra spaces removed")
    return f"{stored!r} ({how})"


@categories.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def list_rules(as_json: bool) -> None:
    """List the rules in the order they are tried (yours first), and the browsers."""
    rules = load_rules(settings())
    if as_json:
        print_json({
            "categories": list(rules.categories),
            "browsers": sorted(rules.browsers),
            "disabled": list(rules.disabled),
            "rules": [{"origin": r.origin, "number": r.number, "name": r.name,
                       "category": r.category, "apps": list(r.apps), "sites": list(r.sites),
                       "titles": list(r.titles)}
                      for r in rules.rules],
            "app_hosts": sorted(rules.hosts),
            "mastodon_instances": list(rules.instances),
        })
        return
    _render(rules)


def _sample(patterns: tuple[str, ...], shown: int = 3) -> str:
    text = ", ".join(patterns[:shown])
    return text + (f" (+{len(patterns) - shown})" if len(patterns) > shown else "")


def _render(rules: Rules) -> None:
    from rich.console import Console  # noqa: PLC0415 - only for the table view
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    console = Console()
    table = Table(show_edge=False, box=None, padding=(0, 1))
    table.add_column("Rule", no_wrap=True)
    table.add_column("Name", no_wrap=True)
    table.add_column("Category", no_wrap=True)
    table.add_column("Apps", overflow="fold", ratio=1)
    table.add_column("Sites and titles", overflow="fold", ratio=1)
    for rule in rules.rules:
        owner = "yours" if rule.origin == "user" else "shipped"
        table.add_row(f"{owner} {rule.number}", Text(rule.name), rule.category,
                      Text(_sample(rule.apps)), Text(_sample(rule.sites + rule.titles)))
    console.print(table)
    console.print(Text(f"Categories: {', '.join(rules.categories)} (and uncategorized)"))
    console.print(Text(f"Browsers: {len(rules.browsers)} process names, e.g. "
                       + ", ".join(sorted(rules.browsers)[:6])))
    console.print(Text(f"Mastodon instances: {len(rules.instances)} (add yours with "
                       "[categories] mastodon_instances = [...]), e.g. "
                       + ", ".join(rules.instances[:4])))
    if rules.disabled:
        console.print(Text(f"Switched off: {', '.join(rules.disabled)}"))


def parse_since(text: str, today: date) -> date:
    """Read ``--since``: ``YYYY-MM-DD``, ``today`` or ``yesterday``."""
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise InputError(f"categories recheck: --since {text!r} is not a date like "
                         f"{today.isoformat()} (or today, yesterday)") from None


@categories.command()
@click.option("--since", "since_text", metavar="DATE",
              help="Only spans from this local day on (YYYY-MM-DD); all by default.")
def recheck(since_text: str | None) -> None:
    """Apply the current rules to stored spans (after you changed rules)."""
    import time  # noqa: PLC0415

    from monitor.history.recheck import recheck_spans  # noqa: PLC0415

    current = settings()
    rules = load_rules(current)
    zone = local_zone()
    since_utc = None
    if since_text is not None:
        today = day_of(time.time(), current.day_starts_at, zone)
        since_utc = day_start(parse_since(since_text, today), current.day_starts_at, zone)
    with open_store(current) as store:
        result = recheck_spans(store, rules, since_utc)
    scope = f" since {since_text}" if since_text else ""
    click.echo(f"Rechecked {result.spans:,} spans ({result.windows:,} windows){scope}: "
               f"{result.changed_spans:,} changed ({result.changed_windows:,} windows).")
