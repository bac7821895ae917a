"""The weekly page's stacked day bars: one segment per category, its watching time a lighter shade.

Time counted while watching (media playing with no input) sits on top of the rest of its
category's segment, in the category's colour at ``WATCHING_ALPHA``; its bars carry the gid
``watching <category>`` and a label starting with ``_`` (kept out of the legend).
``add_bars`` draws every bar chart of the page, and ``label_rows``/``label_columns`` write
their labels where tick labels would be, as plain texts: a tick costs two lines and two
texts, laid out and measured, for each label. matplotlib is imported only when they run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reports.palette import INK, category_colour
from reports.week import WeekReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer

WATCHING_ALPHA = 0.45
LABEL_PAD = 3.5  # points between a chart and its row or column labels (matplotlib's tick label pad)
LABEL_SIZE = 10.5  # points: a row label
COLUMN_LABEL_SIZE = 11  # points: a column (day) label


def add_bars(ax: Axes, positions: Sequence[float], lengths: Sequence[float], *, thickness: float,
             colours: str | Sequence[str], starts: Sequence[float] | None = None, horizontal: bool = False,
             label: str = "_nolegend_", **style: Any) -> BarContainer:
    """Bars as ``ax.bar`` (``ax.barh`` when ``horizontal``) draws them, centred on ``positions``.

    The same rectangles and container (its label for the legend, ``style`` on every bar),
    without ``ax.bar``'s update of the data limits bar by bar: every chart on the page sets
    its limits itself, and those updates were a quarter of laying the page out.
    """
    from matplotlib.container import BarContainer  # noqa: PLC0415 - lazy
    from matplotlib.patches import Rectangle  # noqa: PLC0415 - lazy

    bars = []
    for index, (position, length) in enumerate(zip(positions, lengths, strict=True)):
        start = starts[index] if starts is not None else 0.0
        corner, width, height = ((start, position - thickness / 2), length, thickness) if horizontal else (
            (position - thickness / 2, start), thickness, length)
        colour = colours if isinstance(colours, str) else colours[index]
        bar = Rectangle(corner, width, height, facecolor=colour, label="_nolegend_", **style)
        ax.add_artist(bar)
        bars.append(bar)
    container = BarContainer(bars, datavalues=list(lengths), label=label,
                             orientation="horizontal" if horizontal else "vertical")
    ax.add_container(container)
    return container


def stack_categories(ax: Axes, xs: Sequence[float], report: WeekReport, order: Sequence[str]) -> list[float]:
    """Draw each day's bar stacked by category in ``order``; return the tops of the bars (hours)."""
    bottoms = [0.0] * len(report.days)
    for name in order:
        watched = [day.watching_seconds(name) / 3600 for day in report.days]
        heights = [day.seconds(name) / 3600 - w for day, w in zip(report.days, watched, strict=True)]
        for part, alpha, label in ((heights, 1.0, name), (watched, WATCHING_ALPHA, f"_watching {name}")):
            if part is heights or any(watched):
                add_bars(ax, xs, part, starts=bottoms, thickness=0.66, colours=category_colour(name),
                         alpha=alpha, edgecolor="white", linewidth=0.6, label=label, gid=label.lstrip("_"))
                bottoms = [b + h for b, h in zip(bottoms, part, strict=True)]
    return bottoms


def label_rows(ax: Axes, labels: Sequence[str]) -> None:
    """Label a horizontal bar chart's rows 0, 1, … left of it, as y tick labels (texts with gid "row-label").

    The axes draws no axis (``axis("off")``).
    """
    from matplotlib.transforms import ScaledTranslation  # noqa: PLC0415 - lazy

    ax.axis("off")
    beside = ax.get_yaxis_transform() + ScaledTranslation(-LABEL_PAD / 72, 0, ax.figure.dpi_scale_trans)
    for y, label in enumerate(labels):
        ax.text(0, y, label, transform=beside, ha="right", va="center_baseline", fontsize=LABEL_SIZE,
                color=INK, gid="row-label")


def label_columns(ax: Axes, xs: Sequence[float], labels: Sequence[str], *, colour: str) -> None:
    """Label columns at ``xs`` under the chart, as x tick labels (texts with gid "column-label").

    The x axis is hidden (the bottom spine stays).
    """
    from matplotlib.transforms import ScaledTranslation  # noqa: PLC0415 - lazy

    ax.xaxis.set_visible(False)
    under = ax.get_xaxis_transform() + ScaledTranslation(0, -LABEL_PAD / 72, ax.figure.dpi_scale_trans)
    for x, label in zip(xs, labels, strict=True):
        ax.text(x, 0, label, transform=under, ha="center", va="top", fontsize=COLUMN_LABEL_SIZE, color=colour,
                gid="column-label")
