"""unscroll's folders are where platformdirs puts them, without platformdirs in the daemon.

monitor.core.paths finds them itself (platformdirs would cost the daemon about 1.2 MB);
these tests hold it to platformdirs on Linux (XDG variables set, empty and unset) and on
macOS (platformdirs' MacOS class is plain path logic, so it runs here too). Windows asks
the shell for its known folders, which cannot run here: there the rule is the documented
one, the local AppData folder.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix

from monitor.core.paths import APP_NAME, resolve_paths, user_folders


@pytest.mark.parametrize("xdg", [
    {},
    {"XDG_CONFIG_HOME": "/x/conf", "XDG_DATA_HOME": "/x/data"},
    {"XDG_CONFIG_HOME": "  ", "XDG_DATA_HOME": ""},
])
def test_linux_folders_match_platformdirs(monkeypatch, tmp_path, xdg):
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    expected = Unix(APP_NAME, appauthor=False)
    config, data = user_folders({"HOME": str(tmp_path), **xdg}, platform="linux")
    assert (config, data) == (Path(expected.user_config_dir), Path(expected.user_data_dir))


def test_macos_folders_match_platformdirs(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = MacOS(APP_NAME, appauthor=False)
    config, data = user_folders({"HOME": str(tmp_path)}, platform="darwin")
    assert (config, data) == (Path(expected.user_config_dir), Path(expected.user_data_dir))


def test_windows_folders_are_in_local_appdata():
    config, data = user_folders({"LOCALAPPDATA": "C:/Users/ana/AppData/Local"}, platform="win32")
    assert config == data == Path("C:/Users/ana/AppData/Local/unscroll")


def test_unscroll_variables_win_over_the_platform_folders(tmp_path):
    paths = resolve_paths({"UNSCROLL_CONFIG": "~/u.toml", "UNSCROLL_DATA_DIR": str(tmp_path / "d"),
                           "XDG_CONFIG_HOME": "/x/conf"})
    assert paths.config_file == Path("~/u.toml").expanduser()
    assert paths.data_dir == tmp_path / "d"


@pytest.mark.skipif(sys.platform != "linux", reason="the daemon's own process, on Linux")
def test_the_daemon_loads_no_platformdirs():
    code = ("import sys; import monitor.daemon.lifecycle; "
            "print(sorted(m for m in ('platformdirs', 'tempfile', 'zipfile', 'pickle') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
