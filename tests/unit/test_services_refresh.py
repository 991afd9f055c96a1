"""The service functions an open app refreshes itself with (first page, rows, counts, changes)."""

from __future__ import annotations

import time

from engines import raw_connect

from netterm import services as svc
from netterm.core import status as st
from netterm.services import network
from netterm.services.demo import generate


def _sig(row):
    return (row.id, row.name, row.state, row.due, row.overdue, row.flags, row.categories)


def test_first_page_is_the_top_of_the_active_network(db):
    generate(size=120, seed=4)
    full = [r for r in svc.load_network().rows if r.state != st.ARCHIVED]
    page = network.first_page(25)
    assert [_sig(r) for r in page] == [_sig(r) for r in full[:25]]
    assert all(r.search_text for r in page)  # searchable straight away
    assert network.first_page(0) == []


def test_rows_for_matches_the_full_load(db):
    generate(size=150, seed=6)
    full = {r.id: r for r in svc.load_network().rows}
    archived = next(i for i, r in full.items() if r.state == st.ARCHIVED)
    some = [*list(full)[:5], archived, 999_999]
    rows = network.rows_for(some)
    assert sorted(r.id for r in rows) == sorted(some[:-1])
    for row in rows:
        assert _sig(row) == _sig(full[row.id])
        assert row.haystack == full[row.id].haystack
    assert network.rows_for([]) == []


def test_counts_of_states_equal_the_sql_counts(db):
    generate(size=150, seed=9)
    assert network.counts_of(network.states()) == svc.count_states()


def test_data_version_sees_another_connection_commit(db):
    before = network.data_version()
    assert network.data_version() == before  # nothing changed
    svc.add_contact("Ana Silva")  # our own connection: not a change "by another"
    assert network.data_version() == before
    other = raw_connect(db)
    other.execute("UPDATE contact SET notes = 'x'")
    other.commit()
    other.close()
    deadline = time.monotonic() + 2  # PostgreSQL: the notice arrives asynchronously
    while network.data_version() == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert network.data_version() != before
