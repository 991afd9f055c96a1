"""The audit's pure rules: card order, suggestions, fact lines, tier steps (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netterm.config import DEFAULT_POLICY, Policy
from netterm.core import audit as rules
from netterm.core.audit import CardInput, JobChange, PlanEntry, fact_lines, plan_order, suggest
from netterm.core.kinds import GAVE, IN, MUTUAL, OUT, RECEIVED
from netterm.core.status import Facts, Touch, summarize
from netterm.errors import InvalidInput

TODAY = date(2026, 11, 26)  # the frozen "today" of the whole suite


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def entry(
    cid, tier=None, last=None, *, archived=False, created=400, reviewed=True, job=False, name="x"
):
    return PlanEntry(
        id=cid,
        tier=tier,
        archived=archived,
        last_touch_on=ago(last) if last is not None else None,
        entered_on=ago(created),
        created_on=ago(created),
        reviewed=reviewed,
        job_changed=job,
        name=name,
    )


# --------------------------------------------------------------------------- order


class TestOrder:
    def test_tiers_first_then_new_untracked_each_stalest_first(self):
        last_audit = ago(200)
        entries = [
            entry(1, tier=3, last=10),
            entry(2, tier=1, last=30),
            entry(3, tier=None, last=5, created=20),  # new since the last audit
            entry(4, tier=2, last=400),
            entry(5, tier=1, last=300),
            entry(6, tier=None, created=50),  # new, never touched
            entry(7, tier=2, last=20),
            entry(8, tier=3, last=800),
        ]
        assert plan_order(entries, last_audit) == [5, 2, 4, 7, 8, 1, 6, 3]

    def test_archived_never_and_old_untracked_only_when_unreviewed_or_job_changed(self):
        last_audit = ago(200)
        entries = [
            entry(1, tier=1, last=10, archived=True),
            entry(2, tier=None, archived=True, created=10),
            entry(3, tier=None, created=500),  # untracked, reviewed in an earlier audit
            entry(4, tier=None, created=500, reviewed=False),  # never reviewed: back it comes
            entry(5, tier=None, created=500, job=True),  # an import found a new job
            entry(6, tier=2, last=10),
        ]
        assert plan_order(entries, last_audit) == [6, 4, 5]

    def test_first_audit_takes_every_untracked_contact(self):
        entries = [entry(1, tier=None, created=900), entry(2, tier=None, created=10)]
        assert plan_order(entries, None) == [1, 2]

    def test_a_contact_added_on_the_audit_day_counts_as_new(self):
        assert plan_order([entry(1, tier=None, created=200)], ago(200)) == [1]
        assert plan_order([entry(1, tier=None, created=201)], ago(200)) == []

    def test_never_touched_is_as_stale_as_its_arrival(self):
        entries = [
            entry(1, tier=2, last=100),
            entry(2, tier=2, created=300),  # tracked 300 days, no touch: staler
            entry(3, tier=2, created=50),
        ]
        assert plan_order(entries, None) == [2, 1, 3]

    def test_ties_break_by_name_then_id(self):
        entries = [entry(3, 1, 10, name="b"), entry(1, 1, 10, name="b"), entry(2, 1, 10, name="a")]
        assert plan_order(entries, None) == [2, 1, 3]

    def test_a_part_keeps_the_order_and_takes_only_those_asked_for(self):
        last_audit = ago(200)
        entries = [
            entry(1, tier=3, last=10),
            entry(2, tier=1, last=30),
            entry(3, tier=None, created=500),  # old untracked, reviewed: asked for, so in
            entry(4, tier=2, last=400, archived=True),  # archived: never, asked or not
            entry(5, tier=1, last=300),
            entry(6, tier=None, created=20),
        ]
        assert plan_order(entries, last_audit, only={1, 3, 4, 5, 6}) == [5, 1, 3, 6]
        assert plan_order(entries, last_audit, only=set()) == []
        whole = plan_order(entries, last_audit)
        assert whole == [5, 2, 1, 6]
        # the part is the whole order with the others left out
        part = plan_order(entries, last_audit, only={2, 6})
        assert part == [i for i in whole if i in {2, 6}]

    def test_a_part_counts_as_the_network_audit_only_when_it_covers_everyone(self):
        entries = [entry(1, tier=1, last=10), entry(2, tier=None, created=500), entry(3, 2, 5)]
        last_audit = ago(200)
        whole = plan_order(entries, last_audit)  # [1, 3]: 2 is old and reviewed
        assert rules.covers_network(plan_order(entries, last_audit, only={1, 2, 3}), whole)
        # the old untracked contact is not needed to cover the network's audit
        assert rules.covers_network(plan_order(entries, last_audit, only={1, 3}), whole)
        assert not rules.covers_network(plan_order(entries, last_audit, only={1, 2}), whole)
        assert not rules.covers_network([], whole)
        assert rules.covers_network([], [])  # an empty network: nothing left out

    def test_groups(self):
        assert rules.group_of(entry(1, tier=1), None) == 1
        assert rules.group_of(entry(1, tier=None), None) == rules.GROUP_NEW
        assert rules.group_of(entry(1, tier=3, archived=True), None) is None
        assert rules.GROUP_LABELS[rules.GROUP_NEW] == "new and untracked"


# --------------------------------------------------------------------------- tier steps


def test_tier_steps():
    assert [rules.tier_up(t) for t in (None, 3, 2)] == [3, 2, 1]
    assert [rules.tier_down(t) for t in (1, 2, 3)] == [2, 3, None]
    with pytest.raises(InvalidInput, match="already priority"):
        rules.tier_up(1)
    with pytest.raises(InvalidInput, match="already untracked"):
        rules.tier_down(None)


# --------------------------------------------------------------------------- suggestions


def touch(days, kind="coffee", direction=MUTUAL, **kw):
    return Touch(occurred_on=ago(days), kind=kind, direction=direction, **kw)


def attempt(days, kind="email"):
    return Touch(occurred_on=ago(days), kind=kind, direction=OUT, awaiting_reply=True)


def card(touches=(), tier=2, *, tracked=400, created=400, **kw) -> CardInput:
    facts_kw = {
        k: kw.pop(k)
        for k in ("cadence_days", "paused_until", "awaiting_inbound_since", "job_changed")
        if k in kw
    }
    facts = Facts(
        tier=tier,
        tracked_since=ago(tracked) if tier else None,
        summary=summarize(touches),
        **facts_kw,
    )
    return CardInput(facts=facts, name="Ana Silva", created_on=ago(created), **kw)


def text(c: CardInput, policy: Policy = DEFAULT_POLICY) -> str:
    return suggest(c, TODAY, policy).text


class TestSuggestions:
    def test_the_examples_of_the_issue(self):
        # awaiting since 20 March: more than 60 days ago, this year → "since March"
        c = card([touch(400), attempt(251), attempt(200)], tier=2)
        s = suggest(c, TODAY)
        assert s.text == "Archive? No answer to 2 attempts since March"
        assert (s.action, s.decision) == ("archive", rules.ARCHIVE)

        c = card([touch(425, in_person=True), touch(20, "call")], tier=1)
        s = suggest(c, TODAY)
        assert s.text == "Meet in person: priority, last face-to-face 14 months ago"
        assert (s.action, s.decision) == ("meet", rules.KEEP)

        job = JobChange("Senior PM", "Acme", "Head of Product", "Globex", source="linkedin")
        assert text(card([touch(10)], job_change=job)) == "Congratulate: new role at Globex"

        c = card([], tier=None, created=91)
        s = suggest(c, TODAY)
        assert s.text == "Track? Added 3 months ago, never touched"
        assert s.decision == rules.TIER_UP

        c = card([touch(730, "email")], tier=2)
        s = suggest(c, TODAY)
        assert s.text == "Tier down? Regular but no touch in 2 years"
        assert s.decision == rules.TIER_DOWN

    def test_unanswered_attempts_of_last_year_and_recent_ones(self):
        assert text(card([attempt(400), attempt(380)])) == (
            "Archive? No answer to 2 attempts since October 2025"
        )
        assert text(card([touch(100), attempt(70), attempt(9)])) == (
            "Archive? No answer to 2 attempts since September"
        )

    def test_recent_unanswered_attempts_earn_patience(self):
        s = suggest(card([touch(100), attempt(20), attempt(9)], tier=1), TODAY)
        assert s.text == "Give them space: no answer to 2 attempts since 6 Nov"
        assert (s.action, s.decision) == ("give_space", rules.KEEP)

    def test_a_priority_contact_who_went_quiet_is_tiered_down_not_archived(self):
        s = suggest(card([touch(90), attempt(65), attempt(10)], tier=1), TODAY)
        assert s.text == "Tier down? Priority, but no answer to 2 attempts since September"
        assert s.decision == rules.TIER_DOWN

    def test_the_unresponsive_threshold_is_a_setting(self):
        c = card([touch(100), attempt(30), attempt(10)])
        assert suggest(c, TODAY, Policy(unresponsive_after=3)).action != "archive"

    def test_long_silence_archives_a_light_contact(self):
        assert text(card([touch(1100)], tier=3)) == "Archive? Light, no touch in 3 years"
        # within twice the cadence: only overdue
        assert suggest(card([touch(600)], tier=3), TODAY).action == "reach_out"

    def test_tracked_but_never_touched(self):
        s = suggest(card([], tier=2, tracked=500), TODAY)
        assert s.text == "Tier down? Regular but never in touch in 16 months of tracking"

    def test_job_change_comes_first_unless_acknowledged(self):
        job = JobChange("PM", "Acme", "VP Product", "Acme")
        c = card([touch(400), attempt(251), attempt(200)], job_change=job)
        assert text(c) == "Congratulate: new role as VP Product"
        seen = JobChange("PM", "Acme", "VP Product", "Acme", acknowledged=True)
        assert suggest(card([touch(10)], job_change=seen), TODAY).action == "keep"

    def test_duplicates_come_before_everything(self):
        c = card(
            [touch(400), attempt(251), attempt(200)],
            duplicates=((17, "Ana Silva", "same email ana@x.example"), (18, "Ana S.", "same name")),
        )
        s = suggest(c, TODAY)
        assert s.decision == rules.MERGE and s.merge_with == 17
        assert s.text == (
            "Merge? Looks like the same person as #17 Ana Silva (and 1 more): same email ana@x.example"
        )

    def test_untracked_but_in_touch(self):
        c = card([touch(14, "lunch")], tier=None, created=40)
        assert text(c) == "Track? Untracked, but in touch 2 weeks ago (lunch)"
        # a touch of long ago is no reason to start tracking
        old = suggest(card([touch(700, "social")], tier=None, created=40), TODAY)
        assert old.text == "Keep untracked: last in touch 23 months ago (social)"
        assert old.decision == rules.KEEP

    def test_tier_up_when_far_more_often_than_the_tier_asks(self):
        c = card([touch(d) for d in (10, 60, 120, 200)], tier=3, touches_last_year=4)
        s = suggest(c, TODAY)
        assert s.text == "Tier up? Light, but 4 touches in the last 12 months"
        assert s.decision == rules.TIER_UP
        assert suggest(card([touch(10)], tier=3, touches_last_year=3), TODAY).action == "keep"
        # every 180 days asked (2.03 a year): 7 touches is more than three times as often
        assert suggest(card([touch(10)], tier=2, touches_last_year=6), TODAY).action == "keep"
        assert suggest(card([touch(10)], tier=2, touches_last_year=7), TODAY).action == "tier_up"

    def test_give_back(self):
        touches = [
            touch(30, "intro", IN, value=RECEIVED),
            touch(60, "favour", IN, value=RECEIVED),
        ]
        c = card(touches, tier=2, received=2)
        assert (
            text(c)
            == "Give back: they helped you 2 times in the last 12 months and you gave nothing"
        )
        gave = card([*touches, touch(5, "article", OUT, value=GAVE)], tier=2)
        assert suggest(gave, TODAY).action == "keep"

    def test_overdue_snoozed_and_fine(self):
        assert text(card([touch(230)], tier=2)) == (
            "Reach out: overdue by 50 days, twice a year (every 180 days)"
        )
        snoozed = card([touch(230)], tier=2, paused_until=ago(-30))
        assert text(snoozed) == "Keep: snoozed until 26 Dec"
        waiting = card([touch(230)], tier=2, awaiting_inbound_since=ago(3))
        assert text(waiting) == "Keep: the ball is in their court"
        assert text(card([touch(21)], tier=2)) == "Keep: on track, last touch coffee 3 weeks ago"

    def test_every_suggestion_names_a_known_action_and_decision(self):
        for c in (
            card([]),
            card([touch(10)], tier=1),
            card([touch(1000)], tier=3),
            card([], tier=None),
            card([attempt(20), attempt(10)], tier=None),
        ):
            s = suggest(c, TODAY)
            assert s.action in rules.ACTIONS
            assert s.decision in rules.DECISIONS


# --------------------------------------------------------------------------- fact lines


def test_fact_lines_say_everything_in_plain_language():
    touches = [
        touch(425, "lunch", in_person=True),
        touch(200, "intro", OUT, value=GAVE),
        touch(100, "favour", IN, value=RECEIVED),
        attempt(40),
        attempt(12, "message"),
    ]
    job = JobChange("Senior PM", "Acme", "Head of Product", "Globex", "linkedin", on=ago(45))
    c = CardInput(
        facts=Facts(tier=1, tracked_since=ago(900), summary=summarize(touches)),
        how_met="former colleague at Acme",
        met_on=date(2019, 5, 2),
        job_change=job,
        gave=1,
        received=1,
    )
    lines = {f.key: (f.label, f.text) for f in fact_lines(c, TODAY)}
    assert lines["how_met"] == (
        "How met",
        "former colleague at Acme · met 8 years ago (2 May 2019)",
    )
    assert lines["tier"] == ("Tier", "priority · quarterly (every 90 days)")
    assert lines["last_touch"] == ("Last touch", "message on 14 Nov (12 days ago)")
    assert lines["unanswered"] == (
        "Unanswered",
        "2 attempts since 17 Oct, no reply for 5 weeks",
    )
    assert lines["in_person"] == ("In person", "last face to face 14 months ago (27 Sep 2025)")
    assert lines["reciprocity"] == ("Reciprocity", "gave 1 · received 1 in the last 12 months")
    assert lines["job_change"] == (
        "Job change",
        "Senior PM @ Acme → Head of Product @ Globex (from a LinkedIn import, 12 Oct)",
    )
    assert lines["status"][1].startswith("Unresponsive: 2 unanswered attempts")
    assert [f.key for f in fact_lines(c, TODAY)][:2] == ["status", "how_met"]


def test_fact_lines_of_a_bare_contact():
    c = CardInput(facts=Facts(tier=None))
    lines = {f.key: f.text for f in fact_lines(c, TODAY)}
    assert lines["how_met"] == "not recorded"
    assert lines["tier"] == "untracked · no reminders"
    assert lines["last_touch"] == "never"
    assert lines["unanswered"] == "none"
    assert lines["in_person"] == "never face to face in netterm's records"
    assert "job_change" not in lines


def test_own_cadence_is_named():
    c = CardInput(facts=Facts(tier=2, cadence_days=60, tracked_since=ago(10)))
    tier = next(f.text for f in fact_lines(c, TODAY) if f.key == "tier")
    assert tier == "regular · own cadence: every two months (every 60 days)"


@pytest.mark.parametrize(
    ("days", "phrase"),
    [
        (0, "0 days"),
        (1, "1 day"),
        (13, "13 days"),
        (20, "2 weeks"),
        (61, "2 months"),
        (425, "14 months"),
        (729, "24 months"),
        (730, "2 years"),
        (1100, "3 years"),
    ],
)
def test_span(days, phrase):
    assert rules.span(days) == phrase


def test_leap_day_and_future_dates_do_not_break_phrases():
    leap = date(2024, 2, 29)
    assert rules.since_phrase(leap, TODAY) == "February 2024"
    assert rules.span_ago(ago(-3), TODAY) == "in 3 days"
    c = card([touch(-5)], tier=2)  # a touch dated ahead of today
    assert suggest(c, TODAY).action == "keep"


def test_not_reviewed_flags_tracked_contacts_only():
    from netterm.core.status import NOT_REVIEWED, evaluate

    audit_day = ago(30)
    stale = dict(reviewed_on=ago(200), tracked_since=ago(400))
    assert NOT_REVIEWED in evaluate(Facts(tier=3, **stale), TODAY, last_audit_on=audit_day).flags
    assert (
        NOT_REVIEWED
        not in evaluate(Facts(tier=None, **stale), TODAY, last_audit_on=audit_day).flags
    )
    fresh = Facts(tier=3, reviewed_on=ago(29), tracked_since=ago(400))
    assert NOT_REVIEWED not in evaluate(fresh, TODAY, last_audit_on=audit_day).flags
