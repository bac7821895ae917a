"""The observe step: a window as the desktop reports it, turned into what may be stored.

The title is cleaned and, when too long, cut in its middle (``monitor.tracking.titles``:
invisible marks removed, its start and its site's name kept); then privacy (private
windows, excluded titles, titles off), then the category rules, on that cleaned title.
The daemon, ``unscroll sample``, ``unscroll categories test`` and the ActivityWatch import
all go through ``examine`` (``observe`` is its observation), so what a command shows is
what the daemon stores. Pure: no desktop, no store.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.core.settings import TrackingSettings
from monitor.tracking.categories import RuleMatch, Rules
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.privacy import EXCLUDED_TITLE, clean_title, is_private_window, storable_title
from monitor.tracking.spans import Observation

APP_LIMIT = 200
"""The longest process name stored (a longer one is cut in its middle, keeping its end)."""
EXCLUDE_SCAN_CHARS = 100_000
"""``tracking.exclude_titles`` patterns see this much of a title (all of any real one)."""


@dataclass(frozen=True)
class Examined:
    """What the observe step decided about one window, and why."""

    observation: Observation
    """What is stored: app, title (None when not kept), category and name."""
    title: str | None
    """The cleaned (and, when long, cut) title the rules classified, kept or not."""
    match: RuleMatch | None
    """The rule that decided the category, and what it matched; None for uncategorized."""
    private: bool
    """The title shows a private or incognito browser window."""


def _name(rules: Rules, app: str, title: str | None, kept: str | None, private: bool) -> str:
    """The display name: the rule's, unless it came from a title that is not kept."""
    classification = rules.classify(app, title)
    if private:
        return f"{app} (private window)"  # the category counts; the site's name would tell too much
    if classification.rule is None:
        return kept or app
    if kept is None or kept == EXCLUDED_TITLE:
        # a name found in the title ("Facebook") is kept only with the title
        found = rules.explain(app, title)
        return (kept or app) if found is not None and found.from_title else classification.name
    return classification.name


def examine(window: ActiveWindow, rules: Rules, tracking: TrackingSettings) -> Examined:
    """Clean, guard and classify one window: what would be stored, and the rule that decided."""
    app = clean_title(window.app, limit=APP_LIMIT) or "unknown"
    title = clean_title(window.title)
    # privacy and exclusions are decided on the whole cleaned title (and the raw one, in
    # case cleaning hid a marker), not on the cut one
    whole = clean_title(window.title, limit=EXCLUDE_SCAN_CHARS)
    private = is_private_window(window.title) or is_private_window(whole)
    kept = None if private else storable_title(whole, store_titles=tracking.store_titles,
                                                exclude=tracking.exclude_titles)
    if kept == whole:
        kept = title
    classification = rules.classify(app, title)
    observation = Observation(app=app, title=kept, category=classification.category,
                              name=_name(rules, app, title, kept, private))
    return Examined(observation, title, rules.explain(app, title), private)


def observe(window: ActiveWindow | None, rules: Rules, tracking: TrackingSettings) -> Observation | None:
    """Classify a window and keep only what the privacy settings allow to be stored."""
    return None if window is None else examine(window, rules, tracking).observation


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
