"""The words every wing shares: category names, prompt kinds and actions, browser names.

Each is defined here once; a module that needs one imports it rather than typing the
string again, so a stored value and the code that reads it can never drift apart.
"""

from __future__ import annotations

# --- categories --------------------------------------------------------------------------
TOTAL = "total"
"""The budget (and report row) over every category together: all screen time."""
UNCATEGORIZED = "uncategorized"
"""The category of a window no rule matched."""

# --- budget notices (the ``kind`` of a prompt row) ----------------------------------------
WARN = "warn"
"""The heads-up a few minutes before a budget runs out."""
OVER = "over"
"""The notice when a budget has run out."""
REPEAT = "repeat"
"""A further notice after more use past the budget."""
ALERT_KINDS = (WARN, OVER, REPEAT)
SUGGESTION = "suggestion"
"""A follow-up notice naming the next person after "Someone else": never capped."""
WEEKLY = "weekly"
"""The notice announcing the weekly report."""
DOORWAY = "doorway"
"""The doorway window shown when a doorway category gets focus (its outcome is the action)."""
NOTICE_NAMES: dict[str, str] = {
    WARN: "heads-up",
    OVER: "over-budget",
    REPEAT: "still-over-budget",
    SUGGESTION: "next-person",
    WEEKLY: "weekly-report",
}
"""What each kind of notice is called in the log and in messages: ``the over-budget notice``."""

# --- how a notice reached the person (the ``delivery`` of a prompt row) ---------------------
DELIVERED_DESKTOP = "desktop"
"""Shown by the notification service, with its buttons."""
DELIVERED_PLAIN = "plain"
"""Shown by the plain fallback (notify-send, plyer): no buttons."""
DELIVERED_LOG = "log"
"""Not shown: no notification service took it, so only the log has it (a missed notice)."""

# --- what the person did with a notice (the ``action`` of a prompt row) --------------------
MORE = "more"
"""The "15 more minutes" button."""
NOT_TODAY = "not-today"
"""The "Not today" button."""
REACHED_OUT = "reached-out"
"""The "Reached out" button: an interaction with the person named was logged."""
SOMEONE_ELSE = "someone-else"
"""The "Someone else" button: skip this person for the rest of the day."""
REPLIED = "replied"
"""Text typed into the notice's reply field (logged as an interaction)."""
CLICK = "click"
"""A click on the notice's body."""
OPEN_REPORT = "open"
"""The weekly notice's "Open report" button."""
ACTION_WORDS: dict[str, str] = {
    REACHED_OUT: "Reached out",
    MORE: "15 more minutes",
    NOT_TODAY: "Not today",
    SOMEONE_ELSE: "Someone else",
    REPLIED: "Replied",
    CLICK: "Opened",
    OPEN_REPORT: "Opened the report",
}
"""What each action is called where people read it: the words on its button."""

# --- what came of a doorway (the ``action`` of a ``doorway`` prompt row) -------------------
LEFT = "left"
"""The doorway's "Leave" button: the social window was minimised."""
CONTINUED = "continued"
"""The doorway's "Continue" button: no doorway for that category for a while."""
DOORWAY_NO_ANSWER = "no-answer"
"""The doorway closed unanswered (its timeout, or the daemon stopping)."""
DOORWAY_UNAVAILABLE = "unavailable"
"""The doorway could not be shown (no display, no Tk): recorded, but not an outcome."""
DOORWAY_OUTCOMES = (LEFT, CONTINUED, REACHED_OUT, DOORWAY_NO_ANSWER)
"""Every outcome of a doorway that was shown; a person's button is ``REACHED_OUT``, as on a notice."""
DOORWAY_OUTCOME_WORDS: dict[str, str] = {
    LEFT: "Left",
    CONTINUED: "Continued",
    REACHED_OUT: ACTION_WORDS[REACHED_OUT],
    DOORWAY_NO_ANSWER: "No answer",
}
"""What each doorway outcome is called where people read it: its button's word, as done ("Leave": Left)."""

# --- what privacy leaves of a title -------------------------------------------------------
EXCLUDED_TITLE = "[excluded]"
"""Stored in place of a title that ``tracking.exclude_titles`` matched."""
EXCLUDED_WORDS = "(excluded title)"
"""How an item stored as ``[excluded]`` is shown in tables and on the weekly page."""

# --- browsers ---------------------------------------------------------------------------
FIREFOX_FAMILY = ("mozilla firefox", "firefox nightly", "firefox developer edition", "librewolf",
                  "waterfox", "floorp")
"""Browsers whose window titles end in their own name (``Page — Mozilla Firefox``)."""
CHROMIUM_FAMILY = ("google chrome", "chromium", "brave", "vivaldi", "opera", "microsoft edge")
"""Chromium-based browsers, as their window titles name them."""
PRIVATE_ONLY_BROWSERS = ("tor browser", "mullvad browser")
"""Browsers whose every window is private."""
OTHER_BROWSERS = ("zen browser", "qutebrowser", "falkon", "midori", "epiphany", "safari")
"""Further browsers whose window titles end in their own name."""
BROWSER_PROCESS_WORDS = ("firefox", "chrom", "brave", "edge", "opera", "vivaldi", "safari", "librewolf",
                         "waterfox", "floorp", "epiphany", "falkon", "qutebrowser", "midori", "konqueror",
                         "browser")
"""Words found in browsers' process and watcher names (``chrom`` for chrome and chromium)."""
