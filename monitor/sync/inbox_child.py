"""One inbox export imported in a process of its own, so the daemon never holds an export in memory.

The daemon's sync pass runs ``python -m monitor.sync.inbox_child CONFIG DATA_DIR DATABASE FILE NOW``
and waits: the import's memory (bounded, but tens of megabytes for a year's export) is the
child's and is given back when it ends. It prints one JSON line, ``{"spans": N}``; a file it
cannot use gets one line on standard error and exit status 2 (``REFUSED``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path

from monitor.core.errors import InputError
from monitor.core.paths import Paths
from monitor.core.settings import Settings, load_settings
from monitor.store.database import Store
from monitor.store.devices import PHONE, Device, get_device, save_device

log = logging.getLogger(__name__)

REFUSED = 2
"""The exit status for a file that is not a usable export; its reason is on standard error."""


def phone_id(name: str) -> str:
    """The device id of the exports of host ``name`` (the same on every computer)."""
    return "phone-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def phone_name(path: Path) -> str:
    """The name of the phone (or computer) an export came from: its window buckets' host, else the file's."""
    from monitor.history.aw_hosts import bucket_hosts  # noqa: PLC0415 - ijson only here

    hosts = sorted({host for kind, host in bucket_hosts(path)
                    if kind in ("android", "window") and host not in ("", "unknown")})
    return hosts[0] if hosts else path.stem


def import_export(store: Store, path: Path, settings: Settings, now: float) -> int:
    """Import the export at ``path`` as its host's device (made if new); the spans added."""
    from monitor.history.activitywatch import import_activitywatch  # noqa: PLC0415 - the heavy part
    name = phone_name(path)
    device_id = phone_id(name)
    known = get_device(store.connection, device_id)
    if known is not None and known.forgotten_utc is not None:
        raise InputError(f"{path.name}: {name} was forgotten here (`unscroll devices forget`); not imported")
    if known is None:
        with store.transaction() as connection:
            save_device(connection, Device(device_id, name, PHONE))
    result = import_activitywatch(store, path, settings, device=device_id)
    log.info("sync: inbox: imported %s as %s: %d spans", path.name, name, result.spans_added)
    with store.transaction() as connection:
        device = get_device(connection, device_id) or Device(device_id, name, PHONE)
        device.read_utc = now
        device.first_utc = min(filter(None, (device.first_utc, result.first_utc)), default=None)
        device.last_utc = max(filter(None, (device.last_utc, result.last_utc)), default=None)
        device.last_segment_utc = device.last_utc
        save_device(connection, device)
    return result.spans_added


def main(argv: list[str]) -> int:
    """Run one import as the daemon asked (see the module's docstring)."""
    config, data_dir, database, export, now = argv
    settings = load_settings(Paths(config_file=Path(config), data_dir=Path(data_dir)))
    try:
        with Store(Path(database)) as store:
            added = import_export(store, Path(export), settings, float(now))
    except InputError as exc:
        print(exc.message, file=sys.stderr)
        return REFUSED
    print(json.dumps({"spans": added}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
