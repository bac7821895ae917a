"""Turn X11 text properties (UTF8_STRING, STRING, COMPOUND_TEXT) into str; never raises.

COMPOUND_TEXT is the ISO 2022 based encoding of the X Consortium's "Compound Text"
specification. Older clients such as xterm put a window title in ``WM_NAME`` as
COMPOUND_TEXT when it has characters outside Latin-1: Latin-1 text with UTF-8 runs between
``ESC % G`` and ``ESC % @``. This module decodes that, the common ISO 2022 designations
(ISO 8859 right halves, JIS X0201, GB 2312, JIS X0208, KS C 5601) and the non-standard
"extended segments" (``ESC % / F M L name STX bytes``); anything it does not know becomes
U+FFFD instead of an error.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

ESC = 0x1B
CSI = 0x9B
STX = 0x02
REPLACEMENT = "\ufffd"

# A charset decodes a run of 7-bit code points (0x21-0x7E, high bit already stripped).
_Charset = Callable[[bytes], str]


def _ascii(run: bytes) -> str:
    return run.decode("ascii", "replace")


def _jis_roman(run: bytes) -> str:
    # JIS X0201 Roman: ASCII except 0x5C (yen sign) and 0x7E (overline).
    return run.decode("ascii", "replace").replace("\\", "\u00a5").replace("~", "\u203e")


def _jis_katakana(run: bytes) -> str:
    # JIS X0201 Katakana: 0x21-0x5F map onto the halfwidth katakana block.
    return "".join(chr(0xFF61 + b - 0x21) if 0x21 <= b <= 0x5F else REPLACEMENT for b in run)


def _high_half(codec: str) -> _Charset:
    """A one-byte set that lives in the upper half of an 8-bit codec (ISO 8859-x)."""

    def decode(run: bytes) -> str:
        return bytes(b | 0x80 for b in run).decode(codec, "replace")

    return decode


def _double_byte(codec: str) -> _Charset:
    """A 94x94 set, decoded through the EUC form of ``codec`` (both bytes with the high bit)."""

    def decode(run: bytes) -> str:
        pairs = len(run) // 2
        text = bytes(b | 0x80 for b in run[: pairs * 2]).decode(codec, "replace")
        return text + (REPLACEMENT if len(run) % 2 else "")

    return decode


def _unknown(width: int) -> _Charset:
    def decode(run: bytes) -> str:
        return REPLACEMENT * max(1, -(-len(run) // width)) if run else ""

    return decode


# Final bytes of ISO 2022 designations used in compound text (ISO-IR registry).
_SETS_94: dict[int, _Charset] = {
    ord("B"): _ascii,
    ord("J"): _jis_roman,
    ord("I"): _jis_katakana,
}
_SETS_96: dict[int, _Charset] = {
    ord("A"): _high_half("latin-1"),
    ord("B"): _high_half("iso8859-2"),
    ord("C"): _high_half("iso8859-3"),
    ord("D"): _high_half("iso8859-4"),
    ord("F"): _high_half("iso8859-7"),
    ord("G"): _high_half("iso8859-6"),
    ord("H"): _high_half("iso8859-8"),
    ord("L"): _high_half("iso8859-5"),
    ord("M"): _high_half("iso8859-9"),
    ord("T"): _high_half("iso8859-11"),
    ord("V"): _high_half("iso8859-10"),
    ord("Y"): _high_half("iso8859-13"),
    ord("_"): _high_half("iso8859-14"),
    ord("b"): _high_half("iso8859-15"),
    ord("f"): _high_half("iso8859-16"),
}
_SETS_94N: dict[int, _Charset] = {
    ord("A"): _double_byte("gb2312"),
    ord("B"): _double_byte("euc_jp"),
    ord("C"): _double_byte("euc_kr"),
}


class _Decoder:
    """One pass over a COMPOUND_TEXT value, keeping the ISO 2022 state."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.out: list[str] = []
        self.gl: _Charset = _ascii
        self.gr: _Charset = _SETS_96[ord("A")]

    def run(self) -> str:
        data = self.data
        while self.pos < len(data):
            byte = data[self.pos]
            if byte == ESC:
                self._escape()
            elif byte == CSI:
                self._skip_control_sequence()
            elif byte in (0x09, 0x0A):
                self.out.append(chr(byte))
                self.pos += 1
            elif byte < 0x20 or 0x7F <= byte < 0xA0:
                self.pos += 1  # other C0/C1 controls are not allowed in compound text: drop
            elif byte < 0x80:
                self._text_run(high=False)
            else:
                self._text_run(high=True)
        return "".join(self.out)

    def _text_run(self, *, high: bool) -> None:
        data = self.data
        start = self.pos
        low, top = (0xA0, 0xFF) if high else (0x20, 0x7E)
        while self.pos < len(data) and low <= data[self.pos] <= top:
            self.pos += 1
        run = data[start:self.pos]
        if high:
            # 0xA0 and 0xFF are only characters in 96-character sets; passing them
            # with the high bit stripped lets each charset decide.
            text = self.gr(bytes(b & 0x7F for b in run))
        else:
            # In GL, 0x20 is always SPACE whatever set is designated.
            text = " ".join(self.gl(part) if part else "" for part in run.split(b" "))
        self.out.append(text)

    def _skip_control_sequence(self) -> None:
        # CSI parameters/intermediates then one final byte (0x40-0x7E); used for direction.
        self.pos += 1
        while self.pos < len(self.data) and not 0x40 <= self.data[self.pos] <= 0x7E:
            self.pos += 1
        self.pos += 1

    def _escape(self) -> None:
        data = self.data
        start = self.pos + 1
        end = start
        while end < len(data) and 0x20 <= data[end] <= 0x2F:
            end += 1
        intermediates = data[start:end]
        if end >= len(data):
            self.pos = len(data)  # a truncated escape sequence at the end: ignore it
            return
        final = data[end]
        self.pos = end + 1
        if not 0x30 <= final <= 0x7E:
            return  # malformed: skip the escape and its intermediates, keep the rest
        if intermediates == b"%" and final == ord("G"):
            self._utf8_segment()
        elif intermediates == b"%/" and ord("0") <= final <= ord("4"):
            self._extended_segment(final - ord("0"))
        elif intermediates == b"(":
            self.gl = _SETS_94.get(final, _unknown(1))
        elif intermediates == b")":
            self.gr = _SETS_94.get(final, _unknown(1))
        elif intermediates == b"-":
            self.gr = _SETS_96.get(final, _unknown(1))
        elif intermediates in (b"$(", b"$"):
            self.gl = _SETS_94N.get(final, _unknown(2))
        elif intermediates == b"$)":
            self.gr = _SETS_94N.get(final, _unknown(2))
        # Anything else (ESC % @ outside a UTF-8 run, private sequences): ignored.

    def _utf8_segment(self) -> None:
        end = self.data.find(b"\x1b%@", self.pos)
        stop = len(self.data) if end < 0 else end
        self.out.append(self.data[self.pos:stop].decode("utf-8", "replace"))
        self.pos = stop if end < 0 else end + 3

    def _extended_segment(self, octets_per_char: int) -> None:
        data = self.data
        if self.pos + 2 > len(data):
            self.pos = len(data)
            return
        length = (data[self.pos] & 0x7F) * 128 + (data[self.pos + 1] & 0x7F)
        body = data[self.pos + 2:self.pos + 2 + length]
        self.pos += 2 + length
        name, sep, text = body.partition(bytes([STX]))
        if not sep:
            self.out.append(REPLACEMENT)
            return
        self.out.append(_decode_named(name.decode("latin-1"), text, octets_per_char))


def _decode_named(name: str, text: bytes, octets_per_char: int) -> str:
    """Decode an extended segment's bytes by its XLFD-style encoding name (``big5-0``)."""
    candidates = [name.lower()]
    if candidates[0].endswith("-0"):
        candidates.append(candidates[0][:-2])
    if candidates[0].startswith("iso10646"):
        candidates.append("utf-16-be" if octets_per_char == 2 else "utf-8")
    for candidate in candidates:
        try:
            codecs.lookup(candidate)
        except (LookupError, ValueError):  # ValueError: a name with a NUL byte in it
            continue
        return text.decode(candidate, "replace")
    return _unknown(max(1, octets_per_char))(text)


def decode_compound_text(data: bytes) -> str:
    """Decode a COMPOUND_TEXT value; unknown sets and malformed bytes become U+FFFD."""
    return _Decoder(data).run()


def decode_string(data: bytes) -> str:
    """Decode a STRING property: ICCCM says Latin-1, but many clients store UTF-8 there.

    Valid UTF-8 is taken as UTF-8 (Latin-1 text that is also valid non-ASCII UTF-8 is
    vanishingly rare in titles); anything else is read as Latin-1, which cannot fail.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_text_property(type_name: str, data: bytes) -> str:
    """Decode an 8-bit text property by the name of its type atom; never raises.

    ``type_name`` is ``UTF8_STRING``, ``STRING``, ``COMPOUND_TEXT`` or anything else (read
    as UTF-8 with replacement). Trailing NUL terminators, which some clients add, are dropped.
    """
    if type_name == "COMPOUND_TEXT":
        text = decode_compound_text(data)
    elif type_name in ("STRING", "C_STRING"):
        text = decode_string(data)
    else:  # UTF8_STRING, and unknown types from odd clients: UTF-8 with replacement
        text = data.decode("utf-8", "replace")
    return text.rstrip("\0")
