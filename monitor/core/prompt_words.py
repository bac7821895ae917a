"""How a stored prompt reads: the kind and outcome words of ``unscroll prompts``, and back again.

A stored kind (``over``) is shown as a word (``over-budget``; ``person`` when the notice
named someone); a stored action (``more``) as its outcome (``snoozed``). Exports write the
words; an import turns them back into what is stored. Decision points (prompts the
hold-back experiment may keep from the screen) are the doorway and the over-budget notices.
"""

from __future__ import annotations

from monitor.core import vocabulary as words

KIND_WORDS: dict[str, str] = {
    words.DOORWAY: "doorway",
    words.WARN: "heads-up",
    words.OVER: "over-budget",
    words.REPEAT: "over-budget",
    words.SUGGESTION: "person",
    words.WEEKLY: "weekly",
}
"""The stored kind -> the kind shown; an over-budget notice that names someone is a "person" notice."""
PERSON_KIND = "person"

OUTCOME_WORDS: dict[str, str] = {
    words.MORE: "snoozed",
    words.REPLIED: "reached-out",
    words.CLICK: "opened",
    words.OPEN_REPORT: "opened",
}
"""Stored actions shown under another word; every other action is shown as stored."""

DECISION_KINDS = (words.DOORWAY, words.OVER, words.REPEAT)
"""The stored kinds of the prompts the hold-back experiment decides on."""
DECISION_WORDS = ("doorway", "over-budget", PERSON_KIND)
"""Their kinds as shown, in the order ``unscroll effect`` lists them."""

_STORED_KINDS: dict[str, str] = {"doorway": words.DOORWAY, "heads-up": words.WARN,
                                 "over-budget": words.OVER, PERSON_KIND: words.OVER,
                                 "weekly": words.WEEKLY}
_STORED_ACTIONS: dict[str, str] = {"snoozed": words.MORE, "opened": words.CLICK}


def shown_kind(kind: str, person_id: int | None) -> str:
    """The kind a person reads for a stored ``kind`` naming ``person_id`` (None: nobody)."""
    if kind in (words.OVER, words.REPEAT) and person_id is not None:
        return PERSON_KIND
    return KIND_WORDS.get(kind, kind)


def outcome_word(action: str | None) -> str | None:
    """The outcome a person reads for a stored ``action`` (None: no answer yet)."""
    return None if action is None else OUTCOME_WORDS.get(action, action)


def stored_kind(word: str) -> str | None:
    """The stored kind of a kind as shown (``person`` -> ``over``); None for a word never shown."""
    return _STORED_KINDS.get(word)


def stored_action(word: str | None) -> str | None:
    """The stored action of an outcome as shown (``snoozed`` -> ``more``)."""
    return None if word is None else _STORED_ACTIONS.get(word, word)


def kind_choices() -> str:
    """The kinds an export may name, for an error message."""
    return ", ".join(f'"{word}"' for word in _STORED_KINDS)
