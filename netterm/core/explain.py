"""Plain-language sentences for a status and its flags."""

from __future__ import annotations

from datetime import date

from netterm.core import status as st
from netterm.core.dates import ago, cadence_phrase, days_phrase, short_date
from netterm.core.status import Facts, Status


def last_touch_phrase(facts: Facts, today: date) -> str:
    s = facts.summary
    if s.last_touch_on is None:
        return "no touch yet"
    return f"last touch: {s.last_touch_kind or 'touch'} on {short_date(s.last_touch_on, today)}"


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
        return f"Untracked: no cadence, so no reminders; pick a tier to track. {last.capitalize()}."
    origin = last
    if s.last_touch_on is None and facts.tracked_since is not None:
        origin = f"no touch yet, tracked since {short_date(facts.tracked_since, today)}"
    planned = ""
    if status.future_touch and s.last_touch_on is not None:
        planned = f"; a {s.last_touch_kind or 'touch'} is dated {short_date(s.last_touch_on, today)}, ahead of today"
        origin = "clock counted from today"
    d = status.days_overdue or 0
    due = short_date(status.due_on, today) if status.due_on else "?"
    if status.state == st.OVERDUE:
        return f"Overdue by {days_phrase(d)}: {cadence}, {origin}{planned}."
    if status.state == st.DUE_SOON:
        head = "Due today" if d == 0 else f"Due in {days_phrase(-d)} ({due})"
        return f"{head}: {cadence}, {origin}{planned}."
    return f"OK: next touch due {due} ({ago(status.due_on, today)}); {cadence}, {origin}{planned}."


def flag_phrase(flag: str, status: Status, facts: Facts, today: date) -> str:
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
        return "give back: you received help lately and gave nothing in 12 months"
    if flag == st.FOLLOW_UP_DUE:
        when = short_date(facts.next_follow_up_on, today) if facts.next_follow_up_on else "now"
        return f"follow-up due ({when})"
    if flag == st.JOB_CHANGED:
        return "job changed: congratulate them"
    if flag == st.NOT_REVIEWED:
        return "not reviewed in the last audit"
    return flag
