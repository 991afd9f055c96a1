"""The SQLite file: location, permissions, pragmas, schema version and migrations."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from playhouse.migrate import migrate

from netterm import config
from netterm.errors import StoreError
from netterm.store import close_database, migrations, open_database
from netterm.store.db import schema_version
from netterm.store.migrations import Migration
from netterm.store.models import database


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_database_is_private(tmp_path):
    path = tmp_path / "sub" / "n.db"
    open_database(path)
    database.execute_sql("CREATE TABLE t (x)")  # a write makes the WAL files appear
    assert mode(path) == 0o600
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            assert mode(side) & 0o077 == 0, suffix
    close_database()


@pytest.mark.sqlite_only  # SQLite's pragmas
def test_pragmas(db):
    pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 2
    assert pragma("busy_timeout") >= 5000


@pytest.mark.sqlite_only  # SQLite's pragmas
def test_pragmas_in_a_second_thread(db):
    import threading

    seen = {}

    def work():
        seen["fk"] = database.execute_sql("PRAGMA foreign_keys").fetchone()[0]
        database.close()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen["fk"] == 1


def test_default_location_and_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert config.resolve_db_path() == tmp_path / "data" / "netterm" / "netterm.db"
    monkeypatch.setenv("NETTERM_DB", str(tmp_path / "env.db"))
    assert config.resolve_db_path() == tmp_path / "env.db"
    assert config.resolve_db_path(str(tmp_path / "flag.db")) == tmp_path / "flag.db"


def test_schema_version_recorded(db):
    assert schema_version(database) == migrations.SCHEMA_VERSION


def test_an_older_schema_is_upgraded(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    open_database(path)  # written at version 1
    close_database()

    def add_nickname(migrator, db):
        from peewee import TextField

        migrate(migrator.add_column("contact", "nickname", TextField(default="")))

    future = migrations.SCHEMA_VERSION + 1
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", future)
    monkeypatch.setitem(migrations.MIGRATIONS, future, Migration("nicknames", add_nickname))
    open_database(path)
    columns = [r[1] for r in database.execute_sql("PRAGMA table_info(contact)").fetchall()]
    assert "nickname" in columns
    assert schema_version(database) == future
    close_database()


def test_a_newer_schema_is_refused_untouched(tmp_path, monkeypatch):
    path = tmp_path / "new.db"
    open_database(path)
    database.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (99, 'x')")
    close_database()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer netterm"):
        open_database(path)
    close_database()
    assert path.read_bytes() == before


def test_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my precious notes")
    with pytest.raises(StoreError, match="not a netterm database"):
        open_database(path)
    assert path.read_text() == "my precious notes"


def test_foreign_sqlite_file_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE x (y)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a netterm database"):
        open_database(path)
    close_database()


def test_headless_modules_do_not_import_textual():
    code = (
        "import sys, netterm.core, netterm.core.status, netterm.core.query, netterm.services, "
        "netterm.store, netterm.cli\n"
        "netterm.cli.cli.commands  # every command module (they load lazily)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_opening_a_database_leaves_the_backup_module_unloaded(tmp_path):
    """Every start opens the store (and cleans a killed backup's leftovers): the backup
    module is for `netterm backup` and `restore`, not on every command's path."""
    code = (
        "import sys\n"
        "from netterm.store import open_database\n"
        f"open_database({str(tmp_path / 'n.db')!r})\n"
        "assert 'netterm.store.backup' not in sys.modules, 'backup imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
