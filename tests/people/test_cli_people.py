"""``unscroll people``, run through the real entry point with a private config and data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "contacts"
VCARDS40 = Path(__file__).resolve().parents[1] / "data" / "vcards40"


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


@pytest.fixture
def three(run):
    """Sam (most overdue), Ελένη (less), Loose (no frequency)."""
    for args in (
        ("Sam Lee", "--every", "2w", "--last-talked", "2024-01-10", "--email", "Sam@Example.com",
         "--tag", "friends", "--link", "https://signal.me/#p/+15550100"),
        ("Ελένη Παπαδοπούλου", "--every", "3mo", "--last-talked", "2024-03-01",
         "--phone", "+30 691 234 5678"),
        ("Loose", "--note", "met once"),
    ):
        code, out, err = run("people", "add", *args)
        assert code == 0, err
        assert out.startswith(f"Added {args[0]} (#")


def test_list_json_is_sorted_by_how_overdue_with_local_dates(run, three):
    people = listed(run)
    assert [person["name"] for person in people] == ["Sam Lee", "Ελένη Παπαδοπούλου", "Loose"]
    sam, eleni, loose = people
    assert {key: sam[key] for key in ("every_days", "last_talked", "due", "tags", "emails", "phones",
                                      "links", "notes")} == {
        "every_days": 14.0, "last_talked": "2024-01-10", "due": "2024-01-24", "tags": ["friends"],
        "emails": ["sam@example.com"], "phones": [], "links": ["https://signal.me/#p/+15550100"],
        "notes": ""}
    assert (eleni["every_days"], eleni["due"], eleni["phones"]) == (90.0, "2024-05-30", ["+306912345678"])
    assert (loose["every_days"], loose["last_talked"], loose["due"], loose["notes"]) == (
        None, None, None, "met once")


def test_list_filters_and_table(run, three):
    code, out, _ = run("people", "list", "--due", "--json")
    assert [person["name"] for person in json.loads(out)] == ["Sam Lee", "Ελένη Παπαδοπούλου"]
    code, out, _ = run("people", "list", "--tag", "FRIENDS", "--json")
    assert [person["name"] for person in json.loads(out)] == ["Sam Lee"]
    code, out, _ = run("people", "list")
    assert code == 0
    lines = out.splitlines()
    assert "Last talked" in lines[0]
    assert [line.split()[1] for line in lines[1:]] == ["Sam", "Ελένη", "Loose"]
    assert "2024-01-10" in lines[1]
    assert "overdue by" in lines[1]


def test_empty_list_says_how_to_add_people(run):
    code, out, _ = run("people", "list")
    assert code == 0
    assert 'unscroll people add "Name" --every 2w' in out
    assert listed(run) == []


def test_log_show_and_due_moves(run, three):
    code, out, err = run("people", "log", "sam", "--via", "call", "--note", "caught up",
                         "--when", "2024-02-01")
    assert code == 0, err
    assert out.strip() == "Logged a call with Sam Lee on 2024-02-01. Next due 2024-02-15."
    sam = listed(run)[0]
    assert (sam["last_talked"], sam["due"]) == ("2024-02-01", "2024-02-15")
    code, out, _ = run("people", "show", "SAM")
    assert code == 0
    assert out.splitlines()[0] == "Sam Lee (#1)"
    assert "2024-02-01  call      manual      caught up" in out
    assert "2024-01-10  other     manual" in out
    assert "sam@example.com" in out


def test_edit(run, three):
    code, out, err = run("people", "edit", "loose", "--every", "10d", "--tag", "work", "--name", "Loose End",
                         "--add-note", "call back")
    assert code == 0, err
    assert out.startswith("Updated Loose End (#3), every 10d")
    loose = next(person for person in listed(run) if person["name"] == "Loose End")
    assert (loose["every_days"], loose["tags"], loose["notes"]) == (10.0, ["work"], "met once\ncall back")
    code, _, _ = run("people", "edit", "loose", "--every", "off", "--untag", "work")
    loose = next(person for person in listed(run) if person["name"] == "Loose End")
    assert (loose["every_days"], loose["tags"]) == (None, [])
    code, _, err = run("people", "edit", "loose")
    assert "nothing to change" in one_line_error(code, err)


@pytest.mark.parametrize(("args", "expected"), [
    (("people", "log", "l"), "'l' matches 2 people: Loose (#3), Sam Lee (#1, sam@example.com); "
                             "use more of the name, or #number"),
    (("people", "show", "nobody"), "no one matches 'nobody'"),
    (("people", "add", "Bob", "--every", "3m"), "'3m' is ambiguous"),
    (("people", "add", "Bob", "--last-talked", "2999-01-01"), "is in the future"),
    (("people", "log", "sam", "--when", "2999-01-01"), "is in the future"),
    (("people", "log", "sam", "--via", "pigeon"), "--via: 'pigeon' is not one of"),
    (("people", "add", "sam lee"), "already in your list"),
    (("people", "remove", "zzz", "--yes"), "no one matches 'zzz'"),
])
def test_bad_input_is_one_clear_line_and_changes_nothing(run, three, args, expected):
    before = listed(run)
    code, _, err = run(*args)
    assert expected in one_line_error(code, err)
    assert listed(run) == before


def test_remove_asks_first(run, three):
    code, out, err = run("people", "remove", "sam", answer="n\n")
    assert code == 1
    assert "Remove Sam Lee (#1) and 1 logged interaction?" in out
    assert "Aborted." in err
    assert len(listed(run)) == 3
    code, out, _ = run("people", "remove", "sam", answer="y\n")
    assert code == 0
    assert "Removed Sam Lee." in out
    code, out, _ = run("people", "remove", "loose", "--yes")
    assert code == 0
    assert "Removed Loose." in out
    assert [person["name"] for person in listed(run)] == ["Ελένη Παπαδοπούλου"]


def corpus_files() -> list[str]:
    return [str(path) for path in sorted(VCARDS40.glob("*.vcf"))]


def test_import_several_files_in_one_run_with_a_summary(run):
    files = [*corpus_files(), str(DATA / "hubspot-contacts.csv"), str(DATA / "google-contacts.csv")]
    code, out, err = run("people", "import", *files, "--tag", "imported")
    assert code == 0, err
    assert err == ""
    assert "vcard40-cut-short.vcf (vCard): 1 added, 0 merged, 0 unchanged, 1 skipped" in out
    assert "vcard40-cut-short.vcf line 7 (Ruth Ab): the card is cut off: no END:VCARD" in out
    assert ("hubspot-contacts.csv line 4 (Future Person): Last Contacted 2999-01-01 09:00 is in the "
            "future; imported without it") in out                    # the row imports, the date does not
    assert "google-contacts.csv line 7: the row has no name, email or phone" in out
    total = out.strip().splitlines()[-1]
    assert total == "Total: 10 added, 1 merged, 0 unchanged, 2 skipped"   # Sam Lee: HubSpot then Google
    people = listed(run)
    assert all("imported" in person["tags"] for person in people)
    assert next(p for p in people if p["name"] == "山田 太郎")["last_talked"] == "2024-03-15"
    code, out, _ = run("people", "import", *files, "--tag", "imported")
    assert code == 0
    assert out.strip().splitlines()[-1] == "Total: 0 added, 0 merged, 11 unchanged, 2 skipped"
    assert listed(run) == people


def test_import_with_an_unreadable_file_still_imports_the_rest_and_exits_1(run, tmp_path):
    missing = tmp_path / "missing.vcf"
    code, out, err = run("people", "import", str(missing), str(DATA / "unknown-layout.csv"),
                         str(DATA / "broken-middle.vcf"))
    assert code == 1
    errors = err.strip().splitlines()
    assert errors[0] == f"unscroll: {missing}: cannot be read: No such file or directory"
    assert errors[1].startswith(f"unscroll: {DATA / 'unknown-layout.csv'}: unknown CSV layout; its headers "
                                "are 'Full name', 'Mail', 'Mobile', 'Birthday'. Known layouts: ")
    assert "broken-middle.vcf (vCard): 2 added" in out
    assert f"{missing}: not imported" in out
    assert out.strip().splitlines()[-1] == (
        "Total: 2 added, 0 merged, 0 unchanged, 1 skipped, 2 files not imported")
    assert {person["name"] for person in listed(run)} == {"Amara Okafor", "Zoë Ångström"}


def env_for(user_paths, **extra: str) -> dict[str, str]:
    return dict(os.environ, UNSCROLL_CONFIG=str(user_paths.config_file),
                UNSCROLL_DATA_DIR=str(user_paths.data_dir), **extra)


def test_long_imports_show_a_progress_bar_on_a_terminal(user_paths, tmp_path):
    cards = "".join(f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {n}\nEMAIL:p{n}@example.com\nEND:VCARD\n"
                    for n in range(150))
    big = tmp_path / "big.vcf"
    big.write_text(cards, encoding="utf-8")
    small = DATA / "broken-middle.vcf"
    env = env_for(user_paths, TTY_COMPATIBLE="1", TTY_INTERACTIVE="1")
    result = subprocess.run([sys.executable, "-m", "monitor", "people", "import", str(big), str(small)],
                            capture_output=True, text=True, env=env, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Importing big.vcf" in result.stderr
    assert "Importing broken-middle.vcf" not in result.stderr    # short imports show no bar
    assert "big.vcf (vCard): 150 added" in result.stdout


def test_real_process_error_is_one_line_and_exit_1(user_paths):
    result = subprocess.run([sys.executable, "-m", "monitor", "people", "log", "nobody"],
                            capture_output=True, text=True, env=env_for(user_paths), check=False,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "unscroll: no one matches 'nobody': your list is empty; add someone with "
        'unscroll people add "Name" --every 2w']
