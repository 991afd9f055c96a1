"""Peewee models over one SQLite file, its pragmas and its migrations."""

from netterm.store.db import close_database, open_database

__all__ = ["close_database", "open_database"]
