"""The doorway wired into the daemon: its hooks into the desktop, notices and people.

``DoorwayJob.check`` runs after each sample on the sampling thread. It passes on the
focused window's category and handle to ``monitor.doorway.Doorway``, and never lets a
failure there end the sample (it is logged once and the doorway tries again next sample).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.core.settings import Settings
from monitor.core.vocabulary import DOORWAY
from monitor.doorway.doorway import Doorway, DoorwayHooks
from monitor.doorway.view import DoorwayPerson
from monitor.nudge.notice import Notice
from monitor.nudge.notify import Notifier
from monitor.store.database import Store
from monitor.tracking.sampler import Sampler

if TYPE_CHECKING:
    from monitor.people.connect import PersonActions

log = logging.getLogger(__name__)

PEOPLE_OFFERED = 3
"""How many people the doorway can cycle through with "Someone else"."""


class DoorwayJob:
    """The daemon's doorway: built once, checked after each sample, closed with the daemon."""

    def __init__(self, database: Path, sampler: Sampler, notifier: Notifier,
                 people: Callable[[], PersonActions], settings: Callable[[], Settings],
                 clock: Callable[[], float]) -> None:
        """Use ``sampler`` to minimise, ``notifier`` to announce, ``people()`` to reach out.

        The people wing is loaded at the first doorway that names someone, not at start.
        """
        self._settings = settings
        self._notifier = notifier
        self._people = people
        hooks = DoorwayHooks(minimise=sampler.minimise, announce=self._announce,
                             pick_people=self._pick_people, reached_out=self._reached_out)
        self.doorway = Doorway(database, hooks, clock)
        self._failing = False

    def check(self, store: Store, settings: Settings, now: float, zone: tzinfo,
              category: str | None, handle: str | None) -> None:
        """Let the doorway see one sample; a failure is logged once, never raised."""
        try:
            self.doorway.check(store, settings, now, zone, category, handle)
        except Exception:
            if not self._failing:
                log.exception("the doorway failed; trying again next sample")
                self._failing = True
            return
        self._failing = False

    def _announce(self, summary: str, body: str) -> None:
        self._notifier.send(Notice(kind=DOORWAY, category=None, used_s=0.0, title=summary, body=body))

    def _pick_people(self, store: Store, now: float, turn: int, day_start: float) -> list[DoorwayPerson]:
        from monitor.people.offer import offer_people  # noqa: PLC0415 - loaded on the first doorway

        gap = self._settings().prompts.suggest_gap.total_seconds()
        offers = offer_people(store, now, gap_s=gap, limit=PEOPLE_OFFERED, turn=turn, day_start=day_start)
        return [DoorwayPerson(o.person_id, o.name, o.label, o.why, o.occasion) for o in offers]

    def _reached_out(self, person_id: int) -> None:
        actions = self._people()
        actions.open_contact(person_id)
        actions.reached_out(person_id, note="from the doorway")

    @property
    def unavailable(self) -> str | None:
        """Why the last doorway could not be shown, or None."""
        return self.doorway.unavailable

    def close(self) -> None:
        """End a doorway window that is still up."""
        self.doorway.close()
