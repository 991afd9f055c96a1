"""The list's plain data: one `NetworkRow` per contact and the header's `Counts`.

Split from `views.py` (which re-exports both) so that the app's first frame, which needs
only these, does not create the detail screen's dataclasses: about 10 ms of start-up
(README "Performance", docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
