"""Links from imported cards: only safe schemes are ever opened."""

from __future__ import annotations

import pytest

from monitor.core.errors import InputError
from monitor.people.links import safe_link


@pytest.mark.parametrize("link", [
    "https://example.org/sam", "mailto:sam@example.org", "tel:+4915112345678", "sms:+441234567890",
    "signal:+4915112345678", "sgnl://signal.me/#p/+4915112345678", "whatsapp://send?phone=123",
    "tg://resolve?domain=sam", "matrix:u/sam:example.org", "xmpp:sam@example.org",
])
def test_safe_links_are_kept(link):
    assert safe_link(link) == link


@pytest.mark.parametrize(("link", "reason"), [
    ("file:///etc/passwd", "file: links are never opened"),
    ("javascript:alert(1)", "javascript: links are never opened"),
    ("data:text/html,<script>", "data: links are never opened"),
    ("http://example.org", "http: links are never opened"),
    ("rm -rf ~", "spaces"),
    ("$(reboot)", "no scheme"),
    ("https://exa\nmple.org", "control characters"),
    ("https:///nohost", "host name"),
    ("tel:", "nothing after"),
    ("", "spaces or control"),
])
def test_unsafe_links_are_refused_with_the_reason(link, reason):
    with pytest.raises(InputError, match=reason):
        safe_link(link)
