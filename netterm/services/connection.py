"""The store's connection as the app's threads see it, without touching the store.

Screens and widgets never import `netterm.store` (an import-linter contract in
pyproject.toml): a worker thread that is done reading calls `release()` to close its own
connection, the errors a write may raise are named here as `STORE_ERRORS`, and whether a
`--db` value names a PostgreSQL server is `is_postgres_url` (its `PostgresURL` prints
with the password masked). The app's writes try `without_waiting()` first and run in a
worker thread when that raises `WouldWait` (netterm.tui.application: run_write).
"""

from __future__ import annotations

import sqlite3

import peewee  # already imported by then, without its drivers (netterm.services → store)

from netterm.errors import NetTermError
from netterm.store.db import WouldWait, without_waiting
from netterm.store.location import PostgresURL, is_postgres_url
from netterm.store.models import database

__all__ = [
    "STORE_ERRORS",
    "PostgresURL",
    "WouldWait",
    "is_postgres_url",
    "release",
    "without_waiting",
]

#: What a service call may raise that is the user's situation, not a bug: a contact
#: deleted by another process a moment ago, a file locked longer than the busy timeout.
#: Its transaction was rolled back, so nothing was half written.
STORE_ERRORS: tuple[type[BaseException], ...] = (
    NetTermError,
    sqlite3.Error,
    peewee.DatabaseError,
)


def release() -> None:
    """Close the calling thread's own connection (each thread has one, opened on use)."""
    database.close()
