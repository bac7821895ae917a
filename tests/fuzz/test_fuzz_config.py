"""Fuzzing the duration parser, the config loader and the category rules.

The config loader gets random TOML-ish text, and random *valid* TOML whose tables,
keys and values are drawn from the real schema mixed with junk; the rules get random
rule tables in the user's ``[categories]``, then classify random apps and titles.
"""

from __future__ import annotations

import string
from datetime import timedelta
from pathlib import Path

import tomlkit
from hypothesis import event, given
from hypothesis import strategies as st

from monitor.core.durations import format_duration, parse_duration, to_config_text
from monitor.core.errors import ConfigError, DurationError
from monitor.core.paths import Paths
from monitor.core.settings import load_settings
from monitor.tracking.categories import load_rules
from tests.fuzz.fuzzing import fuzz_settings, only_our_errors, slow_fuzz_settings

DURATION_ALPHABET = "0123456789.wdhms hmsWDHMS-+:_e"
SCHEMA: dict[str, list[str]] = {
    "tracking": ["sample_every", "idle_after", "store_titles", "exclude_titles", "device", "focus_events"],
    "day": ["starts_at"],
    "budgets": ["total", "social", "video", "messaging", "news", "work", "weekend", "mon", "sun"],
    "prompts": ["warn_before", "repeat_every", "max_per_day", "quiet_hours", "suggest_gap",
                "suggest_people_on"],
    "reports": ["weekly_at"],
    "logging": ["level"],
    "categories": ["extra", "browsers", "disable", "rules"],
}
KEYS = [key for keys in SCHEMA.values() for key in keys]

scalars = st.one_of(
    st.text(max_size=30), st.sampled_from(["2s", "30m", "1h30m", "0s", "-5m", "04:00", "25:00", "sun 18:00",
                                           "22:00-08:00", "debug", "social", "", "1e9s", "9999999w"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.times(),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)


def _write(tmp: Path, name: str, data: bytes) -> Paths:
    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.toml"
    config.write_bytes(data)
    return Paths(config_file=config, data_dir=folder / "data")


@fuzz_settings
@given(st.one_of(st.text(alphabet=DURATION_ALPHABET, max_size=20), st.text(max_size=20),
                 st.integers(), st.floats(), st.none(), st.lists(st.integers(), max_size=2)))
def test_fuzz_duration_parser(text):
    result = only_our_errors(lambda: parse_duration(text, where="budgets.social"),
                             names="budgets.social", expected=DurationError)
    if result is not None:
        assert timedelta(0) <= result <= timedelta(days=366)
        assert isinstance(format_duration(result.total_seconds()), str)
        assert parse_duration(to_config_text(result)) == timedelta(seconds=round(result.total_seconds()))


toml_ish = st.text(alphabet=string.printable + "é—\x00\ufeff[]=\"'{}#", max_size=200)


@fuzz_settings
@given(st.one_of(toml_ish, st.binary(max_size=200),
                 st.builds(lambda s, k, v: f"[{s}]\n{k} = {v}\n".encode(errors="surrogatepass"),
                           st.sampled_from(list(SCHEMA)), st.sampled_from(KEYS),
                           st.text(max_size=20))))
def test_fuzz_config_loader_with_toml_ish_text(tmp_path_factory, text):
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    paths = _write(tmp_path_factory.mktemp("cfg"), "t", data)
    settings = only_our_errors(lambda: load_settings(paths), expected=ConfigError)
    if settings is not None:
        only_our_errors(lambda: load_rules(settings), expected=ConfigError)


tables = st.dictionaries(
    st.one_of(st.sampled_from(list(SCHEMA)), st.text(max_size=8)),
    st.one_of(
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)),
                        values, max_size=5),
        values),
    max_size=4)


@fuzz_settings
@given(tables)
def test_fuzz_config_loader_with_valid_toml_and_random_values(tmp_path_factory, table):
    try:
        text = tomlkit.dumps(table)
    except Exception:  # values TOML cannot hold (a NaN key, a bare time with an offset…)
        return
    paths = _write(tmp_path_factory.mktemp("cfg"), "t", text.encode("utf-8", "surrogatepass"))
    settings = only_our_errors(lambda: load_settings(paths), expected=ConfigError)
    if settings is not None:
        only_our_errors(lambda: load_rules(settings), expected=ConfigError)


patterns = st.one_of(st.sampled_from(["facebook", "r/\\w+", "(unclosed", "a{2,1}", "\\1", "(?P<x>y)", "(?i)x",
                                      "", " ", "[", "*", "x" * 300, "é|ü", "(?#c)", "\\", "a|"]),
                     st.text(max_size=20))
rule = st.dictionaries(
    st.sampled_from(["name", "category", "apps", "sites", "extra_key"]),
    st.one_of(st.text(max_size=15), st.sampled_from(["social", "video", "work", "study", "uncategorized"]),
              st.lists(patterns, max_size=3), st.integers(), st.booleans()),
    max_size=5)
categories = st.fixed_dictionaries({}, optional={
    "extra": st.one_of(st.lists(st.sampled_from(["study", "total", "Bad Name", "", "x" * 50]), max_size=3),
                       st.text(max_size=5)),
    "browsers": st.one_of(st.lists(st.text(max_size=10), max_size=3), st.integers()),
    "disable": st.lists(st.sampled_from(["Facebook", "YouTube", "No such rule", ""]), max_size=2),
    "rules": st.one_of(st.lists(rule, max_size=4), st.text(max_size=5),
                       st.dictionaries(st.text(), st.text())),
})
titles = st.one_of(st.none(), st.text(max_size=120),
                   st.sampled_from(["(3) Facebook — Mozilla Firefox", "Home / X - Google Chrome",
                                    "(12) Feed | LinkedIn - Brave", "facebook-notes.txt - gedit",
                                    "—  — ", " | ", "(1) ", "\u200b"]))
apps = st.one_of(st.text(max_size=30),
                 st.sampled_from(["firefox", "chrome", "Code.exe", "/usr/bin/signal-desktop",
                                  "C:\\Program Files\\Brave\\brave.exe", ""]))


@slow_fuzz_settings
@given(categories, st.lists(st.tuples(apps, titles), min_size=1, max_size=8))
def test_fuzz_category_rules_and_classification(tmp_path_factory, table, windows):
    try:
        text = tomlkit.dumps({"categories": table})
    except Exception:
        return
    paths = _write(tmp_path_factory.mktemp("rules"), "t", text.encode("utf-8", "surrogatepass"))
    settings = only_our_errors(lambda: load_settings(paths), expected=ConfigError)
    if settings is None:
        event("the settings were refused with a ConfigError")
        return
    rules = only_our_errors(lambda: load_rules(settings), expected=ConfigError, names=str(paths.config_file)
                            if table.get("rules") or table.get("extra") else None)
    if rules is None:
        event("the rules were refused with a ConfigError")
        return
    event("the rules loaded; windows classified")
    for app, title in windows:
        found = rules.classify(app, title)
        assert found.category == "uncategorized" or rules.is_known(found.category)
        assert isinstance(found.name, str)
        assert found.name or not app.strip()  # named by its rule, else by the app
        rules.explain(app, title)
