"""The planner's pipes: answers come in order, a child that runs ahead waits, and closing never hangs."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from monitor.history import planner_pipes
from monitor.history.planner_pipes import ANSWERS_AHEAD, ChildPipes

MESSAGES = 12
SIZE = 256 * 1024
_CHILD = f"""
import pickle, struct, sys
order = pickle.load(sys.stdin.buffer)
for number in range({MESSAGES}):
    body = bytes([number]) * {SIZE}
    sys.stdout.buffer.write(struct.pack("<cI", order, len(body)) + body)
    sys.stdout.buffer.flush()
"""


@pytest.fixture
def child():
    """A child that answers its one order with twelve answers of 256 KB, as fast as it can write them."""
    process = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
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
    pipes = ChildPipes(child)
    pipes.send(b"R")
    assert wait_until(pipes._answers.full)
    assert pipes._answers.qsize() == ANSWERS_AHEAD
    # four answers queued, one held by the reading thread, a 64 KB pipe: the rest cannot be written
    assert child.poll() is None
    answers = [pipes.answer() for _ in range(MESSAGES)]
    assert answers == [(b"R", bytes([number]) * SIZE) for number in range(MESSAGES)]
    assert pipes.answer() is None  # the child is done and its output closed
    assert child.wait(30) == 0
    pipes.join(5)


def test_closing_with_answers_not_taken_ends_both_threads(child):
    pipes = ChildPipes(child)
    pipes.send(b"R")
    assert wait_until(pipes._answers.full)
    child.kill()
    child.wait()
    began = time.monotonic()
    pipes.join(planner_pipes._STEP_S * 100)
    assert not pipes._reader.is_alive()
    assert not pipes._writer.is_alive()
    assert time.monotonic() - began < planner_pipes._STEP_S * 100  # not left to wait for the timeout
