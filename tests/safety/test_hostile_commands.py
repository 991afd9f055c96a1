"""Hostile arguments, settings, environment and damaged databases for the commands, and
the app's crash handling. Each refused case: exit code 1, one `netterm: error: …` line,
no traceback, the database byte-identical. In this process (fast), except where a real
environment variable or process is the point.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from safety_kit import (
    call,
    damage,
    damage_mid_page,
    dump_or_none,
    env,
    make_network,
    netterm,
    one_error_line,
    run,
)

from netterm.config import SETTINGS, parse_setting


@pytest.fixture
def net(tmp_path):
    path = tmp_path / "n.db"
    make_network(path)
    return path


def refused(capsys, db: Path, *args: str) -> str:
    before_dump = dump_or_none(db)
    before = db.read_bytes() if db.is_file() else None
    code, out, err = call(capsys, db, *args)
    assert code == 1, (args, code, out, err)
    assert "Traceback" not in out + err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netterm: error: "), (args, err)
    assert "unexpected error" not in lines[0], lines[0]  # a bug, not a refusal
    if before is not None:
        assert dump_or_none(db) == before_dump
        assert db.read_bytes() == before
    return lines[0]


# --------------------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("policy.weight_tier1", "nan", "takes a number"),
        ("policy.weight_tier1", "inf", "takes a number"),
        ("policy.weight_tier1", "-inf", "takes a number"),
        ("policy.weight_tier1", "1e308", "takes a number"),
        ("policy.weight_tier2", "0", "must be from 0.1 to 100"),
        ("policy.cadence_tier2", "100000000", "must be from 1 to 3650"),
        ("policy.cadence_tier2", "1" + "0" * 19, "takes a whole number"),
        ("policy.cadence_tier1", "-1", "must be from 1 to 3650"),
        ("policy.cadence_tier1", "0", "must be from 1 to 3650"),
        ("policy.cadence_tier1", "1_000", "takes a whole number"),
        ("policy.cadence_tier1", "0x10", "takes a whole number"),
        ("policy.cadence_tier1", "12.5", "takes a whole number"),
        ("policy.cadence_tier1", "", "takes a whole number"),
        ("policy.unresponsive_after", "21", "must be from 1 to 20"),
        ("policy.due_soon_days", "\u0663", "takes a whole number"),  # an Arabic-Indic 3
        ("foo.bar", "1", "unknown setting 'foo.bar'"),
        ("policy.nope", "1", "unknown setting 'policy.nope'"),
    ],
)
def test_a_setting_outside_its_schema_is_refused(capsys, net, key, value, expected):
    line = refused(capsys, net, "settings", key, value)
    assert expected in line, line


def test_every_setting_has_a_range_and_its_default_is_inside_it():
    from netterm.config import DEFAULT_POLICY, POLICY_FIELDS

    assert {f"policy.{n}" for n in POLICY_FIELDS} <= set(SETTINGS)
    for name in POLICY_FIELDS:
        default = getattr(DEFAULT_POLICY, name)
        assert parse_setting(f"policy.{name}", str(default)) == default


def test_a_bad_value_already_in_the_file_falls_back_to_the_default(capsys, net):
    """A value written by hand or an older netterm never breaks `due`, `list` or the app."""
    con = sqlite3.connect(net)
    for key, value in (
        ("policy.weight_tier1", "NaN"),
        ("policy.cadence_tier2", "100000000"),
        ("policy.cadence_tier3", "1e400"),
        ("policy.due_soon_days", '"soon"'),
    ):
        con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, value))
    con.commit()
    con.close()
    for args in (("due",), ("list", "--json"), ("show", "ana"), ("settings",)):
        code, _, err = call(capsys, net, *args)
        assert code == 0, (args, err)
    assert "policy.weight_tier1 = 3.0" in call(capsys, net, "settings")[1]


def test_a_negative_number_is_a_value_not_an_option(capsys, net):
    line = refused(capsys, net, "settings", "policy.cadence_tier1", "-5")
    assert "No such option" not in line and "must be from 1 to 3650" in line


def test_a_good_setting_is_stored_and_shown(capsys, net):
    code, out, _ = call(capsys, net, "settings", "policy.weight_tier1", "2.5")
    assert code == 0 and out == "policy.weight_tier1 = 2.5\n"


# --------------------------------------------------------------------------- ids and names


@pytest.mark.parametrize(
    "who", ["#³", "#²", "#\u0663", "#12345678901234567890123", "#9223372036854775808", "#-1"]
)
@pytest.mark.parametrize("command", [("show",), ("log", "coffee"), ("edit",)])
def test_odd_ids_are_not_found_not_a_traceback(capsys, net, who, command):
    args = (*command, who) + (("--title", "x") if command == ("edit",) else ())
    line = refused(capsys, net, *args)
    assert "#" in line or "who" in line


@pytest.mark.parametrize("number", ["12345678901234567890123", "9223372036854775808", "0", "-1"])
def test_odd_follow_up_ids_are_refused(capsys, net, number):
    line = refused(capsys, net, "done", number)
    assert "ID" in line or "follow-up" in line


@pytest.mark.parametrize("limit", ["12345678901234567890123", "0", "-3"])
def test_odd_limits_are_refused(capsys, net, limit):
    refused(capsys, net, "list", "--limit", limit)


# --------------------------------------------------------------------------- environment


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("NETTERM_TZ", "Nowhere/Atlantis", "NETTERM_TZ='Nowhere/Atlantis' is not a time zone"),
        ("NETTERM_TZ", "../../etc/passwd", "is not a time zone"),
        ("NETTERM_TZ", "\x1b[2J", "is not a time zone"),
        ("NETTERM_NOW", "garbage", "NETTERM_NOW='garbage' is not a date and time"),
        ("NETTERM_NOW", "99999-99-99", "is not a date and time"),
        ("NETTERM_NOW", "P3D", "is not a date and time"),
    ],
)
def test_an_invalid_environment_is_one_line(capsys, net, monkeypatch, name, value, expected):
    from netterm.config import clock

    clock.set(None)  # the conftest pins the clock; here the environment must be read
    monkeypatch.setenv(name, value)
    for args in (("due",), ("add", "Zé"), ("settings",)):
        line = refused(capsys, net, *args)
        assert expected in line, line
        assert "\x1b" not in line


def test_an_invalid_timezone_fails_in_a_real_process_too(tmp_path):
    db = tmp_path / "n.db"
    result = run(netterm(db, "due"), env=env(NETTERM_TZ="Mars/Olympus"))
    assert "NETTERM_TZ='Mars/Olympus' is not a time zone" in one_error_line(result)
    assert not db.exists()


# --------------------------------------------------------------------------- damaged files


@pytest.fixture
def damaged(tmp_path):
    from netterm import services
    from netterm.store import close_database, open_database

    path = tmp_path / "d.db"
    open_database(path)
    try:
        for i in range(120):
            cid = services.add_contact(f"Person {i}", tier=1, notes="private " * 30)
            services.log_touch(cid, "coffee", "3 days ago", note="a private note " * 5)
    finally:
        close_database()
    damage_mid_page(path)
    return path


def test_after_a_malformed_error_no_command_writes_into_the_file(capsys, damaged):
    line = refused(capsys, damaged, "list")
    assert "is damaged (" in line and "`netterm restore PATH`" in line
    marker = damaged.with_name(damaged.name + "-damaged")
    assert marker.exists() and stat.S_IMODE(marker.stat().st_mode) == 0o600
    for args in (
        ("add", "Zed"),
        ("log", "coffee", "#3"),
        ("edit", "#4", "--title", "CTO"),
        ("settings", "policy.cadence_tier1", "60"),
        ("tier", "#5", "2"),
        ("archive", "#6"),
    ):
        line = refused(capsys, damaged, *args)
        assert "is damaged" in line and "nothing is written into it" in line, line


def test_a_damaged_file_is_not_backed_up(capsys, damaged, tmp_path):
    line = refused(capsys, damaged, "backup", str(tmp_path / "copy.db"))
    assert "no backup was written" in line and "damaged" in line
    assert not (tmp_path / "copy.db").exists()


def test_restoring_a_backup_clears_the_damage(capsys, tmp_path):
    good = tmp_path / "good.db"
    make_network(good)
    bad = tmp_path / "n.db"
    make_network(bad)
    damage(bad, "interaction")
    refused(capsys, bad, "show", "ana")
    assert bad.with_name("n.db-damaged").exists()
    code, _, err = call(capsys, bad, "restore", str(good), "--yes")
    assert code == 0, err
    assert not bad.with_name("n.db-damaged").exists()
    code, _, err = call(capsys, bad, "add", "Zé")
    assert code == 0, err


@pytest.mark.parametrize("table", ["follow_up", "interaction", "contact_state"])
def test_a_database_missing_a_table_is_damaged(capsys, net, table, tmp_path):
    con = sqlite3.connect(net)
    con.execute(f"DROP TABLE {table}")
    con.commit()
    con.close()
    for args in (("due",), ("add", "Zé"), ("backup", str(tmp_path / "b.db"))):
        line = refused(capsys, net, *args)
        assert f"the table {table} is missing" in line, line
    assert not (tmp_path / "b.db").exists()


# --------------------------------------------------------------------------- the crash log


def test_an_unexpected_error_in_a_command_goes_to_the_private_log(
    capsys, net, tmp_path, monkeypatch
):
    log = tmp_path / "logs" / "crash.log"
    monkeypatch.setenv("NETTERM_CRASH_LOG", str(log))
    from netterm import services

    secret = "".join(["Ana's ", "private ", "diagnosis"])

    def broken(*args, **kwargs):
        note = secret  # noqa: F841 - a local a traceback with locals would print
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "triage", broken)
    code, out, err = call(capsys, net, "due")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines == [
        f"netterm: error: an unexpected error (RuntimeError); this is a bug in netterm. "
        f"details in {log}"
    ]
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    text = log.read_text()
    assert "RuntimeError: boom" in text and secret not in text


async def test_an_unexpected_error_in_the_app_shows_no_locals(tmp_path, monkeypatch, capsys):
    from netterm.store import close_database, open_database
    from netterm.tui.application import NettermApp

    log = tmp_path / "crash.log"
    monkeypatch.setenv("NETTERM_CRASH_LOG", str(log))
    path = tmp_path / "a.db"
    make_network(path)
    open_database(path)
    secret = "".join(["Ana's ", "private ", "diagnosis"])
    app = NettermApp(path, watch=False)
    try:
        with pytest.raises(RuntimeError):
            async with app.run_test() as pilot:

                def boom() -> None:
                    note = secret  # noqa: F841
                    raise RuntimeError("boom")

                app.call_later(boom)
                await pilot.pause()
                await pilot.pause()
    finally:
        close_database()
    assert app.return_code == 1
    assert app.crash_line.startswith("an unexpected error (RuntimeError)")
    assert str(log) in app.crash_line
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert secret not in log.read_text()
    out, err = capsys.readouterr()
    assert secret not in out + err and "Traceback" not in out + err


def test_run_prints_one_line_and_exits_1_after_a_crash(monkeypatch, capsys):
    from netterm.tui import app as entry

    class Crashed:
        crash_line = "the database x is damaged (malformed). details in /tmp/crash.log"

        def run(self):
            return None

    monkeypatch.setattr(entry, "build", lambda path, screen, **how: Crashed())
    with pytest.raises(SystemExit) as exit_:
        entry.run("x.db")
    assert exit_.value.code == 1
    assert capsys.readouterr().err == f"netterm: error: {Crashed.crash_line}\n"


def test_the_crash_log_is_capped(tmp_path, monkeypatch):
    from netterm import crash

    log = tmp_path / "crash.log"
    monkeypatch.setenv("NETTERM_CRASH_LOG", str(log))
    monkeypatch.setattr(crash, "MAX_BYTES", 20_000)
    for i in range(100):
        try:
            raise ValueError(f"error {i}")
        except ValueError as exc:
            crash.write(exc)
    assert log.stat().st_size <= 20_000
    assert "error 99" in log.read_text()


def test_a_symlinked_crash_log_is_not_followed(tmp_path, monkeypatch):
    from netterm import crash

    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n")
    log = tmp_path / "crash.log"
    log.symlink_to(target)
    monkeypatch.setenv("NETTERM_CRASH_LOG", str(log))
    try:
        raise ValueError("x")
    except ValueError as exc:
        assert crash.write(exc) is None
    assert target.read_text() == "keep me\n"
    assert os.path.islink(log)


# --------------------------------------------------------------------------- odd input, wrong results


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("log", "coffee", "ana", "--gave", "--received"), "--gave and --received contradict"),
        (("log", "coffee", "ana", "--in", "--out"), "--in and --out contradict"),
        (("log", "coffee", "ana", "--out", "--mutual"), "--out and --mutual contradict"),
        (("log", "coffee", "ana", "--in-person", "--remote"), "--in-person and --remote"),
        (("add", "Zé", "--category", ""), "a category needs a name"),
        (("add", "Zé", "--category", "  "), "a category needs a name"),
        (("edit", "ana", "--add-category", ""), "a category needs a name"),
        (("edit", "ana", "--remove-category", "nosuch"), "has no category 'nosuch'"),
        (("unarchive", "ana"), "is not archived; nothing changed"),
        (("resume", "ana"), "is not paused; nothing changed"),
        (("log", "coffee", "ana", "--when", "0001-01-01"), "out of range"),
        (("log", "coffee", "ana", "--when", "1899-12-31"), "out of range"),
        (("add", "Zé", "--met-on", "0001-01-01"), "out of range"),
        (("follow-up", "ana", "9999-12-31", "call"), "out of range"),
        (("pause", "ana", "--until", "9999-12-31"), "out of range"),
        (("add", "x" * 1_000_000), "at most 200"),
        (("add", "Zé", "--notes", "n" * 100_001), "at most 100,000"),
        (("add", "Zé", "--company", "c" * 301), "at most 300"),
        (("log", "coffee", "ana", "--note", "n" * 20_001), "at most 20,000"),
        (("follow-up", "ana", "tomorrow", "t" * 2_001), "at most 2,000"),
        (("list", "foo:bar"), "unknown qualifier 'foo:'"),
        (("list", "tier:"), "'tier:' needs a value"),
        (("list", "is:"), "'is:' needs a value"),
        (("list", '"acme'), "unbalanced quote"),
        (("list", "--state", ""), "'is:' needs a value"),
        (("list", "--tier", ""), "'tier:' needs a value"),
        (("list", "--stat", "x"), "No such option '--stat'"),
    ],
)
def test_odd_input_is_refused_not_half_applied(capsys, net, args, expected):
    line = refused(capsys, net, *args)
    assert expected in line, line


def test_a_negated_qualifier_after_a_word_is_a_query_not_an_option(capsys, net):
    code, out, err = call(capsys, net, "pause", "bruno")
    assert code == 0, err
    code, out, err = call(capsys, net, "list", "acme", "-is:paused")
    assert code == 0, err
    assert "Ana Silva" in out and "Bruno" not in out


def test_one_linkedin_profile_on_two_rows_is_one_person_and_no_job_change(capsys, net, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Zé,Ninguém,https://www.linkedin.com/in/ze-n,,Acme,CTO,08 Feb 2026\n"
        "Zé,Ninguém,https://www.linkedin.com/in/ze-n,,Globex,CEO,08 Feb 2026\n"
    )
    code, out, err = call(capsys, net, "import", "linkedin", str(path))
    assert code == 0, err
    assert "Added 1" in out and "changed job" not in out and "Job changes" not in out
    detail = call(capsys, net, "show", "zé", "--json")[1]
    assert '"company": "Acme"' in detail and "Globex" not in detail


def test_a_megabyte_name_in_an_import_stops_it_at_its_line(capsys, net, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Zé,Ninguém,,,Acme,CTO,08 Feb 2026\n"
        f"{'x' * 100_000},Long,,,Acme,CTO,08 Feb 2026\n"
    )
    line = refused(capsys, net, "import", "linkedin", str(path))
    assert line.startswith(f"netterm: error: {path}:3: first name is 100,000 characters long")


BIDI = "\u202e\u2066\u2069\u200f\u061c"


def test_bidirectional_controls_never_reach_the_terminal(capsys, net):
    code, _, err = call(capsys, net, "add", f"Mallory {BIDI}gpj.exe", "--notes", f"a{BIDI}b")
    assert code == 0, err
    for args in (
        ("list",),
        ("show", "mallory"),
        ("due",),
        ("list", "--json"),
        ("show", "mallory", "--json"),
    ):
        code, out, err = call(capsys, net, *args)
        assert code == 0, err
        assert not set(BIDI) & set(out + err), args
    line = refused(capsys, net, "log", "coffee", f"nobody{BIDI}")
    assert not set(BIDI) & set(line)


def test_a_killed_backup_or_restore_leaves_nothing_after_the_next_command(capsys, net):
    dead = 2**22 + 12345  # a pid no process has (pid_max is at most 4,194,304)
    leftovers = [
        net.parent / f".restore-{dead}.db",
        net.parent / "backups" / f".partial-{dead}.db",
    ]
    leftovers[1].parent.mkdir()
    for p in leftovers:
        p.write_bytes(b"x" * 1000)
    code, _, err = call(capsys, net, "due")
    assert code == 0, err
    assert not any(p.exists() for p in leftovers)
