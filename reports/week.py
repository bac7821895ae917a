"""Everything a weekly report shows, gathered from the store into one plain dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, tzinfo

from monitor.core.settings import Budgets
from monitor.effect.measure import EffectReport
from monitor.store.database import Store
from monitor.store.day_budgets import day_budgets_between
from monitor.store.people_reads import PersonReached, people_reached
from monitor.store.prompts import outcomes_between
from monitor.store.spans import ItemTotal, category_totals, top_items
from reports.daily import DayTotals, daily_totals
from reports.headline import Headline, headline_text, make_headline
from reports.people_stats import PersonOverdue, most_overdue
from reports.prompt_stats import DoorwayStats, PromptStats, doorway_counts, notice_counts
from reports.week_budgets import CategoryWeek, DayCheck, category_weeks, check_days, unrecorded_note
from reports.weeks import IsoWeek, period_bounds


@dataclass(frozen=True)
class WeekReport:
    """One ISO week of local days (with the configured day start) and its comparisons."""

    week: IsoWeek
    starts_at: time
    days: list[DayTotals]
    checks: list[DayCheck]
    categories: list[CategoryWeek]
    top_items: list[ItemTotal]
    headline: Headline
    prompts: PromptStats
    """The notices (the doorways are counted apart)."""
    doorway: DoorwayStats
    people_reached: list[PersonReached]
    most_overdue: list[PersonOverdue]
    """Everyone overdue at ``as_of``, most overdue first."""
    as_of: float
    """The instant the report describes: now, or the end of the week if it is over."""
    effect: EffectReport | None = None
    """Whether the prompts help, as the experiment stands at ``as_of`` (None: not asked)."""
    device: str | None = None
    """The one computer whose time this is (``--device``), or None for all of them."""

    @property
    def start_utc(self) -> float:
        """When the week's first day begins."""
        return self.days[0].start_utc

    @property
    def end_utc(self) -> float:
        """When the week's last day ends."""
        return self.days[-1].end_utc

    @property
    def is_empty(self) -> bool:
        """True when nothing at all happened that week: no time, notices, doorways or contacts."""
        return (self.headline.total_seconds <= 0 and self.prompts.sent == 0
                and self.doorway.recorded == 0 and not self.people_reached)

    @property
    def budgets_note(self) -> str | None:
        """The footnote naming days with data judged against the current budgets (none kept)."""
        return unrecorded_note(self.checks)

    @property
    def headline_text(self) -> str:
        """The one-line summary, e.g. for the weekly notification."""
        return headline_text(self.headline)


def week_report(store: Store, week: IsoWeek, *, starts_at: time, zone: tzinfo, budgets: Budgets,
                now: float, top: int = 8, effect: EffectReport | None = None,
                device: str | None = None) -> WeekReport:
    """Gather ``week`` from ``store`` as seen at ``now`` (local days in ``zone``).

    Each day is judged by the budgets kept for it; ``budgets`` (the current settings) stand
    in for days that have none kept.
    """
    days = daily_totals(store, week.days(), starts_at=starts_at, zone=zone)
    start, end = period_bounds(week.days(), starts_at, zone)
    as_of = min(now, end)
    # a week still running is compared with the same stretch of the week before
    previous_start, previous_end = period_bounds(week.previous().days(), starts_at, zone)
    previous = category_totals(store, previous_start,
                               min(previous_end, previous_start + max(as_of - start, 0.0)))
    checks = check_days(days, budgets, now=now,
                        kept=day_budgets_between(store, week.days()[0], week.days()[-1]))
    reached = people_reached(store, start, end)
    prompts = outcomes_between(store, week.days()[0], week.days()[-1])
    return WeekReport(
        week=week,
        starts_at=starts_at,
        days=days,
        checks=checks,
        categories=category_weeks(days, checks),
        top_items=top_items(store, start, end, limit=top),
        headline=make_headline(days, previous, checks, len(reached)),
        prompts=notice_counts(prompts),
        doorway=doorway_counts(prompts),
        people_reached=reached,
        most_overdue=most_overdue(store, as_of, limit=None),
        as_of=as_of,
        effect=effect,
        device=device,
    )
