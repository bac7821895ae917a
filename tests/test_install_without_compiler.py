"""The README's install works on a machine with no C compiler: every dependency is a wheel.

A clean virtual environment, the compiler hidden (``CC=/bin/false``, and no ``cc`` or
``gcc`` on PATH), and pip told to take only wheels for the dependencies: ``pip install .``
must succeed and the installed ``unscroll`` must run. pynput, which asks for evdev (built
from source), is not among the dependencies; it is an extra for X servers without the
screen-saver extension.
"""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_pip_install_needs_no_compiler(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    no_compiler = tmp_path / "bin"
    no_compiler.mkdir()
    for name in ("cc", "gcc", "c++", "g++", "clang"):
        (no_compiler / name).symlink_to("/bin/false")
    env = {**os.environ, "CC": "/bin/false", "CXX": "/bin/false",
           "PATH": f"{no_compiler}:{env_dir / 'bin'}:{os.environ.get('PATH', '')}",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--only-binary=:all:", str(ROOT)],
        env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert "evdev" not in listed.lower()
    assert "pynput" not in listed.lower()
    version = subprocess.run([str(env_dir / "bin" / "unscroll"), "--version"], env=env,
                             capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert version.returncode == 0, version.stderr
    assert "unscroll" in version.stdout
