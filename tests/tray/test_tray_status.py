"""``[tray]`` in the settings and ``unscroll status``: shown, no tray host, off, or the error."""

from __future__ import annotations

import json

import pytest

from monitor.core.errors import ConfigError
from monitor.core.settings import load_settings
from monitor.daemon.lock import InstanceLock
from monitor.store.database import Store
from monitor.tray.standing import TrayStanding, write_standing
from tests.conftest import write_config


def keep(paths, state: str, since: float = 1000.0) -> None:
    with Store(paths.database) as store, store.transaction():
        write_standing(store, TrayStanding(state, since))


@pytest.fixture
def running_daemon(user_paths):
    """This process holds the daemon's lock: status reads the daemon as running."""
    lock = InstanceLock(user_paths.lock_file)
    assert lock.acquire()
    yield user_paths
    lock.release()


def test_the_tray_is_on_by_default_and_can_be_turned_off(user_paths):
    assert load_settings(user_paths).tray.enabled is True
    write_config(user_paths, "[tray]\nenabled = false\n")
    assert load_settings(user_paths).tray.enabled is False


@pytest.mark.parametrize(("text", "problem"), [
    ('[tray]\nenabled = "yes"\n', "tray.enabled: 'yes' is not true or false"),
    ("[tray]\nshown = true\n", "tray.shown: unknown key; [tray] accepts enabled"),
])
def test_a_mistake_in_tray_is_one_line_naming_file_and_key(user_paths, text, problem):
    write_config(user_paths, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(user_paths)
    assert caught.value.message == f"{user_paths.config_file}: {problem}"


@pytest.mark.parametrize("state", ["shown", "no tray host", "off", "error: the tray host refused the icon"])
def test_status_json_says_where_the_tray_stands(running_daemon, run, state):
    keep(running_daemon, state)
    code, out, _err = run("status", "--json")
    assert code == 0
    assert json.loads(out)["tray"] == state


def test_without_a_daemon_the_tray_is_off_whatever_was_kept(user_paths, run):
    keep(user_paths, "shown")
    code, out, _err = run("status", "--json")
    assert code == 0
    assert json.loads(out)["tray"] == "off"
    assert "Tray:" not in run("status")[1]


def test_status_says_it_in_words(running_daemon, run):
    keep(running_daemon, "no tray host")
    out = run("status")[1]
    line = next(line for line in out.splitlines() if line.startswith("Tray:"))
    assert line.startswith("Tray: no tray host since ")
    assert "no StatusNotifierWatcher" in line
    assert "AppIndicator extension" in line
    keep(running_daemon, "error: cannot connect to the D-Bus session bus (no address)")
    out = run("status")[1]
    assert "Tray: not shown since " in out
    assert out.rstrip().count("cannot connect to the D-Bus session bus (no address)") == 1
    keep(running_daemon, "shown")
    assert "Tray: the icon is shown since " in run("status")[1]
    keep(running_daemon, "off")
    assert "Tray: off ([tray] enabled = false)." in run("status")[1]
