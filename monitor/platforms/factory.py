"""The one factory that chooses a backend for the running session and imports it lazily."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from monitor.errors import PlatformUnavailable
from monitor.platforms.base import Platform


def detect_backend(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """Name the backend that fits this session, or raise PlatformUnavailable saying why."""
    env = os.environ if environ is None else environ
    system = platform or sys.platform
    if system.startswith("linux") or "bsd" in system:
        session = env.get("XDG_SESSION_TYPE", "").lower()
        if env.get("DISPLAY") and session != "wayland":
            return "x11"
        if env.get("WAYLAND_DISPLAY") or session == "wayland":
            if env.get("DISPLAY"):
                raise PlatformUnavailable(
                    "This is a Wayland session. unscroll cannot yet read the focused window "
                    "on Wayland: through XWayland it would only see X11 apps and count the "
                    "rest as nothing. Log in to an X11 session (\"GNOME on Xorg\" or "
                    "\"Plasma (X11)\") to use unscroll for now."
                )
            raise PlatformUnavailable(
                "This is a Wayland session without X11 (no DISPLAY). unscroll cannot yet read "
                "the focused window on Wayland; log in to an X11 session to use it."
            )
        raise PlatformUnavailable(
            "No graphical session found: neither DISPLAY nor WAYLAND_DISPLAY is set. Run "
            "unscroll inside your desktop session (or set DISPLAY, e.g. DISPLAY=:0)."
        )
    raise PlatformUnavailable(
        f"unscroll does not support this operating system yet ({system}); "
        "it runs on Linux with X11."
    )


def open_platform(environ: Mapping[str, str] | None = None) -> Platform:
    """Open the backend for this session; the backend module is imported only here."""
    backend = detect_backend(environ)
    if backend == "x11":
        from monitor.platforms.x11 import X11Platform  # noqa: PLC0415 - lazy by design

        env = os.environ if environ is None else environ
        return X11Platform(env.get("DISPLAY"))
    raise PlatformUnavailable(f"no backend named {backend!r}")  # pragma: no cover
