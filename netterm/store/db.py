"""Opening the SQLite file: permissions, pragmas, schema creation and upgrades.

Rules that keep the data safe:

- The file (and the folder netterm creates for it) is private: 0600 / 0700. SQLite
  gives its `-wal` and `-shm` files the database file's mode.
- WAL, `synchronous=FULL`, foreign keys on: a committed transaction survives a crash or
  a power cut, an interrupted one leaves no trace.
- Write transactions take the write lock when they begin (`BEGIN IMMEDIATE`). A deferred
  transaction that reads and then writes fails at once with "database is locked" when
  another process committed in between (WAL never waits in that case); taking the lock
  first makes concurrent writers queue instead. A writer waits up to `WRITE_PATIENCE`
  seconds for the lock, telling the user it is waiting (see `set_busy_notifier`).
- A file that is not netterm's, is damaged, or was written by a newer netterm is
  refused before anything is written to it (no WAL switch, no schema change).
- An older schema is upgraded only after a consistent copy of the file is written next
  to it; if the upgrade fails the file is restored from that copy.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from netterm.errors import StoreError
from netterm.store import files, migrations, search_sql
from netterm.store.location import PostgresURL, is_postgres_url
from netterm.store.models import MODELS, SchemaVersion, database
from netterm.store.orm import pw

#: SQLite's own wait for a lock, per statement (seconds).
BUSY_TIMEOUT = 10.0
#: How long a writer waits for the lock before saying that it waits (seconds).
NOTIFY_AFTER = 0.3
#: How long a write transaction keeps trying to get the write lock in all (seconds).
WRITE_PATIENCE = 60.0
SQLITE_HEADER = b"SQLite format 3\x00"
NETTERM_TABLES = frozenset({"schema_version", "contact"})


def pragmas() -> tuple[tuple[str, object], ...]:
    return (
        ("busy_timeout", int(BUSY_TIMEOUT * 1000)),  # first: the others may wait for a lock
        ("journal_mode", "wal"),
        ("foreign_keys", 1),
        ("synchronous", 2),  # FULL: a touch the user logged survives a power cut
        ("cache_size", -16_000),
    )


PRAGMAS = pragmas()

_busy_notifier: Callable[[str], None] | None = None


def set_busy_notifier(notify: Callable[[str], None] | None) -> None:
    """Call `notify(message)` once per transaction that has to wait for the write lock.

    The CLI prints the message on stderr; the app can show it as a notification.
    """
    global _busy_notifier
    _busy_notifier = notify


def is_busy(exc: BaseException) -> bool:
    code = sqlite_code(exc)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "database is locked" in str(exc)


class WouldWait(Exception):
    """The write lock is another process's and this thread must not wait for it.

    Raised inside `without_waiting()` before anything was written: the caller can run
    the same write again where waiting is harmless (the app: a thread worker).
    """


_impatient = threading.local()


@contextmanager
def without_waiting() -> Iterator[None]:
    """Writes in this block never wait for another process's lock: they raise WouldWait.

    For the app's event loop, which must never freeze. Until the first commit, a write
    lock held elsewhere raises WouldWait (nothing was written yet): SQLite's busy timeout
    is 0 here, PostgreSQL only tries its advisory lock (netterm.store.postgres). After a
    commit the rest waits as usual: repeating it would write twice.
    """
    sqlite = isinstance(database.obj, pw.SqliteDatabase)
    _impatient.committed = False
    _impatient.on = True
    if sqlite:
        database.connection().execute("PRAGMA busy_timeout = 0")
    try:
        yield
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        if sqlite and is_busy(exc) and not _impatient.committed:
            raise WouldWait(str(exc)) from exc
        raise
    finally:
        if _impatient.on:
            _patient_again()


def impatient() -> bool:
    """Inside `without_waiting`, before its first commit: a busy lock raises WouldWait."""
    return getattr(_impatient, "on", False)


def note_commit() -> None:
    """A transaction committed (the engines' `commit` call this): from now on, wait."""
    if impatient():
        _impatient.committed = True
        _patient_again()


def _patient_again() -> None:
    _impatient.on = False
    if isinstance(database.obj, pw.SqliteDatabase):
        database.connection().execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")


class _Savepoint(pw._savepoint):
    def rollback(self, begin=True):
        if self.db.connection().in_transaction:  # see NettermDatabase.rollback
            super().rollback(begin)


class NettermDatabase(pw.SqliteDatabase):
    """SQLite with netterm's pragmas, immediate write transactions and patient locking."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            str(path),
            pragmas=pragmas(),
            timeout=BUSY_TIMEOUT,
            check_same_thread=False,
            lock_type="IMMEDIATE",
        )

    #: a "malformed" error was seen on this database: check it before the next write
    suspect = False
    _checked = False

    def begin(self, lock_type=None):
        if (lock_type or self._lock_type or "").upper() != "DEFERRED":
            self.check_before_write()
        deadline = time.monotonic() + WRITE_PATIENCE
        told = False
        # With someone to tell, the first try waits only NOTIFY_AFTER seconds inside
        # SQLite, so "waiting for it" is said at once rather than after BUSY_TIMEOUT.
        quick = _busy_notifier is not None and not impatient()
        if quick:
            self._busy_wait(NOTIFY_AFTER)
        try:
            while True:
                try:
                    return super().begin(lock_type)
                except pw.OperationalError as exc:
                    if impatient() and is_busy(exc):
                        raise WouldWait(str(exc)) from exc  # nothing written yet
                    if not is_busy(exc) or time.monotonic() >= deadline:
                        raise
                    if not told and _busy_notifier is not None:
                        told = True
                        _busy_notifier(
                            "another netterm process is writing to the database; waiting for it"
                        )
                    if quick:
                        quick = False
                        self._busy_wait(BUSY_TIMEOUT)
                    time.sleep(0.05)
        finally:
            if quick:
                self._busy_wait(BUSY_TIMEOUT)

    def _busy_wait(self, seconds: float) -> None:
        self.connection().execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def commit(self):
        result = super().commit()
        note_commit()  # see without_waiting
        return result

    def rollback(self):
        # After a full disk or an I/O error SQLite has already rolled the transaction
        # back; a second ROLLBACK would fail ("no transaction is active") and hide why.
        if not self.is_closed() and not self.connection().in_transaction:
            return True
        return super().rollback()

    def savepoint(self):
        return _Savepoint(self)

    def check_before_write(self) -> None:
        """Refuse to write into a file known to be damaged.

        Once any netterm process met a "malformed" error on this file (it leaves a
        `NAME-damaged` marker, see `note_damaged`) or this connection did, SQLite's
        quick_check runs before the next write. A damaged file is refused with how to
        restore it; a sound one (a restored backup) clears the marker.
        """
        if self._checked and not self.suspect:
            return
        path = Path(self.database)
        marker = damage_marker(path)
        if not self.suspect and not marker.exists():
            self._checked = True
            return
        try:
            state = files.check(self.connection(), quick=True)
        except sqlite3.DatabaseError as exc:
            state = first_line(exc)
        if state != "ok":
            note_damaged(path, state)
            raise StoreError(damaged_message(path, state))
        marker.unlink(missing_ok=True)
        self.suspect = False
        self._checked = True


# --------------------------------------------------------------------------- damage


def damage_marker(path: Path) -> Path:
    """The file that says a database was found damaged: `netterm.db-damaged` (0600)."""
    return path.with_name(path.name + "-damaged")


def damaged_message(path: str | os.PathLike[str] | None, why: str) -> str:
    where = f" {path}" if path else ""
    return (
        f"the database{where} is damaged ({why}). It was left as it is and nothing is "
        "written into it; restore a backup with `netterm restore PATH` "
        "(`netterm restore` lists them)"
    )


def note_damaged(path: str | os.PathLike[str] | None, why: str) -> None:
    """Remember that `path` is damaged: every later write (by any netterm process) runs
    quick_check first and refuses (see `NettermDatabase.check_before_write`)."""
    if not path:
        return
    db = database.obj
    if db is not None and Path(db.database) == Path(path):
        db.suspect = True
    marker = damage_marker(Path(path))
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    except OSError:
        return  # best effort: the in-process flag still holds
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (why[:500] + "\n").encode("utf-8", "replace"))
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- checks


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror}") from None
    if head and head != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a netterm database (not an SQLite file); it was left untouched"
        )


def set_warning_notifier(notify: Callable[[str], None] | None) -> None:
    """Call `notify(message)` for a warning while opening (the CLI prints it on stderr)."""
    global _warning_notifier
    _warning_notifier = notify


_warning_notifier: Callable[[str], None] | None = None


def _make_private(path: Path) -> None:
    """A database (or its journal) readable by the group or others is made 0600, once,
    with a warning: it holds other people's personal data. A file netterm may not
    chmod (not the owner) is left as it is."""
    import stat

    for p in (path, *files.sidecars(path)):
        try:
            st = p.stat()
        except OSError:
            continue
        mode = stat.S_IMODE(st.st_mode)
        if not mode & 0o077 or not stat.S_ISREG(st.st_mode):
            continue
        try:
            os.chmod(p, mode & 0o700 or files.FILE_MODE)
        except OSError:
            continue
        if p == path and _warning_notifier is not None:
            _warning_notifier(
                f"{path} was readable by other users (mode {mode:04o}); it holds other "
                f"people's personal data, so netterm made it private ({mode & 0o700:04o})"
            )


def _check_writable(path: Path) -> None:
    """A read-only file or folder is refused up front, with what to do about it."""
    if not os.access(path, os.W_OK):
        raise StoreError(
            f"cannot write to {path}: the file is read-only. Make it writable, or copy it "
            "to a writable place and use --db"
        )
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"cannot write in the folder {folder}: it is read-only, and netterm keeps its "
            "journal (the -wal and -shm files) next to the database. Make the folder "
            "writable, or move the database to a writable folder and use --db"
        )


def classify(path: Path) -> int | None:
    """The schema version of the netterm database at `path`, or None if it is empty.

    Reads only (no pragma that writes), so a file that is not netterm's stays untouched.
    """
    try:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(describe_error(exc, path) or f"cannot open {path}: {exc}") from None
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if not NETTERM_TABLES.issubset(tables):
            raise StoreError(
                f"{path} is an SQLite file but not a netterm database; it was left untouched"
            )
        row = con.execute("SELECT MAX(version) FROM schema_version").fetchone()
    except sqlite3.Error as exc:
        raise StoreError(describe_error(exc, path) or f"cannot read {path}: {exc}") from None
    finally:
        con.close()
    if not row or row[0] is None:
        raise StoreError(
            f"{path} has no schema version: it is not a netterm database, or a damaged one; "
            "it was left untouched"
        )
    version = int(row[0])
    missing = missing_tables(tables, version)
    if missing:
        raise StoreError(damaged_message(path, f"the table {sorted(missing)[0]} is missing"))
    return version


def missing_tables(tables: set[str], version: int) -> set[str]:
    """The tables of the current schema a file at that version lacks (a damaged file)."""
    if version != migrations.SCHEMA_VERSION:
        return set()  # an older layout: the upgrade creates what it needs
    return {m._meta.table_name for m in MODELS} - tables


def _refuse_newer(path: Path, version: int) -> None:
    target = migrations.SCHEMA_VERSION
    if version > target:
        raise StoreError(
            f"{path} was written by a newer netterm (schema {version}; this one knows up to "
            f"{target}). Upgrade netterm; the file was left untouched."
        )


# --------------------------------------------------------------------------- opening


def open_database(path, *, create: bool = True) -> pw.Database:
    """Open (creating if needed) the database at `path` and bind the models to it.

    `path` is a file (SQLite) or a PostgreSQL URL (`store/location.py`).
    """
    if is_postgres_url(path):
        url = path if isinstance(path, PostgresURL) else PostgresURL(path)
        return _open_postgres(url, create=create)
    path = Path(path)
    if not path.exists():
        if not create:
            raise StoreError(f"no database at {path}")
        files.ensure_private_dir(path.parent)
        files.create_private(path)
    elif path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    files.require_regular(path)  # a FIFO would block the first read; /dev/null is no file
    _check_header(path)
    _check_writable(path)
    version = classify(path)
    if version is not None:
        _refuse_newer(path, version)
    _make_private(path)  # netterm's (or empty, about to be): not someone else's file
    db = NettermDatabase(path)
    close_database()
    database.initialize(db)
    try:
        db.connect()
        ensure_schema(db, path)
    except StoreError:
        db.close()
        raise
    except (pw.PeeweeException, sqlite3.Error, OSError) as exc:
        db.close()
        raise StoreError(describe_error(exc, path) or f"cannot open {path}: {exc}") from None
    _clean_leftovers(path)
    return db


def _clean_leftovers(path: Path) -> None:
    """Delete what a killed `restore` or `backup` left (a hidden copy of the whole
    database: `.restore-PID.db`, `backups/.partial-PID…`), by any later command rather
    than only the next backup or restore. Only files of processes no longer running."""
    try:
        files.remove_stale_temps(path.parent, "restore")
        backups = path.parent / files.BACKUP_FOLDER
        if backups.is_dir():
            files.remove_stale_temps(backups, "partial")
        files.remove_stale_temps(path.parent, "partial")
    except OSError:
        pass


def _open_postgres(url: PostgresURL, *, create: bool = True) -> pw.Database:
    """Connect to the PostgreSQL database at `url`: create the schema of an empty
    database, refuse one that is not netterm's or is newer, upgrade an older one."""
    from netterm.store.postgres import PostgresDatabase

    db = PostgresDatabase(url)
    close_database()
    database.initialize(db)
    try:
        db.connect()
        if not create and not NETTERM_TABLES.issubset(db.get_tables()):
            raise StoreError(f"no netterm network at {url}")
        _ensure_postgres_schema(db)
    except StoreError:
        db.close()
        raise
    except pw.PeeweeException as exc:
        db.close()
        raise StoreError(describe_error(exc, url) or f"cannot open {url}: {exc}") from None
    return db


def _ensure_postgres_schema(db) -> None:
    url = db.url
    target = migrations.SCHEMA_VERSION
    tables = set(db.get_tables())
    if NETTERM_TABLES.issubset(tables):
        version = _max_version(db)
        if version == target and search_sql.MARKER in tables:
            return  # the common case: two queries, no lock
    with db.atomic():  # the write lock: two first runs create (or upgrade) it once
        tables = set(db.get_tables())
        if not tables:
            db.install_compat(triggers=False)
            db.create_tables(MODELS)
            db.install_compat()  # and the tables' triggers
            search_sql.install(db)
            SchemaVersion.create(version=target)
            return
        if not NETTERM_TABLES.issubset(tables):
            raise StoreError(
                f"{url} is a PostgreSQL database with other tables, not a netterm network; "
                "it was left untouched (give netterm an empty database of its own)"
            )
        version = schema_version(db)
        if version is None:
            raise StoreError(f"{url} has no schema version: not a netterm network; left untouched")
        if version > target:
            raise StoreError(
                f"{url} was written by a newer netterm (schema {version}; this one knows up "
                f"to {target}). Upgrade netterm; the database was left untouched."
            )
        if version < target:
            _upgrade_postgres(db, version)
        elif search_sql.MARKER not in tables:
            search_sql.install(db)


def _upgrade_postgres(db, from_version: int) -> Path:
    """Upgrade a PostgreSQL network (the caller holds the write lock): a portable SQLite
    copy of it is written first, then every migration runs in this one transaction, so a
    failure leaves the database as it was (PostgreSQL's DDL is transactional)."""
    from playhouse.migrate import PostgresqlMigrator

    from netterm.config import data_dir
    from netterm.store import transfer

    url = db.url
    try:
        steps = migrations.pending(from_version)
    except RuntimeError as exc:
        raise StoreError(f"cannot upgrade {url}: {exc}") from None
    folder = data_dir() / "backups"
    files.ensure_private_dir(folder)
    copy = files.claim_name(folder, f"{url.stem}-before-upgrade-{_stamp()}", ".db")
    try:
        transfer.dump_as_is(db, copy)
    except Exception as exc:
        copy.unlink(missing_ok=True)
        raise StoreError(
            f"cannot write the copy of {url} made before upgrading it "
            f"({describe_error(exc) or exc}); it was not upgraded"
        ) from None
    migrator = PostgresqlMigrator(db)
    step = "starting"
    try:
        search_sql.uninstall(db)  # as on SQLite (store/db.py: upgrade)
        for version, migration in steps:
            step = f"step {version}, {migration.description!r}"
            with db.atomic():
                migration.apply(migrator, db)
                SchemaVersion.create(version=version)
        step = "building the full-text index"
        search_sql.install(db)
        db.install_compat()  # triggers on tables a migration created
    except Exception as exc:
        reason = describe_error(exc) or str(exc) or type(exc).__name__
        raise StoreError(
            f"upgrading {url} from schema {from_version} to {migrations.SCHEMA_VERSION} failed "
            f"at {step}: {reason}. Nothing was changed; a copy made just before is kept at {copy}"
        ) from None
    return copy


def _stamp() -> str:
    from netterm.config import clock

    return files.stamp(clock.now())


def open_memory_database() -> pw.SqliteDatabase:
    """An empty network in memory, bound to the models: nothing touches the disk."""
    db = NettermDatabase(":memory:")
    close_database()
    database.initialize(db)
    db.connect()
    ensure_schema(db, Path(":memory:"))
    return db


def close_database() -> None:
    db = database.obj
    if db is not None and hasattr(db, "close_listener"):
        db.close_listener()
    if db is not None and not db.is_closed():
        db.close()


def schema_version(db: pw.Database) -> int | None:
    if "schema_version" not in db.get_tables():
        return None
    return _max_version(db)


def _max_version(db: pw.Database) -> int | None:
    """The schema version, where the table is known to exist."""
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] if row and row[0] is not None else None


def ensure_schema(db: pw.Database, path: Path | None = None) -> None:
    """Create the tables of an empty file, or upgrade an older one."""
    path = Path(path or db.database)
    target = migrations.SCHEMA_VERSION
    tables = set(db.get_tables())
    if not tables:
        with db.atomic():  # under the write lock: two first runs create the schema once
            if not db.get_tables():
                db.create_tables(MODELS)
                search_sql.install(db)
                SchemaVersion.create(version=target)
                return
    version = schema_version(db)
    if version is None:
        raise StoreError(f"{path} is an SQLite file but not a netterm database; left untouched")
    _refuse_newer(path, version)
    if version < target:
        upgrade(db, version, path)
    elif not search_sql.installed(tables):
        # a copy written table by table (store/transfer.py) has no full-text index
        with db.atomic():
            search_sql.install(db)


# --------------------------------------------------------------------------- upgrades


def backup_name(path: Path, label: str) -> tuple[Path, str, str]:
    """(folder, base, suffix) of a timestamped copy: netterm-{label}-20261126-120000.db."""
    from netterm.config import clock

    return path.parent, f"{path.stem}-{label}-{files.stamp(clock.now())}", path.suffix


def upgrade(db: pw.Database, from_version: int, path: Path | None = None) -> Path | None:
    """Bring the file up to `SCHEMA_VERSION`; returns the copy made before (or None).

    The whole upgrade runs under the write lock with foreign keys off (so rebuilding a
    table cannot cascade-delete its children); each migration is a savepoint, and the
    foreign keys are checked before committing. On any failure the transaction is
    rolled back and the file restored from the copy, which is kept.
    """
    path = Path(path or db.database)
    target = migrations.SCHEMA_VERSION
    try:
        steps = migrations.pending(from_version)
    except RuntimeError as exc:
        raise StoreError(f"cannot upgrade {path}: {exc}") from None
    copy: Path | None = None
    copied_version = from_version
    step = "checking the file"
    db.pragma("foreign_keys", 0)
    try:
        with db.atomic():
            current = copied_version = schema_version(db) or 0
            if current >= target:
                return None  # another process upgraded it meanwhile
            try:
                state = files.check(db.connection(), quick=True)
            except sqlite3.DatabaseError as exc:
                state = first_line(exc)
            if state != "ok":
                raise StoreError(
                    f"{path} is damaged ({state}); it was not upgraded. Restore a backup "
                    "with `netterm restore`"
                )
            copy = files.claim_name(*backup_name(path, "before-upgrade"))
            try:
                files.copy_database(path, copy)  # a second connection: we hold the lock
            except (sqlite3.Error, OSError) as exc:
                copy.unlink(missing_ok=True)
                copy = None
                raise StoreError(
                    f"cannot write the copy of {path} made before upgrading it "
                    f"({describe_error(exc) or exc}); it was not upgraded"
                ) from None
            from playhouse.migrate import SqliteMigrator  # only when upgrading

            migrator = SqliteMigrator(db)
            search_sql.uninstall(db)  # its triggers would break a table's rebuild
            for version, migration in steps:
                if version <= current:
                    continue
                step = f"step {version}, {migration.description!r}"
                with db.atomic():
                    migration.apply(migrator, db)
                    SchemaVersion.create(version=version)
            step = "building the full-text index"
            search_sql.install(db)
            step = "checking foreign keys"
            broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise StoreError(f"the upgrade left {len(broken)} rows pointing nowhere")
    except Exception as exc:
        if copy is None:
            raise
        _restore_after_failure(db, path, copy, copied_version, target, step, exc)
    finally:
        db.pragma("foreign_keys", 1)
    return copy


def _restore_after_failure(
    db: pw.Database,
    path: Path,
    copy: Path,
    from_version: int,
    target: int,
    step: str,
    exc: BaseException,
) -> None:
    reason = describe_error(exc) or str(exc) or type(exc).__name__
    what = f"upgrading {path} from schema {from_version} to {target} failed at {step}: {reason}"
    try:
        files.copy_into(copy, db.connection())
        restored = schema_version(db) == from_version
        state = files.check(db.connection(), quick=True)
    except Exception as again:
        raise StoreError(
            f"{what}. Restoring the copy made before the upgrade also failed "
            f"({describe_error(again) or again}); the copy is {copy}: restore it with "
            f"`netterm restore '{copy}'`"
        ) from None
    if not restored or state != "ok":
        raise StoreError(
            f"{what}. The file could not be checked after restoring it; the copy made before "
            f"the upgrade is {copy}"
        ) from None
    raise StoreError(
        f"{what}. Nothing was changed: the database was restored from the copy made just "
        f"before, which is kept at {copy}"
    ) from None


# --------------------------------------------------------------------------- errors


def sqlite_code(exc: BaseException) -> int | None:
    for e in _chain(exc):
        code = getattr(e, "sqlite_errorcode", None)
        if code is not None:
            return code
    return None


def _chain(exc: BaseException):
    """The exception, what peewee wrapped, and its explicit causes.

    Not `__context__`: a bug raised while handling a storage error is still a bug.
    """
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        todo.extend([getattr(e, "orig", None), e.__cause__])


def describe_error(exc: BaseException, path: str | os.PathLike[str] | None = None) -> str | None:
    """One sentence for a storage failure (SQLite or the operating system), or None.

    None means the error is not about storage (a bug, which should not be hidden).
    """
    if path is None and database.obj is not None:
        path = getattr(database.obj, "shown", database.obj.database)
    where = f" {path}" if path else ""
    code = sqlite_code(exc)
    text = " ".join(str(e) for e in _chain(exc) if not isinstance(e, OSError)).lower()
    if code is not None or isinstance(exc, (sqlite3.Error, pw.PeeweeException)):
        primary = code & 0xFF if code is not None else None
        if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "is locked" in text:
            return (
                f"the database{where} is busy: another netterm process (or another program) "
                "kept it locked for too long. Nothing was changed; try again when it is done"
            )
        if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
            return (
                f"the disk is full: the change to{where or ' the database'} was not saved. "
                "Free some space and try again"
            )
        if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or "readonly" in text:
            return (
                f"cannot write to the database{where}: it is read-only (check the file's and "
                "its folder's permissions). Nothing was changed"
            )
        if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or (
            "malformed" in text or "not a database" in text
        ):
            note_damaged(path, first_line(exc))
            return damaged_message(path, first_line(exc))
        if primary == sqlite3.SQLITE_IOERR or "disk i/o error" in text:
            return (
                f"a disk error stopped netterm writing to{where or ' the database'}; the change "
                "was not saved. Check the disk (is it full or unplugged?) and try again"
            )
        if primary == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
            return f"cannot open the database{where}: check that its folder exists and is writable"
        if primary is not None or isinstance(exc, pw.OperationalError):
            return f"the database{where} failed: {first_line(exc)}"
        return None
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno is not None:
            name = f" {e.filename}" if e.filename else where
            if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                return f"the disk is full: cannot write{name}. Free some space and try again"
            if e.errno in (errno.EACCES, errno.EPERM):
                return f"permission denied:{name or ' a file'} (check its permissions)"
            if e.errno == errno.EROFS:
                return f"cannot write{name}: the file system is read-only"
            if e.errno == errno.ENOENT:
                return f"no such file or folder:{name}"
            if e.errno == errno.EIO:
                return f"a disk error occurred with{name}; check the disk"
            return f"{e.strerror or e}:{name}"
    return None


def first_line(exc: BaseException) -> str:
    for e in _chain(exc):
        if isinstance(e, sqlite3.Error) and str(e):
            return str(e).splitlines()[0]
    return (str(exc) or type(exc).__name__).splitlines()[0]
