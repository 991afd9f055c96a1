"""Plain data the services hand to the CLI and the TUI (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from netterm.core.status import Facts, Status
from netterm.services.rowviews import SEARCH_FIELDS as SEARCH_FIELDS
from netterm.services.rowviews import SEP as SEP
from netterm.services.rowviews import Counts as Counts
from netterm.services.rowviews import NetworkRow as NetworkRow


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
