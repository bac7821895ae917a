"""Process names on Linux, read from /proc, agree with psutil's (which the other systems use)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from monitor.tracking.platforms.process import app_name, process_name
from tests.helpers import wait_until

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the /proc reading is Linux's")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Callable[..., int]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(program: str, *args: str, argv0: str | None = None) -> int:
        process = subprocess.Popen([argv0 or program, *args], executable=program)
        started.append(process)
        # the kernel renames the child a moment after the exec that Popen waited for
        wait_until(lambda: psutil.Process(process.pid).name() != psutil.Process().name(), timeout=5,
                   message="the child to take its program's name")
        return process.pid

    yield start
    for process in started:
        process.kill()
        process.wait()


def copy_of_sleep(folder: Path, name: str) -> str:
    target = folder / name
    shutil.copy(shutil.which("sleep") or "/bin/sleep", target)
    return str(target)


@pytest.mark.parametrize("name", [
    "short",
    "exactly15chars_",
    "a-name-longer-than-fifteen-characters",
    "name with spaces and ünïcode",
])
def test_names_agree_with_psutil(running, tmp_path, name):
    pid = running(copy_of_sleep(tmp_path, name), "30")
    # just after the exec a busy kernel may show only the 15-character name for a moment
    # (the command line not readable yet): both fall back to it then; the whole name follows
    wait_until(lambda: process_name(pid) == name, timeout=5, message="the program's whole name")
    assert process_name(pid) == psutil.Process(pid).name() == name


def test_a_renamed_first_argument_does_not_rename_a_short_program(running, tmp_path):
    pid = running(copy_of_sleep(tmp_path, "sleeper"), "30", argv0="something-else-entirely")
    assert process_name(pid) == psutil.Process(pid).name() == "sleeper"


def test_a_long_name_keeps_its_kernel_form_when_the_command_line_disagrees(running, tmp_path):
    program = copy_of_sleep(tmp_path, "a-long-program-name-here")
    pid = running(program, "30", argv0="different")
    assert process_name(pid) == psutil.Process(pid).name() == "a-long-program-"


def test_this_process_and_the_gone():
    assert process_name(os.getpid()) == psutil.Process(os.getpid()).name()
    gone = subprocess.Popen(["true"])
    gone.wait()
    assert process_name(gone.pid) is None
    assert process_name(None) is None
    assert process_name(0) is None
    assert app_name(gone.pid, None, "firefox") == "firefox"
    assert app_name(gone.pid) == "unknown"
