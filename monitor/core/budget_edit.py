"""Change budgets in the user's config.toml without losing its comments or layout.

The file is edited with tomlkit, checked by loading the settings from the new text,
then replaced atomically (a private 0600 file; a missing folder is created 0700).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import Table

from monitor.core.config_check import KnownCategories, category_problem
from monitor.core.durations import ACCEPTED, parse_duration, to_config_text
from monitor.core.errors import ConfigError, InputError
from monitor.core.paths import PRIVATE_FILE_MODE, Paths, ensure_private_dir
from monitor.core.settings import BUDGET_OVERRIDE_TABLES, WEEKDAYS, load_settings
from monitor.core.vocabulary import TOTAL

MAX_BUDGET = timedelta(hours=24)
_DAY_WORDS = {"weekend": "weekend", "weekends": "weekend", "weekday": "weekdays",
              "weekdays": "weekdays"}


@dataclass(frozen=True)
class BudgetChange:
    """One edit of the config file: the value before and after (config text; None if unset)."""

    category: str
    day: str | None
    before: str | None
    after: str | None
    file: Path


def parse_day(text: str) -> str:
    """Read ``--day``: ``mon`` … ``sun`` (or full names), ``weekend`` or ``weekdays``."""
    word = text.strip().lower()
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for short, long in zip(WEEKDAYS, full, strict=True):
        if len(word) >= 3 and long.startswith(word):
            return short
    raise InputError(f"budget: --day {text!r} is not one of "
                     + ", ".join(BUDGET_OVERRIDE_TABLES))


def check_category(category: str, known: Iterable[str],
                   rule_categories: Mapping[str, str] | None = None) -> str:
    """``category`` if a budget can be set for it (a known category or ``total``).

    ``rule_categories`` (a rule's name, case-folded, to its category) explains a rule's
    name given as a category (``tiktok``: counted as social), as ``config check`` does.
    """
    accepted = tuple(dict.fromkeys([*known, TOTAL]))
    if category not in accepted:
        problem = category_problem(category, KnownCategories(accepted, rule_categories or {}))
        raise InputError(f"budget: {problem} Accepted: " + ", ".join(accepted)
                         + " (declare your own with [categories] extra = [...])")
    return category


def parse_budget(text: str) -> timedelta:
    """A daily budget written like ``30m``; anything else is an InputError naming the value.

    ``0`` and ``0s`` are the same, no time at all (a notice as soon as it is used),
    as in the config file; ``budget unset`` removes a budget.
    """
    try:
        value = timedelta(0) if text.strip() == "0" else parse_duration(text, where="budget")
    except ConfigError:
        raise InputError(f"budget: {text!r} is not {ACCEPTED}") from None
    if value > MAX_BUDGET:
        raise InputError(f"budget: {text!r} is longer than a day; a daily budget is at most 24h")
    return value


def _read(path: Path) -> tomlkit.TOMLDocument:
    if not path.exists():
        return tomlkit.document()
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (tomlkit.exceptions.ParseError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _table(parent: MutableMapping[str, Any], key: str, create: bool
           ) -> MutableMapping[str, Any] | None:
    """The sub-table ``key`` ([table], inline, dotted or split in parts), created if asked."""
    value = parent.get(key)
    if value is None:
        if not create:
            return None
        table = tomlkit.table()
        parent[key] = table
        return table
    if not isinstance(value, MutableMapping):
        raise ConfigError(f"budgets: {key} must be a table of budgets, like [budgets]")
    return value


def _write(paths: Paths, document: tomlkit.TOMLDocument) -> None:
    """Check the new text as settings, then replace the config file atomically."""
    path = paths.config_file.resolve()  # a symlinked config (dotfiles) stays a symlink
    if not path.parent.exists():
        ensure_private_dir(path.parent)
    text = tomlkit.dumps(document)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        load_settings(replace(paths, config_file=temporary))
        temporary.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _current(table: MutableMapping[str, Any] | None, category: str) -> str | None:
    if table is None or category not in table:
        return None
    value = table[category]
    return str(value)


def set_budget(paths: Paths, category: str, duration: timedelta, day: str | None = None
               ) -> BudgetChange:
    """Write ``[budgets] category = "…"`` (or into ``[budgets.<day>]``) in the user's config."""
    document = _read(paths.config_file)
    budgets = _table(document, "budgets", create=True)
    assert budgets is not None
    new_table = day is not None and day not in budgets
    table = budgets if day is None else _table(budgets, day, create=True)
    assert table is not None
    before = _current(table, category)
    after = to_config_text(duration)
    table[category] = after
    if new_table and isinstance(table, Table):
        table.add(tomlkit.nl())  # a blank line before whatever table follows
    _write(paths, document)
    return BudgetChange(category, day, before, after, paths.config_file)


def unset_budget(paths: Paths, category: str, day: str | None = None, *,
                 shipped: Iterable[str] = ()) -> BudgetChange:
    """Remove a budget from the user's config.

    Without ``day``, the category has no budget afterwards: where the shipped defaults
    (``shipped``: their budget keys) hold one, it is set to ``""``. With ``day``, the
    override is removed and that day falls back to the daily budget.
    """
    document = _read(paths.config_file)
    budgets = _table(document, "budgets", create=day is None and category in shipped)
    table = budgets if day is None or budgets is None else _table(budgets, day, create=False)
    before = _current(table, category)
    if table is not None and category in table:
        del table[category]
    if day is None and category in shipped:
        assert table is not None
        table[category] = ""
    elif day is not None and budgets is not None and table is not None and len(table) == 0:
        del budgets[day]
    if table is None and before is None:
        return BudgetChange(category, day, None, None, paths.config_file)
    _write(paths, document)
    return BudgetChange(category, day, before or None, None, paths.config_file)
