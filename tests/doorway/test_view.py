"""The view and answer travel between the daemon and the window as JSON, unchanged."""

from __future__ import annotations

import json

import pytest

from monitor.doorway.view import CONTINUED, DoorwayAnswer, DoorwayPerson, DoorwayView


def test_view_and_answer_round_trip_through_json() -> None:
    view = DoorwayView("Call Sam?", "Social: 3 of 30 min today · 1st visit today", 4, 60.0,
                       (300.0, 900.0), (DoorwayPerson(7, "Sam", "Call Sam", "5 weeks"),))
    assert DoorwayView.from_json(json.loads(json.dumps(view.to_json()))) == view
    answer = DoorwayAnswer(CONTINUED, 300.0, None, (7, 8))
    assert DoorwayAnswer.from_json(json.loads(json.dumps(answer.to_json()))) == answer


def test_an_answer_with_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown doorway outcome"):
        DoorwayAnswer.from_json({"outcome": "exploded"})
