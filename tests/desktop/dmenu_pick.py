"""The ``dmenu`` of the harness's dunst: picks the notification button a test asked for.

dunst runs ``dmenu_pick.py CHOICE_FILE LOG_FILE`` for ``dunstctl context`` and writes one
menu line per action on stdin, formatted ``#<label> (<summary>) [<id>,<action key>]``.
The harness writes CHOICE_FILE (JSON ``{"label": "OK", "id": null}``) before calling
``dunstctl context``; this script removes it (a choice is used once), prints the line for
that label on the newest notification (highest id, or exactly ``id`` when given) and
appends one JSON record per run to LOG_FILE: ``{"lines", "choice", "picked"}``. With no
choice file it prints nothing, which dismisses the menu.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

LINE = re.compile(r"^#(?P<rest>.*) \[(?P<id>\d+),(?P<key>[^\]]*)\]$")


def pick(lines: list[str], label: str, wanted_id: int | None) -> str | None:
    best: tuple[int, str] | None = None
    for line in lines:
        match = LINE.match(line)
        if not match or not match.group("rest").startswith(label + " ("):
            continue
        nid = int(match.group("id"))
        if wanted_id is not None and nid != wanted_id:
            continue
        if best is None or nid > best[0]:
            best = (nid, line)
    return None if best is None else best[1]


def main() -> int:
    choice_file, log_file = Path(sys.argv[1]), Path(sys.argv[2])
    lines = [line for line in sys.stdin.read().splitlines() if line]
    try:
        choice = json.loads(choice_file.read_text())
        choice_file.unlink()
    except FileNotFoundError:
        choice = None
    picked = None if choice is None else pick(lines, choice["label"], choice.get("id"))
    with log_file.open("a") as log:
        log.write(json.dumps({"lines": lines, "choice": choice, "picked": picked}) + "\n")
    if picked is not None:
        # One write: dunst reads its answer with a single read() and then closes the pipe.
        os.write(sys.stdout.fileno(), (picked + "\n").encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
