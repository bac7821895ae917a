"""A D-Bus connection whose bus dies: the next call says so, and nothing else is printed.

dbus-fast keeps a lost connection's error for ``wait_for_disconnect()``; a connection that
nobody asks made asyncio log "Future exception was never retrieved" with a traceback when
it was collected, in the daemon's log and in test runs.
"""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.dbus_sync import SessionBus
from tests.helpers import wait_until

BUS = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")


@pytest.fixture
def bus_daemon(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A private dbus-daemon and its address; killed at the end if the test has not."""
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1",
                               f"--address=unix:path={tmp_path / 'bus'}"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert daemon.stdout is not None
    try:
        yield daemon, daemon.stdout.readline().decode().strip()
    finally:
        daemon.kill()
        daemon.wait(timeout=10)
        daemon.stdout.close()


def test_a_bus_that_dies_is_reported_by_the_next_call_without_a_traceback(bus_daemon, caplog):
    daemon, address = bus_daemon
    caplog.set_level(logging.DEBUG)
    bus = SessionBus(address)
    try:
        [bus_id] = bus.call(*BUS, "GetId")
        assert len(bus_id) == 32
        daemon.kill()
        daemon.wait(timeout=10)
        wait_until(lambda: not bus.connected, timeout=10, message="the connection to notice the bus gone")
        with pytest.raises(PlatformUnavailable, match="D-Bus"):
            bus.call(*BUS, "GetId")  # connecting again fails: the bus is gone
        gc.collect()  # where the lost connection's unasked error used to be logged
    finally:
        bus.close()
    gc.collect()
    assert not [r for r in caplog.records if "never retrieved" in r.getMessage()], caplog.text
    assert "the D-Bus connection ended: EOFError()" in caplog.text


def test_a_program_that_closes_its_bus_and_ends_prints_nothing(bus_daemon):
    _, address = bus_daemon
    # as a CLI command that asks the bus once, closes the connection and ends
    program = ("import gc\nfrom monitor.tracking.platforms.dbus_sync import SessionBus\n"
               f"bus = SessionBus({address!r})\nprint(bus.call(*{BUS!r}, 'GetId')[0])\n"
               "bus.close()\ngc.collect()\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip()) == 32
    assert result.stderr == ""
