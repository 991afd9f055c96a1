"""Peewee, imported without its database drivers: `from netterm.store.orm import pw`.

Every module of netterm that needs peewee imports it from here. peewee imports psycopg
when it is installed (the `postgres` extra), which costs about 150 ms of every start,
before the first frame, even on an SQLite network. netterm needs psycopg only for a
postgresql:// network: `store/postgres.py` imports it then and hands it to peewee's
adapter. Hiding a module is `sys.modules[name] = None` for the length of the import (an
import of it raises ImportError, which peewee expects of a driver that is not installed).

This lives in a module of its own, not in `store/__init__.py`, so that the package's
light modules (`status_sql`, `migrations.SCHEMA_VERSION`, `location`) import without
peewee: the app's first screenful is read before it (netterm/services/quickstart.py).
"""

import sys


def _import_peewee_without_its_drivers() -> None:
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

import peewee as pw  # noqa: E402

__all__ = ["pw"]
