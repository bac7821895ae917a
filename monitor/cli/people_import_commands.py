"""``unscroll people import``: contacts files into the people list, with a summary (or a dry run).

The summary says, per file, its layout and the encoding it was read in (when it was a
guess), then how many records were added, merged, unchanged or skipped; then the
possible duplicates kept apart (with the ``people merge`` that would join them), the
records skipped and the fields dropped, each with its file and line. ``--dry-run``
says the same of what an import *would* do, record by record, and changes nothing;
``--json`` prints the reports as JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.cli.people_view import plain, session
from monitor.core.errors import InputError
from monitor.core.shell import print_json
from monitor.people import parsing

if TYPE_CHECKING:
    from monitor.people.importers import ImportReport

LONG_IMPORT = 100
"""Imports of at least this many records show a progress bar."""


@click.command(name="import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=True, exists=False))
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Tag everyone imported.")
@click.option("--every", metavar="FREQ", help="How often to be in touch with everyone imported: 2w, 3mo…")
@click.option("--dry-run", "dry_run", is_flag=True,
              help="Say what would be added, merged, kept apart or skipped, and change nothing.")
@click.option("--json", "json_output", is_flag=True, help="Print the reports as JSON.")
def import_command(files: tuple[Path, ...], tags: tuple[str, ...], every: str | None, dry_run: bool,
                   json_output: bool) -> None:
    """Import contacts from vCard (.vcf) files or Google, Outlook or HubSpot CSV exports.

    The same person (the same email, phone or uid, and the same name) is merged, never
    duplicated; people who only share an email or phone (a family's landline) are kept
    apart and listed. Running the same import again changes nothing. Exits with 1 if a
    file could not be read.
    """
    from monitor.people.importers import import_people  # noqa: PLC0415 - only when importing
    from monitor.store.bulk import scratch_copy  # noqa: PLC0415

    every_days = parsing.parse_every(every) if every is not None else None
    reports: list[ImportReport] = []
    failed: list[tuple[Path, str]] = []
    with session() as (store, clock, current), \
            (scratch_copy(store) if dry_run else nullcontext(store)) as target:
        for path in files:
            try:
                with _progress(path, quiet=json_output) as callback:
                    report = import_people(target, path, tags, callback, now=clock.now, zone=clock.zone,
                                           region=current.people.default_region, every_days=every_days,
                                           limit=current.people.import_max)
            except InputError as exc:
                click.echo(f"unscroll: {plain(exc.message)}", err=True)
                failed.append((path, exc.message))
                continue
            report.dry_run = dry_run
            reports.append(report)
    if json_output:
        print_json({"dry_run": dry_run, "files": [report.as_json() for report in reports],
                    "not_imported": [{"file": str(path), "error": message} for path, message in failed]})
    else:
        _print_summary(reports, failed, dry_run=dry_run)
    if failed:
        raise SystemExit(1)


@contextmanager
def _progress(path: Path, *, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress callback that shows a rich bar (on stderr) once an import is long."""
    from rich.console import Console  # noqa: PLC0415
    from rich.markup import escape  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    state: dict[str, Any] = {}

    def callback(done: int, total: int) -> None:
        """Show ``done`` of ``total``, starting the bar once an import proves long."""
        if "bar" not in state:
            if total < LONG_IMPORT or quiet:
                return
            bar = Progress(console=Console(stderr=True), transient=True)
            state["bar"] = bar
            state["task"] = bar.add_task(f"Importing {escape(plain(path.name))}", total=total)
            bar.start()
        state["bar"].update(state["task"], completed=done)

    try:
        yield callback
    finally:
        if "bar" in state:
            state["bar"].stop()


def _counts(added: int, merged: int, unchanged: int, skipped: int) -> str:
    return f"{added} added, {merged} merged, {unchanged} unchanged, {skipped} skipped"


def _file_line(report: ImportReport) -> str:
    read_as = f", read as {report.encoding}: not UTF-8" if report.encoding_assumed else ""
    dates = "date" if report.interactions == 1 else "dates"
    extra = f"; {report.interactions} last-contacted {dates} logged" if report.interactions else ""
    kept = f"; {len(report.kept_apart)} kept apart" if report.kept_apart else ""
    counts = _counts(report.added, report.merged, report.unchanged, len(report.skipped))
    return plain(f"{report.file} ({report.layout}{read_as}): {counts}{kept}{extra}")


def _print_dry_run(report: ImportReport) -> None:
    """Record by record, what the import would do."""
    verbs = {"added": "would add", "merged": "would merge", "unchanged": "already there"}
    for outcome in report.outcomes:
        target = "" if outcome.action == "added" else f" into {outcome.person_name} (#{outcome.person_id})"
        changes = f": {', '.join(outcome.changes)}" if outcome.changes and outcome.action == "merged" else ""
        if outcome.action == "unchanged":
            target = f": {outcome.person_name} (#{outcome.person_id})"
        click.echo(plain(f"  line {outcome.line}: {verbs[outcome.action]} {outcome.name}{target}{changes}"))


def _print_section(title: str, items: list[Any]) -> None:
    if items:
        click.echo(title)
        for item in items:
            click.echo(f"  {plain(str(item))}")


def _print_summary(reports: list[ImportReport], failed: list[tuple[Path, str]], *, dry_run: bool) -> None:
    if dry_run and reports:
        click.echo("Dry run: nothing was changed. An import would do this:")
    for report in reports:
        click.echo(_file_line(report))
        if dry_run:
            _print_dry_run(report)
    kept = [item for report in reports for item in report.kept_apart]
    _print_section("Kept apart, possible duplicates (the same email, phone or uid, another name; "
                   "`unscroll people merge NAME OTHER` joins two):", kept)
    skipped = [item for report in reports for item in report.skipped]
    _print_section("Skipped:", skipped)
    warnings = [item for report in reports for item in report.warnings]
    _print_section("Fields left out or kept as written:", warnings)
    if len(reports) + len(failed) <= 1:
        return                             # one file: its error line (on stderr) says it all
    for path, _message in failed:
        click.echo(plain(f"{path}: not imported (see the error above)"))
    total = _counts(sum(r.added for r in reports), sum(r.merged for r in reports),
                    sum(r.unchanged for r in reports), len(skipped))
    failures = f", {len(failed)} file{'s' if len(failed) > 1 else ''} not imported" if failed else ""
    click.echo(f"Total: {total}{failures}")
