"""``unscroll today``: today's time per category and item, against the budgets."""

from __future__ import annotations

import time

import click

from monitor.core.days import day_of, local_zone
from monitor.core.durations import format_duration
from monitor.core.shell import print_json, settings
from monitor.store.database import open_store
from reports.aggregate import DaySummary, day_summary
from reports.words import item_words


def summary_json(summary: DaySummary) -> dict[str, object]:
    """The JSON shape of a day: totals, categories with budgets, items."""
    return {
        "day": summary.day.isoformat(),
        "total_seconds": round(summary.total_seconds),
        "total_budget_seconds": _whole(summary.total_budget_seconds),
        "categories": [
            {"name": c.name, "seconds": round(c.seconds), "budget_seconds": _whole(c.budget_seconds)}
            for c in summary.categories
        ],
        "items": [
            {"name": i.name, "app": i.app, "category": i.category, "seconds": round(i.seconds)}
            for i in summary.items
        ],
    }


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def _render(summary: DaySummary, top: int) -> None:
    from rich.console import Console  # noqa: PLC0415 - only for the table view
    from rich.markup import escape  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    console = Console()
    budget = summary.total_budget_seconds
    headline = f"Today ({summary.day:%A %d %B}): {format_duration(summary.total_seconds)}"
    if budget is not None:
        headline += f" of {format_duration(budget)}"
    console.print(f"[bold]{headline}[/bold]")
    if not summary.items:
        console.print("Nothing counted yet today. Is the monitor running? Try: unscroll status")
        return
    categories = Table(show_edge=False, box=None, padding=(0, 2))
    for column in ("Category", "Time", "Budget", ""):
        categories.add_column(column)
    for category in summary.categories:
        state = ""
        if category.budget_seconds is not None:
            left = category.budget_seconds - category.seconds
            state = ("[red]over by " + format_duration(-left) + "[/red]" if left < 0
                     else format_duration(left) + " left")
        categories.add_row(escape(category.name), format_duration(category.seconds),
                           format_duration(category.budget_seconds)
                           if category.budget_seconds is not None else "-", state)
    console.print(categories)
    items = Table(title=f"Top {min(top, len(summary.items))}", show_edge=False, box=None,
                  padding=(0, 2), title_justify="left")
    for column in ("Item", "App", "Category", "Time"):
        items.add_column(column, overflow="ellipsis", max_width=60 if column == "Item" else None)
    for item in summary.items[:top]:
        items.add_row(escape(item_words(item.name)), escape(item.app), escape(item.category),
                      format_duration(item.seconds))
    console.print(items)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--top", default=15, show_default=True, help="How many items to list.")
def today(as_json: bool, top: int) -> None:
    """Show today's screen time per category and item, against your budgets."""
    current = settings()
    zone = local_zone()
    now = time.time()
    day = day_of(now, current.day_starts_at, zone)
    budgets = {name: value.total_seconds() for name, value in current.budgets.for_day(day).items()}
    with open_store(current) as store:
        summary = day_summary(store, day, starts_at=current.day_starts_at, zone=zone, budgets=budgets)
    if as_json:
        print_json(summary_json(summary))
    else:
        _render(summary, top)
