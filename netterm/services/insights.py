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


def state_counts(today: date, policy: Policy) -> dict[tuple[int | None, str], int]:
    """Contacts per (tier, state) on `today`, by the list's rules (archived included)."""
    sql = (
        f"SELECT tier, state, COUNT(*) FROM (SELECT cs.tier, {counts_sql(policy)} "
        "FROM contact_state cs) AS s GROUP BY tier, state"
    )
    return {
        (tier, STATE_BY_RANK[rank]): n
        for tier, rank, n in database.execute_sql(sql, _params(today))
    }


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


def audit_day() -> date | None:
    """The local day the last finished audit ended, or None."""
    return settings.last_finished_audit_end()


def health(today: date, policy: Policy, *, before: bool = True) -> fig.Health:
    now = state_counts(today, policy)
    audit_on = audit_day()
    then = states_at(audit_on, policy) if before and audit_on is not None else None
    return fig.health_by_tier(now, then, audit_on)


# --------------------------------------------------------------------------- attention


def attention(today: date, policy: Policy, days: TouchDays) -> fig.Attention:
    sql = (
        "SELECT s.tier, s.cadence, IFNULL(c.cadence_days, 0) > 0, s.state FROM "
        f"(SELECT cs.contact_id, cs.tier, cs.cadence, {counts_sql(policy)} FROM contact_state cs "
        "WHERE NOT cs.archived AND cs.cadence IS NOT NULL) s JOIN contact c ON c.id = s.contact_id"
    )
    rows = [
        (t, c, bool(o), STATE_BY_RANK[rank])
        for t, c, o, rank in database.execute_sql(sql, _params(today))
    ]
    cadences = {t: policy.cadence_for_tier(t) for t in fig.TIERS}
    return fig.attention_budget(rows, days.daily(), today, cadences, WEEKS)


# --------------------------------------------------------------------------- reciprocity


def reciprocity(today: date, policy: Policy, days: TouchDays) -> fig.Reciprocity:
    quarters, gave, received = fig.reciprocity(days.quarters(), today, QUARTERS)
    window = policy.reciprocity_days
    since = date.fromordinal(today.toordinal() - window).isoformat()
    rows = database.execute_sql(
        "SELECT c.id, c.first_name, c.last_name, b.gave, b.received FROM ("
        "SELECT contact_id, SUM(value = 'gave') AS gave, SUM(value = 'received') AS received "
        "FROM interaction WHERE value != 'none' AND occurred_on >= ? AND occurred_on <= ? "
        "GROUP BY contact_id) b JOIN contact c ON c.id = b.contact_id "
        "WHERE c.archived_at IS NULL",
        (since, today.isoformat()),
    )
    gave_more, took_more = fig.balances(
        ((cid, _name(f, la), g, r) for cid, f, la, g, r in rows), limit=5
    )
    return fig.Reciprocity(quarters, gave, received, gave_more, took_more, window)


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


def load(
    today: date | None = None,
    policy: Policy | None = None,
    *,
    before: bool = True,
    sort: str = "ok",
) -> Insights:
    """Every figure on `today`. `before=False` leaves out the states at the last audit
    (the slow part); `with_audit` adds them to an `Insights` later."""
    today = today or clock.today()
    policy = policy or settings.get_policy()
    days = touch_days(today)
    return Insights(
        today=today,
        touches=fig.touches_by_month(days.months(), today, MONTHS),
        health=health(today, policy, before=before),
        attention=attention(today, policy, days),
        reciprocity=reciprocity(today, policy, days),
        categories=categories(today, policy, sort),
        not_met=not_met(today, policy),
    )


def with_audit(insights: Insights, policy: Policy | None = None) -> fig.Health:
    """The health figure of `insights` with the states at the last audit beside it."""
    policy = policy or settings.get_policy()
    audit_on = audit_day()
    if audit_on is None:
        return insights.health
    now = {(t.tier, s): n for t in insights.health.tiers for s, n in t.counts.items()}
    now[(None, st.UNTRACKED)] = insights.health.untracked
    return fig.health_by_tier(now, states_at(audit_on, policy), audit_on)
