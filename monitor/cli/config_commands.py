"""``unscroll config``: where the settings live, and whether they are valid."""

from __future__ import annotations

import click

from monitor.core.paths import resolve_paths, shipped_file
from monitor.core.shell import settings


@click.group()
def config() -> None:
    """Check and locate your settings."""


@config.command()
def check() -> None:
    """Validate your config file and category rules; exit 1 with the problem if invalid."""
    from monitor.tracking.categories import load_rules  # noqa: PLC0415

    current = settings()
    load_rules(current)
    source = current.paths.config_file
    where = str(source) if source.exists() else f"defaults only ({source} does not exist)"
    click.echo(f"Configuration OK: {where}")


@config.command()
def path() -> None:
    """Print where your config file and data live."""
    paths = resolve_paths()
    click.echo(f"config file: {paths.config_file}")
    click.echo(f"defaults:    {shipped_file('default.toml')}")
    click.echo(f"data folder: {paths.data_dir}")
    click.echo(f"log file:    {paths.log_file}")


@config.command()
def defaults() -> None:
    """Print the shipped defaults, every key commented: a starting point for your file."""
    click.echo(shipped_file("default.toml").read_text(encoding="utf-8"), nl=False)
