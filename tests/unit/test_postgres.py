"""PostgreSQL as the shared engine: URLs, masked passwords, the driver, the SQL dialect,
the write lock and the change notices (tests/pgserver.py runs a real server)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from netterm import config
from netterm.errors import StoreError
from netterm.store.location import PostgresURL, is_postgres_url, mask
from netterm.store.postgres import translate

SECRET = "s3cr%2Fet"


def test_a_url_is_postgres_and_a_path_is_sqlite(monkeypatch):
    assert is_postgres_url("postgresql://ana@db.example:5432/netterm?sslmode=require")
    assert is_postgres_url("postgres://localhost/netterm")
    assert not is_postgres_url("/home/ana/netterm.db")
    assert not is_postgres_url("postgresql.db")
    url = config.resolve_db_path("postgresql://ana@localhost/netterm")
    assert isinstance(url, PostgresURL) and url.dbname == "netterm"
    monkeypatch.setenv("NETTERM_DB", "postgres://localhost/team?sslmode=disable")
    assert config.resolve_db_path().dbname == "team"
    monkeypatch.setenv("NETTERM_DB", "~/x.db")
    assert str(config.resolve_db_path()).endswith("/x.db")


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://ana:{SECRET}@db.example:5432/netterm",
        f"postgresql://db.example/netterm?sslmode=require&password={SECRET}",
        f"postgresql://ana:{SECRET}@db.example/netterm?password={SECRET}&sslmode=require",
    ],
)
def test_the_password_is_never_shown(url):
    shown = PostgresURL(url)
    for text in (str(shown), repr(shown), f"{shown}", f"{shown:>10}", shown.masked, mask(url)):
        assert SECRET not in text and "s3cr" not in text
        assert "****" in text
    assert shown.conninfo == url  # libpq still gets it
    with pytest.raises(TypeError):
        Path(shown)  # a URL is not a file


def test_connection_errors_are_one_line_with_the_password_masked(run_no_db):
    pytest.importorskip("psycopg")
    code, out, err = run_no_db(PostgresURL(f"postgresql://ana:{SECRET}@127.0.0.1:1/netterm"), "due")
    assert code == 1 and out == ""
    assert err.startswith("netterm: error: cannot connect to postgresql://ana:****@127.0.0.1:1/")
    assert len(err.strip().splitlines()) == 1
    assert "s3cr" not in err


@pytest.fixture
def run_no_db(capsys):
    def invoke(url, *args):
        from cli_kit import call

        return call(capsys, url, *args)

    return invoke


def test_without_the_driver_one_line_says_how_to_install_it(capsys, monkeypatch):
    from cli_kit import call

    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg fails
    code, _, err = call(capsys, "postgresql://localhost/netterm", "due")
    assert code == 1
    assert err.strip() == (
        "netterm: error: a PostgreSQL database needs the psycopg driver, which is not "
        'installed: install it with `pip install "netterm[postgres]"`'
    )


def test_an_sqlite_network_never_imports_the_postgresql_driver():
    """peewee imports psycopg whenever it is installed (150 ms before the first frame);
    netterm.store hides it until a postgresql:// network is opened."""
    import subprocess

    pytest.importorskip("psycopg")
    code = (
        "import sys, netterm.services, netterm.cli, netterm.tui.app; "
        "assert 'psycopg' not in sys.modules, 'psycopg imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_sql_is_written_once_and_spoken_by_both():
    assert translate("SELECT a FROM t WHERE b = ? AND c = :today") == (
        "SELECT a FROM t WHERE b = %s AND c = %(today)s"
    )
    assert translate("SELECT IFNULL(x, 0) FROM t WHERE n LIKE '%a?%' AND y::int = 1") == (
        "SELECT COALESCE(x, 0) FROM t WHERE n LIKE '%%a?%%' AND y::int = 1"
    )
    assert translate(
        "INSERT OR IGNORE INTO contact_category (contact_id, category_id) VALUES (?, ?)"
    ) == (
        "INSERT INTO contact_category (contact_id, category_id) VALUES (%s, %s) ON CONFLICT DO NOTHING"
        ' RETURNING "id"'  # the cursor's lastrowid, as sqlite3 has it
    )
    upsert = translate("INSERT OR REPLACE INTO contact_state (contact_id, tier) VALUES (?, ?)")
    assert upsert.endswith('ON CONFLICT ("contact_id") DO UPDATE SET "tier" = EXCLUDED."tier"')
    assert translate("SELECT id FROM contact_method m NOT INDEXED WHERE +kind = ?") == (
        "SELECT id FROM contact_method m  WHERE kind = %s"
    )
    peewee_own = 'SELECT "t1"."id" FROM "contact" AS "t1" WHERE ("t1"."id" = %s)'
    assert translate(peewee_own) == peewee_own


# ------------------------------------------------------------------ on a real server


@pytest.fixture
def pg(pg_cluster):
    """A fresh PostgreSQL network, open."""
    from netterm.store import close_database, open_database

    name = pg_cluster.create_database()
    url = PostgresURL(pg_cluster.url(name))
    open_database(url)
    yield url
    close_database()
    pg_cluster.drop_database(name)


def test_a_new_database_gets_the_schema_and_an_old_one_is_refused(pg, pg_cluster):
    from engines import raw_connect

    from netterm.store import migrations, open_database
    from netterm.store.db import schema_version
    from netterm.store.models import database

    assert schema_version(database.obj) == migrations.SCHEMA_VERSION
    con = raw_connect(pg)
    con.execute(
        "UPDATE schema_version SET version = 99 WHERE version = (SELECT MAX(version) FROM schema_version)"
    )
    con.close()
    with pytest.raises(StoreError, match="newer netterm"):
        open_database(pg)
    other = pg_cluster.create_database()
    con = raw_connect(PostgresURL(pg_cluster.url(other)))
    con.execute("CREATE TABLE invoices (id int)")
    con.close()
    with pytest.raises(StoreError, match="not a netterm network; it was left untouched"):
        open_database(PostgresURL(pg_cluster.url(other)))


def test_concurrent_writers_queue_instead_of_failing(pg, monkeypatch):
    """Two transactions that read then write the same counter: the second waits for the
    first's commit and sees it (SQLite's BEGIN IMMEDIATE, as an advisory lock)."""
    from netterm import services as svc
    from netterm.store.models import Contact, database

    cid = svc.add_contact("Ana Silva")
    waits = []
    from netterm.store import db as store

    store.set_busy_notifier(waits.append)
    # a wait shorter than NOTIFY_AFTER is not worth a message (as on SQLite): these are
    monkeypatch.setattr(store, "NOTIFY_AFTER", 0.0)
    errors = []

    def bump():
        try:
            for _ in range(10):
                with database.atomic():
                    v = Contact.get_by_id(cid).version
                    time.sleep(0.002)
                    Contact.update(version=v + 1).where(Contact.id == cid).execute()
        except Exception as exc:  # pragma: no cover - the failure this test is about
            errors.append(exc)
        finally:
            database.close()

    try:
        threads = [threading.Thread(target=bump) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        store.set_busy_notifier(None)
    assert errors == []
    assert Contact.get_by_id(cid).version == 1 + 40  # no lost update
    assert waits  # somebody had to wait, and was told


def test_changes_of_other_processes_are_announced(pg):
    from engines import raw_connect

    from netterm import services as svc
    from netterm.services import network

    before = network.data_version()
    svc.add_contact("Ana Silva")  # our own write: not "another device"
    time.sleep(0.2)
    assert network.data_version() == before
    con = raw_connect(pg)
    con.execute("UPDATE contact SET notes = 'from the laptop'")
    con.close()
    deadline = time.monotonic() + 2
    while network.data_version() == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert network.data_version() == before + 1
