"""The day_budgets table: the budgets in force on each local day, kept so a past day is judged by its own.

The daemon writes a day's budgets when it first samples that day and again whenever the
settings change during it. Each write replaces the day's rows, so **the budgets in force
at the end of the day win**: the last ones the person chose for that day, which are also
what ``unscroll today`` and the notices measured the day against by then.

Every recorded day has a row for the total budget, its seconds NULL when none was set, so
a day without any budget is still known to be recorded (and is not judged against the
budgets of today).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from monitor.core.vocabulary import TOTAL
from monitor.store.database import Store


def record_day_budgets(store: Store, day: date, budgets: Mapping[str, float]) -> None:
    """Keep ``budgets`` (key, e.g. ``social`` or ``total``, to seconds) as those in force on ``day``.

    Replaces whatever was kept for ``day`` in one transaction; raises StoreWriteError when
    the database cannot be written.
    """
    rows: list[tuple[str, str, float | None]] = [
        (day.isoformat(), name, float(seconds)) for name, seconds in budgets.items()]
    if TOTAL not in budgets:
        rows.append((day.isoformat(), TOTAL, None))
    with store.transaction() as connection:
        connection.execute("DELETE FROM day_budgets WHERE day = ?", (day.isoformat(),))
        connection.executemany("INSERT INTO day_budgets (day, category, seconds) VALUES (?, ?, ?)", rows)


def day_budgets_between(store: Store, first_day: date, last_day: date) -> dict[date, dict[str, float]]:
    """The kept budgets of each recorded day within ``[first_day, last_day]`` (key to seconds).

    A day that was never recorded is missing; a recorded day without any budget maps to ``{}``.
    """
    rows = store.connection.execute(
        "SELECT day, category, seconds FROM day_budgets WHERE day BETWEEN ? AND ? ORDER BY day, rowid",
        (first_day.isoformat(), last_day.isoformat()),
    ).fetchall()
    kept: dict[date, dict[str, float]] = {}
    for day, category, seconds in rows:
        budgets = kept.setdefault(date.fromisoformat(str(day)), {})
        if seconds is not None:
            budgets[str(category)] = float(seconds)
    return kept
