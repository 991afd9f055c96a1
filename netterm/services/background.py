"""A read on a thread of its own, so that the database works while Python does.

SQLite (and psycopg, waiting on PostgreSQL) run with the GIL released: a query started
on another thread overlaps the Python work of the caller (importing Textual, formatting
7,000 rows) on the machine's other core, instead of adding to it. Used by the app's first
screenful (netterm.tui.app) and by `netterm due` (its header counts and the introduction
searches run while the list is read and formatted).

The thread has its own connection (the store's connections are per thread) and closes it
when done; an error is raised again, unchanged, by `result()` on the caller's thread, so
a damaged file or a lost server is reported exactly as if the read had run there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from netterm.services.connection import release

T = TypeVar("T")


class Pending(Generic[T]):
    """`read()` running on a thread of its own; `result()` waits for it."""

    def __init__(self, read: Callable[[], T], *, name: str = "read") -> None:
        self._read = read
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._read()
        except BaseException as exc:  # raised again on the caller's thread by result()
            self._error = exc
        finally:
            release()

    def wait(self) -> None:
        """Until the read is done (its value or error kept for `result()`)."""
        self._thread.join()

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
