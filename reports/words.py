"""How stored values read where people see them: actions as their buttons' words, excluded titles.

The JSON keeps the stored values; the terminal tables and the weekly page use these words.
A doorway's outcomes read as its buttons' words, done: "Leave" is ``Left``.
"""

from __future__ import annotations

from monitor.core.durations import format_duration
from monitor.core.vocabulary import ACTION_WORDS, DOORWAY_OUTCOME_WORDS, EXCLUDED_TITLE, EXCLUDED_WORDS


def action_words(action: str) -> str:
    """``more`` → ``15 more minutes``, ``click`` → ``Opened``; an action without a button, capitalised."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    text = action.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else action


def outcome_words(outcome: str) -> str:
    """A doorway's outcome as shown: ``left`` → ``Left``, ``no-answer`` → ``No answer``."""
    return DOORWAY_OUTCOME_WORDS.get(outcome) or action_words(outcome)


def unshown_note(count: int) -> str | None:
    """The note on doorways that could not be shown (not counted as outcomes); None when none."""
    if count <= 0:
        return None
    return f"{count} {'doorway' if count == 1 else 'doorways'} could not be shown (not counted)"


def item_words(name: str) -> str:
    """An item's name as shown: ``(excluded title)`` for a title privacy left out, else the name."""
    return EXCLUDED_WORDS if name == EXCLUDED_TITLE else name


def used_of_budget(used_s: float, budget_s: float | None) -> str:
    """Today's use against a budget, as ``unscroll today`` and the tray say it: ``18 m of 30 m``."""
    return format_duration(used_s) if budget_s is None else \
        f"{format_duration(used_s)} of {format_duration(budget_s)}"


def budget_left(used_s: float, budget_s: float) -> str:
    """What is left of a budget: ``12 m left``, or ``over by 3 m`` once it is overrun."""
    left = budget_s - used_s
    return f"over by {format_duration(-left)}" if left < 0 else f"{format_duration(left)} left"
