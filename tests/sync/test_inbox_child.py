"""The inbox's imports run in a process of their own: the daemon's never loads an export.

A sync pass runs in a new Python (as the daemon's does), with a phone's export and a broken
file in the inbox: the phone comes in, the broken file is noted in one line, and the pass's
own process has loaded neither the importer nor ijson (so its memory never holds an export).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "tests" / "data" / "sync" / "aw-android-export.json"

ONE_PASS = """
import json, shutil, sys
from datetime import time
from pathlib import Path
from tests.sync.world import Machine

root, export = Path(sys.argv[1]), Path(sys.argv[2])
inbox = root / "Sync" / "unscroll" / "inbox"
inbox.mkdir(parents=True)
shutil.copy(export, inbox / "phone.json")
(inbox / "broken.json").write_text('{"buckets": {"a": [', encoding="utf-8")
# The export's events fall at 18:00-19:02 UTC: a day start of 04:00 splits none of them
laptop = Machine(root, inbox.parent, "laptop", day_start=time(4, 0))
report = laptop.sync()
print(json.dumps({
    "loaded": sorted(name for name in sys.modules
                     if name in ("ijson", "monitor.history.activitywatch", "monitor.history.aw_stream")),
    "imported": report.inbox.imported,
    "refused": report.inbox.refused,
    "devices": [list(row) for row in laptop.store.connection.execute(
        "SELECT d.name, COUNT(*) FROM spans s JOIN sync_devices d ON d.id = s.device "
        "GROUP BY d.id").fetchall()],
}))
"""


def test_a_pass_imports_the_phone_in_a_child_and_notes_a_broken_file_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-c", ONE_PASS, str(tmp_path), str(EXPORT)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["loaded"] == []  # the pass's process never read an export itself
    assert outcome["imported"] == [["phone.json", 3]]
    assert outcome["devices"] == [["Pixel 7", 3]]
    [(name, reason)] = outcome["refused"]
    assert name == "broken.json"
    assert "broken.json" in reason
    assert "\n" not in reason
