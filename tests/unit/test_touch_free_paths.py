"""What must not grow with the number of touches (issue 12: 3,000,000 touches on 30,000
contacts): `netterm due`, the app's first page and whole network, and the watcher's
recompute read the `contact_state` cache and the contact rows, never the touch log.

Each path runs with SQLite's statement trace on, and no statement may name the
`interaction` table; the query plans of the statements they do run must not scan it
either (tests/perf/bench_capture.py `--only scale` measures the same at full size).
"""

from __future__ import annotations

import pytest

from netterm import services as svc
from netterm.config import clock
from netterm.services import network
from netterm.store.models import database

pytestmark = pytest.mark.sqlite_only  # SQLite's statement trace


@pytest.fixture
def traced(db):
    for i in range(12):
        c = svc.add_contact(f"Person{i} Surname", tier=(i % 3) + 1)
        for day in range(1, 4):
            svc.log_touch(c, "email", f"2026-0{day}-1{i % 9}", direction="out")
    statements: list[str] = []
    conn = database.connection()
    conn.set_trace_callback(statements.append)
    yield statements
    conn.set_trace_callback(None)


def _touch_free(statements: list[str]) -> None:
    assert statements, "nothing was traced"
    for sql in statements:
        assert "interaction" not in sql.lower(), sql
        if sql.lstrip().upper().startswith("SELECT"):
            plan = " ".join(
                str(r[-1]) for r in database.connection().execute(f"EXPLAIN QUERY PLAN {sql}")
            )
            assert "interaction" not in plan.lower(), (sql, plan)


def test_due_reads_the_cache_not_the_touches(traced):
    counts, rows = network.triage(clock.today())
    assert rows and counts.total == 12
    for row in rows:
        network.explain_row(row, clock.today())
    _touch_free(traced)


def test_first_page_and_the_whole_network(traced):
    assert len(network.first_page(5)) == 5
    assert len(network.load_network().rows) == 12
    _touch_free(traced)


def test_the_watchers_recompute(traced):
    today = clock.today()
    states = network.states(today)
    rows = network.rows_for(set(list(states)[:3]), today)
    network.counts_of(states, today)
    network.count_states(today)
    assert len(rows) == 3
    _touch_free(traced)
