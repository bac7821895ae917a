"""``unscroll forget`` while the recorder counts: counting goes on from the moment of the forget.

The daemon and the CLI are two connections to one real SQLite file, as in use: the
recorder's connection stays open while ``forget`` deletes and rebuilds the file.
"""

from __future__ import annotations

import re

import pytest

from monitor.history.forget import Selection, forget
from monitor.store.database import Store
from monitor.tracking.recorder import Recorder
from monitor.tracking.spans import Observation
from tests.store.test_store_faults import failing_commit

FACEBOOK = Observation("firefox", "Facebook — Mozilla Firefox", "social", "Facebook")
EDITOR = Observation("code", "notes.md", "work", "notes.md")
IDLE_AFTER = 180.0
PULSE = 3.0
DAY = (0.0, 86_400.0)
"""The day every sample falls in (the recorder's day boundary is far away)."""


def never(_instant: float) -> float:
    return 1e12


def spans(store: Store) -> list[tuple[int, float, float, str]]:
    return [(int(row[0]), float(row[1]), float(row[2]), str(row[3])) for row in store.connection.execute(
        "SELECT id, start_utc, end_utc, name FROM spans ORDER BY start_utc")]


def sample(recorder: Recorder, at: float, observation: Observation | None,
           last_input: float | None = None) -> None:
    recorder.record(at, observation, idle_seconds=0.0 if last_input is None else at - last_input,
                    idle_after=IDLE_AFTER, pulse=PULSE)


@pytest.fixture
def daemon(tmp_path):
    with Store(tmp_path / "unscroll.sqlite3") as store:
        yield store


def forget_now(daemon: Store, now: float, **selection) -> int:
    """Forget through a second connection, as ``unscroll forget`` does; how many spans went."""
    with Store(daemon.path) as cli:
        return forget(cli, Selection(**selection), now=now).spans


def test_a_forget_covering_now_keeps_the_focused_window_counted_from_then_on(daemon):
    recorder = Recorder(daemon, device="test", day_end_after=never)
    for at in range(1000, 1031, 2):
        sample(recorder, float(at), FACEBOOK)
    assert forget_now(daemon, 1031.5, since_utc=DAY[0], until_utc=DAY[1]) == 1
    assert spans(daemon) == []
    for at in range(1032, 1061, 2):
        sample(recorder, float(at), FACEBOOK)
    [(_, start, end, name)] = spans(daemon)
    assert (start, end, name) == (1031.5, 1060.0, "Facebook")  # the forgotten half stays forgotten


def test_the_next_window_is_counted_whole_after_the_forget(daemon):
    recorder = Recorder(daemon, device="test", day_end_after=never)
    for at in range(1000, 1011, 2):
        sample(recorder, float(at), FACEBOOK)
    forget_now(daemon, 1010.5, app="FIREFOX")
    sample(recorder, 1012.0, FACEBOOK)
    for at in range(1014, 1021, 2):
        sample(recorder, float(at), EDITOR)
    assert [row[1:] for row in spans(daemon)] == [(1010.5, 1012.0, "Facebook"), (1012.0, 1020.0, "notes.md")]


def test_a_forget_of_another_app_leaves_the_growing_span_alone(daemon):
    recorder = Recorder(daemon, device="test", day_end_after=never)
    for at in range(1000, 1011, 2):
        sample(recorder, float(at), FACEBOOK)
    [(span_id, *_)] = spans(daemon)
    assert forget_now(daemon, 1010.5, app="code") == 0
    for at in range(1012, 1021, 2):
        sample(recorder, float(at), FACEBOOK)
    assert spans(daemon) == [(span_id, 1000.0, 1020.0, "Facebook")]


def test_a_new_span_given_the_forgotten_id_is_not_extended_by_the_daemon(daemon):
    """SQLite hands the id of a deleted last row to the next insert: another program's span."""
    recorder = Recorder(daemon, device="test", day_end_after=never)
    for at in range(1000, 1011, 2):
        sample(recorder, float(at), FACEBOOK)
    [(forgotten_id, *_)] = spans(daemon)
    forget_now(daemon, 1010.5, title=re.compile("facebook", re.IGNORECASE))
    with Store(daemon.path) as other, other.transaction():
        taken = other.insert_span(500.0, 600.0, "code", "notes.md", "work", "notes.md", "laptop")
    assert taken == forgotten_id
    for at in range(1012, 1017, 2):
        sample(recorder, float(at), FACEBOOK)
    assert [row[1:] for row in spans(daemon)] == [(500.0, 600.0, "notes.md"), (1010.5, 1016.0, "firefox")]


def test_a_title_forgotten_while_in_focus_is_not_stored_again_until_the_focus_moves(daemon):
    recorder = Recorder(daemon, device="test", day_end_after=never)
    for at in range(1000, 1011, 2):
        sample(recorder, float(at), FACEBOOK)
    forget_now(daemon, 1010.5, title=re.compile("facebook", re.IGNORECASE))
    for at in range(1012, 1021, 2):
        sample(recorder, float(at), FACEBOOK)
    resumed = [tuple(row) for row in daemon.connection.execute(
        "SELECT start_utc, end_utc, app, title, category, name FROM spans")]
    assert resumed == [(1010.5, 1020.0, "firefox", None, "social", "firefox")]  # still counted as social
    for at in range(1022, 1025, 2):
        sample(recorder, float(at), EDITOR)
    for at in range(1026, 1031, 2):
        sample(recorder, float(at), FACEBOOK)  # looked at again later: stored as any window is
    assert [row[1:] for row in spans(daemon)] == [
        (1010.5, 1020.0, "firefox"), (1020.0, 1024.0, "notes.md"), (1024.0, 1030.0, "Facebook")]


def test_a_forget_while_away_then_the_cut_back_fails_nothing(daemon):
    """The forgotten span was provisional (no input since 1004): the cut back must not touch its id."""
    recorder = Recorder(daemon, device="test", day_end_after=never)
    for at in range(1000, 1041, 2):
        sample(recorder, float(at), FACEBOOK, last_input=min(float(at), 1004.0))
    forget_now(daemon, 1040.5, since_utc=DAY[0], until_utc=DAY[1])
    with Store(daemon.path) as other, other.transaction():
        other.insert_span(500.0, 600.0, "code", "notes.md", "work", "notes.md", "laptop")  # takes the id
    for at in range(1042, 1004 + int(IDLE_AFTER) + 4, 2):
        sample(recorder, float(at), FACEBOOK, last_input=1004.0)
    assert not recorder.failing
    assert [row[1:] for row in spans(daemon)] == [(500.0, 600.0, "notes.md")]  # away time is not counted


def test_spans_kept_in_memory_through_failed_writes_do_not_bring_forgotten_time_back(daemon):
    recorder = Recorder(daemon, device="test", day_end_after=never)
    for at in range(100, 111):
        sample(recorder, float(at), FACEBOOK)
    failing_commit(daemon)
    daemon.connection.execute("CREATE TEMP TRIGGER sabotage AFTER INSERT ON main.spans "
                              "BEGIN INSERT INTO child VALUES (7); END")
    for at in range(111, 121):
        sample(recorder, float(at), EDITOR)
        assert recorder.failing
    forget_now(daemon, 120.5, since_utc=DAY[0], until_utc=DAY[1])
    daemon.connection.execute("DROP TRIGGER sabotage")
    sample(recorder, 121.0, EDITOR)
    assert not recorder.failing
    assert [row[1:] for row in spans(daemon)] == [(120.5, 121.0, "notes.md")]
