"""The README's set-up works on a machine with no C compiler, and puts ``unscroll`` on PATH.

The README's first command is taken from the README itself and run by bash in a copy of
the clone (its files and nothing beside them: no .venv, no build/), with a private HOME,
the compiler hidden (``CC=/bin/false``, and ``cc``, ``gcc`` … on PATH are /bin/false) and
pip told to take only wheels (``PIP_ONLY_BINARY=:all:``, the environment form of
``--only-binary=:all:``). Only its last step, ``unscroll start``, is left out: the daemon
needs a desktop; ``unscroll status`` through PATH shows the installed command runs instead.
pynput, which asks for evdev (built from source), is not among the dependencies; the second
command's extras (``.[test]`` and ``pynput --no-deps``, tests/run.sh) resolve to wheels only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = " && ~/.local/bin/unscroll start"
LEFT_OUT = re.compile(r"^(\.git|\.venv|venv|build|dist|.*\.egg-info|__pycache__|\..*_cache|\.hypothesis"
                      r"|results\.json|data|\.aw-venv|artifacts)$")


def readme_set_up_command() -> str:
    """The first shell block under the README's "Set up" heading, as one line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Set up\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "no ```sh block under ## Set up"
    return block.group(1).replace("\\\n", " ").strip()


def copy_of_the_clone(target: Path) -> Path:
    """The repository's files without what a checkout made beside them (.venv, build/, caches)."""
    def ignored(folder: str, names: list[str]) -> list[str]:
        inside_benchmarks = Path(folder).name == "benchmarks"
        return [name for name in names if LEFT_OUT.match(name)
                and (name != "data" or inside_benchmarks)]
    shutil.copytree(ROOT, target, ignore=ignored, symlinks=True)
    return target


def no_compiler_env(tmp_path: Path) -> dict[str, str]:
    """A private HOME, only wheels from pip, and every compiler name answering /bin/false."""
    hidden = tmp_path / "no-compiler"
    hidden.mkdir()
    for name in ("cc", "gcc", "c++", "g++", "clang", "x86_64-linux-gnu-gcc"):
        (hidden / name).symlink_to("/bin/false")
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "CC": "/bin/false", "CXX": "/bin/false", "HOME": str(home),
           "PATH": f"{hidden}:{os.environ.get('PATH', '')}", "PIP_ONLY_BINARY": ":all:",
           "PIP_CACHE_DIR": str(Path.home() / ".cache" / "pip"),  # wheels only: no built one is used
           "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "UNSCROLL_CONFIG": str(tmp_path / "config.toml"), "UNSCROLL_DATA_DIR": str(tmp_path / "data")}
    for name in ("PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def test_the_readme_set_up_needs_no_compiler_and_puts_unscroll_on_path(tmp_path):
    command = readme_set_up_command()
    assert command.endswith(START), command
    clone = copy_of_the_clone(tmp_path / "unscroll")
    env = no_compiler_env(tmp_path)
    installed = subprocess.run(["bash", "-c", "set -e; " + command.removesuffix(START)], env=env,
                               capture_output=True, text=True, timeout=900, cwd=clone)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    python = clone / ".venv" / "bin" / "python"
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], env=env,
                            capture_output=True, text=True, check=True).stdout.lower()
    assert "evdev" not in listed
    assert "pynput" not in listed

    on_path = {**env, "PATH": f"{tmp_path / 'home' / '.local' / 'bin'}:{env['PATH']}"}
    found = shutil.which("unscroll", path=on_path["PATH"])
    assert found is not None
    assert Path(found).resolve() == (clone / ".venv" / "bin" / "unscroll").resolve()
    status = subprocess.run(["unscroll", "status"], env=on_path, capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("unscroll is not running. Start it with: unscroll start")

    # the README's second command (tests/run.sh) installs these: wheels only, too
    for extra in ([".[test]"], ["--no-deps", "pynput>=1.7"]):
        resolved = subprocess.run([str(python), "-m", "pip", "install", "--dry-run", "--ignore-installed",
                                   *extra], env=env, capture_output=True, text=True, timeout=600,
                                  cwd=clone)
        assert resolved.returncode == 0, resolved.stdout[-3000:] + resolved.stderr[-3000:]
        assert "Would install" in resolved.stdout


def test_the_copy_leaves_out_what_a_checkout_made_and_keeps_the_sources(tmp_path):
    clone = copy_of_the_clone(tmp_path / "unscroll")
    assert (clone / "pyproject.toml").is_file()
    assert (clone / "tests" / "data").is_dir()  # fixtures are sources
    assert (clone / "monitor" / "cli" / "__init__.py").is_file()
    assert not any((clone / name).exists() for name in (".venv", ".git", "build"))
    assert not list(clone.glob("*.egg-info"))
