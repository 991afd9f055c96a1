"""The guided audit: a six-monthly walk through the network, one card at a time.

Everything the audit screen needs, and all it should call (`netterm audit --status`
uses it too). Every decision is written at once, in its own transaction, as an
`AuditDecision` row holding what it changed: quitting needs no call, killing the
process loses nothing, and `start()` resumes at the next undecided card.

The cards. `start()` fixes the order for the whole audit (`Audit.plan`, see
`core.audit.plan_order`): priority, regular, light, then untracked contacts new since the
last audit (or never reviewed, or with a new job), each group stalest first; archived
contacts never. The audit only moves forward: the current card is the first one after
the furthest decided card whose contact is still active, so a contact archived or merged
away before its card comes is passed over.

Walking an audit::

    from netterm.services import audit

    card = audit.start()          # start, or resume the unfinished audit
    while card is not None:       # None: every card is decided → finish()
        card.progress             # "37 / 412"  (card.fraction for a progress bar)
        card.contact              # ContactDetail: identity, methods, categories, career,
                                  # follow-ups, timeline, status and its explanation
        card.group                # "priority", "regular", "light", "new and untracked"
        card.suggestion.text      # "Archive? No answer to 2 attempts since March"
        card.suggestion.decision  # what accepting it does: keep, archive, tier_up, merge …
        card.facts                # FactLines (key, label, text): status, how met, tier,
                                  # last touch, unanswered, in person, reciprocity, job change
        card.fact("in_person")    # one of them by key
        card.job_change           # JobChange (old → new) since the last audit, or None
        card.duplicates           # DuplicateMatch (id, name, title_at_company, why)
        card.back                 # "kept Ana Silva": what back() would undo; None at first
        card = audit.keep(card.position)
    summary = audit.finish()      # AuditSummary: counts, changes, who to meet, next date

One call per decision; each takes the card's `position` (a screen showing a stale card
gets `AuditConflict` instead of deciding the wrong one) and returns the next card, or
None when none is left:

    keep(p)                       still right: mark reviewed
    edit(p, **changes)            the contact form's values, as services.update_contact
                                  takes them (name, job_title, company, methods, …); a
                                  new job or last name goes to the history; an unchanged
                                  form counts as keep; ValidationFailed records nothing
    tier_up(p) / tier_down(p)     untracked ↔ light ↔ regular ↔ priority
    set_categories(p, names)      replace the categories (services.list_categories()
                                  lists the existing ones for a picker)
    archive(p)                    archive (never deletes)
    snooze(p, until)              no reminders until a date ("in 3 months", 2027-03-01)
    skip(p)                       decide next time: not marked reviewed
    merge(p, other_id, keep=None) merge with a duplicate, keeping every touch, method,
                                  category, job, follow-up and audit decision of both;
                                  the older record is kept unless `keep` names one, the
                                  other archived; merge_preview(p, other_id, keep=None)
                                  says what would move, for a confirmation
    accept(p)                     do what the suggestion says (keep for meet in person,
                                  congratulate, reach out, give back)
    back()                        undo the last decision exactly (tier, categories,
                                  archive, snooze, edit, merge, reviewed …) and return
                                  its card again; InvalidInput when nothing is decided
    reopen()                      undo finish(): the newest audit is in progress again

Every decision but skip marks the contact reviewed, so it loses the "not reviewed" flag;
a tracked contact skipped or never reached carries it until the next audit.
`core.audit.DECISION_INFO` gives each decision a label, a help line and a suggested key.

The end screen: `finish(early=False)` (cards still undecided need `early=True`) returns
the `AuditSummary`: `counts` / `.kept`, `.updated`, `.retiered`, `.archived`,
`.snoozed`, `.merged`, `.skipped`, `headline()`, `changes` (one line per contact
changed), `to_meet` (priority contacts not met face to face lately, each with the
follow-up already planned if any), `next_audit_on`. `plan_meeting(contact_id,
due="in 2 weeks", text=None)` creates that follow-up; `summary()` rebuilds the end screen
of the last finished audit (e.g. after planning a meeting). Finishing turns the "audit
due" banner off (`Counts.audit_due`, `status().due`) until `policy.audit_interval_days`
have passed. `status()` says where audits stand, without starting one.

Each call reads and writes the database and takes milliseconds even at 30,000 contacts
(tests/perf/audit_bench.py); a screen can call it directly or from a thread worker
(peewee gives each thread its own connection). Errors are `netterm.errors` ones with one
clear sentence: `InvalidInput` (tier up from priority, a snooze in the past, …),
`ValidationFailed` (edit), `NotFound` (no audit in progress), and `AuditConflict`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pendulum

from netterm.config import clock
from netterm.core import audit as rules
from netterm.core.audit import DECISION_INFO, CardInput, FactLine, JobChange, Suggestion
from netterm.core.dates import short_date
from netterm.core.kinds import TIER_NAMES, TOUCH_KINDS
from netterm.errors import InvalidInput, NetTermError, NotFound
from netterm.services import contacts, settings, stats, undo
from netterm.services import merge as merging
from netterm.services.intros import Match
from netterm.services.merge import DuplicateMatch
from netterm.services.network import get_contact
from netterm.services.touches import add_follow_up
from netterm.services.views import ContactDetail, FollowUpView
from netterm.store.models import Audit, AuditDecision, Contact, database


class AuditConflict(NetTermError):
    """The card asked about is not the current one (decided elsewhere): reload the card."""


# --------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class AuditCard:
    """One card of the audit: the contact, netterm's suggestion and the key facts."""

    audit_id: int
    position: int  # 0-based index in the plan; pass it back with the decision
    total: int
    started_at: datetime
    contact: ContactDetail
    group: str  # "priority", "regular", "light", "new and untracked"
    suggestion: Suggestion
    facts: tuple[FactLine, ...]
    job_change: JobChange | None = None
    duplicates: tuple[DuplicateMatch, ...] = ()
    back: str | None = None  # what back() would undo ("kept Ana Silva"), None at first
    #: "" for the network's audit; else the part it takes ("the 12 marked")
    scope: str = ""
    #: a priority contact looking for something, and a good match: "Could introduce: …"
    introduction: Match | None = None

    @property
    def partial(self) -> bool:
        return bool(self.scope)

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def progress(self) -> str:
        return f"{self.number} / {self.total}"

    @property
    def fraction(self) -> float:
        """Done so far, 0.0 to 1.0 (the cards before this one)."""
        return self.position / self.total if self.total else 1.0

    @property
    def can_go_back(self) -> bool:
        return self.back is not None

    def fact(self, key: str) -> str | None:
        """The text of one fact line by key ("last_touch", "in_person", …)."""
        return next((f.text for f in self.facts if f.key == key), None)


@dataclass(frozen=True, slots=True)
class AuditStatus:
    """Where audits stand: the one in progress, the last finished, the next due."""

    in_progress: bool
    audit_id: int | None = None
    started_at: datetime | None = None
    position: int | None = None  # the current card (0-based); None when all decided
    total: int = 0
    decided: int = 0
    last_finished_at: datetime | None = None
    next_due_on: date | None = None
    due: bool = False  # the "audit due" banner
    #: the audit in progress takes a part only ("the 12 marked"); "" the whole network
    scope: str = ""

    @property
    def progress(self) -> str:
        """The current card as the audit screen shows it ("37 / 412")."""
        number = self.total if self.position is None else self.position + 1
        return f"{number} / {self.total}"


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One thing the audit changed, for the end screen."""

    contact_id: int
    name: str
    decision: str
    text: str  # "regular → priority", "archived", "snoozed until 3 Mar 2027", …


@dataclass(frozen=True, slots=True)
class MeetView:
    """A priority contact to meet face to face, and the next follow-up already planned."""

    contact_id: int
    name: str
    title_at_company: str
    last_in_person_on: date | None
    reason: str  # "last face-to-face 14 months ago" / "never met face to face"
    follow_up: FollowUpView | None = None  # the next open follow-up, if any


@dataclass(frozen=True, slots=True)
class AuditSummary:
    """The end screen: what the audit changed, whom to meet, when the next one is due."""

    audit_id: int
    started_at: datetime
    finished_at: datetime | None
    total: int
    counts: dict[str, int]  # core.audit.BUCKETS: kept, updated, retiered, archived, …
    undecided: int  # cards never reached (an early finish)
    changes: tuple[ChangeLine, ...]
    to_meet: tuple[MeetView, ...]
    next_audit_on: date | None
    #: "" for the network's audit; else the part it took ("the 12 marked")
    scope: str = ""

    @property
    def partial(self) -> bool:
        return bool(self.scope)

    def scope_line(self) -> str:
        """'A partial audit of 3,000 contacts: the 3,000 shown by is:untracked. It does
        not count as the network's audit.' ('' for the network's audit)."""
        if not self.scope:
            return ""
        return (
            f"A partial audit of {self.total:,} contact{'s' if self.total != 1 else ''}: "
            f"{self.scope}. The network's audit is still due when it was."
        )

    @property
    def kept(self) -> int:
        return self.counts["kept"]

    @property
    def updated(self) -> int:
        return self.counts["updated"]

    @property
    def retiered(self) -> int:
        return self.counts["retiered"]

    @property
    def archived(self) -> int:
        return self.counts["archived"]

    @property
    def snoozed(self) -> int:
        return self.counts["snoozed"]

    @property
    def merged(self) -> int:
        return self.counts["merged"]

    @property
    def skipped(self) -> int:
        return self.counts["skipped"]

    def headline(self) -> str:
        """'12 kept · 3 updated · 2 re-tiered · 4 archived · 1 snoozed · 1 merged · 5 skipped'."""
        labels = {"retiered": "re-tiered"}
        return " · ".join(f"{self.counts.get(b, 0)} {labels.get(b, b)}" for b in rules.BUCKETS)


# --------------------------------------------------------------------------- reading


def _open_audit() -> Audit | None:
    return Audit.select().where(Audit.finished_at.is_null()).order_by(Audit.id.desc()).first()


def _require_open() -> Audit:
    audit = _open_audit()
    if audit is None:
        raise NotFound("no audit in progress; start one (netterm audit, or A in the app)")
    return audit


_PLANS: dict[str, list[int]] = {}


def _plan(audit: Audit) -> list[int]:
    """The audit's card order. It never changes once the audit started, so each process
    parses it once (keyed by its text: another database's audit #1 is another plan)."""
    text = audit.plan or "[]"
    plan = _PLANS.get(text)
    if plan is None:
        if len(_PLANS) >= 4:
            _PLANS.clear()
        plan = _PLANS[text] = json.loads(text)
    return plan


def _last_position(audit_id: int) -> int:
    """The furthest card decided (-1: none yet). Decisions only ever go forward."""
    row = database.execute_sql(
        "SELECT MAX(position) FROM audit_decision WHERE audit_id = ?", (audit_id,)
    ).fetchone()
    return -1 if row[0] is None else row[0]


def _decided_count(audit_id: int) -> int:
    return database.execute_sql(
        "SELECT COUNT(*) FROM audit_decision WHERE audit_id = ?", (audit_id,)
    ).fetchone()[0]


def _active(ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    return {
        r[0]
        for r in database.execute_sql(
            f"SELECT id FROM contact WHERE id IN ({marks}) AND archived_at IS NULL", list(ids)
        )
    }


def _undecided(audit: Audit, plan: list[int], limit: int | None = 1) -> list[int]:
    """Positions still to decide, in order (at most `limit`).

    The audit moves forward: the cards after the furthest decided one whose contact is
    still active. A contact archived or merged away before its card came is passed over
    (and stays passed over if it comes back).
    """
    out: list[int] = []
    step = 8 if limit == 1 else 500
    for start in range(_last_position(audit.id) + 1, len(plan), step):
        batch = range(start, min(start + step, len(plan)))
        alive = _active([plan[p] for p in batch])
        for p in batch:
            if plan[p] in alive:
                out.append(p)
                if limit is not None and len(out) >= limit:
                    return out
    return out


def _current_position(audit: Audit, plan: list[int]) -> int | None:
    found = _undecided(audit, plan, limit=1)
    return found[0] if found else None


def _local(instant: datetime | None) -> date | None:
    if instant is None:
        return None
    return pendulum.instance(instant).in_tz(clock.timezone()).date()


def _last_audit_start_utc() -> str | None:
    row = (
        Audit.select(Audit.started_at)
        .where(Audit.finished_at.is_null(False), Audit.scope == "")
        .order_by(Audit.finished_at.desc())
        .first()
    )
    return row.started_at.isoformat() if row else None


def _job_change(contact: ContactDetail, since_utc: str | None) -> JobChange | None:
    """The job change since the last audit (history row → current job), if any."""
    row = database.execute_sql(
        "SELECT title, company, source, recorded_at FROM job WHERE contact_id = ? "
        "AND source != 'merge' ORDER BY recorded_at DESC, id DESC LIMIT 1",
        (contact.id,),
    ).fetchone()
    flagged = contact.job_changed_at is not None
    recent = row is not None and (since_utc is None or row[3] >= since_utc)
    if not (flagged or recent):
        return None
    old_title, old_company, source, recorded = row if row else ("", "", "manual", None)
    if flagged and not recent and contact.job_changed_at is not None:
        recorded = contact.job_changed_at.isoformat()
    on = _local(datetime.fromisoformat(recorded)) if recorded else None
    return JobChange(
        old_title,
        old_company,
        contact.job_title,
        contact.company,
        source=source,
        on=on,
        acknowledged=not flagged,
    )


def _card(audit: Audit, plan: list[int], position: int) -> AuditCard:
    today = clock.today()
    policy = settings.get_policy()
    cid = plan[position]
    detail = get_contact(cid, today)
    last_audit_on = settings.last_finished_audit_on()
    job = _job_change(detail, _last_audit_start_utc())
    year_ago = today.toordinal() - 365
    touches_last_year = sum(
        1
        for t in detail.touches
        if year_ago <= t.occurred_on.toordinal() <= today.toordinal()
        and not getattr(TOUCH_KINDS.get(t.kind), "light", False)
    )
    dupes = tuple(merging.duplicates_of(cid))
    card_input = CardInput(
        facts=detail.facts,
        name=detail.name,
        how_met=detail.how_met,
        met_on=detail.met_on,
        created_on=_local(detail.created_at),
        job_change=job,
        gave=detail.reciprocity.gave,
        received=detail.reciprocity.received,
        touches_last_year=touches_last_year,
        last_audit_on=last_audit_on,
        duplicates=tuple((d.id, d.name, d.why) for d in dupes),
    )
    group = rules.GROUP_LABELS[detail.tier if detail.tier in (1, 2, 3) else rules.GROUP_NEW]
    return AuditCard(
        audit_id=audit.id,
        position=position,
        total=len(plan),
        started_at=audit.started_at,
        contact=detail,
        group=group,
        suggestion=rules.suggest(card_input, today, policy),
        facts=tuple(rules.fact_lines(card_input, today, policy)),
        job_change=job,
        duplicates=dupes,
        back=_back_label(audit, plan),
        scope=audit.scope or "",
        introduction=_introduction(detail),
    )


def _introduction(detail: ContactDetail) -> Match | None:
    """The best match for what a priority contact is looking for, when good enough."""
    if detail.tier != 1 or not detail.looking_for.strip():
        return None
    from netterm.services import intros

    return intros.suggestions([detail.id]).get(detail.id)


def _back_label(audit: Audit, plan: list[int]) -> str | None:
    last = (
        AuditDecision.select(AuditDecision.position, AuditDecision.decision)
        .where(AuditDecision.audit == audit.id)
        .order_by(AuditDecision.id.desc())
        .first()
    )
    if last is None:
        return None
    name = _names([plan[last.position]]).get(plan[last.position], "")
    return f"{DECISION_INFO[last.decision].done} {name}".strip()


def current() -> AuditCard | None:
    """The current card of the audit in progress; None when every card is decided."""
    audit = _require_open()
    return _current_card(audit, _plan(audit))


def _current_card(audit: Audit, plan: list[int]) -> AuditCard | None:
    position = _current_position(audit, plan)
    return None if position is None else _card(audit, plan, position)


# --------------------------------------------------------------------------- starting


def _plan_entries():
    tz = clock.timezone()
    for row in database.execute_sql(
        "SELECT c.id, s.tier, s.archived, s.last_touch, s.tracked_since, c.created_at, "
        "c.reviewed_at IS NOT NULL, s.job_changed, c.first_name, c.last_name "
        "FROM contact c JOIN contact_state s ON s.contact_id = c.id"
    ):
        created = stats.local_day(row[5], tz)
        tracked = date.fromordinal(row[4]) if row[4] is not None else None
        yield rules.PlanEntry(
            id=row[0],
            tier=row[1],
            archived=bool(row[2]),
            last_touch_on=date.fromordinal(row[3]) if row[3] is not None else None,
            entered_on=tracked or created,
            created_on=created,
            reviewed=bool(row[6]),
            job_changed=bool(row[7]),
            name=f"{row[8]} {row[9]}".casefold(),
        )


def start(only: Collection[int] | None = None, scope: str = "") -> AuditCard | None:
    """Start an audit, or resume the unfinished one; its current card (None: all decided).

    A new audit fixes its plan now: priority, regular, light, then the untracked contacts
    that are new since the last audit, each group stalest first (core.audit.plan_order).

    With `only`, an audit of a part of the network: just those contacts, in the same
    order (the contacts marked in the app, or those a filter shows); `scope` says which
    in words ("the 3,000 shown by is:untracked") for the card and the summary. It
    counts as the network's audit only if it holds every card the whole audit would
    (core.audit.covers_network): otherwise finishing it leaves the "audit due" line and
    the "not reviewed" flags as they were. InvalidInput if an audit is in progress
    already (resume or finish it first), or if none of them can be audited.
    """
    with database.atomic(lock_type="IMMEDIATE"):
        open_audit = _open_audit()
        if open_audit is None:
            last = settings.last_finished_audit_on()
            entries = list(_plan_entries())
            order = rules.plan_order(entries, last)
            label = ""
            if only is not None:
                part = rules.plan_order(entries, last, only=set(only))
                if not part:
                    raise InvalidInput(
                        "audit", "nothing to audit: none of them is in the network (archived?)"
                    )
                if not rules.covers_network(part, order):
                    label = scope.strip() or f"{len(part):,} chosen contacts"
                order = part
            Audit.create(started_at=clock.now(), plan=json.dumps(order), scope=label)
        elif only is not None:
            what = f"a partial audit of {open_audit.scope}" if open_audit.scope else "an audit"
            raise InvalidInput(
                "audit",
                f"{what} is in progress: resume it (netterm audit, or A) and finish it "
                "(F finishes early) before auditing another part",
            )
    return current()


# --------------------------------------------------------------------------- deciding


def _now() -> pendulum.DateTime:
    return clock.now()


def _mark_reviewed(contact_id: int, now: pendulum.DateTime) -> None:
    Contact.update(reviewed_at=now, updated_at=now).where(Contact.id == contact_id).execute()


def _decide(
    position: int, decision: str, apply: Callable[[int, pendulum.DateTime], dict]
) -> AuditCard | None:
    """Check `position` is the current card, apply the decision, record it: one transaction."""
    now = _now()
    with database.atomic(lock_type="IMMEDIATE"):
        audit = _require_open()
        plan = _plan(audit)
        here = _current_position(audit, plan)
        if here != position:
            where = "every card is decided" if here is None else f"the audit is at card {here + 1}"
            raise AuditConflict(
                f"card {position + 1} is not the current card ({where}); reload the audit"
            )
        cid = plan[position]
        detail = apply(cid, now)
        kind = detail.pop("decision", decision)
        AuditDecision.create(
            audit=audit.id,
            contact=cid,
            position=position,
            decision=kind,
            detail=json.dumps(detail, default=str),
            decided_at=now,
        )
        stats.refresh(detail.get("refresh", [cid]))
    return _current_card(audit, plan)


def _full_snapshot(cid: int) -> dict:
    return {"before": undo.contact_values(cid)}


def keep(position: int) -> AuditCard | None:
    """Still right: mark the contact reviewed."""

    def apply(cid, now):
        before = undo.contact_values(cid, ("reviewed_at", "updated_at"))
        _mark_reviewed(cid, now)
        return {"before": before}

    return _decide(position, rules.KEEP, apply)


def skip(position: int) -> AuditCard | None:
    """Decide next time: nothing changes, the contact stays "not reviewed"."""
    return _decide(position, rules.SKIP, lambda cid, now: {})


def _retier(position: int, decision: str, step: Callable[[int | None], int | None]):
    def apply(cid, now):
        snap = _full_snapshot(cid)
        old = Contact.get_by_id(cid).tier
        new = step(old)
        contacts.update_contact(cid, tier=new if new is not None else "untracked")
        _mark_reviewed(cid, now)
        return {**snap, "from": old, "to": new}

    return _decide(position, decision, apply)


def tier_up(position: int) -> AuditCard | None:
    """untracked → light → regular → priority (InvalidInput from priority)."""
    return _retier(position, rules.TIER_UP, rules.tier_up)


def tier_down(position: int) -> AuditCard | None:
    """priority → regular → light → untracked (InvalidInput from untracked)."""
    return _retier(position, rules.TIER_DOWN, rules.tier_down)


def set_categories(
    position: int, names: Sequence[str], *, shown: Sequence[str] | None = None
) -> AuditCard | None:
    """Set the contact's categories to `names` (new ones are created).

    `shown` is what the dialog started from: then only the user's own changes are
    applied (those added, those removed), over the categories as they are now, so a
    category another device gave the contact meanwhile stays. Without it, `names`
    replaces them all."""

    def apply(cid, now):
        snap = _full_snapshot(cid)
        before = undo.category_links(cid)
        existing = undo.all_category_ids()
        wanted = list(names)
        if shown is not None:
            wanted = rebase_categories([n for (n,) in _category_names(cid)], shown, names)
        contacts.update_contact(cid, categories=wanted)
        _mark_reviewed(cid, now)
        created = sorted(undo.all_category_ids() - existing)
        after = [n for (n,) in _category_names(cid)]
        return {**snap, "categories": before, "created_categories": created, "names": after}

    return _decide(position, rules.CATEGORIES, apply)


def rebase_categories(
    current: Sequence[str], shown: Sequence[str], chosen: Sequence[str]
) -> list[str]:
    """The user turned `shown` into `chosen`; the contact has `current` now (another
    device may have changed them meanwhile): `current` with the user's additions and
    without the user's removals (names compared without case, as categories are)."""
    fold = str.casefold
    was = {fold(n) for n in shown}
    now = {fold(n) for n in chosen}
    removed = was - now
    out = [n for n in current if fold(n) not in removed]
    have = {fold(n) for n in out}
    out += [n for n in chosen if fold(n) not in was and fold(n) not in have]
    return out


def _category_names(cid: int):
    return database.execute_sql(
        "SELECT c.name FROM category c JOIN contact_category l ON l.category_id = c.id "
        "WHERE l.contact_id = ? ORDER BY c.name COLLATE NOCASE",
        (cid,),
    ).fetchall()


def archive(position: int) -> AuditCard | None:
    """Archive the contact: hidden from triage, kept with its whole history."""

    def apply(cid, now):
        snap = _full_snapshot(cid)
        Contact.update(archived_at=now, version=Contact.version + 1).where(
            Contact.id == cid
        ).execute()
        _mark_reviewed(cid, now)
        return snap

    return _decide(position, rules.ARCHIVE, apply)


def snooze(position: int, until: date | str) -> AuditCard | None:
    """No reminders until `until` (a date or "in 3 months", "1 March"; not in the past)."""
    if until is None or (isinstance(until, str) and not until.strip()):
        raise InvalidInput("snooze", "say until when (e.g. 'in 3 months' or 2027-03-01)")

    def apply(cid, now):
        snap = _full_snapshot(cid)
        day = contacts.snooze(cid, until)
        _mark_reviewed(cid, now)
        return {**snap, "until": day.isoformat() if day else None}

    return _decide(position, rules.SNOOZE, apply)


_EDIT_LABELS = {**contacts.FIELD_LABELS, "job_title": "title", "met_on": "met on"}


def edit(position: int, *, expected_version: int | None = None, **changes) -> AuditCard | None:
    """Apply the contact form's changes (as `services.update_contact` takes them).

    A new job or last name keeps the old one in the career history / former names.
    Invalid input raises `ValidationFailed` and records nothing. Saving the form
    unchanged counts as keep. `expected_version` is the contact's version when the form
    read it: if someone saved the contact since, nothing is recorded and `Conflict` says
    what they changed (as `update_contact`).
    """

    def apply(cid, now):
        before = undo.contact_values(cid)
        methods = undo.methods_of(cid)
        cats = undo.category_links(cid)
        existing = undo.all_category_ids()
        jobs = {
            r[0] for r in database.execute_sql("SELECT id FROM job WHERE contact_id = ?", (cid,))
        }
        contacts.update_contact(cid, expected_version=expected_version, **changes)
        after = undo.contact_values(cid)
        changed = [
            _EDIT_LABELS.get(k, k.replace("_", " "))
            for k in undo.CONTACT_COLUMNS
            if k not in ("updated_at", "search_text", "previous_names", "tracked_since", "version")
            and before[k] != after[k]
        ]
        if _without_ids(undo.methods_of(cid)) != _without_ids(methods):
            changed.append("contact info")
        if sorted(c for _, c in undo.category_links(cid)) != sorted(c for _, c in cats):
            changed.append("categories")
        created_jobs = sorted(
            r[0]
            for r in database.execute_sql("SELECT id FROM job WHERE contact_id = ?", (cid,))
            if r[0] not in jobs
        )
        _mark_reviewed(cid, now)
        return {
            "decision": rules.EDIT if changed else rules.KEEP,
            "before": before,
            "methods": methods,
            "categories": cats,
            "created_categories": sorted(undo.all_category_ids() - existing),
            "created_jobs": created_jobs,
            "changed": changed,
        }

    return _decide(position, rules.EDIT, apply)


def _without_ids(rows: list[list]) -> list[list]:
    return [r[1:] for r in rows]


def merge(position: int, other_id: int, *, keep: int | None = None) -> AuditCard | None:
    """Merge the card's contact with `other_id`, keeping every touch, method, category,
    job, follow-up and audit decision of both. The older record is kept (its empty fields
    filled from the other) unless `keep` names which; the other is archived."""

    def apply(cid, now):
        into, source = _merge_roles(cid, other_id, keep)
        result = merging.merge(source, into)
        _mark_reviewed(into, now)
        return {
            "merge": result.undo,
            "kept": into,
            "archived": source,
            "refresh": [cid, other_id],
        }

    return _decide(position, rules.MERGE, apply)


def merge_preview(position: int, other_id: int, *, keep: int | None = None):
    """What `merge(position, other_id, keep=keep)` would do (a `MergePreview`: what
    moves, which fields fill, which record is kept), for a confirmation. Changes nothing."""
    audit = _require_open()
    plan = _plan(audit)
    if _current_position(audit, plan) != position:
        raise AuditConflict(f"card {position + 1} is not the current card; reload the audit")
    into, source = _merge_roles(plan[position], other_id, keep)
    return merging.preview_merge(source, into)


def _merge_roles(cid: int, other_id: int, keep: int | None) -> tuple[int, int]:
    """(kept, archived) for merging the card's contact with another."""
    if other_id == cid:
        raise InvalidInput("merge", "a contact cannot be merged with itself")
    if keep is not None and keep not in (cid, other_id):
        raise InvalidInput("merge", f"keep must be #{cid} or #{other_id}")
    into = keep if keep is not None else _older(cid, other_id)
    return into, (other_id if into == cid else cid)


def _older(a: int, b: int) -> int:
    rows = database.execute_sql(
        "SELECT id FROM contact WHERE id IN (?, ?) ORDER BY created_at, id LIMIT 1", (a, b)
    ).fetchone()
    if rows is None:
        raise NotFound(f"no contact #{b}")
    return rows[0]


def accept(position: int) -> AuditCard | None:
    """Do what the card's suggestion says (keep when it suggests an action outside)."""
    card = current()
    if card is None or card.position != position:
        raise AuditConflict(f"card {position + 1} is not the current card; reload the audit")
    s = card.suggestion
    if s.decision == rules.ARCHIVE:
        return archive(position)
    if s.decision == rules.TIER_UP:
        return tier_up(position)
    if s.decision == rules.TIER_DOWN:
        return tier_down(position)
    if s.decision == rules.MERGE and s.merge_with is not None:
        return merge(position, s.merge_with)
    return keep(position)


# --------------------------------------------------------------------------- back


def _undo(cid: int, detail: dict) -> list[int]:
    """Reverse one decision from its detail; the contacts to refresh."""
    if "merge" in detail:
        merging.unmerge(detail["merge"])
        return detail.get("refresh", [cid])
    if detail.get("created_jobs"):
        marks = ",".join("?" * len(detail["created_jobs"]))
        database.execute_sql(f"DELETE FROM job WHERE id IN ({marks})", detail["created_jobs"])
    if "methods" in detail:
        undo.restore_methods(cid, detail["methods"])
    if "categories" in detail:
        undo.restore_categories(cid, detail["categories"], detail.get("created_categories", ()))
    if "before" in detail:
        undo.restore_contact(cid, detail["before"])
    return [cid]


def back() -> AuditCard:
    """Undo the last decision exactly (tier, categories, archive, snooze, edit, merge,
    reviewed …) and return its card again. InvalidInput when nothing is decided yet."""
    with database.atomic(lock_type="IMMEDIATE"):
        audit = _require_open()
        plan = _plan(audit)
        last = (
            AuditDecision.select()
            .where(AuditDecision.audit == audit.id)
            .order_by(AuditDecision.id.desc())
            .first()
        )
        if last is None:
            raise InvalidInput("back", "nothing to undo: no card decided yet in this audit")
        cid = plan[last.position]
        touched = _undo(cid, json.loads(last.detail or "{}"))
        last.delete_instance()
        stats.refresh(touched)
    card = current()
    if card is None:  # pragma: no cover - the undone card is undecided again
        raise NotFound("the undone card is no longer in the network")
    return card


# --------------------------------------------------------------------------- finishing


def finish(*, early: bool = False) -> AuditSummary:
    """Finish the audit in progress: the "audit due" banner goes, the next is due
    `policy.audit_interval_days` later. Cards still undecided need `early=True`
    (they stay "not reviewed")."""
    with database.atomic(lock_type="IMMEDIATE"):
        audit = _require_open()
        left = len(_undecided(audit, _plan(audit), limit=None))
        if left and not early:
            raise InvalidInput(
                "finish",
                f"{left} card{'s are' if left != 1 else ' is'} still undecided; "
                "decide them, or finish early",
            )
        audit.finished_at = _now()
        audit.save()
    return summary(audit.id)


def reopen(audit_id: int | None = None) -> AuditCard | None:
    """Undo `finish()`: the last audit is in progress again, every decision kept; its
    current card (None when every card was decided: `back()` then undoes the last one).

    Only the newest audit can be reopened (`audit_id`, if given, must be it), and only
    while no other audit is in progress.
    """
    with database.atomic(lock_type="IMMEDIATE"):
        if _open_audit() is not None:
            raise InvalidInput("audit", "an audit is in progress already")
        last = Audit.select().order_by(Audit.id.desc()).first()
        if last is None or last.finished_at is None:
            raise NotFound("no finished audit to reopen")
        if audit_id is not None and last.id != audit_id:
            raise InvalidInput("audit", "a newer audit was started since; this one stays closed")
        last.finished_at = None
        last.save()
    return _current_card(last, _plan(last))


def _audit_or_last(audit_id: int | None) -> Audit:
    if audit_id is not None:
        audit = Audit.get_or_none(Audit.id == audit_id)
        if audit is None:
            raise NotFound(f"no audit #{audit_id}")
        return audit
    audit = (
        Audit.select()
        .where(Audit.finished_at.is_null(False))
        .order_by(Audit.finished_at.desc())
        .first()
    )
    if audit is None:
        raise NotFound("no audit was ever finished")
    return audit


def _change_text(decision: str, detail: dict, name_of: Callable[[int], str]) -> str | None:
    if decision in (rules.TIER_UP, rules.TIER_DOWN):
        return f"{TIER_NAMES[detail.get('from')]} → {TIER_NAMES[detail.get('to')]}"
    if decision == rules.ARCHIVE:
        return "archived"
    if decision == rules.SNOOZE:
        until = detail.get("until")
        return f"snoozed until {short_date(date.fromisoformat(until))}" if until else "snoozed"
    if decision == rules.CATEGORIES:
        names = detail.get("names") or []
        return "categories: " + (", ".join(names) if names else "none")
    if decision == rules.EDIT:
        return "updated " + ", ".join(detail.get("changed") or ["details"])
    if decision == rules.MERGE:
        kept, gone = detail["kept"], detail["archived"]
        return f"merged #{gone} {name_of(gone)} into #{kept} {name_of(kept)}"
    return None


def summary(audit_id: int | None = None) -> AuditSummary:
    """The end screen of an audit (the last finished one by default): what changed,
    the priority contacts to meet face to face, and when the next audit is due."""
    audit = _audit_or_last(audit_id)
    plan = _plan(audit)
    rows = database.execute_sql(
        "SELECT position, decision, detail FROM audit_decision WHERE audit_id = ? ORDER BY id",
        (audit.id,),
    ).fetchall()
    counts = dict.fromkeys(rules.BUCKETS, 0)
    for _, decision, _ in rows:
        counts[DECISION_INFO[decision].bucket] += 1
    noted = [(plan[p], d, json.loads(x or "{}")) for p, d, x in rows if d not in ("keep", "skip")]
    ids = {cid for cid, _, _ in noted}
    for _, _, x in noted:
        ids |= {x.get("kept"), x.get("archived")} - {None}
    names = _names(ids)
    changes = []
    for cid, decision, detail in noted:
        text = _change_text(decision, detail, lambda i: names.get(i, ""))
        if text:
            changes.append(ChangeLine(cid, names.get(cid, f"#{cid}"), decision, text))
    undecided = len(_undecided(audit, plan, limit=None))
    policy = settings.get_policy()
    finished = _local(audit.finished_at)
    return AuditSummary(
        audit_id=audit.id,
        started_at=audit.started_at,
        finished_at=audit.finished_at,
        total=len(plan),
        counts=counts,
        undecided=undecided,
        changes=tuple(changes),
        to_meet=tuple(to_meet()),
        next_audit_on=(
            date.fromordinal(finished.toordinal() + policy.audit_interval_days)
            if finished and not audit.scope
            else settings.next_audit_due_on(policy)
        ),
        scope=audit.scope or "",
    )


def _names(ids) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        r[0]: " ".join(p for p in (r[1], r[2]) if p)
        for r in database.execute_sql(
            f"SELECT id, first_name, last_name FROM contact WHERE id IN ({marks})", ids
        )
    }


def to_meet(today: date | None = None) -> list[MeetView]:
    """Active priority contacts not met face to face within the policy's window
    (the "meet in person" flag), the longest unmet first."""
    today = today or clock.today()
    policy = settings.get_policy()
    t = today.toordinal()
    rows = database.execute_sql(
        "SELECT c.id, c.first_name, c.last_name, c.job_title, c.company, s.last_in_person "
        "FROM contact_state s JOIN contact c ON c.id = s.contact_id "
        "WHERE s.tier = 1 AND NOT s.archived AND (s.last_in_person IS NULL OR ? - s.last_in_person > ?) "
        "ORDER BY s.last_in_person IS NOT NULL, s.last_in_person, c.first_name, c.last_name",
        (t, policy.meet_in_person_days),
    ).fetchall()
    follow = {}
    if rows:
        marks = ",".join("?" * len(rows))
        for fid, cid, due, text in database.execute_sql(
            f"SELECT id, contact_id, due_on, text FROM follow_up WHERE done_at IS NULL "
            f"AND contact_id IN ({marks}) ORDER BY due_on DESC, id DESC",
            [r[0] for r in rows],
        ):
            follow[cid] = FollowUpView(fid, cid, date.fromisoformat(due), text, None)
    out = []
    for cid, first, last, title, company, met in rows:
        met_on = date.fromordinal(met) if met is not None else None
        reason = (
            "never met face to face in netterm's records"
            if met_on is None
            else f"last face-to-face {rules.span_ago(met_on, today)}"
        )
        name = " ".join(p for p in (first, last) if p)
        out.append(
            MeetView(
                cid,
                name,
                merging._title_at(title, company),
                met_on,
                reason,
                follow.get(cid),
            )
        )
    return out


def plan_meeting(
    contact_id: int, due: str | date = "in 2 weeks", text: str | None = None
) -> FollowUpView:
    """A follow-up to meet this contact face to face (the end screen's one key)."""
    if text is None:
        first = Contact.get_or_none(Contact.id == contact_id)
        if first is None:
            raise NotFound(f"no contact #{contact_id}")
        text = f"Meet {first.first_name or first.name} in person: coffee or lunch"
    return add_follow_up(contact_id, due, text)


# --------------------------------------------------------------------------- status


def status(today: date | None = None) -> AuditStatus:
    """The audit in progress (if any), the last finished one, and when the next is due."""
    today = today or clock.today()
    policy = settings.get_policy()
    finished = (
        Audit.select(Audit.finished_at)
        .where(Audit.finished_at.is_null(False), Audit.scope == "")
        .order_by(Audit.finished_at.desc())
        .first()
    )
    last_at = finished.finished_at if finished else None
    last_on = _local(last_at)
    next_due = (
        date.fromordinal(last_on.toordinal() + policy.audit_interval_days) if last_on else None
    )
    active = database.execute_sql(
        "SELECT COUNT(*) FROM contact WHERE archived_at IS NULL"
    ).fetchone()[0]
    due = settings.audit_due(today, policy, has_contacts=active > 0)
    audit = _open_audit()
    if audit is None:
        return AuditStatus(False, last_finished_at=last_at, next_due_on=next_due, due=due)
    plan = _plan(audit)
    return AuditStatus(
        True,
        audit_id=audit.id,
        started_at=audit.started_at,
        position=_current_position(audit, plan),
        total=len(plan),
        decided=_decided_count(audit.id),
        last_finished_at=last_at,
        next_due_on=next_due,
        due=due,
        scope=audit.scope or "",
    )


__all__ = [
    "AuditCard",
    "AuditConflict",
    "AuditStatus",
    "AuditSummary",
    "ChangeLine",
    "MeetView",
    "accept",
    "archive",
    "back",
    "current",
    "edit",
    "finish",
    "keep",
    "merge",
    "merge_preview",
    "plan_meeting",
    "reopen",
    "set_categories",
    "skip",
    "snooze",
    "start",
    "status",
    "summary",
    "tier_down",
    "tier_up",
    "to_meet",
]
