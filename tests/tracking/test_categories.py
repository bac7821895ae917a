"""Category rules: real-world browser and app titles, false positives, user rules and errors."""

from __future__ import annotations

import tomllib

import pytest

from monitor.core.errors import ConfigError
from monitor.core.paths import shipped_file
from monitor.core.settings import load_settings
from monitor.tracking.categories import (
    UNCATEGORIZED,
    Rules,
    build_rules,
    load_rules,
    normalize_app,
    title_parts,
)
from tests.conftest import write_config

EDGE = "Microsoft\u200b Edge"  # Edge writes a zero-width space into its own name

# (app as the platform reports it, window title, expected category, expected name)
REAL_WORLD = [
    # the titles of the issue and of ActivityWatch's own export
    ("firefox", "(3) Facebook — Mozilla Firefox", "social", "Facebook"),
    ("google-chrome", "Home / X - Google Chrome", "social", "X"),
    ("brave", "(12) Feed | LinkedIn - Brave", "social", "LinkedIn"),
    ("firefox", "r/python - Reddit — Mozilla Firefox", "social", "Reddit"),
    ("chromium", "YouTube - Chromium", "video", "YouTube"),
    ("firefox", "reddit: the front page of the internet - Mozilla Firefox", "social", "Reddit"),
    ("firefox", "Twitter / Home - Mozilla Firefox", "social", "X"),
    ("firefox", "YouTube - Mozilla Firefox", "video", "YouTube"),
    ("firefox", "GitHub - ActivityWatch/aw-core - Mozilla Firefox", "work", "GitHub"),
    ("Slack", "Slack | general", "work", "Slack"),
    ("Code", "main.py - project - Visual Studio Code", "work", "VS Code"),
    ("Thunderbird", "Inbox - Thunderbird", "work", "Email"),
    ("gnome-terminal-server", "bash", "work", "Terminal"),
    # social in browsers, as the sites title their pages
    ("firefox-esr", "Facebook – log in or sign up — Mozilla Firefox", "social", "Facebook"),
    ("chrome", "(5) Marketplace | Facebook - Google Chrome", "social", "Facebook"),
    ("msedge.exe", f"Instagram and 2 more pages - Personal - {EDGE}", "social", "Instagram"),
    ("firefox", "NASA (@nasa) • Instagram photos and videos — Mozilla Firefox", "social",
     "Instagram"),
    ("chrome", 'Elon Musk on X: "hello" / X - Google Chrome', "social", "X"),
    ("vivaldi-bin", "TikTok - Make Your Day - Vivaldi", "social", "TikTok"),
    ("opera", "Khaby Lame (@khaby.lame) | TikTok - Opera", "social", "TikTok"),
    ("firefox", "Is Python dying? : r/Python — Mozilla Firefox", "social", "Reddit"),
    ("google-chrome-stable", "r/Python on Reddit: Is Python dying? - Google Chrome", "social",
     "Reddit"),
    ("org.mozilla.firefox", "(1) Reddit - Dive into anything — Mozilla Firefox", "social",
     "Reddit"),
    ("librewolf", "Snapchat — LibreWolf", "social", "Snapchat"),
    ("brave-browser", "(2) Pinterest - Brave", "social", "Pinterest"),
    ("firefox", "Dashboard | Tumblr — Mozilla Firefox", "social", "Tumblr"),
    ("chromium-browser", "Mark Zuckerberg (@zuck) • Threads, Say more - Chromium", "social",
     "Threads"),
    ("firefox", "@jay.bsky.team — Bluesky — Mozilla Firefox", "social", "Bluesky"),
    ("firefox", "Eugen Rochko (@Gargron@mastodon.social) - Mastodon — Mozilla Firefox",
     "social", "Mastodon"),
    ("chrome", "CNN | Facebook - Google Chrome", "social", "Facebook"),
    # video
    ("chrome", "(5) Rick Astley - Never Gonna Give You Up (Official Music Video) - YouTube - "
               "Google Chrome", "video", "YouTube"),
    ("C:\\Program Files\\Mozilla Firefox\\firefox.exe", "YouTube — Mozilla Firefox", "video",
     "YouTube"),
    ("firefox", "shroud - Twitch — Mozilla Firefox", "video", "Twitch"),
    ("chrome", "Home - Netflix - Google Chrome", "video", "Netflix"),
    ("Safari", "Amazon.com: Watch The Boys - Season 1 | Prime Video", "video", "Prime Video"),
    ("epiphany", "Watch Loki | Disney+", "video", "Disney+"),
    ("firefox", "Big Buck Bunny on Vimeo — Mozilla Firefox", "video", "Vimeo"),
    # messaging
    ("chrome", "(3) WhatsApp - Google Chrome", "messaging", "WhatsApp"),
    ("firefox", "Telegram Web — Mozilla Firefox", "messaging", "Telegram"),
    ("firefox", "Messenger — Mozilla Firefox", "messaging", "Messenger"),
    ("chrome", "#general | Python Discord - Discord - Google Chrome", "messaging", "Discord"),
    ("signal-desktop", "Signal", "messaging", "Signal"),
    ("telegram-desktop", "Telegram (3)", "messaging", "Telegram"),
    ("Discord.exe", "Friends - Discord", "messaging", "Discord"),
    # news: a page about a social network is not the social network
    ("firefox", "Show HN: a thing I made | Hacker News — Mozilla Firefox", "news", "Hacker News"),
    ("chrome", "How Facebook changed the world - BBC News - Google Chrome", "news", "BBC News"),
    ("firefox", "TikTok - BBC News — Mozilla Firefox", "news", "BBC News"),
    # work in browsers and apps
    ("firefox", "Inbox (3) - me@gmail.com - Gmail — Mozilla Firefox", "work", "Email"),
    ("chrome", "python - How do I merge two dicts? - Stack Overflow - Google Chrome", "work",
     "Stack Overflow"),
    ("firefox", "Quarterly plan - Google Docs — Mozilla Firefox", "work", "Google Docs"),
    ("firefox", "Pull requests · facebook/react · GitHub — Mozilla Firefox", "work", "GitHub"),
    ("firefox", "general (Channel) - Acme - Slack — Mozilla Firefox", "work", "Slack"),
    ("gedit", "facebook-notes.txt - gedit", "work", "Text editor"),
    ("jetbrains-pycharm-ce", "unscroll – main.py", "work", "JetBrains IDE"),
    ("soffice.bin", "My notes about TikTok.odt - LibreOffice Writer", "work", "LibreOffice"),
    ("xterm", "reddit", "work", "Terminal"),
    # Android package names, as ActivityWatch's Android watcher reports them (no titles)
    ("com.instagram.android", None, "social", "Instagram"),
    ("com.zhiliaoapp.musically", None, "social", "TikTok"),
    ("com.twitter.android", None, "social", "X"),
    ("com.reddit.frontpage", None, "social", "Reddit"),
    ("com.google.android.youtube", None, "video", "YouTube"),
    ("com.netflix.mediaclient", None, "video", "Netflix"),
    ("com.whatsapp", None, "messaging", "WhatsApp"),
    ("org.thoughtcrime.securesms", None, "messaging", "Signal"),
    ("org.telegram.messenger", None, "messaging", "Telegram"),
    ("com.facebook.orca", None, "messaging", "Messenger"),
    # searches and encyclopedia pages are named but counted in no category
    ("firefox", "facebook - Google Search — Mozilla Firefox", UNCATEGORIZED, "Web search"),
    ("firefox", "how to delete tiktok at DuckDuckGo — Mozilla Firefox", UNCATEGORIZED,
     "Web search"),
    ("chrome", "Facebook - Wikipedia - Google Chrome", UNCATEGORIZED, "Wikipedia"),
]

# (app, title, expected name): windows that no rule may claim
NOT_MATCHED = [
    ("firefox", "facebook-notes.txt — Mozilla Firefox", "firefox"),
    ("firefox", "Instagrammable cafés in Paris - Le Guide — Mozilla Firefox", "firefox"),
    ("chrome", "Xbox Series X review - The Verge - Google Chrome", "chrome"),
    ("firefox", "Python threading tutorial – Real Python — Mozilla Firefox", "firefox"),
    ("firefox", "Redditch weather - BBC Weather — Mozilla Firefox", "firefox"),
    ("chrome", "youtube-dl download guide - Medium - Google Chrome", "chrome"),
    ("firefox", "Netflix and chill - Urban Dictionary — Mozilla Firefox", "firefox"),
    ("firefox", "TikTokers and their money - The Verge — Mozilla Firefox", "firefox"),
    ("firefox", "Mozilla Firefox", "firefox"),
    ("firefox", None, "firefox"),
    ("myapp", "Facebook", "myapp"),  # not a browser: its title names no site
    ("evince", "instagram-report.pdf", "evince"),
]


@pytest.fixture(scope="module")
def rules() -> Rules:
    shipped = shipped_file("categories.toml")
    with shipped.open("rb") as handle:
        table = tomllib.load(handle)
    return build_rules(table, {}, shipped_path=shipped, user_path=shipped.with_name("user.toml"))


def test_enough_real_world_titles_are_checked():
    assert len(REAL_WORLD) >= 40
    assert {category for _, _, category, _ in REAL_WORLD} >= {
        "social", "video", "messaging", "news", "work", UNCATEGORIZED}


@pytest.mark.parametrize(("app", "title", "category", "name"), REAL_WORLD)
def test_real_world_titles(rules, app, title, category, name):
    result = rules.classify(app, title)
    assert (result.category, result.name) == (category, name)
    assert result.rule is not None
    assert result.rule.startswith(name)


@pytest.mark.parametrize(("app", "title", "name"), NOT_MATCHED)
def test_false_positives_are_not_matched(rules, app, title, name):
    result = rules.classify(app, title)
    assert result.category == UNCATEGORIZED
    assert result.name == name
    assert result.rule is None
    assert rules.explain(app, title) is None


def test_editor_document_named_after_a_site_is_not_social(rules):
    assert rules.classify("gedit", "facebook-notes.txt - gedit").category != "social"
    assert rules.classify("firefox", "facebook-notes.txt - gedit").category != "social"


def test_explain_says_what_matched(rules):
    found = rules.explain("brave", "(12) Feed | LinkedIn - Brave")
    assert found is not None
    assert (found.kind, found.pattern, found.text) == ("site", "linkedin(: .*)?", "LinkedIn")
    assert found.rule.origin == "shipped"
    app = rules.explain("signal-desktop", "Signal")
    assert app is not None
    assert (app.kind, app.text) == ("app", "signal-desktop")


def test_title_parts():
    assert title_parts("(12) Feed | LinkedIn - Brave") == ("Feed", "LinkedIn")
    assert title_parts("Home / X - Google Chrome") == ("Home", "X")
    assert title_parts(f"YouTube and 3 more pages - Work - {EDGE}") == ("YouTube", "Work")
    assert title_parts("Mozilla Firefox") == ("Mozilla Firefox",)
    assert title_parts("r/python - Reddit — Mozilla Firefox") == ("r/python", "Reddit")


def test_normalize_app():
    assert normalize_app("C:\\Program Files\\Google\\Chrome\\chrome.EXE") == "chrome"
    assert normalize_app("/usr/lib/firefox/firefox") == "firefox"
    assert normalize_app("xyz.blueskyweb.app") == "xyz.blueskyweb.app"


def test_browsers_include_the_usual_variants(rules):
    for app in ("firefox", "firefox-esr", "librewolf", "chrome", "google-chrome", "chromium",
                "chromium-browser", "brave", "brave-browser", "msedge", "microsoft-edge",
                "opera", "vivaldi", "epiphany", "safari", "msedge.exe", "Google Chrome",
                "org.mozilla.firefox", "com.brave.Browser"):
        assert rules.is_browser(app), app
    assert not rules.is_browser("gedit")


def test_shipped_rules_have_unique_names_and_known_categories(rules):
    names = [rule.name for rule in rules.rules]
    assert len(names) == len(set(names))
    for rule in rules.rules:
        assert rules.is_known(rule.category)
        assert rule.apps or rule.sites


def test_classification_is_cached(rules):
    first = rules.classify("firefox", "A cached title - Reddit — Mozilla Firefox")
    assert rules.classify("firefox", "A cached title - Reddit — Mozilla Firefox") is first


# --- the user's [categories] table --------------------------------------------------------

def test_user_rules_come_first_and_extra_categories(user_paths):
    write_config(user_paths, """
[categories]
extra = ["study"]
browsers = ["my-browser"]
disable = ["LinkedIn"]

[[categories.rules]]
name = "Lectures"
category = "study"
sites = ["youtube"]

[[categories.rules]]
name = "Anki"
category = "study"
apps = ["anki"]
""")
    rules = load_rules(load_settings(user_paths))
    assert rules.categories == ("social", "video", "messaging", "news", "work", "study")
    lectures = rules.classify("firefox", "Linear algebra 1 - YouTube — Mozilla Firefox")
    assert (lectures.category, lectures.name) == ("study", "Lectures")
    assert lectures.rule == "Lectures (your rule 1)"
    assert rules.classify("Anki", "Decks").category == "study"
    assert rules.classify("my-browser", "(3) Facebook").name == "Facebook"
    assert rules.classify("brave", "(12) Feed | LinkedIn - Brave").category == UNCATEGORIZED
    assert rules.disabled == ("LinkedIn",)
    # a user rule wins wherever in the title it matches; shipped ones still apply after it
    assert rules.classify("firefox", "YouTube - Facebook — Mozilla Firefox").name == "Lectures"
    assert rules.classify("firefox", "Twitch — Mozilla Firefox").name == "Twitch"


def _error(user_paths, text: str) -> str:
    write_config(user_paths, text)
    with pytest.raises(ConfigError) as caught:
        load_rules(load_settings(user_paths))
    message = str(caught.value)
    assert str(user_paths.config_file) in message
    assert "\n" not in message
    return message


@pytest.mark.parametrize(("text", "expected"), [
    ('[[categories.rules]]\nname = "Bad"\ncategory = "social"\nsites = ["(unclosed"]\n',
     ['number 1 (\'Bad\')', "'(unclosed' is not a valid regular expression", "Python"]),
    ('[[categories.rules]]\nname = "Bad"\ncategory = "social"\napps = ["a[b"]\n',
     ["number 1 ('Bad'): apps", "regular expression"]),
    # valid alone, but not within the group a rule puts it in
    ('[[categories.rules]]\nname = "Flags"\ncategory = "social"\ntitles = ["(?i)facebook"]\n',
     ["number 1 ('Flags'): titles", "'(?i)facebook' is not a valid regular expression",
      "global flags", "leave out (?i)"]),
    ('[[categories.rules]]\nname = "Probe"\ncategory = "social"\nsites = ["(?P<probe>a)"]\n',
     ["number 1 ('Probe'): sites", "is not a valid regular expression", "redefinition"]),
    ('[[categories.rules]]\nname = "Typo"\ncategory = "sociall"\nsites = ["x"]\n',
     ["number 1 ('Typo')", "'sociall' is not a known category",
      "social, video, messaging, news, work, uncategorized", "extra"]),
    ('[[categories.rules]]\nname = "Key"\ncategory = "social"\nsite = ["x"]\n',
     ["number 1 ('Key')", "unknown key 'site'", "name, category, apps, sites"]),
    ('[[categories.rules]]\ncategory = "social"\nsites = ["x"]\n',
     ["[[categories.rules]] number 1", "needs a name"]),
    ('[[categories.rules]]\nname = "Empty"\ncategory = "social"\n',
     ["number 1 ('Empty')", "apps = [...]", "sites = [...]"]),
    ('[[categories.rules]]\nname = "A"\ncategory = "social"\nsites = ["a"]\n'
     '[[categories.rules]]\nname = "A"\ncategory = "video"\nsites = ["b"]\n',
     ["number 2 ('A')", "already used by rule number 1"]),
    ('[[categories.rules]]\nname = "Ref"\ncategory = "social"\nsites = [\'(a)\\\\1\']\n',
     ["number 1 ('Ref')", "backreferences"]),
    ('[[categories.rules]]\nname = "Str"\ncategory = "social"\nsites = "facebook"\n',
     ["number 1 ('Str'): sites", "list"]),
    ('[categories]\nrule = []\n', ["categories.rule", "unknown key", "extra, browsers, disable, rules"]),
    ('[categories]\nextra = ["total"]\n', ["categories.extra", "'total' cannot be a category"]),
    ('[categories]\ndisable = ["Facebok"]\n', ["categories.disable", "'Facebok' is not the name"]),
    ('[categories]\nrules = {name = "x"}\n', ["categories.rules", "[[categories.rules]]"]),
])
def test_rule_errors_name_the_file_rule_and_what_is_accepted(user_paths, text, expected):
    message = _error(user_paths, text)
    for part in expected:
        assert part in message, (part, message)


def test_an_extra_category_makes_a_rule_valid(user_paths):
    write_config(user_paths, '[categories]\nextra = ["study"]\n[[categories.rules]]\n'
                             'name = "Uni"\ncategory = "study"\nsites = [\'moodle\']\n')
    rules = load_rules(load_settings(user_paths))
    assert rules.classify("firefox", "Courses - Moodle — Mozilla Firefox").category == "study"


def test_shipped_file_errors_name_the_shipped_file(tmp_path):
    shipped = tmp_path / "categories.toml"
    table = {"categories": ["social"], "rules": [{"name": "X", "category": "video",
                                                   "sites": ["x"]}]}
    with pytest.raises(ConfigError, match=r"categories\.toml: \[\[rules\]\] number 1 \('X'\)"):
        build_rules(table, {}, shipped_path=shipped, user_path=tmp_path / "config.toml")


def test_placeholder_style_empty_rules_classify_everything_as_uncategorized():
    rules = Rules()
    assert rules.classify("firefox", "(3) Facebook — Mozilla Firefox").category == UNCATEGORIZED
