"""`store.db.without_waiting`: the app's event loop never waits for another process's lock
(on SQLite, the file's write lock; on PostgreSQL, netterm's advisory lock)."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from engines import is_postgres, raw_connect

from netterm import services as svc
from netterm.store.db import WouldWait, without_waiting
from netterm.store.models import Contact


@contextmanager
def lock_held(target):
    """Another process holds netterm's write lock until the block ends."""
    con = raw_connect(target)
    if is_postgres(target):
        from netterm.store.postgres import WRITE_LOCK

        con.autocommit = False
        con.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    else:
        con.isolation_level = None
        con.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        con.rollback() if is_postgres(target) else con.execute("ROLLBACK")
        con.close()


def test_a_free_lock_writes_at_once(db):
    with without_waiting():
        cid = svc.add_contact("Ana Silva")
    assert svc.get_contact(cid).name == "Ana Silva"


def test_a_taken_lock_raises_would_wait_at_once_and_writes_nothing(db):
    cid = svc.add_contact("Ana Silva")
    with lock_held(db):
        started = time.monotonic()
        with pytest.raises(WouldWait), without_waiting():
            svc.archive(cid)
        assert time.monotonic() - started < 1.0
    assert Contact.get_by_id(cid).archived_at is None
    svc.archive(cid)  # and afterwards, patient as usual
    assert Contact.get_by_id(cid).archived_at is not None


@pytest.mark.sqlite_only("SQLite's busy timeout")
def test_sqlite_is_patient_again_afterwards(db):
    from netterm.store.models import database

    with lock_held(db), pytest.raises(WouldWait), without_waiting():
        svc.add_contact("Ana Silva")
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] > 0


def test_other_errors_pass_through(db):
    with pytest.raises(ZeroDivisionError), without_waiting():
        1 / 0  # noqa: B018
