"""`unscroll check`: the rollups against the spans, as a person runs it (and `--repair`)."""

from __future__ import annotations

import subprocess
import sys

from monitor.store.database import Store

T0 = 1_774_310_400.0  # 2026-03-24 00:00 UTC


def store_with_spans(user_paths) -> None:
    with Store(user_paths.database) as store, store.transaction():
        store.insert_span(T0, T0 + 600, "firefox", None, "social", "Mastodon", "laptop")
        store.insert_span(T0 + 2 * 86400, T0 + 2 * 86400 + 90, "code", None, "work", "Code", "laptop")


def test_a_store_in_step_is_clean(run, user_paths):
    store_with_spans(user_paths)
    assert run("check") == (0, "The rollups agree with the 2 stored spans.\n", "")


def test_a_corrupted_rollup_is_named_exit_1_and_repair_rebuilds_it(run, user_paths):
    store_with_spans(user_paths)
    with Store(user_paths.database) as store:
        store.connection.execute("UPDATE span_rollups_daily SET micros = 0 WHERE category = 'work'")
    code, out, err = run("check")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "rollup of 2026-03-26 (UTC day), category 'work', device 'laptop': 0.000000 s in 1 spans kept, "
        "90.000000 s in 1 spans stored",
        "1 difference between the rollups and the spans; `unscroll check --repair` builds them anew "
        "from the spans",
    ]
    code, out, err = run("check", "--repair")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "Rebuilt the rollups from the 2 stored spans; they agree."
    assert run("check")[0] == 0
    with Store(user_paths.database) as store:  # nothing stored was lost
        assert store.connection.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 2


def test_an_unknown_option_is_named_without_a_traceback(user_paths):
    result = subprocess.run([sys.executable, "-m", "monitor", "check", "--fix"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "Error: No such option '--fix'." in result.stderr
    assert "Traceback" not in result.stderr
