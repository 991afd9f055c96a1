"""The data behind the Insights screen and `netterm stats`: one SQL pass per chart.

Each function reads one aggregate from the store and hands it to the pure figure in
`netterm.core.insights`. The states are the list's own: the SQL twin of the status
rules over the `contact_state` cache (store/status_sql.py), never a second copy.

* `touch_days` — one pass over the interactions of the last 24 months, grouped by day,
  kind, in person and value: it feeds the touches-per-month chart, the 8 weeks of the
  attention budget and the gave/received quarters alike;
* `health` — one pass over the cache (state per tier); `states_at_audit` recomputes
  the states as of the last audit's end with the pure rules (a slower pass, see there);
* `attention`, `balances`, `categories`, `not_met` — one query each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from itertools import groupby

import pendulum

from netterm.config import Policy, clock
from netterm.core import insights as fig
from netterm.core import status as st
from netterm.services import settings, stats
from netterm.store.models import database
from netterm.store.status_sql import STATE_BY_RANK, counts_sql

MONTHS = 24
QUARTERS = 8
WEEKS = 8
LIMIT = 10
#: The largest balances shown each way (reciprocity).
LIMIT_BALANCES = 5


def _params(today: date) -> dict:
    audit = settings.last_finished_audit_on()
    return {"today": today.toordinal(), "audit": audit.toordinal() if audit else None}


# --------------------------------------------------------------------------- touches


@dataclass
class TouchDays:
    """Touches per (day, kind, in person, value), from one pass over `interaction`."""

    rows: list[tuple[date, str, bool, str, int]]

    def months(self):
        out: dict[tuple[str, str, bool], int] = defaultdict(int)
        for day, kind, in_person, _value, n in self.rows:
            out[(fig.month_key(day), kind, in_person)] += n
        return [(m, k, p, n) for (m, k, p), n in out.items()]

    def daily(self) -> dict[date, int]:
        out: dict[date, int] = defaultdict(int)
        for day, *_rest, n in self.rows:
            out[day] += n
        return out

    def quarters(self):
        out: dict[tuple[str, str], int] = defaultdict(int)
        for day, _kind, _p, value, n in self.rows:
            if value in ("gave", "received"):
                out[(fig.quarter_key(day.year, (day.month - 1) // 3 + 1), value)] += n
        return [(q, v, n) for (q, v), n in out.items()]


def touch_days(today: date) -> TouchDays:
    since = min(fig.months_start(today, MONTHS), fig.quarters_start(today, QUARTERS))
    sql = (
        "SELECT occurred_on, kind, in_person, value, COUNT(*) FROM interaction "
        "WHERE occurred_on >= ? AND occurred_on <= ? GROUP BY occurred_on, kind, in_person, value"
    )
    d = date.fromisoformat
    rows = [
        (d(day), kind, bool(p), value, n)
        for day, kind, p, value, n in database.execute_sql(
            sql, (since.isoformat(), today.isoformat())
        )
    ]
    return TouchDays(rows)


# --------------------------------------------------------------------------- health


def contact_groups(
    today: date, policy: Policy
) -> list[tuple[int | None, int | None, bool, str, int]]:
    """Contacts per (tier, effective cadence, has its own cadence, state) on `today`, by
    the list's rules (archived included): one pass over the cache feeds the health bars
    and the attention budget."""
    # "has its own cadence" from the small partial index of such contacts (schema 5),
    # not a join that reads every (wide) contact row
    sql = (
        "SELECT s.tier, s.cadence, s.contact_id IN "
        "(SELECT id FROM contact WHERE cadence_days > 0), s.state, COUNT(*) FROM "
        f"(SELECT cs.contact_id, cs.tier, cs.cadence, {counts_sql(policy)} FROM contact_state cs) s "
        "GROUP BY 1, 2, 3, 4"
    )
    return [
        (tier, cadence, bool(own), STATE_BY_RANK[rank], n)
        for tier, cadence, own, rank, n in database.execute_sql(sql, _params(today))
    ]


def state_counts(today: date, policy: Policy, groups=None) -> dict[tuple[int | None, str], int]:
    """Contacts per (tier, state) on `today`, by the list's rules (archived included)."""
    out: dict[tuple[int | None, str], int] = defaultdict(int)
    for tier, _cadence, _own, state, n in (
        groups if groups is not None else contact_groups(today, policy)
    ):
        out[(tier, state)] += n
    return dict(out)


def states_at(day: date, policy: Policy) -> dict[tuple[int | None, str], int]:
    """Contacts per (tier, state) as they stood at the end of `day`, by the pure rules.

    Rebuilt from the source tables: the contacts that existed and were not archived on
    that day (tracked then if tracking began by then), and their touches dated up to it, folded by `core.status.summarize` and
    judged by `core.status.evaluate`, exactly like today's states. What the store does
    not keep the history of is taken as it is now: the tier and cadence, a snooze date
    and "ball in their court" (a re-tier since then counts as if it had always been).
    One pass over the interactions, in Python: slower than the cache, so the app runs
    it off the screen's first paint.
    """
    tz = clock.timezone()
    end = pendulum.datetime(day.year, day.month, day.day, tz=tz).end_of("day")
    limit = end.in_tz("UTC").isoformat()
    contacts = database.execute_sql(
        f"{stats._CONTACT_SQL} WHERE archived_at IS NULL OR archived_at > ? ORDER BY id",
        (limit,),
    ).fetchall()
    touches = database.execute_sql(
        f"{stats._TOUCH_SQL} WHERE occurred_on <= ? ORDER BY contact_id", (day.isoformat(),)
    )
    grouped = groupby(touches, key=lambda r: r[0])
    pending = next(grouped, None)
    out: dict[tuple[int | None, str], int] = defaultdict(int)
    for row in contacts:
        cid = row[0]
        while pending is not None and pending[0] < cid:
            pending = next(grouped, None)
        mine = []
        if pending is not None and pending[0] == cid:
            mine = [stats._touch(t) for t in pending[1]]
            pending = next(grouped, None)
        summary = st.summarize(mine, policy.give_back_received)
        facts = stats._facts(row, summary, None, tz)
        facts.archived = False  # archived after that day: active then
        if facts.tracked_since is not None and facts.tracked_since > day:
            facts.tier = None  # not tracked yet then
        out[(facts.tier, st.evaluate(facts, day, policy).state)] += 1
    return dict(out)


#: The last `states_at` result and what it was computed from (see `states_at_cached`).
_AT_AUDIT: dict = {}


def _source_key(day: date, policy: Policy) -> tuple:
    """What the states on `day` depend on, cheaply: the touches dated up to it (count and
    last id, from the day index) and the contacts (count, last change)."""
    touches = database.execute_sql(
        "SELECT COUNT(*), MAX(id) FROM interaction WHERE occurred_on <= ?", (day.isoformat(),)
    ).fetchone()
    contacts = database.execute_sql(
        "SELECT COUNT(*), MAX(updated_at), MAX(archived_at) FROM contact"
    ).fetchone()
    return (day, repr(policy), str(database.database), *touches, *contacts)


def states_at_cached(day: date, policy: Policy) -> dict[tuple[int | None, str], int]:
    """`states_at`, computed again only when what it reads changed: reopening Insights
    does not redo a pass over every touch."""
    key = _source_key(day, policy)
    if _AT_AUDIT.get("key") != key:
        _AT_AUDIT["value"] = states_at(day, policy)
        _AT_AUDIT["key"] = key
    return dict(_AT_AUDIT["value"])


def audit_day() -> date | None:
    """The local day the last finished audit ended, or None."""
    return settings.last_finished_audit_end()


def health(today: date, policy: Policy, *, before: bool = True, groups=None) -> fig.Health:
    now = state_counts(today, policy, groups)
    audit_on = audit_day()
    then = states_at_cached(audit_on, policy) if before and audit_on is not None else None
    return fig.health_by_tier(now, then, audit_on)


# --------------------------------------------------------------------------- attention


def attention(today: date, policy: Policy, days: TouchDays, groups=None) -> fig.Attention:
    if groups is None:
        groups = contact_groups(today, policy)
    tracked = [g for g in groups if g[1] is not None and g[3] != st.ARCHIVED]
    cadences = {t: c for t in fig.TIERS if (c := policy.cadence_for_tier(t)) is not None}
    return fig.attention_budget(tracked, days.daily(), today, cadences, WEEKS)


# --------------------------------------------------------------------------- reciprocity


def balance_rows(today: date, policy: Policy) -> list[tuple[int, str, int, int]]:
    """(contact, name, gave, received) over the reciprocity window, archived and even
    balances left out, of the contacts that can be among the `LIMIT_BALANCES` largest
    balances either way (`fig.balances` picks them; ties by name are all kept).

    One pass over the touches marked given or received (the partial index of schema 5),
    the archived told apart by the narrow `contact_state` cache; then the names of those
    few contacts only, not of the thousands with a balance.
    """
    since = date.fromordinal(today.toordinal() - policy.reciprocity_days).isoformat()
    rows = database.execute_sql(
        "SELECT b.contact_id, b.gave, b.received FROM ("
        "SELECT contact_id, SUM(CASE WHEN value = 'gave' THEN 1 ELSE 0 END) AS gave, "
        "SUM(CASE WHEN value = 'received' THEN 1 ELSE 0 END) AS received "
        "FROM interaction WHERE value != 'none' AND occurred_on >= ? AND occurred_on <= ? "
        "GROUP BY contact_id) b JOIN contact_state cs ON cs.contact_id = b.contact_id "
        "WHERE NOT cs.archived AND b.gave != b.received",
        (since, today.isoformat()),
    ).fetchall()
    keep = _largest(rows, LIMIT_BALANCES)
    if not keep:
        return []
    ids = sorted(keep)
    names = {
        cid: _name(f, la)
        for cid, f, la in database.execute_sql(
            f"SELECT id, first_name, last_name FROM contact WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }
    return [(cid, names[cid], g, r) for cid, g, r in rows if cid in keep and cid in names]


def _largest(rows: list[tuple[int, int, int]], limit: int) -> set[int]:
    """The contacts whose balance (gave - received) is among the `limit` largest each way,
    ties at the edge included: a superset of what `fig.balances` keeps, since it orders
    by balance first."""
    keep: set[int] = set()
    for sign in (1, -1):
        side = sorted((sign * (g - r) for _cid, g, r in rows if sign * (g - r) > 0), reverse=True)
        if side:
            edge = side[min(limit, len(side)) - 1]
            keep.update(cid for cid, g, r in rows if sign * (g - r) >= edge)
    return keep


def reciprocity(today: date, policy: Policy, days: TouchDays, rows=None) -> fig.Reciprocity:
    quarters, gave, received = fig.reciprocity(days.quarters(), today, QUARTERS)
    if rows is None:
        rows = balance_rows(today, policy)
    gave_more, took_more = fig.balances(rows, limit=LIMIT_BALANCES)
    return fig.Reciprocity(quarters, gave, received, gave_more, took_more, policy.reciprocity_days)


def _name(first: str, last: str) -> str:
    return " ".join(p for p in (first, last) if p) or "(no name)"


# --------------------------------------------------------------------------- categories


def categories(today: date, policy: Policy, sort: str = "ok") -> list[fig.CategoryHealth]:
    sql = (
        f"SELECT cat.name, s.state, COUNT(*) FROM contact_category cc "
        f"JOIN category cat ON cat.id = cc.category_id "
        f"JOIN (SELECT cs.contact_id, {counts_sql(policy)} FROM contact_state cs) s "
        f"ON s.contact_id = cc.contact_id GROUP BY cat.name, s.state"
    )
    rows = [
        (name, STATE_BY_RANK[rank], n)
        for name, rank, n in database.execute_sql(sql, _params(today))
    ]
    return fig.category_health(rows, sort)


# --------------------------------------------------------------------------- not met


def not_met(today: date, policy: Policy) -> fig.NotMetList:
    rows = database.execute_sql(
        "SELECT c.id, c.first_name, c.last_name, cs.last_in_person FROM contact_state cs "
        "JOIN contact c ON c.id = cs.contact_id WHERE cs.tier = 1 AND NOT cs.archived"
    )
    return fig.not_met(
        ((cid, _name(f, la), last) for cid, f, la, last in rows),
        today,
        threshold=policy.meet_in_person_days,
        limit=LIMIT,
    )


# --------------------------------------------------------------------------- all


@dataclass
class Insights:
    today: date
    touches: fig.MonthlyTouches
    health: fig.Health
    attention: fig.Attention
    reciprocity: fig.Reciprocity
    categories: list[fig.CategoryHealth]
    not_met: fig.NotMetList

    def to_json(self) -> dict:
        """Plain data for `netterm stats --json` (dates as ISO text, captions included)."""

        def clean(value):
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {str(k): clean(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [clean(v) for v in value]
            if isinstance(value, float):
                return round(value, 3)
            return value

        out = {
            "today": self.today.isoformat(),
            "touches": {**asdict(self.touches), "caption": self.touches.caption},
            "health": {
                "tiers": [
                    {
                        "tier": t.tier,
                        "now": t.counts,
                        "at_audit": t.before,
                        "ok_share": t.ok_share,
                    }
                    for t in self.health.tiers
                ],
                "untracked": self.health.untracked,
                "audit_on": self.health.audit_on,
                "caption": self.health.caption,
            },
            "attention": {**asdict(self.attention), "caption": self.attention.caption},
            "reciprocity": {**asdict(self.reciprocity), "caption": self.reciprocity.caption},
            "categories": {
                "rows": [{**asdict(c), "ok_share": c.ok_share} for c in self.categories],
                "caption": fig.categories_caption(self.categories),
            },
            "not_met": {**asdict(self.not_met), "caption": self.not_met.caption},
        }
        return clean(out)


def _closing(fn, *args):
    """Run `fn` on a pool thread, with that thread's own connection closed after."""
    try:
        return fn(*args)
    finally:
        database.close()


def load(
    today: date | None = None,
    policy: Policy | None = None,
    *,
    before: bool = True,
    sort: str = "ok",
) -> Insights:
    """Every figure on `today`. `before=False` leaves out the states at the last audit
    (the slow part); `with_audit` adds them to an `Insights` later.

    The five passes are independent reads: they run side by side on threads, each with
    its own connection (SQLite reads concurrently and releases the GIL while it works).
    """
    from concurrent.futures import ThreadPoolExecutor

    today = today or clock.today()
    policy = policy or settings.get_policy()
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="insights") as pool:
        days_f = pool.submit(_closing, touch_days, today)
        groups_f = pool.submit(_closing, contact_groups, today, policy)
        cats_f = pool.submit(_closing, categories, today, policy, sort)
        balances_f = pool.submit(_closing, balance_rows, today, policy)
        not_met_f = pool.submit(_closing, not_met, today, policy)
        days, groups = days_f.result(), groups_f.result()
        return Insights(
            today=today,
            touches=fig.touches_by_month(days.months(), today, MONTHS),
            health=health(today, policy, before=before, groups=groups),
            attention=attention(today, policy, days, groups),
            reciprocity=reciprocity(today, policy, days, balances_f.result()),
            categories=cats_f.result(),
            not_met=not_met_f.result(),
        )


def with_audit(insights: Insights, policy: Policy | None = None) -> fig.Health:
    """The health figure of `insights` with the states at the last audit beside it."""
    policy = policy or settings.get_policy()
    audit_on = audit_day()
    if audit_on is None:
        return insights.health
    now: dict[tuple[int | None, str], int] = {
        (t.tier, s): n for t in insights.health.tiers for s, n in t.counts.items()
    }
    now[(None, st.UNTRACKED)] = insights.health.untracked
    return fig.health_by_tier(now, states_at_cached(audit_on, policy), audit_on)
