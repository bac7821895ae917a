"""The [experiment] settings: the shipped chance, what is accepted, and one clear line for the rest."""

from __future__ import annotations

import pytest

from monitor.core.errors import ConfigError
from monitor.core.experiment_settings import DEFAULT_HOLD_BACK
from monitor.core.paths import shipped_file
from monitor.core.settings import load_settings
from tests.conftest import write_config


def test_the_shipped_chance_is_one_in_five_and_explained(user_paths):
    assert load_settings(user_paths).experiment.hold_back == DEFAULT_HOLD_BACK == 0.2
    shipped = shipped_file("default.toml").read_text(encoding="utf-8")
    section = shipped.split("[experiment]")[1].split("\n[")[0]
    assert "hold_back = 0.2" in section
    assert "0 turns the experiment off" in section


@pytest.mark.parametrize(("written", "read"), [("0", 0.0), ("0.5", 0.5), ("0.05", 0.05), ("0.9", 0.9)])
def test_accepted_chances(user_paths, written, read):
    write_config(user_paths, f"[experiment]\nhold_back = {written}\n")
    experiment = load_settings(user_paths).experiment
    assert experiment.hold_back == read
    assert experiment.on is (read > 0)


@pytest.mark.parametrize(("written", "problem"), [
    ('"0.2"', "'0.2' is not a number from 0 (off) to 0.9, like 0.2"),
    ("true", "True is not a number from 0 (off) to 0.9, like 0.2"),
    ("1", "1 is out of range; write a number from 0 (off) to 0.9, like 0.2"),
    ("-0.1", "-0.1 is out of range"),
    ("nan", "nan is out of range"),
])
def test_a_bad_chance_is_one_line_naming_the_file_and_key(user_paths, written, problem):
    config = write_config(user_paths, f"[experiment]\nhold_back = {written}\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(user_paths)
    assert str(raised.value.message).startswith(f"{config}: experiment.hold_back: ")
    assert problem in raised.value.message


def test_an_unknown_key_names_the_one_known(user_paths):
    config = write_config(user_paths, "[experiment]\nholdback = 0.3\n")
    with pytest.raises(ConfigError, match="unknown key; \\[experiment\\] accepts hold_back") as raised:
        load_settings(user_paths)
    assert str(config) in raised.value.message
