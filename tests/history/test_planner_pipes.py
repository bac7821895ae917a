"""The planner's answers: read ahead in order, a child that runs ahead waits, and closing never hangs."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from monitor.history import planner_pipes
from monitor.history.planner_pipes import ANSWERS_AHEAD, Answers

MESSAGES = 12
SIZE = 256 * 1024
_CHILD = f"""
import struct, sys
for number in range({MESSAGES}):
    body = bytes([number]) * {SIZE}
    sys.stdout.buffer.write(struct.pack("<cI", b"R", len(body)) + body)
    sys.stdout.buffer.flush()
"""


@pytest.fixture
def child():
    """A child that writes twelve answers of 256 KB as fast as it can."""
    process = subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE)
    yield process
    process.kill()
    process.wait()


def wait_until(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_child_that_runs_ahead_waits_until_its_answers_are_taken(child):
    answers = Answers(child.stdout)
    assert wait_until(answers._queue.full)
    assert answers._queue.qsize() == ANSWERS_AHEAD
    # four answers queued, one held by the reading thread, a 64 KB pipe: the rest cannot be written
    assert child.poll() is None
    assert [answers.next() for _ in range(MESSAGES)] == [(b"R", bytes([n]) * SIZE) for n in range(MESSAGES)]
    assert answers.next() is None  # the child is done and its output closed
    assert child.wait(30) == 0
    answers.join(5)


def test_closing_with_answers_not_taken_ends_the_thread(child):
    answers = Answers(child.stdout)
    assert wait_until(answers._queue.full)
    child.kill()
    child.wait()
    began = time.monotonic()
    answers.join(planner_pipes._STEP_S * 100)
    assert not answers._reader.is_alive()
    assert time.monotonic() - began < planner_pipes._STEP_S * 100  # not left to wait for the timeout
