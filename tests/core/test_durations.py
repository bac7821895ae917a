"""Durations as written in config files and commands."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.core.durations import format_duration, parse_duration, to_config_text
from monitor.core.errors import DurationError


@pytest.mark.parametrize(("text", "seconds"), [
    ("2s", 2), ("30m", 1800), ("1h30m", 5400), ("1h 30m", 5400), ("2d", 172800), ("2w", 1209600),
    ("0.5s", 0.5), ("0s", 0), (" 45M ", 2700),
])
def test_parses_accepted_forms(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["thirty minutes", "-5m", "30", "", "5x", "1h1h", "m30", 30, None])
def test_rejects_with_the_key_and_the_accepted_form(text):
    with pytest.raises(DurationError) as caught:
        parse_duration(text, where="budgets.social")
    assert "budgets.social" in str(caught.value)
    assert "1h30m" in str(caught.value)


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_our_error(text):
    with contextlib.suppress(DurationError):
        parse_duration(text)


def test_round_trip_to_config_text():
    assert to_config_text(timedelta(seconds=5400)) == "1h30m"
    assert parse_duration(to_config_text(timedelta(seconds=3725))) == timedelta(seconds=3725)


def test_format_for_people():
    assert format_duration(45) == "45 s"
    assert format_duration(750) == "12 m"
    assert format_duration(3900) == "1 h 05 m"
