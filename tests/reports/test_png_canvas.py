"""The page's PNG canvas (issue 22): each text laid out once and pasted whole, looking as matplotlib's own.

The sample week is drawn twice, by matplotlib's FigureCanvasAgg and by reports.png_canvas's
PageCanvas, and compared: every text measures the same, and the ink of every text sits
where matplotlib puts it (its amount within a few percent, its centre within a pixel).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from monitor.store.database import Store
from reports import png_canvas
from reports.charts import PNG_DPI, _style, save_figure, week_figure
from reports.png_canvas import PageCanvas, suits
from reports.weekly import report_for
from tests.reports_fixtures import SAMPLE_NOW, SAMPLE_WEEK, SAMPLE_ZONE, fill_sample_week, make_settings


@pytest.fixture
def sample_page(user_paths) -> Figure:
    """The sample week's page, laid out (not drawn)."""
    settings = make_settings(user_paths)
    with Store(user_paths.data_dir / "sample.sqlite3") as store:
        fill_sample_week(store)
        report = report_for(store, settings, SAMPLE_WEEK, zone=ZoneInfo(SAMPLE_ZONE),
                            now=datetime.fromisoformat(SAMPLE_NOW).timestamp())
    return week_figure(report)


def _drawn(fig: Figure, canvas_class: type[FigureCanvasAgg]) -> tuple[np.ndarray, dict[int, tuple]]:
    """The page drawn by ``canvas_class``: its ink (0 white, 255 black) and each text's extent by id."""
    canvas = canvas_class(fig)
    fig.set_dpi(PNG_DPI)
    with _style():
        canvas.draw()
        renderer = canvas.get_renderer()
        extents = {id(text): tuple(text.get_window_extent(renderer).bounds)
                   for text in fig.findobj(Text) if text.get_visible() and text.get_text()}
    grey = np.asarray(canvas.buffer_rgba())[..., :3].astype(float).mean(axis=2)
    return 255.0 - grey, extents


def _ink_of(ink: np.ndarray, bounds: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """The ink inside ``bounds`` (display pixels, y up, with a 2-pixel margin): its sum and centre."""
    left, bottom, width, height = bounds
    rows = ink.shape[0]
    top_row, bottom_row = max(int(rows - bottom - height) - 2, 0), int(rows - bottom) + 2
    box = ink[top_row:bottom_row, max(int(left) - 2, 0):int(left + width) + 2]
    total = float(box.sum())
    if total == 0:
        return 0.0, 0.0, 0.0
    ys, xs = np.indices(box.shape)
    return total, float((xs * box).sum() / total), float((ys * box).sum() / total)


def test_every_text_looks_as_matplotlib_draws_it(sample_page):
    stock_ink, stock_extents = _drawn(sample_page, FigureCanvasAgg)
    page_ink, page_extents = _drawn(sample_page, PageCanvas)
    assert page_extents == stock_extents  # measured alike: the layout is matplotlib's
    assert len(page_extents) > 100
    shifts = []
    for bounds in page_extents.values():
        stock_total, stock_x, stock_y = _ink_of(stock_ink, bounds)
        if stock_total < 255 * 20:  # a blank label ("") or one hidden under another
            continue
        total, x, y = _ink_of(page_ink, bounds)
        assert total == pytest.approx(stock_total, rel=0.04), bounds
        # a line is pasted at a whole pixel, matplotlib 3.11 places each glyph at a fraction of one
        assert abs(x - stock_x) < 1.5, bounds
        assert abs(y - stock_y) < 1.5, bounds
        shifts.append((x - stock_x, y - stock_y))
    assert len(shifts) > 100
    mean_x, mean_y = np.mean(shifts, axis=0)
    assert abs(mean_x) < 0.25  # no text moved as a whole
    assert abs(mean_y) < 0.25
    # the rest of the page (bars, lines, cards) is drawn by the same code: pixels equal off the texts
    assert np.mean(np.abs(page_ink - stock_ink)) < 2.5


def test_rotated_text_is_left_to_matplotlib(user_paths):
    fig = Figure(figsize=(4, 2), facecolor="white")
    fig.text(0.5, 0.5, "Sideways 12 h", rotation=90, fontsize=14)
    stock, _ = _drawn(fig, FigureCanvasAgg)
    page, _ = _drawn(fig, PageCanvas)
    assert stock.sum() > 0
    assert np.array_equal(page, stock)


def test_the_png_is_written_through_the_page_canvas(sample_page, tmp_path):
    out = save_figure(sample_page, tmp_path / "week.png")
    assert isinstance(sample_page.canvas, PageCanvas)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = save_figure(sample_page, tmp_path / "week.svg")  # vector formats keep matplotlib's own backends
    assert b"<svg" in svg.read_bytes()[:500]


@pytest.mark.parametrize(("version", "used"), [("3.11.2", True), ("3.11.0rc1", True), ("3.12.0", False),
                                                ("3.10.9", False), ("4", False), ("dev", False)])
def test_only_the_matplotlib_release_it_was_built_for_uses_the_canvas(version, used):
    assert suits(version) is used


def test_another_matplotlib_release_writes_the_page_with_its_own_canvas(tmp_path, monkeypatch):
    monkeypatch.setattr(png_canvas, "BUILT_FOR", (0, 1))
    fig = Figure(figsize=(4, 3))
    fig.text(0.1, 0.5, "a page", fontsize=12)
    out = save_figure(fig, tmp_path / "page.png")
    assert not isinstance(fig.canvas, PageCanvas)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
