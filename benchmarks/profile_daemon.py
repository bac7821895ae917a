"""Profile one daemon sample: the CPU a tick of the real SamplingJob costs, next to the floor's calls.

``python benchmarks/profile_daemon.py [--ticks 400] [--profile]`` starts a private desktop
(tests/desktop/harness.py) with the same windows as desktop_bench.py, builds the daemon's
own ``SamplingJob`` and calls ``tick()`` back to back (no scheduler, no waiting), moving
the focus every few ticks, and reports the CPU time (``time.process_time``: every thread of
this process) per tick against the floor loop's X11 calls. With ``--profile`` it prints
the functions that take the time (cProfile, sorted by own time).
"""

# ruff: noqa: PLC0415 - monitor is imported once the desktop's environment is set

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for entry in (str(HERE), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from desktop_bench import WINDOWS  # noqa: E402


def floor_calls(display_name: str) -> object:
    import Xlib.display
    from Xlib import X, Xatom

    display = Xlib.display.Display(display_name)
    root = display.screen().root
    active = display.intern_atom("_NET_ACTIVE_WINDOW")
    name = display.intern_atom("_NET_WM_NAME")
    pid = display.intern_atom("_NET_WM_PID")

    def once() -> None:
        prop = root.get_property(active, Xatom.WINDOW, 0, 1)
        if prop is None or not prop.value or not prop.value[0]:  # nothing focused: as the daemon, idle only
            root.screensaver_query_info()
            return
        window = display.create_resource_object("window", int(prop.value[0]))
        if window.get_property(name, X.AnyPropertyType, 0, 16384) is None:
            window.get_property(Xatom.WM_NAME, X.AnyPropertyType, 0, 16384)
        window.get_property(pid, Xatom.CARDINAL, 0, 1)
        root.screensaver_query_info()

    return once


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ticks", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    from tests.desktop.harness import Desktop

    with tempfile.TemporaryDirectory(prefix="unscroll-profile-") as tmp:
        workdir = Path(tmp)
        desktop = Desktop(workdir)
        desktop.start()
        try:
            windows = [desktop.open_window(title, process_name=name) for name, title in WINDOWS]
            os.environ.update(desktop.env)
            os.environ["UNSCROLL_CONFIG"] = str(workdir / "config.toml")
            os.environ["UNSCROLL_DATA_DIR"] = str(workdir / "data")
            from monitor.core.settings import load_settings
            from monitor.core.settings_watch import SettingsWatcher
            from monitor.daemon.sampling_job import SamplingJob

            job = SamplingJob(SettingsWatcher(load_settings()))
            floor = floor_calls(desktop.display)
            for _ in range(5):  # connect, fill caches
                job.tick()
                floor()  # type: ignore[operator]
            profiler = cProfile.Profile() if args.profile else None
            spent_job = spent_floor = 0.0
            now = time.time()
            for tick in range(args.ticks):
                if tick % 5 == 0:
                    desktop.run("xdotool", "windowactivate", "--sync",
                                str(windows[tick // 5 % len(windows)].window_id))
                job.clock = functools.partial(float, now + 2.0 * tick)  # samples 2 s apart, as the daemon
                began = time.process_time()
                if profiler is not None:
                    profiler.enable()
                job.tick()
                if profiler is not None:
                    profiler.disable()
                spent_job += time.process_time() - began
                began = time.process_time()
                floor()  # type: ignore[operator]
                spent_floor += time.process_time() - began
            job.close()
            per_job = spent_job / args.ticks * 1000
            per_floor = spent_floor / args.ticks * 1000
            print(f"daemon tick: {per_job:.3f} ms CPU; floor calls: {per_floor:.3f} ms CPU; "
                  f"ratio {per_job / per_floor:.1f} ({args.ticks} ticks)")
            if profiler is not None:
                pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        finally:
            desktop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
