"""Plain data the services hand to the CLI and the TUI (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from netterm.core.status import ARCHIVED, AWAITING_REPLY, PAUSED, Facts, Status, TouchSummary

#: Order of the fields inside `search_text` (joined by SEP). Keep in sync with
#: `services.contacts.search_text`.
SEARCH_FIELDS = (
    "name",
    "title",
    "company",
    "location",
    "how_met",
    "notes",
    "looking_for",
    "methods",
)
SEP = "\x1f"
_FIELD_INDEX = {name: i for i, name in enumerate(SEARCH_FIELDS)}


class NetworkRow:
    """One contact in the network list: identity, categories and its status on a day.

    Built from one SQL row (see services.network); `status` and `facts` rebuild the
    pure-rule objects on demand, for the few rows whose status is explained.
    """

    __slots__ = (
        "_haystack",
        "_parts",
        "awaiting_inbound_since",
        "awaiting_since",
        "cadence",
        "categories",
        "company",
        "due",
        "flags",
        "id",
        "last_touch",
        "last_touch_kind",
        "name",
        "overdue",
        "search_text",
        "snoozed_until",
        "state",
        "tier",
        "title",
        "today",
        "tracked_since",
        "unanswered",
        "urgency",
    )

    def __init__(
        self, r, categories: tuple[str, ...], flags: tuple[str, ...], state: str, today: int
    ):
        (
            self.id,
            first,
            last,
            self.title,
            self.company,
            self.tier,
            self.cadence,
            self.last_touch,
            self.last_touch_kind,
            self.unanswered,
            self.awaiting_since,
            self.tracked_since,
            self.snoozed_until,
            self.awaiting_inbound_since,
            _,
            self.due,
            self.overdue,
            self.urgency,
            _,
            self.search_text,
        ) = r
        self.name = f"{first} {last}" if first and last else (first or last)
        self.categories = categories
        self.flags = flags
        self.state = state
        self.today = today
        self._haystack: str | None = None
        self._parts: list[str] | None = None

    # ---- for the query language (core.query.Searchable)
    @property
    def haystack(self) -> str:
        if self._haystack is None:
            cats = SEP.join(c.casefold() for c in self.categories)
            self._haystack = f"{self.search_text}{SEP}{cats}"
        return self._haystack

    def field_text(self, name: str) -> str:
        if name == "categories":
            return SEP.join(c.casefold() for c in self.categories)
        if self._parts is None:
            self._parts = self.search_text.split(SEP)
        i = _FIELD_INDEX[name]
        return self._parts[i] if i < len(self._parts) else ""

    # ---- dates
    @property
    def due_on(self) -> date | None:
        return date.fromordinal(self.due) if self.due is not None else None

    @property
    def last_touch_on(self) -> date | None:
        return date.fromordinal(self.last_touch) if self.last_touch is not None else None

    # ---- the pure-rule view, for explanations
    @property
    def status(self) -> Status:
        if self.state == ARCHIVED:
            return Status(ARCHIVED)
        t = self.today
        timed = self.overdue is not None
        paused_until = None
        if self.state == PAUSED and self.snoozed_until is not None and self.snoozed_until >= t:
            paused_until = date.fromordinal(self.snoozed_until)
        # positional (Status's field order): `netterm due` builds thousands of these
        return Status(
            self.state,
            date.fromordinal(self.due) if self.due is not None else None,  # due_on
            self.overdue,  # days_overdue
            self.cadence,  # cadence_days
            self.flags,
            self.urgency,
            self.unanswered,
            # awaiting_days
            max(0, t - self.awaiting_since) if AWAITING_REPLY in self.flags else None,
            paused_until,
            timed and self.last_touch is not None and self.last_touch > t,  # future_touch
            timed and self.unanswered > 0,  # follow_up_once (habit 6)
        )

    @property
    def facts(self) -> Facts:
        """The facts the explanation reads (the rest of Facts is not loaded for lists)."""
        o = date.fromordinal
        # positional (the fields' order in Facts and TouchSummary), for the same reason
        return Facts(
            self.tier,
            None,  # cadence_days: the effective cadence is in `status`
            o(self.tracked_since) if self.tracked_since is not None else None,
            False,  # archived: that is `state`
            o(self.snoozed_until) if self.snoozed_until is not None else None,  # paused_until
            (
                date.fromisoformat(self.awaiting_inbound_since)
                if self.awaiting_inbound_since
                else None
            ),
            TouchSummary(
                o(self.last_touch) if self.last_touch is not None else None,  # last_touch_on
                self.last_touch_kind,
                None,  # last_inbound_on
                None,  # last_in_person_on
                self.unanswered,
                o(self.awaiting_since) if self.awaiting_since is not None else None,
            ),
        )

    @property
    def title_at_company(self) -> str:
        if self.title and self.company:
            return f"{self.title} @ {self.company}"
        return self.title or self.company

    def __repr__(self) -> str:
        return f"NetworkRow({self.id}, {self.name!r}, {self.state})"


@dataclass(frozen=True, slots=True)
class Counts:
    total: int = 0
    overdue: int = 0
    due_soon: int = 0
    unresponsive: int = 0
    paused: int = 0
    ok: int = 0
    untracked: int = 0
    archived: int = 0
    follow_ups_due: int = 0
    audit_due: bool = False

    def headline(self) -> str:
        """`12 overdue · 5 due soon · 3 unresponsive · audit due`."""
        parts = [
            f"{self.overdue} overdue",
            f"{self.due_soon} due soon",
            f"{self.unresponsive} unresponsive",
        ]
        if self.follow_ups_due:
            plural = "s" if self.follow_ups_due != 1 else ""
            parts.append(f"{self.follow_ups_due} follow-up{plural} due")
        if self.audit_due:
            parts.append("audit due")
        return " · ".join(parts)


@dataclass(slots=True)
class Network:
    """Every contact with its status on `today`, most urgent first."""

    today: date
    rows: list[NetworkRow]
    counts: Counts
    last_audit_on: date | None = None

    def by_id(self) -> dict[int, NetworkRow]:
        return {r.id: r for r in self.rows}


@dataclass(frozen=True, slots=True)
class MethodView:
    id: int
    kind: str
    value: str
    label: str = ""
    primary: bool = False


@dataclass(frozen=True, slots=True)
class TouchView:
    id: int
    contact_id: int
    occurred_at: datetime
    occurred_on: date
    kind: str
    direction: str
    in_person: bool
    awaiting_reply: bool
    replied_at: datetime | None
    value: str
    note: str
    source: str = "typed"  # typed, import, mail, calendar, linkedin
    source_key: str | None = None  # the source item's identity (None: typed)
    logged_by: str = ""  # who logged it (config.current_user of their device)
    created_at: datetime | None = None

    @property
    def unanswered(self) -> bool:
        return self.awaiting_reply and self.replied_at is None


@dataclass(frozen=True, slots=True)
class JobView:
    id: int
    title: str
    company: str
    started_on: date | None
    ended_on: date | None
    source: str


@dataclass(frozen=True, slots=True)
class FollowUpView:
    id: int
    contact_id: int
    due_on: date
    text: str
    done_at: datetime | None
    contact_name: str = ""


@dataclass(frozen=True, slots=True)
class Reciprocity:
    gave: int = 0
    received: int = 0
    days: int = 365

    def phrase(self) -> str:
        from netterm.core.dates import window_phrase

        return f"gave {self.gave} · received {self.received} in {window_phrase(self.days)}"


@dataclass(slots=True)
class ContactDetail:
    id: int
    first_name: str
    last_name: str
    previous_names: str
    job_title: str
    company: str
    location: str
    how_met: str
    met_on: date | None
    notes: str
    looking_for: str
    tier: int | None
    cadence_days: int | None
    tracked_since: date | None
    paused_until: date | None
    awaiting_inbound_since: date | None
    archived_at: datetime | None
    reviewed_at: datetime | None
    job_changed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    categories: list[str]
    methods: list[MethodView]
    jobs: list[JobView]
    follow_ups: list[FollowUpView]
    touches: list[TouchView]  # newest first
    facts: Facts
    status: Status
    explanation: str
    flag_notes: list[str]
    reciprocity: Reciprocity
    #: how many touches the contact has (`touches` holds only the newest when limited)
    touch_count: int = -1
    #: the contact's version when read: an edit saved over a newer one is a Conflict
    version: int = 1
    #: why the contact stands where it does in the list (core.explain.urgency_phrase)
    urgency_note: str = ""

    def __post_init__(self) -> None:
        if self.touch_count < 0:
            self.touch_count = len(self.touches)

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def title_at_company(self) -> str:
        if self.job_title and self.company:
            return f"{self.job_title} @ {self.company}"
        return self.job_title or self.company

    @property
    def open_follow_ups(self) -> list[FollowUpView]:
        return [f for f in self.follow_ups if f.done_at is None]

    @property
    def primary_email(self) -> str | None:
        emails = [m for m in self.methods if m.kind == "email"]
        emails.sort(key=lambda m: not m.primary)
        return emails[0].value if emails else None
