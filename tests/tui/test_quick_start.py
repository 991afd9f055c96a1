"""`netterm` on an SQLite network already there paints its list before it opens the store
(netterm/cli: open_app, netterm/services/quickstart.py, netterm/store/__init__.py).

The first frame shows the same rows as ever; the store is open as soon as it has
painted (or sooner, when something uses it); a database that cannot be opened still
ends the app with one line; and the first frame imports none of what it no longer needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from helpers import SIZE, ready, wait_for

from netterm import store
from netterm.errors import StoreError
from netterm.services import network
from netterm.store.models import database
from netterm.tui.app import build


def _not_opened(path, opener=None):
    """What `netterm` leaves behind when it starts the app on `path`: nothing opened, the
    opener pending."""
    store.close_database()
    database.initialize(None)
    store.open_later(opener or (lambda: store.open_database(path)))


async def test_the_first_frame_has_the_rows_and_the_store_opens_right_after(demo_db):
    expected = [r.id for r in network.first_page(60)]
    _not_opened(demo_db)
    from textual import events

    at_ready: dict = {}
    app = build(demo_db, lines=SIZE[1], quick=True)

    def hook(message) -> None:
        if isinstance(message, events.Ready) and not at_ready:
            at_ready["rows"] = [r.id for r in app.screen.table.rows]
            at_ready["open"] = database.obj is not None

    try:
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            await ready(pilot)
            assert at_ready["open"] is False  # painted before the store was opened
            assert at_ready["rows"] == expected[: len(at_ready["rows"])]
            assert len(at_ready["rows"]) >= SIZE[1] - 5
            assert database.obj is not None
            assert len(app.model.all_rows()) == 250
            await pilot.press("enter")  # the store serves the detail screen as always
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "DetailScreen")
    finally:
        store.open_later(None)


async def test_a_key_that_needs_the_store_before_it_is_open_opens_it(demo_db):
    """A key pressed before the first frame reaches a screen that reads the database:
    the database opens then (its first use), not with an error."""
    from netterm.tui import application
    from netterm.tui.app import FirstPage
    from netterm.tui.application import NettermApp

    class NotPaintedYet(NettermApp):
        CSS_PATH = str(Path(application.__file__).with_name(NettermApp.CSS_PATH))

        def on_ready(self, event) -> None:  # nothing after the first frame: no open
            event.prevent_default()

    opened = []

    def opener():
        opened.append(1)
        store.open_database(demo_db)

    _not_opened(demo_db, opener)
    app = NotPaintedYet(demo_db, first_page=FirstPage(SIZE[1] + 20, demo_db))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert opened == [] and database.obj is None
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen.__class__.__name__ == "DetailScreen")
            assert opened == [1] and database.obj is not None
    finally:
        store.open_later(None)


async def test_a_store_that_cannot_be_opened_ends_the_app_with_one_line(demo_db):
    def opener():
        raise StoreError(f"{demo_db} is locked by another program")

    _not_opened(demo_db, opener)
    app = build(demo_db, lines=SIZE[1], quick=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.return_code == 1, what="the app to end")
        assert app.crash_line == f"{demo_db} is locked by another program"
    finally:
        store.open_later(None)


def test_the_first_frame_imports_neither_click_the_store_pendulum_nor_the_services(demo_db):
    """`netterm --db FILE`, the real entry point under run_test: what is imported when
    the first frame is painted. (Loading them costs ~70 ms: README "Performance".)"""
    store.close_database()
    script = textwrap.dedent(
        f"""
        import json, sys
        import netterm.tui.app as tui_app
        from textual import events

        seen = {{}}

        def run(path, screen=None, **how):
            app = tui_app.build(path, screen, lines=40, **how)

            def hook(message):
                if isinstance(message, events.Ready) and not seen:
                    seen["modules"] = sorted(sys.modules)
                    seen["rows"] = len(app.screen.table.rows)

            async def main():
                async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
                    while not app.loaded:
                        await pilot.pause(0.01)

            import asyncio
            asyncio.run(main())

        tui_app.run = run
        from netterm.cli import main
        try:
            main(["--db", {str(demo_db)!r}])
        except SystemExit as exc:
            assert not exc.code, exc.code
        print(json.dumps(seen))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd="/"
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["rows"] >= 35
    loaded = set(seen["modules"])
    for module in (
        "click",  # `netterm --db FILE` needs no parsing (netterm/cli/__init__.py)
        "peewee",
        "pendulum",
        "netterm.store.models",
        "netterm.store.db",
        "netterm.services.network",
        "netterm.services.settings",
        "netterm.services.contacts",
    ):
        assert module not in loaded, module
