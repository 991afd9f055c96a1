"""PostgreSQL as netterm's shared engine: the same models, schema and SQL as on SQLite.

One network on several devices (or for a small team) lives in a PostgreSQL database,
reached with `--db postgresql://…` (see `store/location.py`). Everything above the
store is unchanged; what differs is here:

- **One SQL for both engines.** netterm's raw SQL is written once, in SQLite's spelling
  (`?` and `:name` parameters, `IFNULL`, `INSERT OR IGNORE`, `INSERT OR REPLACE`, the
  scalar `MIN(a, b)`, `instr`, `COLLATE NOCASE`, the planner hints `NOT INDEXED` and
  `+column`). Every statement goes through one
  cursor class that rewrites the few spellings PostgreSQL lacks (`translate`, cached
  per statement), and the database gets the functions and the collation that SQLite
  has built in (`COMPAT_SQL`). Peewee's own queries are PostgreSQL's already.
- **Writers queue, as on SQLite.** Every write transaction (`db.atomic()`) takes one
  transaction-scoped advisory lock when it begins, as SQLite's `BEGIN IMMEDIATE` takes
  the write lock: two devices writing at once run one after the other, the second
  seeing the first's commit; none fails. A writer waits up to `WRITE_PATIENCE`
  seconds, telling the user it waits (`db.set_busy_notifier`).
- **Other devices' writes are announced.** A statement-level trigger on every table
  sends a `NOTIFY` carrying the writer's connection name; `changes_seen()` counts the
  notices from other processes (LISTEN), the twin of SQLite's `PRAGMA data_version`
  that the app's watcher polls.
- Numbers come back as Python floats and ints, as from SQLite.

psycopg 3 is imported only when a PostgreSQL URL is used: it is the `postgres` extra.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import time
from functools import lru_cache

from netterm.errors import StoreError
from netterm.store.location import MASK, PostgresURL
from netterm.store.orm import pw

INSTALL_HINT = 'pip install "netterm[postgres]"'
#: The channel of the change notices.
CHANNEL = "netterm_changes"
#: The advisory lock every write transaction takes (an arbitrary constant: "netterm").
WRITE_LOCK = 0x6E65747465726D
#: This process's connections' name: the notices it causes carry it, and are ignored.
TOKEN = f"netterm {socket.gethostname()[:20]} {os.getpid()} {secrets.token_hex(4)}"

#: What SQLite has built in and netterm's SQL uses. Inlined by the planner (plain SQL,
#: immutable), so they cost nothing per row.
COMPAT_SQL = (
    # SQLite's scalar MIN/MAX of two values (NULL when either is NULL, unlike LEAST)
    "CREATE OR REPLACE FUNCTION min(anycompatible, anycompatible) RETURNS anycompatible"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE"
    " AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE LEAST($1, $2) END'",
    "CREATE OR REPLACE FUNCTION max(anycompatible, anycompatible) RETURNS anycompatible"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE"
    " AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE GREATEST($1, $2) END'",
    "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT strpos($1, $2)'",
    # SUM over a condition (SUM(value = 'gave')): SQLite's booleans are 0 and 1
    "CREATE OR REPLACE FUNCTION netterm_add_bool(bigint, boolean) RETURNS bigint"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1 + COALESCE($2::int, 0)'",
    "CREATE OR REPLACE AGGREGATE sum(boolean) (sfunc = netterm_add_bool, stype = bigint,"
    " initcond = '0')",
    # COLLATE NOCASE: case-insensitive comparison, ordering and uniqueness
    "CREATE COLLATION IF NOT EXISTS nocase"
    " (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
    # rows inserted with their ids (a copy, an import, an undo) move the id sequence on
    "CREATE OR REPLACE FUNCTION netterm_follow_ids() RETURNS trigger LANGUAGE plpgsql AS $$"
    " DECLARE seq text := pg_get_serial_sequence(quote_ident(TG_TABLE_NAME), 'id'); top bigint;"
    " BEGIN SELECT max(id) INTO top FROM new_rows;"
    " IF top IS NOT NULL AND top > COALESCE(pg_sequence_last_value(seq::regclass), 0)"
    " THEN PERFORM setval(seq, top); END IF; RETURN NULL; END $$",
    # the change notices (see changes_seen)
    "CREATE OR REPLACE FUNCTION netterm_notify() RETURNS trigger LANGUAGE plpgsql AS"
    f" 'BEGIN PERFORM pg_notify(''{CHANNEL}'', current_setting(''application_name''));"
    " RETURN NULL; END'",
)


def trigger_sql(table: str, serial: bool) -> tuple[str, ...]:
    """The triggers of one table: change notices, and ids that move the sequence on."""
    sql = (
        f'DROP TRIGGER IF EXISTS netterm_changes ON "{table}"',
        f'CREATE TRIGGER netterm_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
        " FOR EACH STATEMENT EXECUTE FUNCTION netterm_notify()",
        f'DROP TRIGGER IF EXISTS netterm_ids ON "{table}"',
    )
    if serial:
        sql += (
            f'CREATE TRIGGER netterm_ids AFTER INSERT ON "{table}" REFERENCING NEW TABLE AS'
            " new_rows FOR EACH STATEMENT EXECUTE FUNCTION netterm_follow_ids()",
        )
    return sql


def require_driver():
    """psycopg, or one clear line saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            f"a PostgreSQL database needs the psycopg driver, which is not installed: "
            f"install it with `{INSTALL_HINT}`"
        ) from None
    _lend_to_peewee(psycopg)
    return psycopg


def _lend_to_peewee(psycopg) -> None:
    """Give peewee the driver that `netterm.store` hid from it at import (see there):
    the names peewee binds when it finds psycopg 3 itself."""
    if pw.psycopg is psycopg:
        return
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    pw.psycopg, pw.TransactionStatus = psycopg, TransactionStatus
    pw.Json_pg3, pw.Jsonb_pg3 = Json, Jsonb
    adapter = pw.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


# --------------------------------------------------------------------------- dialect

_TOKENS = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|::|:[A-Za-z_]\w*|\?|%"""
    r"""|\bINSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\b|\bIFNULL\s*\(|\bNOT\s+INDEXED\b|(?<=[\s(])\+(?=[A-Za-z_])""",
    re.IGNORECASE,
)
_INSERT_COLUMNS = re.compile(r"INSERT INTO\s+\"?(\w+)\"?\s*\(([^)]*)\)", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """netterm's SQLite spelling of a statement → PostgreSQL's (psycopg parameters)."""
    if "%s" in sql or "%(" in sql:
        return sql  # written for PostgreSQL already (peewee's own queries)
    conflict = ""

    def sub(m: re.Match) -> str:
        nonlocal conflict
        t = m.group(0)
        if t[0] in "'\"":
            return t.replace("%", "%%")
        if t == "::":
            return t
        if t == "?":
            return "%s"
        if t == "%":
            return "%%"
        if t[0] == ":":
            return f"%({t[1:]})s"
        if m.group(1):
            conflict = m.group(1).upper()
            return "INSERT INTO"
        if t == "+" or t.upper().startswith("NOT"):
            return ""  # SQLite planner hints: `NOT INDEXED`, `+column` (skip its index)
        return "COALESCE("

    out = _TOKENS.sub(sub, sql)
    if conflict == "IGNORE":
        out += " ON CONFLICT DO NOTHING"
    elif conflict == "REPLACE":
        out += _upsert_clause(out)
    m = _INSERT_TABLE.match(out)
    if m and _serial_tables().get(m.group(1)) and "RETURNING" not in out.upper():
        out += RETURNING_ID  # the cursor's lastrowid, as sqlite3 gives it
    return out


RETURNING_ID = ' RETURNING "id"'
_INSERT_TABLE = re.compile(r"\s*INSERT\s+INTO\s+\"?(\w+)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _serial_tables() -> dict[str, bool]:
    from netterm.store.models import MODELS

    return {m._meta.table_name: isinstance(m._meta.primary_key, pw.AutoField) for m in MODELS}


def _upsert_clause(sql: str) -> str:
    """SQLite's INSERT OR REPLACE: the row with the same primary key is overwritten."""
    m = _INSERT_COLUMNS.search(sql)
    if m is None:
        raise ValueError(f"cannot translate INSERT OR REPLACE without a column list: {sql!r}")
    table = m.group(1)
    columns = [c.strip().strip('"') for c in m.group(2).split(",")]
    key = _primary_keys().get(table)
    if key is None:
        raise ValueError(f"INSERT OR REPLACE into {table}: no model with that table")
    sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c != key)
    return f' ON CONFLICT ("{key}") DO UPDATE SET {sets}' if sets else " ON CONFLICT DO NOTHING"


@lru_cache(maxsize=1)
def _primary_keys() -> dict[str, str]:
    from netterm.store.models import MODELS

    return {m._meta.table_name: m._meta.primary_key.column_name for m in MODELS}


@lru_cache(maxsize=1)
def _cursor_class():
    psycopg = require_driver()

    class NettermCursor(psycopg.ClientCursor):
        """Binds parameters client-side (typed by context, as SQLite does) and speaks
        netterm's SQL spelling (`translate`)."""

        lastrowid = None

        def execute(self, query, params=None, **kwargs):
            if isinstance(query, str):
                query = translate(query)
            super().execute(query, () if params is None else params, **kwargs)
            self.lastrowid = None
            if isinstance(query, str) and query.endswith(RETURNING_ID) and self.rowcount == 1:
                self.lastrowid = self.fetchone()[0]
            return self

        def executemany(self, query, params_seq, **kwargs):
            if isinstance(query, str):
                query = translate(query)
            return super().executemany(query, params_seq, **kwargs)

    return NettermCursor


# --------------------------------------------------------------------------- database


class PostgresDatabase(pw.PostgresqlDatabase):
    """A netterm network in PostgreSQL (see the module's notes)."""

    def __init__(self, url: PostgresURL) -> None:
        require_driver()
        self.url = url
        self._listener = None
        self._foreign_changes = 0
        super().__init__(
            url.conninfo,
            prefer_psycopg3=True,
            cursor_factory=_cursor_class(),
            application_name=TOKEN,
            connect_timeout=int(os.environ.get("PGCONNECT_TIMEOUT") or 10),
        )

    # what messages show instead of `database` (which may hold a password)
    @property
    def shown(self) -> str:
        return self.url.masked

    def scrub(self, text: str) -> str:
        """`text` with the URL's password (if it has one) masked."""
        from urllib.parse import unquote, urlsplit

        try:
            password = urlsplit(self.url.conninfo).password
        except ValueError:
            password = None
        for secret in {password, unquote(password or "")} - {None, ""}:
            text = text.replace(secret, MASK)
        return text.replace(self.url.conninfo, self.url.masked)

    def _connect(self):
        psycopg = require_driver()
        try:
            conn = super()._connect()
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to {self.url.masked}: {self.scrub(first_line(exc))}"
            ) from None
        from psycopg.types.numeric import FloatLoader

        conn.adapters.register_loader("numeric", FloatLoader)  # floats, as from SQLite
        return conn

    def commit(self):
        result = super().commit()
        from netterm.store import db as store

        store.note_commit()  # see store.db.without_waiting
        return result

    def begin(self, isolation_level=None, lock_type=None):
        # SQLite's lock types (`atomic(lock_type="IMMEDIATE")`) mean "take the write lock
        # now", which every transaction here does
        if str(isolation_level).upper() in ("IMMEDIATE", "EXCLUSIVE", "DEFERRED"):
            isolation_level = None
        super().begin(isolation_level)
        try:
            self._take_write_lock()
        except BaseException:
            self.rollback()  # never leave a half-begun transaction open
            raise

    def _take_write_lock(self) -> None:
        cursor = self.cursor()
        with pw.__exception_wrapper__:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,))
            if cursor.fetchone()[0]:
                return
            from netterm.store import db as store

            if store.impatient():  # the app's event loop never waits (store.db)
                raise store.WouldWait("another netterm process is writing to the database")
            # as on SQLite, a short wait is not worth a message: try again for a moment
            deadline = time.monotonic() + store.NOTIFY_AFTER
            while time.monotonic() < deadline:
                time.sleep(0.01)
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,))
                if cursor.fetchone()[0]:
                    return
            if store._busy_notifier is not None:
                store._busy_notifier(
                    "another netterm process is writing to the database; waiting for it"
                )
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)",
                (f"{int(store.WRITE_PATIENCE * 1000)}ms",),
            )
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            cursor.execute("SELECT set_config('lock_timeout', '0', true)")

    # ------------------------------------------------------------------ changes
    def changes_seen(self) -> int:
        """How many committed writes of other processes were announced so far (LISTEN).

        Cheap: reads what the server already sent, without a round trip.
        """
        psycopg = require_driver()
        if self._listener is None or self._listener.closed:
            try:
                self._listener = psycopg.connect(
                    self.url.conninfo,
                    autocommit=True,
                    application_name=f"{TOKEN} listen",
                    connect_timeout=10,
                )
                self._listener.execute(f"LISTEN {CHANNEL}")
            except psycopg.Error as exc:
                self._listener = None
                raise StoreError(
                    f"cannot listen for changes on {self.url.masked}: {self.scrub(first_line(exc))}"
                ) from None
        pgconn = self._listener.pgconn
        try:
            pgconn.consume_input()
        except psycopg.Error as exc:
            self._listener.close()
            raise StoreError(
                f"lost the connection to {self.url.masked}: {self.scrub(first_line(exc))}"
            ) from None
        while (notice := pgconn.notifies()) is not None:
            if notice.extra.decode("utf-8", "replace") != TOKEN:
                self._foreign_changes += 1
        return self._foreign_changes

    def close_listener(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    # ------------------------------------------------------------------ schema
    def install_compat(self, *, triggers: bool = True) -> None:
        """The functions, collation and (once the tables exist) triggers netterm's SQL
        relies on. Idempotent."""
        from netterm.store.models import MODELS

        cursor = self.cursor()
        for statement in COMPAT_SQL:
            cursor.execute(statement)
        for model in MODELS if triggers else ():
            serial = isinstance(model._meta.primary_key, pw.AutoField)
            for statement in trigger_sql(model._meta.table_name, serial):
                cursor.execute(statement)

    def reset_sequences(self) -> None:
        """After rows were inserted with their ids (copies, imports): the next id follows."""
        from netterm.store.models import MODELS

        for model in MODELS:
            pk = model._meta.primary_key
            if not isinstance(pk, pw.AutoField):
                continue
            table = model._meta.table_name
            self.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk.column_name}'), "
                f'COALESCE((SELECT MAX("{pk.column_name}") FROM "{table}"), 0) + 1, false)'
            )


def first_line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).strip().splitlines()[0]
