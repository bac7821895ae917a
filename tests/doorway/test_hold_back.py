"""The experiment at the doorway: a doorway held back is recorded as if shown, and no window starts.

The doorway runs on a real SQLite store with a seeded draw in the data folder. Its runner is
the real one, pointed at an interpreter that does not exist: a doorway that is shown tries
to start its window and is recorded "unavailable" at once; one held back never tries (the
window itself on a real desktop: tests/desktop/test_hold_back.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.core.vocabulary import DOORWAY
from monitor.doorway.doorway import UNAVAILABLE, Doorway, DoorwayHooks
from monitor.doorway.runner import DoorwayRunner
from monitor.effect.draw import replay, write_state
from monitor.store.database import Store
from monitor.store.prompts import prompts_of_day
from tests.reports_fixtures import make_settings

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC).timestamp()
SEED = "doorway-seed"
CONFIG = """
[doorway]
when = "always"
after_away = "1m"
[experiment]
hold_back = 0.5
"""


def test_held_back_doorways_are_recorded_and_never_opened(user_paths, tmp_path):
    settings = make_settings(user_paths, CONFIG)
    write_state(user_paths.data_dir, SEED, 0)
    now = NOON
    announced: list[tuple[str, str]] = []
    hooks = DoorwayHooks(minimise=lambda handle: None, announce=lambda *words: announced.append(words),
                         pick_people=lambda *args: [], reached_out=lambda person_id: None)
    runner = DoorwayRunner(python=str(tmp_path / "no-such-python"))
    doorway = Doorway(user_paths.database, hooks, clock=lambda: now, runner=runner)
    with Store(user_paths.database) as store:
        for visit in range(12):
            now = NOON + visit * 120
            doorway.check(store, settings, now, UTC, "work", None)
            now += 61
            doorway.check(store, settings, now, UTC, "social", "0x1")  # arriving: the doorway decides
        stored = [p for p in prompts_of_day(store, datetime(2026, 3, 2).date()) if p.kind == DOORWAY]
    assert len(stored) == 12
    flags = [p.held_back for p in stored]
    assert flags == replay(SEED, 0.5, 12)
    assert True in flags
    assert False in flags
    # shown: the window was tried (and could not start); held back: never tried, no answer
    assert [p.action for p in stored] == [None if held else UNAVAILABLE for held in flags]
    assert all(p.category == "social" for p in stored)
    assert announced == []
