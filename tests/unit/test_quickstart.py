"""The app's first screenful read straight from the SQLite file (netterm/services/quickstart.py)
and the store opened after the first frame (netterm/store/__init__.py: open_later).

The first frame must show exactly what `network.first_page` would have read through the
store, and a file the quick read cannot vouch for must go the usual way."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pendulum
import pytest

from netterm import services as svc
from netterm import store
from netterm.config import clock
from netterm.errors import StoreError
from netterm.services import network, quickstart
from netterm.services.demo import generate
from netterm.store.migrations import SCHEMA_VERSION

pytestmark = pytest.mark.sqlite_only  # (reads an SQLite file itself)


def _seen(rows):
    return [
        (r.id, r.state, r.flags, r.categories, r.due, r.overdue, round(r.urgency, 9), r.name)
        for r in rows
    ]


def test_the_first_page_is_the_one_the_store_reads(db):
    generate(size=120, seed=5)
    page = quickstart.first_page(db, 40)
    assert page is not None
    assert page.today == clock.today()
    assert len(page.rows) == 40
    assert _seen(page.rows) == _seen(network.first_page(40))
    assert [r.search_text for r in page.rows] == [r.search_text for r in network.first_page(40)]


def test_it_follows_the_policy_settings_and_the_last_finished_audit(db, travel):
    generate(size=80, seed=2)
    svc.set_setting("policy.cadence_tier1", 30)
    svc.set_setting("policy.due_soon_days", 40)
    from netterm.store.models import Audit

    started = clock.now().subtract(days=3)
    Audit.create(started_at=started, finished_at=started.add(hours=2), scope="")
    # a later audit of a part does not count as the network's (docs/status-rules.md)
    Audit.create(started_at=clock.now(), finished_at=clock.now(), scope="the 3 marked")
    travel(days=1)
    page = quickstart.first_page(db, 80)
    assert page is not None
    assert _seen(page.rows) == _seen(network.first_page(80))
    assert any(r.state == "overdue" for r in page.rows)


def test_an_empty_network_is_an_empty_page(db):
    page = quickstart.first_page(db, 10)
    assert page is not None and page.rows == []


def test_only_a_file_at_this_schema_version_is_read_directly(db, tmp_path):
    assert quickstart.current(db)
    older = tmp_path / "older.db"
    con = sqlite3.connect(db)
    con.execute("VACUUM INTO ?", (str(older),))
    con.close()
    con = sqlite3.connect(older)
    con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION - 1,))
    con.commit()
    con.close()
    assert not quickstart.current(older)  # to be upgraded: the store opens it first
    empty = tmp_path / "empty.db"
    empty.touch()
    assert not quickstart.current(empty)  # a new network: the store creates it
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.close()
    assert not quickstart.current(other)  # not netterm's: the store refuses it in one line
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 20)
    assert not quickstart.current(text)
    assert not quickstart.current(tmp_path)  # a folder
    assert not quickstart.current(tmp_path / "missing.db")


def test_a_file_it_cannot_read_gives_none_not_an_error(db, tmp_path):
    generate(size=10, seed=1)
    con = sqlite3.connect(db)
    con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('policy.cadence_tier1', '{')")
    con.commit()
    con.close()
    assert quickstart.first_page(db, 5) is None  # the store reads it, and says what is wrong
    assert quickstart.first_page(tmp_path / "gone.db", 5) is None


def test_the_clock_without_pendulum_says_what_the_clock_says(tmp_path):
    """Run where pendulum is not loaded yet (a new process), in zones either side of the
    date line, then compared with `clock` itself."""
    code = (
        "import sys, os\n"
        "from netterm.services import quickstart\n"
        "today, zone = quickstart._today()\n"
        "assert 'pendulum' not in sys.modules\n"
        "from netterm.config import clock\n"
        "print(today == clock.today(), today.isoformat(), getattr(zone, 'key', zone))\n"
    )
    for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Lisbon", ""):
        env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("NETTERM_")}
        if tz:
            env["NETTERM_TZ"] = tz
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        same, _day, zone = out.stdout.split()
        assert same == "True", (tz, out.stdout)
        assert zone == (tz or "None")


def test_a_pinned_clock_is_asked_itself(db, monkeypatch):
    generate(size=30, seed=4)
    monkeypatch.setenv("NETTERM_NOW", "2027-02-01T09:00")
    clock.set(None)
    page = quickstart.first_page(db, 30)
    assert page is not None and page.today == pendulum.date(2027, 2, 1)
    assert _seen(page.rows) == _seen(network.first_page(30))


def test_the_store_opens_on_first_use_when_the_app_left_it_pending(tmp_path):
    path = tmp_path / "later.db"
    store.open_database(path)
    svc.add_contact("Ana Silva")
    store.close_database()
    opened = []

    def opener():
        opened.append(path)
        store.open_database(path)

    from netterm.store.models import database

    database.initialize(None)  # as in a new process: nothing opened yet
    store.open_later(opener)
    try:
        # anything that uses the database first opens it (a key pressed before the
        # app's first frame), once
        assert [c.name for c in svc.find("ana silva")] == ["Ana Silva"]
        store.open_now()
        assert opened == [path]
    finally:
        store.open_later(None)
        store.close_database()


def test_an_opener_that_fails_stays_pending_and_fails_again(tmp_path):
    calls = []

    def opener():
        calls.append(1)
        raise StoreError("the file is locked")

    from netterm.store.models import database

    database.initialize(None)  # as in a new process: nothing opened yet
    store.open_later(opener)
    try:
        with pytest.raises(StoreError, match="locked"):
            store.open_now()
        with pytest.raises(StoreError, match="locked"):
            svc.count_states()
        assert len(calls) == 2
    finally:
        store.open_later(None)


def test_settings_it_reads_are_the_stored_json(db):
    svc.set_setting("policy.cadence_tier2", 200)
    con = sqlite3.connect(db)
    (value,) = con.execute(
        "SELECT value FROM setting WHERE key = 'policy.cadence_tier2'"
    ).fetchone()
    con.close()
    assert json.loads(value) == 200
    assert quickstart._policy(sqlite3.connect(db)) == svc.get_policy()
