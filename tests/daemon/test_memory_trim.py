"""Freed heap memory goes back to the system when the daemon asks (glibc's malloc_trim)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from monitor.daemon.memory import release_free_memory


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


@pytest.mark.skipif(sys.platform != "linux", reason="malloc_trim is glibc's")
def test_free_pages_inside_the_heap_are_given_back():
    chunks = [bytes(2048) + i.to_bytes(4, "little") for i in range(20_000)]  # ~40 MB of small blocks
    last = chunks[-1]  # kept: it pins the top of the heap, so free() alone cannot shrink it
    del chunks
    before = resident_mb()
    assert release_free_memory()
    after = resident_mb()
    assert before - after > 20, (before, after)
    assert last[-4:] == (19_999).to_bytes(4, "little")


@pytest.mark.skipif(sys.platform == "linux", reason="Linux has malloc_trim")
def test_elsewhere_it_does_nothing():
    assert release_free_memory() is False
