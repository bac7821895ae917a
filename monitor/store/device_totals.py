"""Totals across devices: a minute used on two computers at once counts once (union of intervals).

With spans of several devices in the store (monitor.store.devices), time is counted as
the union of the intervals: per category the union of that category's spans, and for the
total (``screen_seconds``) the union of all of them, so a minute on social media on the
laptop and on the desktop at once is one minute of social, and a minute of social on one
while working on the other is a minute of each but one minute of screen time.

The union is a sweep over spans in order of start: each span adds what reaches past the
furthest end before it (a window function, ``MAX(end_utc) OVER (… ROWS UNBOUNDED
PRECEDING AND 1 PRECEDING)``). Past periods of at most a day are kept in ``combined_days``
once counted: a year of five devices is too many spans to sweep on every ``unscroll week``.
Triggers on ``spans`` drop a kept period the moment a span starting in it is added, moved
or deleted (made with the first kept period).

With one device only (or a connection narrowed to some devices: monitor.store.devices),
``category_totals`` in monitor.store.spans sums as it always did; the functions here are
what it calls otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from monitor.core.errors import StoreError
from monitor.store import rollups, union_hours
from monitor.store.devices import narrowed, others_counted

if TYPE_CHECKING:
    from monitor.store.database import Store

ALL, NOT_WATCHING, ONLY_WATCHING = 0, 1, 2
"""Which spans a total counts: all, those not counted while watching, only those."""
_CONDITIONS = {ALL: "", NOT_WATCHING: " AND watching = 0", ONLY_WATCHING: " AND watching = 1"}
_TOTAL = ""
"""The category under which ``combined_days`` keeps a period's total."""
_LONGEST_KEPT_S = 26 * 3600.0
"""Only periods of at most a day (25 h across a daylight-saving change) are kept."""

Totals = tuple[dict[str, float], float]
"""Seconds per category, and the total (each counted once across devices)."""


def _forget_kept(start: str) -> str:
    return (f"DELETE FROM combined_days WHERE start_utc > {start} - {_LONGEST_KEPT_S} "  # noqa: S608
            f"AND start_utc <= {start} AND end_utc > {start};")


_KEEP_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS combined_days_added AFTER INSERT ON spans "
    f"BEGIN {_forget_kept('NEW.start_utc')} END",
    "CREATE TRIGGER IF NOT EXISTS combined_days_changed AFTER UPDATE ON spans "
    f"BEGIN {_forget_kept('OLD.start_utc')} {_forget_kept('NEW.start_utc')} END",
    "CREATE TRIGGER IF NOT EXISTS combined_days_deleted AFTER DELETE ON spans "
    f"BEGIN {_forget_kept('OLD.start_utc')} END",
)


def counts_devices_once(store: Store) -> bool:
    """True when the totals must be unions: other devices' spans are stored and seen by this connection."""
    return others_counted(store.connection) and not narrowed(store.connection)


def _swept(store: Store, start_utc: float, end_utc: float, variant: int) -> Totals:
    """The union totals of spans starting in ``[start_utc, end_utc)``, swept now."""
    condition = _CONDITIONS[variant]
    rows = store.connection.execute(
        "SELECT category, SUM(MAX(0, end_utc - MAX(start_utc, COALESCE(reach, start_utc)))) FROM ("  # noqa: S608
        " SELECT category, start_utc, end_utc, MAX(end_utc) OVER (PARTITION BY category ORDER BY start_utc, "
        " end_utc ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM spans"
        f" WHERE start_utc >= ? AND start_utc < ?{condition}) GROUP BY category",
        (start_utc, end_utc)).fetchall()
    total = store.connection.execute(
        "SELECT COALESCE(SUM(MAX(0, end_utc - MAX(start_utc, COALESCE(reach, start_utc)))), 0) FROM ("  # noqa: S608
        " SELECT start_utc, end_utc, MAX(end_utc) OVER (ORDER BY start_utc, end_utc ROWS BETWEEN UNBOUNDED "
        " PRECEDING AND 1 PRECEDING) AS reach FROM spans"
        f" WHERE start_utc >= ? AND start_utc < ?{condition})",
        (start_utc, end_utc)).fetchone()[0]
    return {str(category): float(seconds) for category, seconds in rows}, float(total)


def _kept(store: Store, start_utc: float, end_utc: float, variant: int) -> Totals | None:
    rows = store.connection.execute(
        "SELECT category, seconds FROM combined_days WHERE start_utc = ? AND end_utc = ? AND variant = ?",
        (start_utc, end_utc, variant)).fetchall()
    if not rows:
        return None
    totals = {str(category): float(seconds) for category, seconds in rows}
    total = totals.pop(_TOTAL, 0.0)
    return totals, total


def _keep(store: Store, start_utc: float, end_utc: float, variant: int, totals: Totals) -> None:
    """Keep a past period's totals; a store that cannot be written (read-only) just keeps nothing."""
    per_category, total = totals
    try:
        with store.transaction() as connection:
            for statement in _KEEP_TRIGGERS:
                connection.execute(statement)
            connection.executemany(
                "INSERT OR REPLACE INTO combined_days (start_utc, end_utc, variant, category, seconds) "
                "VALUES (?, ?, ?, ?, ?)",
                [(start_utc, end_utc, variant, category, seconds)
                 for category, seconds in (*per_category.items(), (_TOTAL, total))])
    except StoreError:  # keeping is only a shortcut: a failure leaves the store as it was
        return


def _past(store: Store, end_utc: float) -> bool:
    """True when every span ever stored that starts before ``end_utc`` is likely complete."""
    row = store.connection.execute("SELECT MAX(start_utc) FROM spans").fetchone()
    return row[0] is not None and end_utc <= float(row[0])


def union_totals(store: Store, start_utc: float, end_utc: float, *, variant: int = ALL) -> Totals:
    """Per category and in all, the seconds of spans starting in ``[start_utc, end_utc)``, counted once."""
    if end_utc - start_utc > _LONGEST_KEPT_S and rollups.usable(store):  # longer than a day: kept hours
        return union_hours.union_totals_long(store, start_utc, end_utc, variant)
    keep = end_utc - start_utc <= _LONGEST_KEPT_S and _past(store, end_utc)
    if keep:
        kept = _kept(store, start_utc, end_utc, variant)
        if kept is not None:
            return kept
    totals = _swept(store, start_utc, end_utc, variant)
    if keep:
        _keep(store, start_utc, end_utc, variant, totals)
    return totals


def union_totals_per_period(store: Store, periods: Sequence[tuple[float, float]], *,
                            variant: int = ALL) -> list[Totals]:
    """``union_totals`` of each of ``periods``, in the order given."""
    return [union_totals(store, start, end, variant=variant) for start, end in periods]


def screen_seconds(store: Store, start_utc: float, end_utc: float, per_category: dict[str, float], *,
                   count_watching: bool = True) -> float:
    """All screen time of spans starting in ``[start_utc, end_utc)``, each moment counted once.

    On one device, the sum of ``per_category`` (that period's category totals); across
    several, the union of every span.
    """
    if not counts_devices_once(store):
        return float(sum(per_category.values()))
    return union_totals(store, start_utc, end_utc, variant=ALL if count_watching else NOT_WATCHING)[1]


def screen_seconds_per_period(store: Store, periods: Sequence[tuple[float, float]]) -> list[float] | None:
    """``screen_seconds`` of each of ``periods`` across devices; None with one device (sum the categories)."""
    if not counts_devices_once(store):
        return None
    return [total for _, total in union_totals_per_period(store, periods)]
