"""The Insights figures (core/insights.py), pure, on a frozen today; and the queries
that feed them (services/insights.py) checked against the pure rules on a small network."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netterm.config import DEFAULT_POLICY
from netterm.core import insights as fig
from netterm.core import status as st
from netterm.errors import InvalidInput

TODAY = date(2026, 11, 26)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# --------------------------------------------------------------------------- kind groups


@pytest.mark.parametrize(
    ("kind", "in_person", "group"),
    [
        ("coffee", True, fig.FACE),
        ("lunch", True, fig.FACE),
        ("email", True, fig.FACE),  # whatever the kind, met in person is face to face
        ("meeting", True, fig.FACE),
        ("coffee", False, fig.CALLS),  # a coffee held remotely, or an invitation
        ("meeting", False, fig.CALLS),  # a video meeting
        ("call", False, fig.CALLS),
        ("email", False, fig.WRITTEN),
        ("message", False, fig.WRITTEN),
        ("article", False, fig.WRITTEN),
        ("update", False, fig.WRITTEN),
        ("congrats", False, fig.WRITTEN),
        ("intro", False, fig.WRITTEN),
        ("favour", False, fig.WRITTEN),
        ("social", False, fig.SOCIAL),
    ],
)
def test_kind_groups(kind, in_person, group):
    assert fig.kind_group(kind, in_person) == group


# --------------------------------------------------------------------------- months


def test_last_months_cross_the_year():
    assert fig.last_months(date(2026, 2, 10), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert fig.months_start(date(2026, 2, 10), 4) == date(2025, 11, 1)
    assert len(fig.last_months(TODAY, 24)) == 24
    assert fig.last_months(TODAY, 24)[0] == "2024-12"


def test_touches_by_month_stacks_groups_and_shares():
    rows = [
        ("2026-11", "coffee", True, 3),
        ("2026-11", "email", False, 1),
        ("2026-10", "call", False, 2),
        ("2026-09", "social", False, 4),
        ("2025-01", "lunch", True, 2),
        ("2024-11", "coffee", True, 50),  # before the 24 months: ignored
        ("2026-12", "coffee", True, 50),  # after today's month: ignored
    ]
    t = fig.touches_by_month(rows, TODAY)
    assert t.months[-1] == "2026-11" and t.months[0] == "2024-12"
    assert t.by_group[fig.FACE][-1] == 3 and t.by_group[fig.WRITTEN][-1] == 1
    assert t.by_group[fig.CALLS][-2] == 2 and t.by_group[fig.SOCIAL][-3] == 4
    assert t.by_group[fig.FACE][t.months.index("2025-01")] == 2
    assert t.total == 12
    assert t.face_share == pytest.approx(5 / 12)
    assert t.recent_face_share == pytest.approx(3 / 10)  # Sep, Oct, Nov
    assert t.busiest == "2026-11"  # 4 touches, tied with September: the later wins
    assert t.per_month[-1] == 4
    assert t.caption == (
        "12 touches in the last 24 months, 42% face to face, 30% over the last 3 months. "
        "Busiest month: Nov 2026. Most touches are face to face."
    )


def test_touches_by_month_empty():
    t = fig.touches_by_month([], TODAY)
    assert t.total == 0 and t.busiest is None and t.face_share == 0.0
    assert t.caption == "No touch logged in the last 24 months."


# --------------------------------------------------------------------------- health


def test_health_by_tier_counts_states_and_moves_since_the_audit():
    now = {
        (1, st.OK): 6,
        (1, st.OVERDUE): 4,
        (2, st.OK): 9,
        (2, st.DUE_SOON): 1,
        (3, st.PAUSED): 2,
        (None, st.UNTRACKED): 7,
        (None, st.PAUSED): 1,
        (1, st.ARCHIVED): 5,  # archived: not in any bar
        (None, st.ARCHIVED): 3,
    }
    before = {(1, st.OK): 9, (1, st.OVERDUE): 1, (2, st.OK): 10}
    h = fig.health_by_tier(now, before, date(2026, 5, 2))
    t1, t2, t3 = h.tiers
    assert t1.counts[st.OK] == 6 and t1.counts[st.OVERDUE] == 4 and t1.total == 10
    assert t1.ok_share == 0.6 and t1.before_ok_share == 0.9
    assert t1.moved(st.OVERDUE) == 3 and t2.moved(st.OVERDUE) == 0
    assert t3.total == 2 and t3.ok_share == 0.0
    assert h.untracked == 8
    assert h.compared
    assert h.caption == (
        "68% of 22 tracked contacts are ok, 4 overdue; tier 3 (light) holds up worst (0% ok). "
        "3 more overdue than at the audit of 2026-05-02."
    )


def test_health_without_an_audit_or_without_the_comparison():
    now = {(1, st.OK): 1}
    assert fig.health_by_tier(now).caption.endswith("No audit finished yet to compare with.")
    h = fig.health_by_tier(now, None, date(2026, 5, 2))
    assert not h.compared and h.tiers[0].moved(st.OVERDUE) is None
    assert h.caption.endswith("Not compared with the audit of 2026-05-02.")
    fewer = fig.health_by_tier({(1, st.OK): 2}, {(1, st.OVERDUE): 2}, date(2026, 5, 2))
    assert fewer.caption.endswith("2 fewer overdue than at the audit of 2026-05-02.")
    assert fig.health_by_tier({}).caption.startswith("No contact is tracked yet")


# --------------------------------------------------------------------------- attention


CADENCES = {1: 90, 2: 180, 3: 365}


def test_attention_budget_asks_seven_over_cadence_and_counts_weeks():
    contacts = [
        (1, 90, False, st.OK, 1),
        (1, 90, False, st.OVERDUE, 1),
        (2, 180, False, st.OVERDUE, 1),
        (2, 30, True, st.OVERDUE, 1),  # its own cadence: moving it to tier 3 frees nothing
        (3, 365, False, st.OVERDUE, 1),
        (3, 365, False, st.DUE_SOON, 1),
    ]
    daily = {TODAY: 3, ago(6): 1, ago(7): 2, ago(55): 4, ago(56): 100, TODAY + timedelta(1): 9}
    a = fig.attention_budget(contacts, daily, TODAY, CADENCES, weeks=8)
    assert a.tracked == 6
    assert a.asked == pytest.approx(7 * (2 / 90 + 1 / 180 + 1 / 30 + 2 / 365))
    assert a.by_tier[1] == pytest.approx(14 / 90)
    assert a.weekly == [4, 0, 0, 0, 0, 0, 2, 4]  # day 56 is the 9th week back: out
    assert a.logged == pytest.approx(10 / 8)
    t3, t2, t1 = a.retiers
    assert (t3.tier, t3.contacts, t3.query) == (3, 1, "tier:3 is:overdue")
    assert t3.saves == pytest.approx(7 / 365)  # to untracked: its whole share
    assert t2.contacts == 2 and t2.saves == pytest.approx(7 / 180 - 7 / 365)
    assert t1.contacts == 1 and t1.saves == pytest.approx(7 / 90 - 7 / 180)
    assert t1.text == "overdue tier 1 to tier 2"
    assert "ask for 0.5 touches a week; you logged 1.2 a week over the last 8 weeks" in a.caption
    assert a.caption.endswith("Moving the overdue tier 1 to tier 2 would save 0.0 a week.")


def test_attention_budget_counts_groups_of_contacts():
    one_by_one = [(2, 180, False, st.OVERDUE, 1)] * 3 + [(3, 365, False, st.OK, 1)] * 2
    grouped = [(2, 180, False, st.OVERDUE, 3), (3, 365, False, st.OK, 2)]
    a = fig.attention_budget(one_by_one, {}, TODAY, CADENCES)
    b = fig.attention_budget(grouped, {}, TODAY, CADENCES)
    assert (a.tracked, a.asked, a.by_tier) == (b.tracked, b.asked, b.by_tier)
    assert [(r.contacts, r.saves) for r in a.retiers] == [(r.contacts, r.saves) for r in b.retiers]
    assert b.retiers[1].contacts == 3 and b.tracked == 5


def test_attention_budget_caption_when_enough_or_nothing():
    a = fig.attention_budget([(1, 7, False, st.OK, 1)], {TODAY: 8}, TODAY, CADENCES, weeks=1)
    assert a.asked == 1.0 and a.logged == 8.0
    assert "(enough)" in a.caption
    none = fig.attention_budget([], {}, TODAY, CADENCES)
    assert none.caption == "No contact is tracked: the cadences ask for nothing yet."
    assert none.asked == 0.0 and none.logged == 0.0


# --------------------------------------------------------------------------- reciprocity


def test_quarters_and_reciprocity():
    assert fig.last_quarters(date(2026, 2, 1), 3) == ["2025-Q3", "2025-Q4", "2026-Q1"]
    assert fig.quarters_start(date(2026, 2, 1), 3) == date(2025, 7, 1)
    quarters, gave, received = fig.reciprocity(
        [
            ("2026-Q4", "gave", 2),
            ("2026-Q4", "received", 1),
            ("2025-Q1", "gave", 5),
            ("2024-Q4", "gave", 9),
            ("2026-Q3", "none", 4),
        ],
        TODAY,
    )
    assert quarters[0] == "2025-Q1" and quarters[-1] == "2026-Q4"
    assert gave == [5, 0, 0, 0, 0, 0, 0, 2] and received == [0] * 7 + [1]


def test_balances_largest_each_way_and_captions():
    rows = [(1, "Ana", 3, 0), (2, "Bo", 0, 4), (3, "Cy", 1, 1), (4, "Di", 0, 2), (5, "Al", 3, 0)]
    gave_more, took_more = fig.balances(rows, limit=5)
    assert [b.name for b in gave_more] == ["Al", "Ana"]  # ties by name
    assert [(b.name, b.balance) for b in took_more] == [("Bo", -4), ("Di", -2)]
    r = fig.Reciprocity(["2026-Q4"], [1], [3], gave_more, took_more, 365)
    assert r.caption == (
        "Over the last 1 quarters you gave 1 times and received 3: you take more than you "
        "give. Largest debt: Bo (received 4, gave 0 in 365 days)."
    )
    assert fig.Reciprocity(["q"], [0], [0], [], [], 365).caption.startswith("Nothing marked")
    assert fig.balances(rows, limit=1)[0][0].name == "Al"


# --------------------------------------------------------------------------- categories


def test_category_health_share_ok_among_the_tracked_and_sorts():
    rows = [
        ("clients", st.OK, 3),
        ("clients", st.OVERDUE, 1),
        ("clients", st.UNTRACKED, 10),  # no cadence: not in the share
        ("clients", st.ARCHIVED, 5),  # archived: not counted at all
        ("mentors", st.OK, 1),
        ("mentors", st.PAUSED, 1),
        ("imports", st.UNTRACKED, 4),
    ]
    items = fig.category_health(rows)
    by = {c.name: c for c in items}
    assert (by["clients"].contacts, by["clients"].tracked, by["clients"].ok) == (14, 4, 3)
    assert by["clients"].ok_share == 0.75 and by["clients"].overdue == 1
    assert by["mentors"].ok_share == 1.0 and by["mentors"].contacts == 2
    assert [c.name for c in items] == ["clients", "mentors", "imports"]  # untracked last
    assert [c.name for c in fig.sort_categories(items, "name")] == ["clients", "imports", "mentors"]
    assert [c.name for c in fig.sort_categories(items, "size")] == ["clients", "imports", "mentors"]
    assert fig.sort_categories(items, "overdue")[0].name == "clients"
    assert fig.categories_caption(items) == (
        "3 categories. Healthiest: mentors (100% ok); most neglected: clients (75% ok)."
    )
    assert fig.categories_caption([]) == "No category has a tracked contact yet."
    with pytest.raises(InvalidInput, match="unknown sort 'nope'"):
        fig.sort_categories(items, "nope")


# --------------------------------------------------------------------------- not met


def test_not_met_never_first_then_longest_ago():
    t = TODAY.toordinal()
    rows = [
        (1, "Ana", t - 10),
        (2, "Bo", None),
        (3, "Cy", t - 500),
        (4, "Al", None),
        (5, "Di", t - 400),
    ]
    n = fig.not_met(rows, TODAY, threshold=365, limit=3)
    assert [p.name for p in n.people] == ["Al", "Bo", "Cy"]
    assert n.people[2].days == 500 and n.people[2].last_in_person == ago(500)
    assert (n.priority, n.over_year) == (5, 4)
    assert n.caption == (
        "4 of 5 priority contacts not met face to face for over a year; longest: Al (never)."
    )
    assert fig.not_met([], TODAY).caption == "No priority contact (tier 1) yet."
    met = fig.not_met([(1, "Ana", t - 3)], TODAY)
    assert met.caption == "You met all 1 priority contacts face to face in the last year."


# --------------------------------------------------------------------------- the queries


def test_the_queries_agree_with_the_pure_rules(db):
    """Each figure read from SQL equals what the pure rules say of the same network."""
    from netterm import services
    from netterm.services import insights, network

    ana = services.add_contact("Ana Silva", tier=1, categories=["clients"])
    bo = services.add_contact("Bo Chen", tier=3, categories=["clients", "mentors"])
    cy = services.add_contact("Cy Dee")  # untracked
    services.log_touch(ana, "coffee", when=iso(ago(400)))
    services.log_touch(ana, "email", when=iso(ago(3)))
    services.log_touch(bo, "article", when=iso(ago(20)))
    services.log_touch(bo, "favour", when=iso(ago(40)), value="received")
    services.log_touch(bo, "intro", when=iso(ago(50)), value="received")
    services.log_touch(cy, "call", when=iso(ago(5)))

    data = insights.load(TODAY, before=False)
    net = network.load_network(TODAY)
    by_state = {}
    for row in net.rows:
        by_state[(row.tier, row.state)] = by_state.get((row.tier, row.state), 0) + 1
    assert insights.state_counts(TODAY, DEFAULT_POLICY) == by_state
    assert data.touches.total == 6
    assert data.touches.by_group[fig.FACE][fig.last_months(TODAY, 24).index(month(ago(400)))] == 1
    assert sum(data.touches.by_group[fig.CALLS]) == 1
    assert data.attention.tracked == 2
    assert data.attention.asked == pytest.approx(7 / 90 + 7 / 365)
    assert [(b.name, b.balance) for b in data.reciprocity.took_more] == [("Bo Chen", -1)]
    assert [(c.name, c.contacts) for c in fig.sort_categories(data.categories, "name")] == [
        ("clients", 2),
        ("mentors", 1),
    ]
    assert [(p.name, p.days) for p in data.not_met.people] == [("Ana Silva", 400)]
    assert data.to_json()["not_met"]["people"][0]["last_in_person"] == ago(400).isoformat()


def test_the_balances_read_only_the_names_they_need_and_agree_with_the_pure_rule(db):
    """Past the five largest balances each way the names are not read; what is shown is
    what `fig.balances` says of every contact's balance (ties at the edge by name)."""
    from netterm import services
    from netterm.services import insights

    plan = {  # name: (gave, received)
        "Al": (4, 0),
        "Bea": (3, 0),
        "Cy": (2, 0),
        "Dan": (2, 0),
        "Eve": (2, 0),
        "Fay": (2, 0),  # a tie at the fifth place: by name, Fay is out
        "Gus": (1, 0),
        "Hal": (1, 1),  # even: never shown
        "Ida": (0, 3),
        "Jo": (0, 1),
        "Old": (0, 9),  # archived: never shown
        "Far": (0, 7),  # outside the window
    }
    everyone, ids = [], {}
    for name, (gave, received) in plan.items():
        cid = ids[name] = services.add_contact(name, tier=2)
        days = 500 if name == "Far" else 10
        for i in range(gave):
            services.log_touch(cid, "favour", when=iso(ago(days + i)), value="gave")
        for i in range(received):
            services.log_touch(cid, "intro", when=iso(ago(days + i)), value="received")
        if name not in ("Old", "Far"):
            everyone.append((cid, name, gave, received))
    services.archive(ids["Old"])
    rows = insights.balance_rows(TODAY, DEFAULT_POLICY)
    assert {r[1] for r in rows} == {"Al", "Bea", "Cy", "Dan", "Eve", "Fay", "Ida", "Jo"}
    assert fig.balances(rows) == fig.balances(everyone)
    gave_more, took_more = fig.balances(rows)
    assert [b.name for b in gave_more] == ["Al", "Bea", "Cy", "Dan", "Eve"]
    assert [b.name for b in took_more] == ["Ida", "Jo"]


def iso(d: date) -> str:
    return d.isoformat()


def tracked_since(contact_id: int, day: date) -> None:
    from netterm.services import stats
    from netterm.store.models import Contact, database

    with database.atomic():
        Contact.update(tracked_since=day).where(Contact.id == contact_id).execute()
        stats.refresh([contact_id])


def month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def test_states_at_the_audit_are_the_rules_as_of_that_day(db):
    """A contact touched after the audit was overdue then; one added since was not tracked."""
    from netterm import services
    from netterm.services import insights

    ana = services.add_contact("Ana Silva", tier=1)
    tracked_since(ana, ago(400))
    services.log_touch(ana, "coffee", when=iso(ago(300)))  # overdue 100 days ago
    services.log_touch(ana, "coffee", when=iso(ago(10)))  # ok now
    later = services.add_contact("Bo Chen", tier=1)
    tracked_since(later, ago(5))
    services.log_touch(later, "email", when=iso(ago(2)))
    then = insights.states_at(ago(100), DEFAULT_POLICY)
    assert then == {(1, st.OVERDUE): 1, (None, st.UNTRACKED): 1}
    assert insights.state_counts(TODAY, DEFAULT_POLICY) == {(1, st.OK): 2}


def test_states_at_the_audit_are_computed_again_only_after_a_change(db, monkeypatch):
    from netterm import services
    from netterm.services import insights

    ana = services.add_contact("Ana Silva", tier=1)
    tracked_since(ana, ago(400))
    calls = []
    real = insights.states_at
    monkeypatch.setattr(insights, "states_at", lambda *a: calls.append(a) or real(*a))
    first = insights.states_at_cached(ago(100), DEFAULT_POLICY)
    assert insights.states_at_cached(ago(100), DEFAULT_POLICY) == first
    assert len(calls) == 1
    services.log_touch(ana, "coffee", when=iso(ago(150)))  # before that day: it matters
    assert insights.states_at_cached(ago(100), DEFAULT_POLICY) == {(1, st.OK): 1}
    assert len(calls) == 2


def test_a_schema_3_file_gains_the_touches_by_day_index(tmp_path):
    """The Insights passes read touches by date from an index (migration 4)."""
    import sqlite3

    from netterm.store import close_database, open_database
    from netterm.store.migrations import TOUCHES_BY_DAY
    from netterm.store.models import database

    path = tmp_path / "old.db"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    con.executescript(
        f"DROP INDEX {TOUCHES_BY_DAY}; ALTER TABLE audit DROP COLUMN scope; "  # schema 6's
        "DELETE FROM schema_version; "
        "INSERT INTO schema_version (version, applied_at) VALUES (3, '2026-01-01');"
    )
    con.close()
    open_database(path)
    try:
        names = [r[1] for r in database.execute_sql("PRAGMA index_list(interaction)")]
        assert TOUCHES_BY_DAY in names
        plan = " ".join(
            str(r[-1])
            for r in database.execute_sql(
                "EXPLAIN QUERY PLAN SELECT occurred_on, kind, in_person, value, COUNT(*) "
                "FROM interaction WHERE occurred_on >= '2025-01-01' AND occurred_on <= "
                "'2026-11-26' GROUP BY occurred_on, kind, in_person, value"
            )
        )
        assert f"COVERING INDEX {TOUCHES_BY_DAY}" in plan
    finally:
        close_database()


def test_a_schema_4_file_gains_the_partial_indexes_of_insights(tmp_path):
    """Migration 5: the touches marked given or received, and the contacts with a
    cadence of their own, each in a small partial index that the passes use."""
    import sqlite3

    from netterm.store import close_database, open_database
    from netterm.store.models import OWN_CADENCE, VALUED_TOUCHES, database

    path = tmp_path / "old.db"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    con.executescript(
        f"DROP INDEX {VALUED_TOUCHES}; DROP INDEX {OWN_CADENCE}; "
        "ALTER TABLE audit DROP COLUMN scope; DELETE FROM schema_version; "  # schema 6's
        "INSERT INTO schema_version (version, applied_at) VALUES (4, '2026-01-01');"
    )
    con.close()
    open_database(path)
    try:
        touches = [r[1] for r in database.execute_sql("PRAGMA index_list(interaction)")]
        contacts = [r[1] for r in database.execute_sql("PRAGMA index_list(contact)")]
        assert VALUED_TOUCHES in touches
        assert OWN_CADENCE in contacts

        def plan(sql: str) -> str:
            return " ".join(str(r[-1]) for r in database.execute_sql("EXPLAIN QUERY PLAN " + sql))

        assert f"COVERING INDEX {VALUED_TOUCHES}" in plan(
            "SELECT contact_id, COUNT(*) FROM interaction WHERE value != 'none' AND "
            "occurred_on >= '2025-11-26' AND occurred_on <= '2026-11-26' GROUP BY contact_id"
        )
        assert f"COVERING INDEX {OWN_CADENCE}" in plan(
            "SELECT id FROM contact WHERE cadence_days > 0"
        )
    finally:
        close_database()
