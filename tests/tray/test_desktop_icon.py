"""The Windows notification area and the macOS menu bar, through pystray: against a FAKE platform layer.

Neither Windows nor macOS runs here, so ``FakeNotificationArea`` stands in for pystray's
platform backend (its Win32 and AppKit calls): a subclass of pystray's own ``Icon`` base
class that records what would be drawn and can "click" a menu entry the way the platform
does. The menu items, their callbacks and the setup thread are pystray's real code.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from monitor.tray.icons import rgba
from monitor.tray.view import OVER, PersonOffer, build_view
from reports.aggregate import CategoryTotal, DaySummary

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 27, 13, 0, tzinfo=BERLIN).timestamp()


@pytest.fixture
def pystray(monkeypatch):
    """pystray with its dummy backend chosen (on Linux its X11 backend would open a display at import)."""
    monkeypatch.setenv("PYSTRAY_BACKEND", "dummy")
    import pystray as module

    return module


def fake_area_class(pystray):
    from pystray._base import Icon

    class FakeNotificationArea(Icon):
        """A FAKE of the platform's notification area / menu bar: records, and clicks entries."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.shown = False
            self.drawn = []
            self.titles = []
            self.menus = 0
            self.stopped = threading.Event()

        def _show(self):
            self.shown = True
            self._update_icon()

        def _hide(self):
            self.shown = False

        def _update_icon(self):
            self.drawn.append(self.icon)
            self._icon_valid = True

        def _update_title(self):
            self.titles.append(self.title)

        def _update_menu(self):
            self.menus += 1

        def _run(self):
            self._mark_ready()
            self.stopped.wait(10)

        def _stop(self):
            self.stopped.set()

        def labels(self):
            return [str(item) for item in self.menu.items if item is not pystray.Menu.SEPARATOR]

        def click(self, label):
            item = next(item for item in self.menu.items if str(item) == label)
            assert item.enabled, f"{label!r} is not enabled"
            item(self)

    return FakeNotificationArea


def view(social_minutes: float, paused_until: float | None = None, offers=()):
    summary = DaySummary(day=date(2026, 11, 27), total_seconds=social_minutes * 60, total_budget_seconds=7200,
                         categories=[CategoryTotal("social", social_minutes * 60, 1800)], items=[])
    return build_view(summary, paused_until, offers, NOW, BERLIN)


@pytest.fixture
def backend(pystray):
    from monitor.tray.desktop_icon import DesktopIconBackend

    chosen, states = [], []
    made = DesktopIconBackend(chosen.append, states.append, icon_class=fake_area_class(pystray))
    runner = threading.Thread(target=made.run)
    runner.start()
    made.chosen, made.states, made.runner = chosen, states, runner
    yield made
    made.stop()
    runner.join(10)
    assert not runner.is_alive()


def wait_for(check):
    for _ in range(200):
        if check():
            return
        threading.Event().wait(0.02)
    raise AssertionError("timed out")


def test_the_icon_is_shown_and_the_daemon_told(backend):
    wait_for(lambda: backend.states == ["shown"])
    assert backend.icon.shown
    assert backend.icon.labels() == ["unscroll is starting"]


def test_a_view_draws_its_dial_titles_the_icon_and_fills_the_menu(backend):
    wait_for(lambda: backend.icon.shown)
    backend.show(view(18, offers=[PersonOffer(3, "Call Sam")]))
    assert backend.icon.titles[-1] == "Social 18 m of 30 m · Screen 18 m of 2 h 00 m"
    assert backend.icon.drawn[-1].tobytes() == rgba(2, False, 48)
    labels = backend.icon.labels()
    assert labels[:2] == ["Social  18 m of 30 m · 12 m left", "Screen  18 m of 2 h 00 m · 1 h 42 m left"]
    assert "Pause for 30 min" in labels
    assert labels[-3:] == ["Call Sam", "Settings file", "Quit unscroll"]
    drawn = len(backend.icon.drawn)
    backend.show(view(18.5, offers=[PersonOffer(3, "Call Sam")]))  # same step: the title only
    assert len(backend.icon.drawn) == drawn
    backend.show(view(31))
    assert backend.icon.drawn[-1].tobytes() == rgba(OVER, False, 48)


def test_clicking_entries_passes_their_keys_and_lines_to_read_cannot_be_clicked(backend):
    wait_for(lambda: backend.icon.shown)
    backend.show(view(18, offers=[PersonOffer(3, "Call Sam")]))
    backend.icon.click("Pause for 30 min")
    backend.icon.click("Call Sam")
    backend.icon.click("Quit unscroll")
    assert backend.chosen == ["pause-30m", "person-3", "quit"]
    with pytest.raises(AssertionError, match="not enabled"):
        backend.icon.click("Resume")
    with pytest.raises(AssertionError, match="not enabled"):
        backend.icon.click("Social  18 m of 30 m · 12 m left")


def test_paused_shows_the_paused_dial(backend):
    wait_for(lambda: backend.icon.shown)
    backend.show(view(18, paused_until=NOW + 1800))
    assert backend.icon.drawn[-1].tobytes() == rgba(0, True, 48)
    assert backend.icon.titles[-1].startswith("Paused until 13:30")


def test_a_long_title_is_cut_to_what_windows_shows():
    from monitor.tray.desktop_icon import TOOLTIP_LIMIT, tooltip_text

    assert tooltip_text("short") == "short"
    long = tooltip_text("x" * 300)
    assert len(long) == TOOLTIP_LIMIT
    assert long.endswith("…")
