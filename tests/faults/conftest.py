"""Fixtures for the fault-injection suite: the real desktop of tests/desktop, and daemons to hurt.

The ``desktop`` and ``notifications`` fixtures (and the per-test window cleanup) are the
ones of ``tests/desktop/conftest.py``; this suite gets its own session desktop, so a test
here that restarts the X server or dunst never disturbs the desktop tests. Every test here
is marked ``desktop``: it needs Xvfb, openbox, a D-Bus session bus and dunst.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop.conftest import _close_windows_after_test, desktop, notifications  # noqa: F401

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/faults with the ``desktop`` marker."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.desktop)
