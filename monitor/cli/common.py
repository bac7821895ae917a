"""Helpers shared by the commands: settings, store and output."""

from __future__ import annotations

import json
from typing import Any

import click

from monitor.core.settings import Settings, load_settings
from monitor.store.database import Store


def settings() -> Settings:
    """The validated settings (raises ConfigError with a clear message)."""
    return load_settings()


def open_store(current: Settings | None = None) -> Store:
    """Open the user's store, creating it on first use."""
    return Store((current or settings()).paths.database)


def print_json(value: Any) -> None:
    """Write ``value`` as indented JSON on standard output."""
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))
