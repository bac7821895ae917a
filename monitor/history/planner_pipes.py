"""The planning process's answers, read by a thread as they come, so that it can plan ahead.

The planner writes each week's rows to its standard output framed (a kind byte and a
length, then the body). A pipe holds only some kilobytes, while a week of rows is hundreds:
were the answers read by the importing thread itself, once it needed the next week, the
planner could be at most one week ahead, stopped on a full pipe while a slow week was being
stored. A thread reads each answer as soon as it is written, up to ``ANSWERS_AHEAD`` not yet
taken: then the planner waits, so a planner faster than the store does not fill this
process's memory with weeks. The thread spends its time blocked in the operating system,
without Python's lock.
"""

from __future__ import annotations

import contextlib
import queue
import struct
import threading
import time
from typing import IO

HEADER = struct.Struct("<cI")
"""Each answer: its kind, the length of what follows."""
ANSWERS_AHEAD = 4
"""Answers read and not yet taken, at most: then the child waits (a week of rows is ~0.7 MB)."""
_STEP_S = 0.05
"""How often a closing importer looks whether the reading thread has ended."""


def write_message(out: IO[bytes], kind: bytes, body: bytes) -> None:
    """Write one answer (the child's side): its kind, its length, then ``body``."""
    out.write(HEADER.pack(kind, len(body)))
    out.write(body)
    out.flush()


class Answers:
    """A child's answers on ``pipe``, read ahead by a thread of their own."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self._queue: queue.Queue[tuple[bytes, bytes] | None] = queue.Queue(ANSWERS_AHEAD)
        self._reader = threading.Thread(target=_read_answers, args=(pipe, self._queue),
                                        name="planner-answers", daemon=True)
        self._reader.start()

    def next(self) -> tuple[bytes, bytes] | None:
        """The next answer's kind and body, waited for (None: the child ended, or closed its output)."""
        return self._queue.get()

    def ready(self) -> bool:
        """Whether ``next`` would answer at once (an answer has come, or the child has ended)."""
        return not self._queue.empty()

    def join(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the thread, which ends when the child's output does.

        Answers not taken are dropped, so that the thread is not left waiting to queue one.
        """
        deadline = time.monotonic() + timeout
        while self._reader.is_alive() and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                while True:
                    self._queue.get_nowait()
            self._reader.join(_STEP_S)


def _read_answers(pipe: IO[bytes], answers: queue.Queue[tuple[bytes, bytes] | None]) -> None:
    """The reading thread: queue each whole answer from ``pipe``, then None once it ends."""
    with contextlib.suppress(OSError, ValueError):
        while len(header := pipe.read(HEADER.size)) == HEADER.size:
            kind, size = HEADER.unpack(header)
            body = pipe.read(size)
            if len(body) != size:
                break
            answers.put((kind, body))
    answers.put(None)
