"""``unscroll week``: a week's numbers in the terminal (or as JSON), with small bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from monitor.core.durations import format_duration
from monitor.core.shell import print_json, settings
from monitor.core.vocabulary import TOTAL
from monitor.store.database import open_store
from reports.cli.device_options import device_options, narrow
from reports.prompt_stats import NO_ANSWER
from reports.words import action_words, item_words, outcome_words, unshown_note

if TYPE_CHECKING:  # the table view's modules are imported only when it is shown
    from rich.console import Console
    from rich.table import Table

    from reports.week import WeekReport
    from reports.week_budgets import DayCheck

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, most: float, width: int = 16) -> str:
    """A bar of ``width`` characters at most, in eighths of a character."""
    if most <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / most * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def _time(seconds: float | None) -> str:
    return "-" if seconds is None else format_duration(seconds)


def _days_word(count: int) -> str:
    return f"{count} {'day' if count == 1 else 'days'}"


def _verdict(check: DayCheck) -> str:
    """The "Over budget" cell: what was exceeded, or why nothing is judged."""
    from rich.markup import escape  # noqa: PLC0415 - only for the table view

    if check.over:
        return f"[red]{escape(', '.join(check.over))}[/red]"
    if not check.counted:
        return "[dim]to come[/dim]"
    return "" if check.has_data else "[dim]no data[/dim]"


def _days_table(report: WeekReport) -> Table:
    from rich.table import Table  # noqa: PLC0415 - only for the table view

    from reports.headline import SOCIAL  # noqa: PLC0415

    most = max((day.total_seconds for day in report.days), default=0.0)
    days = Table(show_edge=False, box=None, padding=(0, 2), title="Per day", title_justify="left")
    for column in ("Day", "Total", "", "Social", "Over budget"):
        days.add_column(column, no_wrap=True)
    for day, check in zip(report.days, report.checks, strict=True):
        label = f"{day.day:%a %d %b}" + ("*" if check.has_data and not check.budgets_recorded else "")
        if abs(day.length_hours - 24) >= 0.01:
            label += f" ({day.length_hours:g} h)"
        total = format_duration(day.total_seconds) if day.total_seconds else "-"
        if TOTAL in check.over:
            total = f"[red]{total}[/red]"
        days.add_row(label, total, f"[cyan]{bar(day.total_seconds, most)}[/cyan]",
                     format_duration(day.seconds(SOCIAL)) if day.seconds(SOCIAL) else "-", _verdict(check))
    return days


def _categories_table(report: WeekReport) -> Table:
    from rich.markup import escape  # noqa: PLC0415 - only for the table view
    from rich.table import Table  # noqa: PLC0415

    most = max((week.seconds for week in report.categories), default=0.0)
    with_data = _days_word(report.headline.days_with_data)
    categories = Table(show_edge=False, box=None, padding=(0, 2), title_justify="left",
                       title=f"Per category (budgets summed over the {with_data} with data)")
    for column in ("Category", "Time", "", "Budget", "Days over"):
        categories.add_column(column, no_wrap=True)
    for week in report.categories:
        categories.add_row(escape(week.name), _time(week.seconds), f"[cyan]{bar(week.seconds, most)}[/cyan]",
                           _time(week.budget_seconds),
                           f"[red]{week.days_over}[/red]" if week.days_over else "")
    total_budget = [check.budgets[TOTAL] for check in report.checks
                    if check.has_data and TOTAL in check.budgets]
    over_total = sum(TOTAL in check.over for check in report.checks)
    categories.add_row("[bold]all[/bold]", f"[bold]{_time(report.headline.total_seconds)}[/bold]", "",
                       _time(sum(total_budget)) if total_budget else "-",
                       f"[red]{over_total}[/red]" if over_total else "")
    return categories


def _items_table(report: WeekReport) -> Table:
    from rich.markup import escape  # noqa: PLC0415 - only for the table view
    from rich.table import Table  # noqa: PLC0415

    items = Table(show_edge=False, box=None, padding=(0, 2), title="Top items", title_justify="left")
    for column in ("Item", "Category", "Time"):
        items.add_column(column, overflow="ellipsis", max_width=50 if column == "Item" else None)
    for item in report.top_items:
        items.add_row(escape(item_words(item.name)), escape(item.category), format_duration(item.seconds))
    return items


def _print_people_and_prompts(console: Console, report: WeekReport) -> None:
    from rich.markup import escape  # noqa: PLC0415 - only for the table view

    reached = ", ".join(f"{p.name} ({p.interactions}×)" if p.interactions > 1 else p.name
                        for p in report.people_reached) or "no one yet"
    console.print(f"[bold]Reached:[/bold] {escape(reached)}")
    if report.most_overdue:
        console.print("[bold]Most overdue:[/bold] " + escape(", ".join(
            f"{p.name} ({round(p.overdue_days)} d)" for p in report.most_overdue[:5])))
    doorway = report.doorway
    if doorway.recorded:
        outcomes = ", ".join(f"{outcome_words(name)} ({count})" for name, count in doorway.outcomes.items())
        unshown = unshown_note(doorway.unavailable)
        console.print(f"[bold]Doorway:[/bold] {doorway.shown} shown; {escape(outcomes)}"
                      + (f"; {unshown}" if unshown else ""))
    if report.prompts.sent:
        actions = sorted(report.prompts.by_action.items(), key=lambda kv: kv[0] == NO_ANSWER)  # stable
        answers = ", ".join(f"{action_words(name)} ({count})" for name, count in actions)
        console.print(f"[bold]Notices:[/bold] {report.prompts.sent} sent; {escape(answers)}")


def _render(report: WeekReport) -> None:
    from rich.console import Console  # noqa: PLC0415 - only for the table view
    from rich.markup import escape  # noqa: PLC0415

    console = Console()
    first, last = report.days[0].day, report.days[-1].day
    console.print(f"[bold]Week {report.week.label}[/bold] ({first:%a %d %b} – {last:%a %d %b %Y}): "
                  f"{format_duration(report.headline.total_seconds)} in all")
    text = report.headline_text
    console.print(text[:1].upper() + text[1:] + ".")
    if report.is_empty:
        console.print("Nothing recorded this week yet. Is the monitor running? Try: unscroll status")
        return
    headline = report.headline
    if any(check.budgets for check in report.checks if check.has_data):
        console.print(f"Within budget: {headline.days_within_budget} of "
                      f"{_days_word(headline.days_with_data)} with data.")
    console.print(_days_table(report))
    console.print(_categories_table(report))
    console.print(_items_table(report))
    _print_people_and_prompts(console, report)
    note = report.budgets_note
    if note is not None:
        console.print(f"[dim]* {escape(note)}.[/dim]")


@click.command()
@click.option("--week", "week_text", metavar="YYYY-Www",
              help="The ISO week, e.g. 2026-W13 (default: this week).")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@device_options
def week(week_text: str | None, as_json: bool, device: str | None, this_device: bool) -> None:
    """Show a week's screen time per day and category, against your budgets."""
    from reports.serialize import week_json  # noqa: PLC0415
    from reports.weekly import current_week, report_for  # noqa: PLC0415
    from reports.weeks import parse_week  # noqa: PLC0415

    current = settings()
    chosen = parse_week(week_text) if week_text else current_week(current)
    with open_store(current) as store:
        scope = narrow(store, current, device, this_device)
        result = report_for(store, current, chosen, device=scope)
    if as_json:
        print_json(week_json(result))
    else:
        _render(result)
