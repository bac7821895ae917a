"""The pipes to the planning process, each served by a thread, so that neither process waits on the other.

Orders go to the child's standard input pickled; answers come back on its standard output
framed (a kind byte and a length, then the body). A pipe holds only some kilobytes, while a
slice of events or a week of rows is hundreds: were the orders written and the answers read
by the importing thread itself, the child would stop while its answer waited to be read, and
the importer would stop while the child was busy and its order waited to be taken. So a
thread writes the orders as they are queued, and another reads each answer as soon as it is
written, up to ``ANSWERS_AHEAD`` not yet taken (then the child waits: a planner faster than
the store does not fill this process's memory with weeks). Both threads spend their time
blocked in the operating system, without Python's lock.
"""

from __future__ import annotations

import contextlib
import pickle
import queue
import struct
import subprocess
import threading
import time
from typing import IO, Any

HEADER = struct.Struct("<cI")
"""Each answer: its kind, the length of what follows."""
ANSWERS_AHEAD = 4
"""Answers read and not yet taken, at most: then the child waits (a week of rows is ~0.7 MB)."""
_STEP_S = 0.05
"""How often a closing importer looks whether the reading thread has ended."""
_CLOSE = object()
"""Queued after the last order: the child's standard input is then closed."""


def write_message(out: IO[bytes], kind: bytes, body: bytes) -> None:
    """Write one answer (the child's side): its kind, its length, then ``body``."""
    out.write(HEADER.pack(kind, len(body)))
    out.write(body)
    out.flush()


class ChildPipes:
    """Orders to a child process and its answers, each pipe served by a thread of its own."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        if process.stdin is None or process.stdout is None:
            raise OSError("the process has no pipes")
        self._orders: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._answers: queue.Queue[tuple[bytes, bytes] | None] = queue.Queue(ANSWERS_AHEAD)
        self._peeked: tuple[bytes, bytes] | None = None
        self._has_peeked = False
        self._writer = threading.Thread(target=_write_orders, args=(process.stdin, self._orders),
                                        name="planner-orders", daemon=True)
        self._reader = threading.Thread(target=_read_answers, args=(process.stdout, self._answers),
                                        name="planner-answers", daemon=True)
        self._writer.start()
        self._reader.start()

    def send(self, order: Any) -> None:
        """Queue ``order`` to be pickled to the child."""
        self._orders.put(order)

    def end_orders(self) -> None:
        """Close the child's standard input once the orders queued are written."""
        self._orders.put(_CLOSE)

    def answer_waiting(self) -> bool:
        """Whether an answer (or the end of the answers) has come and not been taken."""
        if not self._has_peeked:
            try:
                self._peeked = self._answers.get_nowait()
            except queue.Empty:
                return False
            self._has_peeked = True
        return True

    def answer(self) -> tuple[bytes, bytes] | None:
        """The next answer's kind and body, waited for (None: the child ended, or closed its output)."""
        if self._has_peeked:
            self._has_peeked = False
            return self._peeked
        return self._answers.get()

    def join(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for both threads (they end when the child does).

        Answers not taken are dropped, so that the reading thread is not left waiting to queue one.
        """
        self.end_orders()
        self._writer.join(timeout)
        deadline = time.monotonic() + timeout
        while self._reader.is_alive() and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                while True:
                    self._answers.get_nowait()
            self._reader.join(_STEP_S)


def _write_orders(pipe: IO[bytes], orders: queue.SimpleQueue[Any]) -> None:
    """The writing thread: pickle each order to ``pipe`` until told to close it, or the child is gone."""
    with contextlib.suppress(OSError):
        while (order := orders.get()) is not _CLOSE:
            pickle.dump(order, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.flush()
    with contextlib.suppress(OSError):
        pipe.close()


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
