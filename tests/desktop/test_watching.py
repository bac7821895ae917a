"""Watching is not away, on the real desktop: real mpv with Debian's mpv-mpris on the session bus.

Xvfb + openbox + a private session bus (the ``desktop`` fixture), the real daemon
sampling every second with ``idle_after = "5s"`` and no input at all:

- the focused mpv window (``--vo=x11``, a generated clip) keeps counting past
  ``idle_after``, as watching; ``playerctl pause`` ends it within one sample, and
  ``today --json`` shows the watching seconds within one sample of what was played;
- background music from a second player (no window) while an editor is focused does not
  keep the editor counting;
- ``unscroll sample`` lists the players and says the focused mpv window is watching;
- the MPRIS source's bad cases: a player that vanishes mid-song, a session bus that
  restarts, no session bus;
- idle inhibitors count only where they name the focused app (logind's and GNOME's,
  served by stand-ins on real buses: those services cannot run here).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.core.paths import Paths
from monitor.store.database import Store
from monitor.tracking.media.base import PLAYING
from monitor.tracking.media.focus import playback_for
from monitor.tracking.media.inhibitors import LinuxInhibitors
from monitor.tracking.media.mpris import MprisSource
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.dbus_sync import SessionBus
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.harness import START_TIMEOUT, Desktop, require_programs, stop_process
from tests.helpers import wait_until

INTERVAL = 1.0
IDLE_AFTER = 5.0
TOLERANCE = INTERVAL + 0.5  # one sample interval, plus the bus's and playerctl's own latency
CLIP = "av://lavfi:testsrc=size=320x240:rate=10"
MUSIC = "av://lavfi:sine=frequency=440"
EDITOR = "unscroll-editor"


@pytest.fixture(scope="module", autouse=True)
def _players_installed() -> None:
    require_programs({"mpv": "mpv", "playerctl": "playerctl"})
    if not Path("/etc/mpv/scripts/mpris.so").exists():
        pytest.fail("the desktop tests need Debian's mpv-mpris (/etc/mpv/scripts/mpris.so); "
                    "install it with: sudo apt-get install mpv-mpris", pytrace=False)


@contextlib.contextmanager
def player(desktop: Desktop, source: str, *, title: str | None = None,
           env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """A real mpv playing ``source`` in a loop (a window when ``title`` is given), its MPRIS player up."""
    # --stop-screensaver=no: mpv would otherwise call XResetScreenSaver every 10 s while it
    # plays, which X reports as input (browsers ask over D-Bus instead); with it the idle
    # counter says what the person did, which is what these tests are about
    args = ["mpv", "--ao=null", "--loop=inf", "--really-quiet", "--stop-screensaver=no"]
    args += [f"--title={title}", "--force-media-title=clip", "--vo=x11"] if title else ["--no-video"]
    log = (desktop.workdir / "mpv.log").open("ab")
    process = subprocess.Popen([*args, source], env=env or desktop.env, stdin=subprocess.DEVNULL,
                               stdout=log, stderr=log, start_new_session=True)
    log.close()
    try:
        if env is None:
            wait_until(lambda: mpris_name(desktop, process.pid), timeout=START_TIMEOUT,
                       message="mpv's MPRIS player on the bus")
        yield process
    finally:
        stop_process(process)


def mpris_name(desktop: Desktop, pid: int) -> str | None:
    """The playerctl name of the MPRIS player run by process ``pid``."""
    for name in desktop.run("playerctl", "-l", check=False).split():
        if desktop.bus_name_owner_pid(f"org.mpris.MediaPlayer2.{name}") == pid:
            return name
    return None


def window_of(desktop: Desktop, pid: int) -> int:
    def found() -> int | None:
        ids = desktop.run("xdotool", "search", "--onlyvisible", "--pid", str(pid), check=False).split()
        return int(ids[0]) if ids else None
    window_id = wait_until(found, timeout=START_TIMEOUT, message="mpv's window")
    assert window_id is not None
    return window_id


def hold_input(desktop: Desktop, seconds: float) -> None:
    """A person at the keys for ``seconds`` (the pointer moved every 0.3 s), then gone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        desktop.touch_input()
        time.sleep(0.3)
    desktop.touch_input()


@contextlib.contextmanager
def at_the_keys(desktop: Desktop) -> Iterator[None]:
    """A person at the keys while the block runs (the pointer moved every 0.3 s on a thread).

    The shared X server may have had no input for longer than ``idle_after`` before a test
    (earlier tests leave it alone): a daemon started then would rightly count the playing
    window as watched at once. The person is there from before the daemon starts.
    """
    stop = threading.Event()

    def touch() -> None:
        while not stop.is_set():
            desktop.touch_input()
            stop.wait(0.3)

    toucher = threading.Thread(target=touch, daemon=True)
    desktop.touch_input()
    toucher.start()
    try:
        yield
    finally:
        stop.set()
        toucher.join(5)


def spans(paths: Paths, app: str) -> list[tuple[float, float, int]]:
    """(start, end, watching) of the spans stored for ``app``."""
    with Store(paths.database) as store:
        rows = store.connection.execute(
            "SELECT start_utc, end_utc, watching FROM spans WHERE app = ? ORDER BY start_utc", (app,))
        return [(float(start), float(end), int(watching)) for start, end, watching in rows]


def every_span(paths: Paths) -> list[tuple[str, str, float, float, int]]:
    """Every stored span, for a failure's message."""
    with Store(paths.database) as store:
        rows = store.connection.execute(
            "SELECT app, title, start_utc, end_utc, watching FROM spans ORDER BY start_utc")
        return [tuple(row) for row in rows]


@pytest.fixture
def daemon(desktop: Desktop, tmp_path: Path) -> Iterator[DaemonProcess]:
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, f'[tracking]\nsample_every = "{INTERVAL:g}s"\nidle_after = "{IDLE_AFTER:g}s"\n')
    process = DaemonProcess(desktop.env, paths)
    yield process
    process.stop()


def test_the_focused_video_counts_as_watching_until_paused(desktop, daemon):
    with player(desktop, CLIP, title="unscroll-watch clip - mpv") as mpv:
        desktop.focus(window_of(desktop, mpv.pid))
        with at_the_keys(desktop):
            daemon.start()
        hold_input(desktop, 2.0)
        last_input = time.time()  # no input from here on
        past_idle = last_input + IDLE_AFTER + 3
        wait_until(lambda: any(w and end >= past_idle for _, end, w in spans(daemon.paths, "mpv")),
                   timeout=IDLE_AFTER + 10, message="mpv to count past idle_after, as watching")
        sample = daemon.cli("sample")
        assert "watching: yes" in sample.stdout
        assert "Playing" in sample.stdout
        assert "the focused window's" in sample.stdout
        desktop.run("playerctl", "-p", mpris_name(desktop, mpv.pid) or "mpv", "pause")
        paused_at = time.time()
        wait_until(lambda: (daemon.heartbeat(after=paused_at + INTERVAL) or {}).get("status") == "idle",
                   timeout=5, message="the daemon to see the pause")
        stored = spans(daemon.paths, "mpv")
    watched = [(start, end) for start, end, watching in stored if watching]
    assert len(watched) == 1, (last_input, every_span(daemon.paths), daemon.stderr()[-2000:])
    start, end = watched[0]
    assert start == pytest.approx(last_input, abs=0.5)  # watching from the last input on
    assert any(not watching and stop == start for _, stop, watching in stored)  # attended before it
    assert end == pytest.approx(paused_at, abs=TOLERANCE)  # ended at the pause, within one sample
    assert all(stop <= last_input + 0.5 for _, stop, watching in stored if not watching)
    [item] = [item for item in daemon.today()["items"] if item["app"] == "mpv"]
    assert item["watching_seconds"] == pytest.approx(paused_at - last_input, abs=TOLERANCE)
    [video] = [c for c in daemon.today()["categories"] if c["name"] == item["category"]]
    assert video["watching_seconds"] == item["watching_seconds"]


def test_background_music_does_not_keep_the_editor_counting(desktop, daemon):
    editor = desktop.open_window("unscroll-watch notes.md", process_name=EDITOR)
    with player(desktop, MUSIC) as music:
        status = desktop.run("playerctl", "-p", mpris_name(desktop, music.pid) or "mpv", "status")
        assert status.strip() == PLAYING
        desktop.focus(editor)
        with at_the_keys(desktop):
            daemon.start()
        hold_input(desktop, 2.0)
        last_input = time.time()
        started = time.monotonic()
        after = last_input + IDLE_AFTER + 2 * INTERVAL
        wait_until(lambda: (daemon.heartbeat(after=after) or {}).get("status") == "idle",
                   timeout=IDLE_AFTER + 10, message="the daemon to find nobody there")
        assert time.monotonic() - started >= IDLE_AFTER
    stored = spans(daemon.paths, EDITOR)
    assert stored
    assert not any(watching for _, _, watching in stored)
    assert max(end for _, end, _ in stored) <= last_input + 0.5


def test_signals_keep_players_current_without_polling(desktop):
    source = MprisSource(desktop.bus_address)
    try:
        with player(desktop, MUSIC) as music:
            [seen] = [p for p in source.players() if p.pid == music.pid]
            assert seen.status == PLAYING
            calls: list[tuple] = []
            bus = source._bus
            assert bus is not None
            real_call = bus.call
            bus.call = lambda *args, **kwargs: calls.append(args) or real_call(*args, **kwargs)
            for _ in range(20):
                source.players()
            desktop.run("playerctl", "-p", mpris_name(desktop, music.pid) or "mpv", "pause")
            paused_at = time.time()
            [paused] = wait_until(lambda: [p for p in source.players() if p.pid == music.pid
                                           and not p.playing], timeout=5, message="PropertiesChanged: Paused")
            assert paused.changed_at == pytest.approx(paused_at, abs=0.5)
            assert calls == []  # twenty looks and a pause: not one call on the bus
    finally:
        source.close()


def test_a_player_that_vanishes_mid_song_stops_at_that_moment(desktop):
    source = MprisSource(desktop.bus_address)
    try:
        with player(desktop, MUSIC) as music:
            [seen] = [p for p in source.players() if p.pid == music.pid]
            assert seen.status == PLAYING
            music.kill()
            killed_at = time.time()
            music.wait()
            gone = wait_until(lambda: [p for p in source.players() if p.pid == music.pid and p.gone],
                              timeout=5, message="the player to be gone")
        assert gone[0].changed_at == pytest.approx(killed_at, abs=0.5)
        assert not gone[0].playing
    finally:
        source.close()


BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={path}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*"/><allow receive_type="*"/><allow own="*"/></policy>
</busconfig>
"""


def start_bus(config: Path, socket: Path) -> subprocess.Popen[bytes]:
    socket.unlink(missing_ok=True)
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_until(socket.exists, timeout=START_TIMEOUT, message="the restarted bus")
    return bus


def test_a_bus_that_restarts_stops_every_player_then_sees_the_new_ones(desktop, tmp_path):
    socket = tmp_path / "bus"
    config = tmp_path / "bus.conf"
    config.write_text(BUS_CONFIG.format(path=socket))
    address = f"unix:path={socket}"
    env = {**desktop.env, "DBUS_SESSION_BUS_ADDRESS": address}
    bus = start_bus(config, socket)
    source = MprisSource(address, retry_every=0.2)
    try:
        with player(desktop, MUSIC, env=env) as first:
            wait_until(lambda: [p for p in source.players() if p.pid == first.pid and p.playing], timeout=10,
                       message="the player on the private bus")
            stop_process(bus)
            lost_at = time.time()
            gone = wait_until(lambda: [p for p in source.players() if p.pid == first.pid and p.gone],
                              timeout=5, message="the players to be gone with the bus")
            assert gone[0].changed_at == pytest.approx(lost_at, abs=1.0)
        bus = start_bus(config, socket)
        with player(desktop, MUSIC, env=env) as second:
            wait_until(lambda: [p for p in source.players() if p.pid == second.pid and p.playing], timeout=10,
                       message="the new player once the bus is back")
            assert source.problem is None
    finally:
        source.close()
        stop_process(bus)


def test_no_session_bus_sees_no_player_and_says_why(tmp_path):
    source = MprisSource(f"unix:path={tmp_path / 'no-bus'}")
    try:
        assert source.players() == ()
        assert source.problem is not None
        assert "no media players can be seen" in source.problem
    finally:
        source.close()


def test_sample_without_a_session_bus_says_so_in_one_line(desktop, tmp_path):
    env = {k: v for k, v in desktop.env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(UNSCROLL_CONFIG=str(tmp_path / "config.toml"), UNSCROLL_DATA_DIR=str(tmp_path / "data"),
               HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "monitor", "sample"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if "players:" in line]
    assert "no media players can be seen" in line
    assert "Traceback" not in done.stderr


@contextlib.contextmanager
def inhibitor_server(desktop: Desktop, kind: str, pid: int, app: str, address: str) -> Iterator[None]:
    """The stand-in for logind or GNOME's session manager (inhibitor_server.py) on ``address``."""
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("inhibitor_server.py")), kind,
                               str(pid), app], env={**desktop.env, "DBUS_SESSION_BUS_ADDRESS": address},
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == b"ready"
        yield
    finally:
        stop_process(server)


def test_idle_inhibitors_count_only_where_they_name_the_focused_app(desktop, tmp_path):
    editor = desktop.open_window("unscroll-watch slides", process_name="unscroll-slides")
    totem = desktop.open_window("unscroll-watch film", process_name="totem")
    other = desktop.open_window("unscroll-watch notes", process_name=EDITOR)
    socket = tmp_path / "system-bus"
    config = tmp_path / "system-bus.conf"
    config.write_text(BUS_CONFIG.format(path=socket))
    system = start_bus(config, socket)
    session = SessionBus(desktop.bus_address)
    inhibitors = LinuxInhibitors(lambda: session, system_address=f"unix:path={socket}", cache_seconds=0)
    try:
        with inhibitor_server(desktop, "logind", editor.pid, "", f"unix:path={socket}"), \
                inhibitor_server(desktop, "gnome", 0, "org.gnome.Totem", desktop.bus_address):
            found = inhibitors.read()
            assert {(i.who, i.pid) for i in found} == {("video player", editor.pid),
                                                       ("org.gnome.Totem", None)}
            ask = inhibitors.read
            assert playback_for(ActiveWindow("unscroll-slides", "slides", editor.pid), [], ask).playing
            assert playback_for(ActiveWindow("totem", "film", totem.pid), [], ask).playing
            assert not playback_for(ActiveWindow(EDITOR, "notes", other.pid), [], ask).playing
    finally:
        inhibitors.close()
        session.close()
        stop_process(system)
    assert inhibitors.read() == ()  # the services are gone: nothing inhibits, nothing raised
    inhibitors.close()
