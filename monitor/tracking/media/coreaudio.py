"""macOS: which processes are playing sound now, from CoreAudio (macOS 14.2 and later).

CoreAudio lists the processes that use audio (``kAudioHardwarePropertyProcessObjectList``),
each with its pid (``kAudioProcessPropertyPID``) and whether it is sending sound out
right now (``kAudioProcessPropertyIsRunningOutput``): the "device is running" of one
app. A process sending sound counts as a playing player, for the frontmost window of
that process or its parent or child (monitor.tracking.media.focus); when it stops, the
player stops then. ``AudioCalls`` is the ctypes boundary; ``CoreAudioSource`` is tested
against a fake of it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from collections.abc import Callable
from typing import Protocol

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.media.base import PLAYING, STOPPED, Player
from monitor.tracking.media.polled import PolledSource, Read
from monitor.tracking.platforms.process import process_name


def _code(text: str) -> int:
    return int.from_bytes(text.encode("ascii"), "big")


SYSTEM_OBJECT = 1
PROCESS_OBJECT_LIST = _code("prs#")
PROCESS_PID = _code("ppid")
PROCESS_IS_RUNNING_OUTPUT = _code("piro")
SCOPE_GLOBAL = _code("glob")
ELEMENT_MAIN = 0


class AudioCalls(Protocol):
    """The narrow boundary to CoreAudio."""

    def processes(self) -> list[tuple[int, bool]]:
        """Every process using audio: (pid, sending sound out now)."""
        ...


class _Address(ctypes.Structure):
    _fields_ = (("selector", ctypes.c_uint32), ("scope", ctypes.c_uint32), ("element", ctypes.c_uint32))


class CoreAudioCalls:
    """CoreAudio through ctypes (macOS only)."""

    def __init__(self) -> None:
        """Load the CoreAudio framework; PlatformUnavailable when it cannot be."""
        path = ctypes.util.find_library("CoreAudio")
        if path is None:
            raise PlatformUnavailable("CoreAudio is not available on this system")
        self._lib = ctypes.CDLL(path)

    def _read(self, target: int, selector: int, item: type[ctypes.c_uint32] | type[ctypes.c_int32]
              ) -> list[int]:
        address = _Address(selector, SCOPE_GLOBAL, ELEMENT_MAIN)
        size = ctypes.c_uint32(0)
        status = self._lib.AudioObjectGetPropertyDataSize(target, ctypes.byref(address), 0, None,
                                                          ctypes.byref(size))
        if status != 0:
            raise PlatformUnavailable(f"CoreAudio cannot list the processes playing sound (status {status}); "
                                      "this needs macOS 14.2 or later")
        count = size.value // ctypes.sizeof(item)
        values = (item * max(count, 1))()
        status = self._lib.AudioObjectGetPropertyData(target, ctypes.byref(address), 0, None,
                                                      ctypes.byref(size), values)
        if status != 0:
            raise OSError(f"CoreAudio answered status {status}")
        return [int(value) for value in values[:count]]

    def processes(self) -> list[tuple[int, bool]]:
        """Every process using audio: (pid, sending sound out now)."""
        found = []
        for process in self._read(SYSTEM_OBJECT, PROCESS_OBJECT_LIST, ctypes.c_uint32):
            [pid] = self._read(process, PROCESS_PID, ctypes.c_int32)
            [running] = self._read(process, PROCESS_IS_RUNNING_OUTPUT, ctypes.c_uint32)
            found.append((pid, bool(running)))
        return found


def audio_reader(calls: AudioCalls) -> Read:
    """Turn the processes using audio into players, named by process."""
    def read(now: float) -> list[Player]:
        return [Player(name=f"{process_name(pid) or 'process'} (pid {pid})", pid=pid,
                       status=PLAYING if running else STOPPED, changed_at=now)
                for pid, running in calls.processes() if pid > 0]
    return read


class CoreAudioSource(PolledSource):
    """The processes playing sound, from CoreAudio (``open_calls``: the boundary, a fake in tests)."""

    def __init__(self, open_calls: Callable[[], AudioCalls] = CoreAudioCalls, *,
                 clock: Callable[[], float] = time.time) -> None:
        """Ask CoreAudio through the boundary ``open_calls`` makes."""
        super().__init__("coreaudio", lambda: audio_reader(open_calls()), clock=clock)
