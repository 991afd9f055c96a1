"""Opening the SQLite file: permissions, pragmas, schema creation and upgrades."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import peewee as pw
from playhouse.migrate import SqliteMigrator

from netterm.errors import StoreError
from netterm.store import migrations
from netterm.store.models import MODELS, SchemaVersion, database

PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", 10_000),
    ("synchronous", 2),  # FULL: a touch the user logged survives a power cut
    ("cache_size", -16_000),
)
SQLITE_HEADER = b"SQLite format 3\x00"


def _create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (it holds other people's data)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"cannot create the database {path}: {exc.strerror}") from None
    os.close(fd)


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror}") from None
    if head and head != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a netterm database (not an SQLite file); it was left untouched"
        )


def open_database(path: str | os.PathLike[str], *, create: bool = True) -> pw.SqliteDatabase:
    """Open (creating if needed) the database at `path` and bind the models to it."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise StoreError(f"no database at {path}")
        _create_private_file(path)
    elif path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    _check_header(path)
    db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=10, check_same_thread=False)
    close_database()
    database.initialize(db)
    try:
        db.connect()
        ensure_schema(db)
    except pw.DatabaseError as exc:
        db.close()
        raise StoreError(f"cannot open {path}: {exc}") from None
    except sqlite3.DatabaseError as exc:  # pragma: no cover - peewee wraps these
        db.close()
        raise StoreError(f"cannot open {path}: {exc}") from None
    return db


def close_database() -> None:
    db = database.obj
    if db is not None and not db.is_closed():
        db.close()


def schema_version(db: pw.Database) -> int | None:
    if "schema_version" not in db.get_tables():
        return None
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] if row and row[0] is not None else None


def ensure_schema(db: pw.Database) -> None:
    tables = db.get_tables()
    target = migrations.SCHEMA_VERSION
    if not tables:
        with db.atomic():
            db.create_tables(MODELS)
            SchemaVersion.create(version=target)
        return
    version = schema_version(db)
    if version is None:
        raise StoreError(
            f"{db.database} is an SQLite file but not a netterm database; it was left untouched"
        )
    if version > target:
        raise StoreError(
            f"{db.database} was written by a newer netterm (schema {version}; this one "
            f"knows up to {target}). Upgrade netterm; the file was left untouched."
        )
    if version < target:
        upgrade(db, version)


def upgrade(db: pw.Database, from_version: int) -> None:
    migrator = SqliteMigrator(db)
    for version, migration in migrations.pending(from_version):
        with db.atomic():
            migration.apply(migrator, db)
            SchemaVersion.create(version=version)
