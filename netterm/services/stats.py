"""Facts about contacts, and the `contact_state` cache derived from them.

`gather(ids)` reads a few contacts' facts from the source tables (the contact row, its
interactions and open follow-ups). `refresh(ids)` writes their cache rows; every write
path calls it inside its transaction. `rebuild()` recomputes the whole cache (after a
bulk import, a merge, or a settings change), and `stale()` lists rows that disagree
with the source: a test keeps it empty after every service operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from itertools import groupby

from netterm.config import Policy, clock
from netterm.core.status import Facts, Touch, TouchSummary, summarize
from netterm.services.settings import get_policy
from netterm.store.models import database
from netterm.store.status_sql import CACHE_COLUMNS, cache_row

_CONTACT_SQL = (
    "SELECT id, tier, cadence_days, tracked_since, paused_until, awaiting_inbound_since, "
    "archived_at IS NOT NULL, reviewed_at, job_changed_at, created_at FROM contact"
)
_TOUCH_SQL = (
    "SELECT contact_id, occurred_on, occurred_at, id, kind, direction, in_person, "
    "awaiting_reply, replied_at IS NOT NULL, value FROM interaction"
)
_FOLLOW_UP_SQL = "SELECT contact_id, MIN(due_on) FROM follow_up WHERE done_at IS NULL {where} GROUP BY contact_id"
_UPSERT_SQL = (
    f"INSERT OR REPLACE INTO contact_state (contact_id, {', '.join(CACHE_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' * len(CACHE_COLUMNS))})"
)

_d = date.fromisoformat


def _touch(row) -> Touch:
    return Touch(
        occurred_on=_d(row[1]),
        occurred_at=datetime.fromisoformat(row[2]),
        id=row[3],
        kind=row[4],
        direction=row[5],
        in_person=bool(row[6]),
        awaiting_reply=bool(row[7]),
        replied=bool(row[8]),
        value=row[9],
    )


def local_day(instant: str | None, tz) -> date | None:
    """The local calendar date of a stored UTC instant."""
    if not instant:
        return None
    return datetime.fromisoformat(instant).astimezone(tz).date()


def _job_change_open(changed_on: date | None, summary: TouchSummary) -> bool:
    """A job change found by an import stays flagged until acknowledged or congratulated."""
    if changed_on is None:
        return False
    return summary.last_congrats_on is None or summary.last_congrats_on < changed_on


def _facts(row, summary: TouchSummary, follow_up: str | None, tz) -> Facts:
    return Facts(
        tier=row[1],
        cadence_days=row[2],
        tracked_since=_d(row[3]) if row[3] else None,
        archived=bool(row[6]),
        paused_until=_d(row[4]) if row[4] else None,
        awaiting_inbound_since=_d(row[5]) if row[5] else None,
        summary=summary,
        next_follow_up_on=_d(follow_up) if follow_up else None,
        job_changed=_job_change_open(local_day(row[8], tz), summary),
        reviewed_on=local_day(row[7], tz),
        created_on=local_day(row[9], tz),
    )


def gather(contact_ids: Iterable[int], policy: Policy | None = None) -> dict[int, Facts]:
    """The facts of these contacts, read from the source tables (not the cache)."""
    policy = policy or get_policy()
    tz = clock.timezone()
    ids = sorted(set(contact_ids))
    out: dict[int, Facts] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        contacts = database.execute_sql(f"{_CONTACT_SQL} WHERE id IN ({marks})", chunk).fetchall()
        touches: dict[int, list[Touch]] = {}
        for row in database.execute_sql(f"{_TOUCH_SQL} WHERE contact_id IN ({marks})", chunk):
            touches.setdefault(row[0], []).append(_touch(row))
        follow = dict(
            database.execute_sql(
                _FOLLOW_UP_SQL.format(where=f"AND contact_id IN ({marks})"), chunk
            ).fetchall()
        )
        for row in contacts:
            summary = summarize(touches.get(row[0], ()), policy.give_back_received)
            out[row[0]] = _facts(row, summary, follow.get(row[0]), tz)
    return out


#: The touches of one contact that decide its `TouchSummary` (see `deciding_touches`):
#: every touch from the day of the last one that ends a run of attempts (an inbound or
#: mutual touch, or an attempt marked replied) on, and, of each kind of "last" the
#: summary keeps, the touches of its latest day; of those marked received, every one
#: from the day of the give-back threshold's nth latest on. Each day is found walking
#: the (contact_id, occurred_on) index back from the newest touch.
_DECIDING_SQL = (
    f"{_TOUCH_SQL} WHERE contact_id = :c AND ("
    "occurred_on >= COALESCE((SELECT occurred_on FROM interaction WHERE contact_id = :c AND "
    "(direction IN ('in', 'mutual') OR (awaiting_reply AND replied_at IS NOT NULL)) "
    "ORDER BY occurred_on DESC LIMIT 1), '')"
    " OR (direction = 'in' AND occurred_on = (SELECT occurred_on FROM interaction WHERE "
    "contact_id = :c AND direction = 'in' ORDER BY occurred_on DESC LIMIT 1))"
    " OR (in_person AND occurred_on = (SELECT occurred_on FROM interaction WHERE "
    "contact_id = :c AND in_person ORDER BY occurred_on DESC LIMIT 1))"
    " OR (kind = 'congrats' AND occurred_on = (SELECT occurred_on FROM interaction WHERE "
    "contact_id = :c AND kind = 'congrats' ORDER BY occurred_on DESC LIMIT 1))"
    " OR (value = 'gave' AND occurred_on = (SELECT occurred_on FROM interaction WHERE "
    "contact_id = :c AND value = 'gave' ORDER BY occurred_on DESC LIMIT 1))"
    " OR (value = 'received' AND occurred_on >= (SELECT occurred_on FROM interaction WHERE "
    "contact_id = :c AND value = 'received' ORDER BY occurred_on DESC LIMIT 1 OFFSET :skip))"
    ")"
)


def deciding_touches(contact_id: int, give_back_received: int) -> list[Touch]:
    """The touches of one contact that `summarize` needs to give the same summary as
    with all of them (tests/unit/test_stats_deciding.py checks it on any timeline):

    * the run of unanswered attempts, the last touch and the nth latest "received" are
      decided by the touches after the last touch that ends a run (it resets the count),
      so every touch from that touch's day on is read (all of them if there is none);
    * each other "last" (inbound, in person, congratulation, gave) by the latest touch
      of its kind: the touches of that kind on its latest day are read;
    * the received ones from the day of the nth latest on (the count is per touch).

    Years of e-mail with someone are thousands of touches; this reads a handful.
    """
    skip = max(1, give_back_received) - 1
    rows = database.execute_sql(_DECIDING_SQL, {"c": contact_id, "skip": skip})
    return [_touch(row) for row in rows]


def facts_for(contact_id: int, policy: Policy | None = None) -> Facts:
    """One contact's facts, as `gather` reads them, from its deciding touches only."""
    from netterm.errors import NotFound

    policy = policy or get_policy()
    row = database.execute_sql(f"{_CONTACT_SQL} WHERE id = ?", (contact_id,)).fetchone()
    if row is None:
        raise NotFound(f"no contact #{contact_id}")
    follow = database.execute_sql(
        _FOLLOW_UP_SQL.format(where="AND contact_id = ?"), (contact_id,)
    ).fetchone()
    summary = summarize(
        deciding_touches(contact_id, policy.give_back_received), policy.give_back_received
    )
    return _facts(row, summary, follow[1] if follow else None, clock.timezone())


def _params(cid: int, facts: Facts, policy: Policy) -> tuple:
    values = cache_row(facts, policy)
    return (cid, *(values[c] for c in CACHE_COLUMNS))


def refresh(contact_ids: Iterable[int], policy: Policy | None = None) -> None:
    """Recompute the cache rows of these contacts (inside the caller's transaction)."""
    policy = policy or get_policy()
    facts = gather(contact_ids, policy)
    if facts:
        database.cursor().executemany(
            _UPSERT_SQL, [_params(cid, f, policy) for cid, f in facts.items()]
        )


def _all_facts(policy: Policy):
    tz = clock.timezone()
    follow = dict(database.execute_sql(_FOLLOW_UP_SQL.format(where="")).fetchall())
    contacts = database.execute_sql(f"{_CONTACT_SQL} ORDER BY id").fetchall()
    touches = database.execute_sql(f"{_TOUCH_SQL} ORDER BY contact_id")
    grouped = groupby(touches, key=lambda r: r[0])
    pending = next(grouped, None)
    for row in contacts:
        cid = row[0]
        while pending is not None and pending[0] < cid:  # touches of a vanished contact
            pending = next(grouped, None)
        mine: list[Touch] = []
        if pending is not None and pending[0] == cid:
            mine = [_touch(t) for t in pending[1]]
            pending = next(grouped, None)
        summary = summarize(mine, policy.give_back_received)
        yield cid, _facts(row, summary, follow.get(cid), tz)


def rebuild(policy: Policy | None = None) -> int:
    """Recompute every contact's cache row in one pass over the interactions."""
    policy = policy or get_policy()
    with database.atomic():
        database.execute_sql("DELETE FROM contact_state")
        params = [_params(cid, f, policy) for cid, f in _all_facts(policy)]
        database.cursor().executemany(_UPSERT_SQL, params)
    return len(params)


def stale(policy: Policy | None = None) -> list[int]:
    """Ids whose cache row is missing or disagrees with the source tables."""
    policy = policy or get_policy()
    stored = {
        row[0]: row[1:]
        for row in database.execute_sql(
            f"SELECT contact_id, {', '.join(CACHE_COLUMNS)} FROM contact_state"
        ).fetchall()
    }
    bad = []
    for cid, facts in _all_facts(policy):
        expected = _params(cid, facts, policy)[1:]
        got = stored.pop(cid, None)
        if got is None or tuple(_norm(v) for v in got) != tuple(_norm(v) for v in expected):
            bad.append(cid)
    return bad + sorted(stored)


def _norm(v):
    return int(v) if isinstance(v, bool) else v
