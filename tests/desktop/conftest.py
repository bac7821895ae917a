"""Fixtures for the real-desktop tests (Xvfb, openbox, D-Bus, dunst); see harness.py.

``desktop`` is session-scoped: one desktop (about a second to start) serves every test in
the run. Windows a test opens are closed when that test ends; ``restart_x`` leaves a fresh,
working desktop on the same display for the tests after it. ``notifications`` is
function-scoped: it watches the bus from the start of its test, after closing whatever
notifications dunst still showed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.harness import Desktop, Notifications, require_programs

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/desktop with the ``desktop`` marker."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.desktop)


@pytest.fixture(scope="session")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """A running private desktop shared by the whole test session."""
    require_programs()
    running = Desktop(tmp_path_factory.mktemp("desktop"))
    try:
        running.start()
        yield running
    finally:
        running.close()


@pytest.fixture(autouse=True)
def _close_windows_after_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close the windows a test opened, so each test starts from the same desktop."""
    if "desktop" not in request.fixturenames:
        yield
        return
    running: Desktop = request.getfixturevalue("desktop")
    keep = len(running.windows)
    yield
    running.close_windows(keep)


@pytest.fixture
def notifications(desktop: Desktop) -> Iterator[Notifications]:
    """Notify calls and ActionInvoked signals on the desktop's bus, from this test on."""
    desktop.run("dunstctl", "close-all")
    watcher = Notifications(desktop)
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()
