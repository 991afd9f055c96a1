"""The Insights figures: pure functions of small aggregates and "today".

Each chart of the Insights screen (and each table of `netterm stats`) is one function
here, fed by one SQL pass in `netterm.services.insights`; none of them reads the store
or imports Textual, so they are unit-tested with a frozen today and hand-made rows.
Every figure has a `caption`: its message in one or two plain sentences, shown under
the chart (a chart must say what it shows in words too).

* `touches_by_month` — touches per month over the last 24 months, by kind group;
* `health_by_tier` — the states of the list (core.status) per tier, now and at the
  last audit;
* `attention_budget` — touches per week the cadences ask for against those logged,
  and what re-tiering the stalest contacts would save;
* `reciprocity` and `balances` — gave/received per quarter, the largest balances;
* `category_health` — share ok per category, sortable;
* `not_met` — priority people not met face to face for the longest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from netterm.core import status as st
from netterm.core.kinds import GAVE, RECEIVED, TIER_NAMES

# --------------------------------------------------------------------------- kind groups

FACE, CALLS, WRITTEN, SOCIAL = "face to face", "calls", "written", "social"
GROUPS = (FACE, CALLS, WRITTEN, SOCIAL)
#: What each group is made of, for captions and the docs.
GROUP_HELP = {
    FACE: "met in person (coffee, lunch, meeting, any touch marked in person)",
    CALLS: "calls, and a coffee, lunch or meeting held remotely",
    WRITTEN: "email, message, congratulation, article, introduction, favour, update",
    SOCIAL: "likes, comments and DMs on social networks",
}


def kind_group(kind: str, in_person: bool) -> str:
    """The group a touch belongs to. Being in person wins over the kind: a coffee
    marked remote was a video call; an e-mail is never face to face unless marked so."""
    if in_person:
        return FACE
    if kind in ("call", "coffee", "lunch", "meeting"):
        return CALLS
    if kind == "social":
        return SOCIAL
    return WRITTEN


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def pct(share: float) -> str:
    return f"{round(share * 100)}%"


def _n(value: int, word: str, plural: str | None = None) -> str:
    return f"{value:,} {word if value == 1 else (plural or word + 's')}"


# --------------------------------------------------------------------------- months


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def last_months(today: date, count: int) -> list[str]:
    """The `count` months ending with today's, oldest first, as "YYYY-MM"."""
    y, m = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{y:04d}-{m:02d}")
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out[::-1]


def months_start(today: date, count: int) -> date:
    """The first day of the oldest of `last_months(today, count)`."""
    first = last_months(today, count)[0]
    return date(int(first[:4]), int(first[5:]), 1)


@dataclass
class MonthlyTouches:
    months: list[str]  # "YYYY-MM", oldest first
    by_group: dict[str, list[int]]  # group → one count per month
    total: int
    face_share: float  # share of face-to-face touches over the whole span
    recent_face_share: float  # over the last 3 months
    busiest: str | None  # the month with most touches

    @property
    def per_month(self) -> list[int]:
        return [sum(self.by_group[g][i] for g in GROUPS) for i in range(len(self.months))]

    @property
    def caption(self) -> str:
        span = len(self.months)
        if not self.total:
            return f"No touch logged in the last {span} months."
        parts = [
            f"{_n(self.total, 'touch', 'touches')} in the last {span} months, "
            f"{pct(self.face_share)} face to face"
        ]
        parts.append(f"{pct(self.recent_face_share)} over the last 3 months")
        tail = ", ".join(parts) + "."
        if self.busiest:
            tail += f" Busiest month: {month_label(self.busiest)}."
        by = sorted(GROUPS, key=lambda g: -sum(self.by_group[g]))
        tail += f" Most touches are {by[0]}."
        return tail


MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_label(key: str) -> str:
    return f"{MONTH_NAMES[int(key[5:]) - 1]} {key[:4]}"


def touches_by_month(
    rows: Iterable[tuple[str, str, bool, int]], today: date, months: int = 24
) -> MonthlyTouches:
    """`rows`: (month "YYYY-MM", kind, in person, count); months outside the span
    (or after today's) are ignored."""
    keys = last_months(today, months)
    index = {k: i for i, k in enumerate(keys)}
    by_group = {g: [0] * months for g in GROUPS}
    for month, kind, in_person, n in rows:
        i = index.get(month)
        if i is not None:
            by_group[kind_group(kind, bool(in_person))][i] += int(n)
    per_month = [sum(by_group[g][i] for g in GROUPS) for i in range(months)]
    total = sum(per_month)
    recent = sum(per_month[-3:])
    busiest = None
    if total:
        top = max(per_month)
        busiest = keys[max(i for i, v in enumerate(per_month) if v == top)]
    return MonthlyTouches(
        months=keys,
        by_group=by_group,
        total=total,
        face_share=_share(sum(by_group[FACE]), total),
        recent_face_share=_share(sum(by_group[FACE][-3:]), recent),
        busiest=busiest,
    )


# --------------------------------------------------------------------------- health

#: The states a tier's bar is made of, in the order they stack (the list's states).
HEALTH_STATES = (st.OK, st.DUE_SOON, st.OVERDUE, st.UNRESPONSIVE, st.PAUSED)
TIERS = (1, 2, 3)


@dataclass
class TierHealth:
    tier: int
    counts: dict[str, int]  # state → contacts now
    before: dict[str, int] | None = None  # the same at the last audit, if known

    @property
    def name(self) -> str:
        return f"tier {self.tier} ({TIER_NAMES[self.tier]})"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok_share(self) -> float:
        return _share(self.counts.get(st.OK, 0), self.total)

    @property
    def before_ok_share(self) -> float | None:
        if self.before is None:
            return None
        return _share(self.before.get(st.OK, 0), sum(self.before.values()))

    def moved(self, state: str) -> int | None:
        """How many more contacts are in `state` than at the last audit."""
        if self.before is None:
            return None
        return self.counts.get(state, 0) - self.before.get(state, 0)


@dataclass
class Health:
    tiers: list[TierHealth]
    untracked: int
    audit_on: date | None  # the day the last finished audit ended

    @property
    def compared(self) -> bool:
        """The states at the last audit are known (`before` of every tier)."""
        return any(t.before is not None for t in self.tiers)

    @property
    def caption(self) -> str:
        tracked = sum(t.total for t in self.tiers)
        if not tracked:
            return "No contact is tracked yet: give someone a tier to see how it holds up."
        ok = sum(t.counts.get(st.OK, 0) for t in self.tiers)
        overdue = sum(t.counts.get(st.OVERDUE, 0) for t in self.tiers)
        text = (
            f"{pct(_share(ok, tracked))} of {tracked:,} tracked contacts are ok, "
            f"{overdue:,} overdue"
        )
        worst = min((t for t in self.tiers if t.total), key=lambda t: t.ok_share)
        text += f"; {worst.name} holds up worst ({pct(worst.ok_share)} ok)."
        if self.audit_on is None:
            return text + " No audit finished yet to compare with."
        if not self.compared:
            return text + f" Not compared with the audit of {self.audit_on.isoformat()}."
        moved = sum(t.moved(st.OVERDUE) or 0 for t in self.tiers)
        when = self.audit_on.isoformat()
        if moved > 0:
            text += f" {moved:,} more overdue than at the audit of {when}."
        elif moved < 0:
            text += f" {-moved:,} fewer overdue than at the audit of {when}."
        else:
            text += f" As many overdue as at the audit of {when}."
        return text


def health_by_tier(
    now: Mapping[tuple[int | None, str], int],
    before: Mapping[tuple[int | None, str], int] | None = None,
    audit_on: date | None = None,
) -> Health:
    """`now` and `before`: contacts per (tier, state), archived left out. Untracked
    contacts (tier None) are counted apart: they have no cadence to keep."""
    tiers = []
    for tier in TIERS:
        counts = {s: now.get((tier, s), 0) for s in HEALTH_STATES}
        then = None
        if before is not None:
            then = {s: before.get((tier, s), 0) for s in HEALTH_STATES}
        tiers.append(TierHealth(tier, counts, then))
    untracked = sum(n for (tier, s), n in now.items() if tier is None and s != st.ARCHIVED)
    return Health(tiers=tiers, untracked=untracked, audit_on=audit_on)


# --------------------------------------------------------------------------- attention


@dataclass
class Retier:
    """One re-tiering the user could make, and the attention it would give back."""

    tier: int  # the tier whose overdue contacts would move (the list's `tier:N is:overdue`)
    text: str  # "overdue tier 3 to untracked"
    contacts: int
    saves: float  # touches per week

    @property
    def query(self) -> str:
        """The contacts list's filter showing who would move."""
        return f"tier:{self.tier} is:overdue"


@dataclass
class Attention:
    asked: float  # touches per week the cadences ask for
    logged: float  # touches per week logged, over the last `weeks` weeks
    weeks: int
    weekly: list[int]  # touches logged each of those weeks, oldest first
    tracked: int
    by_tier: dict[int, float]  # tier → touches per week asked
    retiers: list[Retier] = field(default_factory=list)

    @property
    def caption(self) -> str:
        if not self.tracked:
            return "No contact is tracked: the cadences ask for nothing yet."
        text = (
            f"Your {self.tracked:,} tracked contacts ask for {self.asked:.1f} touches a week; "
            f"you logged {self.logged:.1f} a week over the last {self.weeks} weeks"
        )
        if self.asked and self.logged < self.asked:
            text += f" ({pct(_share(self.logged, self.asked))} of the ask)."
        else:
            text += " (enough)."
        best = max(self.retiers, key=lambda r: r.saves, default=None)
        if best is not None and best.contacts:
            text += f" Moving the {best.text} would save {best.saves:.1f} a week."
        return text


def attention_budget(
    contacts: Iterable[tuple[int, int, bool, str, int]],
    daily: Mapping[date, int],
    today: date,
    cadence_for_tier: Mapping[int, int],
    weeks: int = 8,
) -> Attention:
    """`contacts`: (tier, effective cadence, has its own cadence, state, how many) of
    the tracked, not archived contacts. `daily`: touches logged per day.

    Asked = 7 × Σ 1/cadence. Re-tiering options: the overdue contacts of each tier
    (the list's `tier:N is:overdue`: the touches the user is not making) moved one step
    down, tier 3 to untracked. A contact with its own cadence keeps it when its tier
    changes, so only a move to untracked frees its share.
    """
    t = today.toordinal()
    asked = 0.0
    by_tier = dict.fromkeys(TIERS, 0.0)
    tracked = 0
    stale: dict[int, list[tuple[int, bool, int]]] = {tier: [] for tier in TIERS}
    for tier, cadence, own, state, n in contacts:
        if not cadence:
            continue
        tracked += n
        week = 7.0 / cadence * n
        asked += week
        by_tier[tier] = by_tier.get(tier, 0.0) + week
        if tier in stale and state == st.OVERDUE:
            stale[tier].append((cadence, own, n))
    weekly = [0] * weeks
    for day, n in daily.items():
        back = t - day.toordinal()
        if 0 <= back < weeks * 7:
            weekly[weeks - 1 - back // 7] += int(n)
    retiers = []
    for tier, down in ((3, None), (2, 3), (1, 2)):
        items = stale[tier]
        if down is None:
            saves = sum(7.0 / c * n for c, _own, n in items)
            target = "untracked"
        else:
            new = cadence_for_tier[down]
            saves = sum((7.0 / c - 7.0 / new) * n for c, own, n in items if not own)
            target = f"tier {down}"
        count = sum(n for _c, _own, n in items)
        retiers.append(Retier(tier, f"overdue tier {tier} to {target}", count, saves))
    return Attention(
        asked=asked,
        logged=sum(weekly) / weeks if weeks else 0.0,
        weeks=weeks,
        weekly=weekly,
        tracked=tracked,
        by_tier=by_tier,
        retiers=retiers,
    )


# --------------------------------------------------------------------------- reciprocity


def quarter_key(year: int, quarter: int) -> str:
    return f"{year:04d}-Q{quarter}"


def last_quarters(today: date, count: int) -> list[str]:
    y, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(count):
        out.append(quarter_key(y, q))
        q -= 1
        if q == 0:
            y, q = y - 1, 4
    return out[::-1]


def quarters_start(today: date, count: int) -> date:
    first = last_quarters(today, count)[0]
    return date(int(first[:4]), (int(first[-1]) - 1) * 3 + 1, 1)


@dataclass
class Balance:
    contact_id: int
    name: str
    gave: int
    received: int

    @property
    def balance(self) -> int:
        return self.gave - self.received


@dataclass
class Reciprocity:
    quarters: list[str]
    gave: list[int]
    received: list[int]
    gave_more: list[Balance]  # people you gave most to, beyond what they gave
    took_more: list[Balance]  # people you received most from, beyond what you gave
    days: int  # the window of the balances

    @property
    def caption(self) -> str:
        g, r = sum(self.gave), sum(self.received)
        span = len(self.quarters)
        if not g and not r:
            return f"Nothing marked given or received in the last {span} quarters."
        text = f"Over the last {span} quarters you gave {g:,} times and received {r:,}"
        if r > g:
            text += ": you take more than you give."
        elif g > r:
            text += ": you give more than you take."
        else:
            text += ": even."
        if self.took_more:
            b = self.took_more[0]
            text += (
                f" Largest debt: {b.name} (received {b.received}, gave {b.gave} "
                f"in {self.days} days)."
            )
        return text


def reciprocity(
    rows: Iterable[tuple[str, str, int]], today: date, quarters: int = 8
) -> tuple[list[str], list[int], list[int]]:
    """`rows`: (quarter "YYYY-Qn", value, count) → (quarters, gave, received)."""
    keys = last_quarters(today, quarters)
    index = {k: i for i, k in enumerate(keys)}
    gave, received = [0] * quarters, [0] * quarters
    for key, value, n in rows:
        i = index.get(key)
        if i is None:
            continue
        if value == GAVE:
            gave[i] += int(n)
        elif value == RECEIVED:
            received[i] += int(n)
    return keys, gave, received


def balances(
    rows: Iterable[tuple[int, str, int, int]], limit: int = 5
) -> tuple[list[Balance], list[Balance]]:
    """`rows`: (contact id, name, gave, received) → the `limit` largest balances each
    way (ties by name, then id), those even left out."""
    items = [Balance(cid, name, int(g), int(r)) for cid, name, g, r in rows]
    gave_more = sorted(
        (b for b in items if b.balance > 0),
        key=lambda b: (-b.balance, b.name.casefold(), b.contact_id),
    )
    took_more = sorted(
        (b for b in items if b.balance < 0),
        key=lambda b: (b.balance, b.name.casefold(), b.contact_id),
    )
    return gave_more[:limit], took_more[:limit]


# --------------------------------------------------------------------------- categories


@dataclass
class CategoryHealth:
    name: str
    contacts: int  # not archived
    tracked: int  # with a cadence and a timed state (ok, due soon, overdue, unresponsive)
    ok: int
    overdue: int

    @property
    def ok_share(self) -> float:
        return _share(self.ok, self.tracked)


CATEGORY_SORTS = {
    "ok": (
        "share ok, worst first",
        lambda c: (c.ok_share if c.tracked else 2.0, c.name.casefold()),
    ),
    "name": ("name", lambda c: c.name.casefold()),
    "size": ("size, largest first", lambda c: (-c.contacts, c.name.casefold())),
    "overdue": ("overdue, most first", lambda c: (-c.overdue, c.name.casefold())),
}
TIMED = (st.OK, st.DUE_SOON, st.OVERDUE, st.UNRESPONSIVE)


def category_health(rows: Iterable[tuple[str, str, int]], sort: str = "ok") -> list[CategoryHealth]:
    """`rows`: (category, state, contacts). Share ok is among the tracked contacts of
    the category whose state is timed: untracked and paused people ask nothing now."""
    by: dict[str, CategoryHealth] = {}
    for name, state, n in rows:
        if state == st.ARCHIVED:
            continue
        c = by.setdefault(name, CategoryHealth(name, 0, 0, 0, 0))
        c.contacts += n
        if state in TIMED:
            c.tracked += n
        if state == st.OK:
            c.ok += n
        elif state == st.OVERDUE:
            c.overdue += n
    return sort_categories(list(by.values()), sort)


def sort_categories(items: list[CategoryHealth], sort: str) -> list[CategoryHealth]:
    from netterm.errors import InvalidInput

    if sort not in CATEGORY_SORTS:
        raise InvalidInput(
            "sort", f"unknown sort '{sort}'; use one of: {', '.join(CATEGORY_SORTS)}"
        )
    return sorted(items, key=CATEGORY_SORTS[sort][1])


def categories_caption(items: list[CategoryHealth]) -> str:
    tracked = [c for c in items if c.tracked]
    if not tracked:
        return "No category has a tracked contact yet."
    worst = min(tracked, key=lambda c: (c.ok_share, c.name.casefold()))
    best = max(tracked, key=lambda c: (c.ok_share, c.name.casefold()))
    return (
        f"{_n(len(items), 'category', 'categories')}. Healthiest: {best.name} "
        f"({pct(best.ok_share)} ok); most neglected: {worst.name} ({pct(worst.ok_share)} ok)."
    )


# --------------------------------------------------------------------------- not met


@dataclass
class NotMet:
    contact_id: int
    name: str
    last_in_person: date | None
    days: int | None  # since the last in-person touch; None: never


@dataclass
class NotMetList:
    people: list[NotMet]
    priority: int  # priority contacts (tier 1, not archived)
    over_year: int  # of them, not met face to face for over `threshold` days (or never)
    threshold: int

    @property
    def caption(self) -> str:
        if not self.priority:
            return "No priority contact (tier 1) yet."
        if not self.over_year:
            return f"You met all {self.priority:,} priority contacts face to face in the last year."
        first = self.people[0]
        since = "never" if first.days is None else f"{first.days:,} days ago"
        return (
            f"{self.over_year:,} of {self.priority:,} priority contacts not met face to face "
            f"for over a year; longest: {first.name} ({since})."
        )


def not_met(
    rows: Iterable[tuple[int, str, int | None]],
    today: date,
    threshold: int = 365,
    limit: int = 10,
) -> NotMetList:
    """`rows`: (id, name, last in-person ordinal or None) of the priority contacts.
    Never met first, then the longest ago; ties by name."""
    t = today.toordinal()
    people = []
    for cid, name, last in rows:
        days = None if last is None else max(0, t - last)
        people.append(NotMet(cid, name, date.fromordinal(last) if last else None, days))
    people.sort(key=lambda p: (p.days is not None, -(p.days or 0), p.name.casefold(), p.contact_id))
    over = sum(1 for p in people if p.days is None or p.days > threshold)
    return NotMetList(people[:limit], len(people), over, threshold)
