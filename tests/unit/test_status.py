"""The status rules of docs/status-rules.md, as pure functions: no database, no Textual."""

from __future__ import annotations

from datetime import date, timedelta

import pendulum
import pytest

from netterm.config import DEFAULT_POLICY, Policy
from netterm.core import status as st
from netterm.core.explain import explain, flag_phrase
from netterm.core.kinds import GAVE, IN, MUTUAL, OUT, RECEIVED
from netterm.core.status import Facts, Touch, TouchSummary, evaluate, summarize

TODAY = date(2026, 11, 26)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def touch(days_ago: int, kind="coffee", direction=MUTUAL, **kw) -> Touch:
    return Touch(occurred_on=ago(days_ago), kind=kind, direction=direction, **kw)


def attempt(days_ago: int, kind="email", replied=False) -> Touch:
    return Touch(
        occurred_on=ago(days_ago), kind=kind, direction=OUT, awaiting_reply=True, replied=replied
    )


def facts(touches=(), tier=1, **kw) -> Facts:
    return Facts(
        tier=tier, tracked_since=kw.pop("tracked_since", ago(400)), summary=summarize(touches), **kw
    )


# --------------------------------------------------------------------------- summarize


class TestSummarize:
    def test_no_touches(self):
        s = summarize([])
        assert s == TouchSummary()

    def test_last_touch_is_the_latest_event_not_the_latest_logged(self):
        # logged today, but about last week's lunch; an older coffee logged later
        s = summarize([touch(7, "lunch", id=1), touch(30, "coffee", id=2)])
        assert s.last_touch_on == ago(7)
        assert s.last_touch_kind == "lunch"

    def test_unanswered_attempts_count_in_a_row(self):
        s = summarize([touch(100), attempt(20), attempt(10)])
        assert s.unanswered == 2
        assert s.awaiting_since == ago(20)

    def test_inbound_touch_answers_earlier_attempts(self):
        s = summarize([attempt(20), attempt(10), touch(5, "email", IN)])
        assert s.unanswered == 0
        assert s.awaiting_since is None
        assert s.last_inbound_on == ago(5)

    def test_mutual_touch_answers_attempts(self):
        assert summarize([attempt(20), touch(5, "coffee", MUTUAL)]).unanswered == 0

    def test_replied_attempt_resets_the_run(self):
        s = summarize([attempt(30), attempt(20, replied=True), attempt(10)])
        assert s.unanswered == 1
        assert s.awaiting_since == ago(10)

    def test_outbound_touch_without_reply_expected_neither_counts_nor_resets(self):
        s = summarize([attempt(30), touch(20, "article", OUT), attempt(10)])
        assert s.unanswered == 2

    def test_attempt_after_an_inbound_touch_starts_a_new_run(self):
        s = summarize([attempt(40), touch(30, "email", IN), attempt(10)])
        assert s.unanswered == 1

    def test_last_congratulation(self):
        s = summarize([touch(30, "congrats", OUT), touch(5, "email", OUT)])
        assert s.last_congrats_on == ago(30)

    def test_in_person_and_reciprocity_dates(self):
        s = summarize(
            [
                touch(200, "lunch", MUTUAL, in_person=True),
                touch(100, "favour", IN, value=RECEIVED),
                touch(50, "intro", IN, value=RECEIVED),
                touch(10, "intro", OUT, value=GAVE),
            ]
        )
        assert s.last_in_person_on == ago(200)
        assert s.last_gave_on == ago(10)
        # the 2nd most recent "received": received >= 2 in 12 months iff it is recent
        assert s.received_recent_on == ago(100)

    def test_same_day_touches_ordered_by_time(self):
        morning = pendulum.datetime(2026, 11, 20, 9, tz="UTC")
        evening = pendulum.datetime(2026, 11, 20, 19, tz="UTC")
        reply = Touch(ago(6), "email", IN, occurred_at=evening)
        ask = Touch(ago(6), "email", OUT, awaiting_reply=True, occurred_at=morning)
        assert summarize([reply, ask]).unanswered == 0
        reply_first = Touch(ago(6), "email", IN, occurred_at=morning)
        ask_later = Touch(ago(6), "email", OUT, awaiting_reply=True, occurred_at=evening)
        assert summarize([ask_later, reply_first]).unanswered == 1


# --------------------------------------------------------------------------- states


class TestStates:
    def test_no_touches_counts_from_tracking_start(self):
        s = evaluate(facts([], tier=1, tracked_since=ago(100)), TODAY)
        assert s.state == st.OVERDUE
        assert s.days_overdue == 10
        assert s.due_on == ago(10)

    def test_no_touches_no_tracking_date_is_due_a_cadence_from_today(self):
        s = evaluate(Facts(tier=2), TODAY)
        assert s.state == st.OK
        assert s.due_on == TODAY + timedelta(days=180)

    def test_tier1_coffee_120_days_ago_is_overdue_by_30(self):
        s = evaluate(facts([touch(120)], tier=1), TODAY)
        assert s.state == st.OVERDUE
        assert s.days_overdue == 30

    @pytest.mark.parametrize(("tier", "cadence"), [(1, 90), (2, 180), (3, 365)])
    def test_tier_cadences(self, tier, cadence):
        s = evaluate(facts([touch(cadence)], tier=tier), TODAY)
        assert s.state == st.DUE_SOON  # due today: not overdue yet
        assert s.days_overdue == 0
        assert evaluate(facts([touch(cadence + 1)], tier=tier), TODAY).state == st.OVERDUE

    def test_per_contact_cadence_overrides_the_tier(self):
        f = facts([touch(40)], tier=3, cadence_days=30)
        s = evaluate(f, TODAY)
        assert s.state == st.OVERDUE
        assert s.cadence_days == 30
        assert s.days_overdue == 10

    def test_cadences_come_from_the_policy(self):
        policy = Policy(cadence_tier1=30)
        assert evaluate(facts([touch(40)], tier=1), TODAY, policy).state == st.OVERDUE
        assert evaluate(facts([touch(40)], tier=1), TODAY).state == st.OK

    def test_due_soon_window(self):
        assert evaluate(facts([touch(90 - 14)], tier=1), TODAY).state == st.DUE_SOON
        assert evaluate(facts([touch(90 - 15)], tier=1), TODAY).state == st.OK
        assert (
            evaluate(facts([touch(90 - 15)], tier=1), TODAY, Policy(due_soon_days=20)).state
            == st.DUE_SOON
        )

    def test_untracked_has_no_due_date(self):
        s = evaluate(facts([touch(2000)], tier=None), TODAY)
        assert s.state == st.UNTRACKED
        assert s.due_on is None
        assert s.urgency == 0

    def test_two_unanswered_attempts_make_unresponsive_not_overdue(self):
        f = facts([touch(200), attempt(150), attempt(120)], tier=1)
        s = evaluate(f, TODAY)
        assert s.state == st.UNRESPONSIVE
        assert st.AWAITING_REPLY in s.flags
        assert s.unanswered == 2

    def test_one_unanswered_attempt_is_due_again_after_the_follow_up_interval(self):
        # habit 6, "follow up once, then stop": not "ok, next touch in 90 days"
        s = evaluate(facts([touch(50), attempt(10)], tier=1), TODAY)
        assert st.AWAITING_REPLY in s.flags
        assert s.awaiting_days == 10
        assert s.due_on == ago(10) + timedelta(days=21)
        assert s.state == st.DUE_SOON and s.follow_up_once
        late = evaluate(facts([touch(50), attempt(30)], tier=3), TODAY)
        assert late.state == st.OVERDUE and late.days_overdue == 9

    def test_follow_up_interval_is_a_setting_never_later_than_the_cadence(self):
        f = facts([attempt(10)], tier=1, cadence_days=14)
        assert evaluate(f, TODAY).due_on == ago(10) + timedelta(days=14)  # cadence first
        g = facts([attempt(10)], tier=2)
        assert evaluate(g, TODAY, Policy(follow_up_days=40)).due_on == ago(10) + timedelta(40)

    def test_follow_up_counts_from_the_last_touch_after_the_attempt(self):
        f = facts([attempt(30), touch(5, "article", OUT)], tier=2)
        s = evaluate(f, TODAY)
        assert s.unanswered == 1 and s.due_on == ago(5) + timedelta(days=21)

    def test_the_second_unanswered_attempt_makes_them_unresponsive(self):
        assert evaluate(facts([attempt(40), attempt(10)]), TODAY).state == st.UNRESPONSIVE
        # with a threshold of 3 the second attempt is followed up once more
        s = evaluate(facts([attempt(40), attempt(10)]), TODAY, Policy(unresponsive_after=3))
        assert s.due_on == ago(10) + timedelta(days=21)

    def test_an_answered_attempt_restores_the_cadence(self):
        s = evaluate(facts([attempt(10, replied=True)], tier=1), TODAY)
        assert not s.follow_up_once and s.due_on == ago(10) + timedelta(days=90)

    def test_unresponsive_threshold_is_a_setting(self):
        f = facts([attempt(30), attempt(20)], tier=1)
        assert evaluate(f, TODAY, Policy(unresponsive_after=3)).state != st.UNRESPONSIVE

    def test_unresponsive_applies_to_untracked_contacts_too(self):
        assert (
            evaluate(facts([attempt(30), attempt(20)], tier=None), TODAY).state == st.UNRESPONSIVE
        )

    def test_a_reply_clears_unresponsive(self):
        f = facts([attempt(30), attempt(20), touch(1, "email", IN)], tier=1)
        assert evaluate(f, TODAY).state == st.OK

    def test_snoozed_until_a_date_inclusive(self):
        f = facts([touch(300)], tier=1, paused_until=TODAY)
        assert evaluate(f, TODAY).state == st.PAUSED
        assert evaluate(f, TODAY + timedelta(days=1)).state == st.OVERDUE

    def test_ball_in_their_court_until_an_inbound_touch(self):
        f = facts([touch(300)], tier=1, awaiting_inbound_since=ago(20))
        assert evaluate(f, TODAY).state == st.PAUSED
        back = facts([touch(300), touch(5, "message", IN)], tier=1, awaiting_inbound_since=ago(20))
        assert evaluate(back, TODAY).state == st.OK
        # an inbound touch from before the pause does not end it
        old = facts([touch(50, "message", IN)], tier=1, awaiting_inbound_since=ago(20))
        assert evaluate(old, TODAY).state == st.PAUSED

    def test_precedence_archived_first(self):
        f = facts([attempt(30), attempt(20)], tier=1, archived=True, paused_until=TODAY)
        s = evaluate(f, TODAY)
        assert s.state == st.ARCHIVED
        assert s.flags == ()

    def test_precedence_paused_before_unresponsive(self):
        f = facts([attempt(30), attempt(20)], tier=1, paused_until=TODAY + timedelta(days=5))
        assert evaluate(f, TODAY).state == st.PAUSED

    def test_precedence_unresponsive_before_overdue(self):
        f = facts([attempt(300), attempt(200)], tier=1)
        assert evaluate(f, TODAY).state == st.UNRESPONSIVE


# --------------------------------------------------------------------------- edge cases


class TestEdges:
    def test_future_dated_touch_counts_as_today(self):
        f = facts([touch(200), touch(-7, "lunch")], tier=1)
        s = evaluate(f, TODAY)
        assert s.state == st.OK
        assert s.due_on == TODAY + timedelta(days=90)
        assert s.future_touch
        assert "ahead of today" in explain(s, f, TODAY)

    def test_leap_day_touch(self):
        leap = date(2024, 2, 29)
        f = Facts(tier=3, summary=summarize([Touch(leap, "coffee", MUTUAL)]))
        s = evaluate(f, date(2025, 2, 27))
        # 365 days after 29 Feb 2024 is 28 Feb 2025
        assert s.due_on == date(2025, 2, 28)
        assert s.state == st.DUE_SOON
        assert evaluate(f, date(2025, 3, 1)).state == st.OVERDUE
        assert evaluate(f, date(2025, 3, 1)).days_overdue == 1

    def test_leap_day_today(self):
        f = facts([touch(0)], tier=1)
        s = evaluate(
            Facts(tier=1, summary=summarize([Touch(date(2027, 11, 30), "coffee", MUTUAL)])),
            date(2028, 2, 29),
        )
        assert s.days_overdue == 1  # 30 Nov 2027 + 90 days = 28 Feb 2028
        assert evaluate(f, TODAY).state == st.OK

    def test_dst_change_does_not_shift_days(self):
        # Europe/Lisbon leaves summer time on 25 Oct 2026: a 23/25-hour day in between
        # must not make a touch a day older or younger.
        tz = "Europe/Lisbon"
        before = pendulum.datetime(2026, 10, 24, 23, 30, tz=tz)
        f = Facts(
            tier=1, summary=summarize([Touch(before.date(), "call", MUTUAL, occurred_at=before)])
        )
        after = pendulum.datetime(2026, 10, 26, 0, 30, tz=tz)
        assert (after - before).in_hours() == 26
        s = evaluate(f, after.date())
        assert s.due_on == date(2027, 1, 22)
        assert s.days_overdue == -88

    def test_dst_spring_forward(self):
        tz = "America/New_York"
        touch_at = pendulum.datetime(2026, 3, 7, 23, 0, tz=tz)
        f = Facts(
            tier=1, cadence_days=1, summary=summarize([Touch(touch_at.date(), "call", MUTUAL)])
        )
        assert evaluate(f, date(2026, 3, 8)).state == st.DUE_SOON
        assert evaluate(f, date(2026, 3, 9)).days_overdue == 1

    def test_contact_with_no_touches_and_no_tier(self):
        s = evaluate(Facts(), TODAY)
        assert s.state == st.UNTRACKED
        assert s.flags == ()
        assert "no touch yet" in explain(s, Facts(), TODAY).lower()


# --------------------------------------------------------------------------- flags


class TestFlags:
    def test_meet_in_person_after_a_year_without_face_to_face(self):
        f = facts([touch(400, "coffee", in_person=True), touch(10, "email", OUT)], tier=1)
        assert st.MEET_IN_PERSON in evaluate(f, TODAY).flags
        recent = facts([touch(300, "coffee", in_person=True)], tier=1)
        assert st.MEET_IN_PERSON not in evaluate(recent, TODAY).flags

    def test_meet_in_person_only_for_priority(self):
        f = facts([touch(10, "email", OUT)], tier=2)
        assert st.MEET_IN_PERSON not in evaluate(f, TODAY).flags

    def test_meet_in_person_when_never_met(self):
        s = evaluate(facts([touch(10, "email", OUT)], tier=1), TODAY)
        assert st.MEET_IN_PERSON in s.flags
        assert "never" in flag_phrase(st.MEET_IN_PERSON, s, facts([], tier=1), TODAY)

    def test_give_back_received_twice_gave_nothing(self):
        f = facts(
            [touch(100, "favour", IN, value=RECEIVED), touch(50, "intro", IN, value=RECEIVED)]
        )
        assert st.GIVE_BACK in evaluate(f, TODAY).flags

    def test_give_back_not_once_you_gave(self):
        f = facts(
            [
                touch(100, "favour", IN, value=RECEIVED),
                touch(50, "intro", IN, value=RECEIVED),
                touch(20, "article", OUT, value=GAVE),
            ]
        )
        assert st.GIVE_BACK not in evaluate(f, TODAY).flags

    def test_give_back_window_is_twelve_months(self):
        f = facts(
            [touch(400, "favour", IN, value=RECEIVED), touch(50, "intro", IN, value=RECEIVED)]
        )
        assert st.GIVE_BACK not in evaluate(f, TODAY).flags
        gave_long_ago = facts(
            [
                touch(500, "article", OUT, value=GAVE),
                touch(100, "favour", IN, value=RECEIVED),
                touch(50, "intro", IN, value=RECEIVED),
            ]
        )
        assert st.GIVE_BACK in evaluate(gave_long_ago, TODAY).flags

    def test_follow_up_due(self):
        assert st.FOLLOW_UP_DUE in evaluate(facts(next_follow_up_on=TODAY), TODAY).flags
        assert (
            st.FOLLOW_UP_DUE
            not in evaluate(facts(next_follow_up_on=TODAY + timedelta(days=1)), TODAY).flags
        )

    def test_job_changed(self):
        assert st.JOB_CHANGED in evaluate(facts(job_changed=True), TODAY).flags

    def test_not_reviewed_in_the_last_audit(self):
        audit = ago(30)
        assert (
            st.NOT_REVIEWED
            in evaluate(facts(reviewed_on=ago(200)), TODAY, last_audit_on=audit).flags
        )
        assert st.NOT_REVIEWED in evaluate(facts(), TODAY, last_audit_on=audit).flags
        assert (
            st.NOT_REVIEWED
            not in evaluate(facts(reviewed_on=ago(29)), TODAY, last_audit_on=audit).flags
        )
        assert st.NOT_REVIEWED not in evaluate(facts(), TODAY).flags  # no audit yet

    def test_not_reviewed_only_for_contacts_that_existed_at_the_last_audit(self):
        audit = ago(30)
        new = facts(created_on=ago(6))
        assert st.NOT_REVIEWED not in evaluate(new, TODAY, last_audit_on=audit).flags
        during = facts(created_on=ago(29))  # the audit's plan was fixed when it began
        assert st.NOT_REVIEWED not in evaluate(during, TODAY, last_audit_on=audit).flags
        same_day = facts(created_on=audit)
        assert st.NOT_REVIEWED in evaluate(same_day, TODAY, last_audit_on=audit).flags
        old = facts(created_on=ago(31))
        assert st.NOT_REVIEWED in evaluate(old, TODAY, last_audit_on=audit).flags

    def test_flags_show_beside_any_state(self):
        f = facts([attempt(30), attempt(20)], tier=1, job_changed=True)
        s = evaluate(f, TODAY)
        assert s.state == st.UNRESPONSIVE
        assert set(s.flags) >= {st.AWAITING_REPLY, st.JOB_CHANGED, st.MEET_IN_PERSON}


# --------------------------------------------------------------------------- urgency


class TestUrgency:
    def test_relative_to_cadence_and_weighted_by_tier(self):
        t1 = evaluate(facts([touch(120)], tier=1), TODAY)  # 30 over 90, weight 3
        t3 = evaluate(facts([touch(455)], tier=3), TODAY)  # 90 over 365, weight 1
        assert t1.urgency == pytest.approx(30 / 90 * 3)
        assert t3.urgency == pytest.approx(90 / 365 * 1)
        assert t1.urgency > t3.urgency

    def test_sort_key_orders_states_then_urgency(self):
        statuses = [
            evaluate(facts([touch(10)], tier=1), TODAY),  # ok
            evaluate(facts([touch(100)], tier=1), TODAY),  # overdue 10
            evaluate(facts([attempt(20), attempt(10)], tier=1), TODAY),  # unresponsive
            evaluate(facts([touch(200)], tier=1), TODAY),  # overdue 110
            evaluate(facts([touch(80)], tier=1), TODAY),  # due soon
            evaluate(facts([touch(1)], tier=None), TODAY),  # untracked
        ]
        ordered = sorted(statuses, key=st.Status.sort_key)
        assert [s.state for s in ordered] == [
            st.OVERDUE,
            st.OVERDUE,
            st.DUE_SOON,
            st.UNRESPONSIVE,
            st.OK,
            st.UNTRACKED,
        ]
        assert ordered[0].days_overdue == 110

    def test_weights_are_settings(self):
        p = Policy(weight_tier1=1.0, weight_tier3=10.0)
        t1 = evaluate(facts([touch(120)], tier=1), TODAY, p)
        t3 = evaluate(facts([touch(455)], tier=3), TODAY, p)
        assert t3.urgency > t1.urgency


# --------------------------------------------------------------------------- explanations


class TestExplain:
    def test_overdue_sentence(self):
        f = Facts(tier=1, summary=summarize([Touch(date(2026, 8, 3), "coffee", MUTUAL)]))
        s = evaluate(f, date(2026, 11, 13))
        assert explain(s, f, date(2026, 11, 13)) == (
            "Overdue by 12 days: quarterly (every 90 days), last touch: coffee on 3 Aug."
        )

    def test_due_soon_sentence(self):
        f = facts([touch(85)], tier=1)
        assert explain(evaluate(f, TODAY), f, TODAY).startswith("Due in 5 days (1 Dec)")

    def test_follow_up_once_sentence(self):
        f = facts([touch(100), attempt(23)], tier=1)
        text = explain(evaluate(f, TODAY), f, TODAY)
        assert text.startswith(
            "No answer to your e-mail of 3 Nov: follow up once, overdue by 2 days"
        )
        g = facts([touch(100), attempt(3, kind="lunch")], tier=1)
        text = explain(evaluate(g, TODAY), g, TODAY)
        assert text.startswith("No answer to your lunch invitation of 23 Nov: follow up once, ")
        assert "on 14 Dec" in text

    def test_give_back_says_the_real_window(self):
        f = facts(
            [touch(100, "favour", IN, value=RECEIVED), touch(50, "intro", IN, value=RECEIVED)]
        )
        s = evaluate(f, TODAY, Policy(reciprocity_days=182))
        assert flag_phrase(st.GIVE_BACK, s, f, TODAY, Policy(reciprocity_days=182)).endswith(
            "gave nothing in the last 6 months"
        )
        assert flag_phrase(st.GIVE_BACK, s, f, TODAY).endswith("in the last 12 months")

    def test_unresponsive_sentence(self):
        f = facts([attempt(30), attempt(20)], tier=1)
        text = explain(evaluate(f, TODAY), f, TODAY)
        assert text.startswith("Unresponsive: 2 unanswered attempts since 27 Oct.")
        assert "space" in text

    def test_paused_sentences(self):
        f = facts([], paused_until=date(2027, 1, 5))
        assert explain(evaluate(f, TODAY), f, TODAY).startswith("Paused until 5 Jan 2027")
        g = facts([], awaiting_inbound_since=ago(3))
        assert "ball is in their court since 23 Nov" in explain(evaluate(g, TODAY), g, TODAY)

    def test_every_state_explains(self):
        for f in (
            facts(archived=True),
            facts(tier=None),
            facts([touch(5)]),
            facts([touch(100)]),
            facts([touch(80)]),
            facts([attempt(3), attempt(2)]),
            facts([attempt(3)]),
            facts([attempt(30)]),
            facts([attempt(3)], tier=None),
            facts(paused_until=TODAY),
        ):
            s = evaluate(f, TODAY)
            assert explain(s, f, TODAY)
            for flag in s.flags:
                assert flag_phrase(flag, s, f, TODAY)

    def test_default_policy_matches_design(self):
        p = DEFAULT_POLICY
        assert (p.cadence_tier1, p.cadence_tier2, p.cadence_tier3) == (90, 180, 365)
        assert p.due_soon_days == 14 and p.unresponsive_after == 2
        assert p.meet_in_person_days == 365 and p.give_back_received == 2
        assert p.follow_up_days == 21
