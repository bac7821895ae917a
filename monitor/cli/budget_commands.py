"""``unscroll budget``: show the daily budgets, and set or unset them in your config."""

from __future__ import annotations

import time
from datetime import timedelta

import click

from monitor.core.budget_edit import (
    check_category,
    parse_budget,
    parse_day,
    set_budget,
    unset_budget,
)
from monitor.core.days import day_of, local_zone
from monitor.core.durations import format_duration, to_config_text
from monitor.core.paths import shipped_file
from monitor.core.settings import BUDGET_OVERRIDE_TABLES, WEEKDAYS, Settings, read_toml
from monitor.core.shell import print_json, settings
from monitor.core.vocabulary import TOTAL, UNCATEGORIZED

_DAY_HELP = "Only on this day: mon … sun, weekend or weekdays (an override)."


def _day_name(day: str | None) -> str:
    if day is None:
        return "every day"
    if day in ("weekend", "weekdays"):
        return f"on {day}"
    return f"on {day.capitalize()}"


def _known(current: Settings) -> tuple[list[str], dict[str, str]]:
    """The categories a budget may name, and each rule's name (case-folded) to its category."""
    from monitor.tracking.categories import load_rules  # noqa: PLC0415

    rules = load_rules(current)
    named = {rule.name.casefold(): rule.category for rule in reversed(rules.rules)  # the first rule wins
             if rule.category != UNCATEGORIZED}
    return [*rules.categories, UNCATEGORIZED], named


@click.group()
def budget() -> None:
    """Daily time budgets per category (and total), with per-day overrides."""


@budget.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def show(as_json: bool) -> None:
    """Show the budgets in force today, the daily ones and the per-day overrides."""
    current = settings()
    _known(current)  # what `config check` refuses (a bad category name or rule) is refused here too
    today = day_of(time.time(), current.day_starts_at, local_zone())
    in_force = current.budgets.for_day(today)
    daily = current.budgets.daily
    overrides = {name: current.budgets.overrides[name] for name in BUDGET_OVERRIDE_TABLES
                 if current.budgets.overrides.get(name)}
    if as_json:
        print_json({
            "day": today.isoformat(),
            "today": {k: v.total_seconds() for k, v in in_force.items()},
            "daily": {k: v.total_seconds() for k, v in daily.items()},
            "overrides": {name: {k: v.total_seconds() for k, v in table.items()}
                          for name, table in overrides.items()},
        })
        return
    from rich.console import Console  # noqa: PLC0415 - only for the table view
    from rich.markup import escape  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    names = {*daily, *in_force, *(k for table in overrides.values() for k in table)}
    ordered = sorted(names, key=lambda name: (name == TOTAL, name))
    table = Table(show_edge=False, box=None, padding=(0, 2))
    columns = [f"Today ({WEEKDAYS[today.weekday()].capitalize()})", "Every day",
               *(name.capitalize() for name in overrides)]
    table.add_column("Category")
    for column in columns:
        table.add_column(column, justify="right")

    def cell(value: timedelta | None) -> str:
        return "-" if value is None else format_duration(value.total_seconds())

    for name in ordered:
        table.add_row(escape(name), cell(in_force.get(name)), cell(daily.get(name)),
                      *(cell(overrides[day].get(name)) for day in overrides))
    console = Console()
    if not ordered:
        console.print("No budgets set. Try: unscroll budget set social 30m")
        return
    click.echo(f"Budgets ({current.paths.config_file})")  # plain text: a path is no markup
    console.print(table)


@budget.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("category")
@click.argument("duration")
@click.option("--day", "day_text", metavar="DAY", help=_DAY_HELP)
def set_command(category: str, duration: str, day_text: str | None) -> None:
    """Set CATEGORY's daily budget to DURATION (like 30m or 1h30m) in your config.

    0 (or 0s) means no time at all: a notice as soon as it is used. To have no
    budget for CATEGORY, use `unscroll budget unset CATEGORY`.
    """
    current = settings()
    day = parse_day(day_text) if day_text is not None else None
    value = parse_budget(duration)
    check_category(category, *_known(current))
    before = (current.budgets.daily if day is None
              else current.budgets.overrides.get(day, {})).get(category)
    change = set_budget(current.paths, category, value, day)
    was = f" (was {to_config_text(before)})" if before is not None else ""
    click.echo(f"Budget for {category} {_day_name(day)}: {to_config_text(value)}{was}. "
               f"Saved in {change.file}")


@budget.command("unset")
@click.argument("category")
@click.option("--day", "day_text", metavar="DAY", help=_DAY_HELP)
def unset_command(category: str, day_text: str | None) -> None:
    """Remove CATEGORY's budget (with --day: that day's override) from your config."""
    current = settings()
    day = parse_day(day_text) if day_text is not None else None
    check_category(category, *_known(current))
    shipped = read_toml(shipped_file("default.toml")).get("budgets", {})
    shipped_keys = [key for key, value in shipped.items() if isinstance(value, str) and value]
    before = (current.budgets.daily if day is None
              else current.budgets.overrides.get(day, {})).get(category)
    change = unset_budget(current.paths, category, day, shipped=shipped_keys)
    if before is None and change.before is None:
        click.echo(f"No budget for {category} {_day_name(day)} to remove.")
        return
    was = f" (was {to_config_text(before)})" if before is not None else ""
    if day is None:
        click.echo(f"No budget for {category} any more{was}. Saved in {change.file}")
    else:
        click.echo(f"Removed the {category} budget {_day_name(day)}{was}; that day now uses the "
                   f"daily budget. Saved in {change.file}")
