"""The hold-back draw: a seeded coin for each decision, kept in the data folder so a run replays.

The n-th draw (from 0) is the first 53 bits of SHA-256(``seed:n``) read as a number in
[0, 1); the decision is held back when that number is below ``experiment.hold_back``. The
seed and the number of draws so far live in ``experiment.json`` (0600, in the 0700 data
folder): the same seed gives the same decisions, in tests and after a restart. A missing
file gets a fresh random seed; an unreadable one is kept aside (``.unreadable``) and
replaced, and a file that cannot be written leaves the prompt shown (said once in the log).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from pathlib import Path

from monitor.core.paths import PRIVATE_FILE_MODE, ensure_private_dir

log = logging.getLogger(__name__)

STATE_FILE = "experiment.json"
_BITS = 53
_LOCK = threading.Lock()
_said: set[str] = set()


def draw_value(seed: str, number: int) -> float:
    """The ``number``-th draw of ``seed``: a number in [0, 1)."""
    digest = hashlib.sha256(f"{seed}:{number}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") >> (64 - _BITS)) / float(1 << _BITS)


def replay(seed: str, probability: float, count: int, first: int = 0) -> list[bool]:
    """The held-back decisions ``first`` to ``first + count - 1`` of ``seed`` at ``probability``."""
    return [draw_value(seed, number) < probability for number in range(first, first + count)]


def write_state(data_dir: Path, seed: str, draws: int) -> Path:
    """Write the generator's state (private, replaced in one step); return the file's path."""
    ensure_private_dir(data_dir)
    path = data_dir / STATE_FILE
    temporary = path.with_name(f".{STATE_FILE}.part")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump({"seed": seed, "draws": draws}, handle)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def read_state(data_dir: Path) -> tuple[str, int] | None:
    """The seed and the draws made so far; None when there is no usable file yet."""
    path = data_dir / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        _set_aside(path, f"cannot be read ({exc})")
        return None
    seed, draws = (state.get("seed"), state.get("draws")) if isinstance(state, dict) else (None, None)
    if not isinstance(seed, str) or not seed or isinstance(draws, bool) or not isinstance(draws, int) \
            or draws < 0:
        _set_aside(path, 'is not {"seed": TEXT, "draws": A WHOLE NUMBER}')
        return None
    return seed, draws


def _set_aside(path: Path, problem: str) -> None:
    kept = path.with_name(path.name + ".unreadable")
    try:
        path.replace(kept)
    except OSError:
        kept = path
    log.warning("%s %s; kept it as %s and started a new seed", path, problem, kept)


def hold_back(data_dir: Path, probability: float) -> bool:
    """Draw for one decision: True to hold the prompt back. ``probability`` 0: never, no draw."""
    if probability <= 0:
        return False
    with _LOCK:
        state = read_state(data_dir)
        seed, number = state if state is not None else (os.urandom(16).hex(), 0)
        try:
            write_state(data_dir, seed, number + 1)
        except OSError as exc:
            _say_once(f"the hold-back draw cannot be kept in {data_dir / STATE_FILE} "
                      f"({exc.strerror or exc}); showing every prompt until it can")
            return False
    return draw_value(seed, number) < probability


def _say_once(message: str) -> None:
    if message not in _said:
        _said.add(message)
        log.warning("%s", message)
