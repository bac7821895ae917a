"""The tray process's worker: today from the store into a view, and what each menu entry does.

One thread runs ``TrayController.run``: it takes events from a queue (the daemon's "a
sample was taken", "the settings changed"; a menu entry chosen; a person confirmed) one
at a time, so the store connection and the view have a single owner. After each sample
it reads today's totals per category as the budgets count them
(``store.spans.category_totals``, the nudger's and ``unscroll status``'s query: one indexed
range of today's spans, summed in SQLite), and hands a view to the backend only when
something it shows changed. People are read again every few minutes, on a new day, and
after one was chosen.

Choosing a person opens their first safe link (``people.connect.contact_target``) and
sends a notice asking to confirm; its "Reached out" button logs the talk
(``PersonActions.reached_out``), so a slip of the mouse logs nothing.
"""

from __future__ import annotations

import logging
import queue
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.core.days import day_bounds, day_of, local_zone, next_day_start
from monitor.core.errors import StoreError, UnscrollError
from monitor.core.opener import open_with_desktop
from monitor.core.paths import Paths, ensure_private_dir, make_private_file
from monitor.core.settings import Settings, load_settings
from monitor.store.database import Store
from monitor.store.spans import category_totals
from monitor.tracking.pause import pause, paused_until, resume
from monitor.tray.view import (
    PAUSE_FOR,
    PAUSE_UNTIL_TOMORROW,
    QUIT,
    REPORT,
    RESUME,
    SETTINGS,
    PersonOffer,
    TrayView,
    build_view,
    person_of,
    summary_of,
)

if TYPE_CHECKING:
    from monitor.nudge.notify import Notifier

log = logging.getLogger(__name__)

TICK = "tick"
"""The daemon took a sample."""
RELOAD = "settings"
"""The daemon reloaded the settings file."""
STOP = "stop"
"""The daemon closed the pipe (or is gone): end the process."""
MENU = "menu "
"""Prefix of a chosen menu entry's event: ``menu pause-30m``."""
REACHED = "reached "
"""Prefix of a confirmed "Reached out": ``reached 7``."""

PEOPLE_OFFERED = 2
OFFERS_EVERY = 300.0
"""People are read again at least this often (seconds)."""
TRAY_NOTICE = "tray"
"""The ``Notice.kind`` of the confirmation after a person was chosen (not stored)."""
SETTINGS_HEADER = ("# Your unscroll settings: put here only what you change.\n"
                   "# Every key, commented: `unscroll config defaults`.\n")


class TrayController:
    """Owns the store connection and the settings of the tray process; acts on one event at a time."""

    def __init__(self, paths: Paths, show: Callable[[TrayView], None], tell: Callable[[dict[str, Any]], None],
                 post: Callable[[str], None], *, clock: Callable[[], float] = time.time) -> None:
        """Show views with ``show``, report to the daemon with ``tell``, queue events with ``post``.

        Raises ConfigError when the settings cannot be read at all (the daemon reports it).
        """
        self.paths = paths
        self.show = show
        self.tell = tell
        self.post = post
        self.clock = clock
        self.settings: Settings = load_settings(paths)
        self.zone = local_zone()
        self._store: Store | None = None
        self._notifier: Notifier | None = None
        self._offers: list[PersonOffer] = []
        self._offers_read: tuple[date, float] | None = None
        self._shown: TrayView | None = None
        self._failing = False

    # --- the loop ------------------------------------------------------------------------
    def run(self, events: queue.Queue[str], stop: Callable[[], None]) -> None:
        """Handle events until ``STOP``; then close everything and call ``stop`` (ends the backend)."""
        try:
            self.handle(TICK)
            while (event := events.get()) != STOP:
                self.handle(event)
        finally:
            self.close()
            stop()

    def handle(self, event: str) -> None:
        """Act on one event; a failure is logged (once while it repeats), never raised."""
        try:
            if event == RELOAD:
                self.reload()
            elif event.startswith(MENU):
                self.choose(event.removeprefix(MENU))
            elif event.startswith(REACHED):
                self.reached_out(int(event.removeprefix(REACHED)))
            self.refresh(people=event != TICK)
        except (StoreError, OSError) as exc:
            if not self._failing:
                log.warning("the tray could not read or write the store (%s); trying again next sample", exc)
            self._failing = True
        except Exception:
            log.exception("the tray failed to handle %r", event.split(" ")[0])
        else:
            self._failing = False

    def reload(self) -> None:
        """Read the settings file again; on an error keep the last good settings (the daemon says why)."""
        try:
            self.settings = load_settings(self.paths)
        except UnscrollError as exc:
            log.info("tray: keeping the last good settings (%s)", exc.message)
        self._offers_read = None

    # --- what is shown -------------------------------------------------------------------
    def store(self) -> Store:
        """The tray's own connection to the store, opened on first use."""
        if self._store is None:
            self._store = Store(self.paths.database)
        return self._store

    def refresh(self, *, people: bool = False) -> TrayView:
        """Read today, build the view, and show it if it changed; ``people``: read people again too."""
        now, settings = self.clock(), self.settings
        day = day_of(now, settings.day_starts_at, self.zone)
        budgets = {name: value.total_seconds() for name, value in settings.budgets.for_day(day).items()}
        store = self.store()
        totals = category_totals(store, *day_bounds(day, settings.day_starts_at, self.zone),
                                 count_watching=settings.budgets.count_watching)
        summary = summary_of(day, totals, budgets)
        read = self._offers_read
        if people or read is None or read[0] != day or now - read[1] >= OFFERS_EVERY:
            self._offers = self._read_offers(store, now, day)
            self._offers_read = (day, now)
        view = build_view(summary, paused_until(store), self._offers, now, self.zone)
        if view != self._shown:
            self.show(view)
            self._shown = view
        return view

    def _read_offers(self, store: Store, now: float, day: date) -> list[PersonOffer]:
        from monitor.people.offer import offer_people  # noqa: PLC0415 - the people wing, on first use

        start = day_bounds(day, self.settings.day_starts_at, self.zone)[0]
        gap = self.settings.prompts.suggest_gap.total_seconds()
        offers = offer_people(store, now, gap_s=gap, limit=PEOPLE_OFFERED, day_start=start)
        return [PersonOffer(offer.person_id, offer.label) for offer in offers]

    # --- what the menu does ----------------------------------------------------------------
    def choose(self, key: str) -> None:
        """Carry out the menu entry ``key``."""
        now = self.clock()
        if key in PAUSE_FOR or key == PAUSE_UNTIL_TOMORROW:
            tomorrow = key == PAUSE_UNTIL_TOMORROW
            until = next_day_start(now, self.settings.day_starts_at, self.zone) if tomorrow \
                else now + PAUSE_FOR[key][1]
            with self.store().transaction():
                pause(self.store(), until)
            log.info("tracking paused from the tray (%s)", key)
        elif key == RESUME:
            with self.store().transaction():
                resume(self.store())
            log.info("tracking resumed from the tray")
        elif key == REPORT:
            self.open_report()
        elif key == SETTINGS:
            self.open_settings()
        elif key == QUIT:
            log.info("Quit unscroll chosen in the tray")
            self.tell({"quit": True})
        elif (person_id := person_of(key)) is not None:
            self.reach(person_id)
        else:
            log.warning("tray: no menu entry %r", key)

    def open_report(self) -> None:
        """Draw this week's page and open it: ``unscroll report --open`` in a process of its own."""
        command = [sys.executable, "-m", "monitor", "report", "--open"]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, close_fds=True)

        def wait() -> None:
            _out, err = process.communicate()
            if process.returncode != 0:
                lines = err.strip().splitlines()
                log.warning("this week's report could not be opened: %s",
                            lines[-1] if lines else f"exit status {process.returncode}")

        import threading  # noqa: PLC0415 - only when a report is asked for

        threading.Thread(target=wait, name="unscroll-tray-report", daemon=True).start()

    def open_settings(self) -> Path:
        """Open the settings file with the desktop's editor, making it (commented) if there is none yet."""
        path = self.paths.config_file
        if not path.exists():
            ensure_private_dir(path.parent)
            path.write_text(SETTINGS_HEADER, encoding="utf-8")
            make_private_file(path)
        open_with_desktop(str(path))
        return path

    def reach(self, person_id: int) -> None:
        """Open the person's first safe link and ask, in a notice, to confirm that they were reached."""
        from monitor.core.vocabulary import ACTION_WORDS, REACHED_OUT  # noqa: PLC0415
        from monitor.nudge.notice import STAYS, Notice  # noqa: PLC0415
        from monitor.people import directory  # noqa: PLC0415 - the people wing, when someone is chosen
        from monitor.people.connect import contact_target  # noqa: PLC0415
        from monitor.people.offer import first_name  # noqa: PLC0415

        person = directory.get(self.store(), person_id)
        name = first_name(person.name)
        target = contact_target(person)
        press = f"Once you have talked, press \u201c{ACTION_WORDS[REACHED_OUT]}\u201d to log it."
        if target is not None and open_with_desktop(target):
            body = f"Opened {target}. {press}"
        else:
            body = f"Nothing to open for {name} (no link, email or phone kept). {press}"

        def answered(action: str) -> None:
            if action == REACHED_OUT:
                self.post(f"{REACHED}{person_id}")

        notice = Notice(kind=TRAY_NOTICE, category=None, used_s=0.0, title=f"Did you reach {name}?",
                        body=body, person_id=person_id, buttons=((ACTION_WORDS[REACHED_OUT], REACHED_OUT),),
                        on_action=answered, timeout_s=STAYS)
        self.notifier().send(notice)

    def reached_out(self, person_id: int) -> None:
        """Log the talk the confirmation notice confirmed."""
        from monitor.people.connect import PersonActions  # noqa: PLC0415

        PersonActions(self.paths.database, self.clock).reached_out(person_id, note="from the tray")

    def notifier(self) -> Notifier:
        """The process's notifier, started on the first notice."""
        if self._notifier is None:
            from monitor.nudge.notify import Notifier  # noqa: PLC0415 - desktop-notifier, when needed

            self._notifier = Notifier()
        return self._notifier

    def close(self) -> None:
        """Release the store connection and the notifier."""
        if self._notifier is not None:
            self._notifier.close()
        if self._store is not None:
            self._store.close()
