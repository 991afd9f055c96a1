"""The background watcher: states stay true while the app runs, without a key press."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from helpers import SIZE, app_for, ready, toasts, wait_for

from netterm import services
from netterm.core import status as st
from netterm.services import network
from netterm.store.models import database
from netterm.tui.widgets.table import ContactTable

pytestmark = pytest.mark.both_engines


def in_another_connection(work):
    """Run `work` on a thread of its own: Peewee gives it its own connection, like
    another process writing to the network. (On PostgreSQL the writes of this process's
    connections announce themselves under its own name, which the app ignores: another
    device's name then announces them, as its commit would.)"""
    errors = []

    def run():
        try:
            work()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            database.close()

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert not errors, errors
    url = getattr(database.obj, "url", None)
    if url is not None:
        import psycopg

        from netterm.store.postgres import CHANNEL

        with psycopg.connect(url.conninfo, autocommit=True) as other:
            other.execute("SELECT pg_notify(%s, 'another device')", (CHANNEL,))


def row(app, cid):
    return app.model.by_id[cid]


async def test_a_new_day_turns_a_row_overdue_without_a_key(demo_db, travel):
    due_soon = next(r for r in network.load_network().rows if r.state == st.DUE_SOON)
    days = -due_soon.overdue + 1
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = app.model.counts.overdue
        assert row(app, due_soon.id).state == st.DUE_SOON
        travel(days=days)
        await wait_for(pilot, lambda: row(app, due_soon.id).state == st.OVERDUE, what="overdue")
        assert app.model.today == services.load_network().today
        assert app.model.counts.overdue > before
        table = app.screen.query_one(ContactTable)
        assert table.today == app.model.today  # "3 days ago" counts from the new day


async def test_another_connection_is_picked_up_and_unresponsive_is_announced(demo_db):
    cid = services.resolve("ana silva")
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert row(app, cid).state == st.OVERDUE

        def two_unanswered_emails():
            services.log_touch(cid, "email", awaiting_reply=True)
            services.log_touch(cid, "email", awaiting_reply=True)

        in_another_connection(two_unanswered_emails)
        await wait_for(pilot, lambda: row(app, cid).state == st.UNRESPONSIVE, what="unresponsive")
        assert any("Unresponsive: Ana Silva has not answered 2 attempts" in t for t in toasts(app))
        assert app.model.counts.unresponsive == services.count_states().unresponsive

        in_another_connection(lambda: services.mark_reply(cid))
        await wait_for(pilot, lambda: row(app, cid).state != st.UNRESPONSIVE, what="reply")


async def test_a_netterm_command_in_another_terminal_shows_up(demo_db):
    cid = services.resolve("ana silva")
    env = {**os.environ, "NETTERM_NOW": "2026-11-26T12:00", "NETTERM_TZ": "Europe/Lisbon"}
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        command = [sys.executable, "-m", "netterm", "--db", str(demo_db), "log", "coffee", "#1"]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        await wait_for(pilot, lambda: row(app, cid).state == st.OK, what="the logged coffee")
        assert row(app, cid).last_touch_kind == "coffee"


async def test_refresh_keeps_cursor_filter_and_scroll_and_restyles_only_changes(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=(120, 20)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"is:overdue", "enter")
        table = app.screen.query_one(ContactTable)
        await pilot.press(*["j"] * 25)
        cursor_id, scroll_y = table.current.id, table.top
        assert scroll_y > 0
        target = table.rows[int(scroll_y) + 1]  # a visible row above the cursor
        restyled = []
        original = table.restyle
        table.restyle = lambda ids=None: (restyled.append(ids), original(ids))[1]
        in_another_connection(lambda: services.log_touch(target.id, "lunch"))
        await wait_for(pilot, lambda: row(app, target.id).state == st.OK, what="the lunch")
        assert restyled == [{target.id}]
        assert table.current.id == cursor_id
        assert table.top == scroll_y
        assert app.model.query_text == "is:overdue"
        assert table.rows[int(scroll_y) + 1].state == st.OK  # recoloured where it stands


async def test_triggers_coalesce_and_run_off_the_ui_thread(demo_db, monkeypatch):
    threads = []
    original = network.states

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(network, "states", spy)
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        start = app.watcher.recomputes
        for _ in range(50):
            app.watcher.changed([1])
        await wait_for(pilot, lambda: app.watcher.recomputes > start, what="a recompute")
        await pilot.pause(0.2)
        assert app.watcher.recomputes - start <= 2  # 50 triggers, one or two recomputes
        assert threads and all(t is not threading.main_thread() for t in threads)


async def test_a_failed_recompute_is_reported_and_watching_goes_on(demo_db, monkeypatch):
    calls = []
    original = network.states

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk on fire")
        return original(*args, **kwargs)

    monkeypatch.setattr(network, "states", flaky)
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.watcher.changed([1])
        await wait_for(pilot, lambda: any("disk on fire" in t for t in toasts(app)))
        start = app.watcher.recomputes
        app.watcher.changed([1])
        await wait_for(pilot, lambda: app.watcher.recomputes > start, what="the next recompute")


def test_a_rows_status_is_what_states_computes_and_heads_its_signature(demo_db):
    """The recompute diffs network.states() against status_of(row) of the rows shown."""
    from netterm.tui.model import signature
    from netterm.tui.watcher import status_of

    states = network.states()
    rows = network.load_network().rows
    assert rows
    for r in rows:
        assert status_of(r) == states[r.id] == signature(r)[:5]
