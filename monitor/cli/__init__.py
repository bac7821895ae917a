"""The ``unscroll`` command: a thin shell over the library, its subcommands imported lazily.

Only the module of the command being run is imported, so ``unscroll today`` never
pays for matplotlib or the scheduler.
"""

from __future__ import annotations

import importlib
import sys

import click

from monitor import __version__
from monitor.core.errors import UnscrollError

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
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unscroll")
def cli() -> None:
    """unscroll: see where your screen time goes, and turn doom-scrolling into real connection.

    Start the background monitor with `unscroll start`, check today with
    `unscroll today`. Everything stays on this computer.
    """


def main() -> None:
    """Entry point: run the CLI, turning unscroll's own errors into one line and exit code 1."""
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
