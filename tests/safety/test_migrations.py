"""Schema upgrades: a private timestamped copy first, a newer file refused untouched, a
failed upgrade restored from that copy. Test migrations are registered as a future
netterm would register its own, above today's `SCHEMA_VERSION` (`NOW`); the real
migrations are tested on a file made to look like their older schema."""

from __future__ import annotations

import os
import stat
import subprocess

import peewee as pw
import pytest
from playhouse.migrate import migrate
from safety_kit import call, counts, damage, dump, env, integrity, make_network, python

from netterm.errors import StoreError
from netterm.store import close_database, migrations, open_database
from netterm.store.db import schema_version
from netterm.store.migrations import Migration
from netterm.store.models import database

#: today's schema: test migrations are registered above it
NOW = migrations.SCHEMA_VERSION


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def add_nickname(migrator, db):
    migrate(migrator.add_column("contact", "nickname", pw.TextField(default="")))
    db.execute_sql("UPDATE contact SET nickname = lower(first_name)")


def rebuild_contact(migrator, db):
    """A change SQLite can only make by rebuilding the table (copy, drop, rename)."""
    migrate(migrator.add_not_null("contact", "company"))


def explode(migrator, db):
    db.execute_sql("DELETE FROM interaction")
    raise RuntimeError("boom")


def escape_and_explode(migrator, db):
    """A broken migration that commits behind the upgrade's back, then fails."""
    db.execute_sql("DELETE FROM interaction")
    db.execute_sql("COMMIT")
    raise RuntimeError("half done")


@pytest.fixture
def future(monkeypatch):
    """future(fn, ...) registers migrations NOW + 1, NOW + 2, … and makes the last the
    current schema."""

    def register(*fns):
        for n, fn in enumerate(fns, start=NOW + 1):
            monkeypatch.setitem(migrations.MIGRATIONS, n, Migration(fn.__name__, fn))
        monkeypatch.setattr(migrations, "SCHEMA_VERSION", NOW + len(fns))

    return register


@pytest.fixture
def old_db(tmp_path):
    """A database of today's schema with two contacts and their touches."""
    path = tmp_path / "netterm.db"
    make_network(path)
    return path


def copies(path, label="before-upgrade"):
    return sorted(path.parent.glob(f"{path.stem}-{label}-*"))


def test_an_older_file_is_upgraded_after_a_private_copy(old_db, future, capsys):
    before = dump(old_db)
    future(add_nickname)
    code, out, err = call(capsys, old_db, "list")
    assert code == 0 and "Ana Silva" in out, err
    open_database(old_db)
    assert schema_version(database) == NOW + 1
    assert [r[0] for r in database.execute_sql("SELECT nickname FROM contact ORDER BY id")] == [
        "ana",
        "bruno",
    ]
    close_database()
    [copy] = copies(old_db)
    assert copy.name == "netterm-before-upgrade-20261126-120000.db"  # next to it, timestamped
    assert mode(copy) == 0o600
    assert dump(copy) == before  # exactly the file as it was
    # opening again does not upgrade (nor copy) twice
    open_database(old_db)
    close_database()
    assert len(copies(old_db)) == 1


def test_an_upgrade_that_rebuilds_a_table_keeps_its_children(old_db, future):
    """Rebuilding `contact` drops it: with foreign keys on, that would cascade-delete
    every touch, method and job. The upgrade runs with them off and checks them after."""
    before = counts(old_db)
    future(rebuild_contact)
    open_database(old_db)
    assert schema_version(database) == NOW + 1
    close_database()
    assert counts(old_db) == before
    assert integrity(old_db) == "ok"
    open_database(old_db)
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1  # back on
    close_database()


def test_a_newer_file_is_refused_untouched(old_db, capsys):
    open_database(old_db)
    database.execute_sql(
        "INSERT INTO schema_version (version, applied_at) VALUES (?, 'x')", (NOW + 1,)
    )
    close_database()
    before = old_db.read_bytes()
    code, _, err = call(capsys, old_db, "log", "coffee", "ana")
    assert code == 1
    assert err.strip() == (
        f"netterm: error: {old_db} was written by a newer netterm (schema {NOW + 1}; this one knows up "
        f"to {NOW}). Upgrade netterm; the file was left untouched."
    )
    assert old_db.read_bytes() == before
    assert copies(old_db) == []


@pytest.mark.parametrize("broken", [explode, escape_and_explode])
def test_a_failed_upgrade_restores_the_copy_and_says_so(old_db, future, broken, capsys):
    before = dump(old_db)
    future(add_nickname, broken)  # NOW+1 succeeds, NOW+2 fails after deleting every touch
    code, _, err = call(capsys, old_db, "due")
    err = err.strip()
    [copy] = copies(old_db)
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith(
        f"netterm: error: upgrading {old_db} from schema {NOW} to {NOW + 2} failed at step "
        f"{NOW + 2}, "
        f"'{broken.__name__}': "
    )
    assert err.endswith(
        "Nothing was changed: the database was restored from the copy made just before, "
        f"which is kept at {copy}"
    )
    assert dump(old_db) == before  # today's schema, every touch back, no nickname column
    assert integrity(old_db) == "ok"
    assert dump(copy) == before and mode(copy) == 0o600


def test_a_damaged_file_is_not_upgraded(old_db, future):
    damage(old_db, "interaction")
    before = old_db.read_bytes()
    future(add_nickname)
    with pytest.raises(StoreError) as info:
        open_database(old_db)
    close_database()
    assert "damaged" in str(info.value) and "not upgraded" in str(info.value)
    assert old_db.read_bytes() == before
    assert copies(old_db) == []


UPGRADER = """
import sys, time
import peewee as pw
from playhouse.migrate import migrate
from netterm.store import migrations, open_database, close_database
from netterm.store.migrations import Migration

def slow(migrator, db):
    time.sleep(0.5)
    migrate(migrator.add_column("contact", "nickname", pw.TextField(default="")))

future = migrations.SCHEMA_VERSION + 1
migrations.MIGRATIONS[future] = Migration("slow", slow)
migrations.SCHEMA_VERSION = future
open_database(sys.argv[1])
close_database()
print("ok")
"""


def test_two_processes_opening_an_old_file_upgrade_it_once(old_db):
    procs = [
        subprocess.Popen(
            python(UPGRADER, old_db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env()
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [(p.returncode, o[0].strip(), o[1]) for p, o in zip(procs, outs, strict=True)] == [
        (0, b"ok", b"")
    ] * 2
    assert len(copies(old_db)) == 1
    import sqlite3

    con = sqlite3.connect(old_db)
    versions = con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert versions[-2:] == [(NOW,), (NOW + 1,)]
    con.close()
    assert integrity(old_db) == "ok"


# ------------------------------------------------------------- the real migrations


def as_schema_1(path) -> None:
    """Make a file of today's schema look like one written by netterm's schema 1."""
    import sqlite3

    con = sqlite3.connect(path)
    con.executescript(
        """
        DROP INDEX interaction_contact_id_source_source_key;
        DROP TABLE dismissed_source;
        DROP TABLE possible_duplicate;
        ALTER TABLE interaction DROP COLUMN source;
        ALTER TABLE interaction DROP COLUMN source_key;
        ALTER TABLE interaction DROP COLUMN logged_by;
        ALTER TABLE contact DROP COLUMN version;
        ALTER TABLE audit_decision DROP COLUMN decided_by;
        ALTER TABLE audit DROP COLUMN scope;
        DELETE FROM schema_version;
        INSERT INTO schema_version (version, applied_at) VALUES (1, '2026-01-01');
        """
    )
    con.close()


def test_schema_1_gains_touch_sources_versions_and_authors(old_db, capsys):
    as_schema_1(old_db)
    before = counts(old_db)
    code, _, err = call(capsys, old_db, "show", "ana", "--json")
    assert code == 0, err
    assert len(copies(old_db)) == 1
    assert counts(old_db) == before
    open_database(old_db)
    try:
        assert schema_version(database) == NOW
        rows = database.execute_sql(
            "SELECT source, source_key, logged_by FROM interaction ORDER BY id"
        ).fetchall()
        assert rows == [("typed", None, "")] * 2  # old touches were typed by hand
        assert {r[0] for r in database.execute_sql("SELECT version FROM contact")} == {1}
        assert "dismissed_source" in database.get_tables()
        # the unique source index is there: one source item, one touch per contact
        database.execute_sql(
            "INSERT INTO interaction (contact_id, occurred_at, occurred_on, kind, direction,"
            " in_person, awaiting_reply, value, note, created_at, source, source_key,"
            " logged_by) SELECT contact_id, occurred_at, occurred_on, kind, direction,"
            " in_person, awaiting_reply, value, note, created_at, 'mail', '<m@x>', ''"
            " FROM interaction WHERE id = 1"
        )
        with pytest.raises(pw.IntegrityError):
            database.execute_sql(
                "INSERT INTO interaction (contact_id, occurred_at, occurred_on, kind,"
                " direction, in_person, awaiting_reply, value, note, created_at, source,"
                " source_key, logged_by) SELECT contact_id, occurred_at, occurred_on, kind,"
                " direction, in_person, awaiting_reply, value, note, created_at, 'mail',"
                " '<m@x>', '' FROM interaction WHERE id = 1"
            )
    finally:
        close_database()
    assert integrity(old_db) == "ok"


def test_schema_2_gains_the_possible_duplicates_imports_flag(old_db, capsys):
    import sqlite3

    con = sqlite3.connect(old_db)
    con.executescript(
        """
        DROP TABLE possible_duplicate;
        ALTER TABLE audit DROP COLUMN scope;
        DELETE FROM schema_version;
        INSERT INTO schema_version (version, applied_at) VALUES (2, '2026-01-01');
        """
    )
    con.close()
    code, _, err = call(capsys, old_db, "duplicates")
    assert code == 0, err
    assert len(copies(old_db)) == 1
    open_database(old_db)
    try:
        assert schema_version(database) == NOW
        assert "possible_duplicate" in database.get_tables()
    finally:
        close_database()
    assert integrity(old_db) == "ok"


def test_schema_5_audits_are_audits_of_the_whole_network(old_db, capsys):
    """Every audit before schema 6 took the whole network: scope ''."""
    import sqlite3

    con = sqlite3.connect(old_db)
    con.executescript(
        """
        ALTER TABLE audit DROP COLUMN scope;
        INSERT INTO audit (started_at, finished_at, plan)
            VALUES ('2026-03-01T10:00:00+00:00', '2026-03-02T10:00:00+00:00', '[1, 2]');
        DELETE FROM schema_version;
        INSERT INTO schema_version (version, applied_at) VALUES (5, '2026-01-01');
        """
    )
    con.close()
    code, out, err = call(capsys, old_db, "audit", "--status")
    assert code == 0, err
    assert out.startswith("Last audit finished 2 Mar;")  # still the network's audit
    assert len(copies(old_db)) == 1
    open_database(old_db)
    try:
        assert schema_version(database) == NOW
        assert database.execute_sql("SELECT scope FROM audit").fetchall() == [("",)]
    finally:
        close_database()
    assert integrity(old_db) == "ok"


def as_schema_6(path) -> None:
    """Make the file look like schema 6: no full-text index, no triggers keeping it."""
    import sqlite3

    con = sqlite3.connect(path)
    triggers = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'contact_doc_%'"
        )
    ]
    for name in triggers:
        con.execute(f'DROP TRIGGER "{name}"')
    con.executescript(
        """
        DROP TABLE contact_fts;
        DROP TABLE contact_doc;
        DELETE FROM schema_version;
        INSERT INTO schema_version (version, applied_at) VALUES (6, '2026-01-01');
        """
    )
    con.close()


def test_schema_6_gains_the_full_text_index_of_who_people_are(old_db, capsys):
    as_schema_6(old_db)
    code, _, err = call(
        capsys, old_db, "edit", "bruno", "--title", "Staff Engineer", "--correction"
    )
    assert code == 0, err
    assert len(copies(old_db)) == 1
    open_database(old_db)
    try:
        from netterm.services import intros

        assert schema_version(database) == NOW
        # filled from the rows that were there, and kept current by the triggers
        assert {m.name for m in intros.matches_for_text("acme", limit=5)} == {
            "Ana Silva",
            "Bruno Costa",
        }
        assert [m.name for m in intros.matches_for_text("staff engineer")] == ["Bruno Costa"]
    finally:
        close_database()
    assert integrity(old_db) == "ok"


def test_a_copy_without_the_index_gets_it_back(old_db):
    """A file at today's version written table by table (store/transfer.py) lacks the
    full-text index: opening it builds it."""
    import sqlite3

    as_schema_6(old_db)
    con = sqlite3.connect(old_db)
    con.execute("UPDATE schema_version SET version = ?", (NOW,))
    con.commit()
    con.close()
    open_database(old_db)
    try:
        from netterm.services import intros

        assert {m.name for m in intros.matches_for_text("acme", limit=5)} == {
            "Ana Silva",
            "Bruno Costa",
        }
    finally:
        close_database()
