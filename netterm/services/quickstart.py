"""The app's first screenful, read straight from the SQLite file while Textual starts.

`netterm` on an SQLite network that is already there starts the app before it opens the
store (netterm/cli: open_app; netterm/store/__init__.py: open_later). The first frame
then needs neither peewee nor pendulum nor the services: about 70 ms of imports, made
after it instead (README "Performance"). What that frame shows, the most urgent
contacts as `network.first_page` reads them, comes from here: the same status SQL
(services/rows.py) run through the standard library's sqlite3, on a thread of its own
(netterm/tui/app.py).

It reads only a file it can vouch for (`current`): a netterm database at the schema
version this netterm writes, which the store will open without changing a thing. An
older file (to upgrade), a server, or a file that is not netterm's goes the usual way:
the store is opened first and says what is wrong. Should the read fail all the same, it
returns None, and the app reads the screenful through the store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from netterm.config import DEFAULT_POLICY, NOW_ENV, TZ_ENV, Policy, clock
from netterm.services.rows import top_rows
from netterm.services.rowviews import NetworkRow
from netterm.store.migrations import SCHEMA_VERSION
from netterm.store.status_sql import LAST_FINISHED_AUDIT

#: How long a read here waits for a lock another process holds (seconds): a file that
#: busy goes the usual way, where the store waits and says so.
WAIT = 0.25

#: The tables the first screenful reads.
TABLES = frozenset(
    {"schema_version", "contact", "contact_state", "category", "contact_category", "setting"}
)


@dataclass(frozen=True, slots=True)
class Page:
    """The first screenful and the day its statuses are for."""

    rows: list[NetworkRow]
    today: date


def current(path: Path) -> bool:
    """True if `path` is a netterm SQLite database at this netterm's schema version: one
    the store opens as it is (no upgrade, nothing to refuse). Reads only."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        con = sqlite3.connect(path, timeout=WAIT, isolation_level=None)
    except (OSError, sqlite3.Error):
        return False
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not TABLES.issubset(tables) or "audit" not in tables:
            return False
        return con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == (
            SCHEMA_VERSION
        )
    except sqlite3.Error:
        return False
    finally:
        con.close()


def first_page(path: Path, limit: int) -> Page | None:
    """The `limit` most urgent active contacts of the network at `path`, as
    `network.first_page` reads them; None if it cannot be read here (see the module)."""
    try:
        today, zone = _today()
        con = sqlite3.connect(path, timeout=WAIT, isolation_level=None)
    except Exception:  # a clock netterm refuses, a file gone: the store will say which
        return None
    try:
        con.execute("PRAGMA query_only = 1")
        rows = top_rows(
            con.execute,
            limit,
            today=today,
            policy=_policy(con),
            last_audit_on=_last_audit_on(con, zone),
        )
    except Exception:  # damaged, locked, a value it cannot read: the store will say
        return None
    finally:
        con.close()
    return Page(rows, today)


def _today() -> tuple[date, tzinfo | None]:
    """Today as `clock.today()` says it, and the zone to read stored instants in (None:
    the system's). Without pendulum when the clock is the real one; a pinned or frozen
    clock, or one pendulum already runs (`pendulum.travel_to`), is asked itself."""
    name = os.environ.get(TZ_ENV)
    if not (os.environ.get(NOW_ENV) or clock.frozen or "pendulum" in sys.modules):
        if not name:
            return datetime.now().date(), None
        try:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo(name)
        except Exception:  # let the clock say what is wrong with the name
            pass
        else:
            return datetime.now(zone).date(), zone
    now = clock.now()
    return date(now.year, now.month, now.day), now.tzinfo


def _policy(con: sqlite3.Connection) -> Policy:
    """`settings.get_policy()`: the defaults and the user's `policy.*` settings."""
    values = {
        key: json.loads(value)
        for key, value in con.execute(
            "SELECT key, value FROM setting WHERE substr(key, 1, 7) = 'policy.'"
        )
    }
    return DEFAULT_POLICY.with_values(values)


def _last_audit_on(con: sqlite3.Connection, zone: tzinfo | None) -> date | None:
    """`settings.last_finished_audit_on()`: the local day the network's last finished
    audit started (an audit of a part does not count)."""
    row = con.execute(LAST_FINISHED_AUDIT).fetchone()
    if row is None:
        return None
    return datetime.fromisoformat(row[0]).astimezone(zone).date()
