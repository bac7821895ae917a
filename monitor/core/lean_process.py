"""What unscroll's long-running processes (the daemon, the tray) keep out of their memory.

Both run all day; neither speaks TLS. Call ``refuse_openssl`` first thing in their
``__main__`` modules, before any other import.
"""

from __future__ import annotations

import sys


def refuse_openssl() -> None:
    """Keep OpenSSL's libcrypto (about 3.4 MB resident) out of this process.

    Neither process speaks TLS or needs a hash OpenSSL alone has, yet the standard library
    loads it twice over: ``random`` (which tempfile and others import) imports ``hashlib``,
    which loads ``_hashlib``; asyncio (dbus-fast's) imports ``ssl``.
    Refused, ``hashlib`` falls back to Python's own built-in digests (the same results) and
    asyncio goes without TLS. Call this before anything else is imported; a module loaded
    already stays loaded.
    """
    for name in ("ssl", "_ssl", "_hashlib"):
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
