"""The interface every media backend implements, and the book of players they share.

A backend lists the players it sees (``players``): each with the process behind it where
the system says (``pid``), or the app's id (``app``), its status and when that status
last changed. A player that went away stays listed for a while as ``gone``, its
``changed_at`` the moment it went, so that watching ends then. ``inhibitors`` lists the
apps that asked the desktop not to go idle: a second signal, asked only when no player
of the focused window is playing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol

PLAYING = "Playing"
PAUSED = "Paused"
STOPPED = "Stopped"
GONE_KEEP_SECONDS = 120.0
"""How long a player that went away stays listed (its going ends watching at that moment)."""


@dataclass(frozen=True)
class Player:
    """One media player as the system reports it."""

    name: str
    """Its name: the MPRIS bus name (``org.mpris.MediaPlayer2.mpv``), the Windows app id, a process."""
    pid: int | None
    """The process behind it, where the system says."""
    status: str
    """``Playing``, ``Paused`` or ``Stopped`` (MPRIS's words)."""
    changed_at: float
    """When the status last changed (or the player was first seen, or went away)."""
    title: str | None = None
    app: str | None = None
    """The app's id where there is no pid (Windows: ``Spotify.exe``, ``Chrome``)."""
    gone: bool = False
    """The player went away at ``changed_at``."""

    @property
    def playing(self) -> bool:
        """Playing now."""
        return self.status == PLAYING and not self.gone


@dataclass(frozen=True)
class IdleInhibitor:
    """An app that asked the desktop not to go idle (logind, GNOME's session manager)."""

    who: str
    pid: int | None
    why: str = ""


class MediaSource(Protocol):
    """A connection to the system's media players; never raises for a missing service."""

    name: str
    """``mpris``, ``gsmtc`` or ``coreaudio``, shown by ``unscroll sample``."""
    problem: str | None
    """Why no player can be seen (no session bus, no WinRT), or None."""

    def players(self) -> tuple[Player, ...]:
        """The players seen now, and the ones gone in the last ``GONE_KEEP_SECONDS``."""
        ...

    def inhibitors(self) -> tuple[IdleInhibitor, ...]:
        """The idle inhibitors held now (empty where the system has none to ask)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class PlayerBook:
    """Players by key, their status changes timed, the gone ones kept a while; thread-safe.

    Event-driven backends call ``set`` and ``drop`` as the system reports changes;
    polled ones call ``sync`` with everything seen.
    """

    def __init__(self) -> None:
        """Start with no players."""
        self._lock = threading.Lock()
        self._players: dict[str, Player] = {}
        self._gone: dict[str, Player] = {}

    def set(self, key: str, now: float, *, status: str | None = None, pid: int | None = None,
            title: str | None = None, name: str | None = None, app: str | None = None,
            create: bool = True) -> None:
        """Add or update the player ``key``; ``changed_at`` moves only when its status changes.

        ``create`` False: only update a player present (one gone meanwhile stays gone).
        """
        with self._lock:
            old = self._players.get(key)
            if old is None and not create:
                return
            if old is None:
                self._gone.pop(key, None)
                self._players[key] = Player(name=name or key, pid=pid, status=status or STOPPED,
                                            changed_at=now, title=title, app=app)
                return
            changed = status is not None and status != old.status
            self._players[key] = replace(
                old, status=status if status is not None else old.status,
                changed_at=now if changed else old.changed_at,
                pid=pid if pid is not None else old.pid, title=title if title is not None else old.title,
                name=name or old.name, app=app or old.app)

    def drop(self, key: str, now: float) -> None:
        """The player ``key`` went away at ``now``."""
        with self._lock:
            old = self._players.pop(key, None)
            if old is not None:
                self._gone[key] = replace(old, gone=True, changed_at=now)

    def drop_all(self, now: float) -> None:
        """Every player went away at ``now`` (the bus was lost)."""
        for key in self.keys():
            self.drop(key, now)

    def sync(self, now: float, seen: Iterable[Player]) -> None:
        """A polled backend's full view: ``seen`` players set (keyed by name), the rest gone."""
        current = {player.name: player for player in seen}
        for key in set(self.keys()) - set(current):
            self.drop(key, now)
        for key, player in current.items():
            self.set(key, now, status=player.status, pid=player.pid, title=player.title, app=player.app)

    def keys(self) -> list[str]:
        """The keys of the players present."""
        with self._lock:
            return list(self._players)

    def has(self, key: str) -> bool:
        """Whether player ``key`` is present."""
        with self._lock:
            return key in self._players

    def snapshot(self, now: float) -> tuple[Player, ...]:
        """Players present, then those gone within ``GONE_KEEP_SECONDS`` (older ones forgotten)."""
        with self._lock:
            self._gone = {key: player for key, player in self._gone.items()
                          if 0 <= now - player.changed_at <= GONE_KEEP_SECONDS}
            return (*self._players.values(), *self._gone.values())
