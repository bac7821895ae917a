"""Category rules: which category and display name a window counts towards.

The rules come from the shipped ``categories.toml`` and the user's ``[categories]``
table, whose rules are tried first. A rule matches a process name (``apps``), for a
browser one whole part of the window title (``sites``) or its whole page title
(``titles``), and for an app host (``app_hosts``: Windows' ApplicationFrameHost, whose
window title names the Store app it shows) a part of the title against ``apps``. All are
regular expressions; ``{mastodon_instances}`` in one stands for any listed instance.
``config/categories.toml`` documents the format for users.

Classification runs on every sample and over every stored span on a recheck, so the
rules are compiled once into one regular expression per kind and tier, and results are
cached per ``(app, title)``. Titles are split by ``monitor.tracking.titles``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.core.config_check import located
from monitor.core.errors import ConfigError
from monitor.core.paths import shipped_file
from monitor.core.settings import Settings, read_toml
from monitor.core.vocabulary import TOTAL, UNCATEGORIZED
from monitor.tracking.titles import page_title, plain_text
from monitor.tracking.titles import title_parts as title_parts  # re-exported: rules are tried on parts

USER = "user"
SHIPPED = "shipped"
APP, SITE, TITLE, HOSTED = "app", "site", "title", "hosted"
"""The kinds of match: a process name, a part of a browser title, a whole page title, an app host's title."""

RULE_KEYS = ("name", "category", "apps", "sites", "titles")
INSTANCES = "mastodon_instances"
SHIPPED_KEYS = ("categories", "browsers", "app_hosts", INSTANCES, "rules")
USER_KEYS = ("extra", "browsers", "disable", "rules", INSTANCES)

_CATEGORY_NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_INSTANCE = re.compile(r"[^\W_][\w.' -]{0,79}")
# Backreferences and named groups cannot be combined into one expression safely.
_UNSUPPORTED = re.compile(r"\\[1-9]|\\g<|\(\?P[<=]")


@dataclass(frozen=True)
class Classification:
    """The category and display name a rule gives a window."""

    category: str
    name: str
    rule: str | None
    """The matching rule's label, e.g. ``Facebook (shipped rule 12)``; None if none matched."""


@dataclass(frozen=True)
class Rule:
    """One rule: a category and display name for matching apps, browser sites or page titles."""

    name: str
    category: str
    apps: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    origin: str = SHIPPED
    """``user`` (from the user's config) or ``shipped``."""
    number: int = 0
    """The rule's position, from 1, among the rules of its file."""
    source: str = ""
    """The file the rule was read from."""

    @property
    def label(self) -> str:
        """How the rule is named in output: ``Facebook (shipped rule 12)``."""
        owner = "your" if self.origin == USER else "shipped"
        return f"{self.name} ({owner} rule {self.number})"

    def patterns(self, kind: str) -> tuple[str, ...]:
        """The rule's patterns of one kind (``app``, ``site`` or ``title``)."""
        return {APP: self.apps, SITE: self.sites, TITLE: self.titles}[kind]


@dataclass(frozen=True)
class RuleMatch:
    """Why a window got its category: the rule, and which of its patterns matched what."""

    rule: Rule
    kind: str
    """``app`` (the process name), ``site`` (a part of a browser title), ``title`` (a browser's
    whole page title) or ``hosted`` (a part of an app host's title, matched against apps)."""
    pattern: str
    text: str
    """The text that the pattern matched (for ``app``, the normalized process name)."""

    @property
    def from_title(self) -> bool:
        """True when the window title, not the process name, decided the match."""
        return self.kind != APP


def normalize_app(app: str) -> str:
    """The process name as rules see it: lower case, without a folder or ``.exe``."""
    name = app.strip().replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name.removesuffix(".exe")


def instance_pattern(instances: Sequence[str]) -> str:
    """What ``{mastodon_instances}`` stands for: any of ``instances``, literally."""
    return "(?:" + "|".join(map(re.escape, instances)) + ")" if instances else "(?!)"


class _Matcher:
    """The patterns of one kind from a list of rules, compiled into one expression."""

    def __init__(self, rules: Sequence[Rule], kind: str, expand: Callable[[str], str]) -> None:
        self.kind = kind
        self.rules: list[Rule] = []
        self.patterns: list[list[str]] = []
        """Each rule's patterns as matched (expanded); compiled only when a title needs them."""
        branches = []
        for rule in rules:
            patterns = [expand(pattern) for pattern in rule.patterns(kind)]
            if not patterns:
                continue
            index = len(self.rules)
            self.rules.append(rule)
            self.patterns.append(patterns)
            branches.append(f"(?P<r{index}>" + "|".join(f"(?:{p})" for p in patterns) + ")")
        self.combined = re.compile("|".join(branches), re.IGNORECASE) if branches else None

    def match(self, text: str) -> RuleMatch | None:
        """The first rule (in order) with a pattern that matches all of ``text``."""
        if self.combined is None:
            return None
        found = self.combined.fullmatch(text)
        if found is None or found.lastgroup is None:
            return None
        index = int(found.lastgroup[1:])
        rule = self.rules[index]
        patterns = rule.patterns(self.kind)
        for source, expanded in zip(patterns, self.patterns[index], strict=True):
            if re.fullmatch(expanded, text, re.IGNORECASE):  # compiled once, in re's cache
                return RuleMatch(rule, self.kind, source, text)
        return RuleMatch(rule, self.kind, patterns[0], text)  # pragma: no cover - defensive


class Rules:
    """An ordered set of category rules, with the browsers whose titles name sites."""

    def __init__(self, rules: Iterable[Rule] = (), browsers: Iterable[str] = (),
                 categories: Iterable[str] = (), disabled: Iterable[str] = (),
                 cache_size: int = 65536, *, hosts: Iterable[str] = (),
                 instances: Iterable[str] = ()) -> None:
        """Compile ``rules`` (user rules first, then shipped ones) for fast classification."""
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.browsers: frozenset[str] = frozenset(normalize_app(name) for name in browsers)
        self.hosts: frozenset[str] = frozenset(normalize_app(name) for name in hosts)
        """App hosts: processes whose window title names the app they show."""
        self.instances: tuple[str, ...] = tuple(dict.fromkeys(instances))
        """The Mastodon instances ``{mastodon_instances}`` stands for."""
        self.categories: tuple[str, ...] = tuple(dict.fromkeys(categories))
        """The known categories (shipped and the user's ``extra``), without uncategorized."""
        self.disabled: tuple[str, ...] = tuple(disabled)
        """Names of shipped rules switched off by the user."""
        everyone = instance_pattern(self.instances)

        def expand(pattern: str) -> str:
            return pattern.replace("{" + INSTANCES + "}", everyone)

        tiers = [[rule for rule in self.rules if rule.origin == USER],
                 [rule for rule in self.rules if rule.origin != USER]]
        self._tiers = [(_Matcher(tier, TITLE, expand), _Matcher(tier, SITE, expand)) for tier in tiers]
        self._apps = _Matcher(self.rules, APP, expand)
        self._explain = functools.lru_cache(maxsize=cache_size)(self._find)
        self._classify = functools.lru_cache(maxsize=cache_size)(self._classify_uncached)

    def is_browser(self, app: str) -> bool:
        """True when ``app`` is one of the browsers, whose titles are matched against sites."""
        return normalize_app(app) in self.browsers

    def _in_browser(self, title: str) -> RuleMatch | None:
        parts = title_parts(title)
        page = page_title(title)
        for titles, sites in self._tiers:  # the user's rules first; in a tier, a page title first
            found = titles.match(page)
            parts_left = iter(reversed(parts))  # then the last part, the one before it, …
            while found is None and (part := next(parts_left, None)) is not None:
                found = sites.match(part)
            if found is not None:
                return found
        return None

    def _find(self, app: str, title: str | None) -> RuleMatch | None:
        key = normalize_app(app)
        if title and key in self.browsers:
            found = self._in_browser(title)
            if found is not None:
                return found
        if title and key in self.hosts:
            for part in reversed(title_parts(title)):
                hosted = self._apps.match(part)
                if hosted is not None:
                    return RuleMatch(hosted.rule, HOSTED, hosted.pattern, part)
        return self._apps.match(key)

    def explain(self, app: str, title: str | None) -> RuleMatch | None:
        """The rule that classifies this window, and what it matched; None if no rule does."""
        return self._explain(app, title)

    def _classify_uncached(self, app: str, title: str | None) -> Classification:
        found = self._explain(app, title)
        if found is None:
            return Classification(UNCATEGORIZED, app, None)
        return Classification(found.rule.category, found.rule.name, found.rule.label)

    def classify(self, app: str, title: str | None) -> Classification:
        """The first matching rule's category and name, else uncategorized (named by the app)."""
        return self._classify(app, title)

    def is_known(self, category: str) -> bool:
        """True for a known category or ``uncategorized``."""
        return category == UNCATEGORIZED or category in self.categories


# --- reading rules from TOML -----------------------------------------------------------------

class _Source:
    """Where a table came from, for error messages."""

    def __init__(self, path: Path, origin: str) -> None:
        self.path = path
        self.origin = origin
        self.prefix = "categories." if origin == USER else ""

    def fail(self, where: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {where}: {problem}")

    def rule_where(self, number: int, table: Mapping[str, Any]) -> str:
        name = table.get("name")
        named = f" ({name!r})" if isinstance(name, str) and name else ""
        return f"[[{self.prefix}rules]] number {number}{named}"


def _text_list(value: object, where: str, source: _Source, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip()
                                              for item in value):
        raise source.fail(where, f"expected a list of {what} in quotes, like [\"example\"]")
    return [item.strip() for item in value]


def _check_pattern(pattern: str, where: str, source: _Source) -> None:
    """Compile ``pattern`` as rules use it, within a group: once, unless it is wrong."""
    problem = _regex_error(f"(?P<probe>(?:{pattern}))|x")
    if problem is not None:
        # the pattern alone gives the clearer message, where it is wrong alone
        problem = _regex_error(pattern) or problem
        raise source.fail(where, f"{pattern!r} is not a valid regular expression ({problem}); "
                                 "accepted: Python regular expressions, e.g. 'reddit' or "
                                 r"'r/\w+'; case is ignored, so leave out (?i)")
    if _UNSUPPORTED.search(pattern):
        raise source.fail(where, f"{pattern!r}: backreferences and named groups are not "
                                 "supported in rules; use plain groups (...)")


def _regex_error(pattern: str) -> re.error | None:
    """Why ``pattern`` does not compile, or None when it does."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return exc
    return None


def _read_rule(table: object, number: int, source: _Source, known: Sequence[str]) -> Rule:
    if not isinstance(table, Mapping):
        raise source.fail(f"[[{source.prefix}rules]] number {number}",
                          "each rule must be a table with name, category and apps, sites or titles")
    where = source.rule_where(number, table)
    for key in table:
        if key not in RULE_KEYS:
            raise source.fail(where, f"unknown key {key!r}; a rule accepts "
                                     + ", ".join(RULE_KEYS))
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise source.fail(where, "needs a name in quotes, shown in reports, like name = \"Anki\"")
    category = table.get("category")
    accepted = ", ".join([*known, UNCATEGORIZED])
    if not isinstance(category, str):
        raise source.fail(where, f"needs a category in quotes, one of {accepted}")
    if category != UNCATEGORIZED and category not in known:
        hint = " (declare your own with [categories] extra = [...])" if source.origin == USER else ""
        raise source.fail(where, f"category {category!r} is not a known category; "
                                 f"accepted: {accepted}{hint}")
    apps = _text_list(table.get("apps", []), f"{where}: apps", source, "process names")
    sites = _text_list(table.get("sites", []), f"{where}: sites", source, "site patterns")
    titles = _text_list(table.get("titles", []), f"{where}: titles", source, "page title patterns")
    if not apps and not sites and not titles:
        raise source.fail(where, "needs apps = [...] (process names), sites = [...] (parts of "
                                 "browser titles) or titles = [...] (whole browser page titles)")
    for kind, patterns in (("apps", apps), ("sites", sites), ("titles", titles)):
        for pattern in patterns:
            _check_pattern(pattern, f"{where}: {kind}", source)
    return Rule(name=name.strip(), category=category, apps=tuple(apps), sites=tuple(sites),
                titles=tuple(titles), origin=source.origin, number=number, source=str(source.path))


def _read_rules(value: object, source: _Source, known: Sequence[str]) -> list[Rule]:
    if not isinstance(value, list):
        raise source.fail(f"{source.prefix}rules",
                          f"must be an array of tables, written [[{source.prefix}rules]]")
    rules = [_read_rule(table, number, source, known) for number, table in enumerate(value, 1)]
    seen: dict[str, int] = {}
    for rule in rules:
        earlier = seen.setdefault(rule.name.casefold(), rule.number)
        if earlier != rule.number:
            raise source.fail(source.rule_where(rule.number, {"name": rule.name}),
                              f"the name is already used by rule number {earlier}; "
                              "each rule needs its own name")
    return rules


def _check_keys(table: Mapping[str, Any], allowed: Sequence[str], source: _Source) -> None:
    owner = "[categories]" if source.origin == USER else "the rules file"
    for key in table:
        if key not in allowed:
            raise source.fail(f"{source.prefix}{key}",
                              f"unknown key; {owner} accepts {', '.join(allowed)}")


def _read_extra(value: object, source: _Source, shipped: Sequence[str]) -> list[str]:
    names = _text_list(value, "categories.extra", source, "category names")
    for name in names:
        if not _CATEGORY_NAME.fullmatch(name) or name in (TOTAL, UNCATEGORIZED):
            raise source.fail("categories.extra",
                              f"{name!r} cannot be a category name; use lower-case letters, "
                              f"digits, - and _ (not {TOTAL!r} or {UNCATEGORIZED!r}), "
                              "e.g. \"study\"")
    return [name for name in names if name not in shipped]


def _read_instances(value: object, source: _Source) -> list[str]:
    """The ``mastodon_instances`` list: domains or names, each one part of a title."""
    key = ("categories", INSTANCES) if source.origin == USER else (INSTANCES,)
    where = located(source.path, key)
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        raise ConfigError(f"{where}: expected a list of instance domains or names in quotes, "
                          "like [\"mastodon.social\", \"Fosstodon\"]")
    for entry in value:
        text = entry.strip()
        if not _INSTANCE.fullmatch(text) or title_parts(text) != (text,) or plain_text(text) != text:
            raise ConfigError(f"{where}: {entry!r} is not a Mastodon instance; write its domain, "
                              "like \"mastodon.social\", or the name its tabs show, like "
                              "\"Fosstodon\" (letters, digits, spaces and . - _ ')")
    return [entry.strip() for entry in value]


def build_rules(shipped: Mapping[str, Any], user: Mapping[str, Any], *,
                shipped_path: Path, user_path: Path) -> Rules:
    """Rules from the shipped table and the user's ``[categories]`` table (already parsed)."""
    ship = _Source(shipped_path, SHIPPED)
    mine = _Source(user_path, USER)
    _check_keys(shipped, SHIPPED_KEYS, ship)
    if not isinstance(user, Mapping):
        raise mine.fail("categories", "must be a table, written [categories]")
    _check_keys(user, USER_KEYS, mine)

    shipped_categories = _text_list(shipped.get("categories", []), "categories", ship,
                                    "category names")
    known = [*shipped_categories, *_read_extra(user.get("extra", []), mine, shipped_categories)]
    browsers = [*_text_list(shipped.get("browsers", []), "browsers", ship, "process names"),
                *_text_list(user.get("browsers", []), "categories.browsers", mine,
                            "process names")]
    hosts = _text_list(shipped.get("app_hosts", []), "app_hosts", ship, "process names")
    instances = [*_read_instances(shipped.get(INSTANCES, []), ship),
                 *_read_instances(user.get(INSTANCES, []), mine)]
    shipped_rules = _read_rules(shipped.get("rules", []), ship, known)
    user_rules = _read_rules(user.get("rules", []), mine, known)

    disable = _text_list(user.get("disable", []), "categories.disable", mine, "rule names")
    by_name = {rule.name.casefold(): rule for rule in shipped_rules}
    for name in disable:
        if name.casefold() not in by_name:
            raise mine.fail("categories.disable",
                            f"{name!r} is not the name of a shipped rule; "
                            "`unscroll categories list` shows them")
    off = {name.casefold() for name in disable}
    active = [rule for rule in shipped_rules if rule.name.casefold() not in off]
    disabled = dict.fromkeys(by_name[name.casefold()].name for name in disable)
    return Rules([*user_rules, *active], browsers=browsers, categories=known, disabled=disabled,
                 hosts=hosts, instances=instances)


def load_rules(settings: Settings) -> Rules:
    """The shipped rules extended by the user's ``[categories]`` table."""
    path = shipped_file("categories.toml")
    return build_rules(read_toml(path), settings.categories, shipped_path=path,
                       user_path=settings.paths.config_file)
