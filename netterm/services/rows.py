"""The network's rows: each contact with its status on a day, in one SQL read.

The same reads serve `services.network` (through the store) and the app's first
screenful, read straight from the SQLite file before the store is even imported
(netterm/services/quickstart.py): each function takes `execute`, which runs one
statement with its parameters (`database.execute_sql`, or an sqlite3 connection's
`execute`). So this module needs neither peewee nor the rest of the services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from netterm import collector
from netterm.config import Policy
from netterm.core import status as st
from netterm.services.rowviews import NetworkRow
from netterm.store.status_sql import FLAGS_BY_MASK, STATE_BY_RANK, status_sql

#: Runs one SQL statement with its parameters; its result iterates over tuples.
Execute = Callable[..., Any]


def categories_by_contact(execute: Execute) -> dict[int, tuple[str, ...]]:
    names = dict(execute("SELECT id, name FROM category").fetchall())
    by_contact: dict[int, list[str]] = defaultdict(list)
    for cid, cat in execute("SELECT contact_id, category_id FROM contact_category").fetchall():
        by_contact[cid].append(names[cat])
    return {cid: tuple(sorted(v, key=str.casefold)) for cid, v in by_contact.items()}


def status_params(today: date, last_audit_on: date | None) -> dict:
    return {
        "today": today.toordinal(),
        "audit": last_audit_on.toordinal() if last_audit_on else None,
    }


_ROW_COLUMNS = (
    "c.id, c.first_name, c.last_name, c.job_title, c.company, s.tier, s.cadence, "
    "s.last_touch, s.last_touch_kind, s.unanswered, s.awaiting_since, s.tracked_since, "
    "s.snoozed_until, c.awaiting_inbound_since, s.state, s.due, s.overdue, s.urgency, s.flags"
)


def _status_table(policy: Policy) -> str:
    """A subquery: every contact_state row with its computed status columns."""
    return f"(SELECT cs.*, {status_sql(policy)} FROM contact_state cs)"


def read_rows(
    execute: Execute,
    where: str = "",
    *,
    today: date,
    policy: Policy,
    last_audit_on,
    with_text: bool,
    with_categories: bool = True,
    limit: int | None = None,
    ordered: bool = True,
) -> list[NetworkRow]:
    """Network rows; `where` may test the computed columns (s.state, s.flags, …).
    Most urgent first, unless not `ordered` (for a caller that sorts them itself)."""
    text = "c.search_text" if with_text else "''"
    sql = (
        f"SELECT {_ROW_COLUMNS}, {text} FROM {_status_table(policy)} s "
        f"JOIN contact c ON c.id = s.contact_id {where} "
    )
    if ordered:
        sql += (
            "ORDER BY s.state, s.urgency DESC, "
            "c.first_name COLLATE NOCASE, c.last_name COLLATE NOCASE"
        )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cats = categories_by_contact(execute) if with_categories else {}
    t = today.toordinal()
    empty: tuple[str, ...] = ()
    flags_by_mask = FLAGS_BY_MASK
    states = STATE_BY_RANK
    # r[14] is the state rank, r[18] the flag mask (see _ROW_COLUMNS)
    with collector.paused():  # up to one row per contact, all kept
        return [
            NetworkRow(r, cats.get(r[0], empty), flags_by_mask[r[18]], states[r[14]], t)
            for r in execute(sql, status_params(today, last_audit_on))
        ]


def top_rows(
    execute: Execute, limit: int, *, today: date, policy: Policy, last_audit_on: date | None
) -> list[NetworkRow]:
    """The `limit` most urgent active (not archived) contacts: what a screen shows first."""
    rows = read_rows(
        execute,
        f"WHERE s.state != {st.STATE_RANK[st.ARCHIVED]}",
        today=today,
        policy=policy,
        last_audit_on=last_audit_on,
        with_text=True,
        with_categories=False,
        limit=max(0, int(limit)),
    )
    fill_categories(execute, rows)
    return rows


def fill_categories(execute: Execute, rows: list[NetworkRow]) -> None:
    if not rows:
        return
    by_contact: dict[int, list[str]] = defaultdict(list)
    marks = ",".join(str(r.id) for r in rows)
    for cid, name in execute(
        "SELECT cc.contact_id, cat.name FROM contact_category cc "
        f"JOIN category cat ON cat.id = cc.category_id WHERE cc.contact_id IN ({marks})"
    ):
        by_contact[cid].append(name)
    for row in rows:
        names = by_contact.get(row.id)
        row.categories = tuple(sorted(names, key=str.casefold)) if names else ()
