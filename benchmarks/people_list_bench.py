"""How long ``unscroll people list`` (the table and ``--json``) takes for many people.

Seeded: 10,000 people (``--people`` to change) with names in several scripts, tags,
emails, phones, a frequency for most and a few interactions each, written into a fresh
store under a temporary folder. Each command runs as a real process (the installed entry
point, ``python -m monitor``) with that folder as its config and data, ``--repeat`` times;
the median and the fastest run are printed, in seconds. Nothing is asserted.

    .venv/bin/python benchmarks/people_list_bench.py            # 10,000 people, 5 runs each
    .venv/bin/python benchmarks/people_list_bench.py --people 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.store.database import Store  # noqa: E402 - after the path is set

SEED = 20261130
GIVEN = ["Sam", "Ana", "Jürgen", "Ελένη", "Иван", "太郎", "Amara", "Zoë", "Noah", "Priya", "Kofi", "Lena"]
FAMILY = ["Lee", "García", "Müller", "Παπαδοπούλου", "Петров", "山田", "Okafor", "Ångström", "Smith"]
TAGS = ["friends", "family", "work", "school", "climbing", "book club"]
DAY = 86400.0


def seed_store(path: Path, count: int, now: float) -> None:
    """Write ``count`` seeded people and their interactions into the store at ``path``."""
    rng = random.Random(SEED)
    with Store(path) as store, store.transaction() as connection:
        for number in range(1, count + 1):
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {number}"
            tags = rng.sample(TAGS, rng.randint(0, 3))
            every = rng.choice([None, 7.0, 14.0, 30.0, 90.0, 365.0])
            created = now - rng.uniform(10, 900) * DAY
            connection.execute(
                "INSERT INTO people (name, every_days, tags, emails, phones, links, notes, created_utc) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, every, json.dumps(tags), json.dumps([f"p{number}@example.org"]),
                 json.dumps([f"+4420794{number:05d}"]), "[]", "", created))
            for _ in range(rng.randint(0, 4)):
                connection.execute(
                    "INSERT OR IGNORE INTO interactions (person_id, at_utc, via, note, source) "
                    "VALUES (?, ?, 'call', '', 'manual')", (number, now - rng.uniform(0, 400) * DAY))


def time_command(args: list[str], env: dict[str, str], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs of ``unscroll ARGS`` (output thrown away)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "monitor", *args], env=env, check=False,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        runs.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"unscroll {' '.join(args)} failed: {result.stderr.strip()}")
    return runs


def main() -> None:
    """Seed a store, time the commands, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unscroll-people-bench-") as folder:
        base = Path(folder)
        env = dict(os.environ, UNSCROLL_CONFIG=str(base / "config.toml"),
                   UNSCROLL_DATA_DIR=str(base / "data"), COLUMNS="120")
        seed_store(base / "data" / "unscroll.sqlite3", options.people, time.time())
        print(f"people list with {options.people:,} people, {options.repeat} runs each (seconds)")
        for label, args in (("table", ["people", "list"]), ("json", ["people", "list", "--json"]),
                            ("startup (unscroll --version)", ["--version"])):
            runs = time_command(args, env, options.repeat)
            print(f"  {label:<30} median {statistics.median(runs):.3f}  fastest {min(runs):.3f}")


if __name__ == "__main__":
    main()
