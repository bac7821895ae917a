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

from monitor.core.paths import Paths  # noqa: E402
from tests.desktop.accuracy import WORK_TITLES, Person  # noqa: E402
from tests.desktop.daemon_process import DaemonProcess, write_test_config  # noqa: E402
from tests.desktop.harness import Desktop  # noqa: E402
from tests.helpers import wait_until  # noqa: E402

INTERVAL = 2.0
IDLE_AFTER = 5.0
FIRST_SEED = 7100


def one_session(desktop: Desktop, folder: Path, *, events: bool, seed: int) -> dict[str, object]:
    paths = Paths(config_file=folder / "config.toml", data_dir=folder / "data")
    write_test_config(paths, f'[tracking]\nsample_every = "{INTERVAL:g}s"\nidle_after = "{IDLE_AFTER:g}s"\n'
                             f'focus_events = {"true" if events else "false"}\n')
    daemon = DaemonProcess(desktop.env, paths)
    person = Person(desktop, IDLE_AFTER, seed)
    try:
        for title in WORK_TITLES:
            person.open(title)
        person.wait_idle()
        daemon.start()
        session = person.play()
        gone = session.inputs[-1] + IDLE_AFTER + INTERVAL
        wait_until(lambda: (daemon.heartbeat() or {"at": 0})["at"] > gone, timeout=20, message="gone")
    finally:
        daemon.stop()
        person.close()
        desktop.close_windows(0)
    truth = session.truth()
    counted = {title: daemon.exact_seconds(title) for title in {*truth, *person.titles.values()}}
    errors = {title: counted[title] - truth.get(title, 0.0) for title in counted}
    return {"seed": seed, "switches": session.switches, "truth_s": truth, "counted_s": counted,
            "errors_s": errors}


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
