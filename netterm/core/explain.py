"""Plain-language sentences for a status and its flags."""

from __future__ import annotations

from datetime import date

from netterm.config import DEFAULT_POLICY, Policy
from netterm.core import status as st
from netterm.core.dates import ago, cadence_phrase, days_phrase, short_date, window_phrase
from netterm.core.kinds import TIER_NAMES
from netterm.core.status import Facts, Status

#: How an attempt is named in "No answer to your e-mail of 3 Nov".
ATTEMPT_NAMES = {
    "email": "e-mail",
    "coffee": "coffee invitation",
    "lunch": "lunch invitation",
    "social": "message",
    "congrats": "congratulations",
}


def last_touch_phrase(facts: Facts, today: date) -> str:
    s = facts.summary
    if s.last_touch_on is None:
        return "no touch yet"
    return f"last touch: {s.last_touch_kind or 'touch'} on {short_date(s.last_touch_on, today)}"


def attempt_phrase(facts: Facts, today: date) -> str:
    """'your e-mail of 3 Nov': the latest unanswered attempt (or the first, when only
    that is known, as in the network list)."""
    s = facts.summary
    on = s.last_attempt_on or s.awaiting_since
    kind = s.last_attempt_kind
    if kind is None and on is not None and s.last_touch_on == on:
        kind = s.last_touch_kind  # the list knows the last touch's kind, not the attempt's
    name = ATTEMPT_NAMES.get(kind or "", kind or "attempt")
    return f"your {name} of {short_date(on, today)}" if on else "your last attempt"


def _follow_up_once(status: Status, facts: Facts, today: date) -> str:
    """Habit 6: "No answer to your e-mail of 3 Nov: follow up once (due 24 Nov)."."""
    d = status.days_overdue or 0
    due = short_date(status.due_on, today) if status.due_on else "?"
    if status.state == st.OVERDUE:
        when = f"overdue by {days_phrase(d)} ({due})"
    elif d == 0:
        when = "due today"
    elif status.state == st.DUE_SOON:
        when = f"due in {days_phrase(-d)} ({due})"
    else:
        when = f"on {due} ({ago(status.due_on, today)}) if they have not answered by then"
    return (
        f"No answer to {attempt_phrase(facts, today)}: follow up once, {when}; "
        "if that goes unanswered too, netterm stops reminding you."
    )


def explain(status: Status, facts: Facts, today: date) -> str:
    """One sentence: what the state is and why.

    "Overdue by 12 days: quarterly cadence (every 90 days), last touch: coffee on 3 Aug."
    """
    s = facts.summary
    last = last_touch_phrase(facts, today)
    cadence = cadence_phrase(status.cadence_days)
    if status.state == st.ARCHIVED:
        return "Archived: kept for the record, no reminders."
    if status.state == st.PAUSED:
        if status.paused_until is not None:
            return f"Paused until {short_date(status.paused_until, today)} (snoozed); {last}."
        since = facts.awaiting_inbound_since
        when = f" since {short_date(since, today)}" if since else ""
        return (
            f"Paused: the ball is in their court{when}; reminders resume when they "
            f"reach out. {last.capitalize()}."
        )
    if status.state == st.UNRESPONSIVE:
        first = short_date(s.awaiting_since, today) if s.awaiting_since else "a while"
        return (
            f"Unresponsive: {s.unanswered} unanswered attempts since {first}. Give them "
            "space; reminders stop until they reply."
        )
    if status.state == st.UNTRACKED:
        if s.unanswered:
            return (
                f"Untracked: no cadence, so no reminders; waiting for an answer to "
                f"{attempt_phrase(facts, today)}."
            )
        return f"Untracked: no cadence, so no reminders; pick a tier to track. {last.capitalize()}."
    origin = last
    if s.last_touch_on is None and facts.tracked_since is not None:
        origin = f"no touch yet, tracked since {short_date(facts.tracked_since, today)}"
    planned = ""
    if status.future_touch and s.last_touch_on is not None:
        planned = f"; a {s.last_touch_kind or 'touch'} is dated {short_date(s.last_touch_on, today)}, ahead of today"
        origin = "clock counted from today"
    if status.follow_up_once or s.unanswered:
        return _follow_up_once(status, facts, today)
    d = status.days_overdue or 0
    due = short_date(status.due_on, today) if status.due_on else "?"
    if status.state == st.OVERDUE:
        return f"Overdue by {days_phrase(d)}: {cadence}, {origin}{planned}."
    if status.state == st.DUE_SOON:
        head = "Due today" if d == 0 else f"Due in {days_phrase(-d)} ({due})"
        return f"{head}: {cadence}, {origin}{planned}."
    return f"OK: next touch due {due} ({ago(status.due_on, today)}); {cadence}, {origin}{planned}."


def flag_phrase(
    flag: str, status: Status, facts: Facts, today: date, policy: Policy = DEFAULT_POLICY
) -> str:
    s = facts.summary
    if flag == st.AWAITING_REPLY:
        n = s.unanswered
        attempts = "1 attempt" if n == 1 else f"{n} attempts"
        return f"awaiting reply for {days_phrase(status.awaiting_days or 0)} ({attempts})"
    if flag == st.MEET_IN_PERSON:
        if s.last_in_person_on is None:
            return "meet in person: priority contact, never met face to face in netterm's records"
        return (
            f"meet in person: priority contact, last face-to-face {ago(s.last_in_person_on, today)}"
        )
    if flag == st.GIVE_BACK:
        window = window_phrase(policy.reciprocity_days)
        return f"give back: you received help lately and gave nothing in {window}"
    if flag == st.FOLLOW_UP_DUE:
        when = short_date(facts.next_follow_up_on, today) if facts.next_follow_up_on else "now"
        return f"follow-up due ({when})"
    if flag == st.JOB_CHANGED:
        return "job changed: congratulate them"
    if flag == st.NOT_REVIEWED:
        return "not reviewed in the last audit"
    return flag


#: The states ordered by urgency within themselves (the others have no due date).
TIMED_STATES = (st.OVERDUE, st.DUE_SOON, st.OK)


def urgency_text(state: str, days_overdue: int | None, urgency: float) -> str:
    """The list's urgency column: '1.33', '-0.05'; empty when the state has none."""
    if state not in TIMED_STATES or days_overdue is None:
        return ""
    value = round(urgency, 2) + 0.0  # never "-0.00"
    return f"{value:.2f}"


def urgency_cell(status: Status) -> str:
    return urgency_text(status.state, status.days_overdue, status.urgency)


def _number(x: float) -> str:
    return f"{x:g}"


def urgency_phrase(status: Status, tier: int | None, policy: Policy = DEFAULT_POLICY) -> str:
    """Why a contact stands where it does in the list, which is sorted by state and then
    by urgency: days overdue relative to the cadence, weighted by tier (core.status).

    "Urgency 1.33 (the list's order): 40 days overdue is 44% of the 90-day cadence, ×3 for tier 1
    (priority)." — so 3 days overdue on a 30-day priority cadence (0.30) comes before
    35 days overdue on a yearly light one (0.10). Empty when the state is not ordered by
    urgency (paused, unresponsive, untracked, archived).
    """
    d = status.days_overdue
    cadence = status.cadence_days
    if status.state not in TIMED_STATES or d is None or not cadence:
        return ""
    share = f"{round(abs(d) * 100 / cadence)}% of the {cadence}-day cadence"
    if d > 0:
        how = f"{days_phrase(d)} overdue is {share}"
    elif d == 0:
        how = "due today"
    else:
        how = f"due in {days_phrase(-d)}, {share} ahead"
    weight = policy.weight_for_tier(tier)
    tier_name = f"tier {tier} ({TIER_NAMES[tier]})" if tier in TIER_NAMES else "its tier"
    return f"Urgency {urgency_cell(status)} (the list's order): {how}, ×{_number(weight)} for {tier_name}."
