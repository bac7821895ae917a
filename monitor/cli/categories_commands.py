"""``unscroll categories``: test a title against the rules, list them, reclassify stored spans."""

from __future__ import annotations

from datetime import date, timedelta

import click

from monitor.core.days import day_of, day_start, local_zone
from monitor.core.errors import InputError
from monitor.core.shell import print_json, settings
from monitor.store.database import open_store
from monitor.tracking.categories import Rules, load_rules


@click.group()
def categories() -> None:
    """See and apply the rules that put apps and sites into categories."""


@categories.command("test")
@click.argument("title", required=False, default="")
@click.option("--app", default="firefox", show_default=True,
              help="The process name of the window (a browser, for site rules).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def test_title(title: str, app: str, as_json: bool) -> None:
    """Show which category and rule a window TITLE of APP gets."""
    rules = load_rules(settings())
    result = rules.classify(app, title or None)
    found = rules.explain(app, title or None)
    if as_json:
        match = None if found is None else {
            "origin": found.rule.origin, "number": found.rule.number,
            "file": found.rule.source, "kind": found.kind, "pattern": found.pattern,
            "matched": found.text,
        }
        print_json({"app": app, "title": title or None, "browser": rules.is_browser(app),
                    "category": result.category, "name": result.name, "rule": result.rule,
                    "match": match})
        return
    click.echo(f"category: {result.category}")
    click.echo(f"name:     {result.name}")
    if found is None:
        reason = ("no site or app rule matches" if rules.is_browser(app)
                  else f"no app rule matches {app!r} (not a browser: its title is not used)")
        click.echo(f"rule:     none ({reason})")
    else:
        click.echo(f"rule:     {result.rule}: {found.kind} {found.pattern!r} "
                   f"matched {found.text!r}")


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
                       "category": r.category, "apps": list(r.apps), "sites": list(r.sites)}
                      for r in rules.rules],
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
    table.add_column("Sites", overflow="fold", ratio=1)
    for rule in rules.rules:
        owner = "yours" if rule.origin == "user" else "shipped"
        table.add_row(f"{owner} {rule.number}", Text(rule.name), rule.category,
                      Text(_sample(rule.apps)), Text(_sample(rule.sites)))
    console.print(table)
    console.print(Text(f"Categories: {', '.join(rules.categories)} (and uncategorized)"))
    console.print(Text(f"Browsers: {len(rules.browsers)} process names, e.g. "
                       + ", ".join(sorted(rules.browsers)[:6])))
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
