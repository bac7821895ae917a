"""Shared fixtures: a private config file and data folder for each test; the ``--soak`` option."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.paths import Paths


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--soak``: also run the long tests marked ``soak`` (skipped otherwise)."""
    parser.addoption("--soak", action="store_true", default=False,
                     help="run the long soak tests (marked soak), e.g. the 30-minute daemon soak")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked ``soak`` unless ``--soak`` was given."""
    if config.getoption("--soak"):
        return
    skip = pytest.mark.skip(reason="a long soak test: run it with --soak")
    for item in items:
        if item.get_closest_marker("soak") is not None:
            item.add_marker(skip)


@pytest.fixture
def user_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """A config file path and data folder under tmp_path, exported as UNSCROLL_* variables."""
    config = tmp_path / "config" / "config.toml"
    data = tmp_path / "data"
    monkeypatch.setenv("UNSCROLL_CONFIG", str(config))
    monkeypatch.setenv("UNSCROLL_DATA_DIR", str(data))
    return Paths(config_file=config, data_dir=data)


def write_config(paths: Paths, text: str) -> Path:
    """Write the user's config.toml."""
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file
