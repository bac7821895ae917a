"""One reading of the desktop, turned into what may be stored: the Observation of a sample.

The sampler owns the platform connection: when the desktop goes away it closes it,
logs once, and tries again on later samples, so the daemon never dies with the display.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from monitor.core.errors import PlatformUnavailable
from monitor.core.settings import TrackingSettings
from monitor.tracking.categories import Rules
from monitor.tracking.platforms.base import ActiveWindow, Platform
from monitor.tracking.privacy import EXCLUDED_TITLE, clean_title, is_private_window, storable_title
from monitor.tracking.spans import Observation

log = logging.getLogger(__name__)

EXCLUDE_SCAN_CHARS = 100_000
"""``tracking.exclude_titles`` patterns see this much of a title (all of any real one)."""


@dataclass(frozen=True)
class Reading:
    """What the desktop said at one instant."""

    backend: str
    window: ActiveWindow | None
    idle_seconds: float


def observe(window: ActiveWindow | None, rules: Rules, tracking: TrackingSettings) -> Observation | None:
    """Classify a window and keep only what the privacy settings allow to be stored."""
    if window is None:
        return None
    app = clean_title(window.app, limit=200) or "unknown"
    raw_title = clean_title(window.title)
    classification = rules.classify(app, raw_title)
    # privacy is decided on the whole title: a private window's marker sits at the end of
    # it, where the 1000-character cut above may have removed it
    private = is_private_window(window.title) or is_private_window(raw_title)
    whole = clean_title(window.title, limit=EXCLUDE_SCAN_CHARS)
    kept = None if private else storable_title(whole, store_titles=tracking.store_titles,
                                                exclude=tracking.exclude_titles)
    title = raw_title if kept == whole else kept
    if private:
        name = f"{app} (private window)"  # the category counts; the site's name would tell too much
    elif classification.rule is None:
        name = title or app
    elif title is None or title == EXCLUDED_TITLE:
        # a site rule's name ("Facebook") comes from the title: it is kept only with the title
        found = rules.explain(app, raw_title)
        by_site = found is not None and found.kind == "site"
        name = (title or app) if by_site else classification.name
    else:
        name = classification.name
    return Observation(app=app, title=title, category=classification.category, name=name)


class CachedObserver:
    """``observe`` that remembers its last answer: the focus stays on one window for many samples.

    The answer is reused while the window (app, title, pid) is equal and the rules and
    tracking settings are the very same objects (reloaded settings are new objects).
    """

    def __init__(self) -> None:
        """Start with nothing remembered."""
        self._last: tuple[ActiveWindow | None, Rules, TrackingSettings, Observation | None] | None = None

    def __call__(self, window: ActiveWindow | None, rules: Rules,
                 tracking: TrackingSettings) -> Observation | None:
        """What ``observe(window, rules, tracking)`` returns."""
        last = self._last
        if last is not None and last[1] is rules and last[2] is tracking and last[0] == window:
            return last[3]
        observation = observe(window, rules, tracking)
        self._last = (window, rules, tracking, observation)
        return observation


class Sampler:
    """Reads the focused window and idle time, reconnecting after the desktop comes back."""

    def __init__(self, open_platform: Callable[[], Platform]) -> None:
        """Use ``open_platform`` to (re)connect to the desktop when needed."""
        self._open_platform = open_platform
        self._platform: Platform | None = None
        self._failing = False

    def read(self) -> Reading | None:
        """One reading, or None while the desktop is unavailable (logged once per outage)."""
        try:
            if self._platform is None:
                self._platform = self._open_platform()
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

    def _drop(self, reason: str) -> None:
        if not self._failing:
            log.warning("%s; not counting until it is back", reason)
            self._failing = True
        self.close()

    def close(self) -> None:
        """Release the desktop connection."""
        if self._platform is not None:
            try:
                self._platform.close()
            except Exception:  # closing a dead connection can fail in many ways
                log.debug("closing the platform failed", exc_info=True)
            self._platform = None
