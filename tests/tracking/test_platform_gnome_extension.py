"""unscroll's GNOME Shell extension as shipped: its two forms agree, gjs parses both, the replies parse.

The extension runs on a real GNOME Shell 43 in tests/desktop/test_gnome.py. GNOME 45 and
later cannot run here (Debian 12 ships 43): its ES-module form is parsed by the real gjs,
which reports a syntax error before it resolves any import.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import stat
import subprocess
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from monitor.tracking.platforms.gnome_focus import (
    INTERFACE,
    OBJECT_PATH,
    UUID,
    VERSION,
    window_from_extension,
)
from monitor.tracking.platforms.gnome_setup import (
    LEFT_TO_YOU,
    ExtensionStatus,
    copy_extension,
    folder_flavour,
    packaged_extension,
    parse_string_list,
    what_to_do,
)

SHIPPED = Path(__file__).resolve().parents[2] / "monitor" / "tracking" / "platforms" / "gnome_extension"


def metadata(flavour: str) -> dict:
    return json.loads((SHIPPED / flavour / "metadata.json").read_text(encoding="utf-8"))


def source(flavour: str) -> str:
    return (SHIPPED / flavour / "extension.js").read_text(encoding="utf-8")


# --- the two forms of the extension -------------------------------------------------------------

def test_both_forms_carry_the_same_uuid_version_and_interface():
    for flavour in ("legacy", "modules"):
        assert metadata(flavour)["uuid"] == UUID
        assert metadata(flavour)["version"] == VERSION
        assert f"const VERSION = {VERSION};" in source(flavour)
        assert f"const PATH = '{OBJECT_PATH}';" in source(flavour)
        assert f'<interface name="{INTERFACE}">' in source(flavour)
    assert metadata("legacy")["shell-version"] == ["43", "44"]
    assert metadata("modules")["shell-version"][0] == "45"


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def test_both_forms_share_the_interface_and_the_window_description():
    legacy, modules = source("legacy"), source("modules")
    assert _between(legacy, "const IFACE", "</node>`;") == _between(modules, "const IFACE", "</node>`;")
    assert _between(legacy, "function describe", "\n}\n") == _between(modules, "function describe", "\n}\n")
    methods = ("    GetFocused()", "    _follow()")
    assert _between(legacy, *methods) == _between(modules, *methods)
    assert "export default class" in modules
    assert "imports.gi" in legacy
    assert "export " not in legacy


@pytest.fixture
def gjs() -> str:
    program = shutil.which("gjs")
    if program is None:
        pytest.skip("gjs (installed with gnome-shell) is not here")
    return program


def gjs_says(gjs: str, script: str, tmp_path: Path) -> str:
    runner = tmp_path / "check.js"
    runner.write_text(script, encoding="utf-8")
    result = subprocess.run([gjs, "-m", str(runner)], capture_output=True, text=True, timeout=30,
                            env={**os.environ, "HOME": str(tmp_path)})
    return result.stdout.strip() + result.stderr.strip()


def test_gjs_parses_the_module_form(gjs, tmp_path):
    """gjs parses the whole module before it resolves its imports: a syntax error comes first."""
    check = "import('file://{path}').then(() => print('loaded'), e => print(e.name + ': ' + e.message));"
    said = gjs_says(gjs, check.format(path=SHIPPED / "modules" / "extension.js"), tmp_path)
    # parsed; then GNOME Shell's own module is not here (43 has none): only a Shell 45+ has it
    assert said.startswith("ImportError: Unable to load file from: resource:///org/gnome/shell/"), said
    broken = tmp_path / "broken.js"
    broken.write_text(source("modules").replace("get Version()", "get Version(x)"), encoding="utf-8")
    assert gjs_says(gjs, check.format(path=broken), tmp_path).startswith("SyntaxError"), "it sees nothing"


def test_gjs_parses_the_legacy_form(gjs, tmp_path):
    check = ("import GLib from 'gi://GLib';\n"
             "const [, bytes] = GLib.file_get_contents('{path}');\n"
             "try {{ new Function(new TextDecoder().decode(bytes)); print('parsed'); }}\n"
             "catch (e) {{ print(e.name + ': ' + e.message); }}\n")
    assert gjs_says(gjs, check.format(path=SHIPPED / "legacy" / "extension.js"), tmp_path) == "parsed"
    broken = tmp_path / "broken.js"
    broken.write_text(source("legacy").replace("init() {", "init( {"), encoding="utf-8")
    assert gjs_says(gjs, check.format(path=broken), tmp_path).startswith("SyntaxError")


def test_the_wheel_ships_every_file_of_the_extension():
    """pyproject's package data for ``monitor`` names each file (a wheel built from it was checked too)."""
    package_data = tomllib.loads((SHIPPED.parents[3] / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = package_data["package-data"]["monitor"]
    files = [path.relative_to(SHIPPED.parents[2]).as_posix() for path in SHIPPED.rglob("*") if path.is_file()]
    assert len(files) == 4
    assert [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)] == []


# --- choosing and copying -----------------------------------------------------------------------

@pytest.mark.parametrize(("shell", "flavour"), [("43.9", "legacy"), ("44.10", "legacy"), ("45.0", "modules"),
                                                ("46.2", "modules"), ("48.beta", "modules")])
def test_the_form_that_fits_the_shell(shell, flavour, tmp_path):
    copy_extension(packaged_extension(shell), tmp_path / UUID)
    assert folder_flavour(tmp_path / UUID) == flavour
    assert (tmp_path / UUID / "metadata.json").read_text(encoding="utf-8") == \
        (SHIPPED / flavour / "metadata.json").read_text(encoding="utf-8")


def test_copying_replaces_an_older_copy_readable_by_the_shell(tmp_path):
    target = tmp_path / "extensions" / UUID
    target.mkdir(parents=True)
    (target / "extension.js").write_text("// an old version", encoding="utf-8")
    (target / "extension.js").chmod(0o600)
    copy_extension(packaged_extension("43.9"), target)
    assert (target / "extension.js").read_text(encoding="utf-8") == source("legacy")
    assert sorted(p.name for p in target.iterdir()) == ["extension.js", "metadata.json"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in target.iterdir()} == {0o644}
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


# --- the replies ----------------------------------------------------------------------------------

def test_a_focused_window_reply(tmp_path):
    reply = {"id": "1797942105", "title": "Inbox — Mail", "wm_class": "org.example.Mail",
             "wm_class_instance": "mail", "sandboxed_app_id": "org.example.Mail", "gtk_app_id": "",
             "app": "org.example.Mail.desktop", "pid": os.getpid()}
    seen = window_from_extension(json.dumps(reply))
    assert seen is not None
    assert (seen.title, seen.pid, seen.handle) == ("Inbox — Mail", os.getpid(), "1797942105")
    assert seen.app == Path(f"/proc/{os.getpid()}/comm").read_text().strip()


def test_a_window_whose_process_cannot_be_read_is_named_by_its_sandboxed_app_id():
    reply = {"id": "7", "title": "", "wm_class": "mail", "sandboxed_app_id": "org.example.Mail", "pid": 0}
    seen = window_from_extension(json.dumps(reply))
    assert seen is not None
    assert (seen.app, seen.title, seen.pid) == ("org.example.Mail", None, None)


@pytest.mark.parametrize("reply", ["{}", "", "  "])
def test_nothing_focused(reply):
    assert window_from_extension(reply) is None


@pytest.mark.parametrize("reply", ["[1, 2]", "not json", '"text"'])
def test_a_reply_that_is_not_an_object(reply):
    with pytest.raises(ValueError):  # noqa: PT011 - json's own error is a ValueError too
        window_from_extension(reply)


@pytest.mark.parametrize(("text", "value"), [("@as []", []), ("['a@b', 'unscroll@unscroll.github.io']",
                                                               ["a@b", "unscroll@unscroll.github.io"])])
def test_gsettings_lists(text, value):
    assert parse_string_list(text) == value


@pytest.mark.parametrize("text", ["true", "[1, 2]", "['a'"])
def test_gsettings_lists_refused(text):
    with pytest.raises((ValueError, SyntaxError)):
        parse_string_list(text)


# --- what the person is told --------------------------------------------------------------------

ANSWERING = ExtensionStatus(folder="/home/me/.local/share/gnome-shell/extensions/" + UUID,
                            installed_version=VERSION, enabled_in_settings=True, shell_version="43.9",
                            shell_state="enabled", shell_error="", user_extensions_off=False,
                            answering_version=VERSION)
SILENT = replace(ANSWERING, answering_version=None)


@pytest.mark.parametrize(("status", "said"), [
    (ANSWERING, "answers (version 1): nothing is left to do."),
    (replace(ANSWERING, answering_version=0), "An older version (0) of unscroll's extension answers"),
    (replace(SILENT, shell_version=None), "GNOME Shell is not on this D-Bus session bus"),
    (replace(SILENT, user_extensions_off=True), "Extensions are switched off as a whole"),
    (replace(SILENT, folder=None, shell_state=None), "is not installed: run `unscroll gnome install`."),
    (replace(SILENT, shell_state="error", shell_error="SyntaxError: x"),
     "could not load unscroll's extension: SyntaxError: x."),
    (replace(SILENT, shell_state="out of date"), "GNOME Shell 43.9 does not accept this version"),
    (replace(SILENT, shell_state="disabled"), "installed but turned off: run `unscroll gnome install` again"),
    (replace(SILENT, shell_state=None), "was installed after you logged in."),
    (replace(SILENT, shell_state="initialized"), "GNOME Shell says unscroll's extension is initialized"),
])
def test_what_to_do(status, said):
    advice = what_to_do(status)
    assert said in advice
    assert "\n" not in advice
    needs_login = status.shell_state in (None, "out of date", "initialized") or status.answering_version == 0
    assert (LEFT_TO_YOU in advice) == (needs_login and status.shell_version is not None
                                       and not status.user_extensions_off), advice
    assert not re.search(r"\s{2,}", advice)
