"""The one factory that chooses a backend for the running session and imports it lazily.

``detect_backend`` names the backend (``x11``, ``sway``, ``hyprland``, ``gnome``,
``kwin``, ``macos``, ``windows``) or raises PlatformUnavailable with one paragraph saying what is
missing and what to install or enable. It never guesses: a desktop it cannot read is
refused, not sampled as "nothing". ``open_platform`` opens the named backend; backend
modules are imported only there.

On Linux a session is Wayland when ``XDG_SESSION_TYPE`` says so, or when it is not
``x11`` and ``WAYLAND_DISPLAY`` is set (sway started from a console has session type
``tty``). An X11 session (or one with only ``DISPLAY``) uses the X11 backend. Under
Wayland the compositor is recognised by its IPC variables (``SWAYSOCK``,
``HYPRLAND_INSTANCE_SIGNATURE``) or by ``XDG_CURRENT_DESKTOP``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.base import Platform

MACOS_MODULES = {"AppKit": "pyobjc-framework-Cocoa", "Quartz": "pyobjc-framework-Quartz",
                 "ApplicationServices": "pyobjc-framework-ApplicationServices"}

ModuleCheck = Callable[[str], bool]
DesktopProbe = Callable[[Mapping[str, str]], None]
"""Checks that a desktop can be asked for the focused window; raises PlatformUnavailable."""


def _module_available(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _probe_gnome(env: Mapping[str, str]) -> None:
    """Raise PlatformUnavailable unless GNOME Shell exports a focused-window extension."""
    from monitor.tracking.platforms.dbus_sync import SessionBus  # noqa: PLC0415 - lazy by design
    from monitor.tracking.platforms.gnome_shell import probe_gnome  # noqa: PLC0415

    bus = SessionBus(env.get("DBUS_SESSION_BUS_ADDRESS"))
    try:
        probe_gnome(bus, env)
    finally:
        bus.close()


def _probe_kwin(env: Mapping[str, str]) -> None:
    """Raise PlatformUnavailable unless KWin's scripting interface answers on the session bus."""
    from monitor.tracking.platforms.dbus_sync import SessionBus  # noqa: PLC0415 - lazy by design
    from monitor.tracking.platforms.kwin import probe_kwin  # noqa: PLC0415

    bus = SessionBus(env.get("DBUS_SESSION_BUS_ADDRESS"))
    try:
        probe_kwin(bus)
    finally:
        bus.close()


def desktop_names(env: Mapping[str, str]) -> list[str]:
    """XDG_CURRENT_DESKTOP's names, lower case (``ubuntu:GNOME`` → ``["ubuntu", "gnome"]``)."""
    return [part.strip().lower() for part in env.get("XDG_CURRENT_DESKTOP", "").split(":") if part.strip()]


def is_wayland_session(env: Mapping[str, str]) -> bool:
    """True when the session runs on Wayland (see the module docstring)."""
    session = env.get("XDG_SESSION_TYPE", "").lower()
    if session in ("wayland", "x11"):
        return session == "wayland"
    return bool(env.get("WAYLAND_DISPLAY"))


XWAYLAND_NOTE = ("Reading X11 windows through XWayland instead would miss every native "
                 "Wayland app, so unscroll does not do that.")


def _wayland_backend(env: Mapping[str, str], gnome_probe: DesktopProbe, kwin_probe: DesktopProbe) -> str:
    from monitor.tracking.platforms import hyprland  # noqa: PLC0415 - light: no desktop connection

    desktops = desktop_names(env)
    swaysock = env.get("SWAYSOCK")
    if swaysock:
        if Path(swaysock).exists():
            return "sway"
        raise PlatformUnavailable(
            f"This is a sway session, but SWAYSOCK names {swaysock}, which does not exist: sway "
            "has restarted or the variable is stale. Run unscroll from a terminal inside the "
            "running sway (or, for a service, `systemctl --user import-environment SWAYSOCK "
            "WAYLAND_DISPLAY` from your sway config)."
        )
    if env.get("HYPRLAND_INSTANCE_SIGNATURE"):
        if hyprland.find_socket(env):
            return "hyprland"
        raise PlatformUnavailable(
            "This is a Hyprland session, but its request socket is at none of "
            f"{', '.join(hyprland.socket_candidates(env))}: Hyprland has restarted or "
            "HYPRLAND_INSTANCE_SIGNATURE is stale. Run unscroll from a terminal inside the "
            "running Hyprland."
        )
    if "sway" in desktops:
        raise PlatformUnavailable(
            "This is a sway session, but SWAYSOCK is not set, so unscroll cannot reach sway's "
            "IPC socket. Run unscroll from a terminal inside sway, or for a systemd service add "
            "`exec systemctl --user import-environment SWAYSOCK WAYLAND_DISPLAY` to your sway config."
        )
    if "hyprland" in desktops:
        raise PlatformUnavailable(
            "This is a Hyprland session, but HYPRLAND_INSTANCE_SIGNATURE is not set, so unscroll "
            "cannot find Hyprland's socket. Run unscroll from a terminal inside Hyprland, or for "
            "a systemd service add `exec-once = systemctl --user import-environment "
            "HYPRLAND_INSTANCE_SIGNATURE WAYLAND_DISPLAY` to hyprland.conf."
        )
    if "gnome" in desktops:
        gnome_probe(env)
        return "gnome"
    if "kde" in desktops:
        kwin_probe(env)
        return "kwin"
    name = env.get("XDG_CURRENT_DESKTOP") or "unknown (XDG_CURRENT_DESKTOP is not set)"
    raise PlatformUnavailable(
        f"This is a Wayland session with a compositor unscroll does not support (desktop: "
        f"{name}). On Wayland unscroll reads the focused window from sway, Hyprland, or "
        "KDE Plasma (KWin), or GNOME with unscroll's Shell extension (`unscroll gnome install`). "
        f"{XWAYLAND_NOTE} Log in to an X11 session, or one of those, to use it."
    )


def detect_backend(environ: Mapping[str, str] | None = None, platform: str | None = None, *,
                   module_available: ModuleCheck = _module_available,
                   gnome_probe: DesktopProbe = _probe_gnome,
                   kwin_probe: DesktopProbe = _probe_kwin) -> str:
    """Name the backend that fits this session, or raise PlatformUnavailable saying why.

    ``module_available``, ``gnome_probe`` and ``kwin_probe`` are the outside checks (an
    importable PyObjC module; GNOME Shell's extension and KWin's scripting on D-Bus),
    replaceable in tests.
    """
    env = os.environ if environ is None else environ
    system = platform or sys.platform
    if system == "darwin":
        missing = [package for module, package in MACOS_MODULES.items() if not module_available(module)]
        if missing:
            raise PlatformUnavailable(
                "unscroll reads the frontmost app on macOS through PyObjC, which is not installed "
                f"in this Python ({sys.executable}). Install it there with: pip install "
                f"{' '.join(missing)} (installing unscroll with pip on a Mac brings them)."
            )
        return "macos"
    if system == "win32":
        return "windows"
    if system.startswith("linux") or "bsd" in system:
        if is_wayland_session(env):
            return _wayland_backend(env, gnome_probe, kwin_probe)
        if env.get("DISPLAY"):
            return "x11"
        raise PlatformUnavailable(
            "No graphical session found: neither DISPLAY nor WAYLAND_DISPLAY is set. Run "
            "unscroll inside your desktop session (or set DISPLAY, e.g. DISPLAY=:0)."
        )
    raise PlatformUnavailable(
        f"unscroll does not support this operating system ({system}); it runs on Linux "
        "(X11; sway, Hyprland, KDE Plasma or GNOME on Wayland), macOS and Windows."
    )


def open_platform(environ: Mapping[str, str] | None = None) -> Platform:
    """Open the backend for this session; the backend module is imported only here."""
    env = os.environ if environ is None else environ
    backend = detect_backend(env)
    if backend == "x11":
        from monitor.tracking.platforms.x11 import X11Platform  # noqa: PLC0415 - lazy by design

        return X11Platform(env.get("DISPLAY"))
    if backend == "sway":
        from monitor.tracking.platforms.sway import SwayPlatform  # noqa: PLC0415
        from monitor.tracking.platforms.wayland_idle import socket_path  # noqa: PLC0415

        return SwayPlatform(env["SWAYSOCK"], socket_path(env))
    if backend == "hyprland":
        from monitor.tracking.platforms.hyprland import HyprlandPlatform, find_socket  # noqa: PLC0415
        from monitor.tracking.platforms.wayland_idle import socket_path  # noqa: PLC0415

        return HyprlandPlatform(find_socket(env) or "", socket_path(env))
    if backend == "gnome":
        from monitor.tracking.platforms.gnome_shell import GnomeShellPlatform  # noqa: PLC0415

        return GnomeShellPlatform(env.get("DBUS_SESSION_BUS_ADDRESS"), env=env)
    if backend == "kwin":
        from monitor.tracking.platforms.kwin import KWinPlatform  # noqa: PLC0415
        from monitor.tracking.platforms.wayland_idle import socket_path  # noqa: PLC0415

        return KWinPlatform(env.get("DBUS_SESSION_BUS_ADDRESS"), socket_path(env))
    if backend == "macos":
        from monitor.tracking.platforms.macos import MacOSPlatform  # noqa: PLC0415

        return MacOSPlatform()
    if backend == "windows":
        from monitor.tracking.platforms.windows import WindowsPlatform  # noqa: PLC0415

        return WindowsPlatform()
    raise PlatformUnavailable(f"no backend named {backend!r}")  # pragma: no cover
