"""Moving a whole network between engines: `netterm db copy`, and PostgreSQL's backups.

A copy reads every table of the source in one consistent snapshot (a read transaction)
and writes it, ids included (`#155` stays `#155`), into an empty destination inside one
write transaction. Before committing, each table's row count and a content digest
(SHA-256 over its rows in id order, values normalised so that SQLite's 0/1 and
PostgreSQL's booleans read the same) are compared on both sides: a copy that does not
match is rolled back and nothing is left half-written.

`netterm backup` of a PostgreSQL network is such a copy into a new SQLite file: the same
portable backup as on SQLite. Before an upgrade of a PostgreSQL network, `dump_as_is`
copies the tables as they are (an older schema) into an SQLite file that `netterm
restore` reads and upgrades like any old file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from netterm.errors import StoreError
from netterm.store.orm import pw

BATCH = 2_000


@dataclass(frozen=True, slots=True)
class TableCheck:
    table: str
    rows: int
    digest: str


@dataclass(frozen=True, slots=True)
class CopyResult:
    tables: tuple[TableCheck, ...]

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for t in self.tables:
            h.update(f"{t.table}:{t.rows}:{t.digest}\n".encode())
        return h.hexdigest()

    def rows(self, table: str) -> int:
        return next((t.rows for t in self.tables if t.table == table), 0)


def _models():
    from netterm.store.models import MODELS

    return MODELS


def _columns(model) -> list[str]:
    return [f.column_name for f in model._meta.sorted_fields]


def _select(model) -> str:
    cols = ", ".join(f'"{c}"' for c in _columns(model))
    pk = model._meta.primary_key.column_name
    return f'SELECT {cols} FROM "{model._meta.table_name}" ORDER BY "{pk}"'


def _normal(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _digest(rows: Iterable[tuple]) -> tuple[int, str]:
    h = hashlib.sha256()
    n = 0
    for row in rows:
        n += 1
        h.update("\x1f".join(_normal(v) for v in row).encode("utf-8", "surrogatepass"))
        h.update(b"\x1e")
    return n, h.hexdigest()


def _fetch(db: pw.Database, sql: str):
    cursor = db.execute_sql(sql)
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def checks(db: pw.Database) -> tuple[TableCheck, ...]:
    """Each table's row count and content digest (call inside a read transaction)."""
    out = []
    for model in _models():
        n, digest = _digest(_fetch(db, _select(model)))
        out.append(TableCheck(model._meta.table_name, n, digest))
    return tuple(out)


def _is_postgres(db: pw.Database) -> bool:
    return isinstance(db, pw.PostgresqlDatabase)


class _snapshot:
    """A read transaction on `db`: every table read inside sees one committed state."""

    def __init__(self, db: pw.Database) -> None:
        self.db = db

    def __enter__(self):
        self.own = not self.db.in_transaction()  # inside one already: its snapshot
        if not self.own:
            return self.db
        if _is_postgres(self.db):
            self.db.execute_sql("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        else:
            self.db.execute_sql("BEGIN")  # deferred: a read snapshot, no write lock
        return self.db

    def __exit__(self, *exc) -> None:
        if self.own:
            self.db.execute_sql("ROLLBACK")


def _writer(model, dst: pw.Database):
    cols = _columns(model)
    marks = ", ".join("?" for _ in cols)
    names = ", ".join(f'"{c}"' for c in cols)
    sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})'
    flags = [isinstance(f, pw.BooleanField) for f in model._meta.sorted_fields]
    if _is_postgres(dst) and any(flags):

        def convert(row):
            return tuple(
                bool(v) if flag and v is not None else v for v, flag in zip(row, flags, strict=True)
            )
    else:

        def convert(row):
            return row

    return sql, convert


def empty_or_refuse(db: pw.Database, shown) -> None:
    for model in _models():
        if model._meta.table_name == "schema_version":
            continue
        n = db.execute_sql(f'SELECT COUNT(*) FROM "{model._meta.table_name}"').fetchone()[0]
        if n:
            raise StoreError(
                f"{shown} is not empty ({model._meta.table_name} has {n:,} rows); "
                "netterm db copy writes only into a new or empty network"
            )


def copy_network(src: pw.Database, dst: pw.Database, *, shown_dst="the destination") -> CopyResult:
    """Copy every row of `src` into the empty network `dst` (same schema version),
    verified by counts and digests; all or nothing."""
    with _snapshot(src):
        source = checks(src)
        with dst.atomic():
            empty_or_refuse(dst, shown_dst)
            dst.execute_sql('DELETE FROM "schema_version"')
            for model in _models():
                sql, convert = _writer(model, dst)
                cursor = src.execute_sql(_select(model))
                while rows := cursor.fetchmany(BATCH):
                    dst.cursor().executemany(sql, [convert(r) for r in rows])
            copied = checks(dst)
            for a, b in zip(source, copied, strict=True):
                if a != b:
                    raise StoreError(
                        f"the copy of table {a.table} does not match its source "
                        f"({a.rows:,} rows, {b.rows:,} copied, digests differ: "
                        f"{a.digest != b.digest}); nothing was written"
                    )
    if _is_postgres(dst):
        # the planner's statistics of the new rows now, not when autovacuum next passes
        dst.execute_sql("ANALYZE")
    return CopyResult(source)


def dump_to_sqlite(src: pw.Database, dest: Path) -> CopyResult:
    """A portable SQLite copy of the network `src` into `dest` (a new empty file)."""
    from netterm.store.db import NettermDatabase

    dst = NettermDatabase(dest)
    try:
        dst.connect()
        with _bound(dst):
            dst.create_tables(_models())
        return copy_network(src, dst, shown_dst=dest)
    finally:
        dst.close()


class _bound:
    """Bind the models to `db` for a moment (creating tables), then back."""

    def __init__(self, db: pw.Database) -> None:
        self.db = db

    def __enter__(self):
        from netterm.store.models import database

        self.previous = database.obj
        database.initialize(self.db)

    def __exit__(self, *exc) -> None:
        from netterm.store.models import database

        database.initialize(self.previous)


_SQLITE_TYPES = {
    "integer": "INTEGER",
    "bigint": "INTEGER",
    "smallint": "INTEGER",
    "boolean": "INTEGER",
    "double precision": "REAL",
    "real": "REAL",
    "numeric": "REAL",
}


def dump_as_is(src: pw.Database, dest: Path) -> None:
    """The tables of the PostgreSQL network `src`, whatever its schema version, copied
    into a new SQLite file `dest` with their columns, keys and indexes: a netterm file
    of that version, which `netterm restore` reads (and upgrades)."""
    import sqlite3

    con = sqlite3.connect(dest, isolation_level=None)
    try:
        con.execute("BEGIN")
        with _snapshot(src):
            for table in src.get_tables():
                cols = src.get_columns(table)
                fks = {fk.column: fk for fk in src.get_foreign_keys(table)}
                defs = []
                for c in cols:
                    kind = _SQLITE_TYPES.get(c.data_type.lower(), "TEXT")
                    d = f'"{c.name}" {kind}'
                    if not c.null:
                        d += " NOT NULL"
                    if c.primary_key:
                        d += " PRIMARY KEY"
                    fk = fks.get(c.name)
                    if fk is not None:
                        d += f' REFERENCES "{fk.dest_table}" ("{fk.dest_column}") ON DELETE CASCADE'
                    defs.append(d)
                con.execute(f'CREATE TABLE "{table}" ({", ".join(defs)})')
                for index in src.get_indexes(table):
                    if index.name.endswith("_pkey"):
                        continue
                    unique = "UNIQUE " if index.unique else ""
                    columns = ", ".join(f'"{c}"' for c in index.columns)
                    con.execute(f'CREATE {unique}INDEX "{index.name}" ON "{table}" ({columns})')
                names = ", ".join(f'"{c.name}"' for c in cols)
                marks = ", ".join("?" for _ in cols)
                cursor = src.execute_sql(f'SELECT {names} FROM "{table}"')
                while rows := cursor.fetchmany(BATCH):
                    con.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        con.execute("COMMIT")
    finally:
        con.close()
