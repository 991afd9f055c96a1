"""The status rules: a pure function of a contact's facts and today.

Two steps, both pure:

* `summarize(touches, ...)` folds a contact's touches into `TouchSummary`, the handful
  of dates the rules need. The store keeps this summary on each contact row (refreshed
  on every write), so a full recompute never reads 300,000 touches.
* `evaluate(facts, today, policy)` turns `Facts` (the contact's fields and its summary)
  into a `Status`: state, due date, flags and urgency. It runs once per contact per
  recompute, so it works on date ordinals and stays allocation-light.

The rules are those of docs/status-rules.md, in the order given there. The dataclasses are
plain (not frozen): they are built hundreds of thousands of times in a rebuild, and a
frozen dataclass costs five times more to create.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from netterm.config import DEFAULT_POLICY, Policy
from netterm.core.kinds import GAVE, IN, MUTUAL, RECEIVED

# States, first match wins.
ARCHIVED = "archived"
PAUSED = "paused"
UNRESPONSIVE = "unresponsive"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
OK = "ok"
UNTRACKED = "untracked"

STATES = (ARCHIVED, PAUSED, UNRESPONSIVE, OVERDUE, DUE_SOON, OK, UNTRACKED)
STATE_LABELS = {
    ARCHIVED: "archived",
    PAUSED: "paused",
    UNRESPONSIVE: "unresponsive",
    OVERDUE: "overdue",
    DUE_SOON: "due soon",
    OK: "ok",
    UNTRACKED: "untracked",
}
#: Triage order: what needs the user today comes first.
STATE_RANK = {
    OVERDUE: 0,
    DUE_SOON: 1,
    UNRESPONSIVE: 2,
    OK: 3,
    PAUSED: 4,
    UNTRACKED: 5,
    ARCHIVED: 6,
}

# Flags, shown beside the state.
AWAITING_REPLY = "awaiting_reply"
MEET_IN_PERSON = "meet_in_person"
GIVE_BACK = "give_back"
FOLLOW_UP_DUE = "follow_up_due"
JOB_CHANGED = "job_changed"
NOT_REVIEWED = "not_reviewed"

FLAGS = (AWAITING_REPLY, MEET_IN_PERSON, GIVE_BACK, FOLLOW_UP_DUE, JOB_CHANGED, NOT_REVIEWED)
FLAG_LABELS = {
    AWAITING_REPLY: "awaiting reply",
    MEET_IN_PERSON: "meet in person",
    GIVE_BACK: "give back",
    FOLLOW_UP_DUE: "follow-up due",
    JOB_CHANGED: "job changed",
    NOT_REVIEWED: "not reviewed",
}


# --------------------------------------------------------------------------- touches


@dataclass(slots=True)
class Touch:
    """One logged interaction, as the rules see it."""

    occurred_on: date  # the local calendar date of the event (not when it was entered)
    kind: str
    direction: str  # out / in / mutual
    in_person: bool = False
    awaiting_reply: bool = False
    replied: bool = False
    value: str = "none"  # gave / received / none
    occurred_at: datetime | None = None  # for ordering touches on the same day
    id: int = 0


@dataclass(slots=True)
class TouchSummary:
    """What the rules need to know of a contact's touches (stored on the contact row)."""

    last_touch_on: date | None = None
    last_touch_kind: str | None = None
    last_inbound_on: date | None = None
    last_in_person_on: date | None = None
    unanswered: int = 0  # consecutive unanswered attempts at the end of the timeline
    awaiting_since: date | None = None  # first of those unanswered attempts
    last_gave_on: date | None = None
    received_recent_on: date | None = None  # the give-back threshold's nth latest "received"
    last_congrats_on: date | None = None  # congratulating acknowledges a job change
    last_attempt_on: date | None = None  # latest of the unanswered attempts
    last_attempt_kind: str | None = None


def touch_order(touch: Touch) -> tuple[date, datetime, int]:
    return (touch.occurred_on, touch.occurred_at or datetime.min, touch.id)


def summarize(touches: Iterable[Touch], give_back_received: int = 2) -> TouchSummary:
    """Fold touches (any order) into a `TouchSummary`.

    * The last touch is the one with the latest *occurred* date.
    * An attempt (outbound, awaiting reply, not replied) stays unanswered until an
      inbound or mutual touch happens after it. Outbound touches that expect no answer
      neither count nor break the run of attempts.
    * `received_recent_on` is the date of the `give_back_received`-th most recent touch
      marked "received": "received ≥ 2 in 12 months" holds iff it is within 12 months.
    """
    ordered = sorted(touches, key=touch_order)
    last = None
    last_inbound = last_in_person = last_gave = last_congrats = None
    unanswered = 0
    awaiting_since = last_attempt = None
    received: list[date] = []
    for t in ordered:
        last = t
        if t.direction in (IN, MUTUAL):
            if t.direction == IN:
                last_inbound = t.occurred_on
            unanswered = 0
            awaiting_since = last_attempt = None
        elif t.awaiting_reply:
            if t.replied:
                unanswered = 0
                awaiting_since = last_attempt = None
            else:
                unanswered += 1
                last_attempt = t
                if awaiting_since is None:
                    awaiting_since = t.occurred_on
        if t.in_person:
            last_in_person = t.occurred_on
        if t.kind == "congrats":
            last_congrats = t.occurred_on
        if t.value == GAVE:
            last_gave = t.occurred_on
        elif t.value == RECEIVED:
            received.append(t.occurred_on)
    n = max(1, give_back_received)
    return TouchSummary(
        last_touch_on=last.occurred_on if last else None,
        last_touch_kind=last.kind if last else None,
        last_inbound_on=last_inbound,
        last_in_person_on=last_in_person,
        unanswered=unanswered,
        awaiting_since=awaiting_since,
        last_gave_on=last_gave,
        received_recent_on=received[-n] if len(received) >= n else None,
        last_congrats_on=last_congrats,
        last_attempt_on=last_attempt.occurred_on if last_attempt else None,
        last_attempt_kind=last_attempt.kind if last_attempt else None,
    )


# --------------------------------------------------------------------------- evaluation


@dataclass(slots=True)
class Facts:
    """Everything the rules read about one contact."""

    tier: int | None = None  # 1 priority, 2 regular, 3 light, None untracked
    cadence_days: int | None = None  # per-contact override of the tier's cadence
    tracked_since: date | None = None
    archived: bool = False
    paused_until: date | None = None  # snoozed until this date (inclusive)
    awaiting_inbound_since: date | None = None  # "ball in their court" since
    summary: TouchSummary = field(default_factory=TouchSummary)
    next_follow_up_on: date | None = None  # earliest open follow-up
    job_changed: bool = False
    reviewed_on: date | None = None
    created_on: date | None = None  # the day the contact was added to netterm


@dataclass(slots=True)
class Status:
    state: str
    due_on: date | None = None
    days_overdue: int | None = None  # > 0 overdue, <= 0 days left (negated)
    cadence_days: int | None = None
    flags: tuple[str, ...] = ()
    urgency: float = 0.0
    unanswered: int = 0
    awaiting_days: int | None = None  # days since the first unanswered attempt
    paused_until: date | None = None
    future_touch: bool = False  # the last touch is dated after today
    follow_up_once: bool = False  # due is the follow-up after an unanswered attempt

    @property
    def rank(self) -> int:
        return STATE_RANK[self.state]

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def days_until_due(self) -> int | None:
        return None if self.days_overdue is None else -self.days_overdue

    def sort_key(self) -> tuple[int, float]:
        """Most urgent first: by state, then by urgency (higher first)."""
        return (STATE_RANK[self.state], -self.urgency)


def effective_cadence(tier: int | None, cadence_days: int | None, policy: Policy) -> int | None:
    """The per-contact cadence wins over the tier's; untracked contacts have none."""
    if tier is None:
        return None
    if cadence_days:
        return cadence_days
    return policy.cadence_for_tier(tier)


def evaluate(
    facts: Facts,
    today: date,
    policy: Policy = DEFAULT_POLICY,
    last_audit_on: date | None = None,
) -> Status:
    """The state, due date, flags and urgency of one contact on `today`.

    `last_audit_on` is the start date of the last finished audit: tracked contacts not
    reviewed since then carry the "not reviewed" flag (untracked ones get no reminders,
    and the audit brings back those never reviewed, so the flag would only be noise).
    Only contacts that existed when that audit began (created on its first day or
    before) can have been missed by it: its plan is fixed when it starts.

    Habit 6, "follow up once, then stop": while a contact has unanswered attempts but
    fewer than `policy.unresponsive_after`, they are due again `policy.follow_up_days`
    (at most the cadence) after the last touch, which is that attempt or came after it.
    """
    t = today.toordinal()
    s = facts.summary
    flags: list[str] = []

    if facts.archived:
        return Status(ARCHIVED)

    # ---- flags (independent of the state)
    if s.unanswered and s.awaiting_since is not None:
        flags.append(AWAITING_REPLY)
        awaiting_days = max(0, t - s.awaiting_since.toordinal())
    else:
        awaiting_days = None
    if facts.tier == 1 and (
        s.last_in_person_on is None
        or t - s.last_in_person_on.toordinal() > policy.meet_in_person_days
    ):
        flags.append(MEET_IN_PERSON)
    window_start = t - policy.reciprocity_days
    if (
        s.received_recent_on is not None
        and s.received_recent_on.toordinal() >= window_start
        and (s.last_gave_on is None or s.last_gave_on.toordinal() < window_start)
    ):
        flags.append(GIVE_BACK)
    if facts.next_follow_up_on is not None and facts.next_follow_up_on.toordinal() <= t:
        flags.append(FOLLOW_UP_DUE)
    if facts.job_changed:
        flags.append(JOB_CHANGED)
    if (
        last_audit_on is not None
        and facts.tier is not None
        and (facts.reviewed_on is None or facts.reviewed_on < last_audit_on)
        and (facts.created_on is None or facts.created_on <= last_audit_on)
    ):
        flags.append(NOT_REVIEWED)
    flag_tuple = tuple(flags)

    cadence = effective_cadence(facts.tier, facts.cadence_days, policy)

    # ---- paused: snoozed, or the ball is in their court until they reach out
    if facts.paused_until is not None and facts.paused_until.toordinal() >= t:
        return Status(
            PAUSED,
            flags=flag_tuple,
            cadence_days=cadence,
            unanswered=s.unanswered,
            awaiting_days=awaiting_days,
            paused_until=facts.paused_until,
        )
    if facts.awaiting_inbound_since is not None and (
        s.last_inbound_on is None or s.last_inbound_on < facts.awaiting_inbound_since
    ):
        return Status(
            PAUSED,
            flags=flag_tuple,
            cadence_days=cadence,
            unanswered=s.unanswered,
            awaiting_days=awaiting_days,
        )

    # ---- unresponsive: reminders stop after N unanswered attempts in a row
    if s.unanswered >= policy.unresponsive_after:
        return Status(
            UNRESPONSIVE,
            flags=flag_tuple,
            cadence_days=cadence,
            unanswered=s.unanswered,
            awaiting_days=awaiting_days,
        )

    if cadence is None:
        return Status(
            UNTRACKED, flags=flag_tuple, unanswered=s.unanswered, awaiting_days=awaiting_days
        )

    # ---- due: last touch (a future-dated one counts as today) or start of tracking
    future = False
    if s.last_touch_on is not None:
        start = s.last_touch_on.toordinal()
        if start > t:
            start, future = t, True
    elif facts.tracked_since is not None:
        start = min(facts.tracked_since.toordinal(), t)
    else:
        start = t
    # habit 6: an unanswered attempt (fewer than the unresponsive threshold, see
    # above) brings the contact back after the follow-up interval, not the cadence
    follow_up_once = s.unanswered > 0
    due = start + (policy.follow_up_interval(cadence) if follow_up_once else cadence)
    overdue_by = t - due
    urgency = overdue_by / cadence * policy.weight_for_tier(facts.tier)
    if overdue_by > 0:
        state = OVERDUE
    elif -overdue_by <= policy.due_soon_days:
        state = DUE_SOON
    else:
        state = OK
    return Status(
        state,
        due_on=date.fromordinal(due),
        days_overdue=overdue_by,
        cadence_days=cadence,
        flags=flag_tuple,
        urgency=urgency,
        unanswered=s.unanswered,
        awaiting_days=awaiting_days,
        future_touch=future,
        follow_up_once=follow_up_once,
    )
