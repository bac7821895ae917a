"""How long one wild window title takes through the daemon's observe step, and through splitting alone.

Issue 19: a title with a long run of spaces took seconds to split (the separator
expression ``\\s+(?:-|…)\\s+`` retried its ``\\s+`` from every space of the run: quadratic).
Each case is a title of the given length; ``observe`` is the whole step the daemon and
``unscroll categories test`` run (cleaning, cutting, privacy, classification),
``title_parts`` is the split alone, on the raw title. Every call gets a title not seen
before (the rules cache answers per title). Figures are medians of ``--repeats`` calls, in
milliseconds, on the machine it runs on; nothing here asserts a time.

    .venv/bin/python benchmarks/title_bench.py [--repeats 5] [--out title_bench.json]

Measured on the shared 2-core development machine (Python 3.11), before the fix (the
committed code, run from ``git archive HEAD``) and after, medians in ms; the machine was
shared with other work (load 1 to 5), so each cell gives the range over the runs (two or three):

    case                          chars    observe before → after   title_parts before → after
    spaces run (20,000)          20,047    11.8–18.3   → 0.49–0.54    3,799–13,467   → 0.12–0.13
    spaces run (100,000)        100,047    49.8        → 1.4–1.5      94,513–164,014 → 0.59–0.78
    words (100,000)             100,000    9.9–21.1    → 4.0–5.1      2.4–6.5        → 1.3–1.8
    separators (100,000)        100,000    10.6–21.4   → 6.5–13.1     8.5–20.3       → 8.2–16.7
    no spaces (100,000)         100,000    8.8–25.2    → 3.0–5.0      2.0–10.6       → 0.76–0.85
    RTL marks + words (100,000) 100,000    11.3–40.1   → 8.4–14.3     2.4–10.6       → 3.7–5.7

Before the fix ``unscroll categories test`` classified the raw title, so it took the
``title_parts`` time (3.8 s at 20,000 spaces, 95 s at 100,000); it now runs ``observe``.
The 100,000-space run took one call before (``--skip-slow`` leaves it out). Removing the
invisible marks costs the marks case a little in the split alone; every case is linear.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from monitor.core.paths import Paths  # noqa: E402
from monitor.core.settings import TrackingSettings, load_settings  # noqa: E402
from monitor.tracking.categories import Rules, load_rules, title_parts  # noqa: E402
from monitor.tracking.observe import observe  # noqa: E402
from monitor.tracking.platforms.base import ActiveWindow  # noqa: E402

SUFFIX = " - Reddit - Mozilla Firefox"


def _spaces(length: int) -> Callable[[int], str]:
    return lambda n: f"{n} post" + " " * length + "title : python" + SUFFIX


def _repeat(unit: str, length: int) -> Callable[[int], str]:
    def make(n: int) -> str:
        room = length - len(SUFFIX) - len(str(n)) - 1
        return f"{n} " + (unit * (length // len(unit) + 1))[:room] + SUFFIX
    return make


CASES: dict[str, tuple[Callable[[int], str], bool]] = {
    "spaces run (20,000)": (_spaces(20_000), False),
    "spaces run (100,000)": (_spaces(100_000), True),
    "words (100,000)": (_repeat("scroll ", 100_000), False),
    "separators (100,000)": (_repeat("a - ", 100_000), False),
    "no spaces (100,000)": (_repeat("x", 100_000), False),
    "RTL marks + words (100,000)": (_repeat("\u200fword\u202b \u2066", 100_000), False),
}


def _median_ms(call: Callable[[str], object], make: Callable[[int], str], repeats: int, first: int) -> float:
    times = []
    for n in range(first, first + repeats):
        title = make(n)
        started = time.perf_counter()
        call(title)
        times.append((time.perf_counter() - started) * 1000)
    return round(median(times), 2)


def measure(rules: Rules, tracking: TrackingSettings, repeats: int,
            skip_slow: bool) -> dict[str, dict[str, float]]:
    """Median milliseconds of ``observe`` and ``title_parts`` for each case."""
    figures: dict[str, dict[str, float]] = {}
    for name, (make, slow) in CASES.items():
        if slow and skip_slow:
            continue
        count = 1 if slow else repeats
        observed = _median_ms(lambda title: observe(ActiveWindow("firefox", title, None), rules, tracking),
                              make, count, 0)
        split = _median_ms(title_parts, make, count, 1000)
        figures[name] = {"chars": len(make(0)), "observe_ms": observed, "title_parts_ms": split}
        print(f"{name:28} {len(make(0)):>8,} {observed:>12,.2f} {split:>15,.2f}", flush=True)
    return figures


def main() -> int:
    """Measure every case and print the table; write JSON with ``--out``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-slow", action="store_true", help="leave out the 100,000-space run")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unscroll-titles-") as scratch:
        paths = Paths(config_file=Path(scratch) / "config.toml", data_dir=Path(scratch) / "data")
        settings = load_settings(paths)
        rules = load_rules(settings)
        print(f"{'case':28} {'chars':>8} {'observe ms':>12} {'title_parts ms':>15}")
        figures = measure(rules, settings.tracking, args.repeats, args.skip_slow)
    if args.out is not None:
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
