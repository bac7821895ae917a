"""Totals across devices over ranges longer than a day: each UTC hour's share of the union, kept.

A union is not a sum: a minute on two devices at once counts once, so the union of a
year is not the sum of its days' unions when a span runs from one day into the next. What
is additive is each span's *share*: in a sweep of all spans in order of start (then end),
the part of a span that reaches past every span before it (``MAX(0, end - MAX(start,
reach))``, the sweep of monitor.store.device_totals). ``union_hours`` keeps, per UTC hour,
variant (all spans, those not counted while watching, only those) and category (and ``''``
for the total: a row that is always there once the hour is kept), the sum of the shares of
the spans starting in that hour, swept against every span before them.

A range's union is then the kept shares of its whole hours, the shares of its partial first
and last hours (swept now), less what the range does not see: the spans starting in it
before the furthest end of a span starting before it (normally none, or a few minutes of
spans) are swept once against that reach and once without it.

A span's share depends only on spans starting before it no longer ago than the longest
span (``span_longest``), so each hour is swept over that much of the spans before it. The
triggers of monitor.store.rollups drop the kept hours from a changed span's start to its
end (the shares it can change), in the same transaction; a range fills the hours it lacks
in one sweep and keeps them (a read-only store only sums them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from monitor.core.errors import StoreError
from monitor.store.rollups import HOUR_S, pieces

if TYPE_CHECKING:
    from monitor.store.database import Store

TOTAL = ""
"""The category under which an hour's total share is kept."""
_CONDITIONS = ("", " AND watching = 0", " AND watching = 1")
_MARGIN_S = 1.0
"""Swept a second further back than the longest span, against rounding."""

Totals = tuple[dict[str, float], float]
Shares = dict[tuple[int, str], float]


def longest_span(store: Store) -> float:
    """An upper bound of any stored span's length, in seconds."""
    row = store.connection.execute("SELECT seconds FROM span_longest WHERE id = 1").fetchone()
    return 0.0 if row is None else float(row[0])


def _share_query(variant: int, *, by_hour: bool, per_category: bool) -> str:
    """The sweep of the shares of spans in ``[?, ?)`` (hours, or seconds) against spans from ``?`` on."""
    partition = "PARTITION BY category " if per_category else ""
    group = "category" if per_category else f"'{TOTAL}'"
    hour = "CAST(start_utc / 3600 AS INTEGER)"
    where = f"{hour} >= ? AND {hour} < ?" if by_hour else "start_utc >= ? AND start_utc < ?"
    return (f"SELECT {group}, {hour if by_hour else 0}, "  # noqa: S608 - no user text
            "SUM(MAX(0, end_utc - MAX(start_utc, COALESCE(reach, start_utc)))) FROM ("
            " SELECT category, start_utc, end_utc, "
            f"MAX(end_utc) OVER ({partition}ORDER BY start_utc, end_utc "
            " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM spans"
            f" WHERE start_utc >= ? AND start_utc < ?{_CONDITIONS[variant]})"
            f" WHERE {where} GROUP BY 1, 2")


def _shares(store: Store, low: float, high: float, variant: int, *, by_hour: bool) -> Shares:
    """The shares of spans starting in ``[low, high)`` (hours when ``by_hour``, else seconds), summed."""
    low_s, high_s = (low * HOUR_S, high * HOUR_S + _MARGIN_S) if by_hour else (low, high)
    back = low_s - longest_span(store) - _MARGIN_S
    shares: Shares = {}
    for per_category in (True, False):
        rows = store.connection.execute(_share_query(variant, by_hour=by_hour, per_category=per_category),
                                        (back, high_s, low, high))
        for category, hour, seconds in rows:
            shares[(int(hour), str(category))] = float(seconds)
    return shares


def hour_shares(store: Store, first: int, last: int, variant: int) -> Shares:
    """The shares per (hour, category) of spans starting in UTC hours ``[first, last)``, swept now."""
    return _shares(store, first, last, variant, by_hour=True)


def _missing_runs(hours: Iterable[int], first: int, last: int) -> list[tuple[int, int]]:
    """The runs ``[start, end)`` of the hours in ``[first, last)`` not among ``hours``."""
    kept = set(hours)
    runs: list[tuple[int, int]] = []
    hour = first
    while hour < last:
        if hour in kept:
            hour += 1
            continue
        start = hour
        while hour < last and hour not in kept:
            hour += 1
        runs.append((start, hour))
    return runs


def _fill(store: Store, runs: list[tuple[int, int]], variant: int) -> Shares:
    """Sweep the hours of ``runs`` and keep them; what could not be kept is returned, to sum."""
    def swept() -> Shares:
        shares: Shares = {}
        for first, last in runs:
            shares.update({(hour, TOTAL): 0.0 for hour in range(first, last)})
            shares.update(_shares(store, first, last, variant, by_hour=True))
        return shares

    try:
        with store.transaction() as connection:  # swept inside the write lock: no change slips in between
            connection.executemany(
                "INSERT OR REPLACE INTO union_hours (variant, hour, category, seconds) VALUES (?, ?, ?, ?)",
                [(variant, hour, category, seconds) for (hour, category), seconds in swept().items()])
    except StoreError:  # read-only, or inside another transaction: sum them without keeping them
        return swept()
    return {}


def _merge(sums: dict[str, float], more: dict[str, float]) -> None:
    for category, seconds in more.items():
        sums[category] = sums.get(category, 0.0) + seconds


def _kept_sums(store: Store, table: str, key: str, run: tuple[int, int], variant: int) -> dict[str, float]:
    """The kept shares per category (and ``TOTAL``) of ``table`` over ``run`` of its ``key``, summed."""
    rows = store.connection.execute(
        f"SELECT category, SUM(seconds) FROM {table} WHERE variant = ? AND {key} >= ? AND {key} < ? "  # noqa: S608
        "GROUP BY category", (variant, *run)).fetchall()
    return {str(category): float(seconds) for category, seconds in rows}


def _kept_keys(store: Store, table: str, key: str, run: tuple[int, int], variant: int) -> list[int]:
    """The hours (or days) of ``run`` kept in ``table``."""
    return [int(value) for (value,) in store.connection.execute(
        f"SELECT {key} FROM {table} WHERE variant = ? AND category = ? AND {key} >= ? AND {key} < ?",  # noqa: S608
        (variant, TOTAL, *run))]


def _hour_sums(store: Store, run: tuple[int, int], variant: int) -> dict[str, float]:
    """The shares per category over the hours of ``run``: kept ones read, missing ones swept (and kept)."""
    missing = _missing_runs(_kept_keys(store, "union_hours", "hour", run, variant), *run)
    unkept = _fill(store, missing, variant) if missing else {}
    sums = _kept_sums(store, "union_hours", "hour", run, variant)
    for (_, category), seconds in unkept.items():
        sums[category] = sums.get(category, 0.0) + seconds
    return sums


def _keep_days(store: Store, run: tuple[int, int], variant: int) -> bool:
    """Keep the days of ``run`` whose 24 hours are all kept, as their sums; False when nothing can be kept."""
    hours = (variant, run[0] * 24, run[1] * 24)
    try:
        with store.transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO union_days (variant, day, category, seconds) "
                "SELECT variant, hour / 24, category, SUM(seconds) FROM union_hours "
                "WHERE variant = ? AND hour >= ? AND hour < ? AND hour / 24 IN ("
                " SELECT hour / 24 FROM union_hours WHERE variant = ? AND category = ? AND hour >= ? "
                " AND hour < ? GROUP BY 1 HAVING COUNT(*) = 24) "
                "GROUP BY 2, 3", (*hours, variant, TOTAL, *hours[1:]))
    except StoreError:  # read-only, or inside another transaction
        return False
    return True


def _day_sums(store: Store, run: tuple[int, int], variant: int) -> dict[str, float]:
    """The shares per category over the days of ``run``: kept ones read, missing ones from hours, kept."""
    missing = _missing_runs(_kept_keys(store, "union_days", "day", run, variant), *run)
    unkept: dict[str, float] = {}
    for first, last in missing:
        from_hours = _hour_sums(store, (first * 24, last * 24), variant)
        if not _keep_days(store, (first, last), variant):
            _merge(unkept, from_hours)
            continue
        kept_now = _kept_keys(store, "union_days", "day", (first, last), variant)
        for again in _missing_runs(kept_now, first, last):
            _merge(unkept, _hour_sums(store, (again[0] * 24, again[1] * 24), variant))  # changed meanwhile
    sums = _kept_sums(store, "union_days", "day", run, variant)
    _merge(sums, unkept)
    return sums


def _unseen(store: Store, start_utc: float, end_utc: float, variant: int) -> dict[str, float]:
    """Per category (and total), what spans starting before ``start_utc`` took from the range's shares."""
    condition = _CONDITIONS[variant]
    reaches = {str(category): float(reach) for category, reach in store.connection.execute(
        "SELECT category, MAX(end_utc) FROM spans WHERE start_utc >= ? AND start_utc < ?"  # noqa: S608
        f"{condition} GROUP BY category",
        (start_utc - longest_span(store) - _MARGIN_S, start_utc))}
    reaches[TOTAL] = max(reaches.values(), default=start_utc)
    if reaches[TOTAL] <= start_utc:
        return {}
    spans = store.connection.execute(
        "SELECT category, start_utc, end_utc FROM spans WHERE start_utc >= ? AND start_utc < ?"  # noqa: S608
        f"{condition} ORDER BY start_utc, end_utc",
        (start_utc, min(reaches[TOTAL], end_utc))).fetchall()
    unseen: dict[str, float] = {}
    for group, reach in reaches.items():
        members = [(float(start), float(end)) for category, start, end in spans
                   if group in (TOTAL, category)]
        if members:
            unseen[group] = _swept_share(members, None) - _swept_share(members, reach)
    return unseen


def _swept_share(spans: list[tuple[float, float]], reach: float | None) -> float:
    """The sum of the shares of ``spans`` (in order), swept from ``reach`` (None: from nothing)."""
    total = 0.0
    for start, end in spans:
        total += max(0.0, end - max(start, start if reach is None else reach))
        reach = end if reach is None else max(reach, end)
    return total


def union_totals_long(store: Store, start_utc: float, end_utc: float, variant: int) -> Totals:
    """Per category and in all, the union of spans starting in ``[start_utc, end_utc)``, from kept shares."""
    cut = pieces(start_utc, end_utc)
    sums: dict[str, float] = {}
    if cut.days[0] < cut.days[1]:
        _merge(sums, _day_sums(store, cut.days, variant))
    for run in cut.hours:
        _merge(sums, _hour_sums(store, run, variant))
    for low, high in cut.seconds:
        _merge(sums, {category: seconds for (_, category), seconds in
                      _shares(store, low, high, variant, by_hour=False).items()})
    _merge(sums, _unseen(store, start_utc, end_utc, variant))
    total = sums.pop(TOTAL, 0.0)
    return sums, total
