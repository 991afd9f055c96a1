"""The store's connection as the app's threads see it, without touching the store.

Screens and widgets never import `netterm.store` (an import-linter contract in
pyproject.toml): a worker thread that is done reading calls `release()` to close its own
connection, the errors a write may raise are `store_errors()`, and whether a
`--db` value names a PostgreSQL server is `is_postgres_url` (its `PostgresURL` prints
with the password masked). The app's writes try `without_waiting()` first and run in a
worker thread when that raises `WouldWait` (netterm.tui.application: run_write).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from netterm.store.location import PostgresURL, is_postgres_url

if TYPE_CHECKING:
    from netterm.store.db import WouldWait, without_waiting

__all__ = [
    "PostgresURL",
    "WouldWait",
    "data_version",
    "is_postgres_url",
    "open_now",
    "release",
    "store_errors",
    "without_waiting",
]

# Light on purpose: the app imports this module before its first frame, and the store
# (peewee, the models) only after it (netterm/store/__init__.py: open_later).


def store_errors() -> tuple[type[BaseException], ...]:
    """What a service call may raise that is the user's situation, not a bug: a contact
    deleted by another process a moment ago, a file locked longer than the busy timeout.
    Its transaction was rolled back, so nothing was half written."""
    import sqlite3

    from netterm.errors import NetTermError
    from netterm.store.orm import pw

    return (NetTermError, sqlite3.Error, pw.DatabaseError)


def open_now() -> None:
    """Open the database if the app started before opening it (netterm.store.open_later);
    its errors are raised here."""
    from netterm.store import open_now

    open_now()


def release() -> None:
    """Close the calling thread's own connection (each thread has one, opened on use).
    Before the store is open there is none, and the store is not imported for nothing."""
    models = sys.modules.get("netterm.store.models")
    if models is not None and models.database.obj is not None:
        models.database.close()


def data_version() -> int:
    """SQLite's `PRAGMA data_version` on this thread's connection.

    It changes when another connection (another process: `netterm log` in a second
    terminal) commits to the database; cheap enough to poll every couple of seconds.
    """
    from netterm.store.models import database

    counter = getattr(database.obj, "changes_seen", None)
    if counter is not None:  # PostgreSQL: other processes' commits, announced by NOTIFY
        return counter()
    return database.execute_sql("PRAGMA data_version").fetchone()[0]


def __getattr__(name: str):
    if name in ("WouldWait", "without_waiting"):
        from netterm.store import db

        return getattr(db, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
