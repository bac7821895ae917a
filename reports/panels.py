"""The panels of the weekly report page (reports.charts lays them out), drawn with matplotlib.

Each ``draw_*`` function draws one panel into a ``box`` of the figure (left, right, top
and bottom, in figure fractions) and returns its axes, which carry a ``gid`` ("daily",
"social", "items", "prompts" for the notices and "doorway"), as do the budget lines
("total-budget", "social-budget"), so tests can read drawn values back; the people panel
is texts on the figure (gid "people"). Bar heights are in hours.
matplotlib is imported only by the functions that draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from monitor.core.durations import format_duration
from monitor.core.vocabulary import DOORWAY_NO_ANSWER, REACHED_OUT, TOTAL, UNCATEGORIZED
from reports.headline import SOCIAL
from reports.palette import ANSWERED, GRID, INK, MUTED_INK, OVER, REACHED, WITHIN_TINT, category_colour
from reports.prompt_stats import NO_ANSWER
from reports.stacked_bars import add_bars, label_columns, label_rows, stack_categories
from reports.week import WeekReport
from reports.week_budgets import DayCheck
from reports.words import action_words, item_words, outcome_words

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Box = tuple[float, float, float, float]
"""Where a panel goes: left, right, top and bottom, in figure fractions (y from the bottom)."""
MAX_LEGEND = 8
ITEM_CHARS = 24  # item names are cut to this many characters
ITEM_ROWS = 8  # the items chart keeps room for this many, so a short list has slim bars too
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 1.2, "alpha": 0.9}  # lines pass behind
TITLE_TO_PLOT = 0.075  # from a panel's title to the top of its plot: title and one note line
LEGEND_ROW = 0.028
ANSWER_GAP = 0.02  # between the doorway's column and the notices'
ANSWER_HEADING = 0.03  # from a column's heading to its bars
LABEL_CHAR = 0.0056  # the width of a 10.5-point character of a bar's label, in figure fractions


def short_duration(seconds: float) -> str:
    """``2 h``, ``1 h 30 m``, ``45 m``, ``40 s``, ``0``: as ``unscroll today`` writes them, without "00 m"."""
    if seconds < 0.5:
        return "0"
    text = format_duration(seconds)
    return text.removesuffix(" 00 m")


def stack_order(categories: Sequence[str]) -> list[str]:
    """Bottom to top: social on the baseline (easy to compare), the rest as given, uncategorized last."""
    rest = [name for name in categories if name not in (SOCIAL, UNCATEGORIZED)]
    return ([SOCIAL] if SOCIAL in categories else []) + rest + (
        [UNCATEGORIZED] if UNCATEGORIZED in categories else [])


def _whole_minutes(seconds: float) -> float:
    """``163`` → ``180``: an amount of a minute or more to the nearest minute (a bar's label stays short)."""
    return seconds if seconds < 60 else round(seconds / 60) * 60.0


def _hour_step(top_hours: float) -> float:
    """A tick step (in hours) that gives at most six ticks up to ``top_hours``."""
    for minutes in (5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720):
        if top_hours * 60 / minutes <= 6:
            return minutes / 60
    return 24.0


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _style_time_axis(ax: Axes, top_hours: float) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator  # noqa: PLC0415 - lazy

    top = max(top_hours, 0.25) * 1.15
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MultipleLocator(_hour_step(top)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: short_duration(value * 3600)))
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=10, labelcolor=MUTED_INK)


def _panel_title(fig: Figure, x: float, top: float, title: str, note: str = "") -> None:
    fig.text(x, top, title, fontsize=14, fontweight="bold", color=INK, va="top")
    if note:
        fig.text(x, top - 0.032, note, fontsize=10.5, color=MUTED_INK, va="top")


def _step(xs: Sequence[float], values: Sequence[float | None]) -> tuple[list[float], list[float]]:
    """Points of a step line: each day's value from its left to its right edge (NaN: no value)."""
    line_x: list[float] = []
    line_y: list[float] = []
    for x, value in zip(xs, values, strict=True):
        line_x.extend((x - 0.5, x + 0.5))
        line_y.extend((float("nan"), float("nan")) if value is None else (value, value))
    return line_x, line_y


def _budget_note(what: str, budgets: Sequence[float | None]) -> str:
    values = sorted({round(b) for b in budgets if b is not None})
    if not values:
        return f"no {what} set"
    amount = short_duration(values[0])
    if len(values) > 1:
        amount += f" to {short_duration(values[-1])}"
    return f"dashed line: {what}, {amount} a day"


def _day_label(day: date, hours: float, check: DayCheck) -> str:
    """``Mon`` over ``23 Mar``; a ``*`` when judged against the current budgets (see the footnote)."""
    label = f"{day:%a}\n{day.day} {day:%b}" + ("*" if check.has_data and not check.budgets_recorded else "")
    if abs(hours - 24) > 0.01:
        label += f"\n({hours:g} h day)"
    elif not check.counted:
        label += "\n(to come)"
    return label


def draw_daily(fig: Figure, report: WeekReport, box: Box) -> Axes:
    """Screen time per day stacked by category, the total budget as a dashed step line."""
    left, right, top, bottom = box
    budgets = [check.budgets.get(TOTAL) for check in report.checks]
    note = _budget_note("total budget", budgets)
    if any(TOTAL in check.over for check in report.checks):
        note += " · totals over it in red"
    if any(day.watching for day in report.days):
        note += " · lighter: watching (media playing, no input)"
    _panel_title(fig, left, top, "Screen time per day, by category", note)
    order = stack_order([week.name for week in report.categories if week.seconds > 0])
    columns = min(max(len(order), 1), 4)
    rows = -(-min(len(order), MAX_LEGEND) // columns)
    plot_top = top - TITLE_TO_PLOT - rows * LEGEND_ROW + 0.01
    ax = fig.add_axes((left, bottom, right - left, plot_top - bottom))
    ax.set_gid("daily")
    xs = [float(index) for index in range(len(report.days))]
    bottoms = stack_categories(ax, xs, report, order)  # watching time: a lighter shade on top
    budget_hours = [None if value is None else value / 3600 for value in budgets]
    _style_time_axis(ax, max([*bottoms, *(v for v in budget_hours if v is not None), 0.0]))
    if any(value is not None for value in budget_hours):
        line_x, line_y = _step(xs, budget_hours)
        ax.plot(line_x, line_y, color=INK, linestyle=(0, (5, 3)), linewidth=1.6, gid="total-budget",
                label="_total budget")
    for x, day, check in zip(xs, report.days, report.checks, strict=True):
        if day.total_seconds > 0:
            over = TOTAL in check.over
            ax.text(x, day.total_seconds / 3600, short_duration(day.total_seconds), ha="center",
                    va="bottom", fontsize=10.5, fontweight="bold" if over else "normal",
                    color=OVER if over else INK, bbox=LABEL_BOX)
        elif check.counted:
            ax.text(x, 0, "no data", ha="center", va="bottom", fontsize=10, color=MUTED_INK,
                    style="italic")
    label_columns(ax, xs, [_day_label(d.day, d.length_hours, c)
                           for d, c in zip(report.days, report.checks, strict=True)], colour=INK)
    ax.set_xlim(-0.6, len(xs) - 0.4)
    week_seconds = {week.name: week.seconds for week in report.categories}
    handles, labels = ax.get_legend_handles_labels()
    keyed = [(h, n) for h, n in zip(handles, labels, strict=True) if not n.startswith("_")][:MAX_LEGEND]
    if keyed:
        ax.legend([h for h, _ in keyed], [f"{n}  {short_duration(week_seconds[n])}" for _, n in keyed],
                  loc="lower left", bbox_to_anchor=(-0.01, 1.0), ncol=columns, frameon=False,
                  fontsize=10.5, handlelength=1.1, columnspacing=1.6, borderaxespad=0.4,
                  borderpad=0.2, handletextpad=0.5, labelspacing=0.35)
    return ax


def draw_social(fig: Figure, report: WeekReport, box: Box, plot_top: float) -> Axes:
    """Social time per day against its budget, days over it hatched; the plot ends at ``plot_top``."""
    left, right, top, bottom = box
    seconds = [day.seconds(SOCIAL) for day in report.days]
    budgets = [check.budgets.get(SOCIAL) for check in report.checks]
    over = [budget is not None and value > budget for value, budget in zip(seconds, budgets, strict=True)]
    note = _budget_note("budget", budgets)
    if any(over):
        note += f" · over on {_plural(sum(over), 'day')} (hatched)"
    elif any(b is not None for b in budgets):
        note += " · within it every day"
    _panel_title(fig, left, top, "Social media per day", note)
    ax = fig.add_axes((left, bottom, right - left, plot_top - bottom))
    ax.set_gid("social")
    xs = [float(index) for index in range(len(report.days))]
    bars = add_bars(ax, xs, [value / 3600 for value in seconds], thickness=0.66,
                    colours=[OVER if is_over else WITHIN_TINT for is_over in over], linewidth=0.8,
                    label=SOCIAL)
    for bar, is_over in zip(bars, over, strict=True):
        bar.set_edgecolor(INK if is_over else WITHIN_TINT)
        bar.set_hatch("///" if is_over else "")
        bar.set_gid("over" if is_over else "within")
    budget_hours = [None if value is None else value / 3600 for value in budgets]
    _style_time_axis(ax, max([*(v / 3600 for v in seconds), *(v for v in budget_hours if v is not None),
                              0.0]))
    if any(value is not None for value in budget_hours):
        line_x, line_y = _step(xs, budget_hours)
        ax.plot(line_x, line_y, color=INK, linestyle=(0, (5, 3)), linewidth=1.6, gid="social-budget")
    top_hours = ax.get_ylim()[1]
    for x, value, budget, is_over, check in zip(xs, seconds, budgets, over, report.checks, strict=True):
        hours = value / 3600
        if is_over and budget is not None:
            ax.text(x, hours, f"+{short_duration(_whole_minutes(value - budget))}", ha="center", va="bottom",
                    fontsize=9.5, fontweight="bold", color=OVER, bbox=LABEL_BOX)
        elif hours > top_hours * 0.12:  # inside the bar, clear of the budget line
            ax.text(x, hours - top_hours * 0.02, short_duration(value), ha="center", va="top",
                    fontsize=9.5, color=INK)
        elif value > 0:
            ax.text(x, hours, short_duration(value), ha="center", va="bottom", fontsize=9.5, color=INK,
                    bbox=LABEL_BOX)
        elif check.counted:
            ax.text(x, 0, "none" if check.has_data else "no data", ha="center", va="bottom", fontsize=9.5,
                    color=MUTED_INK, style="italic")
    label_columns(ax, xs, [f"{d.day:%a}" for d in report.days], colour=INK)
    ax.set_xlim(-0.6, len(xs) - 0.4)
    return ax


def draw_items(fig: Figure, report: WeekReport, box: Box, label_width: float) -> Axes:
    """The week's top items as horizontal bars coloured by category."""
    left, right, top, bottom = box
    items = report.top_items
    _panel_title(fig, left, top, "Where the time went", "the week's top items, coloured by category")
    ax = fig.add_axes((left + label_width, bottom, right - left - label_width, top - TITLE_TO_PLOT - bottom))
    ax.set_gid("items")
    ys = list(range(len(items)))
    hours = [item.seconds / 3600 for item in items]
    add_bars(ax, ys, hours, thickness=0.62, colours=[category_colour(item.category) for item in items],
             horizontal=True)
    ax.set_ylim(max(len(items), ITEM_ROWS) - 0.5, -0.5)
    label_rows(ax, [_shorten(item_words(item.name), ITEM_CHARS) for item in items])
    most = max(hours, default=1.0)
    ax.set_xlim(0, most * 1.5)
    for y, item in zip(ys, items, strict=True):
        ax.text(item.seconds / 3600 + most * 0.02, y, f"{short_duration(item.seconds)}  · {item.category}",
                va="center", fontsize=10, color=INK)
    return ax


@dataclass(frozen=True)
class _Answers:
    """One column of the prompts panel: its heading, axes gid, and (words, stored value, count) rows."""

    heading: str
    gid: str
    rows: list[tuple[str, str, int]]
    empty: str = ""
    """Written in place of the bars when there are no rows."""
    note: str = ""
    """Written under the bars, from the column's left edge."""


def _answer_columns(report: WeekReport) -> list[_Answers]:
    """The doorway's outcomes in their fixed order (when there were doorways), then the notices'."""
    columns = []
    doorway = report.doorway
    if doorway.recorded:
        more = "more " if doorway.shown else ""
        note = f"† {doorway.unavailable} {more}could not be shown" if doorway.unavailable else ""
        outcomes = [(outcome_words(name), name, count) for name, count in doorway.outcomes.items()]
        columns.append(_Answers(f"Doorway · {doorway.shown} shown{' †' if note else ''}", "doorway", outcomes,
                                note=note))
    notices = report.prompts
    actions = sorted(notices.by_action.items(), key=lambda kv: (kv[0] == NO_ANSWER, -kv[1], kv[0]))
    columns.append(_Answers(f"Notices · {notices.sent} sent", "prompts",
                            [(action_words(name), name, count) for name, count in actions],
                            empty="" if notices.sent else "none this week"))
    return columns


def _answer_colour(stored: str) -> str:
    if stored in (NO_ANSWER, DOORWAY_NO_ANSWER):
        return category_colour(UNCATEGORIZED)
    return REACHED if stored == REACHED_OUT else ANSWERED


def _draw_answers(fig: Figure, column: _Answers, box: Box, label_width: float, rows: int,
                  most: int) -> Axes:
    left, right, top, bottom = box
    fig.text(left, top, column.heading, fontsize=11.5, fontweight="bold", color=INK, va="top")
    ax = fig.add_axes((left + label_width, bottom, right - left - label_width, top - ANSWER_HEADING - bottom))
    ax.set_gid(column.gid)
    ys = list(range(len(column.rows)))
    counts = [count for _, _, count in column.rows]
    add_bars(ax, ys, counts, thickness=0.6, colours=[_answer_colour(stored) for _, stored, _ in column.rows],
             horizontal=True)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xlim(0, most * 1.3)
    label_rows(ax, [words for words, _, _ in column.rows])
    for y, count in zip(ys, counts, strict=True):
        ax.text(count + most * 0.03, y, str(count), va="center", fontsize=10.5, color=INK)
    if column.empty:
        ax.text(0, 0, column.empty, va="center", fontsize=10.5, color=MUTED_INK, style="italic",
                transform=ax.get_yaxis_transform())
    if column.note:  # in the row under the bars (the notices' column may be longer) or below the plot
        ax.text(-label_width / (right - left - label_width), min(len(ys), rows - 0.5), column.note,
                va="center", fontsize=10, color=MUTED_INK, transform=ax.get_yaxis_transform(),
                gid=f"{column.gid}-note")
    return ax


def draw_prompts(fig: Figure, report: WeekReport, box: Box) -> Axes | None:
    """How the week's doorways and notices were answered, a column each, in their buttons' words.

    The doorway's column is there only in a week with doorways; returns the notices' axes (None,
    and no axes, in a week with neither).
    """
    left, right, top, bottom = box
    doorway, notices = report.doorway, report.prompts
    parts = [f"{doorway.answered} of {_plural(doorway.shown, 'doorway')}"] if doorway.shown else []
    if notices.sent:
        parts.append(f"{notices.answered} of {_plural(notices.sent, 'notice')}")
    _panel_title(fig, left, top, "How prompts were answered",
                 " and ".join(parts) + " answered" if parts else "no prompts were shown this week")
    if not (doorway.recorded or notices.sent):
        return None  # the note under the title says so; no axes for an empty panel
    columns = _answer_columns(report)
    rows = max(5, *(len(column.rows) for column in columns))
    most = max((count for column in columns for _, _, count in column.rows), default=0) or 1
    width = (right - left - ANSWER_GAP * (len(columns) - 1)) / len(columns)
    axes = []
    for index, column in enumerate(columns):
        longest = max((len(words) for words, _, _ in column.rows), default=0)
        column_left = left + index * (width + ANSWER_GAP)
        column_box = (column_left, column_left + width, top - TITLE_TO_PLOT, bottom)
        axes.append(_draw_answers(fig, column, column_box, longest * LABEL_CHAR + 0.008, rows, most))
    return axes[-1]


def draw_people(fig: Figure, report: WeekReport, box: Box) -> None:
    """Who was reached this week, and who is most overdue for a word.

    Texts only (gid "people"), on the figure in the box's own 0-1 coordinates: no axes.
    """
    from matplotlib.transforms import Bbox, BboxTransformTo, TransformedBbox  # noqa: PLC0415 - lazy

    left, right, top, bottom = box
    place = BboxTransformTo(TransformedBbox(Bbox.from_extents(left, bottom, right, top), fig.transFigure))

    def write(x: float, y: float, text: str, **style: Any) -> None:
        fig.text(x, y, text, transform=place, gid="people", **style)

    line = 0.092
    y = 1.0
    write(0, y, "Reached this week", fontsize=14, fontweight="bold", color=INK, va="top")
    y -= 0.15
    if not report.people_reached:
        write(0, y, "No one logged this week.\n“unscroll people log NAME”\nrecords a call or a chat.",
              fontsize=10.5, color=MUTED_INK, va="top", linespacing=1.5)
        y -= 3 * line
    for person in report.people_reached[:4]:
        via = ", ".join(person.via)
        times = f"{person.interactions}×" if person.interactions > 1 else ""
        write(0, y, f"✓ {_shorten(person.name, 20)}", fontsize=11, color=REACHED, va="top",
              fontweight="bold")
        write(1, y, f"{times} {via}".strip(), fontsize=10, color=MUTED_INK, va="top", ha="right")
        y -= line
    if len(report.people_reached) > 4:
        write(0, y, f"and {len(report.people_reached) - 4} more", fontsize=10, color=MUTED_INK, va="top")
        y -= line
    y = min(y, 1.0 - 0.15 - 4 * line) - 0.07
    write(0, y, "Most overdue", fontsize=14, fontweight="bold", color=INK, va="top")
    y -= 0.15
    if not report.most_overdue:
        write(0, y, "Nobody is overdue.", fontsize=10.5, color=MUTED_INK, va="top")
    for late_person in report.most_overdue[:3]:
        days = round(late_person.overdue_days)
        late = "due today" if days == 0 else f"{_plural(days, 'day')} late"
        write(0, y, _shorten(late_person.name, 20), fontsize=11, color=INK, va="top")
        write(1, y, late, fontsize=10, color=OVER, va="top", ha="right")
        y -= line
    if len(report.most_overdue) > 3:
        write(0, y, f"and {len(report.most_overdue) - 3} more: unscroll people list --due", fontsize=10,
              color=MUTED_INK, va="top")
