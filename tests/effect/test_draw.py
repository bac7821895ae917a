"""The hold-back draw: seeded, kept in the data folder (private), replayable, and honest about its rate."""

from __future__ import annotations

import json
import logging

from monitor.effect.draw import STATE_FILE, draw_value, hold_back, read_state, replay, write_state
from tests.helpers import assert_private


def test_a_seeded_run_replays_exactly(tmp_path):
    data = tmp_path / "data"
    write_state(data, "replay-me", 0)
    decisions = [hold_back(data, 0.5) for _ in range(40)]
    assert decisions == replay("replay-me", 0.5, 40)
    assert read_state(data) == ("replay-me", 40)
    assert True in decisions
    assert False in decisions
    # a restart goes on where the last run stopped: the state is the file
    assert [hold_back(data, 0.5) for _ in range(5)] == replay("replay-me", 0.5, 5, first=40)


def test_the_state_file_is_private_and_made_on_first_use(tmp_path):
    data = tmp_path / "data"
    hold_back(data, 0.2)
    assert_private(data)
    assert_private(data / STATE_FILE)
    seed, draws = read_state(data)
    assert len(seed) == 32
    assert draws == 1
    other = tmp_path / "other"
    hold_back(other, 0.2)
    assert read_state(other)[0] != seed  # each data folder its own seed
    assert sorted(p.name for p in data.iterdir()) == [STATE_FILE]  # no temporary file left behind


def test_zero_holds_nothing_back_and_draws_nothing(tmp_path):
    data = tmp_path / "data"
    assert not any(hold_back(data, 0.0) for _ in range(100))
    assert not (data / STATE_FILE).exists()


def test_an_unreadable_state_is_kept_aside_and_a_new_seed_started(tmp_path, caplog):
    data = tmp_path / "data"
    data.mkdir()
    (data / STATE_FILE).write_text('{"seed": 5}', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        hold_back(data, 0.5)
    assert (data / f"{STATE_FILE}.unreadable").read_text(encoding="utf-8") == '{"seed": 5}'
    assert read_state(data)[1] == 1
    [message] = [r.getMessage() for r in caplog.records if STATE_FILE in r.getMessage()]
    assert "started a new seed" in message
    (data / STATE_FILE).write_text("not json", encoding="utf-8")
    hold_back(data, 0.5)
    assert json.loads((data / STATE_FILE).read_text(encoding="utf-8"))["draws"] == 1


def test_the_draws_hold_back_at_the_chance_asked():
    for chance in (0.2, 0.5):
        draws = replay("rate", chance, 20_000)
        assert abs(sum(draws) / len(draws) - chance) < 0.01
    values = [draw_value("rate", n) for n in range(20_000)]
    assert min(values) >= 0.0
    assert max(values) < 1.0
    assert abs(sum(v < 0.5 for v in values[::2]) - sum(v < 0.5 for v in values[1::2])) < 300
