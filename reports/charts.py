"""The weekly report page, drawn with matplotlib (Agg, no pyplot, imported only when drawing).

Nothing here is imported by ``unscroll today`` or at daemon start: matplotlib is loaded
inside the drawing functions, and no global backend is chosen (a bare ``Figure`` is
drawn by the Agg canvas), so drawing is safe inside the daemon too. The page shows, on
one landscape laptop screen: the headline numbers; daily bars stacked by category with
the total budget as a dashed step line; social time per day against its budget with
over-budget days marked; the week's top items; and the people side (how the doorway and
the notices were answered, who was reached, who is most overdue). This module lays the
page out and draws its header; the panels are drawn by reports.panels.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.core.errors import InputError
from reports.headline import SOCIAL, describe_change, headline_text
from reports.palette import GRID, INK, MUTED_INK, REACHED, category_colour
from reports.panels import (
    LEGEND_ROW,
    TITLE_TO_PLOT,
    draw_daily,
    draw_items,
    draw_people,
    draw_prompts,
    draw_social,
    short_duration,
)
from reports.week import WeekReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
PAGE_INCHES = (16.0, 10.0)
PNG_DPI = 120  # 1920 × 1200: one laptop screen
PNG_COMPRESS_LEVEL = 1
FONT = "DejaVu Sans"

# the page's layout in figure fractions (x from the left, y from the bottom)
ROW1_TOP, ROW1_BOTTOM = 0.71, 0.405
ROW2_TOP, ROW2_BOTTOM = 0.305, 0.09
EFFECT_TOP = 0.054  # the strip under row 2: whether the prompts help


def settle_for_one_page() -> None:
    """For a process that draws one page and exits (``unscroll report``): import matplotlib, then freeze.

    matplotlib is imported, then ``gc.freeze()`` moves every object made so far (the modules,
    matplotlib's most of them; they live until the process exits anyway) out of the cyclic
    garbage collector's sight: otherwise each full collection the page's thousands of new
    objects set off walks all of them again. Once a process (a test run calls the command
    many times); never in the daemon, whose later garbage must stay collectable.
    """
    import gc  # noqa: PLC0415 - only for this one-off process

    import matplotlib.figure  # noqa: F401, PLC0415 - the page is drawn with it: imported first, then frozen

    if gc.get_freeze_count() == 0:
        gc.freeze()


def chart_format(path: Path) -> str:
    """The file format for ``path`` from its extension; InputError for anything else."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{path}: cannot write a {suffix or 'file without an extension'}; "
                         "use a name ending in .png, .svg or .pdf")
    return FORMATS[suffix]


def _card(fig: Figure, box: tuple[float, float, float, float], label: str, value: str, note: str,
          colour: str) -> None:
    """A headline card drawn straight on the figure (no axes of its own: fewer artists to lay out)."""
    from matplotlib.patches import FancyBboxPatch  # noqa: PLC0415 - lazy

    left, bottom, width, height = box
    rounding = 0.06 * width  # as wide as tall on the page: the aspect is the page's
    fig.add_artist(FancyBboxPatch((left, bottom), width, height, transform=fig.transFigure,
                                  boxstyle=f"round,pad=0,rounding_size={rounding}", facecolor="#F4F4F4",
                                  edgecolor="none", mutation_aspect=PAGE_INCHES[0] / PAGE_INCHES[1],
                                  gid="card"))
    for y, text, size, weight, text_colour in ((0.79, label, 11.5, "normal", MUTED_INK),
                                               (0.46, value, 22, "bold", colour),
                                               (0.15, note, 10.5, "normal", MUTED_INK)):
        fig.text(left + 0.06 * width, bottom + y * height, text, fontsize=size, fontweight=weight,
                 color=text_colour, va="center", gid="card")


def _change(percent: float | None, *, short: bool = False) -> str:
    if percent is None:
        return "none last week" if short else "nothing the week before"
    rounded = round(percent)
    sign = "▼" if rounded < 0 else "▲" if rounded > 0 else "="
    if short:
        return f"{sign} {abs(rounded)} % on last week"
    return f"{sign} {describe_change(percent)}"


def _budget_card(report: WeekReport) -> tuple[str, str, str, str]:
    headline = report.headline
    if not any(check.budgets for check in report.checks if check.has_data):
        return ("Within budget", "–", "no budgets set: unscroll budget set", MUTED_INK)
    with_data = headline.days_with_data
    return ("Within budget", f"{headline.days_within_budget} of {with_data}",
            f"{'day' if with_data == 1 else 'days'} with data, every budget kept", INK)


def _draw_header(fig: Figure, report: WeekReport) -> None:
    first, last = report.days[0].day, report.days[-1].day
    span = (f"{first.day} – {last.day} {last:%B %Y}" if first.month == last.month
            else f"{first.day} {first:%b} – {last.day} {last:%b %Y}")
    fig.text(0.035, 0.955, f"Your week  ·  {span}", fontsize=22, fontweight="bold", color=INK, va="center")
    sentence = headline_text(report.headline)
    fig.text(0.035, 0.912, sentence[:1].upper() + sentence[1:] + ".", fontsize=13, color=INK, va="center")
    whose = "" if report.device is None else f"\n{report.device} only"
    fig.text(0.975, 0.955, f"week {report.week.week} of {report.week.year}\n"
             f"days start at {report.starts_at:%H:%M}{whose}", fontsize=10.5, color=MUTED_INK, va="center",
             ha="right", linespacing=1.5, gid="week-of")
    if report.is_empty:
        return
    headline = report.headline
    with_data = max(headline.days_with_data, 1)
    overdue = len(report.most_overdue)
    days = "day" if headline.days_with_data == 1 else "days"
    cards = [
        ("Screen time  ·  " + _change(headline.total_change_percent, short=True),
         short_duration(headline.total_seconds),
         f"{short_duration(headline.total_seconds / with_data)} a day on {headline.days_with_data} {days} "
         "with data", INK),
        ("Social media", short_duration(headline.social_seconds),
         _change(headline.social_change_percent), category_colour(SOCIAL)),
        _budget_card(report),
        ("People reached", str(headline.people_reached),
         f"{overdue} overdue for a word" if overdue else "nobody overdue", REACHED),
    ]
    left, right, gap = 0.035, 0.975, 0.016
    width = (right - left - gap * (len(cards) - 1)) / len(cards)
    for index, (label, value, note, colour) in enumerate(cards):
        _card(fig, (left + index * (width + gap), 0.755, width, 0.115), label, value, note, colour)


def _draw_empty(fig: Figure, report: WeekReport) -> None:
    fig.text(0.5, 0.56, "No data yet", fontsize=34, fontweight="bold", color=INK, ha="center")
    fig.text(0.5, 0.48, f"Nothing was recorded in week {report.week.week} of {report.week.year}.",
             fontsize=15, color=MUTED_INK, ha="center")
    fig.text(0.5, 0.43, "Start the monitor with “unscroll start” and this page fills up as you go.",
             fontsize=13, color=MUTED_INK, ha="center")


def _style() -> Any:
    from matplotlib import rc_context  # noqa: PLC0415 - lazy

    # parse_math off: a "$" in a window title or a name is text, never TeX
    return rc_context({"font.family": FONT, "axes.edgecolor": GRID, "hatch.color": "white",
                       "hatch.linewidth": 1.2, "svg.fonttype": "none", "pdf.fonttype": 42,
                       "text.parse_math": False,
                       # unhinted glyphs at full pixels: a third less text drawing, as crisp at 120 dpi
                       "text.hinting": "no_hinting"})


def week_figure(report: WeekReport) -> Figure:
    """Draw the report page for ``report`` and return the figure (nothing is written)."""
    from matplotlib.figure import Figure  # noqa: PLC0415 - matplotlib only when drawing

    fig = Figure(figsize=PAGE_INCHES, facecolor="white")
    with _style():
        _draw_header(fig, report)
        if report.is_empty:
            _draw_empty(fig, report)
            return fig
        daily = draw_daily(fig, report, (0.05, 0.575, ROW1_TOP, ROW1_BOTTOM))
        draw_social(fig, report, (0.64, 0.975, ROW1_TOP, ROW1_BOTTOM),
                    max(daily.get_position().y1, ROW1_TOP - TITLE_TO_PLOT - LEGEND_ROW))
        draw_items(fig, report, (0.035, 0.40, ROW2_TOP, ROW2_BOTTOM), label_width=0.115)
        draw_prompts(fig, report, (0.435, 0.77, ROW2_TOP, ROW2_BOTTOM))
        draw_people(fig, report, (0.80, 0.975, ROW2_TOP, ROW2_BOTTOM))
        _draw_effect(fig, report)
        _draw_footnote(fig, report)
    return fig


def _draw_effect(fig: Figure, report: WeekReport) -> None:
    """Do the prompts help: the experiment's finding (or what it still needs), a line per kind."""
    if report.effect is None:
        return
    from monitor.effect.words import page_lines  # noqa: PLC0415 - only when drawing

    fig.text(0.035, EFFECT_TOP, "Do the prompts help?", fontsize=12, fontweight="bold", color=INK,
             va="center", gid="effect")
    for number, line in enumerate(page_lines(report.effect)):
        fig.text(0.175, EFFECT_TOP - number * 0.024, line, fontsize=10.5, color=INK, va="center",
                 gid="effect")


def _draw_footnote(fig: Figure, report: WeekReport) -> None:
    note = report.budgets_note
    if note is not None:  # the days it names carry a "*" under the daily bars
        fig.text(0.035, 0.008, f"* {note}.", fontsize=10, color=MUTED_INK, va="bottom", gid="budgets-note")


def save_figure(fig: Figure, out_path: Path, *, file_format: str | None = None) -> Path:
    """Write ``fig`` to ``out_path`` (PNG, SVG or PDF: by its extension unless ``file_format``)."""
    file_format = file_format or chart_format(out_path)
    with _style():
        # zlib level 1: a tenth of the drawing time saved for a PNG about 5 % larger
        if file_format == "png":
            from reports.png_canvas import PageCanvas, suits  # noqa: PLC0415 - Agg only when writing a PNG

            if suits():  # another matplotlib release draws with its own canvas: slower, the same page
                PageCanvas(fig)  # each text laid out once and drawn in one piece
            fig.savefig(out_path, format=file_format, dpi=PNG_DPI, facecolor="white",
                        pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
        else:
            fig.savefig(out_path, format=file_format, dpi=PNG_DPI, facecolor="white")
    return out_path
