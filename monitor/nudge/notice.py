"""One notice from decision to delivery: what it says, and how it can be answered.

The policy words it (``policy.describe``), the nudger names a person and adds the
buttons and what they do, and the notifier shows it; the weekly report is sent the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    """One notice: what is said, and what the user can do with it."""

    kind: str
    """A budget alert kind, ``suggestion`` or ``weekly`` (monitor.core.vocabulary)."""
    category: str | None
    """The category it is about; None for a notice about no category (the weekly report)."""
    used_s: float
    """The category's usage today (seconds) when the notice was decided."""
    title: str
    body: str
    person_id: int | None = None
    """The person the notice names, if any."""
    buttons: tuple[tuple[str, str], ...] = ()
    """(label, action key) pairs, in order."""
    on_action: Callable[[str], None] | None = None
    """Called with the action key of a pressed button, or ``click`` for the body."""
    on_reply: Callable[[str], None] | None = None
    """Called with the text typed into the reply field, where the server offers one."""
    reply_label: str = "Reply"
    timeout_s: int = -1
    """Seconds the notice stays on screen; -1: as long as the notification server likes."""
