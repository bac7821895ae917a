"""The ``[people]`` settings: the region national phone numbers are read in, and the import size limit.

- ``default_region``: a two-letter region code (ISO 3166, as libphonenumber knows them:
  ``GB``, ``US``, ``DE`` …) for numbers written without a country code. ``""`` (the
  default) takes it from the locale (``LC_ALL``, ``LC_TELEPHONE``, ``LANG``, then the
  system's): ``en_GB.UTF-8`` gives ``GB``; a locale without a region (``C.UTF-8``) gives none.
- ``import_max``: the largest contacts file ``unscroll people import`` reads, a size like
  ``"50MB"`` (KB, MB, GB are powers of 1000; KiB, MiB, GiB of 1024; a bare number is bytes).
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitor.core.errors import ConfigError

PEOPLE_KEYS = ("default_region", "import_max")
DEFAULT_IMPORT_MAX = 50_000_000
SIZE_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3,
              "kib": 1024, "mib": 1024**2, "gib": 1024**3}
SIZE_ACCEPTED = 'a size like "50MB", "512KB" or "1GiB"'
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-zA-Z]*)")
_LOCALE_REGION = re.compile(r"[A-Za-z]{2,3}[_-]([A-Za-z]{2})(?![A-Za-z])")
_LOCALE_VARIABLES = ("LC_ALL", "LC_TELEPHONE", "LANG")

Get = Callable[[str, Callable[[object, str], Any]], Any]
"""Reads one ``[people]`` key with a converter: ``get("import_max", parse_size)``."""


@dataclass(frozen=True)
class PeopleSettings:
    """The ``[people]`` table."""

    default_region: str | None = None
    """The region national phone numbers are read in (``GB``), or None to leave them as written."""
    import_max: int = DEFAULT_IMPORT_MAX
    """The largest contacts file an import reads, in bytes."""


def parse_size(value: object, where: str) -> int:
    """A size written ``"50MB"``, ``"512 KiB"`` or a whole number of bytes, as bytes (more than 0)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ConfigError(f"{where}: {value!r} is not {SIZE_ACCEPTED}")
    match = _SIZE.fullmatch(str(value).strip())
    if match is None or match.group(2).lower() not in SIZE_UNITS:
        raise ConfigError(f"{where}: {value!r} is not {SIZE_ACCEPTED}")
    size = int(float(match.group(1)) * SIZE_UNITS[match.group(2).lower()])
    if size <= 0:
        raise ConfigError(f"{where}: {value!r} must be more than 0 bytes, like \"50MB\"")
    return size


def format_size(size: int) -> str:
    """Bytes as a person reads them: ``50 MB``, ``1.5 kB``, ``900 bytes``."""
    for unit, scale in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def known_region(code: str) -> bool:
    """True when libphonenumber knows the region ``code`` (upper case, like ``GB``)."""
    import phonenumbers  # noqa: PLC0415 - loaded only when a region is checked

    return code in phonenumbers.SUPPORTED_REGIONS


def locale_region(environ: dict[str, str] | None = None) -> str | None:
    """The region of the user's locale (``en_GB.UTF-8`` → ``GB``), or None when it names none.

    Not checked against libphonenumber (that would load it for every command): a region it
    does not know only leaves national numbers as written.
    """
    variables = os.environ if environ is None else environ
    names = [variables.get(name, "") for name in _LOCALE_VARIABLES]
    if environ is None:
        names.append(locale.getlocale()[0] or "")
    for name in names:
        if not name:
            continue
        found = _LOCALE_REGION.match(name)
        if found is None:
            return None  # the first locale set decides, as for every other category
        return found.group(1).upper()  # an unknown one leaves national numbers as written
    return None


def _region(value: object, where: str) -> str | None:
    if value == "":
        return locale_region()
    accepted = 'a two-letter region code like "GB" or "US", or "" for the one of your locale'
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value.strip()):
        raise ConfigError(f"{where}: {value!r} is not {accepted}")
    if not known_region(value.strip().upper()):
        raise ConfigError(f"{where}: {value!r} is not a region libphonenumber knows; expected {accepted}")
    return value.strip().upper()


def read_people_settings(get: Get) -> PeopleSettings:
    """The ``[people]`` table, each key read through ``get`` (which names the file and key on error)."""
    return PeopleSettings(default_region=get("default_region", _region),
                          import_max=get("import_max", parse_size))
