"""Shared fixtures: a private config file and data folder for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.paths import Paths


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
