"""`unscroll effect` and the held-back decisions in `unscroll prompts`, as a person runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from monitor.core.days import day_of, local_zone
from monitor.core.settings import load_settings
from monitor.core.vocabulary import DOORWAY, OVER
from monitor.store.database import Store
from monitor.store.prompts import record_prompt
from tests.conftest import write_config


def test_with_nothing_decided_yet_it_says_so(run):
    code, out, err = run("effect")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("unscroll holds back 20 % of its doorways and over-budget notices")
    assert "No doorways or over-budget notices yet in that time." in out
    report = json.loads(run("effect", "--json")[1])
    assert (report["kinds"], report["hold_back"], report["method"]) == ([], 0.2, "welch")
    assert report["since"] == report["until"]


def test_turned_off_it_says_how_to_turn_it_on(run, user_paths):
    write_config(user_paths, "[experiment]\nhold_back = 0\n")
    out = run("effect")[1]
    assert out.startswith("The experiment is off (experiment.hold_back = 0): every prompt is shown")


def test_a_bad_since_is_one_line(user_paths):
    result = subprocess.run([sys.executable, "-m", "monitor", "effect", "--since", "last week"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == ("unscroll: effect: --since 'last week' is not a date like 2026-03-01, today, "
                             "yesterday, 3d ago or 2w ago\n")


def test_held_back_decisions_are_listed_and_counted(run, user_paths):
    now = time.time()
    settings = load_settings(user_paths)
    day = day_of(now, settings.day_starts_at, local_zone())
    with Store(user_paths.database) as store:
        record_prompt(store, at=now - 60, day=day, kind=DOORWAY, category="social", message="",
                      held_back=True)
        record_prompt(store, at=now - 30, day=day, kind=OVER, category="social", message="")
    entries = json.loads(run("prompts", "--json")[1])
    assert [(e["kind"], e["held_back"], e["outcome"]) for e in entries] == [
        ("doorway", True, None), ("over-budget", False, None)]
    table = run("prompts")[1]
    assert "held back (experiment)" in table
    assert "no answer yet" in table
    report = json.loads(run("effect", "--json")[1])
    assert [(k["kind"], k["shown"], k["held_back"]) for k in report["kinds"]] == [
        ("doorway", 0, 1), ("over-budget", 1, 0)]
    assert all(o["shown_mean"] is None and o["ci95"] is None and not o["enough"]
               for k in report["kinds"] for o in k["outcomes"])  # nothing known within the first minute
    out = " ".join(run("effect")[1].split())
    assert "Doorways: 0 shown, 1 held back." in out
    assert "19 more held-back and 20 more shown doorways are needed" in out
