"""Checks across settings keys: that a key names a category that exists, and on which line it is.

A budget (``[budgets] socail = "30m"``), a prompts key (``suggest_people_on``) or a doorway
key (``[doorway] categories``) that names an unknown category would otherwise be accepted
and never used. ``check_category_names`` is the one check every such key goes through
(settings.py calls it at every load, so the daemon's reload too): it names the file, the
line when it can be found, the key, the known categories and the closest one ("did you
mean social?").

The known categories are those of the shipped rules (``config/categories.toml``), the
person's own (``[categories] extra``), ``uncategorized`` and ``total``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.core.errors import ConfigError
from monitor.core.vocabulary import TOTAL, UNCATEGORIZED

_KEY_LINE = re.compile(r"\s*(?P<key>[^=#\[]+?)\s*=")
_HEADER = re.compile(r"\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_PART = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)\s*")


def closest_category(name: str, known: Sequence[str]) -> str | None:
    """The known category ``name`` most likely misspells (``socail`` → ``social``), or None."""
    import difflib  # noqa: PLC0415 - only when a name is wrong: the daemon need not carry it

    found = difflib.get_close_matches(name.strip().lower(), known, n=1, cutoff=0.6)
    return found[0] if found else None


def _dotted(text: str) -> tuple[str, ...] | None:
    """A TOML key (``budgets.weekend``, ``"budgets" . social``) as its parts; None if it is none."""
    parts = []
    for piece in text.split("."):
        match = _PART.fullmatch(piece)
        if match is None:
            return None
        parts.append(match.group(1).strip("\"'"))
    return tuple(parts)


def key_line(path: Path, key: Sequence[str]) -> int | None:
    """The line (from 1) of ``path`` where the key ``key`` (e.g. ``("budgets", "socail")``) is set.

    A line search, not a parser: tables (``[budgets.weekend]``) and dotted keys are
    followed; an inline table is found by its key's name alone. None when not found or
    the file cannot be read.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    wanted = tuple(key)
    table: tuple[str, ...] = ()
    loose: int | None = None
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header is not None:
            table = _dotted(header.group("name")) or ()
            continue
        assignment = _KEY_LINE.match(line)
        parts = _dotted(assignment.group("key")) if assignment else None
        if parts is None:
            continue
        if (*table, *parts) == wanted:
            return number
        if loose is None and re.search(rf"(?<![\w-]){re.escape(wanted[-1])}\s*=", line):
            loose = number  # e.g. inside an inline table: budgets = { socail = "30m" }
    return loose


def located(path: Path, key: Sequence[str]) -> str:
    """``FILE, line N: a.b`` (or ``FILE: a.b`` when the line cannot be found): where a key is."""
    line = key_line(path, key)
    return f"{path}{'' if line is None else f', line {line}'}: {'.'.join(key)}"


@dataclass(frozen=True)
class KnownCategories:
    """What a key may name, and what the rules call things (to explain ``tiktok``)."""

    names: tuple[str, ...]
    """The known categories, ``total`` included (see ``known_categories``)."""
    rule_categories: Mapping[str, str] = field(default_factory=dict)
    """A rule's name, case-folded, to its category: ``tiktok`` → ``social``."""


def _texts(value: object) -> list[str]:
    """The strings of a list as read (stripped); nothing for anything else."""
    return [item.strip() for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _rule_categories(*tables: Mapping[str, Any]) -> dict[str, str]:
    """Each rule's name (case-folded) to its category, from rule tables as read."""
    found: dict[str, str] = {}
    for table in tables:
        rules = table.get("rules", [])
        for rule in rules if isinstance(rules, list) else []:
            if not isinstance(rule, Mapping):
                continue
            name, category = rule.get("name"), rule.get("category")
            if isinstance(name, str) and isinstance(category, str) and category != UNCATEGORIZED:
                found.setdefault(name.strip().casefold(), category)
    return found


def known_categories(shipped: Mapping[str, Any], user_categories: object) -> KnownCategories:
    """The categories a key may name: the shipped ones, the user's ``extra``, uncategorized and total.

    ``shipped`` is ``categories.toml`` as read, ``user_categories`` the user's
    ``[categories]`` table; what is malformed in them adds nothing here (the category
    rules report it).
    """
    mine = user_categories if isinstance(user_categories, Mapping) else {}
    names = [*_texts(shipped.get("categories")), *_texts(mine.get("extra"))]
    return KnownCategories(tuple(dict.fromkeys([*names, UNCATEGORIZED, TOTAL])),
                           _rule_categories(mine, shipped))


def category_problem(name: str, known: KnownCategories) -> str:
    """Why ``name`` is refused, with the likeliest category meant (a rule's name: its category)."""
    counted_as = known.rule_categories.get(name.strip().casefold())
    if counted_as is not None:
        return (f"{name!r} is not a category but the name of a rule that counts as {counted_as}; "
                f"did you mean {counted_as}?")
    guess = closest_category(name, known.names)
    return f"{name!r} is not a category" + (f"; did you mean {guess}?" if guess else ".")


def check_category_names(names: Iterable[str], known: KnownCategories, *, file: Path,
                         key: Sequence[str]) -> None:
    """Raise ConfigError unless every one of ``names`` is a known category.

    ``key`` is where the names were read: ``("prompts", "suggest_people_on")``, or for a
    budget the key that is the name itself, ``("budgets", "socail")``. The message names
    the file, line and key, says which category was probably meant, and lists the known ones.
    """
    for name in names:
        if name in known.names:
            continue
        raise ConfigError(f"{located(file, key)}: {category_problem(name, known)} Known categories: "
                          f"{', '.join(known.names)} (declare your own with [categories] extra = [...])")


def check_budget_categories(budgets: Mapping[str, Any], known: KnownCategories, file: Path) -> None:
    """Every key of the user's ``[budgets]`` table and its day tables names a known category."""
    for name, value in budgets.items():
        if isinstance(value, Mapping):
            for category in value:
                check_category_names([category], known, file=file, key=("budgets", name, category))
        elif name != "count_watching":  # true or false (read by settings), not a category
            check_category_names([name], known, file=file, key=("budgets", name))
