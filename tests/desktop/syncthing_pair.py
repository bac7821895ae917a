"""Two real Syncthing instances (Debian's ``syncthing``) sharing one folder, on the loopback only.

Each has its own home (keys made by ``syncthing generate``), a GUI/REST port and a sync
port on 127.0.0.1, and knows the other's device id; the second is told the first's address
and dials it (one side only: when both dial at the same moment, Syncthing 1.19 can stall
both Hello exchanges for their 20 s timeout, as a full run here once saw). Global and local
discovery, relays, NAT traversal, STUN, usage and crash reports and upgrade checks are off, so no packet
leaves the loopback (``sockets()`` lists every socket of both, for the test to check).
The shared folder watches for changes (``fsWatcherDelayS=1``): a file written on one side
appears on the other in about a second.

``SyncthingPair(workdir).start()`` returns once both are connected and the folder is idle
on both; ``folders`` are the two sides' paths; ``stop()`` ends both (the monitor and its child).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import psutil
import pytest

from tests.helpers import wait_until

FOLDER_ID = "unscroll"
START_TIMEOUT = 60.0
LOOPBACK = ("127.0.0.1", "::1")


def require_syncthing() -> str:
    """The syncthing program; the test fails (never skips) naming the package when it is missing."""
    program = shutil.which("syncthing")
    if program is None:
        pytest.fail("the sync tests need syncthing on PATH; install it with: sudo apt-get install syncthing",
                    pytrace=False)
    return program


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _set(options: ET.Element, name: str, value: str) -> None:
    element = options.find(name)
    if element is None:
        element = ET.SubElement(options, name)
    element.text = value


class Instance:
    """One Syncthing: its home, ports, device id, and process."""

    def __init__(self, program: str, home: Path, folder: Path) -> None:
        self.program = program
        self.home = home
        self.folder = folder
        self.gui_port = free_port()
        self.sync_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
                    "STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1", "LANG": "C.UTF-8"}
        subprocess.run([program, "generate", f"--home={home}", "--no-default-folder", "--skip-port-probing"],
                       env=self.env, check=True, capture_output=True, timeout=60)
        self.device_id = subprocess.run([program, "serve", f"--home={home}", "--device-id"], env=self.env,
                                        check=True, capture_output=True, text=True, timeout=60).stdout.strip()
        self.api_key = ET.parse(home / "config.xml").getroot().findtext("gui/apikey") or ""

    def configure(self, peer: Instance, *, dial: bool) -> None:
        """Loopback only, nothing announced or relayed, one folder shared with ``peer``.

        ``dial``: this side is told the peer's address and connects to it.
        """
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        gui = root.find("gui")
        assert gui is not None
        _set(gui, "address", f"127.0.0.1:{self.gui_port}")
        options = root.find("options")
        assert options is not None
        for name in ("listenAddress", "globalAnnounceServer", "stunServer"):
            for element in options.findall(name):
                options.remove(element)
        _set(options, "listenAddress", f"tcp://127.0.0.1:{self.sync_port}")
        for name in ("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled",
                     "announceLANAddresses", "crashReportingEnabled", "startBrowser"):
            _set(options, name, "false")
        for name, value in (("urAccepted", "-1"), ("autoUpgradeIntervalH", "0"), ("stunKeepaliveStartS", "0"),
                            ("stunKeepaliveMinS", "0"), ("reconnectionIntervalS", "1")):
            _set(options, name, value)
        for old in root.findall("device"):
            root.remove(old)
        for device, address in ((self, f"tcp://127.0.0.1:{self.sync_port}"),
                                (peer, f"tcp://127.0.0.1:{peer.sync_port}" if dial else "dynamic")):
            element = ET.SubElement(root, "device", id=device.device_id, name=device.home.name,
                                    compression="metadata", introducer="false")
            ET.SubElement(element, "address").text = address  # "dynamic": found by discovery, which is off
        folder = ET.SubElement(root, "folder", id=FOLDER_ID, label=FOLDER_ID, path=str(self.folder),
                               type="sendreceive", rescanIntervalS="10", fsWatcherEnabled="true",
                               fsWatcherDelayS="1", ignorePerms="false", autoNormalize="true")
        for device in (self, peer):
            ET.SubElement(folder, "device", id=device.device_id)
        tree.write(path)
        (self.folder / ".stfolder").mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        """Start ``syncthing serve`` in its own session (a monitor, which starts the child that syncs)."""
        log = (self.home / "serve.log").open("ab")
        self.process = subprocess.Popen(
            [self.program, "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade",
             f"--logfile={self.home / 'syncthing.log'}"],
            env=self.env, stdout=log, stderr=log, start_new_session=True)
        log.close()

    def rest(self, path: str) -> object:
        """GET ``/rest/PATH`` from this instance."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}/rest/{path}",
                                         headers={"X-API-Key": self.api_key})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def ready(self, peer: Instance) -> bool:
        """Connected to ``peer`` and the shared folder idle."""
        try:
            connections = self.rest("system/connections")
            status = self.rest(f"db/status?folder={FOLDER_ID}")
        except OSError:
            return False
        assert isinstance(connections, dict)
        assert isinstance(status, dict)
        peer_state = connections.get("connections", {}).get(peer.device_id, {})
        return bool(peer_state.get("connected")) and status.get("state") == "idle"

    def pids(self) -> list[int]:
        """The pids of this instance: the monitor and its child (which runs in a process group of its own)."""
        if self.process is None or self.process.poll() is not None:
            return []
        try:
            monitor = psutil.Process(self.process.pid)
            return [monitor.pid, *(child.pid for child in monitor.children(recursive=True))]
        except psutil.Error:
            return []

    def stop(self) -> None:
        """End the monitor and its child (SIGTERM, then SIGKILL if they linger)."""
        if self.process is None or self.process.poll() is not None:
            return
        processes = [psutil.Process(pid) for pid in self.pids()]
        for process in processes:
            with contextlib.suppress(psutil.Error):
                process.terminate()
        _, alive = psutil.wait_procs(processes, timeout=10)
        for process in alive:
            with contextlib.suppress(psutil.Error):
                process.kill()
        psutil.wait_procs(alive, timeout=5)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)


class SyncthingPair:
    """Two Syncthing instances sharing one folder over the loopback."""

    def __init__(self, workdir: Path) -> None:
        program = require_syncthing()
        self.instances = (Instance(program, workdir / "syncthing-a", workdir / "synced-a" / "unscroll"),
                          Instance(program, workdir / "syncthing-b", workdir / "synced-b" / "unscroll"))

    @property
    def folders(self) -> tuple[Path, Path]:
        """Each side's copy of the shared folder."""
        return self.instances[0].folder, self.instances[1].folder

    def start(self) -> SyncthingPair:
        """Configure and start both; return once they are connected and idle."""
        first, second = self.instances
        first.configure(second, dial=False)
        second.configure(first, dial=True)
        try:
            first.start()
            second.start()
            wait_until(lambda: first.ready(second) and second.ready(first), timeout=START_TIMEOUT,
                       interval=0.2, message="the two Syncthing instances to connect")
        except BaseException:
            self.stop()  # a pair that did not come up must not outlive the test
            raise
        return self

    def sockets(self) -> list[tuple[str, str | None]]:
        """(local address, remote address or None) of every inet socket both instances hold."""
        found: list[tuple[str, str | None]] = []
        for instance in self.instances:
            for pid in instance.pids():
                try:
                    connections = psutil.Process(pid).net_connections(kind="inet")
                except psutil.Error:
                    continue
                found.extend((c.laddr.ip, c.raddr.ip if c.raddr else None) for c in connections)
        return found

    def stop(self) -> None:
        """Stop both."""
        for instance in self.instances:
            instance.stop()
