"""Peewee models over one SQLite file (or a PostgreSQL database), its pragmas and its
migrations.

The package itself imports nothing heavy: peewee and the models load with
`store.models` / `store.db` (through `store/orm.py`), while `status_sql`, `location` and
`migrations.SCHEMA_VERSION` stay light for the app's first screenful
(netterm/services/quickstart.py).

`open_later(open)` is how the app starts before its database is opened: `open` runs
when the app asks for it after its first frame (`open_now()`), or before that, the
first time anything uses the database (`models.database`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netterm.store.db import close_database, open_database

__all__ = ["close_database", "open_database", "open_later", "open_now"]

_opener: Callable[[], object] | None = None
_opening = threading.RLock()


def open_later(opener: Callable[[], object] | None) -> None:
    """Have `opener` (which opens the database) run on first use or `open_now()`;
    None: forget a pending one."""
    global _opener
    _opener = opener


def open_now() -> None:
    """Run the pending opener, if any (once: it is forgotten when it succeeded).

    Its errors are raised to the caller, and it stays pending: the next use tries again
    and says the same."""
    global _opener
    with _opening:
        opener, _opener = _opener, None  # (not again from inside itself)
        if opener is None:
            return
        try:
            opener()
        except BaseException:
            _opener = opener
            raise


def __getattr__(name: str):
    if name in ("open_database", "close_database"):
        from netterm.store import db

        return getattr(db, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
