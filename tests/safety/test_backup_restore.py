"""`netterm backup` and `netterm restore`: consistent online copies; validated restores
that keep what they replace."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess

import pytest
from safety_kit import (
    call,
    counts,
    damage,
    dump,
    env,
    integrity,
    kill_midway,
    make_network,
    netterm,
    printed,
    python,
    run,
    stale,
)

from netterm.store.migrations import SCHEMA_VERSION


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def cli(tmp_path, capsys):
    """cli("backup") on tmp_path/netterm.db, a network of two: (code, out, err)."""
    path = tmp_path / "netterm.db"
    make_network(path)

    def invoke(*args: str, db=None) -> tuple[int, str, str]:
        return call(capsys, db or path, *args)

    invoke.path = path
    return invoke


# --------------------------------------------------------------------------- backup


def test_backup_goes_to_a_timestamped_private_file_beside_the_database(cli):
    code, out, err = cli("backup")
    copy = cli.path.parent / "backups" / "netterm-20261126-120000.db"
    assert (code, err) == (0, "")
    assert out.startswith(f"Backed up {cli.path} (2 contacts, 2 touches, ")
    assert f" to {copy} in " in out
    assert dump(copy) == dump(cli.path)
    assert mode(copy) == 0o600 and mode(copy.parent) == 0o700
    # a second one the same second gets its own name
    assert cli("backup")[0] == 0
    assert (copy.parent / "netterm-20261126-120000-2.db").exists()


def test_backup_to_a_folder_or_a_file(cli, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    assert cli("backup", str(folder))[0] == 0
    assert (folder / "netterm-20261126-120000.db").exists()
    target = tmp_path / "mine.db"
    assert cli("backup", str(target))[0] == 0
    assert dump(target) == dump(cli.path) and mode(target) == 0o600
    cli("log", "lunch", "ana")
    code, _, err = cli("backup", str(target))
    assert code == 1
    assert err == f"netterm: error: {target} already exists; choose another name, or use --force\n"
    assert cli("backup", str(target), "--force")[0] == 0
    assert dump(target) == dump(cli.path)
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "is the database itself; choose another file"),
        (lambda p: p.parent / "nowhere" / "x.db", "no folder"),
    ],
)
def test_backup_refusals(cli, make, message):
    code, _, err = cli("backup", str(make(cli.path)))
    assert code == 1 and message in err and err.count("\n") == 1


def test_backup_of_a_missing_or_damaged_database(cli, tmp_path):
    code, _, err = cli("backup", db=tmp_path / "none.db")
    assert (code, err) == (1, f"netterm: error: no database at {tmp_path / 'none.db'}\n")
    assert not (tmp_path / "none.db").exists()
    damage(cli.path)
    code, _, err = cli("backup")
    assert code == 1
    assert err.startswith(f"netterm: error: no backup was written: {cli.path} is damaged")
    assert list((cli.path.parent / "backups").iterdir()) == []


WRITER = """
import sys
from netterm import services
from netterm.store import open_database

open_database(sys.argv[1])
i = 0
while True:
    services.log_touch(1, "email", note=f"busy {i}", awaiting_reply=True)
    services.update_contact(2, job_title=f"T{i}", job_change="new_job")
    print(i, flush=True)
    i += 1
"""


def test_backups_are_consistent_while_another_process_writes(cli, tmp_path):
    """Copies taken while a writer commits in a loop: each is whole, none blocks it."""
    out = tmp_path / "writer.out"
    sizes = []
    with open(out, "wb") as fh:
        writer = subprocess.Popen(python(WRITER, cli.path), stdout=fh, env=env())
        try:
            assert_eventually(printed(out, 5))
            for n in range(5):
                target = tmp_path / f"b{n}.db"
                code, _, err = cli("backup", str(target))
                assert (code, err) == (0, "")
                sizes.append(counts(target)["interaction"])
                assert integrity(target) == "ok"
                assert stale(target) == []  # no half transaction: the cache matches
        finally:
            writer.kill()
            writer.wait()
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]  # the writer kept going


def assert_eventually(condition, seconds: float = 20) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_backup_does_not_wait_for_an_open_write_transaction(cli, tmp_path):
    """Another connection is midway through a transaction: the backup is taken at once
    and holds the last committed state."""
    before = dump(cli.path)
    other = sqlite3.connect(cli.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE contact SET notes = 'uncommitted'")
    try:
        code, _, err = cli("backup", str(tmp_path / "during.db"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (code, err) == (0, "")
    assert dump(tmp_path / "during.db") == before


# --------------------------------------------------------------------------- restore


def replaced(path):
    return sorted(path.parent.glob(f"{path.stem}-replaced-*"))


def test_restore_replaces_and_keeps_the_replaced_database(cli, tmp_path):
    backup = tmp_path / "good.db"
    assert cli("backup", str(backup))[0] == 0
    cli("add", "Carla Dias")
    cli("log", "lunch", "carla")
    current = dump(cli.path)
    code, out, err = cli("restore", str(backup), "--yes")
    [kept] = replaced(cli.path)
    assert (code, err) == (0, "")
    first, second = out.splitlines()
    assert first.startswith(f"Restored {backup} into {cli.path}: 2 contacts, 2 touches, ")
    assert second == f"The database it replaced is kept at {kept}."
    assert kept.name == "netterm-replaced-20261126-120000.db" and mode(kept) == 0o600
    assert dump(kept) == current
    assert dump(cli.path) == dump(backup)
    assert stale(cli.path) == []
    # and back again: the kept file is itself a valid backup
    assert cli("restore", str(kept), "--yes")[0] == 0
    assert dump(cli.path) == current


def newer(path):
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version (version, applied_at) VALUES (9, 'x')")
    con.commit()
    con.close()


def foreign(path):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (x)")
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (
            lambda p: p.write_text("not a database"),
            "is not a netterm database (not an SQLite file)",
        ),
        (foreign, "is an SQLite file but not a netterm database; nothing was changed"),
        (
            newer,
            f"was written by a newer netterm (schema 9; this one knows up to {SCHEMA_VERSION})",
        ),
        (None, "no backup at"),
    ],
    ids=["text", "foreign", "newer", "missing"],
)
def test_restore_refuses_a_bad_candidate_and_changes_nothing(cli, tmp_path, prepare, message):
    candidate = tmp_path / "candidate.db"
    if prepare is newer:
        cli("backup", str(candidate))
    if prepare is not None:
        prepare(candidate)
    before = dump(cli.path)
    code, out, err = cli("restore", str(candidate), "--yes")
    assert code == 1 and out == ""
    assert err.startswith("netterm: error: ") and message in err and err.count("\n") == 1
    assert dump(cli.path) == before
    assert replaced(cli.path) == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".restore")] == []


def test_restore_refuses_a_damaged_backup(cli, tmp_path):
    candidate = tmp_path / "damaged.db"
    cli("backup", str(candidate))
    damage(candidate, "contact")
    before = dump(cli.path)
    code, _, err = cli("restore", str(candidate), "--yes")
    assert code == 1
    assert f"{candidate}" in err and "damaged" in err and "nothing was changed" in err
    assert dump(cli.path) == before and replaced(cli.path) == []


def test_restore_refuses_the_database_itself(cli):
    code, _, err = cli("restore", str(cli.path), "--yes")
    assert code == 1 and "is the database itself" in err


def test_restore_over_a_damaged_database_keeps_its_bytes(cli, tmp_path):
    backup = tmp_path / "good.db"
    cli("backup", str(backup))
    damage(cli.path)
    damaged = cli.path.read_bytes()
    code, _, err = cli("restore", str(backup), "--yes")
    assert code == 0, err
    [kept] = replaced(cli.path)
    assert kept.read_bytes() == damaged  # moved aside untouched, for a rescue attempt
    assert dump(cli.path) == dump(backup) and integrity(cli.path) == "ok"


def test_the_open_app_sees_a_restore_at_once(cli, tmp_path):
    from netterm import services
    from netterm.store import close_database, open_database
    from netterm.store.models import database

    backup = tmp_path / "good.db"
    cli("backup", str(backup))
    open_database(cli.path)  # the app
    try:
        services.add_contact("Carla Dias")
        version = database.execute_sql("PRAGMA data_version").fetchone()[0]
        result = run(netterm(cli.path, "restore", str(backup), "--yes"))
        assert result.returncode == 0, result.stderr
        assert database.execute_sql("PRAGMA data_version").fetchone()[0] != version
        assert [r.name for r in services.load_network().rows] == ["Ana Silva", "Bruno Costa"]
        services.log_touch(services.resolve("ana"), "call")  # and it keeps working
    finally:
        close_database()
    assert counts(cli.path)["interaction"] == 3 and integrity(cli.path) == "ok"


def test_restore_asks_first_and_an_answer_of_no_changes_nothing(cli, tmp_path):
    backup = tmp_path / "good.db"
    cli("backup", str(backup))
    cli("add", "Carla Dias")
    before = dump(cli.path)
    no = run(netterm(cli.path, "restore", str(backup)), input="n\n")
    assert no.returncode == 1 and no.stderr == "netterm: aborted\n"
    assert f"Replace {cli.path} (3 contacts, 2 touches, " in no.stdout
    assert dump(cli.path) == before and replaced(cli.path) == []
    closed = run(netterm(cli.path, "restore", str(backup)), stdin=subprocess.DEVNULL)
    assert closed.returncode == 1 and dump(cli.path) == before
    yes = run(netterm(cli.path, "restore", str(backup)), input="y\n")
    assert yes.returncode == 0 and dump(cli.path) == dump(backup)


def test_restoring_an_older_backup_upgrades_it(cli, tmp_path, monkeypatch):
    import peewee as pw
    from playhouse.migrate import migrate

    from netterm.store import migrations
    from netterm.store.migrations import Migration

    old = tmp_path / "old.db"
    cli("backup", str(old))  # today's schema
    current = migrations.SCHEMA_VERSION

    def nick(migrator, db):
        migrate(migrator.add_column("contact", "nickname", pw.TextField(default="")))

    monkeypatch.setitem(migrations.MIGRATIONS, current + 1, Migration("nick", nick))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    code, out, err = cli("restore", str(old), "--yes")
    assert code == 0, err
    assert f"Upgraded it from schema {current} to {current + 1}" in out
    con = sqlite3.connect(cli.path)
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == current + 1
    con.close()
    assert len(list(cli.path.parent.glob("netterm-before-upgrade-*"))) == 1


def test_restore_without_a_path_lists_the_backups(cli, tmp_path):
    code, out, _ = cli("restore")
    assert code == 0 and out.startswith(f"No backup of {cli.path} yet.")
    cli("backup")
    cli("restore", str(cli.path.parent / "backups" / "netterm-20261126-120000.db"), "--yes")
    code, out, _ = cli("restore")
    lines = out.splitlines()
    assert lines[0] == f"Backups of {cli.path}, newest first:"
    assert len(lines) == 4 and lines[-1] == "Restore one with: netterm restore PATH"
    assert any("backups/netterm-20261126-120000.db" in line for line in lines)
    assert any("netterm-replaced-20261126-120000.db" in line for line in lines)


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_help(cli, command):
    code, out, _ = cli(command, "--help")
    assert code == 0 and out.startswith(f"Usage: netterm {command} [OPTIONS] [PATH]")


def test_a_restore_killed_before_it_replaces_leaves_only_a_temporary_file(cli, tmp_path):
    """SIGKILL while the candidate is being checked: the database is untouched, and
    the next restore works."""
    big = tmp_path / "big.db"
    assert run(netterm(big, "demo", "--size", "2000")).returncode == 0
    before = dump(cli.path)
    crash = kill_midway(
        netterm(cli.path, "restore", str(big), "--yes"),
        when=lambda: any(p.name.startswith(".restore") for p in cli.path.parent.iterdir()),
        poll=0.0005,
    )
    assert crash.killed_while_running
    assert dump(cli.path) == before
    assert cli("restore", str(big), "--yes")[0] == 0
    assert counts(cli.path) == counts(big)
    # the killed run's temporary copy (private data) was cleaned up by the next one
    assert [p.name for p in cli.path.parent.iterdir() if p.name.startswith(".")] == []
