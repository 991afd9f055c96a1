"""Why the list's order is what it is: the urgency column and sentence (issue 17)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from netterm.config import DEFAULT_POLICY
from netterm.core import status as st
from netterm.core.explain import urgency_cell, urgency_phrase
from netterm.core.kinds import MUTUAL, OUT
from netterm.core.status import Facts, Touch, evaluate, summarize

TODAY = date(2026, 11, 26)


def contact(days_since_touch: int, tier: int | None, cadence: int | None = None, **kw) -> Facts:
    touch = Touch(TODAY - timedelta(days=days_since_touch), "coffee", MUTUAL)
    return Facts(tier=tier, cadence_days=cadence, summary=summarize([touch]), **kw)


def test_three_days_late_on_a_monthly_priority_comes_before_35_on_a_yearly_light():
    close = evaluate(contact(33, 1, cadence=30), TODAY)
    far = evaluate(contact(400, 3), TODAY)
    assert (close.days_overdue, far.days_overdue) == (3, 35)
    assert close.sort_key() < far.sort_key()  # the invisible order of the issue
    assert urgency_cell(close) == "0.30" and urgency_cell(far) == "0.10"
    assert urgency_phrase(close, 1) == (
        "Urgency 0.30 (the list's order): 3 days overdue is 10% of the 30-day cadence, "
        "×3 for tier 1 (priority)."
    )
    assert urgency_phrase(far, 3).startswith(
        "Urgency 0.10 (the list's order): 35 days overdue is 10% of the 365-day cadence, ×1 for tier 3 (light)"
    )


def test_due_today_due_soon_and_ok_say_how_far_ahead():
    today = evaluate(contact(90, 2, cadence=90), TODAY)
    assert today.days_overdue == 0 and urgency_cell(today) == "0.00"  # never -0.00
    assert urgency_phrase(today, 2).startswith(
        "Urgency 0.00 (the list's order): due today, ×2 for tier 2"
    )
    soon = evaluate(contact(80, 2, cadence=90), TODAY)
    assert soon.state == st.DUE_SOON
    assert urgency_cell(soon) == "-0.22"
    assert "due in 10 days, 11% of the 90-day cadence ahead, ×2 for tier 2" in urgency_phrase(
        soon, 2
    )
    ok = evaluate(contact(1, 3), TODAY)
    assert ok.state == st.OK and urgency_cell(ok) == "-1.00"
    assert "due in 364 days, 100% of the 365-day cadence ahead" in urgency_phrase(ok, 3)


def test_states_outside_the_urgency_order_have_no_urgency():
    untracked = evaluate(contact(10, None), TODAY)
    paused = evaluate(contact(400, 1, paused_until=TODAY + timedelta(days=3)), TODAY)
    archived = evaluate(contact(400, 1, archived=True), TODAY)
    attempts = [Touch(TODAY - timedelta(days=d), "email", OUT, awaiting_reply=True) for d in (9, 3)]
    gone = evaluate(Facts(tier=1, summary=summarize(attempts)), TODAY)
    assert [s.state for s in (untracked, paused, archived, gone)] == [
        st.UNTRACKED,
        st.PAUSED,
        st.ARCHIVED,
        st.UNRESPONSIVE,
    ]
    for status in (untracked, paused, archived, gone):
        assert urgency_cell(status) == "" and urgency_phrase(status, 1) == ""


def test_the_weights_come_from_the_settings():
    policy = replace(DEFAULT_POLICY, weight_tier2=2.5)
    status = evaluate(contact(200, 2, cadence=100), TODAY, policy)
    assert urgency_cell(status) == "2.50"
    assert "100 days overdue is 100% of the 100-day cadence, ×2.5 for tier 2 (regular)" in (
        urgency_phrase(status, 2, policy)
    )


def test_a_follow_up_after_an_unanswered_attempt_is_measured_against_the_cadence():
    touches = [Touch(TODAY - timedelta(days=30), "email", OUT, awaiting_reply=True)]
    status = evaluate(Facts(tier=1, summary=summarize(touches)), TODAY)
    assert status.follow_up_once and status.days_overdue == 9  # 21-day follow-up interval
    assert urgency_phrase(status, 1).startswith(
        "Urgency 0.30 (the list's order): 9 days overdue is 10% of the 90-day cadence"
    )
