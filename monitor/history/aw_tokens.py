"""JSON values read out of ijson's token stream, most of them by a shape learned once (no Python per token).

ijson's C parser (``basic_parse``, yajl2_c) turns the file into ``(event, value)`` tokens;
``Tokens`` takes them a batch at a time into a list. A value is built token by token in
Python the first time (``Tokens.value``), exactly as ijson's ``items`` would build it. An
object whose tokens are all keys and plain values (a usual ActivityWatch event) also teaches
a ``Shape``: where its keys, its nested objects and its values sit among its tokens. The
next events of a bucket almost always have the same shape; one is then checked and built by
``operator.itemgetter`` on a slice of the token list (C code), and only when the slice does
not match exactly (a missing key, a nested value where a string was) is it built token by
token again. Either way the value is the one ijson's ``items`` builds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import Any

Token = tuple[str, Any]
BATCH = 1 << 13
"""Tokens taken from the parser at a time."""
SCALARS = frozenset(("string", "number", "boolean", "null"))
END_ARRAY: Token = ("end_array", None)
END_MAP: Token = ("end_map", None)
START_MAP: Token = ("start_map", None)
START_ARRAY: Token = ("start_array", None)
SHAPES_KEPT = 4
"""Shapes remembered per array: a bucket's events have one or two (a title or not)."""
_VALUE = itemgetter(1)


Reader = Callable[["Shape"], Callable[[tuple[Token, ...]], Any] | None]
"""Given a shape, a function reading a value of it from its plain values' tokens (None: build objects)."""


class Truncated(Exception):
    """The tokens ended inside a value: the file is cut short."""


def _getter(positions: list[int]) -> Callable[[Sequence[Token]], tuple[Token, ...]]:
    """An ``itemgetter`` that always returns a tuple (a single position too)."""
    if len(positions) == 1:
        only = positions[0]
        return lambda tokens: (tokens[only],)
    return itemgetter(*positions) if positions else lambda tokens: ()


@dataclass(frozen=True)
class _Node:
    """One object of a shape: its keys with plain values, and its nested objects."""

    keys: tuple[str, ...]
    values: Callable[[Sequence[Token]], tuple[Token, ...]]
    nested: tuple[tuple[str, _Node], ...]

    def build(self, tokens: list[Token]) -> dict[str, Any]:
        """The object, from the tokens of one value of this shape."""
        built = dict(zip(self.keys, map(_VALUE, self.values(tokens))))  # noqa: B905 - as many by construction
        for key, node in self.nested:
            built[key] = node.build(tokens)
        return built


@dataclass
class Shape:
    """Where the keys, nested objects and plain values of one kind of object sit among its tokens."""

    length: int
    structure: Callable[[Sequence[Token]], tuple[Token, ...]]
    expected: tuple[Token, ...]
    values: Callable[[Sequence[Token]], tuple[Token, ...]]
    root: _Node
    paths: dict[tuple[str, ...], int]
    """The place of each plain value among ``values`` by its keys from the top (``("data", "app")``)."""
    objects: dict[tuple[str, ...], tuple[str, ...]]
    """The keys of each object by its keys from the top (``()``: the object itself)."""
    reader: Callable[[tuple[Token, ...]], Any] | None = None
    """Reads a value of this shape from its plain values' tokens (None: it is built as an object)."""

    def plain_values(self, tokens: list[Token]) -> tuple[Token, ...] | None:
        """The tokens of the plain values when these ``length`` tokens are a value of this shape, else None.

        A token after a key is a plain value or the start of an object or a list (JSON has
        nothing else there), so no start where a plain value was is all there is to check.
        """
        if self.structure(tokens) != self.expected:
            return None
        values = self.values(tokens)
        return None if START_MAP in values or START_ARRAY in values else values

    def pick(self, *paths: tuple[str, ...]) -> Callable[[Sequence[Token]], tuple[Token, ...]] | None:
        """Gets the tokens of the plain values at ``paths`` (None when one is not a plain value)."""
        if not all(path in self.paths for path in paths):
            return None
        return _getter([self.paths[path] for path in paths])


def learn(tokens: list[Token]) -> Shape | None:
    """The shape of the object whose tokens are ``tokens`` (None: arrays in it, or a key twice)."""
    structural: list[int] = []
    plain: list[int] = []
    paths: dict[tuple[str, ...], int] = {}
    objects: dict[tuple[str, ...], tuple[str, ...]] = {}
    position = 0

    def node(path: tuple[str, ...]) -> _Node | None:
        """The object starting at ``position`` (reached by the keys ``path``), read past its end."""
        nonlocal position
        structural.append(position)  # start_map
        position += 1
        keys: list[str] = []
        values: list[int] = []
        nested: list[tuple[str, _Node]] = []
        while tokens[position][0] == "map_key":
            key = tokens[position][1]
            structural.append(position)
            position += 1
            event = tokens[position][0]
            if event == "start_map":
                inner = node((*path, key))
                if inner is None:
                    return None
                nested.append((key, inner))
            elif event in SCALARS:
                keys.append(key)
                values.append(position)
                paths[(*path, key)] = len(plain)
                plain.append(position)
                position += 1
            else:
                return None
        structural.append(position)  # end_map
        position += 1
        names = [*keys, *(key for key, _ in nested)]
        if len(set(names)) != len(names):
            return None
        objects[path] = tuple(names)
        return _Node(tuple(keys), _getter(values), tuple(nested))

    root = node(())
    if root is None or position != len(tokens):
        return None
    structure = _getter(structural)
    return Shape(len(tokens), structure, structure(tokens), _getter(plain), root, paths, objects)


class Tokens:
    """ijson's tokens, taken a batch at a time into ``buffer``; ``at`` is the next one to read."""

    floats_exact = True
    """ijson reads every whole number as one, however long: a float in the file is one there."""

    def __init__(self, source: Iterator[Token]) -> None:
        self._source = source
        self.buffer: list[Token] = []
        self.at = 0
        self.compactions = 0
        """How many times read tokens were dropped from the buffer (positions before ``at`` moved)."""

    def fill(self, count: int) -> bool:
        """Have at least ``count`` tokens from ``at`` in the buffer; False when the file ends first."""
        if self.at + count <= len(self.buffer):
            return True
        del self.buffer[:self.at]
        self.at = 0
        self.compactions += 1
        self.buffer.extend(islice(self._source, max(count - len(self.buffer), BATCH)))
        return count <= len(self.buffer)

    def take(self) -> Token:
        """The next token."""
        if not self.fill(1):
            raise Truncated
        token = self.buffer[self.at]
        self.at += 1
        return token

    def peek(self) -> Token:
        """The next token, left to be read."""
        if not self.fill(1):
            raise Truncated
        return self.buffer[self.at]

    def value(self) -> Any:
        """The next value, built token by token as ijson's ``items`` builds it."""
        event, value = self.take()
        if event == "start_map":
            built: dict[str, Any] = {}
            while (token := self.take()) != END_MAP:
                built[token[1]] = self.value()
            return built
        if event == "start_array":
            items: list[Any] = []
            while self.peek() != END_ARRAY:
                items.append(self.value())
            self.at += 1
            return items
        return value

    def items(self, shapes: list[Shape], limit: int, reader: Reader | None = None) -> tuple[list[Any], bool]:
        """Up to ``limit`` next values of an array, and whether its end was read.

        Each is read by one of ``shapes`` when it has one (the first shape that fits is tried
        first); another is built token by token, and teaches a new shape when it can.
        ``reader(shape)`` may give a new shape a reader of its own: its values are what that
        reader returns for them, or the object built when it returns None.
        """
        found: list[Any] = []
        append = found.append
        reach = max((shape.length for shape in shapes), default=1)
        buffer, at = self.buffer, self.at
        size = len(buffer)
        for _ in range(limit):
            if at + reach > size:
                self.at = at
                self.fill(reach)
                buffer, at = self.buffer, self.at
                size = len(buffer)
                if at >= size:
                    raise Truncated
            if buffer[at] == END_ARRAY:
                self.at = at + 1
                return found, True
            for shape in shapes:
                end = at + shape.length
                values = shape.plain_values(tokens := buffer[at:end]) if end <= size else None
                if values is not None:
                    read = shape.reader(values) if shape.reader else None
                    append(shape.root.build(tokens) if read is None else read)
                    at = end
                    break
            else:
                self.at = at
                append(self._learn_from_next(shapes, reader))
                buffer, at = self.buffer, self.at
                size = len(buffer)
                reach = max((shape.length for shape in shapes), default=1)
        self.at = at
        return found, False

    def _learn_from_next(self, shapes: list[Shape], reader: Reader | None) -> Any:
        """The next value, built token by token; its shape joins ``shapes`` when it has one."""
        first, compactions = self.at, self.compactions
        value = self.value()
        if isinstance(value, dict) and value and compactions == self.compactions:
            shape = learn(self.buffer[first:self.at])
            if shape is not None:
                shape.reader = reader(shape) if reader else None
                shapes.insert(0, shape)
                del shapes[SHAPES_KEPT:]
        return value
