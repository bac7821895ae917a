"""A week report as plain JSON-ready values (seconds rounded to whole numbers, dates as text)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from reports.week import WeekReport


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def _instant(value: float | None) -> str | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _days(report: WeekReport) -> list[dict[str, Any]]:
    return [
        {
            "day": day.day.isoformat(),
            "hours_long": round(day.length_hours, 2),
            "total_seconds": round(day.total_seconds),
            "categories": {name: round(seconds) for name, seconds in day.categories.items()},
            "budget_seconds": {name: round(limit) for name, limit in check.budgets.items()},
            "budgets_recorded": check.budgets_recorded,
            "over_budget": list(check.over),
            "counted": check.counted,
            "has_data": check.has_data,
        }
        for day, check in zip(report.days, report.checks, strict=True)
    ]


def _headline(report: WeekReport) -> dict[str, Any]:
    headline = report.headline
    return {
        "text": report.headline_text,
        "total_seconds": round(headline.total_seconds),
        "social_seconds": round(headline.social_seconds),
        "previous_total_seconds": round(headline.previous_total_seconds),
        "previous_social_seconds": round(headline.previous_social_seconds),
        "total_change_percent": _whole(headline.total_change_percent),
        "social_change_percent": _whole(headline.social_change_percent),
        "days_within_budget": headline.days_within_budget,
        "days_with_data": headline.days_with_data,
        "days_counted": headline.days_counted,
    }


def _people(report: WeekReport) -> dict[str, list[dict[str, Any]]]:
    return {
        "people_reached": [
            {"name": person.name, "interactions": person.interactions, "via": list(person.via),
             "last": _instant(person.last_at_utc)}
            for person in report.people_reached
        ],
        "most_overdue": [
            {"name": person.name, "every_days": person.every_days,
             "overdue_days": round(person.overdue_days, 1), "due": _instant(person.due_utc),
             "last_talked": _instant(person.last_talked_utc)}
            for person in report.most_overdue
        ],
    }


def week_json(report: WeekReport) -> dict[str, Any]:
    """The JSON shape of ``unscroll week --json``."""
    return {
        "week": report.week.label,
        "first_day": report.days[0].day.isoformat(),
        "last_day": report.days[-1].day.isoformat(),
        "day_starts_at": report.starts_at.strftime("%H:%M"),
        "device": report.device,
        "total_seconds": round(report.headline.total_seconds),
        "days": _days(report),
        "categories": [
            {"name": week.name, "seconds": round(week.seconds), "budget_seconds": _whole(week.budget_seconds),
             "days_over": week.days_over}
            for week in report.categories
        ],
        "top_items": [
            {"name": item.name, "app": item.app, "category": item.category, "seconds": round(item.seconds)}
            for item in report.top_items
        ],
        "headline": _headline(report),
        "budgets_note": report.budgets_note,
        "prompts": {"sent": report.prompts.sent, "answered": report.prompts.answered,
                    "by_kind": report.prompts.by_kind, "by_action": report.prompts.by_action},
        "doorway": {"shown": report.doorway.shown, "answered": report.doorway.answered,
                    "outcomes": report.doorway.outcomes, "unavailable": report.doorway.unavailable},
        "effect": None if report.effect is None else report.effect.to_json(),
        **_people(report),
    }
