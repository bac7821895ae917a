"""The Agg canvas the weekly page is written to PNG with: each text laid out once, drawn in one piece.

matplotlib 3.11's Agg renderer lays a string out with FreeType twice (once to measure it,
once to draw it) and then draws it glyph by glyph, with numpy work in Python for every
glyph: most of the page's drawing time. This renderer lays a string out once, while
measuring it, renders the whole line to one bitmap there (as matplotlib 3.10 and earlier
drew text) and pastes that bitmap when the text is drawn. Only plain, upright,
antialiased text takes this way; math text, rotated text and text with font features or
a language set are drawn by matplotlib's own code. It also reads each font's line
metrics once, where matplotlib reads the font's tables again for every text.

Imported only when a page is written (matplotlib's Agg backend is imported here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.backends import backend_agg

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

BUILT_FOR = (3, 11)
"""The matplotlib release whose Agg internals (``_prepare_font``, ``draw_text_image``) this
canvas uses and tests/reports/test_png_canvas.py holds it to; others draw with their own canvas."""


def suits(version: str = matplotlib.__version__) -> bool:
    """True when ``version`` of matplotlib is the release this canvas was built and tested for."""
    parts = version.split(".")
    try:
        return (int(parts[0]), int(parts[1])) == BUILT_FOR
    except (ValueError, IndexError):
        return False


# matplotlib's Agg backend has no type annotations: its classes and functions are used as Any
_AggRenderer: Any = backend_agg.RendererAgg
_AggCanvas: Any = backend_agg.FigureCanvasAgg
_hinting_flag: Any = backend_agg.get_hinting_flag

# a line's bitmap, its x and y offsets and its descent, in pixels
_Bitmap = tuple[Any, float, float, float]
# a font's ascent, descent and line gap, in pixels (None: matplotlib measures "lp" instead)
_LineMetrics = tuple[float | None, float | None, float | None]


_LINE_TABLES = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                 ("hhea", "lineGap", "ascent", "descent"))


def _font_line_metrics(prop: FontProperties, dpi: float) -> _LineMetrics:
    """The ascent, descent and line gap of ``prop``'s font, as ``matplotlib.text.Text`` reads them."""
    from matplotlib.font_manager import fontManager, get_font  # noqa: PLC0415 - loaded with the Agg backend

    font: Any = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap_key, ascent_key, descent_key in _LINE_TABLES:
        table = font.get_sfnt_table(table_name)
        if table is not None:
            scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
            return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None


class _OnceRenderer(_AggRenderer):  # type: ignore[misc]
    """An Agg renderer keeping the bitmap of each line it measures, to draw it without laying it out again."""

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self._bitmaps: dict[tuple[str, FontProperties], _Bitmap] = {}
        """By text and font properties (equal properties: the same font and size)."""
        self._line_metrics: dict[FontProperties, _LineMetrics] = {}

    def _bitmap(self, text: str, prop: FontProperties) -> tuple[tuple[int, int], float, _Bitmap]:
        """Lay ``text`` out and render it: its advance size (64ths of a pixel), descent and bitmap."""
        font = self._prepare_font(prop)
        font.set_text(text, 0.0, flags=_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=True)
        descent = font.get_descent() / 64.0
        x_offset, y_offset = font.get_bitmap_offset()
        bitmap = (font.get_image(), x_offset / 64.0, y_offset / 64.0, descent)
        self._bitmaps[(text, prop.copy())] = bitmap  # a copy: the text's own properties may change
        return font.get_width_height(), descent, bitmap

    def get_text_width_height_descent(self, s: str, prop: FontProperties,
                                      ismath: bool | str) -> tuple[float, float, float]:
        """Width, height and descent of ``s`` in pixels, as matplotlib's; plain text keeps its bitmap."""
        if ismath:
            measured: tuple[float, float, float] = super().get_text_width_height_descent(s, prop, ismath)
            return measured
        (width, height), descent, _ = self._bitmap(s, prop)
        return width / 64.0, height / 64.0, descent

    def _get_font_height_metrics(self, prop: FontProperties) -> _LineMetrics:
        """A font's ascent, descent and line gap in pixels, read once per font and size.

        matplotlib's ``Text`` asks a renderer that has this method (its PDF one does); without
        it, it reads the font's tables again for every text drawn. The numbers are its own.
        """
        metrics = self._line_metrics.get(prop)
        if metrics is None:
            metrics = self._line_metrics[prop.copy()] = _font_line_metrics(prop, self.dpi)
        return metrics

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: FontProperties, angle: float,
                  ismath: bool | str = False, mtext: Any = None) -> None:
        """Paste the bitmap kept when ``s`` was measured (laid out now if it was not)."""
        styled = mtext is not None and (mtext.get_fontfeatures() or mtext.get_language())
        if ismath or angle or styled or not gc.get_antialiased():
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        bitmap = self._bitmaps.get((s, prop)) or self._bitmap(s, prop)[2]
        image, x_offset, y_offset, descent = bitmap
        # y is downwards; the bitmap's bottom edge goes one pixel under the descent (as in matplotlib 3.10)
        self._renderer.draw_text_image(image, round(x + x_offset), round(y + y_offset + descent) + 1, 0, gc)


class PageCanvas(_AggCanvas):  # type: ignore[misc]
    """A FigureCanvasAgg drawing with ``_OnceRenderer``; ``PageCanvas(figure)`` makes it the figure's canvas.

    An opaque figure is written as an RGB PNG: its alpha channel would only hold 255s, and
    without it there is a quarter less to filter and compress (and a smaller file).
    """

    def print_png(self, filename_or_obj: Any, *, metadata: dict[str, str] | None = None,
                  pil_kwargs: dict[str, Any] | None = None, **_applied: Any) -> None:
        """Draw the figure and write it as PNG (RGB when the figure is opaque, as matplotlib's otherwise).

        ``savefig`` has set the figure's dpi and colours already; it passes them (``_applied``) too.
        """
        from matplotlib.colors import to_rgba  # noqa: PLC0415 - lazy

        if to_rgba(self.figure.get_facecolor())[3] < 1:
            super().print_png(filename_or_obj, metadata=metadata, pil_kwargs=pil_kwargs)
            return
        from PIL import Image, PngImagePlugin  # noqa: PLC0415 - lazy, as matplotlib's own PNG writer

        _AggCanvas.draw(self)
        info = PngImagePlugin.PngInfo()
        for key, value in {"Software": f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/",
                           **(metadata or {})}.items():
            if value is not None:
                info.add_text(key, value)
        image = Image.frombuffer("RGBA", self.get_width_height(physical=True), self.buffer_rgba(),
                                 "raw", "RGBA", 0, 1).convert("RGB")
        image.save(filename_or_obj, format="png", dpi=(self.figure.dpi, self.figure.dpi), pnginfo=info,
                   **(pil_kwargs or {}))

    _lastKey: Any  # matplotlib's: the (width, height, dpi) its renderer was made for

    def get_renderer(self) -> _OnceRenderer:
        """The renderer for the figure's current size and dpi (one kept while they stay the same)."""
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _OnceRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        renderer: _OnceRenderer = self.renderer
        return renderer
