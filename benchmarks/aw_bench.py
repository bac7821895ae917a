"""ActivityWatch's aw-server on the same events: its month of category totals, and its memory.

aw-server 0.12.0 (the Python server, from PyPI) is installed into its own virtual
environment, ``benchmarks/.aw-venv`` (git-ignored), with ``peewee<4`` and ``flask<2.3``
pinned (newer ones break it). It runs as ``aw-server --testing --host 127.0.0.1 --port N``
with HOME and the XDG folders in a temporary directory, so it never sees a real user's
ActivityWatch data, and only on the loopback address.

The events go in through its import API (``POST /api/0/import``) and the month is asked
through its query API (``POST /api/0/query/``) with the query aw-webui builds for a
desktop's category totals: the window events, flooded, intersected with the not-afk
periods, categorized with ``categorize()`` and rules equivalent to unscroll's (built from
the same ``load_rules``), merged by ``$category``. If aw-server cannot be installed or
started, the caller records these figures as skipped with the reason, never a number.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from procstat import peak_rss_mb, rss_mb

HERE = Path(__file__).resolve().parent
VENV = HERE / ".aw-venv"
REQUIREMENTS = ("aw-server==0.12.0", "peewee<4", "flask<2.3")
HOST = "127.0.0.1"
SEPARATOR = r"\s(?:[-–—|·•/»]|::?)\s"


class AwUnavailable(Exception):
    """aw-server could not be installed or started; the message says why."""


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_installed(log: Any = print) -> str:
    """Create the venv and install aw-server into it if needed; return the installed version."""
    python = _venv_python()
    if not (VENV / "bin" / "aw-server").exists():
        base = getattr(sys, "_base_executable", sys.executable)
        log(f"installing {', '.join(REQUIREMENTS)} into {VENV} …")
        try:
            subprocess.run([base, "-m", "venv", str(VENV)], check=True, capture_output=True,
                           timeout=300)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                            "--disable-pip-version-check", *REQUIREMENTS],
                           check=True, capture_output=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            lines = [line for line in detail.decode(errors="replace").splitlines()
                     if line.strip() and not line.startswith("WARNING")]
            raise AwUnavailable(f"cannot install aw-server 0.12.0 into {VENV}: "
                                f"{(lines[-1] if lines else exc)}") from None
    try:
        out = subprocess.run([str(python), "-c",
                              "import importlib.metadata as m; print(m.version('aw-server'), "
                              "m.version('aw-core'), m.version('peewee'), m.version('flask'))"],
                             check=True, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise AwUnavailable(f"aw-server in {VENV} does not import: {exc}") from None
    server, core, peewee, flask = out.stdout.split()
    return f"aw-server {server} (aw-core {core}, peewee {peewee}, flask {flask})"


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _request(url: str, body: object | None = None, timeout: float = 600) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read()
    return json.loads(text) if text.strip() else None


@dataclass
class AwServer:
    """A running aw-server in testing mode on the loopback address."""

    process: subprocess.Popen[bytes]
    port: int
    workdir: Path
    log_lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/api/0"

    def call(self, path: str, body: object | None = None, timeout: float = 600) -> Any:
        return _request(self.url + path, body, timeout)

    def rss_mb(self) -> float | None:
        return rss_mb(self.process.pid)

    def peak_rss_mb(self) -> float | None:
        return peak_rss_mb(self.process.pid)


@contextlib.contextmanager
def running_server(timeout: float = 60) -> Iterator[AwServer]:
    """Start aw-server --testing on a free loopback port; stop it and remove its files after."""
    from tests.desktop.harness import stop_process  # noqa: PLC0415 - run.py puts the root on sys.path

    with tempfile.TemporaryDirectory(prefix="unscroll-bench-aw-") as tmp:
        workdir = Path(tmp)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "PYTHON"))}
        env.update({"HOME": str(workdir), "XDG_DATA_HOME": str(workdir / "data"),
                    "XDG_CONFIG_HOME": str(workdir / "config"), "XDG_CACHE_HOME": str(workdir / "cache")})
        port = free_port()
        log = (workdir / "aw-server.log").open("wb")
        process = subprocess.Popen([str(VENV / "bin" / "aw-server"), "--testing", "--host", HOST,
                                    "--port", str(port)], env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=log)
        server = AwServer(process, port, workdir)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise AwUnavailable("aw-server exited at start: "
                                        + (workdir / "aw-server.log").read_text(errors="replace")[-800:])
                try:
                    server.call("/info", timeout=5)
                    break
                except (urllib.error.URLError, ConnectionError, OSError):
                    if time.monotonic() > deadline:
                        raise AwUnavailable(f"aw-server did not answer on port {port} within "
                                            f"{timeout:g} s") from None
                    time.sleep(0.2)
            yield server
        finally:
            stop_process(process, timeout=15)
            log.close()


# --- category rules and the query -------------------------------------------------------------

def aw_classes(rules: Any) -> list[list[Any]]:
    """unscroll's rules as ``categorize()`` classes for aw-server, with the same winner.

    ``apps`` patterns must match a whole value; ``sites`` patterns one whole part of a
    title between separators (an optional "(3) " counter before it). aw-core keeps the
    later of equally deep matches, so the rules go in reverse order: unscroll's first
    matching rule is the one aw picks.
    """
    classes: list[list[Any]] = []
    for rule in rules.rules:
        branches = []
        if rule.apps:
            branches.append("^(?:" + "|".join(f"(?:{p})" for p in rule.apps) + ")$")
        if rule.sites:
            sites = "|".join(f"(?:{p})" for p in rule.sites)
            branches.append(f"(?:^|{SEPARATOR})(?:\\(\\d+\\+?\\)\\s*)?(?:{sites})(?={SEPARATOR}|$)")
        regex = "|".join(branches)
        re.compile(regex)
        classes.append([[rule.category], {"type": "regex", "regex": regex, "ignore_case": True}])
    classes.reverse()
    return classes


def query_literal(value: Any) -> str:
    """``value`` written in aw's query language: like JSON, but strings are taken raw.

    aw's parser does not undo backslash escapes (only ``\\"`` inside a string), so a regular
    expression must be written as it is, not JSON-escaped.
    """
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{query_literal(k)}: {query_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(query_literal(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} in aw's query language")


def category_query(hostname: str, classes: Sequence[Any]) -> list[str]:
    """aw-webui's desktop query for category totals, as lines of aw's query language."""
    return [
        f'events = flood(query_bucket(find_bucket("aw-watcher-window_{hostname}")));',
        f'not_afk = flood(query_bucket(find_bucket("aw-watcher-afk_{hostname}")));',
        'not_afk = filter_keyvals(not_afk, "status", ["not-afk"]);',
        "events = filter_period_intersect(events, not_afk);",
        f"events = categorize(events, {query_literal(classes)});",
        'cat_events = sort_by_duration(merge_events_by_keys(events, ["$category"]));',
        'RETURN = {"cat_events": cat_events};',
    ]


def timeperiod(start_utc: float, end_utc: float) -> str:
    first = datetime.fromtimestamp(start_utc, UTC).isoformat()
    last = datetime.fromtimestamp(end_utc, UTC).isoformat()
    return f"{first}/{last}"


def totals_from(result: Any) -> dict[str, float]:
    """``{category: seconds}`` from the query's answer (first time period)."""
    totals: dict[str, float] = {}
    for event in result[0]["cat_events"]:
        name = "/".join(event["data"]["$category"]).lower()
        totals[name] = totals.get(name, 0.0) + float(event["duration"])
    return totals


def only_between(buckets: dict[str, Any], start_utc: float, end_utc: float) -> dict[str, Any]:
    """A copy of export ``buckets`` keeping the events that overlap ``[start_utc, end_utc)``."""
    kept = {}
    for key, bucket in buckets.items():
        events = []
        for event in bucket["events"]:
            begins = datetime.fromisoformat(event["timestamp"]).timestamp()
            if begins < end_utc and begins + event["duration"] > start_utc:
                events.append(event)
        kept[key] = {**bucket, "events": events}
    return kept


@dataclass
class AwFigures:
    version: str
    events_loaded: int
    import_s: float
    query_ms: float
    query_runs_ms: list[float]
    rss_mb: float | None
    peak_rss_mb: float | None
    totals: dict[str, float]


def measure(buckets: dict[str, Any], *, hostname: str, classes: Sequence[Any], start_utc: float,
            end_utc: float, repeats: int, log: Any = print) -> AwFigures:
    """Load ``buckets`` into a fresh aw-server and time the category query over the period."""
    version = ensure_installed(log)
    count = sum(len(bucket["events"]) for bucket in buckets.values())
    query = {"query": category_query(hostname, classes), "timeperiods": [timeperiod(start_utc, end_utc)]}
    with running_server() as server:
        began = time.perf_counter()
        server.call("/import", {"buckets": buckets}, timeout=1800)
        import_s = time.perf_counter() - began
        log(f"aw-server: {count} events imported in {import_s:.1f} s")
        runs = []
        result: Any = None
        for _ in range(repeats):
            began = time.perf_counter()
            result = server.call("/query/", query, timeout=1800)
            runs.append((time.perf_counter() - began) * 1000)
        runs_sorted = sorted(runs)
        median = runs_sorted[len(runs) // 2] if len(runs) % 2 else \
            (runs_sorted[len(runs) // 2 - 1] + runs_sorted[len(runs) // 2]) / 2
        return AwFigures(version=version, events_loaded=count, import_s=import_s, query_ms=median,
                         query_runs_ms=runs, rss_mb=server.rss_mb(), peak_rss_mb=server.peak_rss_mb(),
                         totals=totals_from(result))
