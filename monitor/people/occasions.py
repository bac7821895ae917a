"""Why a person is suggested first, as plain strings: shared by the suggestions and the doorway's words.

Kept apart from ``suggest`` so that the doorway can name an occasion without loading the
people wing into the daemon at start.
"""

from __future__ import annotations

import enum


class Occasion(enum.StrEnum):
    """Why a person is suggested, for the wording: the values are plain strings (for JSON)."""

    NONE = ""
    BIRTHDAY = "birthday"
    """Their birthday is today."""
    BIRTHDAY_EVE = "birthday-eve"
    """Their birthday is tomorrow."""
    FIRST_CONTACT = "first-contact"
    """Someone the user wants to get to know (``Person.new``)."""
