"""Phones read with libphonenumber: extensions kept apart, (0) dropped, national numbers by region."""

from __future__ import annotations

import pytest

from monitor.people.links import safe_link
from monitor.people.phones import display_phone, normalize_phone, phone_key, phone_uri, read_phone


@pytest.mark.parametrize("written", [
    "tel:+1-555-555-0199;ext=42", "+1 555-555-0199 x42", "+1 555-555-0199 ext. 42", "+1 (555) 555-0199 x 42",
    "+1 555 555 0199 extension 42",
])
def test_extensions_are_kept_apart_not_glued_to_the_number(written):
    phone = read_phone(written)
    assert phone is not None
    assert phone.checked
    assert phone.stored == "+15555550199;ext=42"
    assert display_phone(phone.stored) == "+1 555-555-0199 ext. 42"
    assert phone_uri(phone.stored) == "tel:+15555550199;ext=42"
    assert safe_link(phone_uri(phone.stored)) == "tel:+15555550199;ext=42"   # a click may dial it


def test_the_national_zero_in_parentheses_is_dropped_not_kept():
    assert normalize_phone("+44 (0) 20 7946 0958") == "+442079460958"
    assert normalize_phone("+44 (0)20 7946 0958") == "+442079460958"
    assert display_phone("+442079460958") == "+44 20 7946 0958"


def test_a_national_number_in_the_default_region_is_the_international_one():
    assert normalize_phone("5555550100", "US") == "+15555550100"
    assert phone_key("5555550100", "US") == phone_key("+15555550100", "US") == "+15555550100"
    assert normalize_phone("030 1234567", "de") == "+49301234567"
    # an old store's digits, written before phones were checked, compare the same way
    assert phone_key("5555550100", "US") == phone_key("+1 555 555 0100")


@pytest.mark.parametrize(("written", "why"), [
    ("5555550100", "no country code; write it with + or set people.default_region"),
    ("555 CALL NOW", "it has letters"),
    ("+44 12", "too short or too long for its country"),
    ("+1 555 555 0100 0000 0000", "not a phone number libphonenumber can read"),
])
def test_a_number_that_cannot_be_checked_is_kept_exactly_as_written_and_flagged(written, why):
    phone = read_phone(f"  {written} ")
    assert phone is not None
    assert (phone.stored, phone.checked, phone.why_unchecked) == (written, False, why)
    assert display_phone(phone.stored) == f"{written} (kept as written: {why})"
    assert phone_key(written) == ("+" if written.startswith("+") else "") + "".join(
        char for char in written if char.isdigit())


def test_fewer_than_three_digits_is_not_a_phone():
    assert read_phone("n/a") is None
    assert read_phone("12") is None
    assert normalize_phone("") is None


def test_a_stored_number_is_its_own_key_and_read_again_gives_itself():
    for stored in ("+15555550199;ext=42", "+442079460958", "+819012345678"):
        assert phone_key(stored) == stored
        assert normalize_phone(display_phone(stored)) == stored
