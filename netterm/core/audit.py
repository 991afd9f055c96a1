"""The guided audit's rules: which contacts, in which order, and what to suggest for each.

Pure functions of a contact's facts and "today" (no database, no Textual); the service
layer (`netterm.services.audit`) feeds them and stores what the user decides.

* `plan_order(entries, last_audit_on)` is the card order, fixed when an audit starts:
  priority first, then regular, then light, then untracked contacts that are new since
  the last audit (or were never reviewed, or changed jobs), each group stalest first.
  Archived contacts are never in it.
* `suggest(card, today, policy)` is netterm's suggestion for one card, with its reason in
  plain language ("Archive? No answer to 2 attempts since March").
* `fact_lines(card, today, policy)` are the card's key facts, pre-formatted: how met,
  tier and cadence, last touch, unanswered attempts, in-person gap, reciprocity, and the
  job change since the last audit (old → new).
* `tier_up` / `tier_down` move a tier one step (untracked ↔ light ↔ regular ↔ priority).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from netterm.config import DEFAULT_POLICY, Policy
from netterm.core import status as st
from netterm.core.dates import (
    MONTHS,
    ago,
    cadence_phrase,
    days_phrase,
    short_date,
    window_phrase,
)
from netterm.core.explain import explain
from netterm.core.kinds import TIER_NAMES
from netterm.core.status import Facts, Status, effective_cadence, evaluate
from netterm.errors import InvalidInput

# --------------------------------------------------------------------------- decisions

KEEP = "keep"
EDIT = "edit"
TIER_UP = "tier_up"
TIER_DOWN = "tier_down"
CATEGORIES = "categories"
ARCHIVE = "archive"
SNOOZE = "snooze"
SKIP = "skip"
MERGE = "merge"

DECISIONS = (KEEP, EDIT, TIER_UP, TIER_DOWN, CATEGORIES, ARCHIVE, SNOOZE, SKIP, MERGE)


@dataclass(frozen=True, slots=True)
class DecisionInfo:
    """How a decision is presented: its name, a suggested key, a label and a help line."""

    name: str
    key: str
    label: str
    help: str
    #: the end summary's bucket ("kept", "updated", …)
    bucket: str
    #: past tense for "what back would undo" ("kept", "archived", …)
    done: str


DECISION_INFO: dict[str, DecisionInfo] = {
    d.name: d
    for d in (
        DecisionInfo(KEEP, "k", "keep", "Still right: mark reviewed and go on", "kept", "kept"),
        DecisionInfo(
            EDIT,
            "e",
            "edit",
            "Update title, company, last name or contact info (old values kept in history)",
            "updated",
            "updated",
        ),
        DecisionInfo(
            TIER_UP,
            "+",
            "tier up",
            "One tier closer: untracked → light → regular → priority",
            "retiered",
            "moved up a tier",
        ),
        DecisionInfo(
            TIER_DOWN,
            "-",
            "tier down",
            "One tier further: priority → regular → light → untracked",
            "retiered",
            "moved down a tier",
        ),
        DecisionInfo(
            CATEGORIES, "c", "categories", "Set the categories", "updated", "re-categorised"
        ),
        DecisionInfo(
            ARCHIVE,
            "x",
            "archive",
            "No longer matters: archive (kept, never deleted)",
            "archived",
            "archived",
        ),
        DecisionInfo(SNOOZE, "z", "snooze", "No reminders until a date", "snoozed", "snoozed"),
        DecisionInfo(
            SKIP, "s", "skip", "Decide next time (not marked reviewed)", "skipped", "skipped"
        ),
        DecisionInfo(
            MERGE,
            "m",
            "merge",
            "Same person as a duplicate: merge, keeping everything of both",
            "merged",
            "merged",
        ),
    )
}

#: The end summary's counters, in display order.
BUCKETS = ("kept", "updated", "retiered", "archived", "snoozed", "merged", "skipped")


def tier_up(tier: int | None) -> int:
    """untracked → light → regular → priority."""
    if tier == 1:
        raise InvalidInput("tier", "already priority, the highest tier")
    return 3 if tier is None else tier - 1


def tier_down(tier: int | None) -> int | None:
    """priority → regular → light → untracked."""
    if tier is None:
        raise InvalidInput("tier", "already untracked, the lowest tier; archive instead?")
    return None if tier == 3 else tier + 1


# --------------------------------------------------------------------------- the order

GROUP_NEW = 4  # untracked contacts that are new since the last audit
GROUP_LABELS = {1: "priority", 2: "regular", 3: "light", GROUP_NEW: "new and untracked"}


class PlanEntry(NamedTuple):
    """What the order reads about one contact (one row of a single SQL pass)."""

    id: int
    tier: int | None
    archived: bool
    last_touch_on: date | None
    #: when the contact entered the network: tracking start, else creation day
    entered_on: date | None
    created_on: date | None
    reviewed: bool  # reviewed at least once (in an audit, or marked by hand)
    job_changed: bool  # an import found a new job, not yet acknowledged
    name: str = ""  # for a stable order between equally stale contacts


def group_of(entry: PlanEntry, last_audit_on: date | None) -> int | None:
    """The entry's group (1, 2, 3 or GROUP_NEW), or None when it is not audited.

    Untracked contacts are audited when they are new since the last audit (its start
    day), were never reviewed, or changed jobs since; archived ones never.
    """
    if entry.archived:
        return None
    if entry.tier in (1, 2, 3):
        return entry.tier
    new = (
        last_audit_on is None
        or entry.created_on is None
        or entry.created_on >= last_audit_on
        or not entry.reviewed
        or entry.job_changed
    )
    return GROUP_NEW if new else None


def staleness_key(entry: PlanEntry) -> tuple[bool, int, str, int]:
    """Stalest first: the oldest last touch (or, never touched, the oldest arrival)."""
    since = entry.last_touch_on or entry.entered_on or entry.created_on
    return (since is not None, since.toordinal() if since else 0, entry.name, entry.id)


def plan_order(
    entries: Iterable[PlanEntry],
    last_audit_on: date | None,
    only: Collection[int] | None = None,
) -> list[int]:
    """Contact ids in audit order: priority, regular, light, new untracked; stalest first.

    With `only` (an audit of a part: the contacts marked, or those a filter shows), just
    those contacts, in the same order; an untracked one there is audited even when it is
    not new (it was asked for), an archived one never.
    """
    keyed = []
    for e in entries:
        group: int | None
        if only is not None:
            if e.id not in only or e.archived:
                continue
            group = group_of(e, last_audit_on) or GROUP_NEW
        else:
            group = group_of(e, last_audit_on)
        if group is not None:
            keyed.append(((group, *staleness_key(e)), e.id))
    keyed.sort()
    return [cid for _, cid in keyed]


def covers_network(part: Iterable[int], whole: Iterable[int]) -> bool:
    """Whether an audit of a part (its plan `part`) holds every card of the audit of the
    whole network planned at the same moment (`whole`). Only then does finishing it count
    as the network's audit: the six-month "audit due" line and the "not reviewed" flag
    follow the last finished audit that covered everyone (docs/status-rules.md)."""
    return set(whole) <= set(part)


# --------------------------------------------------------------------------- a card


@dataclass(frozen=True, slots=True)
class JobChange:
    """A job change since the last audit: the history row and the current job."""

    old_title: str
    old_company: str
    new_title: str
    new_company: str
    source: str = "manual"  # linkedin, vcard, google, manual, …
    on: date | None = None  # when it was recorded
    acknowledged: bool = False  # False while the "job changed" flag is up

    @property
    def old(self) -> str:
        return _job(self.old_title, self.old_company)

    @property
    def new(self) -> str:
        return _job(self.new_title, self.new_company)


#: Where a job change came from (Job.source), as the card says it.
SOURCE_NAMES = {
    "linkedin": "a LinkedIn import",
    "vcard": "a vCard import",
    "google": "a Google import",
    "manual": "an edit",
    "": "an edit",
    "audit": "an audit",
}


def _job(title: str, company: str) -> str:
    if title and company:
        return f"{title} @ {company}"
    return title or company or "no job recorded"


@dataclass(frozen=True, slots=True)
class CardInput:
    """Everything the suggestion and the fact lines read about one contact."""

    facts: Facts
    name: str = ""
    how_met: str = ""
    met_on: date | None = None
    created_on: date | None = None
    job_change: JobChange | None = None
    gave: int = 0  # in the reciprocity window (policy.reciprocity_days)
    received: int = 0
    touches_last_year: int = 0  # light touches (likes, comments, DMs) left out
    last_audit_on: date | None = None
    #: likely duplicates, as (contact id, name, why) — the first one is suggested
    duplicates: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """netterm's advice for a card.

    `action` names the advice (see ACTIONS); `decision` is the decision that follows it
    (what "accept the suggestion" does), `merge_with` the contact to merge with when it
    is MERGE. `text` is the sentence the card shows.
    """

    action: str
    title: str  # "Archive", "Meet in person", …
    reason: str  # "no answer to 2 attempts since March"
    decision: str = KEEP
    question: bool = False  # "Archive? …" rather than "Meet in person: …"
    merge_with: int | None = None

    @property
    def text(self) -> str:
        if self.question:
            return f"{self.title}? {_capital(self.reason)}"
        return f"{self.title}: {self.reason}"


#: Unanswered attempts younger than this earn patience ("give them space"), not archiving.
QUIET_DAYS = 60

ACTIONS = (
    "merge",
    "congratulate",
    "give_space",
    "archive",
    "tier_down",
    "meet",
    "track",
    "tier_up",
    "give_back",
    "reach_out",
    "keep",
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def span(days: int) -> str:
    """A duration as people say it: '5 days', '3 weeks', '14 months', '2 years'."""
    days = max(0, days)
    if days < 14:
        return days_phrase(days)
    if days < 60:
        return f"{days // 7} weeks"
    if days < 730:
        months = max(2, round(days / 30.44))
        return f"{months} months"
    return f"{round(days / 365.25)} years"


def span_ago(d: date, today: date) -> str:
    days = today.toordinal() - d.toordinal()
    if days < 2:
        return ago(d, today)
    return f"{span(days)} ago"


def since_phrase(d: date, today: date) -> str:
    """'12 Nov' for recent dates, 'March' this year, 'March 2025' before."""
    if today.toordinal() - d.toordinal() < 60:
        return short_date(d, today)
    month = MONTHS[d.month - 1].title()
    return month if d.year == today.year else f"{month} {d.year}"


def _attempts(n: int) -> str:
    return "1 attempt" if n == 1 else f"{n} attempts"


def suggest(card: CardInput, today: date, policy: Policy = DEFAULT_POLICY) -> Suggestion:
    """The one suggestion for this card, the most useful first:

    merge a likely duplicate → congratulate a new job → archive (or tier down a priority)
    someone who did not answer the last attempts for two months (give them space before)
    → tier down (or archive a light contact)
    after a long silence → meet a priority contact in person → track a new untracked
    contact → tier up someone you see far more often than their tier asks → give back →
    reach out when overdue → keep.
    """
    f = card.facts
    s = f.summary
    t = today.toordinal()
    tier_name = TIER_NAMES[f.tier]
    status = evaluate(f, today, policy, card.last_audit_on)

    if card.duplicates:
        other_id, other_name, why = card.duplicates[0]
        more = len(card.duplicates) - 1
        extra = f" (and {more} more)" if more else ""
        return Suggestion(
            "merge",
            "Merge",
            f"looks like the same person as #{other_id} {other_name}{extra}: {why}",
            decision=MERGE,
            question=True,
            merge_with=other_id,
        )

    job = card.job_change
    if job is not None and not job.acknowledged:
        if job.new_company and job.new_company != job.old_company:
            reason = f"new role at {job.new_company}"
        elif job.new_title:
            reason = f"new role as {job.new_title}"
        else:
            reason = "their job changed"
        return Suggestion("congratulate", "Congratulate", reason)

    if s.unanswered >= policy.unresponsive_after and s.awaiting_since is not None:
        reason = (
            f"no answer to {_attempts(s.unanswered)} since {since_phrase(s.awaiting_since, today)}"
        )
        if t - s.awaiting_since.toordinal() < QUIET_DAYS:
            return Suggestion("give_space", "Give them space", reason)
        if f.tier == 1:
            return Suggestion(
                "tier_down", "Tier down", f"priority, but {reason}", TIER_DOWN, question=True
            )
        return Suggestion("archive", "Archive", reason, ARCHIVE, question=True)

    cadence = effective_cadence(f.tier, f.cadence_days, policy)
    if cadence is not None:
        since = s.last_touch_on or f.tracked_since or card.created_on
        if since is not None:
            gap = t - since.toordinal()
            if gap > 2 * cadence and gap >= 180:
                silence = (
                    f"no touch in {span(gap)}"
                    if s.last_touch_on is not None
                    else f"never in touch in {span(gap)} of tracking"
                )
                if f.tier == 3:
                    return Suggestion(
                        "archive", "Archive", f"light, {silence}", ARCHIVE, question=True
                    )
                return Suggestion(
                    "tier_down", "Tier down", f"{tier_name} but {silence}", TIER_DOWN, question=True
                )

    if st.MEET_IN_PERSON in status.flags:
        if s.last_in_person_on is None:
            reason = "priority, never met face to face in netterm's records"
        else:
            reason = f"priority, last face-to-face {span_ago(s.last_in_person_on, today)}"
        return Suggestion("meet", "Meet in person", reason)

    if f.tier is None:
        added = f"added {span_ago(card.created_on, today)}" if card.created_on else "added"
        if s.last_touch_on is None:
            return Suggestion("track", "Track", f"{added}, never touched", TIER_UP, question=True)
        last = f"in touch {span_ago(s.last_touch_on, today)} ({s.last_touch_kind or 'touch'})"
        if t - s.last_touch_on.toordinal() <= policy.cadence_tier3:
            return Suggestion("track", "Track", f"untracked, but {last}", TIER_UP, question=True)
        return Suggestion("keep", "Keep untracked", f"last {last}")

    if f.tier in (2, 3) and cadence is not None:
        # three times what the tier asks, light touches (likes, comments) left out
        expected = 365 / cadence
        if card.touches_last_year >= max(4, 3 * expected):
            return Suggestion(
                "tier_up",
                "Tier up",
                f"{tier_name}, but {card.touches_last_year} touches in the last 12 months",
                TIER_UP,
                question=True,
            )

    if st.GIVE_BACK in status.flags:
        times = "once" if card.received == 1 else f"{card.received} times"
        return Suggestion(
            "give_back",
            "Give back",
            f"they helped you {times} in {window_phrase(policy.reciprocity_days)} "
            "and you gave nothing",
        )

    if status.state == st.OVERDUE:
        return Suggestion(
            "reach_out",
            "Reach out",
            f"overdue by {days_phrase(status.days_overdue or 0)}, "
            f"{cadence_phrase(status.cadence_days)}",
        )
    if status.state == st.PAUSED:
        if status.paused_until is not None:
            return Suggestion(
                "keep", "Keep", f"snoozed until {short_date(status.paused_until, today)}"
            )
        return Suggestion("keep", "Keep", "the ball is in their court")
    if s.last_touch_on is not None:
        return Suggestion(
            "keep",
            "Keep",
            f"on track, last touch {s.last_touch_kind or 'touch'} {ago(s.last_touch_on, today)}",
        )
    return Suggestion("keep", "Keep", "on track")


# --------------------------------------------------------------------------- fact lines


@dataclass(frozen=True, slots=True)
class FactLine:
    """One line of a card: `key` for styling, `label` and the plain-language `text`."""

    key: str
    label: str
    text: str


def fact_lines(card: CardInput, today: date, policy: Policy = DEFAULT_POLICY) -> list[FactLine]:
    """The card's key facts, in the order the card shows them."""
    f = card.facts
    s = f.summary
    status: Status = evaluate(f, today, policy, card.last_audit_on)
    lines = [FactLine("status", "Status", explain(status, f, today))]

    met = []
    if card.how_met:
        met.append(" ".join(card.how_met.split()))
    if card.met_on is not None:
        met.append(f"met {span_ago(card.met_on, today)} ({short_date(card.met_on, today)})")
    lines.append(FactLine("how_met", "How met", " · ".join(met) if met else "not recorded"))

    cadence = effective_cadence(f.tier, f.cadence_days, policy)
    if f.tier is None:
        tier = "untracked · no reminders"
    elif f.cadence_days:
        tier = f"{TIER_NAMES[f.tier]} · own cadence: {cadence_phrase(cadence)}"
    else:
        tier = f"{TIER_NAMES[f.tier]} · {cadence_phrase(cadence)}"
    lines.append(FactLine("tier", "Tier", tier))

    if s.last_touch_on is None:
        last = "never"
    else:
        last = (
            f"{s.last_touch_kind or 'touch'} on {short_date(s.last_touch_on, today)} "
            f"({ago(s.last_touch_on, today)})"
        )
    lines.append(FactLine("last_touch", "Last touch", last))

    if s.unanswered and s.awaiting_since is not None:
        waiting = today.toordinal() - s.awaiting_since.toordinal()
        unanswered = (
            f"{_attempts(s.unanswered)} since {short_date(s.awaiting_since, today)}, "
            f"no reply for {span(waiting)}"
        )
    else:
        unanswered = "none"
    lines.append(FactLine("unanswered", "Unanswered", unanswered))

    if s.last_in_person_on is None:
        in_person = "never face to face in netterm's records"
    else:
        in_person = (
            f"last face to face {span_ago(s.last_in_person_on, today)} "
            f"({short_date(s.last_in_person_on, today)})"
        )
    lines.append(FactLine("in_person", "In person", in_person))

    window = window_phrase(policy.reciprocity_days)
    lines.append(
        FactLine(
            "reciprocity",
            "Reciprocity",
            f"gave {card.gave} · received {card.received} in {window}",
        )
    )

    job = card.job_change
    if job is not None:
        origin = f"from {SOURCE_NAMES.get(job.source, job.source)}"
        when = f", {short_date(job.on, today)}" if job.on else ""
        lines.append(
            FactLine("job_change", "Job change", f"{job.old} → {job.new} ({origin}{when})")
        )
    return lines
