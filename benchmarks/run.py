"""Run the benchmarks: ``python benchmarks/run.py [--quick]`` writes results.json and prints a table.

See benchmarks/README.md for what each figure measures and the goals. Every figure is a
median of several runs; a figure that cannot be measured here is written as
``{"skipped": "<why>"}``, never as a made-up number.

The desktop measurement (daemon and floor loop on Xvfb) runs as a separate process for
its fixed span while the other measurements run in this one; it only costs the machine
the daemon's own sampling plus an ``xdotool`` call every few seconds, and its own figures
are CPU time per process, which the other work does not inflate.
"""

# ruff: noqa: PLC0415 - imports sit inside the steps, so a missing piece skips only its own figures

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for entry in (str(HERE), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import generate  # noqa: E402
from procstat import machine, median_time  # noqa: E402

FIGURES = (
    "daemon_rss_mb", "daemon_cpu_percent", "floor_cpu_percent",
    "today_ms", "week_ms", "month_totals_ms", "year_totals_ms",
    "cli_today_s", "report_s", "report_floor_ratio", "import_events_per_s",
    "import_peak_rss_mb", "year_totals_5_devices_ms",
    "aw_month_totals_ms", "aw_server_rss_mb",
)
HEAVY_MODULES = ("matplotlib", "apscheduler", "numpy", "PIL")
"""Modules that must not be imported on the ``unscroll today`` path."""


class Settings:
    """How much to measure: the full run, --quick, or smaller by flags (for the test)."""

    def __init__(self, args: argparse.Namespace) -> None:
        quick = args.quick
        self.mode = "quick" if quick else "full"
        self.daemon_seconds = args.daemon_seconds if args.daemon_seconds is not None else (
            40.0 if quick else 600.0)
        self.interval = 2.0
        self.days = args.days or generate.DEFAULT_DAYS
        self.seed = args.seed
        self.repeats = args.repeats or (5 if quick else 15)
        self.cli_repeats = args.repeats or (5 if quick else 11)
        self.report_repeats = min(self.repeats, 3 if quick else 7)
        self.report_pairs = args.repeats or (5 if quick else 7)  # report and floor in turns
        self.import_repeats = min(self.repeats, 2 if quick else 5)
        self.aw_repeats = min(self.repeats, 2 if quick else 5)
        self.aw_whole_year = not quick
        self.skip = set(args.skip.split(",")) if args.skip else set()


# --- data --------------------------------------------------------------------------------------

def _data_key(seed: int, days: int, last_day: date, zone_name: str) -> str:
    rules = (ROOT / "config" / "categories.toml").read_bytes()
    digest = hashlib.sha256(rules + (HERE / "generate.py").read_bytes()).hexdigest()[:10]
    return f"v{generate.GENERATOR_VERSION}-seed{seed}-{days}d-to{last_day}-{zone_name}-{digest}"


def prepare_data(base: Path, cfg: Settings, zone: Any, today: date, log: Callable[[str], None]
                 ) -> tuple[Path, Path, generate.Usage, dict[str, Any]]:
    """The generated year as a store and an AW export, made once and kept under ``base``."""
    zone_name = re.sub(r"[^\w.-]", "_", str(getattr(zone, "key", None) or zone))
    folder = base / _data_key(cfg.seed, cfg.days, today, zone_name)
    store_path = folder / "unscroll.sqlite3"
    export_path = folder / "aw-buckets-export.json"
    began = time.perf_counter()
    usage = generate.generate(cfg.seed, cfg.days, last_day=today, zone=zone)
    info: dict[str, Any] = {"focus_changes": len(usage.focus), "windows": len(usage.windows),
                            "active_hours": round(usage.active_seconds / 3600),
                            "days": cfg.days, "seed": cfg.seed, "first_day": str(usage.first_day),
                            "last_day": str(usage.last_day)}
    if not (folder / "complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        info["spans"] = generate.write_store(usage, store_path, config_file=folder / "config.toml")
        info["aw_events"] = generate.write_aw_export(usage, export_path)
        (folder / "complete").write_text(json.dumps(info))
        log(f"generated {cfg.days} days: {info['spans']} spans, {info['aw_events']} AW events "
            f"in {time.perf_counter() - began:.1f} s → {folder}")
    else:
        info = json.loads((folder / "complete").read_text())
        log(f"using the generated data in {folder}")
    return store_path, export_path, usage, info


# --- measurement steps --------------------------------------------------------------------------

class Results:
    """Figures, details and notes as they come in."""

    def __init__(self) -> None:
        self.figures: dict[str, Any] = {}
        self.details: dict[str, Any] = {}
        self.notes: list[str] = []

    def skip(self, name: str, reason: str) -> None:
        self.figures[name] = {"skipped": reason}

    def step(self, names: tuple[str, ...], waiting_on: str, work: Callable[[], None]) -> None:
        """Run ``work``; if it fails, mark ``names`` skipped with the error and what they wait on."""
        try:
            work()
        except Exception as exc:  # a missing piece must not stop the other figures
            reason = f"{waiting_on}: {type(exc).__name__}: {exc}"
            for name in names:
                if name not in self.figures:
                    self.skip(name, reason)
            self.details.setdefault("errors", {})[",".join(names)] = traceback.format_exc(limit=6)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def measure_queries(results: Results, store_path: Path, cfg: Settings, zone: Any, today: date) -> None:
    """today/week/month/year in-process, with the functions the commands use."""
    from monitor.core.paths import Paths
    from monitor.core.settings import load_settings
    from monitor.store.database import Store

    folder = store_path.parent
    settings = load_settings(Paths(config_file=folder / "config.toml", data_dir=folder))
    starts_at = settings.day_starts_at
    budgets = {name: value.total_seconds() for name, value in settings.budgets.for_day(today).items()}
    store = Store(store_path)
    try:
        from monitor.core.days import day_bounds

        def period(days: int) -> tuple[float, float]:
            return day_bounds(today - timedelta(days=days - 1), starts_at, zone)[0], \
                day_bounds(today, starts_at, zone)[1]

        def today_step() -> None:
            from reports.aggregate import day_summary

            median, runs = median_time(lambda: day_summary(store, today, starts_at=starts_at, zone=zone,
                                                           budgets=budgets), cfg.repeats)
            results.figures["today_ms"] = _ms(median)
            results.details["today_runs_ms"] = [_ms(r) for r in runs]

        def week_step() -> None:
            from reports.weekly import report_for
            from reports.weeks import week_containing

            week = week_containing(today)
            now = day_bounds(today, starts_at, zone)[1] - 1
            median, runs = median_time(lambda: report_for(store, settings, week, zone=zone, now=now),
                                       cfg.repeats)
            results.figures["week_ms"] = _ms(median)
            results.details["week_runs_ms"] = [_ms(r) for r in runs]
            results.details["week_measures"] = (f"reports.weekly.report_for({week.label}) — what "
                                                "`unscroll week` computes")

        def range_step() -> None:
            totals, how = _range_function(store)
            results.details["range_totals_function"] = how
            for name, days in (("month_totals_ms", 30), ("year_totals_ms", 365)):
                start, end = period(days)
                median, runs = median_time(functools.partial(totals, start, end), cfg.repeats)
                results.figures[name] = _ms(median)
                results.details[name.replace("_ms", "_runs_ms")] = [_ms(r) for r in runs]
            results.details["month_totals"] = {k: round(v) for k, v in totals(*period(30)).items()}
            try:
                from reports.daily import daily_totals
            except ImportError:
                return
            for label, days in (("month", 30), ("year", 365)):
                day_list = [today - timedelta(days=offset) for offset in range(days)]
                median, _ = median_time(functools.partial(daily_totals, store, day_list, starts_at=starts_at,
                                                          zone=zone), cfg.repeats)
                results.details[f"{label}_per_day_totals_ms"] = _ms(median)

        results.step(("today_ms",), "reports.aggregate.day_summary", today_step)
        results.step(("week_ms",), "reports.weekly.report_for (the `unscroll week` aggregation)", week_step)
        results.step(("month_totals_ms", "year_totals_ms"), "a range aggregation", range_step)
        results.details["period_days"] = {"month": 30, "year": 365, "last_day": str(today)}
    finally:
        store.close()


def _range_function(store: Any) -> tuple[Callable[[float, float], dict[str, float]], str]:
    """The range aggregation the reports use (the store's span totals, earlier ones), else plain SQL."""
    for module in ("monitor.store.spans", "monitor.usage", "reports.daily"):
        try:
            totals = importlib.import_module(module).category_totals
        except (ImportError, AttributeError):
            continue
        return (lambda start, end, totals=totals: totals(store, start, end),
                f"{module}.category_totals(store, start, end)")

    def fallback(start: float, end: float) -> dict[str, float]:
        rows = store.connection.execute(
            "SELECT category, SUM(end_utc - start_utc) FROM spans "
            "WHERE start_utc >= ? AND start_utc < ? GROUP BY category", (start, end)).fetchall()
        return {str(c): float(s) for c, s in rows}

    return fallback, "SQL: SELECT category, SUM(end_utc - start_utc) … GROUP BY category (fallback)"


def _cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _wall(args: list[str], env: dict[str, str], repeats: int, *, check_output: Callable[[str], None],
          count_first: bool = False) -> tuple[float, list[float]]:
    runs = []
    for index in range(repeats + 1):
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "monitor", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=False)
        elapsed = time.perf_counter() - began
        if done.returncode != 0:
            raise RuntimeError(f"unscroll {' '.join(args)} failed ({done.returncode}): "
                               f"{done.stderr.strip()[-500:]}")
        check_output(done.stdout)
        if index or count_first:  # the first run warms the file cache and is not counted
            runs.append(elapsed)
    return statistics.median(runs), runs


def cli_env(store_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("UNSCROLL_")}
    env.update({"UNSCROLL_DATA_DIR": str(store_path.parent),
                "UNSCROLL_CONFIG": str(store_path.parent / "config.toml"),
                "PYTHONPATH": str(ROOT), "COLUMNS": "120"})
    return env


def measure_cli_today(results: Results, store_path: Path, cfg: Settings) -> None:
    env = cli_env(store_path)

    def expect(stdout: str) -> None:
        if "Today" not in stdout:
            raise RuntimeError(f"unexpected output of unscroll today: {stdout[:200]!r}")

    median, runs = _wall(["today"], env, cfg.cli_repeats, check_output=expect)
    results.figures["cli_today_s"] = round(median, 4)
    results.details["cli_today_runs_s"] = [round(r, 4) for r in runs]
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "monitor", "today"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    imported = [line.split("|")[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")]
    heavy = sorted({name for name in imported if name.split(".")[0] in HEAVY_MODULES})
    results.details["cli_today_heavy_imports"] = heavy
    results.details["cli_today_modules_imported"] = len(imported)
    if heavy:
        results.notes.append("`unscroll today` imports " + ", ".join(heavy[:5]))


EMPTY_FIGURE = ("import sys\nfrom matplotlib.figure import Figure\n"
                "Figure(figsize=(float(sys.argv[1]), float(sys.argv[2])), facecolor='white').savefig("
                "sys.argv[4], format='png', dpi=int(sys.argv[3]), facecolor='white')")
"""The report's floor: a new Python that draws an empty figure of the page's size to PNG."""


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children so far."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _report_beside_floor(args: list[str], env: dict[str, str], repeats: int,
                         check_output: Callable[[str], None],
                         empty: Path) -> tuple[list[float], list[float], list[tuple[float, float]]]:
    """Wall times of ``unscroll ARGS`` and of the empty-figure floor, in turns (first pair uncounted).

    Also each counted pair's CPU seconds (report, floor): less shaken by other work than wall time.
    """
    from reports.charts import PAGE_INCHES, PNG_DPI

    floor = [sys.executable, "-c", EMPTY_FIGURE, str(PAGE_INCHES[0]), str(PAGE_INCHES[1]), str(PNG_DPI),
             str(empty)]
    runs: list[float] = []
    floors: list[float] = []
    cpu: list[tuple[float, float]] = []
    for index in range(repeats + 1):
        cpu_began = _children_cpu()
        _, report_runs = _wall(args, env, 0, check_output=check_output, count_first=True)
        cpu_between = _children_cpu()
        began = time.perf_counter()
        subprocess.run(floor, env=env, cwd=ROOT, capture_output=True, timeout=300, check=True)
        if index:  # the first pair warms the file cache
            runs.extend(report_runs)
            floors.append(time.perf_counter() - began)
            cpu.append((cpu_between - cpu_began, _children_cpu() - cpu_between))
    return runs, floors, cpu


def compiled_env(env: dict[str, str], cache: Path) -> dict[str, str]:
    """``env`` with Python's bytecode cache on, kept under ``cache``: code runs compiled, as installed.

    A shell with PYTHONDONTWRITEBYTECODE set would have every run compile the project's
    modules from source again, while the floor's matplotlib comes compiled with its wheel.
    Both sides use the same private cache (filled by the first, uncounted pair); nothing
    is written into the source tree.
    """
    compiled = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    compiled["PYTHONPYCACHEPREFIX"] = str(cache)
    return compiled


def measure_report(results: Results, store_path: Path, cfg: Settings, today: date, zone: Any) -> None:
    from reports.weeks import week_containing

    week = week_containing(today)
    with tempfile.TemporaryDirectory(prefix="unscroll-bench-report-") as tmp:
        env = compiled_env(cli_env(store_path), Path(tmp) / "pycache")
        out = Path(tmp) / "week.png"

        def expect(_stdout: str) -> None:
            if not out.exists() or out.stat().st_size < 10_000:
                raise RuntimeError(f"unscroll report wrote no picture at {out}")
            out.unlink()

        runs, floors, cpu = _report_beside_floor(["report", "--week", week.label, "--out", str(out)], env,
                                                 cfg.report_pairs, expect, Path(tmp) / "empty.png")
        results.details["report_floor_cpu_ratio"] = round(
            statistics.median(report for report, _ in cpu) / statistics.median(floor for _, floor in cpu), 3)
        results.details["report_floor_cpu_s"] = [[round(report, 3), round(floor, 3)] for report, floor in cpu]
        median = statistics.median(runs)
        results.figures["report_s"] = round(median, 3)
        results.figures["report_floor_ratio"] = round(median / statistics.median(floors), 3)
        results.details["report_runs_s"] = [round(r, 3) for r in runs]
        results.details["report_floor_runs_s"] = [round(r, 3) for r in floors]
        results.details["report_floor_measures"] = (
            "report_s ÷ the median wall time of a new Python drawing an empty figure of the page's size "
            "(reports.charts.PAGE_INCHES at PNG_DPI) to PNG, run alternately with the report; both with "
            "a private bytecode cache (PYTHONPYCACHEPREFIX), filled by the first, uncounted pair")
        results.details["report_measures"] = (f"`unscroll report --week {week.label} --out week.png` as a "
                                              "new process (reports.weekly.render_week_report: query, "
                                              "matplotlib import, drawing, PNG)")
        # the same drawing in a warm process: what the daemon's weekly job pays
        from monitor.core.paths import Paths
        from monitor.core.settings import load_settings
        from monitor.store.database import Store
        from reports.weekly import render_week_report

        folder = store_path.parent
        settings = load_settings(Paths(config_file=folder / "config.toml", data_dir=folder))
        with Store(store_path) as store:
            warm, _ = median_time(lambda: render_week_report(store, settings, week, out, zone=zone),
                                  cfg.report_repeats)
        results.details["report_warm_process_s"] = round(warm, 3)


PEER_DEVICES = 4
"""The year's spans copied this many times as other devices' (peers), for year_totals_5_devices_ms."""


def measure_five_devices(results: Results, store_path: Path, cfg: Settings, zone: Any, today: date) -> None:
    """Year totals with the year stored for 5 devices: this one and 4 peers, each shifted by 7·k minutes."""
    from monitor.core.days import day_bounds
    from monitor.store import spans
    from monitor.store.database import Store
    from monitor.store.devices import PEER, Device, save_device

    with tempfile.TemporaryDirectory(prefix="unscroll-bench-devices-") as tmp:
        copy = Path(tmp) / store_path.name
        shutil.copyfile(store_path, copy)
        with Store(copy) as store:
            with store.transaction() as connection:
                for index in range(1, PEER_DEVICES + 1):
                    device_id = f"bench-peer-{index}"
                    save_device(connection, Device(id=device_id, name=f"peer {index}", kind=PEER))
                    connection.execute(
                        "INSERT INTO spans (start_utc, end_utc, app, title, category, name, device) "
                        "SELECT start_utc + ?, end_utc + ?, app, title, category, name, ? FROM spans "
                        "WHERE device NOT LIKE 'bench-peer-%'", (index * 420.0, index * 420.0, device_id))
            count = store.connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
            starts_at = _day_start(store_path)
            start = day_bounds(today - timedelta(days=364), starts_at, zone)[0]
            end = day_bounds(today, starts_at, zone)[1]
            totals = functools.partial(spans.category_totals, store, start, end)
            first, _ = median_time(totals, 1, warmup=0)  # keeps the union's hours and days (rollups)
            median, runs = median_time(totals, cfg.repeats)
    results.figures["year_totals_5_devices_ms"] = _ms(median)
    results.details["year_totals_5_devices_runs_ms"] = [_ms(r) for r in runs]
    results.details["year_totals_5_devices_first_ms"] = _ms(first)
    results.details["year_totals_5_devices_measures"] = (
        f"monitor.store.spans.category_totals over the last 365 local days of {count} spans: the year "
        f"as this device's and as {PEER_DEVICES} peers' (sync_devices kind peer), each copy shifted by "
        "7·k minutes so they overlap in part (time counted once across devices); the first call "
        "(year_totals_5_devices_first_ms, not in the median) sweeps the year once and keeps each UTC hour's "
        "and day's share of the union (monitor.store.union_hours)")


def _day_start(store_path: Path) -> Any:
    from monitor.core.paths import Paths
    from monitor.core.settings import load_settings

    folder = store_path.parent
    return load_settings(Paths(config_file=folder / "config.toml", data_dir=folder)).day_starts_at


_PEAK_WRAPPER = """
import resource, runpy, sys
peak_file = sys.argv.pop(1)
sys.argv[0] = "unscroll"
try:
    runpy.run_module("monitor", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(peak_file, "w") as out:
        out.write(f"{peak} {children}")
"""
"""Runs the CLI, then writes its own peak resident size and its largest child's (KiB) to the file named first.

The child's (the import's planning process) is ru_maxrss, which counts from the size of this
process when it started the child (the kernel keeps that peak across exec): an upper bound.
"""


def measure_import_memory(results: Results, export_path: Path) -> None:
    """Peak resident memory of `unscroll import activitywatch` of the export, as a new process.

    Measured as VmHWM, by the process itself: ru_maxrss (os.wait4) starts from the resident
    size of the process that started it (the kernel keeps the old memory's peak across exec),
    so a big benchmark process made a small import look big.
    """
    with tempfile.TemporaryDirectory(prefix="unscroll-bench-import-rss-") as tmp:
        env = cli_env(Path(tmp) / "data" / "unscroll.sqlite3")
        (Path(tmp) / "data").mkdir()
        peak_file = Path(tmp) / "peak-kib.txt"
        command = [sys.executable, "-c", _PEAK_WRAPPER, str(peak_file), "import", "activitywatch",
                   str(export_path)]
        child = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, check=False)
        if child.returncode != 0:
            problem = child.stderr[-500:]
            raise RuntimeError(f"unscroll import activitywatch failed ({child.returncode}): {problem}")
        peak_kib, child_kib = map(int, peak_file.read_text(encoding="utf-8").split())
    results.figures["import_peak_rss_mb"] = round((peak_kib + child_kib) / 1024, 1)
    results.details["import_peak_rss_measures"] = (
        f"VmHWM of `python -m monitor import activitywatch` of {export_path.name} "
        f"({export_path.stat().st_size / 1e6:.0f} MB) into a fresh store, read by the process itself "
        f"({peak_kib / 1024:.1f} MB), plus the peak of its planning process, an upper bound "
        f"({child_kib / 1024:.1f} MB): both as if at once")


def _import_once(export_path: Path, *, whole: bool) -> dict[str, float]:
    """One import of the export in a new process (``import_once.py``): what it read and added, its times."""
    read_whole = ["--whole"] if whole else []
    command = [sys.executable, str(HERE / "import_once.py"), str(export_path), *read_whole]
    child = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        raise RuntimeError(f"import_once.py failed ({child.returncode}): {child.stderr[-500:]}")
    figures: dict[str, float] = json.loads(child.stdout)
    return figures


def measure_import(results: Results, export_path: Path, cfg: Settings, expected_spans: int,
                   expected_seconds: float) -> None:
    rates, seconds, cpu_seconds, whole_rates = [], [], [], []
    report: dict[str, float] = {}
    for _ in range(cfg.import_repeats):
        for whole in (False, True):  # in turns: the whole-file import is the same work, read at once
            run = _import_once(export_path, whole=whole)  # each in a new process, as a person runs it
            if whole:
                whole_rates.append(run["events"] / run["seconds"])
                continue
            report = run
            cpu_seconds.append(report["cpu_seconds"])
            rates.append(report["events"] / report["seconds"])
            seconds.append(report["seconds"])
    results.figures["import_events_per_s"] = round(statistics.median(rates))
    results.details["import"] = {
        "events": report["events"], "spans_added": report["spans_added"],
        "spans_generated": expected_spans, "seconds_added": round(report["seconds_added"]),
        "seconds_generated": round(expected_seconds), "runs_s": [round(s, 3) for s in seconds],
        # CPU time says more than the wall clock on a busy machine (other work waits for the same cores)
        "cpu_runs_s": [round(s, 3) for s in cpu_seconds],
        "events_per_cpu_s": round(report["events"] / statistics.median(cpu_seconds)),
        # the same file read whole (about eight times its size in memory), in turns with the above:
        # the ratio says what streaming costs, whatever else the machine is doing
        "whole_file_events_per_s": round(statistics.median(whole_rates)),
        "streamed_to_whole_ratio": round(statistics.median(rates) / statistics.median(whole_rates), 3),
        "file_mb": round(export_path.stat().st_size / 1e6, 1),
    }
    if report["spans_added"] != expected_spans or abs(report["seconds_added"] - expected_seconds) > 1:
        results.notes.append(
            f"import check: the export imported as {report['spans_added']} spans "
            f"({report['seconds_added']:.0f} s), the generator wrote {expected_spans} "
            f"({expected_seconds:.0f} s); see the README's findings")


def measure_aw(results: Results, usage: generate.Usage, cfg: Settings, zone: Any, today: date,
               ours: dict[str, float] | None, log: Callable[[str], None]) -> None:
    import aw_bench

    from monitor.core.days import day_bounds
    from monitor.core.paths import Paths
    from monitor.core.settings import load_settings
    from monitor.tracking.categories import load_rules

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(Paths(config_file=Path(tmp) / "config.toml", data_dir=Path(tmp)))
    start = day_bounds(today - timedelta(days=29), settings.day_starts_at, zone)[0]
    end = day_bounds(today, settings.day_starts_at, zone)[1]
    buckets = generate.aw_buckets(usage)
    if not cfg.aw_whole_year:
        buckets = aw_bench.only_between(buckets, start - 86400, end)
    try:
        figures = aw_bench.measure(buckets, hostname=generate.HOSTNAME,
                                   classes=aw_bench.aw_classes(load_rules(settings)),
                                   start_utc=start, end_utc=end, repeats=cfg.aw_repeats, log=log)
    except aw_bench.AwUnavailable as exc:
        for name in ("aw_month_totals_ms", "aw_server_rss_mb"):
            results.skip(name, f"aw-server unavailable: {exc}")
        results.notes.append(f"ActivityWatch figures skipped: {exc}")
        return
    results.figures["aw_month_totals_ms"] = round(figures.query_ms, 1)
    results.figures["aw_server_rss_mb"] = round(figures.rss_mb, 1) if figures.rss_mb else None
    agreement = None
    if ours:
        total = sum(ours.values()) or 1.0
        names = set(ours) | set(figures.totals)
        diff = sum(abs(ours.get(k, 0.0) - figures.totals.get(k, 0.0)) for k in names)
        agreement = round(100 * (1 - diff / total), 2)
    results.details["aw"] = {
        "version": figures.version, "events_loaded": figures.events_loaded,
        "loaded": "the whole year" if cfg.aw_whole_year else "the 30 queried days (+1 day) only (--quick)",
        "import_s": round(figures.import_s, 1), "query_runs_ms": [round(r, 1) for r in figures.query_runs_ms],
        "peak_rss_mb": figures.peak_rss_mb, "totals": {k: round(v) for k, v in figures.totals.items()},
        "totals_agree_with_unscroll_percent": agreement,
    }


def start_desktop(cfg: Settings, folder: Path) -> tuple[subprocess.Popen[bytes], Path]:
    out = folder / "desktop.json"
    process = subprocess.Popen([sys.executable, str(HERE / "desktop_bench.py"), "--seconds",
                                str(cfg.daemon_seconds), "--interval", str(cfg.interval),
                                "--json", str(out)], cwd=ROOT, stdin=subprocess.DEVNULL,
                               stdout=(folder / "desktop.log").open("wb"), stderr=subprocess.STDOUT)
    return process, out


def finish_desktop(results: Results, process: subprocess.Popen[bytes], out: Path, folder: Path,
                   timeout: float) -> None:
    names = ("daemon_rss_mb", "daemon_cpu_percent", "floor_cpu_percent")
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if not out.exists():
        log_text = (folder / "desktop.log").read_text(errors="replace")[-1500:]
        for name in names:
            results.skip(name, f"the desktop measurement failed: {log_text.strip()[-300:]}")
        results.details["desktop_log"] = log_text
        return
    data = json.loads(out.read_text())
    for name in names:
        value = data.get(name)
        results.figures[name] = round(value, 3) if isinstance(value, float) else value
        if value is None:
            results.skip(name, "not measured: " + "; ".join(data.get("notes", [])))
    results.details["desktop"] = data
    resolution = data.get("cpu_resolution_percent")
    if isinstance(resolution, float) and resolution > 0.005:
        results.notes.append(f"CPU figures are counted in clock ticks: ±{resolution:.3f} % over a "
                             f"{data.get('seconds'):g} s span; the full run's 10 minutes resolve 0.002 %")
    results.notes.extend(data.get("notes", []))


# --- goals and output ---------------------------------------------------------------------------

def _num(figures: dict[str, Any], name: str) -> float | None:
    value = figures.get(name)
    return float(value) if isinstance(value, int | float) else None


def goals(figures: dict[str, Any], details: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each goal of issue 6 with whether it is met (None when a figure it needs is missing)."""
    n = {name: _num(figures, name) for name in FIGURES}
    rss, cpu, floor = n["daemon_rss_mb"], n["daemon_cpu_percent"], n["floor_cpu_percent"]
    month, aw, year = n["month_totals_ms"], n["aw_month_totals_ms"], n["year_totals_ms"]
    today, report, rate = n["cli_today_s"], n["report_s"], n["import_events_per_s"]
    floor_ratio, import_rss = n["report_floor_ratio"], n["import_peak_rss_mb"]
    heavy = details.get("cli_today_heavy_imports")

    def goal(text: str, met: bool | None) -> dict[str, Any]:
        return {"goal": text, "met": met}

    return {
        "daemon_rss_mb": goal("< 30 MB", None if rss is None else rss < 30),
        "daemon_cpu_percent": goal("≤ 2 × floor_cpu_percent",
                                   None if cpu is None or floor is None else cpu <= 2 * floor),
        "month_totals_ms": goal("≤ 50 ms", None if month is None else month <= 50),
        "month_vs_aw": goal("month_totals_ms ≥ 20 × faster than aw_month_totals_ms",
                            None if month is None or aw is None or month <= 0 else aw / month >= 20),
        "year_totals_ms": goal("≤ 500 ms", None if year is None else year <= 500),
        "cli_today_s": goal("≤ 0.3 s, no matplotlib or scheduler import",
                            None if today is None or heavy is None else today <= 0.3 and not heavy),
        "report_s": goal("≤ 1.5 s", None if report is None else report <= 1.5),
        "report_floor_ratio": goal("≤ 1.3 × an empty figure to PNG in a new process",
                                   None if floor_ratio is None else floor_ratio <= 1.3),
        "import_events_per_s": goal("≥ 100,000 events/s", None if rate is None else rate >= 100_000),
        "import_peak_rss_mb": goal("≤ 150 MB (issue 22: for 5 years, 1.5 M events)",
                                   None if import_rss is None else import_rss <= 150),
        "year_totals_5_devices_ms": goal("≤ 20 ms", None if n["year_totals_5_devices_ms"] is None
                                         else n["year_totals_5_devices_ms"] <= 20),
    }


def table(figures: dict[str, Any], goal_checks: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'figure':24} {'value':>14}  goal"]
    for name in FIGURES:
        value = figures.get(name)
        if isinstance(value, dict):
            shown = "skipped"
            note = str(value.get("skipped", ""))[:90]
        else:
            shown = f"{value:,.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
            note = ""
        goal = goal_checks.get(name)
        mark = "" if goal is None else f"{goal['goal']}: " + {True: "met", False: "NOT MET",
                                                              None: "unknown"}[goal["met"]]
        lines.append(f"{name:24} {shown:>14}  {mark or note}")
        if note and mark:
            lines.append(f"{'':24} {'':>14}  {note}")
    ratio = goal_checks.get("month_vs_aw")
    aw, ours = _num(figures, "aw_month_totals_ms"), _num(figures, "month_totals_ms")
    if ratio and aw and ours:
        lines.append(f"{'aw / unscroll (month)':24} {aw / ours:>13,.0f}×  {ratio['goal']}: "
                     + {True: "met", False: "NOT MET", None: "unknown"}[ratio["met"]])
    return "\n".join(lines)


def run_steps(results: Results, cfg: Settings, store_path: Path, export_path: Path, usage: generate.Usage,
              data_info: dict[str, Any], zone: Any, today: date, log: Callable[[str], None]) -> None:
    """Every measurement but the desktop one, in this process."""
    if "queries" not in cfg.skip:
        measure_queries(results, store_path, cfg, zone, today)
        results.step(("year_totals_5_devices_ms",), "monitor.store.spans.category_totals on 5 devices",
                     lambda: measure_five_devices(results, store_path, cfg, zone, today))
        log("queries measured")
    if "cli" not in cfg.skip:
        results.step(("cli_today_s",), "`unscroll today`",
                     lambda: measure_cli_today(results, store_path, cfg))
        log("unscroll today measured")
    if "report" not in cfg.skip:
        results.step(("report_s", "report_floor_ratio"),
                     "`unscroll report` / reports.weekly.render_week_report",
                     lambda: measure_report(results, store_path, cfg, today, zone))
        log("report measured")
    if "import" not in cfg.skip:
        results.step(("import_events_per_s",), "monitor.history.activitywatch.import_activitywatch",
                     lambda: measure_import(results, export_path, cfg, data_info.get("spans", 0),
                                            usage.active_seconds))
        results.step(("import_peak_rss_mb",), "`unscroll import activitywatch` as a new process",
                     lambda: measure_import_memory(results, export_path))
        log("import measured")
    if "aw" not in cfg.skip:
        ours = results.details.get("month_totals")
        results.step(("aw_month_totals_ms", "aw_server_rss_mb"), "aw-server",
                     lambda: measure_aw(results, usage, cfg, zone, today, ours, log))
        log("aw-server measured")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure unscroll; see benchmarks/README.md.")
    parser.add_argument("--quick", action="store_true", help="under a minute: shorter daemon span, "
                        "fewer repeats, ActivityWatch loaded with the queried month only")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data",
                        help="where generated data is kept between runs")
    parser.add_argument("--days", type=int, help="days of generated usage (default 365)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--daemon-seconds", type=float, help="daemon span (default 40 quick, 600 full)")
    parser.add_argument("--repeats", type=int, help="repeats per timing (default 5 quick, 15 full)")
    parser.add_argument("--skip", default=os.environ.get("UNSCROLL_BENCH_SKIP", ""),
                        help="comma-separated steps to leave out: desktop,queries,cli,report,import,aw")
    args = parser.parse_args(argv)
    if args.daemon_seconds is None and os.environ.get("UNSCROLL_BENCH_DAEMON_SECONDS"):
        args.daemon_seconds = float(os.environ["UNSCROLL_BENCH_DAEMON_SECONDS"])
    if args.days is None and os.environ.get("UNSCROLL_BENCH_DAYS"):
        args.days = int(os.environ["UNSCROLL_BENCH_DAYS"])
    cfg = Settings(args)

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f} s] {text}", flush=True)

    began = time.perf_counter()
    from monitor.core.days import day_of, local_zone

    zone = local_zone()
    results = Results()
    info: dict[str, Any] = {"mode": cfg.mode, "started": datetime.now(UTC).isoformat(timespec="seconds"),
                            "daemon_seconds": cfg.daemon_seconds, "sample_interval_s": cfg.interval,
                            "repeats": cfg.repeats, "zone": str(getattr(zone, "key", zone))}
    with tempfile.TemporaryDirectory(prefix="unscroll-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        desktop = None
        if "desktop" not in cfg.skip:
            desktop = start_desktop(cfg, scratch)
            log(f"desktop measurement started ({cfg.daemon_seconds:g} s of daemon and floor loop)")
        # the day start of the default settings decides which day "today" is
        from monitor.core.settings import parse_clock

        today = day_of(time.time(), parse_clock("04:00", where="day.starts_at"), zone)
        store_path, export_path, usage, data_info = prepare_data(args.data_dir, cfg, zone, today, log)
        info["data"] = data_info
        try:
            run_steps(results, cfg, store_path, export_path, usage, data_info, zone, today, log)
        except BaseException:
            if desktop is not None and desktop[0].poll() is None:
                desktop[0].terminate()  # interrupted: it closes its desktop and daemon on SIGTERM
                desktop[0].wait(30)
            raise
        if desktop is not None:
            log("waiting for the desktop measurement")
            finish_desktop(results, *desktop, scratch, timeout=cfg.daemon_seconds + 180)
    for name in FIGURES:
        if name not in results.figures:
            results.skip(name, f"not run (--skip {','.join(sorted(cfg.skip))})")
    info["seconds"] = round(time.perf_counter() - began, 1)
    goal_checks = goals(results.figures, results.details)
    document = {"machine": machine(), "run": info, "figures": {n: results.figures[n] for n in FIGURES},
                "goals": goal_checks, "details": results.details, "notes": results.notes}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(table(results.figures, goal_checks))
    measured = results.details.get("desktop") or {}
    if measured.get("lean_rss_mb") is not None:
        print(f"what-if, the daemon's sampling job alone on a plain loop: "
              f"{measured['lean_rss_mb']:.1f} MB, {measured['lean_cpu_percent']:.3f} % CPU")
    for note in results.notes:
        print(f"note: {note}")
    print(f"\n{cfg.mode} run in {info['seconds']} s; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
