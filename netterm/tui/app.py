"""The entry point of the app: `run(path, screen=None)`; `netterm` with no command calls it.

This module stays light on purpose. `run` starts reading the first screenful of
contacts on a thread of its own *before* Textual is imported: the ~200 ms of imports
and the ~35 ms query (GIL-free inside SQLite) then overlap, so the first frame has its
rows without waiting. On an SQLite network that is already there (`quick`), that read
goes straight to the file (netterm/services/quickstart.py) and the store is opened
after the first frame. The app itself lives in `netterm.tui.application`; `NettermApp`
and the other names there can be imported from here too.
"""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

from netterm.services import quickstart
from netterm.services.background import Pending
from netterm.services.quickstart import Page


class FirstPage(Pending[Page | None]):
    """The first screenful of contacts (`limit` rows), read on a thread of its own while
    Textual starts: the query (~35 ms at 30,000 contacts: every status is computed to
    find the most urgent) overlaps the app's start-up instead of delaying the first paint
    (netterm.services.background). From the file at `path` if given (quickstart; its
    result is None if it could not be read there), else through the open store."""

    def __init__(self, limit: int, path: Path | None = None) -> None:
        self.limit = limit
        if path is not None:
            read = partial(quickstart.first_page, path, limit)
        else:
            read = partial(through_store, limit)
        super().__init__(read, name="first-page")


def through_store(limit: int) -> Page:
    """The first screenful, read through the store (opened by then, or on this use)."""
    from netterm.config import clock
    from netterm.services import network

    today = clock.today()
    return Page(network.first_page(limit, today), today)


def build(
    path: str | Path | None = None,
    screen: str | None = None,
    *,
    lines: int | None = None,
    quick: bool = False,
):
    """The app `run` runs, its first screenful already being read (`lines`: the
    terminal's height, asked of the terminal by default). `quick`: the store is not open
    yet (netterm/store/__init__.py: open_later) and `path` is an SQLite file that
    quickstart can read. The benchmark times this path."""
    if lines is None:
        lines = shutil.get_terminal_size((120, 40)).lines
    first_page = FirstPage(lines + 20, Path(path) if quick and path is not None else None)
    from netterm.tui.application import NettermApp

    return NettermApp(path, screen=screen, first_page=first_page)


def run(path: str | Path | None = None, screen: str | None = None, *, quick: bool = False) -> None:
    """Open the app on the database at `path`: opened already (see netterm.cli), or, if
    `quick`, about to be opened by the opener the CLI left pending.

    If the app stopped on an unexpected error, its traceback is in the private crash
    log (netterm/crash.py) and this prints one line and exits with code 1; an error in
    opening the database is that one line.
    """
    app = build(path, screen, quick=quick)
    app.run()
    if app.crash_line:
        import sys

        from netterm.cli.output import safe

        print(f"netterm: error: {safe(app.crash_line)}", file=sys.stderr)
        sys.exit(1)


def __getattr__(name: str):
    """`NettermApp`, `BIG_NETWORK`, … are defined in netterm.tui.application."""
    if name.startswith("__"):  # `from … import` asks for __path__: not a reason to load
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from netterm.tui import application

    try:
        return getattr(application, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
