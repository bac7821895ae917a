"""Commands that run and steer the daemon: start, stop, status, pause, resume, sample."""

from __future__ import annotations

import time
from datetime import datetime

import click

from monitor.core.durations import ACCEPTED, parse_duration
from monitor.core.errors import DurationError, InputError
from monitor.core.paths import resolve_paths
from monitor.core.shell import print_json, settings
from monitor.daemon import control
from monitor.store.database import Store
from monitor.tracking.pause import pause as pause_tracking
from monitor.tracking.pause import resume as resume_tracking


def _clock(instant: float) -> str:
    return datetime.fromtimestamp(instant).astimezone().strftime("%H:%M:%S")


@click.command()
@click.option("--foreground", is_flag=True, help="Stay in this terminal and log here too.")
@click.option("--quiet", is_flag=True, hidden=True, help="Log to the file only (used when detached).")
def start(foreground: bool, quiet: bool) -> None:
    """Start the background monitor (it detaches unless --foreground)."""
    from monitor.daemon.lifecycle import Daemon, StartResult  # noqa: PLC0415 - keeps other commands light
    from monitor.tracking.platforms import detect_backend  # noqa: PLC0415

    current = settings()
    detect_backend()
    running = control.status(current.paths)
    if running.running:
        click.echo(f"unscroll is already running (pid {running.pid}); nothing changed.")
        return
    if not foreground:
        pid = control.start_detached(current.paths)
        click.echo(f"unscroll started (pid {pid}). Log: {current.paths.log_file}")
        return
    result = Daemon(current.paths).run(foreground=not quiet)
    if result is StartResult.ALREADY_RUNNING:
        click.echo("unscroll is already running; nothing changed.")


@click.command()
def stop() -> None:
    """Stop the background monitor."""
    result = control.stop(resolve_paths())  # works even while the config file is broken
    click.echo("unscroll stopped." if result is control.StopResult.STOPPED else "unscroll is not running.")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def status(as_json: bool) -> None:
    """Show whether the monitor runs, and what it last saw."""
    current = control.status(resolve_paths())
    if as_json:
        click.echo(current.to_json())
        return
    if not current.running:
        click.echo("unscroll is not running. Start it with: unscroll start")
    else:
        click.echo(f"unscroll is running (pid {current.pid}).")
        if current.last_sample_at:
            click.echo(f"Last sample at {_clock(current.last_sample_at)}: {current.last_status}"
                       f" (backend {current.backend or 'none'}).")
    if current.paused_until:
        until = "until you resume" if current.paused_until == float("inf") else \
            f"until {_clock(current.paused_until)}"
        click.echo(f"Tracking is paused {until}.")
    click.echo(f"Data: {current.database}")


@click.command()
@click.argument("duration", required=False)
def pause(duration: str | None) -> None:
    """Pause tracking for DURATION (like 30m or 1h), or until `unscroll resume`."""
    until = None
    if duration is not None:
        try:
            until = time.time() + parse_duration(duration, where="pause").total_seconds()
        except DurationError:
            raise InputError(f"pause: {duration!r} is not {ACCEPTED}") from None
    with Store(resolve_paths().database) as store:
        pause_tracking(store, until)
    click.echo("Tracking paused " + ("until you run `unscroll resume`." if until is None
                                     else f"until {_clock(until)}."))


@click.command()
def resume() -> None:
    """Resume tracking after a pause."""
    with Store(resolve_paths().database) as store:
        resume_tracking(store)
    click.echo("Tracking resumed.")


NO_WINDOW_NOTE = "\nNo window has the focus now, as far as the desktop says."
X11_NO_WINDOW_NOTE = (
    " If one clearly has it, your window manager does not tell other programs which: unscroll "
    "needs one that sets _NET_ACTIVE_WINDOW (EWMH), as GNOME, KDE, Xfce, openbox, i3 and most "
    "others do."
)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def sample(as_json: bool) -> None:
    """Take one reading of what the monitor sees now, to check your setup."""
    from monitor.tracking.categories import load_rules  # noqa: PLC0415
    from monitor.tracking.observe import observe  # noqa: PLC0415
    from monitor.tracking.platforms import open_platform  # noqa: PLC0415

    current = settings()
    platform = open_platform()
    try:
        window = platform.active_window()
        idle = platform.idle_seconds()
    finally:
        platform.close()
    # the daemon's own observe step: what is shown here is what would be stored
    seen = observe(window, load_rules(current), current.tracking)
    reading = {
        "backend": platform.name,
        "app": seen.app if seen else None,
        "title": seen.title if seen else None,
        "pid": window.pid if window else None,
        "idle_seconds": round(idle, 1),
        "category": seen.category if seen else None,
        "name": seen.name if seen else None,
    }
    if as_json:
        print_json(reading)
        return
    for key, value in reading.items():
        click.echo(f"{key.replace('_', ' '):>13}: {'-' if value is None else value}")
    if window is None:
        click.echo(NO_WINDOW_NOTE + (X11_NO_WINDOW_NOTE if platform.name == "x11" else ""))


