"""Shared fixtures: a private config file and data folder for each test; the ``--soak`` option."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.core.paths import Paths


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


@pytest.fixture
def run(user_paths: Paths, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``unscroll ARGS`` in this process: (exit code, stdout, stderr); ``answer`` is typed in."""
    def invoke(*args: str, answer: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["unscroll", *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
        monkeypatch.setenv("COLUMNS", "200")
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err
    return invoke

