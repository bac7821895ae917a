"""COMPOUND_TEXT and X text-property decoding, on hand-built byte strings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.tracking.platforms.x11_text import (
    decode_compound_text,
    decode_string,
    decode_text_property,
)

R = "\ufffd"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # Plain ASCII and Latin-1 (the initial state: ASCII in GL, Latin-1 right half in GR).
        (b"Inbox - Mail", "Inbox - Mail"),
        (b"caf\xe9 cr\xe8me", "café crème"),
        # What xterm sends for -T "Page — Mozilla Firefox": a UTF-8 run for the em dash.
        (b"Page \x1b%G\xe2\x80\x94\x1b%@ Mozilla Firefox", "Page — Mozilla Firefox"),
        # Emoji and right-to-left text inside one UTF-8 run, Latin-1 around it.
        (b"\xe9 \x1b%G\xf0\x9f\x92\xac \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\x1b%@ \xe9",
         "é 💬 שלום é"),
        # An unterminated UTF-8 run lasts to the end.
        (b"chat \x1b%G\xf0\x9f\x92\xac", "chat 💬"),
        # Invalid UTF-8 inside a UTF-8 run becomes U+FFFD.
        (b"\x1b%G\xff\xfe\x1b%@ok", f"{R}{R}ok"),
        # ISO 8859-2 right half designated into GR, then back to Latin-1.
        (b"\x1b-B\xb1\xe6\x1b-A\xe6", "ąćæ"),
        # ISO 8859-5 (Cyrillic) in GR: "Привет".
        (b"\x1b-L\xbf\xe0\xd8\xd2\xd5\xe2", "Привет"),
        # JIS X0208 in GL (two bytes a character), then ASCII again: "日本!".
        (b"\x1b$(BF|K\\\x1b(B!", "日本!"),
        # The short form ESC $ B designates JIS X0208 too.
        (b"\x1b$BF|\x1b(B.", "日."),
        # GB 2312 in GR: "中文".
        (b"\x1b$)A\xd6\xd0\xce\xc4", "中文"),
        # KS C 5601 in GR: "한".
        (b"\x1b$)C\xc7\xd1", "한"),
        # JIS X0201 katakana in GR and JIS X0201 Roman in GL (yen sign for backslash).
        (b"\x1b)I\xb1\x1b(J\\5", "ｱ¥5"),
        # An odd byte left over in a two-byte set.
        (b"\x1b$(BF|F\x1b(B", f"日{R}"),
        # An unknown 96-character set: one U+FFFD per character, the rest unharmed.
        (b"a\x1b-~\xa1\xa2\x1b-Ab\xe9", f"a{R}{R}bé"),
        # An unknown escape sequence is skipped.
        (b"a\x1b#4b", "ab"),
        # Direction markers (CSI 1 ] ... CSI ]) are dropped.
        (b"\x9b2]abc\x9b]", "abc"),
        # Tab and newline are kept; other control characters are dropped.
        (b"a\tb\nc\x07d\x85e", "a\tb\ncde"),
        # Truncated escape sequences at the end are ignored.
        (b"abc\x1b", "abc"),
        (b"abc\x1b%", "abc"),
        (b"abc\x1b%/1", "abc"),
        # An escape without a valid final byte.
        (b"a\x1b\x01b", "ab"),
        (b"", ""),
    ],
)
def test_decode_compound_text(data: bytes, expected: str) -> None:
    assert decode_compound_text(data) == expected


def test_extended_segment_by_encoding_name() -> None:
    # ESC % / 1 M L, then "iso8859-15" STX and the euro sign (0xA4 in ISO 8859-15).
    body = b"iso8859-15\x02\xa4"
    assert len(body) == 12
    data = b"x\x1b%/1\x80\x8c" + body + b"y"
    assert decode_compound_text(data) == "x€y"


def test_extended_segment_xlfd_style_name() -> None:
    # "big5-0" is the XLFD charset name; Big5 A4A4 is "中".
    body = b"big5-0\x02\xa4\xa4"
    data = bytes([0x1B, 0x25, 0x2F, 0x32, 0x80, 0x80 + len(body)]) + body
    assert decode_compound_text(data) == "中"


def test_extended_segment_unknown_encoding() -> None:
    body = b"no-such-charset\x02\x01\x02"
    data = b"a" + bytes([0x1B, 0x25, 0x2F, 0x31, 0x80, 0x80 + len(body)]) + body + b"b"
    assert decode_compound_text(data) == f"a{R}{R}b"


def test_extended_segment_without_name_terminator() -> None:
    body = b"iso8859-15"
    data = bytes([0x1B, 0x25, 0x2F, 0x31, 0x80, 0x80 + len(body)]) + body + b"z"
    assert decode_compound_text(data) == f"{R}z"


@given(st.binary(max_size=300))
def test_compound_text_never_raises(data: bytes) -> None:
    assert isinstance(decode_compound_text(data), str)


@given(st.lists(st.sampled_from([b"\x1b", b"%", b"G", b"@", b"/", b"$", b"(", b")", b"-",
                                 b"\x9b", b"]", b"\x02", b"\x80", b"\xff", b"A", b"1"]),
                max_size=60))
def test_compound_text_escape_soup_never_raises(parts: list[bytes]) -> None:
    assert isinstance(decode_compound_text(b"".join(parts)), str)


def test_string_property_latin1_and_utf8() -> None:
    assert decode_string(b"caf\xe9") == "café"  # real Latin-1, as ICCCM says
    assert decode_string("café 💬".encode()) == "café 💬"  # UTF-8 stored as STRING
    assert decode_string(b"") == ""


@pytest.mark.parametrize(
    ("type_name", "data", "expected"),
    [
        ("UTF8_STRING", "Chat 💬 — שלום".encode(), "Chat 💬 — שלום"),
        ("UTF8_STRING", b"Broken \xff\xfe title \xc3", f"Broken {R}{R} title {R}"),
        ("UTF8_STRING", b"with terminator\x00", "with terminator"),
        ("STRING", b"caf\xe9", "café"),
        ("C_STRING", b"plain", "plain"),
        ("COMPOUND_TEXT", b"Page \x1b%G\xe2\x80\x94\x1b%@ x", "Page — x"),
        ("", b"odd type \xff", f"odd type {R}"),
    ],
)
def test_decode_text_property(type_name: str, data: bytes, expected: str) -> None:
    assert decode_text_property(type_name, data) == expected
