"""``unscroll forget``: deleted history is gone from the database file and its -wal, for good."""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time, timedelta

import pytest

from monitor.core.days import day_start, local_zone
from monitor.history.forget import Selection, forget, title_pattern
from monitor.store.database import Store

SECRET = "Salary negotiation with ACME — Mozilla Firefox"
OTHER = "Quarterly plan - LibreOffice Writer"
TODAY = date.today()


def at(day: date, hour: int) -> float:
    return datetime.combine(day, time(hour), tzinfo=local_zone()).timestamp()


def raw_bytes(database) -> bytes:
    """Every byte of the database and its -wal, as a disk image would hold them."""
    found = b""
    for suffix in ("", "-wal"):
        path = database.with_name(database.name + suffix)
        if path.exists():
            found += path.read_bytes()
    return found


@pytest.fixture
def filled(user_paths):
    """Two days of spans, written through a connection that stays open like the daemon's."""
    daemon = Store(user_paths.database)
    yesterday = TODAY - timedelta(days=1)
    for day in (yesterday, TODAY):
        for hour in (9, 10, 11):
            daemon.insert_span(at(day, hour), at(day, hour) + 600, "firefox", SECRET, "uncategorized",
                               SECRET, "dev")
            daemon.insert_span(at(day, hour) + 600, at(day, hour) + 900, "soffice", OTHER, "work",
                               OTHER, "dev")
        daemon.connection.execute(
            "INSERT INTO prompts (at_utc, day, kind, category, message) VALUES (?, ?, 'over', 'social', "
            "'Social: 31 m of your 30 m')", (at(day, 12), day.isoformat()))
    yield daemon
    daemon.close()


def titles(database) -> list[str]:
    with Store(database) as store:
        return [row[0] for row in store.connection.execute("SELECT title FROM spans ORDER BY start_utc")]


def test_forgetting_a_title_leaves_no_byte_of_it_in_the_files(run, user_paths, filled):
    assert SECRET.encode() in raw_bytes(user_paths.database)
    code, out, err = run("forget", "--title", "salary", "--yes")
    assert code == 0, err
    assert "Forgot 6 spans (1 h 00 m)" in out
    assert SECRET.encode() not in raw_bytes(user_paths.database)
    assert b"Salary negotiation" not in raw_bytes(user_paths.database)
    assert titles(user_paths.database) == [OTHER] * 6
    # the daemon's connection keeps working on the rebuilt file
    filled.insert_span(at(TODAY, 13), at(TODAY, 13) + 5, "xterm", "after", "uncategorized", "after", "dev")
    assert titles(user_paths.database)[-1] == "after"
    assert filled.integrity_ok()


def test_the_freed_space_is_given_back(user_paths, filled):
    for hour in range(24 * 20):  # enough rows to span many pages
        filled.insert_span(at(TODAY, 0) - hour * 3600, at(TODAY, 0) - hour * 3600 + 60, "firefox",
                           f"{SECRET} #{hour} " + "x" * 200, "uncategorized", SECRET, "dev")
    with Store(user_paths.database) as store:
        result = forget(store, Selection(title=title_pattern("salary")), now=clock.time())
    assert result.spans == 6 + 24 * 20
    assert result.bytes_after < result.bytes_before / 2
    assert not user_paths.database.with_name("unscroll.sqlite3-wal").stat().st_size
    assert SECRET.encode() not in raw_bytes(user_paths.database)


def test_forgetting_one_app_on_one_day(run, user_paths, filled):
    code, out, err = run("forget", "--app", "SOFFICE", "--since", "today", "--until", "today", "--yes")
    assert code == 0, err
    assert "Forgot 3 spans" in out
    with Store(user_paths.database) as store:
        apps = store.connection.execute(
            "SELECT app, COUNT(*) FROM spans GROUP BY app ORDER BY app").fetchall()
        prompts = store.connection.execute("SELECT COUNT(*) FROM prompts").fetchone()[0]
    assert [tuple(row) for row in apps] == [("firefox", 6), ("soffice", 3)]
    assert prompts == 2  # app and title filters leave the notification records alone


def test_forgetting_a_period_takes_its_notifications_too(run, user_paths, filled):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    code, out, err = run("forget", "--until", yesterday, "--yes")
    assert code == 0, err
    assert "Forgot 6 spans" in out
    assert "1 notification record" in out
    with Store(user_paths.database) as store:
        first = store.connection.execute("SELECT MIN(start_utc) FROM spans").fetchone()[0]
        days = [row[0] for row in store.connection.execute("SELECT day FROM prompts")]
    assert first >= day_start(TODAY, time(4), local_zone()) - 3600 * 5
    assert days == [TODAY.isoformat()]


def test_forget_asks_first_and_a_no_keeps_everything(run, user_paths, filled):
    code, out, err = run("forget", "--title", "salary", answer="n\n")
    assert code == 1
    assert "Forget 6 spans (1 h 00 m) for good?" in out
    assert "Aborted" in err
    assert titles(user_paths.database).count(SECRET) == 6


@pytest.mark.parametrize(("args", "message"), [
    ((), "say what to forget"),
    (("--title", "(unclosed"), "--title: '(unclosed' is not a valid regular expression"),
    (("--since", "last tuesday"), "--since 'last tuesday' is not a date like 2026-03-01"),
    (("--since", "today", "--until", "yesterday"), "--until yesterday is before --since today"),
    (("--all", "--app", "firefox"), "--all deletes everything"),
])
def test_bad_requests_are_refused_with_one_line(run, user_paths, filled, args, message):
    code, _out, err = run("forget", *args, "--yes")
    assert code == 1
    assert message in err
    assert err.count("\n") == 1
    assert len(titles(user_paths.database)) == 12


def test_forget_all_removes_every_trace_after_confirming(run, user_paths, filled):
    user_paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    user_paths.config_file.write_text('[budgets]\nsocial = "20m"\n')
    user_paths.log_file.write_text("log\n")
    user_paths.log_file.with_name("unscroll.log.1").write_text("older log\n")
    (user_paths.reports_dir).mkdir()
    (user_paths.reports_dir / "week-2026-W10.png").write_bytes(b"png")
    user_paths.lock_file.write_text("")
    filled.close()

    code, out, _err = run("forget", "--all", answer="n\n")
    assert code == 1
    assert str(user_paths.database) in out
    assert user_paths.database.exists()

    code, out, err = run("forget", "--all", answer="y\n")
    assert code == 0, err
    assert not user_paths.data_dir.exists()
    assert not user_paths.config_file.exists()
    for path in (user_paths.database, user_paths.log_file, user_paths.reports_dir, user_paths.config_file):
        assert f"Deleted {path}" in out
    assert "autostart disable" in out
