"""How stored values read where people see them: actions as their buttons' words, excluded titles.

The JSON keeps the stored values; the terminal tables and the weekly page use these words.
"""

from __future__ import annotations

from monitor.core.vocabulary import ACTION_WORDS, EXCLUDED_TITLE, EXCLUDED_WORDS


def action_words(action: str) -> str:
    """``more`` → ``15 more minutes``, ``click`` → ``Opened``; an action without a button, capitalised."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    text = action.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else action


def item_words(name: str) -> str:
    """An item's name as shown: ``(excluded title)`` for a title privacy left out, else the name."""
    return EXCLUDED_WORDS if name == EXCLUDED_TITLE else name
