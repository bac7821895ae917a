"""Watching is not away: with no input, media playing in the focused window keeps it counting.

The pure rule (``advance`` with a ``Playback``), the recorder over a real SQLite file
(watching spans are never cut back to the last input: not by the idle timeout, a stop
or a crash), and the bad cases: paused, a player gone mid-song, a player that says
"Playing" forever (``watching_max``), input coming back, the next video of a playlist.
"""

from __future__ import annotations

import math

import pytest

from monitor.store.database import Store
from monitor.store.spans import category_totals, item_totals
from monitor.tracking.recorder import Recorder
from monitor.tracking.spans import Observation, Playback, Span, advance

VIDEO = Observation("mpv", "clip - mpv", "video", "clip - mpv")
NEXT = Observation("mpv", "next clip - mpv", "video", "next clip - mpv")
EDITOR = Observation("code", "notes.md", "work", "notes.md")
IDLE_AFTER = 5.0
PULSE = 1.5
PLAYING = Playback(True)


def never(_instant: float) -> float:
    return 1e12


def step(current, at, observation, *, last_input, playback=None, watching_max=math.inf, switch_at=None):
    return advance(current, at, observation, idle_seconds=at - last_input, idle_after=IDLE_AFTER, pulse=PULSE,
                   day_end_after=never, playback=playback, watching_max=watching_max, switch_at=switch_at)


def test_playing_with_no_input_watches_from_the_last_input():
    attended = Span(0.0, 6.0, VIDEO)
    result = step(attended, 7.0, VIDEO, last_input=2.0, playback=PLAYING)
    assert result.closed == (Span(0.0, 2.0, VIDEO),)
    assert result.current == Span(2.0, 7.0, VIDEO, watching=True)
    grown = step(result.current, 8.0, VIDEO, last_input=2.0, playback=PLAYING)
    assert grown.closed == ()
    assert grown.current == Span(2.0, 8.0, VIDEO, watching=True)


def test_nothing_playing_is_away_as_before():
    attended = Span(0.0, 6.0, VIDEO)
    result = step(attended, 7.0, VIDEO, last_input=2.0, playback=Playback(False))
    assert result.closed == (Span(0.0, 2.0, VIDEO),)
    assert result.current is None


def test_a_pause_ends_watching_at_the_pause_not_at_the_last_input():
    watched = Span(2.0, 100.0, VIDEO, span_id=7, watching=True)
    result = step(watched, 101.0, VIDEO, last_input=2.0, playback=Playback(False, stopped_at=100.4))
    assert result.closed == (Span(2.0, 100.4, VIDEO, span_id=7, watching=True),)
    assert result.current is None


def test_a_player_gone_without_a_time_ends_watching_at_the_last_sample_that_saw_it():
    watched = Span(2.0, 100.0, VIDEO, watching=True)
    result = step(watched, 101.0, VIDEO, last_input=2.0, playback=Playback(False))
    assert result.closed == (Span(2.0, 100.0, VIDEO, watching=True),)


def test_playing_forever_is_capped_by_watching_max():
    watched = Span(2.0, 100.0, VIDEO, watching=True)
    still = step(watched, 101.0, VIDEO, last_input=2.0, playback=PLAYING, watching_max=60.0)
    assert still.current is None
    assert still.closed == (Span(2.0, 62.0, VIDEO, watching=True),)
    later = step(None, 102.0, VIDEO, last_input=2.0, playback=PLAYING, watching_max=60.0)
    assert later.closed == ()
    assert later.current is None


def test_input_again_ends_watching_at_the_input_and_attention_goes_on():
    watched = Span(2.0, 100.0, VIDEO, watching=True)
    result = step(watched, 101.0, VIDEO, last_input=100.6, playback=None)
    assert result.closed == (Span(2.0, 100.6, VIDEO, watching=True),)
    assert result.current == Span(100.6, 101.0, VIDEO)


def test_the_next_video_of_a_playlist_is_watched_too():
    watched = Span(2.0, 100.0, VIDEO, watching=True)
    result = step(watched, 101.0, NEXT, last_input=2.0, playback=PLAYING, switch_at=100.3)
    assert result.closed == (Span(2.0, 100.3, VIDEO, watching=True),)
    assert result.current == Span(100.3, 101.0, NEXT, watching=True)


def test_focus_moving_away_from_a_watched_window_ends_watching():
    watched = Span(2.0, 100.0, VIDEO, watching=True)
    result = step(watched, 101.0, EDITOR, last_input=2.0, playback=Playback(False))
    assert result.closed == (Span(2.0, 100.0, VIDEO, watching=True),)
    assert result.current is None


def test_a_watched_span_keeps_watching_across_midnight():
    watched = Span(2.0, 49.0, VIDEO, watching=True)
    result = advance(watched, 50.5, VIDEO, idle_seconds=48.5, idle_after=IDLE_AFTER, pulse=PULSE,
                     day_end_after=lambda t: 50.0 if t < 50.0 else 1e12, playback=PLAYING)
    assert result.closed == (Span(2.0, 50.0, VIDEO, watching=True),)
    assert result.current == Span(50.0, 50.5, VIDEO, watching=True)


def stored_rows(store: Store) -> list[tuple[str, float, float, int]]:
    rows = store.connection.execute("SELECT name, start_utc, end_utc, watching FROM spans ORDER BY start_utc")
    return [(str(name), float(start), float(end), int(watching)) for name, start, end, watching in rows]


def play(recorder: Recorder, samples) -> None:
    for at, observation, last_input, playback in samples:
        recorder.record(at, observation, idle_seconds=at - last_input, idle_after=IDLE_AFTER, pulse=PULSE,
                        playback=playback, watching_max=3600.0)


def test_the_recorder_stores_watching_and_never_cuts_it_back(tmp_path):
    """Typing to 10 s, a video playing with no input to 60.2 s (paused then), nobody back."""
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        samples = [(float(t), VIDEO, float(min(t, 10)), None if t - min(t, 10) < IDLE_AFTER else PLAYING)
                   for t in range(0, 61)]
        samples += [(float(t), VIDEO, 10.0, Playback(False, stopped_at=60.2)) for t in range(61, 80)]
        play(recorder, samples)
        recorder.settle()
        assert stored_rows(store) == [("clip - mpv", 0.0, 10.0, 0), ("clip - mpv", 10.0, 60.2, 1)]
        assert item_totals(store, 0, 100)[0].watching_seconds == pytest.approx(50.2)
        assert category_totals(store, 0, 100) == pytest.approx({"video": 60.2})
        assert category_totals(store, 0, 100, count_watching=False) == pytest.approx({"video": 10.0})


def test_background_music_does_not_keep_the_editor_counting(tmp_path):
    """Music plays in another app: the editor's playback says nothing plays, so it is cut back."""
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        samples = [(float(t), EDITOR, float(min(t, 10)), None if t < 15 else Playback(False))
                   for t in range(0, 40)]
        play(recorder, samples)
        assert stored_rows(store) == [("notes.md", 0.0, 10.0, 0)]


def test_a_crash_while_watching_keeps_the_watched_time(tmp_path):
    """The next daemon cuts spans back to the last input: not the watched ones."""
    path = tmp_path / "u.sqlite3"
    with Store(path) as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        play(recorder, [(float(t), VIDEO, 10.0 if t >= 10 else float(t), PLAYING if t >= 15 else None)
                        for t in range(0, 40)])
    with Store(path) as store:  # the daemon died; a new one starts
        Recorder(store, device="test", day_end_after=never).recover(last_input=10.0)
        assert stored_rows(store) == [("clip - mpv", 0.0, 10.0, 0), ("clip - mpv", 10.0, 39.0, 1)]


def test_a_span_begun_after_the_last_input_becomes_all_watching(tmp_path):
    """Focus moved to the player with no input (a program raised it); then it plays."""
    with Store(tmp_path / "u.sqlite3") as store:
        recorder = Recorder(store, device="test", day_end_after=never)
        samples = [(float(t), EDITOR, float(min(t, 10)), None) for t in range(0, 13)]
        samples += [(float(t), VIDEO, 10.0, None if t < 15 else PLAYING) for t in range(13, 30)]
        play(recorder, samples)
        recorder.settle()
        assert stored_rows(store) == [("notes.md", 0.0, 10.0, 0), ("clip - mpv", 12.0, 29.0, 1)]
