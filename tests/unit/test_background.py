"""A read on a thread of its own (netterm/services/background.py): `netterm due` and the
app's first screenful rely on it returning what the caller's own read would have, and on
an error reaching the caller unchanged."""

from __future__ import annotations

import threading

import pytest

from netterm import services as svc
from netterm.errors import NotFound
from netterm.services import network
from netterm.services.background import Pending
from netterm.services.demo import generate


def test_the_value_is_the_read_on_the_callers_own_connection(db):
    generate(size=60, seed=3)
    pending = Pending(lambda: network.first_page(20))
    here = network.first_page(20)
    assert [r.id for r in pending.result()] == [r.id for r in here]
    assert [r.state for r in pending.result()] == [r.state for r in here]


def test_the_read_runs_on_another_thread_with_its_own_connection(db):
    seen = {}

    def read():
        seen["thread"] = threading.current_thread()
        return svc.count_states().total

    assert Pending(read).result() == 0
    assert seen["thread"] is not threading.main_thread()
    # this thread's connection is untouched and still usable afterwards
    assert svc.count_states().total == 0


def test_an_error_is_raised_again_unchanged_by_result(db):
    pending = Pending(lambda: svc.get_contact(999_999))
    with pytest.raises(NotFound):
        pending.result()


def test_triage_with_its_counts_read_aside_is_the_same_triage(db):
    generate(size=150, seed=9)
    counts, rows = svc.triage()
    counts_aside, rows_aside = svc.triage(aside=True)
    assert counts_aside == counts
    assert [(r.id, r.state, r.flags) for r in rows_aside] == [
        (r.id, r.state, r.flags) for r in rows
    ]


def test_wait_keeps_the_error_for_result(db):
    pending = Pending(lambda: svc.get_contact(999_999))
    pending.wait()  # no error here: the caller decides when to see it
    with pytest.raises(NotFound):
        pending.result()
