"""The safety guarantees on PostgreSQL: concurrent writers from several processes, a
writer killed midway, schema upgrades (a portable copy first, all or nothing), and
moving a network between engines (`netterm db copy`, `netterm backup`)."""

from __future__ import annotations

import subprocess
import time

import peewee as pw
import pytest
from engines import raw_connect, snapshot
from playhouse.migrate import migrate
from safety_kit import call, env, kill_midway, netterm, python

from netterm import services as svc
from netterm.errors import StoreError
from netterm.services import stats
from netterm.store import close_database, migrations, open_database
from netterm.store.db import schema_version
from netterm.store.location import PostgresURL
from netterm.store.migrations import Migration
from netterm.store.models import database


@pytest.fixture
def url(pg_cluster):
    name = pg_cluster.create_database()
    yield PostgresURL(pg_cluster.url(name))
    close_database()
    pg_cluster.drop_database(name)


def count(url, table: str) -> int:
    con = raw_connect(url)
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_separate_processes_log_at_the_same_time(url, capsys):
    assert call(capsys, url, "add", "Ana Silva", "--tier", "1")[0] == 0
    procs = [
        subprocess.Popen(
            netterm(url.conninfo, "log", "email", "ana silva", "--note", f"writer {i}"),
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    results = [(*p.communicate(timeout=120), p.returncode) for p in procs]
    assert [r[2] for r in results] == [0] * 6, [r[1] for r in results]
    assert all(r[1] == "" or "waiting" in r[1] for r in results)  # no error shown
    assert count(url, "interaction") == 6  # no lost write
    open_database(url)
    assert stats.stale() == []


def test_killed_in_the_middle_of_a_bulk_write(url):
    """SIGKILL while `netterm demo` writes 5,000 contacts in one transaction: the server
    rolls it back; nothing half-written, the status cache true."""
    watcher = raw_connect(url)

    def writing() -> bool:
        held = watcher.execute(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        ).fetchone()[0]
        if held:
            time.sleep(0.5)  # well inside the transaction
        return bool(held)

    try:
        crash = kill_midway(netterm(url.conninfo, "demo", "--size", "5000"), when=writing)
    finally:
        watcher.close()
    assert crash.killed_while_running, crash.stderr
    open_database(url)
    assert count(url, "contact") in (0, 5000)
    assert stats.stale() == []
    svc.add_contact("Ana Silva")  # the database works on: the lock went with the process
    assert count(url, "contact") in (1, 5001)


# ------------------------------------------------------------------ upgrades


def add_nickname(migrator, db):
    migrate(migrator.add_column("contact", "nickname", pw.TextField(default="")))
    db.execute_sql("UPDATE contact SET nickname = lower(first_name)")


def explode(migrator, db):
    db.execute_sql("DELETE FROM interaction")
    raise RuntimeError("boom")


@pytest.fixture
def future(monkeypatch):
    def register(fn):
        version = migrations.SCHEMA_VERSION + 1
        monkeypatch.setitem(migrations.MIGRATIONS, version, Migration(fn.__name__, fn))
        monkeypatch.setattr(migrations, "SCHEMA_VERSION", version)
        return version

    return register


@pytest.fixture
def old_network(url):
    open_database(url)
    svc.add_contact("Ana Silva", tier=1)
    svc.add_contact("Bruno Costa")
    close_database()
    return url


def test_an_upgrade_dumps_a_portable_copy_first(old_network, future, tmp_path, capsys):
    from netterm import config

    version = future(add_nickname)
    open_database(old_network)
    assert schema_version(database) == version
    nicknames = [r[0] for r in database.execute_sql("SELECT nickname FROM contact ORDER BY id")]
    assert nicknames == ["ana", "bruno"]
    close_database()
    [copy] = sorted((config.data_dir() / "backups").glob("*-before-upgrade-*.db"))
    assert copy.stat().st_mode & 0o777 == 0o600
    # the copy is a netterm file of the old schema: it opens (and upgrades) like one
    code, out, _ = call(capsys, copy, "list")
    assert code == 0 and "Ana Silva" in out and "Bruno Costa" in out


def test_a_failed_upgrade_changes_nothing(old_network, future):
    before = snapshot(old_network)
    future(explode)
    with pytest.raises(
        StoreError, match=r"failed at step \d+, 'explode': boom\. Nothing was changed"
    ):
        open_database(old_network)
    assert snapshot(old_network) == before


# ------------------------------------------------------------------ between engines


def test_db_copy_both_ways_keeps_ids_and_content(url, tmp_path, capsys):
    from netterm.services.demo import ensure_demo

    first = tmp_path / "first.db"
    ensure_demo(first)
    close_database()
    svc_ids = sorted(r[0] for r in raw_connect(first).execute("SELECT id FROM contact"))
    code, out, err = call(capsys, first, "db", "copy", str(first), url.conninfo)
    assert code == 0, err
    assert "Copied 250 contacts" in out and "counts and content digest match" in out
    back = tmp_path / "back.db"
    code, out, err = call(capsys, first, "db", "copy", url.conninfo, str(back))
    assert code == 0, err
    con = raw_connect(back)
    assert sorted(r[0] for r in con.execute("SELECT id FROM contact")) == svc_ids
    con.close()
    for target in (first, url, back):  # the same network, as the command line shows it
        code, shown, _ = call(capsys, target, "show", "#155")
        assert code == 0
        if target is first:
            expected = shown
        assert shown == expected
    # a new contact on PostgreSQL gets the next id, not one of the copied
    code, out, _ = call(capsys, url, "add", "Zoe New")
    assert f"#{max(svc_ids) + 1} Zoe New" in out


def test_db_copy_refuses_a_destination_that_is_not_empty(url, tmp_path, capsys):
    first = tmp_path / "first.db"
    call(capsys, first, "add", "Ana Silva")
    call(capsys, url, "add", "Bruno Costa")
    before = snapshot(url)
    code, _, err = call(capsys, first, "db", "copy", str(first), url.conninfo)
    assert code == 1
    assert err.strip() == (
        f"netterm: error: {url.masked} is not empty (contact has 1 rows); netterm db copy "
        "writes only into a new or empty network"
    )
    assert snapshot(url) == before


def test_backup_of_a_postgres_network_is_the_portable_sqlite_file(url, tmp_path, capsys):
    call(capsys, url, "add", "Ana Silva", "--tier", "1")
    call(capsys, url, "log", "coffee", "ana", "--when", "yesterday")
    dest = tmp_path / "copy.db"
    code, out, err = call(capsys, url, "backup", str(dest))
    assert code == 0, err
    assert f"Backed up {url.masked} (1 contact, 1 touch" in out
    assert dest.read_bytes()[:16] == b"SQLite format 3\x00"
    code, out, _ = call(capsys, dest, "show", "ana")
    assert code == 0 and "coffee" in out


def test_two_processes_opening_an_old_network_upgrade_it_once(old_network):
    """test_migrations.py's twin: two processes open an older network at once; the write
    lock lets one upgrade it (one portable copy first), the other then finds it done."""
    from test_migrations import UPGRADER

    from netterm import config

    before = schema_version_of(old_network)
    procs = [
        subprocess.Popen(
            python(UPGRADER, old_network),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env(),
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [(p.returncode, o[0].strip(), o[1]) for p, o in zip(procs, outs, strict=True)] == [
        (0, b"ok", b"")
    ] * 2
    assert len(list((config.data_dir() / "backups").glob("*-before-upgrade-*.db"))) == 1
    con = raw_connect(old_network)
    try:
        versions = [v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()]
    finally:
        con.close()
    assert sorted(versions)[-2:] == [before, before + 1]
    assert count(old_network, "contact") == 2


def schema_version_of(url) -> int:
    con = raw_connect(url)
    try:
        return con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
    finally:
        con.close()
