"""The network as a whole: every contact's status in one pass, counts, triage, detail."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import partial
from operator import attrgetter

from netterm import collector
from netterm.config import Policy, clock
from netterm.core import status as st
from netterm.core.explain import explain, flag_phrase, urgency_phrase
from netterm.core.kinds import GAVE, RECEIVED
from netterm.core.query import Query, parse_query
from netterm.errors import NotFound
from netterm.services import settings, stats
from netterm.services.background import Pending
from netterm.services.connection import data_version as data_version  # (its old home)
from netterm.services.rows import fill_categories, read_rows, status_params, top_rows
from netterm.services.touches import follow_up_view, touches_for
from netterm.services.views import (
    ContactDetail,
    Counts,
    JobView,
    MethodView,
    Network,
    NetworkRow,
    Reciprocity,
)
from netterm.store.models import (
    Category,
    Contact,
    ContactCategory,
    ContactMethod,
    FollowUp,
    Job,
    database,
)
from netterm.store.status_sql import (
    FLAGS_BY_MASK,
    STATE_BY_RANK,
    counts_sql,
    follow_up_sql,
    status_sql,
)


def load_network(
    today: date | None = None, policy: Policy | None = None, *, with_text: bool = True
) -> Network:
    """Every contact (archived included) with its status on `today`, most urgent first.

    SQLite computes every status in one pass over the `contact_state` cache (see
    store/status_sql.py); `with_text=False` skips the search text (not needed to print).
    """
    today = today or clock.today()
    b = settings.basis()
    policy = policy or b.policy
    last_audit_on = b.last_audit_on
    rows = read_rows(
        database.execute_sql,
        today=today,
        policy=policy,
        last_audit_on=last_audit_on,
        with_text=with_text,
    )
    counts = count(rows, today, policy, b)
    return Network(today=today, rows=rows, counts=counts, last_audit_on=last_audit_on)


def states(
    today: date | None = None,
    policy: Policy | None = None,
    *,
    basis: settings.Basis | None = None,
) -> dict[int, tuple]:
    """Every contact's (state, due, overdue, urgency, flags) on `today`: the recompute.

    Cheap enough to run on every change (one narrow SQL pass); the watcher diffs it
    against what is shown and restyles only the rows that changed. `basis` is the
    policy and last audit when the caller has read them (`settings.basis()`).
    """
    today = today or clock.today()
    b = basis or settings.basis()
    policy = policy or b.policy
    sql = f"SELECT cs.contact_id, {status_sql(policy)} FROM contact_state cs"
    params = status_params(today, b.last_audit_on)
    with collector.paused():  # a tuple per contact, all kept
        return {
            r[0]: (STATE_BY_RANK[r[1]], r[2], r[3], r[4], FLAGS_BY_MASK[r[5]])
            for r in database.execute_sql(sql, params)
        }


def counts_of(
    by_id: dict[int, tuple],
    today: date | None = None,
    policy: Policy | None = None,
    *,
    basis: settings.Basis | None = None,
) -> Counts:
    """The header counts of a `states()` result, without another pass over the table."""
    today = today or clock.today()
    b = basis or settings.basis()
    policy = policy or b.policy
    tally: dict[str, int] = defaultdict(int)
    follow_ups = 0
    for state, _due, _overdue, _urgency, flags in by_id.values():
        tally[state] += 1
        if state != st.ARCHIVED and st.FOLLOW_UP_DUE in flags:
            follow_ups += 1
    return _counts(tally, follow_ups, today, policy, b)


def rows_for(
    contact_ids,
    today: date | None = None,
    policy: Policy | None = None,
    *,
    basis: settings.Basis | None = None,
) -> list[NetworkRow]:
    """Network rows (search text and categories included) of a few contacts, any state.

    What an app refreshes after changing those contacts, without reloading the network.
    Ids that do not exist are left out.
    """
    ids = sorted({int(i) for i in contact_ids})
    if not ids:
        return []
    today = today or clock.today()
    b = basis or settings.basis()
    policy = policy or b.policy
    last_audit_on = b.last_audit_on
    out: list[NetworkRow] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = read_rows(
            database.execute_sql,
            f"WHERE c.id IN ({','.join(map(str, chunk))})",
            today=today,
            policy=policy,
            last_audit_on=last_audit_on,
            with_text=True,
            with_categories=False,
            ordered=False,  # the caller places them (PostgreSQL's NOCASE sort is ICU's)
        )
        rows.sort(key=attrgetter("id"))
        fill_categories(database.execute_sql, rows)
        out.extend(rows)
    return out


def first_page(
    limit: int, today: date | None = None, policy: Policy | None = None
) -> list[NetworkRow]:
    """The `limit` most urgent active (not archived) contacts: what a screen shows first.

    Lets an app paint its first screenful before `load_network` has read everyone.
    """
    return top_rows(
        database.execute_sql,
        limit,
        today=today or clock.today(),
        policy=policy or settings.get_policy(),
        last_audit_on=settings.last_finished_audit_on(),
    )


def count_states(
    today: date | None = None,
    policy: Policy | None = None,
    *,
    basis: settings.Basis | None = None,
) -> Counts:
    """The header counts, straight from SQL (no rows loaded)."""
    today = today or clock.today()
    b = basis or settings.basis()
    policy = policy or b.policy
    sql = (
        f"SELECT state, COUNT(*), SUM(follow_up) "
        f"FROM (SELECT {counts_sql(policy)} FROM contact_state cs) AS s GROUP BY state"
    )
    tally: dict[str, int] = defaultdict(int)
    follow_ups = 0
    for rank, n, follows in database.execute_sql(sql, status_params(today, b.last_audit_on)):
        tally[STATE_BY_RANK[rank]] = n
        if STATE_BY_RANK[rank] != st.ARCHIVED:
            follow_ups += follows or 0
    return _counts(tally, follow_ups, today, policy, b)


def count(
    rows: list[NetworkRow], today: date, policy: Policy, basis: settings.Basis | None = None
) -> Counts:
    tally: dict[str, int] = defaultdict(int)
    follow_ups = 0
    for row in rows:
        tally[row.state] += 1
        if st.FOLLOW_UP_DUE in row.flags and row.state != st.ARCHIVED:
            follow_ups += 1
    return _counts(tally, follow_ups, today, policy, basis)


def _counts(
    tally: dict[str, int],
    follow_ups: int,
    today: date,
    policy: Policy,
    basis: settings.Basis | None = None,
) -> Counts:
    active = sum(tally.values()) - tally[st.ARCHIVED]
    return Counts(
        total=active,
        overdue=tally[st.OVERDUE],
        due_soon=tally[st.DUE_SOON],
        unresponsive=tally[st.UNRESPONSIVE],
        paused=tally[st.PAUSED],
        ok=tally[st.OK],
        untracked=tally[st.UNTRACKED],
        archived=tally[st.ARCHIVED],
        follow_ups_due=follow_ups,
        audit_due=settings.audit_due(
            today,
            policy,
            has_contacts=active > 0,
            **({"finished": basis.last_audit_end} if basis is not None else {}),
        ),
    )


def search(network: Network, query: str | Query) -> list[NetworkRow]:
    """Rows of `network` matching a filter (see core.query), in the network's order."""
    q = parse_query(query) if isinstance(query, str) else query
    return q.filter(network.rows)


def triage(
    today: date | None = None, policy: Policy | None = None, *, aside: bool = False
) -> tuple[Counts, list[NetworkRow]]:
    """Today's list: overdue and follow-ups due, due soon, then unresponsive.

    Selected in SQL, so only the rows to print are loaded. `aside`: the counts are read
    on a thread of their own meanwhile (services/background.py), for a command in a
    process of its own: that thread's connection sees only what is committed.
    """
    today = today or clock.today()
    b = settings.basis()
    policy = policy or b.policy
    counts = (
        Pending(partial(count_states, today, policy, basis=b), name="counts") if aside else None
    )
    r = st.STATE_RANK
    wanted = f"({r[st.OVERDUE]}, {r[st.DUE_SOON]}, {r[st.UNRESPONSIVE]})"
    # follow-ups due (never on an archived contact): tested on its own, not as a bit of
    # `flags`, which would compute every flag of all 30,000 contacts (~15 ms)
    try:
        rows = read_rows(
            database.execute_sql,
            f"WHERE s.state IN {wanted} OR {follow_up_sql(policy, 's')}",
            today=today,
            policy=policy,
            last_audit_on=b.last_audit_on,
            with_text=False,
            with_categories=False,
            ordered=False,  # sorted here, in its own order
        )
    finally:
        if counts is not None:
            counts.wait()  # done reading before this error (a damaged file?) is handled
    rows.sort(key=_triage_key)
    return (counts.result() if counts else count_states(today, policy, basis=b)), rows


def _triage_key(row: NetworkRow):
    # follow-ups due sit with the overdue; unresponsive last (they need space, not pings)
    if row.state == st.UNRESPONSIVE:
        rank = 3
    elif row.state == st.OVERDUE or st.FOLLOW_UP_DUE in row.flags:
        rank = 0
    elif row.state == st.DUE_SOON:
        rank = 1
    else:
        rank = 2
    # then as the network is ordered (state, urgency, name), and by id: one order, always
    return (rank, -row.urgency, row.name.casefold(), st.STATE_RANK[row.state], row.id)


# --------------------------------------------------------------------------- detail


def reciprocity(contact_id: int, today: date, days: int = 365) -> Reciprocity:
    since = date.fromordinal(today.toordinal() - days).isoformat()
    rows = database.execute_sql(
        "SELECT value, COUNT(*) FROM interaction WHERE contact_id=? AND occurred_on>=? "
        "AND occurred_on<=? GROUP BY value",
        (contact_id, since, today.isoformat()),
    ).fetchall()
    by_value = dict(rows)
    return Reciprocity(gave=by_value.get(GAVE, 0), received=by_value.get(RECEIVED, 0), days=days)


def get_contact(
    contact_id: int, today: date | None = None, *, touch_limit: int | None = None
) -> ContactDetail:
    """Everything about one contact, for the detail screen and `netterm show`.

    `touch_limit` keeps only the newest touches (`touch_count` says how many there are):
    the detail screen shows a page of the timeline, and years of captured e-mail are
    thousands of touches."""
    today = today or clock.today()
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None:
        raise NotFound(f"no contact #{contact_id}")
    policy = settings.get_policy()
    facts = stats.facts_for(contact.id)
    status = st.evaluate(facts, today, policy, settings.last_finished_audit_on())
    methods = [
        MethodView(m.id, m.kind, m.value, m.label, m.primary)
        for m in ContactMethod.select()
        .where(ContactMethod.contact == contact_id)
        .order_by(ContactMethod.id)
    ]
    categories = list(
        Category.select(Category.name)
        .join(ContactCategory)
        .where(ContactCategory.contact == contact_id)
        .order_by(Category.name)
        .scalars()
    )
    jobs = [
        JobView(j.id, j.title, j.company, j.started_on, j.ended_on, j.source)
        for j in Job.select()
        .where(Job.contact == contact_id)
        .order_by(Job.ended_on.desc(nulls="LAST"), Job.id.desc())
    ]
    follow_ups = [
        follow_up_view(f, contact.name)
        for f in FollowUp.select()
        .where(FollowUp.contact == contact_id)
        .order_by(FollowUp.done_at.is_null(False), FollowUp.due_on)
    ]
    return ContactDetail(
        id=contact.id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        previous_names=contact.previous_names,
        job_title=contact.job_title,
        company=contact.company,
        location=contact.location,
        how_met=contact.how_met,
        met_on=contact.met_on,
        notes=contact.notes,
        looking_for=contact.looking_for,
        tier=contact.tier,
        cadence_days=contact.cadence_days,
        tracked_since=contact.tracked_since,
        paused_until=contact.paused_until,
        awaiting_inbound_since=contact.awaiting_inbound_since,
        archived_at=contact.archived_at,
        reviewed_at=contact.reviewed_at,
        job_changed_at=contact.job_changed_at,
        created_at=contact.created_at,
        updated_at=contact.updated_at,
        categories=categories,
        methods=methods,
        jobs=jobs,
        follow_ups=follow_ups,
        touches=touches_for(contact_id, touch_limit),
        touch_count=(len_touches(contact_id) if touch_limit else -1),
        facts=facts,
        status=status,
        explanation=explain(status, facts, today),
        urgency_note=urgency_phrase(status, contact.tier, policy),
        flag_notes=[flag_phrase(f, status, facts, today, policy) for f in status.flags],
        reciprocity=reciprocity(contact_id, today, policy.reciprocity_days),
        version=contact.version,
    )


def len_touches(contact_id: int) -> int:
    return database.execute_sql(
        "SELECT COUNT(*) FROM interaction WHERE contact_id = ?", (contact_id,)
    ).fetchone()[0]


def explain_row(row: NetworkRow, today: date) -> str:
    """The plain-language status of a list row (same sentence as the detail screen)."""
    return explain(row.status, row.facts, today)
