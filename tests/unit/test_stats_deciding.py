"""One contact's facts from its deciding touches only (services/stats.py `facts_for`)
equal the facts folded from every touch (`gather`), on any timeline: the detail screen
of someone with years of e-mail reads a handful of touches instead of thousands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from netterm.services import stats
from netterm.store.models import Contact, Interaction, database

BASE = date(2026, 11, 26)

touches = hs.lists(
    hs.tuples(
        hs.integers(-40, 0),  # day, few of them: many touches share a day
        hs.integers(0, 3),  # hour: and an instant
        hs.sampled_from(["out", "in", "mutual"]),
        hs.booleans(),  # in person
        hs.booleans(),  # awaiting a reply
        hs.booleans(),  # replied
        hs.sampled_from(["none", "none", "gave", "received"]),
        hs.sampled_from(["email", "coffee", "congrats", "call"]),
    ),
    max_size=25,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(timeline=touches, threshold=hs.integers(1, 4))
def test_the_deciding_touches_give_the_same_facts(db, timeline, threshold):
    with database.atomic() as tx:
        cid = Contact.create(first_name="Ana", tier=1).id
        rows = []
        for day, hour, direction, in_person, awaiting, replied, value, kind in timeline:
            on = BASE + timedelta(days=day)
            at = datetime(on.year, on.month, on.day, 8 + hour, tzinfo=UTC)
            rows.append(
                {
                    "contact": cid,
                    "occurred_on": on,
                    "occurred_at": at,
                    "kind": kind,
                    "direction": direction,
                    "in_person": in_person,
                    "awaiting_reply": awaiting,
                    "replied_at": at if replied else None,
                    "value": value,
                }
            )
        if rows:
            Interaction.insert_many(rows).execute()
        from netterm.config import Policy

        policy = Policy(give_back_received=threshold)
        assert stats.facts_for(cid, policy) == stats.gather([cid], policy)[cid]
        tx.rollback()


def test_only_the_deciding_touches_are_read(db):
    """Of a long run of e-mail back and forth, the last reply on: not the years before."""
    with database.atomic():
        cid = Contact.create(first_name="Bo", tier=2).id
        rows = []
        for n in range(400):
            on = BASE - timedelta(days=400 - n)
            at = datetime(on.year, on.month, on.day, 9, tzinfo=UTC)
            rows.append(
                {
                    "contact": cid,
                    "occurred_on": on,
                    "occurred_at": at,
                    "kind": "email",
                    "direction": "in" if n % 2 else "out",
                    "awaiting_reply": not n % 2,
                    "value": "received" if n in (10, 20, 30) else "none",
                }
            )
        Interaction.insert_many(rows).execute()
    read = stats.deciding_touches(cid, give_back_received=2)
    assert len(read) <= 4  # the last reply, the attempt after it, two received
    assert stats.facts_for(cid) == stats.gather([cid])[cid]


def test_an_unknown_contact_is_not_found(db):
    from netterm.errors import NotFound

    with pytest.raises(NotFound):
        stats.facts_for(12345)
