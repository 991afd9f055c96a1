"""Two devices on one PostgreSQL network: two apps, each sees the other's touch.

The second device is a real second process (its own connections, its own NOTIFY name)
running the app under Pilot (`DEVICE_B`); the first is the app in this process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
from helpers import SIZE, app_for, ready, toasts, wait_for

from netterm.core import status as st
from netterm.store import close_database, open_database
from netterm.store.location import PostgresURL

#: Device B: waits until the top row (the one device A logs a touch for) turns ok, then
#: logs a touch for its second row with `l enter`, and says what it saw.
DEVICE_B = textwrap.dedent(
    """
    import asyncio, sys, time
    sys.path.insert(0, sys.argv[2])
    from helpers import SIZE, ready, wait_for
    from netterm.store import open_database
    from netterm.tui.app import NettermApp
    from netterm.tui.widgets.table import ContactTable

    async def main():
        open_database(sys.argv[1])
        app = NettermApp(sys.argv[1])
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            top, second = app.model.view[0].id, app.model.view[1].id
            print("ready", top, second, flush=True)
            sys.stdin.readline()  # A logged its touch
            started = time.monotonic()
            await wait_for(pilot, lambda: app.model.by_id[top].state == "ok", timeout=10,
                           what="device A's touch")
            print("seen", round(time.monotonic() - started, 2), flush=True)
            app.screen.query_one(ContactTable).move_to(app.model.index_of(second))
            await pilot.press("l")
            await pilot.pause(0.2)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.model.by_id[second].state == "ok", timeout=10,
                           what="its own touch")
            print("logged", second, flush=True)
            sys.stdin.readline()  # A saw it: quit

    asyncio.run(main())
    """
)


@pytest.fixture
def pg_demo(pg_cluster, demo_template):
    """The demo network, copied into a fresh PostgreSQL database, open."""
    from netterm.store import transfer
    from netterm.store.db import NettermDatabase

    name = pg_cluster.create_database()
    url = PostgresURL(pg_cluster.url(name))
    dst = open_database(url)
    src = NettermDatabase(demo_template)
    try:
        transfer.copy_network(src, dst)
    finally:
        src.close()
    yield url
    close_database()
    pg_cluster.drop_database(name)


async def test_two_apps_see_each_others_touches_within_two_seconds(pg_demo):
    here = os.path.dirname(__file__)
    env = {**os.environ, "NETTERM_NOW": "2026-11-26T12:00", "NETTERM_TZ": "Europe/Lisbon"}
    device_b = subprocess.Popen(
        [sys.executable, "-c", DEVICE_B, pg_demo.conninfo, here],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        app = app_for(pg_demo, poll_interval=0.5)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            said = device_b.stdout.readline().split()
            assert said[:1] == ["ready"], device_b.stderr.read()
            top, second = int(said[1]), int(said[2])
            assert app.model.view[0].id == top  # both devices show the same triage
            assert app.model.by_id[top].state != st.OK
            overdue = app.model.counts.overdue
            await pilot.press("l")
            await pilot.pause(0.2)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.model.by_id[top].state == st.OK, what="own touch")
            device_b.stdin.write("go\n")
            device_b.stdin.flush()
            said = device_b.stdout.readline().split()
            assert said[:1] == ["seen"], device_b.stderr.read()
            assert float(said[1]) < 2.0  # device B saw A's touch within 2 s
            said = device_b.stdout.readline().split()
            assert said == ["logged", str(second)], device_b.stderr.read()
            started = time.monotonic()
            await wait_for(
                pilot,
                lambda: app.model.by_id[second].state == st.OK,
                timeout=2.0,
                what="device B's touch within 2 s",
            )
            assert time.monotonic() - started < 2.0
            assert app.model.counts.overdue <= overdue - 1  # the counts follow
            assert not [t for t in toasts(app) if "error" in t.lower()]  # no error shown
            device_b.stdin.write("quit\n")
            device_b.stdin.flush()
        assert device_b.wait(timeout=30) == 0, device_b.stderr.read()
    finally:
        if device_b.poll() is None:
            device_b.kill()
            device_b.wait()
