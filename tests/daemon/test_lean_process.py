"""What the daemon keeps out of its process, and the small rotating log that makes room.

The daemon refuses OpenSSL (about 3.4 MB resident, needed for nothing it does) and
logs through its own rotating handler instead of logging.handlers (which brings pickle
and socket for network handlers). These check that the refusals hold in a real
interpreter, that what still uses hashlib gets the same digests, and that the log
rotates like RotatingFileHandler: by size, the oldest backup dropped, nothing lost.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.daemon.logs import RotatingLog


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/maps")
def test_the_daemon_process_maps_no_libcrypto():
    code = ("from monitor.core.lean_process import refuse_openssl; refuse_openssl()\n"
            "import hashlib, random, monitor.daemon.lifecycle, monitor.sync.inbox\n"
            "maps = open('/proc/self/maps').read()\n"
            "print('libcrypto' in maps, 'libssl' in maps, hashlib.sha256(b'unscroll').hexdigest())")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", "False", hashlib.sha256(b"unscroll").hexdigest()]


def test_the_log_rotates_by_size_and_keeps_the_newest_lines(tmp_path: Path):
    log_file = tmp_path / "unscroll.log"
    log_file.write_text("an older version's line\n" * 100)  # already past the limit
    handler = RotatingLog(log_file, max_bytes=1000, backups=2)
    logger = logging.getLogger("tests.rotating")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for number in range(100):
            logger.warning("line %03d %s", number, "x" * 40)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(tmp_path.iterdir())
    assert [path.name for path in files] == ["unscroll.log", "unscroll.log.1", "unscroll.log.2"]
    assert all(path.stat().st_size <= 1000 + 60 for path in files)  # one record past the limit at most
    newest = log_file.read_text().splitlines()
    assert newest[-1].startswith("line 099")
    kept = [line for path in reversed(files) for line in path.read_text().splitlines()]
    numbers = [int(line.split()[1]) for line in kept]
    assert numbers == list(range(numbers[0], 100))  # consecutive: no line lost between the files
    assert "an older version's line" not in "".join(kept)  # the oldest backup was dropped
