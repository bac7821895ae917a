"""What the headless Wayland sessions (sway_session.py, kwin_session.py) share.

A compositor and its clients run as ``nobody`` (``setpriv``) when the tests run as root
(sway refuses root; KWin is kept the same), with their own XDG_RUNTIME_DIR and HOME
(mode 0700, owned by that user) under a work folder in /tmp that the user can reach.
The test process, as root, still reaches their sockets. Client programs are run from
renamed copies, so that each window's process has the name a test chooses.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self, TypeVar

from tests.desktop.harness import stop_process


@dataclass
class SessionWindow:
    """A client window in a session, with the process that shows it."""

    title: str
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid


class UnprivilegedSession:
    """The folders, user and processes of one headless session in ``workdir``."""

    log_name = "compositor.log"
    """The compositor's log file in ``workdir``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.runtime = workdir / "run"
        self.home = workdir / "home"
        self.bin_dir = workdir / "bin"
        self.process: subprocess.Popen[bytes] | None = None
        self.windows: list[SessionWindow] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            self._uid, self._gid = user.pw_uid, user.pw_gid
            self._as_user = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}",
                             "--clear-groups", "--"]
        else:
            self._uid, self._gid = os.getuid(), os.getgid()
            self._as_user = []

    def _base_env(self) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home),
                "XDG_RUNTIME_DIR": str(self.runtime), "LANG": "C.UTF-8"}

    def _prepare_folders(self) -> None:
        """The work folder readable by the user, its own runtime and home, the copies' folder."""
        self.workdir.chmod(0o755)  # the user runs the copies and reads files from here
        for private in (self.runtime, self.home):
            private.mkdir(parents=True, exist_ok=True)
            os.chown(private, self._uid, self._gid)
            private.chmod(0o700)
        self.bin_dir.mkdir(mode=0o755, exist_ok=True)

    def renamed_copy(self, program: str, name: str) -> Path:
        """A copy of ``program`` (from PATH) called ``name``, made once.

        ``shutil.copy``, not ``copy2``: no extended attributes, so no file capability that a
        container would refuse to exec.
        """
        copy = self.bin_dir / name
        if not copy.exists():
            shutil.copy(shutil.which(program) or program, copy)
            copy.chmod(0o755)
        return copy

    def spawn(self, args: Sequence[str], env: dict[str, str], log: str) -> subprocess.Popen[bytes]:
        """Run ``args`` as the session's user, appending its output to ``workdir/log``."""
        with (self.workdir / log).open("ab") as out:
            return subprocess.Popen([*self._as_user, *args], env=env, stdout=out, stderr=out,
                                    stdin=subprocess.DEVNULL)

    def spawn_client(self, args: Sequence[str], env: dict[str, str], title: str) -> SessionWindow:
        """Start a client window's program as the user and keep it for ``close``."""
        window = SessionWindow(title, self.spawn(args, env, f"client-{len(self.windows)}.log"))
        self.windows.append(window)
        return window

    def log(self) -> str:
        """The end of the compositor's log, for failure messages."""
        path = self.workdir / self.log_name
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop_compositor(self) -> None:
        """End the compositor and every client window it had."""
        for window in self.windows:
            stop_process(window.process)
        self.windows.clear()
        stop_process(self.process)
        self.process = None

    def start(self) -> Self:
        """Start the compositor and wait until it answers; each session says how."""
        raise NotImplementedError

    def close(self) -> None:
        self.stop_compositor()


S = TypeVar("S", bound=UnprivilegedSession)


@contextlib.contextmanager
def running(make: Callable[[Path], S], prefix: str) -> Iterator[S]:
    """A started session in a fresh folder under /tmp, closed and removed afterwards.

    /tmp, not pytest's private temporary folder: the unprivileged user must reach it.
    """
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    session = make(workdir)
    try:
        yield session.start()
    finally:
        session.close()
        shutil.rmtree(workdir, ignore_errors=True)
