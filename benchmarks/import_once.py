"""One ActivityWatch import in a new process, as ``unscroll import activitywatch`` runs it.

``python benchmarks/import_once.py EXPORT [--whole]`` imports EXPORT into a fresh store in a
temporary folder (``--whole``: read whole, as files up to 16 MB are) and prints, as JSON, the
events read, the spans and seconds added and the import call's wall and CPU time.

``run.py`` times each import so, the streamed and the whole-file one in turns, each in a
new process as a person's ``unscroll import`` runs: neither is timed in a process that has
just held the other's memory (the whole-file import holds about eight times the file).
This is how a person's import runs, not a speed-up: in 8 pairs at a busy hour, a streamed
import timed right after a whole-file one in the same process and one timed alone in a new
process took the same time within the noise (medians 4.13 and 4.50 s).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from monitor.core.days import local_zone  # noqa: E402
from monitor.core.paths import Paths  # noqa: E402
from monitor.core.settings import load_settings  # noqa: E402
from monitor.history import activitywatch  # noqa: E402
from monitor.store.database import Store  # noqa: E402


def import_once(export_path: Path, *, whole: bool) -> dict[str, float]:
    """Import ``export_path`` into a new store; what it read and added, and how long the call took."""
    if whole:
        activitywatch.WHOLE_FILE_BYTES = 1 << 40
    with tempfile.TemporaryDirectory(prefix="unscroll-bench-import-") as tmp:
        folder = Path(tmp)
        settings = load_settings(Paths(config_file=folder / "config.toml", data_dir=folder))
        with Store(folder / "unscroll.sqlite3") as store:
            began, began_cpu = time.perf_counter(), time.process_time()
            report = activitywatch.import_activitywatch(store, export_path, settings, zone=local_zone())
            elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    return {"events": report.events, "spans_added": report.spans_added,
            "seconds_added": report.seconds_added, "seconds": elapsed, "cpu_seconds": cpu}


if __name__ == "__main__":
    print(json.dumps(import_once(Path(sys.argv[1]), whole="--whole" in sys.argv[2:])))
