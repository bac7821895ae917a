"""What every command's shell shares: the user's settings, and JSON on standard output."""

from __future__ import annotations

import json
from typing import Any

import click

from monitor.core.settings import Settings, load_settings


def settings() -> Settings:
    """The validated settings (raises ConfigError with a clear message)."""
    return load_settings()


def print_json(value: Any) -> None:
    """Write ``value`` as indented JSON on standard output."""
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))
