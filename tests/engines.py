"""Test helpers that work on both engines: a second, plain connection to the test's
network (`raw_connect`), and a dump of its whole content to compare (`snapshot`)."""

from __future__ import annotations


def is_postgres(target) -> bool:
    from netterm.store.location import is_postgres_url

    return is_postgres_url(target)


def raw_connect(target):
    """A DB-API connection of its own (another process's view) with `.execute(sql)`.

    On PostgreSQL it speaks netterm's SQL spelling too (store/postgres.py) and commits
    each statement.
    """
    if is_postgres(target):
        import psycopg

        from netterm.store.postgres import _cursor_class

        return psycopg.connect(target.conninfo, autocommit=True, cursor_factory=_cursor_class())
    import sqlite3

    return sqlite3.connect(target)


def snapshot(target) -> bytes:
    """Everything in the network, as bytes: equal snapshots mean nothing changed."""
    if not is_postgres(target):
        import sqlite3

        con = sqlite3.connect(target)
        try:
            return "\n".join(con.iterdump()).encode()
        finally:
            con.close()
    from netterm.store.models import MODELS

    con = raw_connect(target)
    try:
        out = []
        for model in MODELS:
            table = model._meta.table_name
            pk = model._meta.primary_key.column_name
            rows = con.execute(f'SELECT * FROM "{table}" ORDER BY "{pk}"').fetchall()
            out.append(f"{table}: {rows!r}")
        return "\n".join(out).encode()
    finally:
        con.close()
