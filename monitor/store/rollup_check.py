"""``unscroll check``'s work: the rollups compared with the spans they sum, and rebuilt from them.

Every hourly rollup row (monitor.store.rollups) must equal the sum of its spans exactly
(whole microseconds, span counts); every kept union hour (monitor.store.union_hours) must
equal a fresh sweep of the spans, to a microsecond (floating-point sums in another order);
``span_longest`` must be at least the longest span; the triggers must be there. Each
difference is one line naming the hour, category and device and both figures.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product
from typing import TYPE_CHECKING

from monitor.store import rollups, union_hours

if TYPE_CHECKING:
    from monitor.store.database import Store

_UNION_TOLERANCE_S = 1e-6
_VARIANT_WORDS = ("all spans", "spans not counted while watching", "spans counted while watching")

def _differences(table: str, key: str, bucket: str) -> str:
    """The rows of ``table`` (keyed by ``key``, a span's ``bucket``) that differ from the spans' sums.

    Each row: the key, category, device, then kept and stored microseconds, spans, and the
    microseconds and spans counted while watching (NULL where that side has no row).
    """
    watching = f"CASE WHEN s.watching THEN {rollups.micros('s')} ELSE 0 END"
    fresh = (f"SELECT {bucket} AS {key}, s.category AS category, s.device AS device, "  # noqa: S608
             f"SUM({rollups.micros('s')}) AS micros, COUNT(*) AS spans, SUM({watching}) AS watching_micros, "
             "SUM(s.watching != 0) AS watching_spans FROM main.spans AS s GROUP BY 1, 2, 3")
    same = f"f.{key} = r.{key} AND f.category = r.category AND f.device = r.device"
    columns = ("micros", "spans", "watching_micros", "watching_spans")
    differ = " OR ".join(f"r.{column} IS NOT f.{column}" for column in columns)
    pairs = ", ".join(f"r.{column}, f.{column}" for column in columns)
    kept_only = ", ".join(f"r.{column}, NULL" for column in columns)
    return (f"WITH fresh AS MATERIALIZED ({fresh}) "  # noqa: S608 - fixed text
            f"SELECT f.{key}, f.category, f.device, {pairs} FROM fresh AS f "
            f"LEFT JOIN main.{table} AS r ON {same} WHERE {differ} "
            f"UNION ALL SELECT r.{key}, r.category, r.device, {kept_only} "
            f"FROM main.{table} AS r WHERE NOT EXISTS (SELECT 1 FROM fresh AS f WHERE {same}) "
            "ORDER BY 1, 2, 3")


def _bucket_words(key: str, value: int) -> str:
    if key == "day":
        return datetime.fromtimestamp(value * 86400, UTC).strftime("%Y-%m-%d (UTC day)")
    return datetime.fromtimestamp(value * rollups.HOUR_S, UTC).strftime("%Y-%m-%d %H:00 UTC")


def _seconds(micros: int | None) -> str:
    return "none" if micros is None else f"{micros / 1e6:,.6f} s"


def _rollup_lines(store: Store) -> list[str]:
    lines = []
    for table, key, bucket in rollups.LEVELS:
        for row in store.connection.execute(_differences(table, key, bucket("s"))):
            value, category, device, kept, fresh, kept_spans, fresh_spans = row[:7]
            named = f"rollup of {_bucket_words(key, value)}, category {category!r}, device {device!r}"
            if (kept, kept_spans) != (fresh, fresh_spans):
                lines.append(f"{named}: {_seconds(kept)} in {kept_spans or 0} spans kept, {_seconds(fresh)} "
                             f"in {fresh_spans or 0} spans stored")
            else:
                lines.append(f"{named}: the time counted while watching differs from the spans' "
                             f"({_seconds(row[7])} kept, {_seconds(row[8])} stored)")
    return lines


def _fresh_shares(store: Store, key: str, values: list[int], variant: int) -> dict[tuple[int, str], float]:
    """The union shares per (hour or day, category) of ``values``, swept from the spans now."""
    per = 24 if key == "day" else 1
    fresh: dict[tuple[int, str], float] = {(value, union_hours.TOTAL): 0.0 for value in values}
    for first, last in _runs(values):
        swept = union_hours.hour_shares(store, first * per, last * per, variant)
        for (hour, category), seconds in swept.items():
            fresh[(hour // per, category)] = fresh.get((hour // per, category), 0.0) + seconds
    return fresh


def _union_lines(store: Store) -> list[str]:
    lines = []
    for (table, key), variant in product((("union_hours", "hour"), ("union_days", "day")), range(3)):
        rows = store.connection.execute(
            f"SELECT {key}, category, seconds FROM main.{table} WHERE variant = ?", (variant,))  # noqa: S608
        kept = {(int(value), str(category)): float(seconds) for value, category, seconds in rows}
        fresh = _fresh_shares(store, key, sorted({value for value, _ in kept}), variant)
        for value, category in sorted(set(kept) | set(fresh)):
            now, then = fresh.get((value, category)), kept.get((value, category))
            if now is None or then is None or abs(now - then) > _UNION_TOLERANCE_S * max(1.0, abs(now)):
                named = "the total" if category == union_hours.TOTAL else f"category {category!r}"
                lines.append(f"union of {_bucket_words(key, value)} ({_VARIANT_WORDS[variant]}), {named}: "
                             f"{'none' if then is None else f'{then:,.6f} s'} kept, "
                             f"{'none' if now is None else f'{now:,.6f} s'} from the spans")
    return lines


def _runs(hours: list[int]) -> list[tuple[int, int]]:
    """Sorted ``hours`` as runs ``[first, last)`` of consecutive hours."""
    runs: list[tuple[int, int]] = []
    for hour in hours:
        if runs and runs[-1][1] == hour:
            runs[-1] = (runs[-1][0], hour + 1)
        else:
            runs.append((hour, hour + 1))
    return runs


def check_rollups(store: Store) -> list[str]:
    """One line per difference between the rollups and the spans; empty when they agree."""
    if not rollups.usable(store):
        return ["the triggers that keep the rollups in step with the spans are missing "
                "(totals of long ranges scan the spans until they are rebuilt)"]
    lines = _rollup_lines(store)
    longest = store.connection.execute("SELECT MAX(end_utc - start_utc) FROM main.spans").fetchone()[0]
    if longest is not None and float(longest) > union_hours.longest_span(store):
        lines.append(f"the longest span is {float(longest):,.6f} s, longer than the "
                     f"{union_hours.longest_span(store):,.6f} s kept")
    return lines + _union_lines(store)


def repair_rollups(store: Store) -> int:
    """Make the triggers if they are missing and build every rollup anew; return how many spans they sum."""
    with store.transaction() as connection:
        for statement in rollups.TRIGGERS:
            connection.execute(statement)
        rollups.rebuild(connection)
    return stored_spans(store)


def stored_spans(store: Store) -> int:
    """How many spans are stored (what the rollups sum)."""
    return int(store.connection.execute("SELECT COUNT(*) FROM main.spans").fetchone()[0])
