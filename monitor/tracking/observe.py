"""The observe step: a window as the desktop reports it, turned into what may be stored.

Privacy first (private windows, excluded titles, titles off), then the category rules.
The daemon, ``unscroll sample`` and the ActivityWatch import all go through ``observe``,
so what a command shows is what the daemon stores. Pure: no desktop, no store.
"""

from __future__ import annotations

from monitor.core.settings import TrackingSettings
from monitor.tracking.categories import Rules
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.privacy import EXCLUDED_TITLE, clean_title, is_private_window, storable_title
from monitor.tracking.spans import Observation

EXCLUDE_SCAN_CHARS = 100_000
"""``tracking.exclude_titles`` patterns see this much of a title (all of any real one)."""


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
