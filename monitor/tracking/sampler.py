"""One reading of the desktop: the focused window and the idle time, as the platform says them.

The sampler owns the platform connection: when the desktop goes away it closes it,
logs once, and tries again on later samples, so the daemon never dies with the display.
It also owns the media source (monitor.tracking.media), opened the first time the daemon
asks whether the focused window is playing (``playback``: only while there is no input).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import ActiveWindow, Platform, change_source, minimiser
from monitor.tracking.spans import Playback

if TYPE_CHECKING:
    from monitor.tracking.media.base import MediaSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    """What the desktop said at one instant."""

    backend: str
    window: ActiveWindow | None
    idle_seconds: float


class Sampler:
    """Reads the focused window and idle time, reconnecting after the desktop comes back."""

    def __init__(self, open_platform: Callable[[], Platform],
                 media_opener: Callable[[], MediaSource] | None = None) -> None:
        """Use ``open_platform`` to (re)connect to the desktop, ``media_opener`` for its players.

        By default the media backend of this system (monitor.tracking.media.factory), loaded
        the first time it is needed.
        """
        self._open_platform = open_platform
        self._platform: Platform | None = None
        self._media_opener = media_opener
        self._media: MediaSource | None = None
        self._media_failing = False
        self._failing = False
        self._events_failing = False
        self.opened = threading.Event()
        """Set while a backend is open (the thread waiting for focus changes waits for it)."""
        self.reports_changes: bool | None = None
        """Whether the open backend reports focus changes itself; None until one has opened."""

    def read(self) -> Reading | None:
        """One reading, or None while the desktop is unavailable (logged once per outage)."""
        try:
            if self._platform is None:
                self._platform = self._open_platform()
                self.reports_changes = change_source(self._platform) is not None
                self.opened.set()
            window = self._platform.active_window()
            idle = self._platform.idle_seconds()
            backend = self._platform.name
        except PlatformUnavailable as exc:
            self._drop(f"desktop unavailable: {exc}")
            return None
        except Exception as exc:  # a backend bug must not end the daemon
            self._drop(f"reading the desktop failed ({type(exc).__name__}): {exc}")
            return None
        if self._failing:
            log.info("desktop available again (%s)", backend)
            self._failing = False
        return Reading(backend=backend, window=window, idle_seconds=max(idle, 0.0))

    def playback(self, window: ActiveWindow | None) -> Playback:
        """Whether media plays in ``window`` (its process, parent or child), or when it stopped.

        Never raises: a media backend that fails counts as nothing playing (logged once).
        """
        if window is None:
            return Playback(False)
        from monitor.tracking.media.focus import playback_for  # noqa: PLC0415 - loaded once idle

        try:
            if self._media is None:
                if self._media_opener is None:
                    from monitor.tracking.media.factory import open_media  # noqa: PLC0415

                    self._media_opener = open_media
                self._media = self._media_opener()
            source = self._media
            playback = playback_for(window, source.players(), source.inhibitors)
        except Exception:  # a backend bug must not end the daemon, nor count a sample
            if not self._media_failing:
                log.exception("reading the media players failed; playing media does not count for now")
                self._media_failing = True
            return Playback(False)
        self._media_failing = False
        return playback

    def wait_for_change(self, timeout: float) -> float | None:
        """When the desktop reports the next focus or title change (None after ``timeout``).

        Only for a backend that reports changes (``reports_changes``); returns None at once
        while none is open, and when the desktop is unavailable (the sampling side reconnects).
        """
        source = change_source(self._platform)
        if source is None:
            return None
        try:
            return source.wait_for_change(timeout)
        except PlatformUnavailable as exc:
            log.debug("no focus events: %s", exc)
            return None
        except Exception:  # a backend bug must not end the daemon: sampling on the timer goes on
            if not self._events_failing:
                log.exception("waiting for focus events failed; sampling on the timer only")
                self._events_failing = True
            return None

    def wake_on_input(self, wanted: bool) -> None:
        """Ask the backend to report the next input while the person is away (where it can)."""
        source = change_source(self._platform)
        if source is None:
            return
        try:
            source.wake_on_input(wanted)
        except Exception:  # only a timing refinement: never worth a sample
            log.debug("cannot ask the desktop for input events", exc_info=True)

    def latest_change(self) -> float | None:
        """When the desktop's latest reported focus or title change happened (None: unknown)."""
        source = change_source(self._platform)
        return None if source is None else source.latest_change()

    def minimise(self, handle: str) -> str | None:
        """Minimise the window ``handle`` the backend reported; None when done, else why not."""
        platform = self._platform
        target = minimiser(platform)
        if platform is None or target is None:
            return f"the {platform.name if platform else 'desktop'} backend cannot minimise windows"
        try:
            done = target.minimise(handle)
        except PlatformUnavailable as exc:
            return f"the desktop went away: {exc}"
        except Exception as exc:  # a backend bug must not end the daemon
            log.debug("minimising failed", exc_info=True)
            return f"minimising failed ({type(exc).__name__}): {exc}"
        return None if done else f"the {platform.name} desktop would not minimise the window"

    def _drop(self, reason: str) -> None:
        if not self._failing:
            log.warning("%s; not counting until it is back", reason)
            self._failing = True
        self.close()

    def close(self) -> None:
        """Release the desktop connection (and the media source's)."""
        self.opened.clear()
        media, self._media = self._media, None
        if media is not None:
            try:
                media.close()
            except Exception:  # closing a dead bus can fail in many ways
                log.debug("closing the media source failed", exc_info=True)
        if self._platform is not None:
            try:
                self._platform.close()
            except Exception:  # closing a dead connection can fail in many ways
                log.debug("closing the platform failed", exc_info=True)
            self._platform = None
