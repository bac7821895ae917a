"""The host names of an ActivityWatch export's buckets, read a token at a time (memory does not grow).

The sync inbox names a phone's device after the host its export came from before it
imports a single event; reading the whole export for that would hold it all in memory.
"""

from __future__ import annotations

from pathlib import Path

import ijson

from monitor.core.errors import InputError
from monitor.history.aw_format import HOW_TO_EXPORT, kind_of

_OPENS = {"start_map", "start_array"}
_CLOSES = {"end_map", "end_array"}
_BUCKET_FIELDS = {"id", "type", "hostname"}


def bucket_hosts(path: Path) -> list[tuple[str, str]]:
    """Each bucket's kind (``aw_format.kind_of``) and host name, in file order; InputError for no export.

    Only the two levels above the events are looked at (the ``buckets`` object and each bucket's
    own scalar fields), by depth, so a bucket id holding dots is read as written.
    """
    buckets: list[dict[str, str]] = []
    depth, key, in_buckets = 0, "", False
    try:
        with path.open("rb") as stream:
            for event, value in ijson.basic_parse(stream, use_float=True):
                if event == "map_key":
                    key = value
                elif event in _OPENS:
                    depth += 1
                    if depth == 2:
                        in_buckets = key == "buckets" and event == "start_map"
                    elif depth == 3 and in_buckets:
                        buckets.append({"id": key})
                elif event in _CLOSES:
                    depth -= 1
                elif depth == 3 and in_buckets and key in _BUCKET_FIELDS and isinstance(value, str):
                    buckets[-1][key] = value
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        first_line = (str(exc).strip().splitlines() or ["unreadable"])[0]
        raise InputError(f"{path}: not an ActivityWatch export (not JSON: {first_line}); "
                         f"{HOW_TO_EXPORT}") from None
    return [(kind_of(bucket["id"], bucket.get("type", "")), bucket.get("hostname", "")) for bucket in buckets]
