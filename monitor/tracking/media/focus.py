"""Whether the focused window is the one playing: its process, or its parent or child, owns the player.

Browsers play media in the same process as their window (Firefox, Chromium register
their MPRIS player there) or in a child of it, and some apps draw their window from a
child of the process that plays; so a player counts for the window when the two
processes are the same or one is an ancestor of the other, at most ``MAX_DEPTH``
generations apart. Siblings do not count: a music app and an editor both started by
the desktop are not related, whatever the desktop that started them. Where a player has
no pid (Windows), its app id is compared with the window's process name instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from monitor.tracking.media.base import IdleInhibitor, Player
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.spans import Playback

MAX_DEPTH = 4
"""Generations between a window's process and its player's that still count as the same app."""

Related = Callable[[int, int], bool]


def parent_pid(pid: int) -> int | None:
    """The parent of process ``pid``, or None when it is gone or hidden."""
    if sys.platform == "linux":
        return _linux_parent(pid)
    else:  # noqa: RET505 - the two branches are the two systems (mypy checks each platform)
        return _psutil_parent(pid)


def _linux_parent(pid: int) -> int | None:
    try:  # /proc/PID/stat: "pid (comm) state ppid ...", comm may hold spaces and parentheses
        fields = (Path("/proc") / str(pid) / "stat").read_bytes().rpartition(b")")[2].split()
        return int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def _psutil_parent(pid: int) -> int | None:
    import psutil  # noqa: PLC0415 - macOS and Windows only (Linux reads /proc, as process.py does)

    try:
        return psutil.Process(pid).ppid()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def _ancestors(pid: int) -> list[int]:
    found: list[int] = []
    current: int | None = pid
    while len(found) < MAX_DEPTH and current is not None and current > 1:
        current = parent_pid(current)
        if current is not None and current > 1:
            found.append(current)
    return found


def related_processes(first: int, second: int) -> bool:
    """True when ``first`` and ``second`` are one process, or one is the other's (grand)parent."""
    if first <= 0 or second <= 0:
        return False
    return first == second or first in _ancestors(second) or second in _ancestors(first)


def _same_app(app_id: str, process: str) -> bool:
    """Whether an app's name or id names the process ``process`` (``spotify.exe``).

    Windows app ids: ``Spotify.exe``, ``Chrome``, ``Microsoft.ZuneMusic_8wekyb3d8bbwe!Music``;
    inhibitors: ``Firefox``, ``Google Chrome``.
    """

    def plain(text: str) -> str:
        text = text.lower().rpartition("!")[0] or text.lower()
        return text.split("_")[0].removesuffix(".exe").rpartition("\\")[2]

    left, right = plain(app_id), plain(process)
    return len(left) >= 3 and len(right) >= 3 and (left in right or right in left)


def belongs_to(player: Player, window: ActiveWindow, related: Related = related_processes) -> bool:
    """Whether ``player`` is the focused ``window``'s (its process, parent or child; or its app)."""
    if player.pid is not None and window.pid is not None:
        return related(player.pid, window.pid)
    if player.pid is None and player.app:
        return _same_app(player.app, window.app)
    return False


def playback_for(window: ActiveWindow | None, players: Iterable[Player],
                 inhibitors: Callable[[], Iterable[IdleInhibitor]] = tuple,
                 related: Related = related_processes) -> Playback:
    """What the focused window's media is doing: playing, or when it last stopped.

    ``inhibitors`` is asked only when none of the window's players is playing: an idle
    inhibitor counts when it names the window's process (by pid, or else by app name).
    """
    if window is None:
        return Playback(False)
    mine = [player for player in players if belongs_to(player, window, related)]
    if any(player.playing for player in mine):
        return Playback(True)
    for inhibitor in inhibitors():
        if inhibitor.pid is not None and window.pid is not None:
            if related(inhibitor.pid, window.pid):
                return Playback(True)
        elif inhibitor.who and _same_app(inhibitor.who, window.app):
            return Playback(True)
    stops = [player.changed_at for player in mine]
    return Playback(False, max(stops) if stops else None)
