"""The status rules as one SQL expression over the `contact_state` cache.

`core.status.evaluate` is the specification; this module is its accelerated twin, so
that SQLite computes state, due day, urgency and flags of 30,000 contacts in one pass
over a narrow table instead of Python looping over them. `tests/unit/test_status_sql.py`
checks, with hypothesis, that both agree on any contact, any day and any policy.

* `cache_row(facts, policy)` turns a contact's `Facts` into its `contact_state` row;
* `status_sql(policy)` is the select list computing, for `:today` (a day number) and
  `:audit` (the day the last finished audit started, or NULL):
  `state` (a rank, see STATE_BY_RANK), `due` (day number), `overdue` (days, > 0 when
  overdue), `urgency` and `flags` (a bit mask over core.status.FLAGS);
* `counts_sql(policy)` only `state` and `follow_up` (the follow-up-due flag), for counts;
  `follow_up_sql(policy)` that flag alone, for a WHERE.
"""

from __future__ import annotations

from netterm.config import Policy
from netterm.core import status as st
from netterm.core.status import Facts, effective_cadence

#: Where `:audit` comes from: the network's last finished audit (started_at, finished_at,
#: UTC ISO text). An audit of a part (scope not "") does not count (docs/status-rules.md,
#: "The audit"). Read through the store (services.settings) and, for the app's first
#: screenful, straight from the file (services.quickstart).
LAST_FINISHED_AUDIT = (
    "SELECT started_at, finished_at FROM audit "
    "WHERE finished_at IS NOT NULL AND scope = '' ORDER BY finished_at DESC LIMIT 1"
)

#: The state column is the triage rank, so ORDER BY state sorts like the app.
STATE_BY_RANK = {rank: state for state, rank in st.STATE_RANK.items()}
FLAG_BITS = {flag: 1 << i for i, flag in enumerate(st.FLAGS)}
#: Every flag mask decoded once: mask → tuple of flag names in FLAGS order.
FLAGS_BY_MASK = tuple(
    tuple(f for f in st.FLAGS if mask & FLAG_BITS[f]) for mask in range(1 << len(st.FLAGS))
)


def _ord(d):
    return d.toordinal() if d is not None else None


def _latest(a, b):
    return b if a is None else a if b is None else max(a, b)


def cache_row(facts: Facts, policy: Policy) -> dict:
    """The `contact_state` values (but the contact id) for these facts."""
    s = facts.summary
    waiting = facts.awaiting_inbound_since is not None and (
        s.last_inbound_on is None or s.last_inbound_on < facts.awaiting_inbound_since
    )
    return {
        "archived": facts.archived,
        "job_changed": facts.job_changed,
        "tier": facts.tier,
        "cadence": effective_cadence(facts.tier, facts.cadence_days, policy),
        "tracked_since": _ord(facts.tracked_since),
        "snoozed_until": _ord(facts.paused_until),
        "waiting_on_them": waiting,
        # "not reviewed" holds when reviewed before the audit's day and created by then
        # (created <= audit, i.e. created - 1 < audit): one column for both
        "reviewed": _latest(
            _ord(facts.reviewed_on),
            _ord(facts.created_on) - 1 if facts.created_on is not None else None,
        ),
        "last_touch": _ord(s.last_touch_on),
        "last_touch_kind": s.last_touch_kind,
        "last_inbound": _ord(s.last_inbound_on),
        "last_in_person": _ord(s.last_in_person_on),
        "unanswered": s.unanswered,
        "awaiting_since": _ord(s.awaiting_since),
        "last_gave": _ord(s.last_gave_on),
        "received_recent": _ord(s.received_recent_on),
        "next_follow_up": _ord(facts.next_follow_up_on),
    }


CACHE_COLUMNS = tuple(cache_row(Facts(), Policy()).keys())


def status_sql(policy: Policy, alias: str = "cs") -> str:
    """Select-list SQL: `state, due, overdue, urgency, flags` for each contact_state row."""
    e = _expressions(policy, alias)
    return (
        f"{e['state']} AS state, "
        f"(CASE WHEN {e['timed']} THEN {e['due']} END) AS due, "
        f"(CASE WHEN {e['timed']} THEN :today - {e['due']} END) AS overdue, "
        f"(CASE WHEN {e['timed']} THEN CAST(:today - {e['due']} AS DOUBLE PRECISION) / {alias}.cadence * "
        f"{e['weight']} ELSE 0.0 END) AS urgency, "
        f"{e['flags']} AS flags"
    )


def counts_sql(policy: Policy, alias: str = "cs") -> str:
    """Select-list SQL: `state, follow_up` (1 when a follow-up is due, the flag) for each
    row: what the header counts need, without the other columns' work (half the time)."""
    e = _expressions(policy, alias)
    return f"{e['state']} AS state, (CASE WHEN {e['follow_up']} THEN 1 ELSE 0 END) AS follow_up"


def follow_up_sql(policy: Policy, alias: str = "cs") -> str:
    """SQL true when a follow-up is due: the FOLLOW_UP_DUE bit of `flags`, without
    computing `flags` (a WHERE that tests it runs over every contact)."""
    return _expressions(policy, alias)["follow_up"]


def _expressions(policy: Policy, a: str) -> dict[str, str]:
    """The SQL expressions the select lists are made of, over the row alias `a`."""
    n = int(policy.unresponsive_after)
    soon = int(policy.due_soon_days)
    meet = int(policy.meet_in_person_days)
    recip = int(policy.reciprocity_days)
    follow = int(policy.follow_up_days)
    w1, w2, w3 = (
        float(policy.weight_tier1),
        float(policy.weight_tier2),
        float(policy.weight_tier3),
    )
    r = st.STATE_RANK
    # start of the clock: last touch (a future one counts as today), else tracking start
    start = f"MIN(COALESCE({a}.last_touch, {a}.tracked_since, :today), :today)"
    # habit 6: after an unanswered attempt (fewer than n), due again after the
    # follow-up interval (never later than the cadence)
    due = (
        f"({start} + (CASE WHEN {a}.unanswered > 0 THEN MIN({follow}, {a}.cadence)"
        f" ELSE {a}.cadence END))"
    )
    paused = f"(IFNULL({a}.snoozed_until, 0) >= :today OR {a}.waiting_on_them)"
    timed = (
        f"(NOT {a}.archived AND NOT {paused} AND {a}.unanswered < {n} AND {a}.cadence IS NOT NULL)"
    )
    weight = f"(CASE {a}.tier WHEN 1 THEN {w1} WHEN 2 THEN {w2} WHEN 3 THEN {w3} ELSE 0.0 END)"
    b = FLAG_BITS
    follow_up_on = f"{a}.next_follow_up <= :today"
    flags = (
        f"(CASE WHEN {a}.archived THEN 0 ELSE "
        f"(CASE WHEN {a}.unanswered > 0 AND {a}.awaiting_since IS NOT NULL THEN {b[st.AWAITING_REPLY]} ELSE 0 END)"
        f" | (CASE WHEN {a}.tier = 1 AND ({a}.last_in_person IS NULL OR :today - {a}.last_in_person > {meet})"
        f" THEN {b[st.MEET_IN_PERSON]} ELSE 0 END)"
        f" | (CASE WHEN {a}.received_recent >= :today - {recip} AND ({a}.last_gave IS NULL OR"
        f" {a}.last_gave < :today - {recip}) THEN {b[st.GIVE_BACK]} ELSE 0 END)"
        f" | (CASE WHEN {follow_up_on} THEN {b[st.FOLLOW_UP_DUE]} ELSE 0 END)"
        f" | (CASE WHEN {a}.job_changed THEN {b[st.JOB_CHANGED]} ELSE 0 END)"
        f" | (CASE WHEN :audit IS NOT NULL AND {a}.tier IS NOT NULL"
        f" AND ({a}.reviewed IS NULL OR {a}.reviewed < :audit)"
        f" THEN {b[st.NOT_REVIEWED]} ELSE 0 END)"
        " END)"
    )
    state = (
        f"(CASE WHEN {a}.archived THEN {r[st.ARCHIVED]}"
        f" WHEN {paused} THEN {r[st.PAUSED]}"
        f" WHEN {a}.unanswered >= {n} THEN {r[st.UNRESPONSIVE]}"
        f" WHEN {a}.cadence IS NULL THEN {r[st.UNTRACKED]}"
        f" WHEN :today > {due} THEN {r[st.OVERDUE]}"
        f" WHEN {due} - :today <= {soon} THEN {r[st.DUE_SOON]}"
        f" ELSE {r[st.OK]} END)"
    )
    return {
        "state": state,
        "due": due,
        "timed": timed,
        "weight": weight,
        "flags": flags,
        # the FOLLOW_UP_DUE bit of flags, alone (no flag is set on an archived contact)
        "follow_up": f"(NOT {a}.archived AND COALESCE({follow_up_on}, FALSE))",
    }
