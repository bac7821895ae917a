"""Where unscroll keeps its files, and how they are kept private (0600 files in 0700 folders)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

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


def resolve_paths(environ: dict[str, str] | None = None) -> Paths:
    """Find the config file and data folder, honouring UNSCROLL_* and XDG variables."""
    env = os.environ if environ is None else environ
    config = env.get(CONFIG_ENV)
    data = env.get(DATA_ENV)
    config_file = (
        Path(config).expanduser()
        if config
        else platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"
    )
    data_dir = (
        Path(data).expanduser() if data else platformdirs.user_data_path(APP_NAME, appauthor=False)
    )
    return Paths(config_file=config_file, data_dir=data_dir)


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
