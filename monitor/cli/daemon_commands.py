"""Commands that run and steer the daemon: start, stop, status, pause, resume, sample."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import click

from monitor.core.days import clock_text, local_zone
from monitor.core.durations import format_duration, parse_duration
from monitor.core.errors import DurationError, InputError
from monitor.core.paths import resolve_paths
from monitor.core.shell import print_json, settings
from monitor.core.vocabulary import NOT_TODAY
from monitor.daemon import control
from monitor.store.database import Store
from monitor.tracking.pause import pause as pause_tracking
from monitor.tracking.pause import resume as resume_tracking

if TYPE_CHECKING:
    from monitor.daemon.status_report import StatusReport
    from monitor.tracking.platforms.base import ActiveWindow


def _clock(instant: float) -> str:
    return datetime.fromtimestamp(instant).astimezone().strftime("%H:%M:%S")


def _one_reading() -> tuple[str, ActiveWindow | None, float]:
    """Ask the desktop once, as every sample does: (backend, focused window, idle seconds).

    Raises PlatformUnavailable (one line: what is missing) when the desktop cannot be read.
    """
    from monitor.tracking.platforms import open_platform  # noqa: PLC0415

    platform = open_platform()
    try:
        return platform.name, platform.active_window(), platform.idle_seconds()
    finally:
        platform.close()


@click.command()
@click.option("--foreground", is_flag=True, help="Stay in this terminal and log here too.")
@click.option("--quiet", is_flag=True, hidden=True, help="Log to the file only (used when detached).")
def start(foreground: bool, quiet: bool) -> None:
    """Start the background monitor (it detaches unless --foreground)."""
    from monitor.daemon.lifecycle import Daemon, StartResult  # noqa: PLC0415 - keeps other commands light

    current = settings()
    running = control.status(current.paths)
    if running.running:
        click.echo(f"unscroll is already running (pid {running.pid}); nothing changed.")
        return
    _one_reading()  # refuse up front with `unscroll sample`'s words, rather than start blind
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
    """Show whether the monitor runs, today against your budgets, snoozes, and your settings."""
    from monitor.daemon.status_report import gather_status  # noqa: PLC0415

    now, zone = time.time(), local_zone()
    report = gather_status(resolve_paths(), now, zone)  # works even while the config file is broken
    if as_json:
        print_json(report.to_dict())
        return
    for line in status_lines(report, now, zone):
        click.echo(line)


def status_lines(report: StatusReport, now: float, zone: tzinfo) -> list[str]:
    """``unscroll status`` as lines of text."""
    daemon = report.daemon
    if not daemon.running:
        lines = ["unscroll is not running. Start it with: unscroll start"]
    else:
        lines = [f"unscroll is running (pid {daemon.pid})."]
        if daemon.last_sample_at:
            lines.append(f"Last sample at {_clock(daemon.last_sample_at)}: {daemon.last_status}"
                         f" (backend {daemon.backend or 'none'}).")
    if daemon.paused_until:
        until = "until you resume" if daemon.paused_until == float("inf") else \
            f"until {clock_text(daemon.paused_until, now, zone)}"
        lines.append(f"Tracking is paused {until}.")
    lines += _budget_lines(report) + _snooze_lines(report, now, zone)
    lines += _settings_lines(report, now, zone) + _notice_lines(report, now, zone)
    lines += _doorway_lines(report, now, zone) + _tray_lines(report, now, zone)
    lines.append(f"Data: {daemon.database}")
    return lines


def _budget_lines(report: StatusReport) -> list[str]:
    if report.day is None:
        return ["Today against your budgets: not shown while your settings have an error (below)."]
    if not report.budgets:
        return [f"Today ({report.day:%a} {report.day.day} {report.day:%b}): no budgets set "
                "(try: unscroll budget set social 30m)."]
    rows = [(b.category, f"{format_duration(b.used_s)} of {format_duration(b.budget_s)}",
             f"over by {format_duration(b.used_s - b.budget_s)}" if b.over
             else f"{format_duration(b.budget_s - b.used_s)} left") for b in report.budgets]
    width = [max(len(row[column]) for row in rows) for column in (0, 1)]
    return [f"Today ({report.day:%a} {report.day.day} {report.day:%b}), against your budgets:",
            *(f"  {name:<{width[0]}}  {used:>{width[1]}}  {state}" for name, used, state in rows)]


def _snooze_lines(report: StatusReport, now: float, zone: tzinfo) -> list[str]:
    lines = []
    for snooze in report.snoozes:
        chosen = clock_text(snooze.chosen_at, now, zone)
        if snooze.action == NOT_TODAY:
            lines.append(f'  {snooze.category}: "Not today" (chosen at {chosen}): no more notices '
                         "about it today.")
        elif snooze.use_left_s is not None and snooze.earliest_end is not None:
            lines.append(f'  {snooze.category}: "15 more minutes" (chosen at {chosen}): no notice before '
                         f"{clock_text(snooze.earliest_end, now, zone)}, after "
                         f"{format_duration(snooze.use_left_s)} more of it.")
    return ["Snoozed:", *lines] if lines else []


def _settings_lines(report: StatusReport, now: float, zone: tzinfo) -> list[str]:
    standing = report.settings
    file = standing.daemon_file or standing.file
    lines = [f"Settings: {file}" + ("" if standing.exists or standing.daemon_file
                                    else " (does not exist: the defaults are in force)")]
    if standing.daemon_file is not None and standing.daemon_file != standing.file:
        lines.append(f"  (this command reads {standing.file}: UNSCROLL_CONFIG differs from the daemon's)")
    if standing.ridden_out is not None:
        since = "" if standing.ridden_out_since is None else \
            f" since {clock_text(standing.ridden_out_since, now, zone)}"
        loaded = "" if standing.daemon_loaded_at is None else \
            f" loaded at {clock_text(standing.daemon_loaded_at, now, zone)}"
        lines.append(f"  The daemon is riding out an error in it{since}, keeping the settings{loaded}: "
                     f"{standing.ridden_out}")
    elif standing.error is not None:
        lines.append(f"  Error: {standing.error}")
    return lines


def _notice_lines(report: StatusReport, now: float, zone: tzinfo) -> list[str]:
    missed = report.missed_notices
    if missed is None:
        return []
    if not missed:
        return ["Notifications: none missed today."]
    return [f"Notifications: {len(missed)} missed today (no notification service showed them):",
            *(f"  {clock_text(notice.at_utc, now, zone)} {notice.title}"
              + ("" if notice.shown_later_at is None
                 else f" (summed up at {clock_text(notice.shown_later_at, now, zone)})")
              for notice in missed)]


def _doorway_lines(report: StatusReport, now: float, zone: tzinfo) -> list[str]:
    doorway = report.doorway
    if doorway is None:
        return []
    if doorway.when == "off":
        return ["Doorway: off ([doorway] when = \"off\")."]
    before = " and ".join(doorway.categories)
    after = f"after {format_duration(doorway.after_away_s)} away from it"
    lines = [f"Doorway: before {before}, {after}" + (
        ", once its budget is spent." if doorway.when == "over-budget" else ".")]
    standing = doorway.standing
    if standing.unavailable is not None:
        since = "" if standing.unavailable_since is None else \
            f" since {clock_text(standing.unavailable_since, now, zone)}"
        lines.append(f"  Unavailable{since}: {standing.unavailable}")
    lines += [f'  {category}: "Continue" until {clock_text(until, now, zone)}.'
              for category, until in sorted(standing.continue_until.items()) if until > now]
    return lines


def _tray_lines(report: StatusReport, now: float, zone: tzinfo) -> list[str]:
    from monitor.tray.standing import ERROR_PREFIX, NO_HOST, NO_HOST_HELP, OFF, SHOWN  # noqa: PLC0415

    tray = report.tray
    if not report.daemon.running:
        return []
    since = f" since {clock_text(tray.since, now, zone)}" if tray.since else ""
    words = {SHOWN: f"the icon is shown{since}.", OFF: "off ([tray] enabled = false).",
             NO_HOST: f"{NO_HOST}{since}: {NO_HOST_HELP}."}
    if tray.state.startswith(ERROR_PREFIX):
        return [f"Tray: not shown{since}: {tray.state.removeprefix(ERROR_PREFIX)}"]
    return [f"Tray: {words.get(tray.state, tray.state + '.')}"]


def _pause_length(text: str) -> timedelta:
    """DURATION of ``unscroll pause``: longer than zero."""
    accepted = "a duration longer than zero, like 30m, 2h or 2d (or none: until `unscroll resume`)"
    try:
        length = timedelta(0) if text.strip() == "0" else parse_duration(text, where="pause")
    except DurationError:
        raise InputError(f"pause: {text!r} is not {accepted}") from None
    if length <= timedelta(0):
        raise InputError(f"pause: {text!r} is no time at all; give {accepted}")
    return length


@click.command(context_settings={"ignore_unknown_options": True})  # -5m: refused as a duration
@click.argument("duration", required=False)
def pause(duration: str | None) -> None:
    """Pause tracking for DURATION (like 30m, 2h or 2d), or until `unscroll resume`."""
    now = time.time()
    until = None if duration is None else now + _pause_length(duration).total_seconds()
    with Store(resolve_paths().database) as store, store.transaction():
        pause_tracking(store, until)
    click.echo("Tracking paused " + ("until you run `unscroll resume`." if until is None
                                     else f"until {clock_text(until, now, local_zone())}."))


@click.command()
def resume() -> None:
    """Resume tracking after a pause."""
    with Store(resolve_paths().database) as store, store.transaction():
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
    from monitor.tracking.media.look import look_at_media  # noqa: PLC0415
    from monitor.tracking.observe import observe  # noqa: PLC0415

    current = settings()
    backend, window, idle = _one_reading()
    # the daemon's own observe step: what is shown here is what would be stored
    seen = observe(window, load_rules(current), current.tracking)
    media = look_at_media(window)
    reading: dict[str, object] = {
        "backend": backend,
        "app": seen.app if seen else None,
        "title": seen.title if seen else None,
        "pid": window.pid if window else None,
        "idle_seconds": round(idle, 1),
        "category": seen.category if seen else None,
        "name": seen.name if seen else None,
    }
    if as_json:
        print_json({**reading, "media": media.as_json()})
        return
    for key, value in reading.items():
        click.echo(f"{key.replace('_', ' '):>13}: {'-' if value is None else value}")
    for number, line in enumerate(media.lines()):
        click.echo(f"{'players' if number == 0 else '':>13}: {line}")
    click.echo(f"{'watching':>13}: " + ("yes: with no input, this window keeps counting while it plays"
                                         if media.watching else "no"))
    if window is None:
        click.echo(NO_WINDOW_NOTE + (X11_NO_WINDOW_NOTE if backend == "x11" else ""))


