"""The quick reading of a usual ActivityWatch export: events parsed a slice at a time by orjson.

``SliceTokens`` offers what ``aw_stream`` asks of ijson's tokens (``take``, ``peek``,
``value``, ``items``) over the file's bytes, read a block at a time. The few tokens around
the events (the top object, each bucket's id, type and host name) are read in Python,
strictly as JSON; the events themselves, nearly all of the file, are parsed by orjson a
slice of the array at a time: up to the last ``}`` (followed by a comma or ``]``) of the
next ``SLICE_BYTES``, wrapped in ``[`` and ``]``. A slice that parses is a run of whole
events: a cut inside a string would leave that string open, and a cut inside an event would
leave a brace open, so neither parses. A slice that does not parse is cut again before the
character orjson stopped at, a few times, then tried from a longer slice.

The file is never decoded here: orjson reads the UTF-8 itself (and refuses what is not
UTF-8), and JSON's own characters (braces, brackets, quotes, commas, colons, whitespace) are
single bytes that never occur inside another character's bytes. Decoding the text first
cost the year's import 0.35 s: a title with an emoji makes Python keep a block four bytes a
character, copied at every slice and encoded back to UTF-8 for orjson.

Anything else (a value orjson reads differently from ijson, such as a lone surrogate or an
event id that is a whole number past 64 bits, which orjson reads as a float: ``aw_stream``
asks where it checks the events; text that is not UTF-8, JSON it cannot read, an event
larger than ``MAX_SLICE_BYTES``) raises ``NotUsual``, and the caller reads the file again
with ijson's tokens (``aw_tokens``), which also write the messages for broken files (a bad
event read here makes the caller read it so too): this path only ever reads files that the
careful one reads the same way.
"""

from __future__ import annotations

import re
from typing import IO, Any

import orjson

from monitor.history.aw_tokens import Token

BLOCK_BYTES = 1 << 20
"""Bytes read from the file at a time."""
SLICE_BYTES = 1 << 20
"""Bytes of events parsed by orjson at a time (a few thousand events)."""
MAX_SLICE_BYTES = 16 << 20
"""The longest single event read here; a longer one is read by ijson's tokens."""
CUTS_TRIED = 4
"""Cuts tried before a slice is read whole from a longer one."""
WHITESPACE = frozenset(b" \t\n\r")
"""JSON's whitespace, as byte values."""
_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {b"true": ("boolean", True), b"false": ("boolean", False), b"null": ("null", None)}
_COMMA_OR_CLOSE = frozenset(b",]")
_STRING = re.compile(rb'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')

# where the next token is: what it may be
_VALUE, _VALUE_OR_END, _KEY, _KEY_OR_END, _AFTER = range(5)


class NotUsual(Exception):
    """The file is not one this reader reads exactly as ijson does: read it with ijson's tokens."""


class SliceTokens:
    """An export's tokens, its events parsed by orjson a slice at a time (as ``aw_tokens.Tokens``)."""

    floats_exact = False
    """orjson reads a whole number past 64 bits as a float: an event id that is one is unusual here."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._text = b""
        """The file's bytes from the next one not read yet (and some before it), a block at a time."""
        self._at = 0
        self._ended = False
        self._open: list[bytes] = []
        """The containers the next token is in, outermost first: b"}" for objects, b"]" for arrays."""
        self._expect = _VALUE
        self._peeked: Token | None = None

    def take(self) -> Token:
        """The next token."""
        token = self.peek()
        self._peeked = None
        return token

    def peek(self) -> Token:
        """The next token, left to be read."""
        if self._peeked is None:
            self._peeked = self._token()
        return self._peeked

    def value(self) -> Any:
        """The next value, built token by token as ijson's ``items`` builds it."""
        event, value = self.take()
        if event == "start_map":
            built: dict[str, Any] = {}
            while (token := self.take())[0] != "end_map":
                built[token[1]] = self.value()
            return built
        if event == "start_array":
            items: list[Any] = []
            while self.peek()[0] != "end_array":
                items.append(self.value())
            self.take()
            return items
        return value

    def items(self, shapes: object, limit: int, reader: object = None) -> tuple[list[Any], bool]:
        """At least ``limit`` next values of the array just started (fewer at its end), and whether it ended.

        ``shapes`` and ``reader`` (ijson's path) are not needed here: each event is an object.
        """
        if self._peeked is not None or not self._open or self._open[-1] != b"]":
            raise NotUsual("events asked for outside an array")
        found: list[Any] = []
        while len(found) < limit:
            if self._at_array_end():
                return found, True
            found += self._slice()
            self._expect = _AFTER
        return found, False

    def rest_is_blank(self) -> bool:
        """Whether nothing but whitespace follows the top value."""
        return self._skip_blank() is None and not self._open

    @property
    def bytes_read(self) -> int:
        """How much of the file has been read."""
        return self._stream.tell()

    def _at_array_end(self) -> bool:
        """Step past the comma before the next event (True: past the array's end instead)."""
        char = self._char()
        if char == b"]":
            self._close()
            return True
        if self._expect == _AFTER:
            if char != b",":
                raise NotUsual("no comma between events")
            self._at += 1
            char = self._char()
        if char != b"{":
            raise NotUsual("an event that is not an object")
        return False

    def _slice(self) -> list[Any]:
        """The events of the next slice that orjson parses, read past."""
        span = SLICE_BYTES
        while True:
            self._fill(span)
            text, start = self._text, self._at
            end = min(len(text), start + span)
            for _ in range(CUTS_TRIED):
                cut = _last_cut(text, start, end)
                if cut < 0:
                    break
                try:
                    events = orjson.loads(piece := b"[" + text[start:cut + 1] + b"]")
                except orjson.JSONDecodeError as error:
                    # what precedes the character orjson stopped at parsed: the cut is before it
                    end = min(cut, start + _byte_of(piece, error.pos) - 1)
                    continue
                self._at = cut + 1
                return list(events)
            if (self._ended and start + span >= len(text)) or span >= MAX_SLICE_BYTES:
                raise NotUsual("events that orjson cannot read")
            span *= 2

    def _token(self) -> Token:
        """Read the next token outside the events."""
        char = self._char()
        expect = self._expect
        if expect == _AFTER:
            if not self._open:
                raise NotUsual("more after the top value")
            if char == self._open[-1]:
                return self._close()
            if char != b",":
                raise NotUsual(f"{char!r} where a comma was expected")
            self._at += 1
            char = self._char()
            expect = _KEY if self._open[-1] == b"}" else _VALUE
        elif expect in (_KEY_OR_END, _VALUE_OR_END):
            if char == self._open[-1]:
                return self._close()
            expect = _KEY if expect == _KEY_OR_END else _VALUE
        if expect == _KEY:
            if char != b'"':
                raise NotUsual(f"{char!r} where a key was expected")
            key = self._string()
            if self._char() != b":":
                raise NotUsual("no colon after a key")
            self._at += 1
            self._expect = _VALUE
            return ("map_key", key)
        return self._value_token(char)

    def _value_token(self, char: bytes) -> Token:
        """The token of the value starting with ``char``."""
        if char in (b"{", b"["):
            self._at += 1
            self._open.append(b"}" if char == b"{" else b"]")
            self._expect = _KEY_OR_END if char == b"{" else _VALUE_OR_END
            return ("start_map", None) if char == b"{" else ("start_array", None)
        self._expect = _AFTER
        if char == b'"':
            return ("string", self._string())
        self._fill(64)
        for word, token in _LITERALS.items():
            if self._text.startswith(word, self._at):
                self._at += len(word)
                return token
        return self._number()

    def _close(self) -> Token:
        """Read past the end of the innermost container."""
        closer = self._open.pop()
        self._at += 1
        self._expect = _AFTER
        return ("end_map", None) if closer == b"}" else ("end_array", None)

    def _string(self) -> str:
        """The string starting at the next character (a quote), read past."""
        while (found := _STRING.match(self._text, self._at)) is None:
            if self._ended or len(self._text) - self._at > MAX_SLICE_BYTES:
                raise NotUsual("a string that does not end as JSON allows")
            self._more()
        try:
            text = orjson.loads(found.group())
        except orjson.JSONDecodeError:
            raise NotUsual("a string orjson reads otherwise (a lone surrogate, or not UTF-8)") from None
        self._at = found.end()
        return str(text)

    def _number(self) -> Token:
        """The number starting at the next character, read past."""
        found = _NUMBER.match(self._text, self._at)
        if found is None or (found.end() == len(self._text) and not self._ended):
            raise NotUsual("not a JSON value")  # (64 characters were asked for: a longer number is unusual)
        digits = found.group()
        number: float = float(digits) if found.group(1) or found.group(2) else int(digits)
        if number in (float("inf"), float("-inf")):
            raise NotUsual("a number too large")
        self._at = found.end()
        return ("number", number)

    def _char(self) -> bytes:
        """The next byte that is not whitespace (raises NotUsual at the end of the file)."""
        char = self._skip_blank()
        if char is None:
            raise NotUsual("the file ends early")
        return char

    def _skip_blank(self) -> bytes | None:
        """Step past whitespace; the next byte, None at the end of the file."""
        while True:
            text, at = self._text, self._at
            while at < len(text) and text[at] in WHITESPACE:
                at += 1
            self._at = at
            if at < len(text):
                return text[at:at + 1]
            if self._ended:
                return None
            self._more()

    def _fill(self, count: int) -> None:
        """Have ``count`` bytes from the next one in the buffer, or all that is left."""
        while len(self._text) - self._at < count and not self._ended:
            self._more()

    def _more(self) -> None:
        """Read the next block, dropping what has been read."""
        block = self._stream.read(BLOCK_BYTES)
        self._ended = not block
        self._text = self._text[self._at:] + block
        self._at = 0


def _byte_of(text: bytes, char: int) -> int:
    """Where character number ``char`` of UTF-8 ``text`` starts (orjson's positions count characters).

    Bytes that are not UTF-8 count for nothing: the place found is then earlier, never later.
    """
    return len(text[:char * 4].decode("utf-8", "ignore")[:char].encode())


def _last_cut(text: bytes, start: int, end: int) -> int:
    """The last ``}`` in ``text[start:end]`` followed by a comma or a ``]`` (-1: none)."""
    while (cut := text.rfind(b"}", start, end)) >= 0:
        after = cut + 1
        while after < len(text) and text[after] in WHITESPACE:
            after += 1
        if after < len(text) and text[after] in _COMMA_OR_CLOSE:
            return cut
        end = cut
    return -1
