"""One local day's usage per category and per item, against that day's budgets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, tzinfo

from monitor.core.days import day_bounds
from monitor.core.vocabulary import TOTAL
from monitor.store.database import Store
from monitor.store.device_totals import counts_devices_once, screen_seconds
from monitor.store.spans import ItemTotal, category_totals, item_totals


@dataclass(frozen=True)
class CategoryTotal:
    """Time in one category during a day, with that day's budget if there is one."""

    name: str
    seconds: float
    budget_seconds: float | None
    watching_seconds: float = 0.0
    """The part of ``seconds`` counted while watching (media playing with no input)."""


@dataclass(frozen=True)
class DaySummary:
    """One local day's usage."""

    day: date
    total_seconds: float
    total_budget_seconds: float | None
    categories: list[CategoryTotal]
    items: list[ItemTotal]


def day_summary(
    store: Store,
    day: date,
    *,
    starts_at: time,
    zone: tzinfo,
    budgets: dict[str, float],
    until: float | None = None,
) -> DaySummary:
    """Totals for ``day`` per category and per item, largest first.

    ``budgets`` maps category (and ``total``) to seconds. ``until`` caps the
    period (a span still growing is counted up to its stored end anyway).
    """
    start, end = day_bounds(day, starts_at, zone)
    if until is not None:
        end = min(end, until)
    items = item_totals(store, start, end)
    per_category: dict[str, float] = {}
    watching: dict[str, float] = {}
    for item in items:
        per_category[item.category] = per_category.get(item.category, 0.0) + item.seconds
        watching[item.category] = watching.get(item.category, 0.0) + item.watching_seconds
    total = sum(item.seconds for item in items)
    if counts_devices_once(store):  # other computers' spans too: each moment counted once
        per_category = category_totals(store, start, end)
        total = screen_seconds(store, start, end, per_category)
    for category in budgets:
        if category != TOTAL:
            per_category.setdefault(category, 0.0)
    categories = sorted(
        (CategoryTotal(name, seconds, budgets.get(name), watching.get(name, 0.0))
         for name, seconds in per_category.items()),
        key=lambda total: (-total.seconds, total.name),
    )
    return DaySummary(
        day=day,
        total_seconds=total,
        total_budget_seconds=budgets.get(TOTAL),
        categories=categories,
        items=items,
    )
