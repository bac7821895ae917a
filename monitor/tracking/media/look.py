"""One look at the media players, for ``unscroll sample``: what the daemon would see now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from monitor.tracking.media.base import MediaSource, Player
from monitor.tracking.media.factory import open_media
from monitor.tracking.media.focus import belongs_to, playback_for
from monitor.tracking.platforms.base import ActiveWindow


@dataclass(frozen=True)
class MediaLook:
    """The players seen, which belong to the focused window, and whether it counts as watching."""

    source: str
    problem: str | None
    players: tuple[tuple[Player, bool], ...]
    """Each player present, and whether it is the focused window's."""
    watching: bool
    """With no input, the focused window would keep counting (a player of it plays)."""

    def as_json(self) -> dict[str, object]:
        """The JSON shape ``unscroll sample --json`` prints."""
        return {"source": self.source, "problem": self.problem, "watching": self.watching,
                "players": [{"name": player.name, "pid": player.pid, "status": player.status,
                             "title": player.title, "focused_window": mine}
                            for player, mine in self.players]}

    def lines(self) -> list[str]:
        """One line per player, as ``unscroll sample`` shows them."""
        if not self.players:
            return [self.problem or f"no media player is on ({self.source})"]
        return [f"{player.name}{'' if player.pid is None else f' (pid {player.pid})'}: {player.status}"
                + (f' "{player.title}"' if player.title else "") + (" · the focused window's" if mine else "")
                for player, mine in self.players]


def look_at_media(window: ActiveWindow | None,
                  opener: Callable[[], MediaSource] = open_media) -> MediaLook:
    """Open the media source, list its players against ``window``, close it."""
    source = opener()
    try:
        players = tuple(player for player in source.players() if not player.gone)
        playback = playback_for(window, players, source.inhibitors)
        mine = tuple((player, window is not None and belongs_to(player, window)) for player in players)
        return MediaLook(source.name, source.problem, mine, playback.playing)
    finally:
        source.close()
