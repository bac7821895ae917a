"""The experiment in words: what a person reads never claims more than the interval supports."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from monitor.effect.measure import ENOUGH, EffectReport, KindEffect, OutcomeEffect
from monitor.effect.stats import Comparison
from monitor.effect.words import effect_sentences, interval_words, kind_sentences

SINCE, UNTIL = date(2026, 3, 1), date(2026, 3, 24)
SECONDS = "category_seconds_next_30m"


def compared(name: str, shown_mean: float, held_mean: float, low: float, high: float, shown_n: int = 46,
             held_n: int = 22) -> OutcomeEffect:
    return OutcomeEffect(name, Comparison(shown_n, held_n, shown_mean, held_mean, shown_mean - held_mean,
                                          (low, high)))


def doorway(*outcomes: OutcomeEffect, shown: int = 46, held: int = 22) -> KindEffect:
    return KindEffect("doorway", shown, held, ("social",), outcomes)


def test_a_clear_difference_is_said_with_its_interval():
    [_, line] = kind_sentences(doorway(compared(SECONDS, 240, 600, -540, -180)))
    assert line == ("When unscroll opened the doorway, you spent 6 min less on social in the next half hour "
                    "than when it held back (95 % CI 3 to 9 min less; 46 and 22 times).")


def test_an_unclear_difference_says_so_and_gives_the_whole_interval():
    [_, line] = kind_sentences(doorway(compared(SECONDS, 500, 600, -400, 200)))
    assert line == ("When unscroll opened the doorway, you spent 1.7 min less on social in the next half "
                    "hour than when it held back; that is not a clear difference: the 95 % CI runs from "
                    "6.7 min less to 3.4 min more, so it may be none (46 and 22 times).")


def test_shares_are_said_in_percent_and_points():
    [_, left, reached] = kind_sentences(doorway(
        compared("visit_ended_within_5m", 0.62, 0.30, 0.08, 0.56),
        compared("reached_out_within_24h", 0.0, 0.0, 0.0, 0.0)))
    assert left == ("When unscroll opened the doorway, you left within 5 minutes 62 % of the time, against "
                    "30 % when it held back (95 % CI 8 to 56 points more; 46 and 22 times).")
    assert reached == ("When unscroll opened the doorway, you reached someone within a day after 0 % of "
                       "them, against 0 % when it held back: no difference at all (46 and 22 times).")


def test_before_there_is_enough_it_says_how_many_more_are_needed():
    waiting = OutcomeEffect(SECONDS, Comparison(46, 12, 240.0, 600.0, -360.0, (-700.0, -20.0)))
    lines = kind_sentences(doorway(waiting, waiting, waiting, held=12))
    assert lines == ["Doorways: 46 shown, 12 held back.",
                     f"Not enough yet to tell whether they change anything: 8 more held-back doorways are "
                     f"needed (unscroll compares once each side has {ENOUGH})."]
    assert "less" not in " ".join(lines)


def test_the_opening_says_the_experiment_and_when_it_is_off():
    on = effect_sentences(EffectReport(SINCE, UNTIL, 0.2))
    assert on == ["unscroll holds back 20 % of its doorways and over-budget notices at random and compares "
                  "what follows (from 2026-03-01 to 2026-03-24).",
                  "No doorways or over-budget notices yet in that time."]
    off = effect_sentences(EffectReport(SINCE, UNTIL, 0.0))
    assert off[0].startswith("The experiment is off (experiment.hold_back = 0)")


def _numbers(text: str) -> list[float]:
    return [float(found) for found in re.findall(r"\d+(?:\.\d+)?", text)]


@given(low=st.floats(-1800, 1800), width=st.floats(0.5, 1800))
def test_the_words_never_claim_more_than_the_interval(low, width):
    high = min(1800.0, low + width)
    middle = (low + high) / 2
    [_, line] = kind_sentences(doorway(compared(SECONDS, 900 + middle, 900, low, high)))
    if low <= 0 <= high:
        assert "that is not a clear difference" in line
        return
    assert "(95 % CI" in line
    said = re.search(r"95 % CI (.*?) (s|min) (less|more);", line)
    assert said is not None, line
    inner, outer = _numbers(said.group(1))
    unit = 60 if said.group(2) == "min" else 1
    assert said.group(3) == ("less" if high < 0 else "more")
    nearer, farther = sorted((abs(low), abs(high)))
    assert inner * unit <= nearer + 1e-6  # the bound nearer zero is never overstated
    assert outer * unit >= farther - 1e-6  # and the interval never looks narrower than it is


def test_interval_words_in_one_unit():
    assert interval_words(SECONDS, -50, -10) == "10 to 50 s less"
    assert interval_words(SECONDS, 30, 700) == "0.5 to 11.7 min more"  # a bound above zero is not "0"
    assert interval_words(SECONDS, 200, 400) == "3.3 to 6.7 min more"
    assert interval_words("visit_ended_within_5m", -0.004, 0.2) == "from 1 point less to 20 points more"
