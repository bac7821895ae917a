"""Notices nobody saw: listed for ``unscroll status``, summed up once the notification service is back.

A notice that neither the notification service nor the plain fallback took went only to
the log; the prompts table keeps it with delivery ``log``. While such notices of today
wait, ``CatchUp`` looks (at most every ``CATCH_UP_EVERY`` seconds, and at once after a
notice got through) whether a service is there again, and then shows ONE summary,
"While notifications were off: …", marking them as caught up so none is told twice.
Missed notices of an earlier day are only listed, never summed up: they are stale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING

from monitor.core.days import day_of, local_zone
from monitor.core.vocabulary import DELIVERED_LOG
from monitor.nudge.notice import STAYS, Notice
from monitor.store.database import Store
from monitor.store.prompts import StoredPrompt, record_caught_up, undelivered_of_day

if TYPE_CHECKING:  # `unscroll status` reads missed notices without loading the notifier
    from monitor.nudge.notify import Notifier

log = logging.getLogger(__name__)

CATCH_UP_EVERY = 10.0
"""Seconds between looks for the notification service while missed notices wait."""
MAX_LINES = 6
"""The summary lists at most this many notices, then says how many more there were."""
SUMMARY_KIND = "catch-up"
"""The ``kind`` of the summary notice (never stored as a prompt: it repeats stored ones)."""


@dataclass(frozen=True)
class MissedNotice:
    """A notice that reached only the log."""

    prompt_id: int
    at_utc: float
    kind: str
    """``warn``, ``over``, ``repeat``, ``suggestion`` or ``weekly`` (monitor.core.vocabulary)."""
    category: str | None
    title: str
    body: str
    person_id: int | None
    shown_later_at: float | None
    """When it was shown in the "While notifications were off" summary; None: not yet."""


def _missed(prompt: StoredPrompt) -> MissedNotice:
    title, _, body = prompt.message.partition("\n")
    return MissedNotice(prompt.id, prompt.at_utc, prompt.kind, prompt.category, title, body,
                        prompt.person_id, prompt.caught_up_at)


def missed_today(store: Store, now: float, day_starts_at: time,
                 zone: tzinfo | None = None) -> list[MissedNotice]:
    """The notices of the local day of ``now`` that no notification service showed, oldest first.

    ``day_starts_at`` is ``settings.day_starts_at``; ``zone`` the local zone (by default
    the system's). For ``unscroll status``.
    """
    day = day_of(now, day_starts_at, zone or local_zone())
    return [_missed(prompt) for prompt in undelivered_of_day(store, day, DELIVERED_LOG)]


def catch_up_notice(missed: Sequence[MissedNotice], zone: tzinfo) -> Notice:
    """The one summary of ``missed`` (not empty): when each was due, and what it said."""
    count = len(missed)
    lines = [f"{datetime.fromtimestamp(item.at_utc, zone):%H:%M} {item.title}"
             for item in missed[:MAX_LINES]]
    if count > MAX_LINES:
        lines.append(f"… and {count - MAX_LINES} more")
    title = f"While notifications were off: {count} notice{'' if count == 1 else 's'}"
    return Notice(SUMMARY_KIND, None, 0.0, title, "\n".join(lines), timeout_s=STAYS)


class CatchUp:
    """Shows today's missed notices once, in one summary, when a notification service is back."""

    def __init__(self, notifier: Notifier, clock: Callable[[], float]) -> None:
        """Summarise through ``notifier``; ``clock`` stamps the catch-up."""
        self.notifier = notifier
        self.clock = clock
        self._waiting: bool | None = None
        """Whether missed notices wait; None: not known yet (the store is read once)."""
        self._next_look = 0.0

    def missed(self) -> None:
        """A notice just went to the log: look for the service again from now on."""
        self._waiting = True

    def delivered(self) -> None:
        """A notice just got through: the service is there, so sum up at the next chance."""
        if self._waiting:
            self._next_look = 0.0

    def due(self, now: float) -> bool:
        """True when ``run`` should look at ``now``: missed notices may wait, and it is time."""
        return self._waiting is not False and now >= self._next_look

    def run(self, store: Store, day: date, zone: tzinfo, now: float) -> bool:
        """Show the summary if notices of ``day`` wait and a service is there; True if shown."""
        self._next_look = now + CATCH_UP_EVERY
        waiting = [_missed(p) for p in undelivered_of_day(store, day, DELIVERED_LOG, waiting_only=True)]
        if not waiting:
            self._waiting = False
            return False
        self._waiting = True
        if not self.notifier.service_present():
            return False
        delivery = self.notifier.deliver(catch_up_notice(waiting, zone), log_if_unshown=False)
        if delivery.way == DELIVERED_LOG:
            return False
        record_caught_up(store, [item.prompt_id for item in waiting], self.clock())
        self._waiting = False
        log.info("showed the %d notice(s) missed while notifications were off (%s)",
                 len(waiting), delivery.way)
        return True
