"""Windows: the Global System Media Transport Controls sessions (what the volume flyout shows).

Each session has the app's id (``Spotify.exe``, ``Chrome``, ``MSEdge``; a Store app's
package id) and a playback status; it has no process id, so a session counts for the
foreground window when its app id names the window's process
(monitor.tracking.media.focus). Read through PyWinRT (``winrt-Windows.Media.Control``);
``sessions_reader`` is the boundary, and ``GsmtcSource`` is tested against a fake of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.media.base import PAUSED, PLAYING, STOPPED, Player
from monitor.tracking.media.polled import PolledSource, Read

STATUS_WORDS = {4: PLAYING, 5: PAUSED}
"""GlobalSystemMediaTransportControlsSessionPlaybackStatus: 0 closed, 1 opened, 2 changing,
3 stopped, 4 playing, 5 paused."""

Sessions = Callable[[], list[tuple[str, int]]]
"""Every session now: (source app user model id, playback status number)."""


def sessions_reader(sessions: Sessions) -> Read:
    """Turn the boundary's sessions into players (one per app id)."""
    def read(now: float) -> list[Player]:
        players: dict[str, Player] = {}
        for app_id, status in sessions():
            word = STATUS_WORDS.get(int(status), STOPPED)
            if app_id and (app_id not in players or word == PLAYING):
                players[app_id] = Player(name=app_id, pid=None, status=word, changed_at=now, app=app_id)
        return list(players.values())
    return read


def _winrt_sessions() -> Read:
    """The real session manager, through PyWinRT; PlatformUnavailable when it is missing."""
    try:
        from winrt.windows.media.control import (  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415
            GlobalSystemMediaTransportControlsSessionManager as Manager,
        )
    except ImportError as err:
        raise PlatformUnavailable("the Windows media sessions cannot be read without PyWinRT: "
                                  "pip install winrt-Windows.Media.Control") from err
    import asyncio  # noqa: PLC0415

    loop = asyncio.new_event_loop()
    try:
        manager: Any = loop.run_until_complete(Manager.request_async())
    finally:
        loop.close()

    def sessions() -> list[tuple[str, int]]:
        return [(str(session.source_app_user_model_id), int(session.get_playback_info().playback_status))
                for session in manager.get_sessions()]
    return sessions_reader(sessions)


class GsmtcSource(PolledSource):
    """The Windows media sessions (``open_reader``: the boundary, a fake in tests)."""

    def __init__(self, open_reader: Callable[[], Read] = _winrt_sessions, *,
                 clock: Callable[[], float] = time.time) -> None:
        """Read the sessions through ``open_reader``'s boundary."""
        super().__init__("gsmtc", open_reader, clock=clock)
