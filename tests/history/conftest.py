"""What the history tests share: a store in the test's data folder, and settings with a 04:00 day start."""

from __future__ import annotations

import pytest

from monitor.store.database import Store
from tests.reports_fixtures import make_settings


@pytest.fixture
def store(user_paths):
    with Store(user_paths.database) as opened:
        yield opened


@pytest.fixture
def settings(user_paths):
    """The day starts at 04:00; this computer is "this-laptop" (a test may set its own)."""
    return make_settings(user_paths, '[day]\nstarts_at = "04:00"\n[tracking]\ndevice = "this-laptop"\n')
