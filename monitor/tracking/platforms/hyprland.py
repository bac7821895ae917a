"""The Hyprland backend: ``j/activewindow`` over Hyprland's request socket, idle via ext-idle-notify.

Hyprland answers one request per connection on
``$XDG_RUNTIME_DIR/hypr/$HYPRLAND_INSTANCE_SIGNATURE/.socket.sock`` (before 0.40:
``/tmp/hypr/$HYPRLAND_INSTANCE_SIGNATURE/.socket.sock``): write ``j/activewindow``, read
JSON until the socket closes. ``{}`` means nothing has focus. The window's ``pid`` gives
the process name recorded as the app; ``class`` (else ``initialClass``) stands in when
the process cannot be read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms import unix_socket
from monitor.tracking.platforms.base import ActiveWindow
from monitor.tracking.platforms.process import app_name
from monitor.tracking.platforms.wayland_idle import CompositorIdle

MAX_REPLY = 16 * 1024 * 1024


def socket_candidates(environ: Mapping[str, str]) -> list[str]:
    """Where this Hyprland instance's request socket may be, newest layout first."""
    signature = environ.get("HYPRLAND_INSTANCE_SIGNATURE")
    if not signature:
        return []
    paths = []
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime:
        paths.append(str(Path(runtime, "hypr", signature, ".socket.sock")))
    paths.append(str(Path("/tmp", "hypr", signature, ".socket.sock")))  # noqa: S108 - Hyprland's own path
    return paths


def find_socket(environ: Mapping[str, str]) -> str | None:
    """The first request socket that exists, or None."""
    return next((path for path in socket_candidates(environ) if Path(path).exists()), None)


def active_window_from_reply(reply: Any) -> ActiveWindow | None:
    """The window described by a ``j/activewindow`` reply, or None when nothing has focus."""
    if not isinstance(reply, Mapping) or not reply:
        return None
    pid = reply.get("pid")
    pid = pid if isinstance(pid, int) and pid > 0 else None
    klass = reply.get("class") or reply.get("initialClass") or None
    title = reply.get("title") or None
    return ActiveWindow(app=app_name(pid, klass), title=str(title) if title else None, pid=pid)


def request(path: str, command: str, *, timeout: float = 5.0) -> bytes:
    """Send one command to Hyprland's request socket and read the reply to the end."""
    with unix_socket.connect(path, timeout) as sock:
        sock.sendall(command.encode())
        reply = bytearray()
        while chunk := sock.recv(65536):
            reply.extend(chunk)
            if len(reply) > MAX_REPLY:
                raise ValueError(f"reply longer than {MAX_REPLY} bytes")
        return bytes(reply)


class HyprlandPlatform:
    """The focused window and idle time of one Hyprland instance."""

    name = "hyprland"

    def __init__(self, socket_path: str, wayland_path: str | None, *, timeout: float = 5.0) -> None:
        self.socket_path = socket_path
        self.wayland_path = wayland_path
        self.timeout = timeout
        self._idle = CompositorIdle(self.name, wayland_path)

    def __repr__(self) -> str:
        return f"HyprlandPlatform({self.socket_path!r})"

    def active_window(self) -> ActiveWindow | None:
        """The focused window, or None when nothing has focus."""
        try:
            raw = request(self.socket_path, "j/activewindow", timeout=self.timeout)
            if not raw.strip():
                raise ValueError("empty reply")
            reply = json.loads(raw)
        except (OSError, ValueError) as err:
            raise PlatformUnavailable(f"cannot talk to Hyprland over {self.socket_path}: {err}") from err
        return active_window_from_reply(reply)

    def idle_seconds(self) -> float:
        """Seconds since the last input, or 0 when Hyprland offers no idle protocol."""
        return self._idle.idle_seconds()

    def close(self) -> None:
        """Close the idle connection (requests use one connection each)."""
        self._idle.close()
