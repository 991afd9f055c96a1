"""Peewee models over one SQLite file (or a PostgreSQL database), its pragmas and its
migrations."""

import sys


def _import_peewee_without_its_drivers() -> None:
    """Import peewee with psycopg hidden from it.

    peewee imports psycopg when it is installed (the `postgres` extra), which costs about
    150 ms of every start, before the first frame, even on an SQLite network. netterm
    needs psycopg only for a postgresql:// network: `store/postgres.py` imports it then
    and hands it to peewee's adapter. Hiding a module is `sys.modules[name] = None` for
    the length of the import (an import of it raises ImportError, which peewee expects
    of a driver that is not installed).
    """
    if "peewee" in sys.modules:
        return  # imported before netterm: it found its drivers as usual
    hidden = [name for name in ("psycopg", "psycopg2") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import peewee  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_peewee_without_its_drivers()

from netterm.store.db import close_database, open_database  # noqa: E402

__all__ = ["close_database", "open_database"]
