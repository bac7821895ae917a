"""``unscroll today --watch``: today's table redrawn in a real terminal (a pty) until Ctrl-C.

The daemon is played by this test: it stores a growing span as a sample would, and the
next picture shows it.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from datetime import datetime

import pytest

from monitor.store.database import Store
from tests.conftest import write_config
from tests.helpers import ctrl_c_as_in_a_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a pty is POSIX's")
# the day starts twelve hours from now: the last twenty minutes are today's whenever this runs
CONFIG = (f'[tracking]\nsample_every = "2s"\n[day]\nstarts_at = "{(datetime.now().hour + 12) % 24:02d}:00"\n'
          '[budgets]\nsocial = "30m"\ntotal = "2h"\n')
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def read_some(fd: int, seen: list[str], wait: float) -> bool:
    """Add what the terminal shows within ``wait`` seconds to ``seen``; False once it is closed."""
    ready, _, _ = select.select([fd], [], [], wait)
    if ready:
        try:
            seen.append(os.read(fd, 65536).decode("utf-8", "replace"))
        except OSError:
            return False
    return True


def read_until(fd: int, wanted: str, seen: list[str], timeout: float = 30.0) -> str:
    """Read the terminal until ``wanted`` appears in what came since the call; return that text."""
    start = len("".join(seen))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        open_ = read_some(fd, seen, 0.2)
        text = ANSI.sub("", "".join(seen)[start:])
        if wanted in text:
            return text
        if not open_:
            break
    shown = ANSI.sub("", "".join(seen))[-2000:]
    raise AssertionError(f"{wanted!r} never appeared; the terminal showed: {shown}")


def wait_reading(process: subprocess.Popen[bytes], fd: int, seen: list[str], timeout: float) -> int | None:
    """The exit code, reading the terminal meanwhile (a full terminal would stop the last picture)."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline and read_some(fd, seen, 0.1):
        pass
    try:
        return process.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return None


def test_watch_redraws_with_the_window_counted_now_until_ctrl_c(user_paths):
    write_config(user_paths, CONFIG)
    now = time.time()
    with Store(user_paths.database) as store, store.transaction():
        span = store.insert_span(now - 18 * 60, now, "firefox", "Facebook — Mozilla Firefox", "social",
                                 "Facebook", "pc")
    master, slave = os.openpty()
    env = {**os.environ, "COLUMNS": "120", "LINES": "40", "TERM": "xterm-256color"}
    process = subprocess.Popen([sys.executable, "-m", "monitor", "today", "--watch"], stdin=slave,
                               stdout=slave, stderr=slave, env=env, close_fds=True,
                               preexec_fn=ctrl_c_as_in_a_terminal)
    os.close(slave)
    seen: list[str] = []
    try:
        first = read_until(master, "Now: Facebook (firefox, social), 18 m so far", seen)
        assert "Today (" in first
        assert "of 2 h 00 m · 1 h 42 m left" in first  # the total budget's time left
        assert "12 m left" in first  # social's
        with Store(user_paths.database) as store, store.transaction():  # a minute more, as samples add it
            store.extend_span(span, time.time() + 60)
        later = read_until(master, "11 m left", seen)
        assert "Now: Facebook (firefox, social), 19 m so far" in later
        process.send_signal(signal.SIGINT)
        assert wait_reading(process, master, seen, timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    assert "Traceback" not in "".join(seen)
    assert "Aborted" not in "".join(seen)


def test_watch_says_when_nothing_is_being_counted(user_paths):
    write_config(user_paths, CONFIG)
    now = time.time()
    with Store(user_paths.database) as store, store.transaction():
        store.insert_span(now - 600, now - 300, "firefox", None, "social", "Facebook", "pc")
    from monitor.core.days import local_zone
    from monitor.core.settings import load_settings
    from reports.cli.today_command import now_words

    with Store(user_paths.database) as store:
        words = now_words(store, load_settings(user_paths), now, local_zone())
    assert words == "Now: nothing counted in the last 5 s (away, paused, or unscroll is not running)"


def test_watch_and_json_do_not_go_together(run):
    code, out, err = run("today", "--watch", "--json")
    assert code == 1
    assert out == ""
    assert err == "unscroll: --watch redraws a table for people; leave out --json (or --watch)\n"
