"""The doorway on a real headless sway: the Tk window (through sway's Xwayland), Leave to the scratchpad.

sway here runs with Xwayland on, as a desktop sway does by default, since the doorway's
window is an X11 (Tk) client; keys are typed into it through Xwayland's XTEST.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.core.paths import Paths
from tests.desktop.daemon_process import DaemonProcess, write_test_config
from tests.desktop.sway_session import CONFIG, SwaySession
from tests.desktop.wayland_session import running
from tests.helpers import wait_until

DOORWAY_CONFIG = """
[tracking]
sample_every = "1s"
idle_after = "60s"

[doorway]
when = "always"
after_away = "3s"
seconds = "0s"
timeout = "30s"
"""


class XwaylandSway(SwaySession):
    """A headless sway with Xwayland on."""

    config_text = CONFIG.replace("xwayland disable", "xwayland enable")


@pytest.fixture(scope="module")
def sway() -> Iterator[XwaylandSway]:
    with running(XwaylandSway, "unscroll-sway-doorway-") as session:
        yield session


def doorway_node(sway: SwaySession) -> dict | None:
    return next((n for n in sway.nodes()
                 if (n.get("window_properties") or {}).get("instance") == "unscroll-doorway"), None)


def test_the_doorway_opens_and_leave_sends_the_window_to_the_scratchpad(sway: XwaylandSway, tmp_path: Path):
    x_env = sway.x_env()
    sway.let_root_use_xwayland(x_env["DISPLAY"])
    paths = Paths(config_file=tmp_path / "config.toml", data_dir=tmp_path / "data")
    write_test_config(paths, DOORWAY_CONFIG)
    daemon = DaemonProcess({**sway.env, **x_env}, paths)
    social = sway.open_window("Facebook — Mozilla Firefox", app_id="firefox", process_name="firefox")
    try:
        sway.touch_input()
        daemon.start()
        sway.focus(social)

        def doorway_up() -> dict | None:
            sway.touch_input()
            return doorway_node(sway)

        node = wait_until(doorway_up, timeout=15, message="the doorway window on sway")
        sway.swaymsg(f"[con_id={node['id']}] focus")
        subprocess.run(["xdotool", "key", "Escape"], env={**x_env, "PATH": "/usr/bin:/bin"},
                       check=True, timeout=10)
        wait_until(lambda: doorway_node(sway) is None, timeout=10, message="the doorway to close")

        def in_scratchpad() -> bool:
            scratch = next(n for n in sway.nodes() if n.get("name") == "__i3_scratch")
            return any(n.get("name") == social.title for n in scratch.get("floating_nodes", []))

        wait_until(in_scratchpad, timeout=10, message="Leave to move the window to the scratchpad")
        rows = json.loads(daemon.cli("prompts", "--json").stdout)
        assert [(r["kind"], r["outcome"]) for r in rows] == [("doorway", "left")]
    finally:
        daemon.stop()
