"""A scripted person at a real X desktop, and the truth of what had their attention.

The script plays a seeded session on the test desktop (Xvfb + openbox): stretches of
work with a one-pixel pointer move every 0.4 s and focus switches at random moments;
away stretches longer than ``idle_after`` during which the focus moves before the
timeout and after it, a window closes, a dialog takes the focus, a screen locker comes
up. It writes down when each thing happened:

- an input at the instant the X server registered it (the XScreenSaver idle counter
  read right after the move, in milliseconds);
- a focus change at the X server's stamp on the ``_NET_ACTIVE_WINDOW`` change, seen by an
  observer of its own (a separate X connection listening on the root). The stamp is in
  milliseconds of this machine's monotonic clock, so a test process that gets the CPU late
  on a busy machine still writes down when the change happened, not when it read it (read
  as the daemon reads it: ``instant_of_stamp``, itself checked against the wall clock in
  tests/desktop/test_x11_focus_events.py).

The truth: an instant counts for the window focused then when the gap between the
inputs around it is shorter than ``idle_after``. Used by tests/desktop/test_accuracy.py
and benchmarks/accuracy_bench.py.
"""

from __future__ import annotations

import itertools
import os
import random
import select
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import Xlib.error
from Xlib import X, Xatom
from Xlib import display as xdisplay

from monitor.core.paths import Paths
from monitor.tracking.platforms.x11_events import instant_of_stamp
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import Desktop, Window
from tests.helpers import wait_until

APP = "unscroll-probe"
WORK_TITLES = ("accuracy mail", "accuracy editor", "accuracy feed")


@dataclass
class Session:
    """What the scripted person did, with the instants the desktop saw it."""

    idle_after: float
    inputs: list[float] = field(default_factory=list)
    focus: list[tuple[float, str]] = field(default_factory=list)
    switches: int = 0

    def changes(self) -> dict[str, int]:
        """Per window, the moments a sampler could misplace: focus gained or lost, returns to it."""
        focus = sorted(self.focus, key=lambda seen: seen[0])  # stable: in order seen
        counts: dict[str, int] = {}
        titles = [title for _, title in focus if title]
        for before, after in itertools.pairwise(titles):
            if before != after:
                counts[before] = counts.get(before, 0) + 1
                counts[after] = counts.get(after, 0) + 1
        for gap_start, gap_end in itertools.pairwise(self.inputs):
            if gap_end - gap_start >= self.idle_after:  # a return after an absence
                focused = [title for at, title in focus if at <= gap_end and title]
                if focused:
                    counts[focused[-1]] = counts.get(focused[-1], 0) + 1
        return counts

    def truth(self) -> dict[str, float]:
        """Seconds each window title had the person's attention."""
        focus = sorted(self.focus, key=lambda seen: seen[0])  # stable: in order seen
        totals: dict[str, float] = {}
        for start, end in itertools.pairwise(self.inputs):
            if end - start >= self.idle_after:
                continue  # away: none of this gap counts
            for (since, title), (until, _next) in zip(focus, [*focus[1:], (float("inf"), "")],
                                                       strict=True):
                overlap = min(end, until) - max(start, since)
                if overlap > 0 and title:
                    totals[title] = totals.get(title, 0.0) + overlap
        return totals


class Person:
    """Plays the session on ``desktop`` and writes it down in a Session."""

    def __init__(self, desktop: Desktop, idle_after: float, seed: int) -> None:
        self.desktop = desktop
        self.rng = random.Random(seed)
        self.session = Session(idle_after)
        self._x = xdisplay.Display(desktop.display)
        self.windows: list[Window] = []
        self.titles: dict[int, str] = {}
        self._seen: list[tuple[float, str]] = []
        self._stop_read, self._stop_write = os.pipe()
        self._observer = threading.Thread(target=self._observe, daemon=True)
        self._observer.start()

    def close(self) -> None:
        os.write(self._stop_write, b"x")
        self._observer.join(timeout=5)
        self._x.close()

    def finish(self) -> Session:
        """The session, with every focus change the observer saw."""
        self.session.focus = list(self._seen)
        return self.session

    def _observe(self) -> None:
        """Note (time, title) at every change of the root's _NET_ACTIVE_WINDOW."""
        observer = xdisplay.Display(self.desktop.display)
        root = observer.screen().root
        active = observer.intern_atom("_NET_ACTIVE_WINDOW")
        name = observer.intern_atom("_NET_WM_NAME")
        root.change_attributes(event_mask=X.PropertyChangeMask)

        def title_now() -> str:
            try:
                return read_title()
            except Xlib.error.XError:  # the window closed meanwhile
                return ""

        def read_title() -> str:
            prop = root.get_property(active, Xatom.WINDOW, 0, 1)
            window_id = int(prop.value[0]) if prop and len(prop.value) else 0
            if not window_id:
                return ""
            window = observer.create_resource_object("window", window_id)
            for atom in (name, Xatom.WM_NAME):
                text = window.get_property(atom, X.AnyPropertyType, 0, 1024)
                if text is not None and len(text.value):
                    return bytes(text.value).decode("utf-8", "replace")
            return ""
        self._seen.append((time.time(), title_now()))
        while True:
            readable, _, _ = select.select([observer.fileno(), self._stop_read], [], [])
            if self._stop_read in readable:
                observer.close()
                return
            while observer.pending_events():  # reading a title may queue more events
                event = observer.next_event()
                if event.type == X.PropertyNotify and event.atom == active:
                    stamped = instant_of_stamp(event.time, time.monotonic(), time.time())
                    assert stamped is not None, "the X server's clock is not this machine's"
                    # the clear and the set of one switch can share a millisecond: keep their order
                    at = max(stamped, self._seen[-1][0])
                    self._seen.append((at, title_now()))

    # --- what the person does --------------------------------------------------------------
    def open(self, title: str) -> Window:
        """Open a window (it takes the focus, as new windows do)."""
        window = self.desktop.open_window(title, process_name=APP)
        self.titles[window.window_id] = title
        self.windows.append(window)
        self._wait_ours()
        return window

    def focus(self, window: Window) -> None:
        self.desktop.focus(window)
        self.session.switches += 1

    def close_window(self, window: Window) -> None:
        """Close ``window``; the window manager gives the focus to another."""
        window.close()
        self.windows.remove(window)
        self._wait_ours()

    def work(self, seconds: float) -> None:
        """Touch the input every 0.4 s for ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            self.touch()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(0.4, left))  # the person's pace, not a wait for a condition

    def touch(self) -> None:
        self.desktop.touch_input()
        idle_ms = self._x.screen().root.screensaver_query_info().idle
        self.session.inputs.append(time.time() - idle_ms / 1000.0)

    def away(self, seconds: float) -> None:
        time.sleep(seconds)  # nobody at the keyboard: the absence is what is being measured

    def _wait_ours(self) -> None:
        wait_until(lambda: self.desktop.active_window_id() in self.titles, timeout=10,
                   message="a window of ours to have the focus")
        self.session.switches += 1

    # --- the session -----------------------------------------------------------------------
    def play(self, work_blocks: int = 8) -> Session:
        """The whole seeded session (about 80 s with ``idle_after`` of 5 s)."""
        rng = self.rng
        self.work_stretch(work_blocks // 2)
        self.away_switching()
        self.work_stretch(2)
        self.away_window_closes()
        self.work_stretch(work_blocks // 2 - 2)
        self.away_dialog()
        self.away_locker()
        self.away(self.session.idle_after + rng.uniform(1.5, 2.5))  # the end: gone for good
        return self.finish()

    def work_stretch(self, blocks: int) -> None:
        for _ in range(blocks):
            choices = [w for w in self.windows if self.titles[w.window_id] in WORK_TITLES
                       and w.window_id != self.desktop.active_window_id()]
            self.focus(self.rng.choice(choices))
            self.work(self.rng.uniform(1.0, 4.0))

    def away_switching(self) -> None:
        """Gone; the focus moves before the timeout (a notification's window) and after it."""
        idle_after = self.session.idle_after
        first = self.rng.uniform(1.0, idle_after - 1.5)
        self.away(first)
        self.focus(self._another())
        self.away(idle_after - first + self.rng.uniform(1.0, 2.0))
        self.focus(self._another())
        self.away(self.rng.uniform(1.0, 2.0))

    def away_window_closes(self) -> None:
        """A window used last is closed while the person is away (by a program, say)."""
        passing = self.open("accuracy passing")
        self.work(self.rng.uniform(1.0, 2.0))
        self.away(self.rng.uniform(1.0, 2.0))
        self.close_window(passing)
        self.away(self.session.idle_after + self.rng.uniform(0.5, 1.5))

    def away_dialog(self) -> None:
        """A dialog takes the focus while away; back, the person answers it, and it closes."""
        self.away(self.rng.uniform(1.0, 2.0))
        dialog = self.open("accuracy dialog")
        self.away(self.session.idle_after + self.rng.uniform(0.5, 1.5))
        self.work(self.rng.uniform(1.0, 2.0))
        self.close_window(dialog)
        self.work(self.rng.uniform(1.0, 2.0))

    def away_locker(self) -> None:
        """The screen locks after the timeout; back, the person types into the locker."""
        self.away(self.session.idle_after + self.rng.uniform(0.5, 1.5))
        locker = self.open("accuracy locker")
        self.away(self.rng.uniform(0.5, 1.0))
        self.work(self.rng.uniform(1.0, 2.0))
        self.close_window(locker)
        self.work(self.rng.uniform(1.0, 3.0))

    def _another(self) -> Window:
        active = self.desktop.active_window_id()
        return self.rng.choice([w for w in self.windows if w.window_id != active])

    def wait_idle(self) -> None:
        """Wait until nobody has touched the desktop for longer than ``idle_after``."""
        wait_until(lambda: self._x.screen().root.screensaver_query_info().idle
                   > (self.session.idle_after + 0.5) * 1000, timeout=30, interval=0.2,
                   message="the desktop to be idle")


@dataclass
class Outcome:
    """One session under a fresh daemon: what it counted, the truth, how many switches."""

    counted: dict[str, float]
    truth: dict[str, float]
    switches: int
    changes: dict[str, int]

    def errors(self) -> dict[str, float]:
        """Counted minus true seconds, per window title."""
        return {title: self.counted[title] - self.truth.get(title, 0.0) for title in self.counted}


def run_session(desktop: Desktop, folder: Path, *, events: bool, seed: int,
                interval: float = 2.0, idle_after: float = 5.0) -> Outcome:
    """Start a daemon with focus events on or off, play the seeded session, read the counts."""
    paths = Paths(config_file=folder / "config.toml", data_dir=folder / "data")
    write_test_config(paths, f'[tracking]\nsample_every = "{interval:g}s"\nidle_after = "{idle_after:g}s"\n'
                             f'focus_events = {"true" if events else "false"}\n')
    daemon = DaemonProcess(desktop.env, paths)
    person = Person(desktop, idle_after, seed)
    try:
        for title in WORK_TITLES:
            person.open(title)
        person.wait_idle()
        daemon.start()
        session = person.play()
        gone = session.inputs[-1] + idle_after + interval
        wait_until(lambda: (daemon.heartbeat() or {"at": 0})["at"] > gone, timeout=20,
                   message="the daemon to see the person gone")
    finally:
        daemon.stop()
        person.close()
    truth = session.truth()
    counted = {title: daemon.exact_seconds(title) for title in {*truth, *person.titles.values()}}
    return Outcome(counted, truth, session.switches, session.changes())
