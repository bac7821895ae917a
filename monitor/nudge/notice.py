"""One notice from decision to delivery: what it says, how it can be answered, how it went out.

The policy words it (``policy.describe``), the nudger names a person and adds the
buttons and what they do, and the notifier shows it; the weekly report is sent the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

STAYS = 0
"""``Notice.timeout_s`` for a notice that stays on screen until dismissed (expire_timeout 0)."""
SERVER_DEFAULT = -1
"""``Notice.timeout_s`` for a notice that goes when the notification server likes."""


@dataclass(frozen=True)
class NoticeHandle:
    """A notice on screen: the notification server that shows it, and the id it gave it.

    ``server`` is the server's unique D-Bus name (``:1.42``): never reused while the bus
    runs, so a handle kept from before a server restart is recognised as stale and never
    replaces another program's notification that got the same id.
    """

    server: str
    notice_id: int


@dataclass(frozen=True)
class Delivery:
    """How a notice went out: ``way`` (``DELIVERED_*``) and, when known, its handle on screen."""

    way: str
    handle: NoticeHandle | None = None


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
    timeout_s: int = SERVER_DEFAULT
    """Seconds the notice stays on screen; ``STAYS`` (0): until dismissed; -1: as the server likes."""
    replaces: NoticeHandle | None = None
    """The notice still on screen that this one takes the place of (Notify's ``replaces_id``)."""
