"""The token reader builds every value exactly as ijson's ``items`` (and the standard library) would."""

from __future__ import annotations

import io
import json
from typing import Any

import ijson
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.history.aw_tokens import BATCH, Shape, Tokens, learn

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**53, 2**53),
                    st.floats(allow_nan=False, allow_infinity=False, width=32).filter(lambda f: f != int(f)),
                    st.text(max_size=6))
KEYS = st.sampled_from(["id", "timestamp", "duration", "data", "app", "title", "url", "x"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=8)
EVENT = {"id": 1, "timestamp": "2026-11-27T10:46:01.5+00:00", "duration": 2.5,
         "data": {"app": "code", "title": "main.py"}}


def tokens_of(document: Any) -> Tokens:
    return Tokens(ijson.basic_parse(io.BytesIO(json.dumps(document).encode()), use_float=True))


def read_array(document: list[Any], limit: int = 7) -> list[Any]:
    """Every item of ``document`` through ``Tokens.items``, ``limit`` at a time."""
    tokens = tokens_of(document)
    assert tokens.take() == ("start_array", None)
    shapes: list[Shape] = []
    found: list[Any] = []
    ended = False
    while not ended:
        batch, ended = tokens.items(shapes, limit)
        assert len(batch) <= limit
        found += batch
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, max_size=12))
def test_any_array_is_read_as_json_reads_it(document):
    assert read_array(document) == json.loads(json.dumps(document))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    EVENT, {**EVENT, "id": "7"}, {**EVENT, "data": {"app": "code", "title": None}},
    {**EVENT, "data": {"app": "code", "title": {"nested": "x"}}}, {**EVENT, "data": {"app": "code"}},
    {**EVENT, "id": {"app": "x", "title": "y"}}, {"timestamp": 5, "duration": [1], "data": "text"}, 3, [],
]), max_size=30))
def test_events_of_few_shapes_are_read_by_them_and_still_exact(document):
    """A value in a learnt shape's place that is not plain (an object, an array) is never taken for it."""
    assert read_array(document, limit=4) == document


def test_a_learnt_shape_reads_the_next_events_and_only_those_of_its_shape():
    document = [EVENT, {**EVENT, "id": 2}, {**EVENT, "duration": 3}]
    tokens = tokens_of(document)
    tokens.take()
    first = tokens.at
    tokens.value()
    shape = learn(tokens.buffer[first:tokens.at])
    assert shape is not None
    assert shape.length == 15
    assert shape.objects == {(): ("id", "timestamp", "duration", "data"), ("data",): ("app", "title")}
    nxt = tokens.buffer[tokens.at:tokens.at + shape.length]
    values = shape.plain_values(nxt)
    assert values is not None
    assert shape.root.build(nxt) == document[1]
    pick = shape.pick(("data", "title"), ("id",))
    assert pick is not None
    assert pick(values) == (("string", "main.py"), ("number", 2))
    assert shape.pick(("data",)) is None  # an object, not a plain value
    assert shape.plain_values(tokens.buffer[tokens.at + 1:tokens.at + 1 + shape.length]) is None


def test_arrays_longer_than_a_batch_of_tokens_are_read_whole():
    document = [{**EVENT, "id": number} for number in range(BATCH // 5)]
    assert read_array(document, limit=1000) == document


def test_a_key_twice_keeps_the_last_value_as_json_does():
    text = b'[{"a": 1, "a": 2}, {"a": 1, "a": 3}, {"b": {"c": 1, "c": 2}}, {"b": {"c": 1, "c": 4}}]'
    tokens = Tokens(ijson.basic_parse(io.BytesIO(text), use_float=True))
    tokens.take()
    assert tokens.items([], 10) == (json.loads(text), True)
