"""`store.db.without_waiting`: the app's event loop never waits for another process's lock."""

from __future__ import annotations

import sqlite3
import time

import pytest

from netterm import services as svc
from netterm.store.db import WouldWait, without_waiting
from netterm.store.models import Contact, database


def test_a_free_lock_writes_at_once(db):
    with without_waiting():
        cid = svc.add_contact("Ana Silva")
    assert svc.get_contact(cid).name == "Ana Silva"
    busy = database.execute_sql("PRAGMA busy_timeout").fetchone()[0]
    assert busy > 0  # patient again afterwards


def test_a_taken_lock_raises_would_wait_at_once_and_writes_nothing(db):
    cid = svc.add_contact("Ana Silva")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(WouldWait), without_waiting():
            svc.archive(cid)
        assert time.monotonic() - started < 1.0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Contact.get_by_id(cid).archived_at is None
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] > 0
    svc.archive(cid)  # and afterwards, as usual
    assert Contact.get_by_id(cid).archived_at is not None


def test_other_errors_pass_through(db):
    with pytest.raises(ZeroDivisionError), without_waiting():
        1 / 0  # noqa: B018
