"""The SQL twin of the status rules agrees with `core.status.evaluate` on anything."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from netterm.config import Policy
from netterm.core.status import FOLLOW_UP_DUE, Facts, TouchSummary, evaluate
from netterm.store.models import Contact, database
from netterm.store.status_sql import (
    CACHE_COLUMNS,
    FLAGS_BY_MASK,
    STATE_BY_RANK,
    cache_row,
    counts_sql,
    status_sql,
)

BASE = date(2026, 11, 26)


def days(lo=-900, hi=60):
    return hs.one_of(hs.none(), hs.integers(lo, hi).map(lambda d: BASE + timedelta(days=d)))


summaries = hs.builds(
    TouchSummary,
    last_touch_on=days(),
    last_touch_kind=hs.sampled_from(["coffee", "email", None]),
    last_inbound_on=days(),
    last_in_person_on=days(),
    unanswered=hs.integers(0, 4),
    awaiting_since=days(),
    last_gave_on=days(),
    received_recent_on=days(),
)
facts_strategy = hs.builds(
    Facts,
    tier=hs.sampled_from([1, 2, 3, None]),
    cadence_days=hs.one_of(hs.none(), hs.integers(1, 400)),
    tracked_since=days(),
    archived=hs.booleans(),
    paused_until=days(-30, 30),
    awaiting_inbound_since=days(-100, 0),
    summary=summaries,
    next_follow_up_on=days(-30, 30),
    job_changed=hs.booleans(),
    reviewed_on=days(-400, 0),
    created_on=days(-400, 0),
)
policies = hs.builds(
    Policy,
    cadence_tier1=hs.integers(7, 120),
    due_soon_days=hs.integers(0, 30),
    unresponsive_after=hs.integers(1, 4),
    follow_up_days=hs.integers(1, 200),
    meet_in_person_days=hs.integers(30, 500),
    reciprocity_days=hs.integers(30, 500),
    weight_tier1=hs.sampled_from([1.0, 3.0, 5.5]),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batch=hs.lists(facts_strategy, min_size=1, max_size=8),
    policy=policies,
    today_offset=hs.integers(-60, 400),
    audit_offset=hs.one_of(hs.none(), hs.integers(-400, 0)),
)
def test_sql_and_python_agree(db, batch, policy, today_offset, audit_offset):
    today = BASE + timedelta(days=today_offset)
    audit = None if audit_offset is None else BASE + timedelta(days=audit_offset)
    with database.atomic() as tx:
        ids = []
        for f in batch:
            c = Contact.create(first_name="x")
            row = cache_row(f, policy)
            cols = ", ".join(("contact_id", *CACHE_COLUMNS))
            marks = ", ".join("?" * (len(CACHE_COLUMNS) + 1))
            database.execute_sql(
                f"INSERT INTO contact_state ({cols}) VALUES ({marks})",
                (c.id, *(row[k] for k in CACHE_COLUMNS)),
            )
            ids.append(c.id)
        got = {
            r[0]: r[1:]
            for r in database.execute_sql(
                f"SELECT cs.contact_id, {status_sql(policy)}, {counts_sql(policy)} "
                "FROM contact_state cs",
                {"today": today.toordinal(), "audit": audit.toordinal() if audit else None},
            )
        }
        for cid, f in zip(ids, batch, strict=True):
            expected = evaluate(f, today, policy, audit)
            state, due, overdue, urgency, flags, count_state, follow_up = got[cid]
            assert count_state == state  # counts_sql: the same state, and the one flag
            assert bool(follow_up) == (FOLLOW_UP_DUE in expected.flags)
            assert STATE_BY_RANK[state] == expected.state, (f, expected)
            assert (date.fromordinal(due) if due is not None else None) == expected.due_on
            assert overdue == expected.days_overdue
            assert abs(urgency - expected.urgency) < 1e-9
            assert FLAGS_BY_MASK[flags] == expected.flags
        tx.rollback()
