"""SIGKILL at random (seeded) moments, 100 times: the database stays sound, at most one sample is lost.

Three kinds of rounds, on the real daemon (Xvfb, openbox, D-Bus, dunst), 0.25 s samples:

- 80 plain rounds, so kills land everywhere whatever the machine's speed: half are
  killed a random 0 to 1 s after the daemon was started (while it imports its modules,
  opens or migrates the database, connects to X), half a random 0 to 1 s after its
  start line (while it takes or writes a sample).
- 10 rounds during a budget notification: a Facebook window over a one-second social
  budget makes a notice every second; the daemon is killed the moment dunst is asked
  to show one (the Notify call seen on the bus), or a random 0 to 0.2 s after.
- 10 rounds during an import: ``unscroll import activitywatch`` of a 60,000-event export
  and ``unscroll people import`` of 1,500 vCards, each killed at a random moment after
  its transaction began, with the daemon killed a random moment later. The imports are
  all-or-nothing; the daemon may lose what it kept in memory while the import held the
  write lock (it cannot write then) plus one sample: reported separately.

Loss per kill = the kill's instant minus the end of the last span stored in that round
(what the daemon saw and did not store). The person stays at the keyboard throughout
(the input touched every 0.1 s): after a crash the next start keeps what was counted up
to the last input only, so a kill also loses the time since the last input. Rounds
killed before any sample was stored are counted apart. The figures are printed (``-s``)
and written to ``UNSCROLL_FAULTS_REPORT`` when that names a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.faults.faultkit import (
    NO_BUDGETS,
    NOTICE_EVERY_SECOND,
    PROBE_APP,
    FaultDaemon,
    daemon_config,
    integrity,
    present,
    spans,
)
from tests.helpers import wait_until

SEED = 20261127
INTERVAL = 0.25
SLACK = 0.25  # a tick's own latency (sampling X, writing) on a busy two-core machine
TOUCH_EVERY = 0.1  # the person's input; a crash also loses the time since the last one
PLAIN_ROUNDS = 80
NOTICE_ROUNDS = 10
IMPORT_ROUNDS = 10
AW_EVENTS = 60_000
CARDS = 1_500

CONFIG = daemon_config(INTERVAL, NO_BUDGETS)
NOTICE_CONFIG = daemon_config(INTERVAL, NOTICE_EVERY_SECOND)


def report(name: str, figures: dict[str, object]) -> None:
    """Print the figures and add them to the report file, if one is named."""
    print(f"{name}:", json.dumps(figures))
    target = os.environ.get("UNSCROLL_FAULTS_REPORT")
    if target:
        path = Path(target)
        data = json.loads(path.read_text()) if path.exists() else {}
        data[name] = figures
        path.write_text(json.dumps(data, indent=2) + "\n")


def started_at(daemon: FaultDaemon) -> list[float]:
    """The instants of every "unscroll daemon started" line of the daemon's log."""
    found = []
    if not daemon.paths.log_file.exists():
        return found
    for line in daemon.paths.log_file.read_text(errors="replace").splitlines():
        if "unscroll daemon started" in line:
            found.append(datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp())
    return found


def losses(daemon: FaultDaemon, rounds: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Per round with stored spans: kill instant - last stored end. Else: kill - start line."""
    stored = spans(daemon.paths.database)
    starts = started_at(daemon)
    lost, unsampled = [], []
    for began, killed in rounds:
        ends = [end for start, end, _ in stored if began <= start <= killed]
        if ends:
            lost.append(killed - max(ends))
        else:
            unsampled.append(max((killed - s for s in starts if began <= s <= killed), default=0.0))
    return lost, unsampled


def summary(lost: list[float], unsampled: list[float], kills: int) -> dict[str, object]:
    ordered = sorted(lost)
    return {
        "kills": kills, "rounds_with_spans": len(lost), "rounds_killed_before_first_stored_sample":
        len(unsampled), "seconds_lost_mean": round(sum(lost) / max(1, len(lost)), 3),
        "seconds_lost_median": round(ordered[len(ordered) // 2], 3) if ordered else None,
        "seconds_lost_max": round(max(lost, default=0.0), 3),
        "seconds_lost_p90": round(ordered[int(len(ordered) * 0.9)], 3) if ordered else None,
        "unsampled_seconds_after_start_line_max": round(max(unsampled, default=0.0), 3),
    }


def test_sigkill_at_random_moments(desktop, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    daemon = FaultDaemon.make(desktop, tmp_path, CONFIG)
    desktop.focus(desktop.open_window("faults killed", process_name=PROBE_APP))
    desktop.touch_input()
    rounds = []
    try:
        with present(desktop, TOUCH_EVERY):
            for number in range(PLAIN_ROUNDS):
                starts = len(started_at(daemon))
                began = daemon.spawn()
                if number % 2:  # from the start line on: how long starting takes varies by machine
                    wait_until(lambda starts=starts: len(started_at(daemon)) > starts, timeout=20,
                               interval=0.01, message="the daemon's start line")
                time.sleep(rng.uniform(0.0, 1.0))  # the random moment of the kill, not a wait
                rounds.append((began, daemon.kill_now()))
    finally:
        daemon.finish()
    assert integrity(daemon.paths.database) == "ok"
    lost, unsampled = losses(daemon, rounds)
    figures = summary(lost, unsampled, PLAIN_ROUNDS)
    figures["database_bytes"] = daemon.paths.database.stat().st_size
    figures["spans"] = len(spans(daemon.paths.database))
    report("plain kills", figures)
    assert len(lost) >= PLAIN_ROUNDS // 4, figures  # many rounds were killed after storing a sample
    assert max(lost) <= INTERVAL + SLACK + TOUCH_EVERY, figures
    assert all(seconds >= -0.05 for seconds in lost), figures  # nothing stored after the kill
    # a round without any stored span was killed before its first sample could be written
    assert max(unsampled, default=0.0) <= 1.0, figures


def test_sigkill_during_budget_notifications(desktop, notifications, tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    daemon = FaultDaemon.make(desktop, tmp_path, NOTICE_CONFIG)
    desktop.focus(desktop.open_window("Facebook — Mozilla Firefox", process_name="firefox"))
    desktop.touch_input()
    rounds = []
    try:
        with present(desktop, TOUCH_EVERY):
            for _ in range(NOTICE_ROUNDS):
                seen = len(notifications.notifications)
                began = daemon.spawn()
                wait_until(lambda seen=seen: len(notifications.notifications) > seen, timeout=20,
                           interval=0.01, message="a budget notice to be sent")
                time.sleep(rng.choice([0.0, rng.uniform(0.0, 0.2)]))
                rounds.append((began, daemon.kill_now()))
    finally:
        daemon.finish()
    assert integrity(daemon.paths.database) == "ok"
    lost, unsampled = losses(daemon, rounds)
    figures = summary(lost, unsampled, NOTICE_ROUNDS)
    with contextlib.closing(sqlite3.connect(daemon.paths.database)) as connection:
        prompts = connection.execute("SELECT COUNT(*) FROM prompts WHERE message != ''").fetchone()[0]
    figures["notices_shown"] = len(notifications.notifications)
    figures["prompts_recorded"] = prompts
    report("kills during notifications", figures)
    assert not unsampled, figures
    assert max(lost) <= INTERVAL + SLACK + TOUCH_EVERY, figures
    # every notice shown was recorded first (a notice recorded but killed before it was shown is fine)
    assert prompts >= len(notifications.notifications)


def aw_export(path: Path, events: int) -> Path:
    first = datetime(2025, 5, 1, tzinfo=UTC)
    bucket = {"id": "aw-watcher-window_faults", "type": "currentwindow", "hostname": "faults", "events": [
        {"id": number, "timestamp": (first + timedelta(seconds=10 * number)).isoformat(), "duration": 9.0,
         "data": {"app": "editor", "title": f"file {number % 700}.txt"}} for number in range(events)]}
    path.write_text(json.dumps({"buckets": {bucket["id"]: bucket}}))
    return path


def vcards(path: Path, cards: int) -> Path:
    path.write_text("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nN:{n};Person;;;\r\nEMAIL:p{n}@example.org\r\n"
        f"TEL:+4930{n:07d}\r\nUID:faults-{n}\r\nEND:VCARD\r\n" for n in range(cards)))
    return path


def imported(database: Path) -> tuple[int, int]:
    """(spans from ActivityWatch, people) stored now."""
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        spans_in = connection.execute("SELECT COUNT(*) FROM spans WHERE source = 'activitywatch'").fetchone()
        people_in = connection.execute("SELECT COUNT(*) FROM people").fetchone()
    return int(spans_in[0]), int(people_in[0])


def write_lock_held(database: Path) -> bool:
    """True when another connection holds the database's write lock right now."""
    with contextlib.closing(sqlite3.connect(database, timeout=0, isolation_level=None)) as probe:
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        probe.execute("ROLLBACK")
    return False


def test_sigkill_during_imports(desktop, tmp_path: Path) -> None:
    rng = random.Random(SEED + 2)
    daemon = FaultDaemon.make(desktop, tmp_path, CONFIG)
    export = aw_export(tmp_path / "aw-buckets-export.json", AW_EVENTS)
    cards = vcards(tmp_path / "people.vcf", CARDS)
    desktop.focus(desktop.open_window("faults importing", process_name=PROBE_APP))
    desktop.touch_input()
    rounds, held, outcomes, after_round = [], [], [], []
    try:
        with present(desktop, TOUCH_EVERY):
            for number in range(IMPORT_ROUNDS):
                began = daemon.spawn()
                # two samples: a span with time in it (one sample alone is an instant, and
                # after a crash nothing past the last input is kept)
                daemon_ready = wait_until(
                    lambda began=began: (daemon.heartbeat(after=began) or {}).get("ticks", 0) >= 2,
                    timeout=20, message="the daemon's first two samples")
                assert daemon_ready
                command = (["import", "activitywatch", str(export)] if number % 2 == 0
                           else ["people", "import", str(cards)])
                importer = subprocess.Popen([sys.executable, "-m", "monitor", *command], env=daemon.env,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

                def importing(importer=importer) -> bool:
                    # held twice in a row, 30 ms apart: the import's transaction, not a daemon tick
                    if importer.poll() is not None:
                        return True
                    if not write_lock_held(daemon.paths.database):
                        return False
                    time.sleep(0.03)
                    return write_lock_held(daemon.paths.database)

                wait_until(importing, timeout=60, interval=0.01, message="the import's transaction")
                lock_from = time.time()
                time.sleep(rng.uniform(0.0, 0.4))
                with contextlib.suppress(ProcessLookupError):
                    importer.send_signal(signal.SIGKILL)
                importer.wait(timeout=10)
                time.sleep(rng.uniform(0.0, 0.3))
                killed = daemon.kill_now()
                rounds.append((began, killed))
                held.append(killed - lock_from)
                outcomes.append(("aw" if number % 2 == 0 else "people", importer.returncode))
                after_round.append(imported(daemon.paths.database))
    finally:
        daemon.finish()
    assert integrity(daemon.paths.database) == "ok"
    aw_spans, people = imported(daemon.paths.database)
    lost, unsampled = losses(daemon, rounds)
    figures = summary(lost, unsampled, IMPORT_ROUNDS)
    # an import whose kind still has nothing stored after its round was killed before committing
    rolled_back = sum(1 for (kind, _), now in zip(outcomes, after_round, strict=True)
                      if now[0 if kind == "aw" else 1] == 0)
    figures.update({"activitywatch_spans": aw_spans, "people": people,
                    "imports_rolled_back_by_the_kill": rolled_back,
                    "importers_killed_mid_way": sum(code == -signal.SIGKILL for _, code in outcomes),
                    "write_lock_held_before_daemon_kill_max": round(max(held), 3)})
    report("kills during imports", figures)
    for spans_now, people_now in after_round:  # all or nothing, after every single kill
        assert spans_now in (0, AW_EVENTS), after_round
        assert people_now in (0, CARDS), after_round
    assert rolled_back >= 1, figures  # at least one kill really landed inside a transaction
    assert not unsampled, figures
    # the daemon cannot write while an import holds the lock: it loses at most that, plus a sample
    for seconds, lock in zip(lost, held, strict=True):
        assert seconds <= lock + INTERVAL + SLACK + TOUCH_EVERY, figures
