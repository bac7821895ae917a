"""detect_backend across sessions and systems: the right backend, or one paragraph saying what to do."""

from __future__ import annotations

import pytest

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.factory import desktop_names, detect_backend, is_wayland_session
from monitor.tracking.platforms.gnome_shell import missing_extension_message


def no_gnome_probe(env):
    raise AssertionError("GNOME must not be probed for this session")


def no_kwin_probe(env):
    raise AssertionError("KWin must not be probed for this session")


def detect(env, system="linux", **kwargs):
    kwargs.setdefault("gnome_probe", no_gnome_probe)
    kwargs.setdefault("kwin_probe", no_kwin_probe)
    return detect_backend(env, system, **kwargs)


def refusal(env, system="linux", **kwargs) -> str:
    with pytest.raises(PlatformUnavailable) as caught:
        detect(env, system, **kwargs)
    message = str(caught.value)
    assert "\n" not in message  # one paragraph
    return message


@pytest.fixture
def sway_socket(tmp_path):
    path = tmp_path / "sway-ipc.1000.42.sock"
    path.touch()
    return str(path)


@pytest.fixture
def hypr_runtime(tmp_path):
    (tmp_path / "hypr" / "abc123").mkdir(parents=True)
    (tmp_path / "hypr" / "abc123" / ".socket.sock").touch()
    return str(tmp_path)


# --- X11 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("env", [
    {"DISPLAY": ":0"},
    {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"},
    {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11", "WAYLAND_DISPLAY": "wayland-0"},
    {"DISPLAY": ":1", "XDG_SESSION_TYPE": "tty"},
])
def test_x11_sessions_use_x11(env):
    assert detect(env) == "x11"


def test_x11_on_bsd():
    assert detect({"DISPLAY": ":0"}, "freebsd14") == "x11"


def test_no_session_at_all():
    message = refusal({})
    assert "neither DISPLAY nor WAYLAND_DISPLAY" in message


# --- Wayland -------------------------------------------------------------------------------

@pytest.mark.parametrize(("env", "wayland"), [
    ({"XDG_SESSION_TYPE": "wayland"}, True),
    ({"XDG_SESSION_TYPE": "Wayland", "DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-1", "DISPLAY": ":0"}, True),  # sway from a console: type tty
    ({"WAYLAND_DISPLAY": "wayland-1", "XDG_SESSION_TYPE": "tty"}, True),
    ({"WAYLAND_DISPLAY": "wayland-1", "XDG_SESSION_TYPE": "x11"}, False),
    ({"DISPLAY": ":0"}, False),
])
def test_what_counts_as_wayland(env, wayland):
    assert is_wayland_session(env) is wayland


def test_desktop_names_split_and_lowercased():
    assert desktop_names({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}) == ["ubuntu", "gnome"]
    assert desktop_names({}) == []


def test_sway_by_its_socket(sway_socket):
    env = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-1", "SWAYSOCK": sway_socket,
           "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "sway"}
    assert detect(env) == "sway"


def test_sway_with_a_stale_socket(tmp_path):
    message = refusal({"XDG_SESSION_TYPE": "wayland", "SWAYSOCK": str(tmp_path / "gone.sock")})
    assert "gone.sock" in message
    assert "does not exist" in message


def test_sway_without_swaysock_says_how_to_pass_it():
    message = refusal({"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "sway"})
    assert "SWAYSOCK is not set" in message
    assert "import-environment SWAYSOCK WAYLAND_DISPLAY" in message


def test_hyprland_by_its_signature(hypr_runtime):
    env = {"XDG_SESSION_TYPE": "wayland", "HYPRLAND_INSTANCE_SIGNATURE": "abc123",
           "XDG_RUNTIME_DIR": hypr_runtime, "XDG_CURRENT_DESKTOP": "Hyprland"}
    assert detect(env) == "hyprland"


def test_hyprland_with_a_stale_signature(tmp_path):
    message = refusal({"XDG_SESSION_TYPE": "wayland", "HYPRLAND_INSTANCE_SIGNATURE": "old",
                       "XDG_RUNTIME_DIR": str(tmp_path)})
    assert str(tmp_path / "hypr" / "old" / ".socket.sock") in message


def test_hyprland_without_signature():
    message = refusal({"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "Hyprland"})
    assert "HYPRLAND_INSTANCE_SIGNATURE is not set" in message


@pytest.mark.parametrize("desktop", ["GNOME", "ubuntu:GNOME", "pop:GNOME"])
def test_gnome_with_the_extension(desktop):
    probed = []
    env = {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": desktop}
    assert detect(env, gnome_probe=probed.append) == "gnome"
    assert probed == [env]


def test_gnome_without_the_extension_names_it():
    def probe(env):
        raise PlatformUnavailable(missing_extension_message())

    message = refusal({"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME"},
                      gnome_probe=probe)
    assert '"Focused Window D-Bus"' in message
    assert "extensions.gnome.org/extension/5592" in message
    assert "GNOME on Xorg" in message


def test_kde_wayland_uses_kwin_once_it_answers():
    probed = []
    env = {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE", "DISPLAY": ":0"}
    assert detect(env, kwin_probe=probed.append) == "kwin"
    assert probed == [env]


def test_kde_wayland_without_a_session_bus_says_what_to_do(tmp_path):
    # the real probe, on a bus address where nothing listens
    env = {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE",
           "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}"}
    with pytest.raises(PlatformUnavailable) as caught:
        detect_backend(env, "linux")
    message = str(caught.value)
    assert "\n" not in message
    assert "KDE Plasma on Wayland" in message
    assert "cannot connect to the D-Bus session bus" in message
    assert "DBUS_SESSION_BUS_ADDRESS" in message
    assert "Plasma (X11)" in message


def test_an_unknown_compositor_is_named():
    message = refusal({"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "Wayfire"})
    assert "Wayfire" in message
    assert "sway, Hyprland" in message


def test_an_unknown_compositor_without_a_name():
    message = refusal({"XDG_SESSION_TYPE": "wayland"})
    assert "XDG_CURRENT_DESKTOP is not set" in message


# --- macOS, Windows, others --------------------------------------------------------------------

def test_macos_with_pyobjc():
    assert detect({}, "darwin", module_available=lambda name: True) == "macos"


def test_macos_without_pyobjc_names_the_packages():
    present = {"AppKit"}
    message = refusal({}, "darwin", module_available=present.__contains__)
    assert "pip install pyobjc-framework-Quartz pyobjc-framework-ApplicationServices" in message
    assert "pyobjc-framework-Cocoa" not in message


def test_windows():
    assert detect({}, "win32") == "windows"


@pytest.mark.parametrize("system", ["cygwin", "sunos5", "aix"])
def test_other_systems_are_refused(system):
    message = refusal({"DISPLAY": ":0"}, system)
    assert system in message
    assert "macOS and Windows" in message
