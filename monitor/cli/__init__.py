"""The ``unscroll`` command: a thin shell over the library, its subcommands imported lazily.

Only the module of the command being run is imported, so ``unscroll today`` never
pays for matplotlib or the scheduler.

Arguments are checked here for every command: a value with bytes that are not text in
the system's encoding (a name typed with a stray Latin-1 byte) is refused in one line naming
the argument, before the command runs; file paths are exempt (a file may be named so).
Output never fails on such characters: they are written as backslash escapes.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from monitor import __version__
from monitor.core.errors import InputError, UnscrollError

# command name -> "module:attribute"; each module holds one command or group
COMMANDS: dict[str, str] = {
    "start": "monitor.cli.daemon_commands:start",
    "stop": "monitor.cli.daemon_commands:stop",
    "status": "monitor.cli.daemon_commands:status",
    "pause": "monitor.cli.daemon_commands:pause",
    "resume": "monitor.cli.daemon_commands:resume",
    "sample": "monitor.cli.daemon_commands:sample",
    "autostart": "monitor.cli.autostart_commands:autostart",
    "today": "reports.cli.today_command:today",
    "config": "monitor.cli.config_commands:config",
    "report": "reports.cli.report_command:report",
    "week": "reports.cli.week_command:week",
    "import": "monitor.cli.import_commands:import_group",
    "export": "monitor.cli.export_command:export",
    "categories": "monitor.cli.categories_commands:categories",
    "budget": "monitor.cli.budget_commands:budget",
    "people": "monitor.cli.people_commands:people",
    "forget": "monitor.cli.forget_commands:forget",
    "prompts": "monitor.cli.prompts_command:prompts",
    "gnome": "monitor.cli.gnome_commands:gnome",
    "effect": "monitor.cli.effect_command:effect",
    "devices": "monitor.cli.devices_commands:devices",
    "check": "monitor.cli.check_command:check",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when used (or listed in --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, sorted."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the command called ``cmd_name``."""
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        check_text_arguments(command)
        return command


def _not_text(value: object) -> str | None:
    """The first string in ``value`` (a string, or a tuple of them) holding undecodable bytes."""
    for item in value if isinstance(value, tuple | list) else (value,):
        if isinstance(item, str) and any("\udc80" <= char <= "\udcff" for char in item):
            return item
    return None


def _refuse_bytes(params: dict[str, click.Parameter], values: dict[str, Any]) -> None:
    for name, value in values.items():
        param = params.get(name)
        bad = None if param is None or isinstance(param.type, click.Path) else _not_text(value)
        if param is not None and bad is not None:
            label = param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
            encoding = sys.getfilesystemencoding()
            raise InputError(f"{label}: {os.fsencode(bad)!r} has bytes that are not {encoding} text; "
                             f"type it again in {encoding}")


def check_text_arguments(command: click.Command) -> None:
    """Make ``command`` and its subcommands refuse argument values that are not text (see module doc)."""
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            check_text_arguments(subcommand)
    callback = command.callback
    if callback is None or getattr(callback, "checks_text", False):
        return
    params = {param.name: param for param in command.params if param.name}

    @functools.wraps(callback)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _refuse_bytes(params, kwargs)
        return callback(*args, **kwargs)

    checked.checks_text = True  # type: ignore[attr-defined]
    command.callback = checked


def _never_fail_on_output() -> None:
    """Write characters the terminal's encoding lacks as backslash escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure: Callable[..., None] | None = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unscroll")
def cli() -> None:
    """unscroll: see where your screen time goes, and turn doom-scrolling into real connection.

    Start the background monitor with `unscroll start`, check today with
    `unscroll today`. Everything stays on this computer.
    """


def main() -> None:
    """Entry point: run the CLI, turning unscroll's own errors into one line and exit code 1."""
    _never_fail_on_output()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UnscrollError as exc:
        click.echo(f"unscroll: {exc.message}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
