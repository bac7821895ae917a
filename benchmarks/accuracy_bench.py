"""How exactly the daemon counts: the scripted session of tests/desktop/accuracy.py, as figures.

For each path (focus events on, the default on X11; the timer alone) and each seed, a
fresh daemon (sampling every 2 s, idle after 5 s) watches the seeded session on a private
Xvfb + openbox desktop; the counted seconds per window are compared with the truth the
script wrote down. Figures: the mean absolute error per window, and the summed absolute
error divided by the number of focus changes (per switch), for each path.

    .venv/bin/python benchmarks/accuracy_bench.py [--seeds 3] [--out benchmarks/accuracy.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from statistics import mean

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.desktop.accuracy import run_session  # noqa: E402
from tests.desktop.harness import Desktop  # noqa: E402

INTERVAL = 2.0
IDLE_AFTER = 5.0
FIRST_SEED = 7100


def one_session(desktop: Desktop, folder: Path, *, events: bool, seed: int) -> dict[str, object]:
    outcome = run_session(desktop, folder, events=events, seed=seed, interval=INTERVAL, idle_after=IDLE_AFTER)
    desktop.close_windows(0)
    return {"seed": seed, "switches": outcome.switches, "truth_s": outcome.truth,
            "counted_s": outcome.counted, "errors_s": outcome.errors()}


def summary(runs: list[dict[str, object]]) -> dict[str, float]:
    errors = [abs(e) for run in runs for e in run["errors_s"].values()]  # type: ignore[union-attr]
    switches = sum(int(run["switches"]) for run in runs)  # type: ignore[call-overload]
    return {"mae_per_window_s": round(mean(errors), 4), "max_window_error_s": round(max(errors), 4),
            "abs_error_per_switch_s": round(sum(errors) / switches, 4), "windows": len(errors),
            "switches": switches, "sessions": len(runs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "accuracy.json")
    args = parser.parse_args()
    results: dict[str, object] = {"interval_s": INTERVAL, "idle_after_s": IDLE_AFTER}
    with tempfile.TemporaryDirectory(prefix="unscroll-accuracy-") as scratch:
        desktop = Desktop(Path(scratch) / "desktop")
        desktop.start()
        try:
            for path, events in (("events", True), ("polling", False)):
                runs = []
                for seed in range(FIRST_SEED, FIRST_SEED + args.seeds):
                    folder = Path(scratch) / f"{path}-{seed}"
                    runs.append(one_session(desktop, folder, events=events, seed=seed))
                    print(f"{path} seed {seed}: " + ", ".join(
                        f"{t} {e:+.3f} s" for t, e in sorted(runs[-1]["errors_s"].items())), flush=True)
                results[path] = {"summary": summary(runs), "runs": runs}
        finally:
            desktop.close()
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(f"{'path':10} {'MAE/window':>12} {'max':>8} {'|err|/switch':>13} {'switches':>9}")
    for path in ("events", "polling"):
        s = results[path]["summary"]  # type: ignore[index]
        print(f"{path:10} {s['mae_per_window_s']:>11.3f}s {s['max_window_error_s']:>7.3f}s "
              f"{s['abs_error_per_switch_s']:>12.3f}s {s['switches']:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
