"""Where unscroll keeps its files, and how they are kept private (0600 files in 0700 folders)."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "unscroll"
CONFIG_ENV = "UNSCROLL_CONFIG"
DATA_ENV = "UNSCROLL_DATA_DIR"

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class Paths:
    """Every file unscroll reads or writes for one user."""

    config_file: Path
    data_dir: Path

    @property
    def database(self) -> Path:
        """The store's database file (its name belongs to monitor.store)."""
        # imported here, not at the top: monitor.store builds on monitor.core, not the reverse
        from monitor.store import DATABASE_FILE  # noqa: PLC0415

        return self.data_dir / DATABASE_FILE

    @property
    def log_file(self) -> Path:
        """The daemon's rotating log."""
        return self.data_dir / "unscroll.log"

    @property
    def lock_file(self) -> Path:
        """Held by the running daemon; holds its pid."""
        return self.data_dir / "daemon.lock"

    @property
    def reports_dir(self) -> Path:
        """Where rendered weekly reports go."""
        return self.data_dir / "reports"


def resolve_paths(environ: Mapping[str, str] | None = None) -> Paths:
    """Find the config file and data folder, honouring UNSCROLL_* and XDG variables."""
    env = os.environ if environ is None else environ
    config = env.get(CONFIG_ENV)
    data = env.get(DATA_ENV)
    config_dir, data_dir = user_folders(env)
    return Paths(config_file=Path(config).expanduser() if config else config_dir / "config.toml",
                 data_dir=Path(data).expanduser() if data else data_dir)


def user_folders(env: Mapping[str, str], platform: str = sys.platform) -> tuple[Path, Path]:
    """The (config folder, data folder) of unscroll, where platformdirs puts them.

    XDG on Linux and the BSDs, Application Support on macOS, the local AppData on Windows
    (tests/core/test_paths.py holds this to platformdirs). Not platformdirs itself: it
    imports tempfile, shutil and random, about 1.2 MB of the daemon's memory for two paths.
    """
    home = Path(env.get("HOME") or Path.home())
    if platform == "darwin":
        support = home / "Library" / "Application Support" / APP_NAME
        return support, support
    if platform == "win32":
        local = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local") / APP_NAME
        return local, local
    config = env.get("XDG_CONFIG_HOME", "").strip() or home / ".config"
    data = env.get("XDG_DATA_HOME", "").strip() or home / ".local" / "share"
    return Path(config) / APP_NAME, Path(data) / APP_NAME


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
        path.chmod(PRIVATE_DIR_MODE)
    return path


def make_private_file(path: Path) -> None:
    """Restrict an existing file to its owner (0600)."""
    if path.exists() and path.stat().st_mode & 0o777 != PRIVATE_FILE_MODE:
        path.chmod(PRIVATE_FILE_MODE)


def shipped_file(name: str) -> Path:
    """The path of a shipped default file (``default.toml``, ``categories.toml``), beside its package.

    (importlib.resources would load zipfile and its kin: a megabyte of the daemon's memory.)
    """
    package = importlib.import_module("unscroll_defaults")  # config/ in a checkout
    assert package.__file__ is not None
    return Path(package.__file__).parent / name
