"""The link policy in depth: what an imported card may make the desktop open, and the helpers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.core.errors import InputError
from monitor.people.links import ALLOWED_SCHEMES, email_link, phone_link, safe_link


@pytest.mark.parametrize(("link", "expected"), [
    ("https://example.org", "https://example.org"),
    ("HTTPS://Example.org/Path?q=1#top", "https://Example.org/Path?q=1#top"),
    ("https://bücher.example/straße", "https://bücher.example/straße"),
    ("https://example.org:8443/x", "https://example.org:8443/x"),
    ("https://en.wikipedia.org/wiki/O'Reilly_(disambiguation)",
     "https://en.wikipedia.org/wiki/O'Reilly_(disambiguation)"),
    ("MAILTO:sam.o'neil+tag@example.co.uk", "mailto:sam.o'neil+tag@example.co.uk"),
    ("tel:+1-555-0100", "tel:+1-555-0100"),
    ("tel:(030)1234567", "tel:(030)1234567"),
    ("sms:+441234567890", "sms:+441234567890"),
    ("threema://compose?id=ABCDEFGH", "threema://compose?id=ABCDEFGH"),
    ("facetime:+15550100", "facetime:+15550100"),
])
def test_allowed_links_come_back_with_a_lower_case_scheme(link, expected):
    assert safe_link(link) == expected


@pytest.mark.parametrize(("link", "reason"), [
    ("FILE:///etc/passwd", "file: links are never opened"),
    ("JaVaScRiPt:alert(1)", "javascript: links are never opened"),
    ("vbscript:msgbox", "vbscript: links are never opened"),
    ("skype:someone?call", "skype: links are never opened"),
    ("smb://server/share", "smb: links are never opened"),
    ("ftp://example.org", "ftp: links are never opened"),
    ("-e/bin/sh", "no scheme"),
    ("--help", "no scheme"),
    ("example.org", "no scheme"),
    ("/usr/bin/xcalc", "no scheme"),
    ("C:\\Windows\\calc.exe", "c: links are never opened"),
    ("https://example.org/a\\..\\b", "never part of a link"),
    ("https:-x", "nothing after https:"),
    ("https://bank.example@evil.example/", "user@"),
    ("https://evil.example\u202egnp.exe", "control characters"),  # right-to-left override
    ("https://exa\u200bmple.org", "control characters"),  # zero-width space
    ("https://example.org\t", "spaces or control"),
    (" https://example.org", "spaces or control"),
    ("https://example.org/\x00", "control characters"),
    ("https://example.org/<script>", "never part of a link"),
    ("https://example.org/`reboot`", "never part of a link"),
    ("https://example.org:99999/", "(?i)port"),
    ("https://localhost/", "host name"),
    ("https://-bad-.example/", "host name"),
    ("https://[::1]/", "host name"),
    ("mailto:a@example.org?attach=/etc/passwd", "no \\? parameters"),
    ("mailto:a@example.org,b@example.org", "one address"),
    ("mailto:not-an-address", "not an email address"),
    ("mailto:a@b", "not an email address"),
    ("tel:call-me-maybe", "not a phone number"),
    ("sms:12", "not a phone number"),
    ("https://" + "a" * 2100 + ".example", "longer than 2048"),
])
def test_refused_links_say_why(link, reason):
    with pytest.raises(InputError, match=reason) as caught:
        safe_link(link)
    assert "refused" in str(caught.value)
    assert len(str(caught.value)) < 400  # the link is quoted cut short, not in full


def test_a_value_that_is_not_text_is_refused():
    with pytest.raises(InputError, match="not text"):
        safe_link(None)
    with pytest.raises(InputError, match="not text"):
        safe_link(b"https://example.org")


def test_helpers_turn_email_and_phone_into_links():
    assert email_link(" Sam@Example.org ") == "mailto:Sam@Example.org"
    assert phone_link("+49 151 1234 5678") == "tel:+4915112345678"
    assert phone_link("+49 151 1234 5678", kind="sms") == "sms:+4915112345678"
    with pytest.raises(InputError, match="spaces"):
        email_link("sam at example.org")
    with pytest.raises(InputError, match="not an email address"):
        email_link("sam.example.org")
    with pytest.raises(InputError, match="not a phone number"):
        phone_link("ask reception")
    with pytest.raises(InputError, match="expected 'tel' or 'sms'"):
        phone_link("+4915112345678", kind="file")


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.text(max_size=120))
def test_any_text_is_either_refused_or_a_safe_scheme_without_invisible_characters(value):
    try:
        link = safe_link(value)
    except InputError as exc:
        refused = str(exc)
        link = None
    if link is None:
        assert refused.startswith("link ")
        assert "refused" in refused
        return
    scheme = link.split(":", 1)[0]
    assert scheme in ALLOWED_SCHEMES
    assert link == scheme + value[len(scheme):]
    assert not any(ch.isspace() or not ch.isprintable() for ch in link)
    assert not link.startswith("-")
