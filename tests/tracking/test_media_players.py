"""Which player belongs to the focused window, and the backends' bookkeeping.

Process relations are checked on real processes (this test's children). The Windows
(GSMTC) and macOS (CoreAudio) backends run against fakes of their system calls, named
so: those systems cannot run here.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.media.base import PAUSED, PLAYING, STOPPED, IdleInhibitor, Player, PlayerBook
from monitor.tracking.media.coreaudio import CoreAudioSource
from monitor.tracking.media.focus import belongs_to, playback_for, related_processes
from monitor.tracking.media.gsmtc import GsmtcSource, sessions_reader
from monitor.tracking.media.look import look_at_media
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.sampler import Sampler
from monitor.tracking.spans import Playback


@pytest.fixture
def family():
    """A child process that has a child of its own, and a sibling: real pids."""
    wait = "import sys; sys.stdin.read()"
    script = f"import subprocess, sys; c = subprocess.Popen([sys.executable, '-c', {wait!r}], " \
             "stdin=subprocess.PIPE); print(c.pid, flush=True); sys.stdin.read()"
    parent = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    sibling = subprocess.Popen([sys.executable, "-c", wait], stdin=subprocess.PIPE)
    assert parent.stdout is not None
    grandchild = int(parent.stdout.readline())
    yield parent.pid, grandchild, sibling.pid
    for process in (parent, sibling):
        process.kill()
        process.wait()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc (elsewhere psutil answers)")
def test_parent_and_child_are_related_siblings_are_not(family):
    parent, child, sibling = family
    assert related_processes(parent, child)
    assert related_processes(child, parent)
    assert related_processes(os.getpid(), child)  # grandparent, two generations
    assert related_processes(child, child)
    assert not related_processes(child, sibling)
    assert not related_processes(parent, sibling)
    assert not related_processes(1, child)  # init is everyone's ancestor: never counted
    assert not related_processes(0, child)


def window(pid: int | None = 100, app: str = "firefox") -> ActiveWindow:
    return ActiveWindow(app, "a video — Mozilla Firefox", pid)


def player(name: str, pid: int | None, status: str, changed_at: float = 5.0, *, app: str | None = None,
           gone: bool = False) -> Player:
    return Player(name=name, pid=pid, status=status, changed_at=changed_at, app=app, gone=gone)


def same_pid(first: int, second: int) -> bool:
    return first == second


def test_two_players_only_the_focused_windows_counts():
    browser = player("org.mpris.MediaPlayer2.firefox.instance_1_7", 100, PAUSED, 40.0)
    music = player("org.mpris.MediaPlayer2.spotify", 200, PLAYING)
    assert playback_for(window(), [browser, music], related=same_pid) == Playback(False, stopped_at=40.0)
    playing_browser = player(browser.name, 100, PLAYING)
    assert playback_for(window(), [playing_browser, music], related=same_pid) == Playback(True)
    assert playback_for(window(pid=300, app="code"), [playing_browser, music],
                        related=same_pid) == Playback(False)


def test_a_gone_player_stops_watching_when_it_went():
    gone = player("org.mpris.MediaPlayer2.mpv", 100, PLAYING, 77.0, gone=True)
    assert playback_for(window(), [gone], related=same_pid) == Playback(False, stopped_at=77.0)


def test_inhibitors_count_only_when_they_name_the_focused_app():
    asked: list[str] = []

    def inhibitors() -> list[IdleInhibitor]:
        asked.append("asked")
        return [IdleInhibitor("Firefox", None, "video playing"), IdleInhibitor("totem", 555, "")]

    assert playback_for(window(), [], inhibitors, related=same_pid) == Playback(True)
    assert playback_for(window(pid=555, app="totem"), [], inhibitors, related=same_pid) == Playback(True)
    assert playback_for(window(pid=9, app="code"), [], inhibitors, related=same_pid) == Playback(False)
    asked.clear()
    playing = player("org.mpris.MediaPlayer2.firefox", 100, PLAYING)
    assert playback_for(window(), [playing], inhibitors, related=same_pid) == Playback(True)
    assert asked == []  # a playing player is enough: the inhibitors are not asked


def test_the_book_times_status_changes_and_keeps_gone_players_a_while():
    book = PlayerBook()
    book.set(":1.5", 10.0, name="org.mpris.MediaPlayer2.mpv", status=PLAYING)
    book.set(":1.5", 12.0, pid=42, title="clip")  # no status change: the time stays
    [seen] = book.snapshot(12.0)
    assert (seen.pid, seen.status, seen.changed_at, seen.title) == (42, PLAYING, 10.0, "clip")
    book.set(":1.5", 15.0, status=PAUSED)
    assert book.snapshot(15.0)[0].changed_at == 15.0
    book.drop(":1.5", 20.0)
    book.set(":1.5", 21.0, status=PLAYING, create=False)  # a late signal does not bring it back
    [gone] = book.snapshot(21.0)
    assert gone.gone
    assert gone.changed_at == 20.0
    assert not gone.playing
    assert book.snapshot(20.0 + 121.0) == ()


def test_windows_sessions_match_the_foreground_process_by_app_id_fake_gsmtc():
    """A fake of the GSMTC session manager: (app user model id, playback status number)."""
    sessions = [("Chrome", 4), ("Spotify.exe", 5)]
    clock = iter(range(100, 200))
    source = GsmtcSource(lambda: sessions_reader(lambda: list(sessions)), clock=lambda: float(next(clock)))
    players = source.players()
    assert {(p.name, p.status, p.pid) for p in players} == {("Chrome", PLAYING, None),
                                                            ("Spotify.exe", PAUSED, None)}
    chrome = ActiveWindow("chrome.exe", "YouTube - Google Chrome", 4321)
    editor = ActiveWindow("Code.exe", "notes", 99)
    assert playback_for(chrome, players).playing
    assert not playback_for(editor, players).playing
    sessions[0] = ("Chrome", 5)  # paused in the browser
    later = source.players()
    assert playback_for(chrome, later) == Playback(False, stopped_at=101.0)
    sessions.clear()
    assert all(p.gone for p in source.players())


def test_windows_without_pywinrt_says_so_once_fake_gsmtc(caplog):
    def missing():
        raise PlatformUnavailable("the Windows media sessions cannot be read without PyWinRT")

    source = GsmtcSource(missing, clock=lambda: 1.0)
    with caplog.at_level(logging.WARNING):
        assert source.players() == ()
        assert source.players() == ()
    assert source.problem is not None
    assert "PyWinRT" in source.problem
    assert len([r for r in caplog.records if "PyWinRT" in r.getMessage()]) == 1


class FakeCoreAudio:
    """A fake of CoreAudio's per-process output: (pid, sending sound now)."""

    def __init__(self) -> None:
        self.running: list[tuple[int, bool]] = []

    def processes(self) -> list[tuple[int, bool]]:
        return list(self.running)


def test_macos_the_frontmost_app_playing_sound_is_watching_fake_coreaudio():
    audio = FakeCoreAudio()
    clock = iter(range(10, 100))
    source = CoreAudioSource(lambda: audio, clock=lambda: float(next(clock)))
    safari = ActiveWindow("Safari", "YouTube", 500)
    audio.running = [(500, True), (600, True)]
    assert playback_for(safari, source.players(), related=same_pid).playing
    audio.running = [(500, False), (600, True)]  # paused in Safari; music goes on in another app
    assert playback_for(safari, source.players(), related=same_pid) == Playback(False, stopped_at=11.0)
    assert source.name == "coreaudio"
    assert source.inhibitors() == ()


class BrokenSource:
    name = "broken"
    problem = None

    def players(self) -> tuple[Player, ...]:
        raise RuntimeError("a bug in a backend")

    def inhibitors(self) -> tuple[IdleInhibitor, ...]:
        return ()

    def close(self) -> None:
        pass


def test_a_failing_media_backend_counts_as_nothing_playing_logged_once(caplog):
    sampler = Sampler(lambda: None, media_opener=BrokenSource)  # type: ignore[arg-type, return-value]
    with caplog.at_level(logging.ERROR):
        assert sampler.playback(window()) == Playback(False)
        assert sampler.playback(window()) == Playback(False)
    assert len([r for r in caplog.records if "media players failed" in r.getMessage()]) == 1
    assert sampler.playback(None) == Playback(False)


def test_sample_look_lists_players_and_marks_the_focused_windows():
    class Fixed(BrokenSource):
        name = "fake"

        def players(self) -> tuple[Player, ...]:
            return (player("org.mpris.MediaPlayer2.mpv", os.getpid(), PLAYING),
                    player("org.mpris.MediaPlayer2.music", 1, STOPPED),
                    player("org.mpris.MediaPlayer2.old", os.getpid(), STOPPED, gone=True))

    look = look_at_media(window(pid=os.getpid(), app="mpv"), Fixed)
    assert look.watching
    assert [(p.name, mine) for p, mine in look.players] == [("org.mpris.MediaPlayer2.mpv", True),
                                                           ("org.mpris.MediaPlayer2.music", False)]
    assert look.as_json()["players"][0]["focused_window"] is True
    assert "the focused window's" in look.lines()[0]
    assert belongs_to(look.players[0][0], window(pid=os.getpid()))
