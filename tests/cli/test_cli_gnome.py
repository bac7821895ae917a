"""``unscroll gnome install`` and ``unscroll gnome status`` outside a GNOME session.

Inside a real GNOME Shell (installing, logging in again, status answering) they are tested
in tests/desktop/test_gnome.py. Here: no session bus, no GNOME at all, a folder that cannot
be written, and a system that is not Linux; each says one clear thing.
"""

from __future__ import annotations

import json
import shutil

import pytest

from monitor.core.errors import PlatformUnavailable
from monitor.tracking.platforms.gnome_focus import UUID
from monitor.tracking.platforms.gnome_setup import install_here, status_here


@pytest.fixture
def no_session(tmp_path, monkeypatch):
    """A home of its own and a session bus address where no bus listens."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    return tmp_path / "home"


@pytest.fixture
def gnome_shell_installed():
    if shutil.which("gnome-shell") is None:
        pytest.skip("needs Debian's gnome-shell installed (tests/run.sh installs it)")


def one_line(code: int, err: str) -> str:
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("unscroll: ")
    return lines[0]


def test_status_without_a_session_bus(run, no_session):
    code, out, err = run("gnome", "status")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # the Shell's settings schema is there where gnome-shell is installed (CI), else unknown
    assert lines.pop(2) in ("  turned on:        no",
                            "  turned on:        unknown (its settings could not be read)")
    assert lines == [
        f"No GNOME Shell on this session bus; unscroll's extension {UUID}:",
        "  installed:        no",
        "  answering:        no",
        "  GNOME Shell says: -",
        "GNOME Shell is not on this D-Bus session bus: run this inside your GNOME session, where "
        "DBUS_SESSION_BUS_ADDRESS is set.",
    ]


def test_status_as_json(run, no_session):
    code, out, _ = run("gnome", "status", "--json")
    assert code == 0
    status = json.loads(out)
    assert status["uuid"] == UUID
    assert (status["folder"], status["shell_version"], status["answering"]) == (None, None, False)
    assert status["advice"].startswith("GNOME Shell is not on this D-Bus session bus")


def test_install_where_there_is_no_gnome_at_all(run, no_session, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    line = one_line(*run("gnome", "install")[::2])
    assert "GNOME Shell is neither running on this session bus nor installed" in line
    assert not (no_session / ".local").exists()


def test_install_outside_the_session_puts_the_files_in_place_and_says_what_is_left(
        run, no_session, gnome_shell_installed):
    code, out, err = run("gnome", "install")
    assert (code, err) == (0, "")
    folder = no_session / ".local" / "share" / "gnome-shell" / "extensions" / UUID
    first, advice = out.strip().splitlines()
    assert first.startswith("Installed unscroll's GNOME Shell extension (for GNOME ")
    assert f"in {folder}, but could not turn it on" in first
    assert "run `unscroll gnome install` again inside your GNOME session" in first
    assert advice.startswith("GNOME Shell is not on this D-Bus session bus")
    assert sorted(p.name for p in folder.iterdir()) == ["extension.js", "metadata.json"]
    assert json.loads((folder / "metadata.json").read_text(encoding="utf-8"))["uuid"] == UUID
    _, out, _ = run("gnome", "status")
    assert f"  installed:        yes, in {folder} (version 1)" in out.splitlines()


def test_install_into_a_folder_that_cannot_be_written(run, no_session, gnome_shell_installed):
    share = no_session / ".local" / "share"
    share.mkdir(parents=True)
    (share / "gnome-shell").write_text("a file where the folder should be", encoding="utf-8")
    line = one_line(*run("gnome", "install")[::2])
    assert f"{share / 'gnome-shell' / 'extensions' / UUID}: cannot write the extension there" in line
    assert (share / "gnome-shell").read_text(encoding="utf-8") == "a file where the folder should be"


@pytest.mark.parametrize("system", ["darwin", "win32"])
def test_not_on_linux(system):
    for action in (install_here, status_here):
        with pytest.raises(PlatformUnavailable, match="GNOME Shell runs on Linux: there is no"):
            action({}, system=system)
