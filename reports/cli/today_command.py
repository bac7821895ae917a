"""``unscroll today``: today's time per category and item, against the budgets.

Time counted while watching (media playing with no input) is part of each total and is
also shown on its own (``watching_seconds``); with ``budgets.count_watching = false`` it
is left out of what a budget has left.

``--device NAME`` / ``--this-device`` count one computer's time only (with a synced folder,
today is every computer's, each moment once); ``--json`` lists each device's seconds.

``--watch`` redraws the same tables every ``WATCH_EVERY`` seconds (rich's live display)
until Ctrl-C, with the window being counted now and the time left in each budget.
"""

from __future__ import annotations

import contextlib
import time
from datetime import tzinfo
from typing import TYPE_CHECKING

import click

from monitor.core.days import day_bounds, day_of, local_zone
from monitor.core.durations import format_duration
from monitor.core.errors import ConfigError, InputError
from monitor.core.settings import Settings, load_settings
from monitor.core.shell import print_json, settings
from monitor.store.database import Store, open_store
from monitor.store.devices import named_seconds, narrow_to_device
from monitor.store.spans import latest_span
from reports.aggregate import DaySummary, day_summary
from reports.cli.device_options import device_options
from reports.words import budget_left, item_words

if TYPE_CHECKING:
    from rich.console import Group

WATCH_EVERY = 2.0
"""Seconds between two pictures of ``--watch``."""


def summary_json(summary: DaySummary, devices: list[tuple[str, float]] | None = None) -> dict[str, object]:
    """The JSON shape of a day: totals, categories with budgets, items (and each device's seconds)."""
    shape: dict[str, object] = {
        "day": summary.day.isoformat(),
        "total_seconds": round(summary.total_seconds),
        "total_budget_seconds": _whole(summary.total_budget_seconds),
        "categories": [
            {"name": c.name, "seconds": round(c.seconds), "budget_seconds": _whole(c.budget_seconds),
             "watching_seconds": round(c.watching_seconds)}
            for c in summary.categories
        ],
        "items": [
            {"name": i.name, "app": i.app, "category": i.category, "seconds": round(i.seconds),
             "watching_seconds": round(i.watching_seconds)}
            for i in summary.items
        ],
    }
    if devices is not None:
        shape["devices"] = [{"name": name, "seconds": round(seconds)} for name, seconds in devices]
    return shape


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def _time_words(seconds: float, watching: float) -> str:
    """``1 h 05 m``, with ``(20 m watching)`` when part of it was counted while watching."""
    text = format_duration(seconds)
    return text + f" ({format_duration(watching)} watching)" if round(watching) >= 60 else text


def _view(summary: DaySummary, top: int, count_watching: bool, *, now_line: str | None = None) -> Group:
    """Today as rich renderables: the headline, the categories, the top items.

    With ``now_line`` (``--watch``) the headline says what is left of the total budget too,
    and ``now_line`` follows it.
    """
    from rich.console import Group  # noqa: PLC0415 - only for the table view
    from rich.markup import escape  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    budget = summary.total_budget_seconds
    headline = f"Today ({summary.day:%A %d %B}): {format_duration(summary.total_seconds)}"
    if budget is not None:
        headline += f" of {format_duration(budget)}"
        if now_line is not None:
            headline += f" \u00b7 {budget_left(summary.total_seconds, budget)}"
    lines = [f"[bold]{headline}[/bold]"] + ([] if now_line is None else [escape(now_line)])
    if not summary.items:
        return Group(*lines, "Nothing counted yet today. Is the monitor running? Try: unscroll status")
    categories = Table(show_edge=False, box=None, padding=(0, 2))
    for column in ("Category", "Time", "Budget", ""):
        categories.add_column(column)
    for category in summary.categories:
        state = ""
        if category.budget_seconds is not None:
            counted = category.seconds - (0.0 if count_watching else category.watching_seconds)
            state = budget_left(counted, category.budget_seconds)
            state = f"[red]{state}[/red]" if counted > category.budget_seconds else state
        categories.add_row(escape(category.name), _time_words(category.seconds, category.watching_seconds),
                           format_duration(category.budget_seconds)
                           if category.budget_seconds is not None else "-", state)
    items = Table(title=f"Top {min(top, len(summary.items))}", show_edge=False, box=None,
                  padding=(0, 2), title_justify="left")
    for column in ("Item", "App", "Category", "Time"):
        items.add_column(column, overflow="ellipsis", max_width=60 if column == "Item" else None)
    for item in summary.items[:top]:
        items.add_row(escape(item_words(item.name)), escape(item.app), escape(item.category),
                      format_duration(item.seconds))
    return Group(*lines, categories, items)


def _summary(store: Store, current: Settings, now: float, zone: tzinfo) -> DaySummary:
    """Today's summary at ``now`` against the budgets in force today."""
    day = day_of(now, current.day_starts_at, zone)
    budgets = {name: value.total_seconds() for name, value in current.budgets.for_day(day).items()}
    return day_summary(store, day, starts_at=current.day_starts_at, zone=zone, budgets=budgets)


def now_words(store: Store, current: Settings, now: float, zone: tzinfo) -> str:
    """The window being counted now (``Now: YouTube (firefox, video), 3 m so far``), or why none is."""
    day = day_of(now, current.day_starts_at, zone)
    latest = latest_span(store, *day_bounds(day, current.day_starts_at, zone))
    recent = 2 * current.tracking.sample_every.total_seconds() + 1.0
    if latest is None or now - latest.end_utc > recent:
        return (f"Now: nothing counted in the last {format_duration(recent)} "
                "(away, paused, or unscroll is not running)")
    return (f"Now: {item_words(latest.name)} ({latest.app}, {latest.category}), "
            f"{format_duration(latest.end_utc - latest.start_utc)} so far")


def _watch(current: Settings, top: int) -> None:
    """Redraw today every ``WATCH_EVERY`` s until Ctrl-C (the settings read each time; kept if broken)."""
    from rich.console import Console  # noqa: PLC0415
    from rich.live import Live  # noqa: PLC0415

    with open_store(current) as store, Live(console=Console(), auto_refresh=False) as live:
        try:
            while True:
                with contextlib.suppress(ConfigError):  # keep the last good ones; `config check` says why
                    current = load_settings(current.paths)
                now, zone = time.time(), local_zone()
                summary = _summary(store, current, now, zone)
                live.update(_view(summary, top, current.budgets.count_watching,
                                  now_line=now_words(store, current, now, zone)), refresh=True)
                time.sleep(WATCH_EVERY)
        except KeyboardInterrupt:
            return


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--top", default=15, show_default=True, help="How many items to list.")
@click.option("--watch", is_flag=True,
              help=f"Redraw every {WATCH_EVERY:g} s, with the window counted now, until Ctrl-C.")
@device_options
def today(as_json: bool, top: int, watch: bool, device: str | None, this_device: bool) -> None:
    """Show today's screen time per category and item, against your budgets."""
    if watch and as_json:
        raise InputError("--watch redraws a table for people; leave out --json (or --watch)")
    if watch and (device or this_device):
        raise InputError("--watch shows every computer's time; leave out --device and --this-device")
    current = settings()
    if watch:
        _watch(current, top)
        return
    zone = local_zone()
    with open_store(current) as store:
        narrow_to_device(store, device, this_device=this_device, this_name=current.sync.device_name)
        summary = _summary(store, current, time.time(), zone)
        devices = named_seconds(store, *day_bounds(summary.day, current.day_starts_at, zone),
                                current.sync.device_name)
    if as_json:
        print_json(summary_json(summary, devices))
    else:
        from rich.console import Console  # noqa: PLC0415 - only for the table view

        Console().print(_view(summary, top, current.budgets.count_watching))
