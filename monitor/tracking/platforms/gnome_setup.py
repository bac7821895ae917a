"""Installing unscroll's GNOME Shell extension, and saying where it stands.

The extension ships inside this package (``gnome_extension/legacy`` for GNOME 43–44, whose
Shell loads extensions as scripts with ``imports``; ``gnome_extension/modules`` for GNOME 45
and later, which load ES modules). ``install`` copies the one that fits the running Shell to
``$XDG_DATA_HOME/gnome-shell/extensions/<uuid>/`` (``~/.local/share`` by default) and turns
it on: through the Shell's ``org.gnome.Shell.Extensions.EnableExtension`` when the running
Shell already knows it, else in the Shell's settings (``org.gnome.shell enabled-extensions``,
as ``gnome-extensions enable`` does), read and written with GLib's ``gsettings``.

A Shell on Wayland reads new extensions only when it starts, that is when the person logs
in: ``LEFT_TO_YOU`` says so, and ``unscroll start`` says the same where it is missing.
``read_status`` gathers what the files, the settings and the running Shell say.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.dbus_sync import DBusCallFailed, SessionBus
from monitor.tracking.platforms.gnome_focus import INTERFACE, OBJECT_PATH, SHELL, UUID, VERSION

SHELL_EXTENSIONS = ("/org/gnome/Shell", "org.gnome.Shell.Extensions")
MODULES_SINCE = 45
"""The first GNOME Shell whose extensions are ES modules."""
FILES = ("metadata.json", "extension.js")
STATES = {1: "enabled", 2: "disabled", 3: "error", 4: "out of date", 5: "downloading",
          6: "initialized", 7: "disabling", 8: "enabling", 99: "uninstalled"}
"""GNOME Shell's ExtensionState numbers, as GetExtensionInfo reports them."""

LEFT_TO_YOU = (
    "What is left to you: GNOME Shell loads a new extension only when you log in, so log out "
    "and back in once. Then `unscroll gnome status` says whether it answers, and `unscroll "
    "start` begins counting. The extension answers unscroll on your session bus only; "
    "nothing leaves this computer."
)


@dataclass(frozen=True)
class ExtensionStatus:
    """Where unscroll's extension stands, from the files, the settings and the running Shell."""

    folder: str | None
    """Where it is installed (None: nowhere GNOME Shell looks)."""
    installed_version: int | None
    enabled_in_settings: bool | None
    """Listed in ``enabled-extensions`` (None: the settings could not be read)."""
    shell_version: str | None
    """The running GNOME Shell's version (None: no GNOME Shell on this session bus; "": it did not say)."""
    shell_state: str | None
    """What the running Shell says of it (``enabled``, ``error``...; None: it does not know it)."""
    shell_error: str
    user_extensions_off: bool
    answering_version: int | None
    """The version that answers on the bus (None: nothing answers)."""

    @property
    def answering(self) -> bool:
        """True when the extension answers on the session bus."""
        return self.answering_version is not None

    def to_dict(self) -> dict[str, Any]:
        """The status as JSON-ready values (``unscroll gnome status --json``)."""
        return {"uuid": UUID, **asdict(self), "answering": self.answering, "shipped_version": VERSION}


# --- the Shell's settings, through gsettings ------------------------------------------------

def _gsettings(*args: str) -> str | None:
    """Run ``gsettings ARGS``; its output, or None where gsettings or the schema is missing."""
    program = shutil.which("gsettings")
    if program is None:
        return None
    try:
        result = subprocess.run([program, *args], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def parse_string_list(text: str) -> list[str]:
    """A GVariant string list as gsettings prints it (``['a', 'b']``, ``@as []``)."""
    value = ast.literal_eval(text.removeprefix("@as").strip())
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"not a list of strings: {text}")
    return value


def _settings_list(key: str) -> list[str] | None:
    text = _gsettings("get", "org.gnome.shell", key)
    try:
        return None if text is None else parse_string_list(text)
    except (ValueError, SyntaxError):
        return None


def enable_in_settings() -> bool:
    """Add the extension to ``enabled-extensions`` (and out of ``disabled-extensions``); False if unable."""
    enabled, disabled = _settings_list("enabled-extensions"), _settings_list("disabled-extensions")
    if enabled is None:
        return False
    if UUID not in enabled and _gsettings("set", "org.gnome.shell", "enabled-extensions",
                                          repr([*enabled, UUID])) is None:
        return False
    if disabled and UUID in disabled:
        _gsettings("set", "org.gnome.shell", "disabled-extensions",
                   repr([uuid for uuid in disabled if uuid != UUID]))
    # read back: without a session bus (or with GLib's memory backend) a write is lost silently
    return UUID in (_settings_list("enabled-extensions") or [])


# --- the running Shell, on the session bus --------------------------------------------------

def _shell_property(bus: SessionBus, name: str) -> Any:
    [variant] = bus.call(SHELL, SHELL_EXTENSIONS[0], "org.freedesktop.DBus.Properties", "Get", "ss",
                         [SHELL_EXTENSIONS[1], name])
    return variant.value


def shell_version(bus: SessionBus) -> str | None:
    """The running GNOME Shell's version (``43.9``; ``""``: it will not say; None: not on the bus)."""
    try:
        value = _shell_property(bus, "ShellVersion")
    except PlatformUnavailable:
        return None
    except DBusCallFailed as err:
        return None if err.name.endswith(("ServiceUnknown", "NameHasNoOwner")) else ""
    return str(value)


def _extension_info(bus: SessionBus) -> dict[str, Any]:
    try:
        [info] = bus.call(SHELL, *SHELL_EXTENSIONS, "GetExtensionInfo", "s", [UUID])
    except (DBusCallFailed, PlatformUnavailable):
        return {}
    return {key: variant.value for key, variant in info.items()}


def answering_version(bus: SessionBus) -> int | None:
    """The version of unscroll's extension answering on the bus, or None."""
    try:
        [variant] = bus.call(SHELL, OBJECT_PATH, "org.freedesktop.DBus.Properties", "Get", "ss",
                             [INTERFACE, "Version"])
    except (DBusCallFailed, PlatformUnavailable):
        return None
    return int(variant.value)


def _installed_folder(env: Mapping[str, str], info: Mapping[str, Any]) -> Path | None:
    if info.get("path"):
        return Path(str(info["path"]))
    for folder in (user_extensions_folder(env), *_system_extension_folders(env)):
        if (folder / UUID / "metadata.json").is_file():
            return folder / UUID
    return None


def user_extensions_folder(env: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/gnome-shell/extensions`` (``~/.local/share/...`` by default)."""
    data_home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "share")
    return Path(data_home) / "gnome-shell" / "extensions"


def _system_extension_folders(env: Mapping[str, str]) -> list[Path]:
    dirs = env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    return [Path(d) / "gnome-shell" / "extensions" for d in dirs.split(":") if d]


def _metadata_version(folder: Path | None) -> int | None:
    try:
        version = json.loads((folder / "metadata.json").read_text(encoding="utf-8")).get("version") \
            if folder else None
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, int) else None


def read_status(env: Mapping[str, str], bus: SessionBus, *, with_settings: bool = True) -> ExtensionStatus:
    """Where the extension stands; ``with_settings`` False skips ``gsettings`` (the daemon's case)."""
    version = shell_version(bus)
    info = _extension_info(bus) if version is not None else {}
    folder = _installed_folder(env, info)
    enabled = None
    if with_settings:
        listed = _settings_list("enabled-extensions")
        enabled = None if listed is None else UUID in listed
    user_off = False
    if version is not None:
        try:
            user_off = _shell_property(bus, "UserExtensionsEnabled") is False
        except (DBusCallFailed, PlatformUnavailable):
            user_off = False
    state = STATES.get(int(info["state"]), str(info["state"])) if "state" in info else None
    return ExtensionStatus(
        folder=None if folder is None else str(folder), installed_version=_metadata_version(folder),
        enabled_in_settings=enabled, shell_version=version, shell_state=state,
        shell_error=str(info.get("error") or ""), user_extensions_off=user_off,
        answering_version=answering_version(bus) if version is not None else None)


def what_to_do(status: ExtensionStatus) -> str:
    """One paragraph: why the extension does not answer and what to do, or that all is well."""
    if status.answering_version is not None and status.answering_version >= VERSION:
        return (f"unscroll's GNOME Shell extension answers (version {status.answering_version}): "
                "nothing is left to do.")
    if status.answering_version is not None:
        return (f"An older version ({status.answering_version}) of unscroll's extension answers; version "
                f"{VERSION} is installed. {LEFT_TO_YOU}")
    if status.shell_version is None:
        return ("GNOME Shell is not on this D-Bus session bus: run this inside your GNOME session, "
                "where DBUS_SESSION_BUS_ADDRESS is set.")
    if status.user_extensions_off:
        return ("Extensions are switched off as a whole in GNOME: turn on the switch at the top of the "
                "Extensions app (or run `gsettings set org.gnome.shell disable-user-extensions false`).")
    if status.folder is None:
        return ("unscroll's GNOME Shell extension is not installed: run `unscroll gnome install`. "
                + LEFT_TO_YOU)
    if status.shell_state == "error":
        reason = status.shell_error or "no reason given"
        return (f"GNOME Shell could not load unscroll's extension: {reason}. Run `unscroll gnome "
                "install` again, then log out and back in.")
    if status.shell_state == "out of date":
        return (f"GNOME Shell {status.shell_version} does not accept this version of unscroll's extension: "
                f"run `unscroll gnome install` again (it picks the one for your GNOME). {LEFT_TO_YOU}")
    if status.shell_state == "disabled" or status.enabled_in_settings is False:
        return ("unscroll's GNOME Shell extension is installed but turned off: run `unscroll gnome "
                "install` again, or turn it on in the Extensions app.")
    if status.shell_state is None:
        return f"unscroll's GNOME Shell extension was installed after you logged in. {LEFT_TO_YOU}"
    return (f"GNOME Shell says unscroll's extension is {status.shell_state}, but it does not answer on "
            f"the session bus. {LEFT_TO_YOU}")


# --- installing -----------------------------------------------------------------------------

def packaged_extension(shell: str) -> resources.abc.Traversable:
    """The shipped extension folder that fits GNOME Shell ``shell`` (``43.9``, ``46.2``)."""
    match = re.match(r"(\d+)", shell)
    major = int(match.group(1)) if match else 0
    flavour = "modules" if major >= MODULES_SINCE else "legacy"
    return resources.files("monitor.tracking.platforms").joinpath("gnome_extension", flavour)


def installed_gnome_shell_version() -> str | None:
    """``gnome-shell --version`` (``GNOME Shell 43.9`` → ``43.9``), for a Shell not on the bus."""
    program = shutil.which("gnome-shell")
    if program is None:
        return None
    try:
        result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=20,
                                check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"(\d+(?:\.\w+)*)\s*$", result.stdout.strip())
    return found.group(1) if result.returncode == 0 and found else None


def copy_extension(source: resources.abc.Traversable, target: Path) -> None:
    """Write the extension's files into ``target`` (each replaced whole; readable by the Shell)."""
    target.mkdir(parents=True, exist_ok=True)
    target.chmod(0o755)
    for name in FILES:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=target)
        with os.fdopen(handle, "wb") as out:
            out.write(source.joinpath(name).read_bytes())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(target / name)


def install(env: Mapping[str, str], bus: SessionBus) -> tuple[Path, bool]:
    """Install the extension for this user and turn it on: (its folder, whether it is on).

    Raises PlatformUnavailable when there is no GNOME Shell, running or installed.
    """
    shell = shell_version(bus) or installed_gnome_shell_version()  # "" (unknown) asks the program too
    if shell is None:
        raise PlatformUnavailable(
            "GNOME Shell is neither running on this session bus nor installed (no gnome-shell "
            "program): unscroll's extension is for GNOME. Run this inside your GNOME session.")
    target = user_extensions_folder(env) / UUID
    try:
        copy_extension(packaged_extension(shell), target)
    except OSError as err:
        raise PlatformUnavailable(f"{target}: cannot write the extension there: "
                                  f"{err.strerror or err}") from err
    turned_on = False
    try:
        [turned_on] = bus.call(SHELL, *SHELL_EXTENSIONS, "EnableExtension", "s", [UUID])
    except (DBusCallFailed, PlatformUnavailable):
        turned_on = False
    return target, bool(turned_on) or enable_in_settings()


# --- for the command line: one session bus, opened and closed -------------------------------

@dataclass(frozen=True)
class Installed:
    """What ``install_here`` did, and where the extension stands afterwards."""

    folder: Path
    turned_on: bool
    flavour: str
    """``legacy`` (GNOME 43–44) or ``modules`` (GNOME 45 and later)."""
    status: ExtensionStatus


def _session_bus(env: Mapping[str, str], system: str = sys.platform) -> SessionBus:
    if not system.startswith("linux"):
        raise PlatformUnavailable("GNOME Shell runs on Linux: there is no GNOME extension to install here.")
    return SessionBus(env.get("DBUS_SESSION_BUS_ADDRESS"), timeout=5.0)


def install_here(env: Mapping[str, str], system: str = sys.platform) -> Installed:
    """Install and turn on the extension for the session in ``env``; see ``install``."""
    bus = _session_bus(env, system)
    try:
        folder, turned_on = install(env, bus)
        status = read_status(env, bus)
    finally:
        bus.close()
    return Installed(folder, turned_on, folder_flavour(folder), status)


def status_here(env: Mapping[str, str], system: str = sys.platform) -> ExtensionStatus:
    """``read_status`` for the session in ``env``."""
    bus = _session_bus(env, system)
    try:
        return read_status(env, bus)
    finally:
        bus.close()


def folder_flavour(folder: Path) -> str:
    """Which of the shipped extensions ``folder`` holds: ``modules`` or ``legacy``."""
    try:
        source = (folder / "extension.js").read_text(encoding="utf-8")
    except OSError:
        return "legacy"
    return "modules" if "export default class" in source else "legacy"
