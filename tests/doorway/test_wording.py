"""The doorway's words: enough of them, mostly about a call, never shaming, numbers right."""

from __future__ import annotations

import re

from monitor.doorway.view import minutes_label
from monitor.doorway.wording import CALL, PHRASINGS, VOICE, headline, ordinal, today_line
from monitor.people.offer import first_name

SHAMING = re.compile(r"\b(again|addict|waste|wasting|guilt|shame|lazy|should have|too much)\b", re.I)


def test_at_least_eight_phrasings_half_of_them_about_a_call_none_shaming() -> None:
    assert len(PHRASINGS) >= 8
    assert sum(p.suggests in (CALL, VOICE) for p in PHRASINGS) * 2 >= len(PHRASINGS)
    for phrasing in PHRASINGS:
        assert "{name}" in phrasing.text
        assert not SHAMING.search(phrasing.text), phrasing.text


def test_headlines_rotate_through_every_phrasing_before_repeating() -> None:
    seen = [headline(turn, "Sam") for turn in range(len(PHRASINGS))]
    assert len(set(seen)) == len(PHRASINGS)
    assert headline(len(PHRASINGS), "Sam") == seen[0]
    assert all("Sam" in line for line in seen)
    assert "{name}" not in headline(3, None)


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"]


def test_today_line_reads_like_the_issue_asks() -> None:
    assert today_line("Social", 18 * 60, 30 * 60, 4) == "Social: 18 of 30 min today · 4th visit today"
    assert today_line("Social", 20, 30 * 60, 1) == "Social: under a minute of 30 min today · 1st visit today"
    assert today_line("Social", 90 * 60, 3600, 2) == "Social: 1 h 30 min of 1 h today · 2nd visit today"
    assert today_line("Social", 5 * 60, None, 1) == "Social: 5 min today · 1st visit today"


def test_minutes_label() -> None:
    assert minutes_label(30) == "30 s"
    assert minutes_label(300) == "5 min"
    assert minutes_label(3600) == "1 h"
    assert minutes_label(5400) == "1 h 30 min"


def test_without_a_phone_no_headline_asks_for_a_call() -> None:
    texts = {headline(turn, "Ana", can_call=False) for turn in range(50)}
    call_texts = {p.text.format(name="Ana") for p in PHRASINGS if p.suggests == CALL}
    assert texts
    assert not texts & call_texts
    assert len(texts) == len(PHRASINGS) - len(call_texts)


def test_first_name() -> None:
    assert first_name("Sam Rivera") == "Sam"
    assert first_name("  Ana  ") == "Ana"
    assert first_name("") == ""
