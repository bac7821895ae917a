"""The weekly page's stacked day bars: one segment per category, its watching time a lighter shade.

Time counted while watching (media playing with no input) sits on top of the rest of its
category's segment, in the category's colour at ``WATCHING_ALPHA``; its bars carry the gid
``watching <category>`` and a label starting with ``_`` (kept out of the legend).
matplotlib is not imported here: the axes come from the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reports.palette import category_colour
from reports.week import WeekReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WATCHING_ALPHA = 0.45


def stack_categories(ax: Axes, xs: Sequence[float], report: WeekReport, order: Sequence[str]) -> list[float]:
    """Draw each day's bar stacked by category in ``order``; return the tops of the bars (hours)."""
    bottoms = [0.0] * len(report.days)
    for name in order:
        watched = [day.watching_seconds(name) / 3600 for day in report.days]
        heights = [day.seconds(name) / 3600 - w for day, w in zip(report.days, watched, strict=True)]
        for part, alpha, label in ((heights, 1.0, name), (watched, WATCHING_ALPHA, f"_watching {name}")):
            if part is heights or any(watched):
                ax.bar(xs, part, bottom=bottoms, width=0.66, color=category_colour(name), alpha=alpha,
                       edgecolor="white", linewidth=0.6, label=label, gid=label.lstrip("_"))
                bottoms = [b + h for b, h in zip(bottoms, part, strict=True)]
    return bottoms
