"""``unscroll people`` with wild input: dry runs, merges, odd bytes, devices, markup, due-day counting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.cli.people_view import due_words, table_lines
from monitor.core.errors import ConfigError
from monitor.core.people_settings import locale_region, parse_size
from monitor.core.settings import load_settings
from monitor.people.model import Person
from tests.conftest import write_config

WILD = Path(__file__).resolve().parents[1] / "data" / "contacts" / "wild"
FAMILY = str(WILD / "family-landline.vcf")


def listed(run) -> list[dict]:
    code, out, err = run("people", "list", "--json")
    assert code == 0, err
    return json.loads(out)


def one_line_error(code: int, err: str) -> str:
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("unscroll: ")
    return lines[0]


# --- due days ---------------------------------------------------------------------------------

def test_due_in_seven_days_on_30_november_counts_calendar_days_not_rounded_down_hours():
    zone = ZoneInfo("Europe/London")
    talked = datetime(2026, 11, 23, 12, 0, tzinfo=zone).timestamp()        # due 7 December, noon
    person = Person(1, "Sam", 14.0, (), (), (), (), "", talked, talked)
    now = datetime(2026, 11, 30, 18, 30, tzinfo=zone).timestamp()           # 6.73 days before
    assert person.days_until_due(now, zone, time(4)) == 7
    assert due_words(person, now, zone, time(4)) == "due in 7 days"
    assert due_words(person, datetime(2026, 12, 7, 23, 0, tzinfo=zone).timestamp(), zone, time(4)) == \
        "due today"
    late = datetime(2026, 12, 8, 3, 0, tzinfo=zone).timestamp()             # before the 04:00 day start
    assert due_words(person, late, zone, time(4)) == "due today"
    assert due_words(person, datetime(2026, 12, 28, 9, 0, tzinfo=zone).timestamp(), zone, time(4)) == \
        "overdue by 3 weeks"


# --- import: dry run, --every, --json -------------------------------------------------------------

def test_dry_run_says_what_would_happen_and_changes_nothing(run, user_paths):
    code, out, err = run("people", "import", FAMILY, "--dry-run")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Dry run: nothing was changed. An import would do this:"
    assert f"{FAMILY} (vCard): 3 added, 1 merged, 0 unchanged, 0 skipped; 2 kept apart" in lines
    assert "  line 21: would merge Smith John into John Smith (#1): 1 phone" in lines
    assert f"  {FAMILY} line 8: Jane Smith (#2) shares +442079460000 with John Smith (#1)" in lines
    assert listed(run) == []
    assert not (user_paths.data_dir / "unscroll.sqlite3").exists() or listed(run) == []
    code, out, _ = run("people", "import", FAMILY, "--dry-run", "--json")
    [report] = json.loads(out)["files"]
    assert report["dry_run"] is True
    assert [item["name"] for item in report["added"]] == ["John Smith", "Jane Smith", "Tom Smith"]
    assert report["kept_apart"][0]["shares"] == [{"person_id": 1, "name": "John Smith",
                                                  "shared": "+442079460000"}]
    assert listed(run) == []


def test_import_every_sets_the_frequency_of_everyone_imported(run):
    code, out, _ = run("people", "import", FAMILY, "--every", "2w")
    assert code == 0
    assert {person["every_days"] for person in listed(run)} == {14.0}
    code, out, _ = run("people", "import", FAMILY, "--every", "3mo")
    assert f"{FAMILY} (vCard): 0 added, 3 merged, 1 unchanged, 0 skipped" in out   # never "unchanged"
    assert {person["every_days"] for person in listed(run)} == {90.0}
    code, _, err = run("people", "import", FAMILY, "--every", "3m")
    assert "'3m' is ambiguous" in one_line_error(code, err)


def test_edit_by_tag_sets_everyones_frequency(run):
    run("people", "import", FAMILY, "--tag", "family")
    run("people", "add", "Outsider")
    code, out, err = run("people", "edit", "--tag", "FAMILY", "--every", "1mo")
    assert code == 0, err
    assert out.strip() == "Set every 1mo for 3 people tagged FAMILY: Jane Smith, John Smith, Tom Smith."
    assert {p["name"]: p["every_days"] for p in listed(run)} == {
        "John Smith": 30.0, "Jane Smith": 30.0, "Tom Smith": 30.0, "Outsider": None}
    code, _, err = run("people", "edit", "--tag", "nobody", "--every", "1mo")
    assert "no one has the tag 'nobody'" in one_line_error(code, err)
    code, _, err = run("people", "edit", "--tag", "family", "--every", "1mo", "--note", "x")
    assert "give NAME" in one_line_error(code, err)


# --- show --json, merge -------------------------------------------------------------------------

def test_show_json_and_merge_join_two_people(run):
    run("people", "import", FAMILY)
    run("people", "log", "jane", "--via", "call", "--when", "yesterday")
    code, out, _ = run("people", "show", "Jane Smith", "--json")
    jane = json.loads(out)
    assert (jane["id"], jane["phones"], jane["interactions"][0]["via"]) == (
        2, ["+442079460000", "+447700900123"], "call")
    code, out, err = run("people", "merge", "john smith", "jane smith", answer="n\n")
    assert code == 1
    assert "Aborted." in err
    code, out, err = run("people", "merge", "john smith", "jane smith", "--yes")
    assert code == 0, err
    assert out.strip() == ("Merged Jane Smith (#2) into John Smith (#1): 1 phone; 1 interaction and 0 "
                           "prompts moved. Jane Smith is now an alias: importing their card again merges "
                           "it here.")
    john = json.loads(run("people", "show", "#1", "--json")[1])
    assert (john["aliases"], [item["via"] for item in john["interactions"]]) == (["Jane Smith"], ["call"])
    code, out, _ = run("people", "import", FAMILY)
    assert f"{FAMILY} (vCard): 0 added, 0 merged, 4 unchanged, 0 skipped" in out
    code, _, err = run("people", "merge", "john", "#1", "--yes")
    assert "named twice" in one_line_error(code, err)


# --- what is shown is what was stored -----------------------------------------------------------

def test_markup_in_a_name_shows_literally(run):
    _, out, _ = run("people", "add", "[bold]Bracket[/bold] Person", "--every", "2w", "--tag", "[red]x")
    assert out.startswith("Added [bold]Bracket[/bold] Person (#1)")
    _, out, _ = run("people", "list")
    assert "[bold]Bracket[/bold] Person" in out
    assert "[red]x" in out
    _, out, _ = run("people", "show", "bracket")
    assert out.splitlines()[0] == "[bold]Bracket[/bold] Person (#1)"
    run("people", "add", "Esc\x1b[31mape")
    _, out, _ = run("people", "list")
    assert "Esc\\x1b[31mape" in out
    assert "\x1b" not in out


def test_the_table_cuts_long_names_to_the_terminal_and_keeps_wide_characters_aligned():
    rows = [("1", "山田 太郎", "2w", "never", "", "友達"), ("12", "A" * 80, "-", "never", "", "t" * 40)]
    lines = table_lines(rows, width=70)
    assert all(len(line) <= 70 for line in lines[1:] if line.isascii())
    assert lines[2].startswith("12  AAAA")
    assert "…" in lines[2]
    assert lines[1].index("2w") + 4 == lines[2].index("-")      # 4 CJK characters, 2 cells each


# --- links, phones, bad bytes ---------------------------------------------------------------------

@pytest.mark.parametrize(("link", "expected"), [
    ("notaurl", "--link: 'notaurl' refused: it has no scheme such as https: at its start; accepted: https:, "
                "http:, mailto:, tel:, sms: and messenger links"),
    ("javascript:alert(1)", "--link: 'javascript:alert(1)' refused: javascript: links are never kept"),
    ("file:///etc/passwd", "file: links are never kept"),
])
def test_links_typed_are_checked_like_emails_and_phones(run, link, expected):
    code, _, err = run("people", "add", "Bob", "--link", link)
    assert expected in one_line_error(code, err)
    assert listed(run) == []


def test_phones_typed_are_read_in_the_default_region_and_shown_with_extensions(run, user_paths):
    write_config(user_paths, '[people]\ndefault_region = "US"\n')
    run("people", "add", "Dana", "--phone", "555-555-0199 x42", "--phone", "5555550100")
    code, _, err = run("people", "add", "Other", "--phone", "+15555550100")
    assert "+15555550100 is already Dana's phone (#1)" in one_line_error(code, err)
    code, out, _ = run("people", "show", "dana")
    assert "phones:      +1 555-555-0199 ext. 42, +1 555-555-0100" in out
    assert listed(run)[0]["phones"] == ["+15555550199;ext=42", "+15555550100"]


def env_for(user_paths, locale: str = "C.UTF-8", utf8_mode: str | None = "0") -> dict[str, str]:
    env = dict(os.environ, UNSCROLL_CONFIG=str(user_paths.config_file),
               UNSCROLL_DATA_DIR=str(user_paths.data_dir), LC_ALL=locale)
    env.pop("PYTHONUTF8", None)
    if utf8_mode is not None:
        env["PYTHONUTF8"] = utf8_mode
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX arguments are bytes; Windows' are text")
@pytest.mark.parametrize(("args", "named"), [
    ([b"add", b"\xff\xfe"], "NAME"), ([b"add", b"Bob", b"--note", b"caf\xe9"], "--note"),
    ([b"add", b"Bob", b"--tag", b"\xff"], "--tag"), ([b"log", b"x\xff"], "NAME"),
    ([b"edit", b"bob", b"--name", b"\xc3"], "--name"),
])
@pytest.mark.parametrize(("locale", "utf8_mode", "encoding"), [
    ("C.UTF-8", "0", "utf-8"),
    ("C", None, "utf-8"),            # Python's UTF-8 mode, on by itself in the C locale
    ("C", "0", "ascii"),             # and turned off: the locale's ASCII
])
def test_bytes_that_are_not_text_are_one_line_naming_the_argument(user_paths, args, named, locale,
                                                                   utf8_mode, encoding):
    result = subprocess.run([os.fsencode(sys.executable), b"-m", b"monitor", b"people", *args],
                            capture_output=True, env=env_for(user_paths, locale, utf8_mode), check=False,
                            timeout=60)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"unscroll: {named}: b'")
    assert lines[0].endswith(f"has bytes that are not {encoding} text; type it again in {encoding}")
    assert result.stdout == b""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_devices_pipes_and_large_files_are_refused_without_reading_them(run, user_paths, tmp_path):
    pipe = tmp_path / "contacts.vcf"
    os.mkfifo(pipe)
    opened = threading.Event()
    writer = threading.Thread(target=lambda: (pipe.open("wb").close(), opened.set()), daemon=True)
    writer.start()                         # would return if anyone opened the pipe for reading
    code, _, err = run("people", "import", str(pipe))
    assert one_line_error(code, err) == (f"unscroll: {pipe}: is a named pipe, not a file; only contacts "
                                         "files saved on disk are imported")
    assert not opened.wait(0.2)
    pipe.open("rb").close()                # let the writer go
    for device in (os.devnull, "/dev/zero"):                # /dev/zero would never end
        code, out, err = run("people", "import", device, "--dry-run")
        assert one_line_error(code, err) == (f"unscroll: {device}: is a device, not a file; only "
                                             "contacts files saved on disk are imported")
        assert out == ""                                    # one line in all: nothing more on stdout
    write_config(user_paths, '[people]\nimport_max = "1KB"\n')
    big = tmp_path / "big.vcf"
    big.write_text("BEGIN:VCARD\nFN:A\nEND:VCARD\n" * 100, encoding="utf-8")
    code, _, err = run("people", "import", str(big))
    assert one_line_error(code, err) == (f"unscroll: {big}: is 2.7 kB, more than people.import_max (1 kB); "
                                         "a contacts export is much smaller; if this one really is, raise "
                                         "import_max in your config.toml")
    assert listed(run) == []


# --- the [people] settings ------------------------------------------------------------------------

def test_people_settings_default_from_the_locale_and_bad_values_are_one_line(user_paths, monkeypatch):
    assert locale_region({"LANG": "en_GB.UTF-8"}) == "GB"
    assert locale_region({"LC_ALL": "de_AT.UTF-8", "LANG": "en_GB.UTF-8"}) == "AT"
    assert locale_region({"LANG": "C.UTF-8"}) is None
    assert locale_region({}) is None
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert load_settings(user_paths).people.default_region == "GB"
    assert load_settings(user_paths).people.import_max == 50_000_000
    assert (parse_size("512KiB", "x"), parse_size(2048, "x"), parse_size("1.5 GB", "x")) == (
        524288, 2048, 1_500_000_000)
    for text, expected in (('default_region = "XX"', "people.default_region: 'XX' is not a region"),
                           ('default_region = "Britain"',
                            "people.default_region: 'Britain' is not a two-letter"),
                           ('import_max = "lots"', "people.import_max: 'lots' is not a size like \"50MB\""),
                           ('import_max = 0', "people.import_max: 0 must be more than 0 bytes")):
        write_config(user_paths, f"[people]\n{text}\n")
        with pytest.raises(ConfigError) as caught:
            load_settings(user_paths)
        assert caught.value.message.startswith(f"{user_paths.config_file}: {expected}")
