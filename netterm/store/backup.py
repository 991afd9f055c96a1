"""`netterm backup` and `netterm restore`: consistent copies in, validated copies out.

A backup is an online copy through SQLite's backup API: consistent even while the app or
another netterm process writes, and it never blocks them. A restore first copies the
candidate into a private temporary file and checks that copy (SQLite's integrity check,
netterm's tables, a schema this netterm can read), so what is checked is exactly what is
restored. The current database is then kept, under a timestamped name next to it, and
replaced: through the backup API when it is sound (an open app sees the restored
network at once, and a crash midway leaves the old content), by moving files aside when
it is damaged.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from netterm.errors import StoreError
from netterm.store import files, migrations
from netterm.store.db import (
    NETTERM_TABLES,
    SQLITE_HEADER,
    backup_name,
    damage_marker,
    describe_error,
    first_line,
    missing_tables,
    sqlite_code,
)
from netterm.store.location import is_postgres_url

BACKUP_FOLDER = files.BACKUP_FOLDER
#: Labels of the copies netterm itself makes next to the database.
BEFORE_UPGRADE = "before-upgrade"
REPLACED = "replaced"


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    """What a checked netterm database holds."""

    path: Path
    schema: int
    contacts: int
    touches: int
    size: int  # bytes

    def summary(self) -> str:
        return (
            f"{self.contacts:,} contact{'s' if self.contacts != 1 else ''}, "
            f"{self.touches:,} touch{'es' if self.touches != 1 else ''}, {human_size(self.size)}"
        )


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    info: DatabaseInfo
    seconds: float


@dataclass(frozen=True, slots=True)
class RestoreResult:
    info: DatabaseInfo  # what the database holds now
    kept: Path | None  # where the replaced database went (None: there was none)


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def default_folder(db_path) -> Path:
    if is_postgres_url(db_path):  # a database on a server: this device's data folder
        from netterm.config import data_dir

        return data_dir() / BACKUP_FOLDER
    return db_path.parent / BACKUP_FOLDER


def _dump_postgres(url, dest: Path) -> None:
    """The PostgreSQL network at `url`, copied into the new SQLite file `dest` (ids,
    counts and content digests checked: store/transfer.py)."""
    from netterm.store import transfer
    from netterm.store.postgres import PostgresDatabase

    src = PostgresDatabase(url)
    try:
        transfer.dump_to_sqlite(src, dest)
    finally:
        src.close()
    files.fsync_file(dest)


def _why(exc: BaseException, path: Path) -> str:
    """Why an SQLite or OS operation on `path` failed, as a clause: "it is damaged (…)"."""
    code = sqlite_code(exc)
    if code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return f"it is damaged ({first_line(exc)})"
    return describe_error(exc, path) or first_line(exc)


def _problem(exc: BaseException, path: Path) -> str:
    """What is wrong with the database at `path`, as a sentence naming it."""
    why = _why(exc, path)
    return f"{path} {why[3:]}" if why.startswith("it is damaged") else f"{path}: {why}"


def _require_sqlite(path: Path, what: str) -> None:
    if not path.exists():
        raise StoreError(f"no {what} at {path}")
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a {what}")
    files.require_regular(path, what)
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    if head != SQLITE_HEADER:
        raise StoreError(f"{path} is not a netterm database (not an SQLite file)")


def describe(con: sqlite3.Connection, shown: Path) -> DatabaseInfo:
    """Check that `con` is a sound netterm database this netterm can read; what it holds.

    `shown` is the path named in messages.
    """
    try:
        state = files.check(con)
        if state != "ok":
            raise StoreError(f"{shown} is damaged (integrity check: {state})")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not NETTERM_TABLES.issubset(tables):
            raise StoreError(f"{shown} is an SQLite file but not a netterm database")
        (schema,) = con.execute("SELECT MAX(version) FROM schema_version").fetchone()
        if schema is None:
            raise StoreError(f"{shown} has no schema version: it is not a netterm database")
        missing = missing_tables(tables, int(schema))
        if missing:
            raise StoreError(f"{shown} is damaged (the table {sorted(missing)[0]} is missing)")
        if schema > migrations.SCHEMA_VERSION:
            raise StoreError(
                f"{shown} was written by a newer netterm (schema {schema}; this one knows up "
                f"to {migrations.SCHEMA_VERSION}). Upgrade netterm first"
            )
        (contacts,) = con.execute("SELECT COUNT(*) FROM contact").fetchone()
        touches = 0
        if "interaction" in tables:
            (touches,) = con.execute("SELECT COUNT(*) FROM interaction").fetchone()
        (pages,) = con.execute("PRAGMA page_count").fetchone()
        (page_size,) = con.execute("PRAGMA page_size").fetchone()
    except sqlite3.Error as exc:
        raise StoreError(_problem(exc, shown)) from None
    return DatabaseInfo(shown, int(schema), contacts, touches, pages * page_size)


def inspect(path: Path, shown: Path | None = None) -> DatabaseInfo:
    """Check the database at `path` (reads only); messages name `shown` (default: path)."""
    path = Path(path)
    shown = shown or path
    _require_sqlite(path, "database")
    try:
        con = files.connect(path, reading=True)
    except sqlite3.Error as exc:
        raise StoreError(_problem(exc, shown)) from None
    try:
        return describe(con, shown)
    finally:
        con.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


# --------------------------------------------------------------------------- backup


def backup(db_path: Path, dest: Path | None = None, *, force: bool = False) -> BackupResult:
    """Copy the live database to `dest` (a file or a folder; default: backups/ beside it).

    The copy is private (0600), written under a temporary name and checked with SQLite's
    integrity check before it gets its name, so `dest` is never a half-written or bad
    file. A damaged database is not backed up (the copy would look like a good one).
    """
    from netterm.config import clock

    started = time.perf_counter()
    postgres = is_postgres_url(db_path)  # PostgreSQL: the same portable SQLite file
    if not postgres:
        db_path = Path(db_path)
        _require_sqlite(db_path, "database")
    stamped = f"{db_path.stem}-{files.stamp(clock.now())}"
    suffix = ".db" if postgres else (db_path.suffix or ".db")
    target: Path | None = None
    if dest is None:
        folder = default_folder(db_path)
        files.ensure_private_dir(folder)
        base = stamped
    else:
        dest = Path(dest).expanduser()
        if dest.is_dir():
            folder, base = dest, stamped
        else:
            folder, target, base = dest.parent, dest, stamped
            if not folder.is_dir():
                raise StoreError(f"no folder {folder} to write the backup in")
            if not postgres and _same_file(dest, db_path):
                raise StoreError(f"{dest} is the database itself; choose another file")
            if dest.exists() and not force:
                raise StoreError(f"{dest} already exists; choose another name, or use --force")
    files.remove_stale_temps(folder, "partial")
    # copied under a hidden temporary name, renamed once checked: a killed backup never
    # leaves a half-written file under a name that looks like a backup (and the hidden
    # one is removed by the next netterm command, see store/db._clean_leftovers)
    temp = files.claim_name(folder, files.temp_base("partial"), suffix)
    try:
        try:
            if postgres:
                _dump_postgres(db_path, temp)
            else:
                files.copy_database(db_path, temp)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot back up {db_path}: {_why(exc, db_path)}") from None
        try:
            info = inspect(temp, shown=db_path)
        except StoreError as exc:
            raise StoreError(f"no backup was written: {exc}") from None
        final = target if target is not None else files.claim_name(folder, base, suffix)
        os.replace(temp, final)
        files.fsync_dir(folder)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    info = replace(info, path=final, size=final.stat().st_size)
    return BackupResult(final, info, time.perf_counter() - started)


def list_backups(db_path: Path) -> list[Path]:
    """Copies of this database netterm knows about, newest first."""
    if is_postgres_url(db_path):
        folder = default_folder(db_path)
        found = sorted(folder.glob(f"{db_path.stem}-*.db")) if folder.is_dir() else []
        return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
    db_path = Path(db_path)
    found: list[Path] = []
    folder = default_folder(db_path)
    if folder.is_dir():
        found += [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    for label in (BEFORE_UPGRADE, REPLACED):
        found += [p for p in db_path.parent.glob(f"{db_path.stem}-{label}-*") if p.is_file()]
    found = [p for p in found if not p.name.endswith(("-wal", "-shm", "-journal"))]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


# --------------------------------------------------------------------------- restore


def check_candidate(source: Path, folder: Path) -> tuple[Path, DatabaseInfo]:
    """Copy `source` to a private temporary file in `folder` and check that copy."""
    source = Path(source).expanduser()
    _require_sqlite(source, "backup")
    files.remove_stale_temps(folder, "restore")
    temp = files.claim_name(folder, files.temp_base("restore"), ".db")
    try:
        try:
            files.copy_database(source, temp)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"cannot read {source}: {_why(exc, source)}; nothing was changed"
            ) from None
        try:
            info = inspect(temp, shown=source)
        except StoreError as exc:
            raise StoreError(f"{exc}; nothing was changed") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, replace(info, size=source.stat().st_size)


def restore(
    db_path: Path,
    source: Path,
    confirm: Callable[[DatabaseInfo, DatabaseInfo | None], bool] | None = None,
) -> RestoreResult | None:
    """Replace the database at `db_path` with the checked content of `source`.

    Nothing is replaced unless the candidate passes every check and `confirm(candidate,
    current)` agrees (current is None when there is no readable netterm database);
    returns None if it did not. The replaced database is kept next to it as
    `<name>-replaced-<timestamp>.db` (0600).
    """
    if is_postgres_url(db_path):
        raise StoreError(
            f"netterm restore replaces an SQLite file; to bring a backup into PostgreSQL, "
            f"create an empty database and run `netterm db copy '{source}' URL`"
        )
    db_path = Path(db_path)
    source = Path(source).expanduser()
    if _same_file(source, db_path):
        raise StoreError(f"{source} is the database itself; nothing to restore")
    files.ensure_private_dir(db_path.parent)
    temp, candidate = check_candidate(source, db_path.parent)
    try:
        current, sound = _current(db_path)
        if confirm is not None and not confirm(candidate, current):
            return None
        kept = _keep_current(db_path, sound)
        if kept is None or kept[1] == "moved":
            os.replace(temp, db_path)
            files.fsync_dir(db_path.parent)
        else:
            con = files.connect(db_path)
            try:
                files.copy_into(temp, con)
            except sqlite3.Error as exc:
                raise StoreError(
                    f"cannot restore into {db_path}: {_why(exc, db_path)}; it was not changed, "
                    f"and a copy of it is at {kept[0]}"
                ) from None
            finally:
                con.close()
    finally:
        temp.unlink(missing_ok=True)
    damage_marker(db_path).unlink(missing_ok=True)  # a checked copy replaced the damage
    return RestoreResult(inspect(db_path), kept[0] if kept else None)


def _is_sound(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        return files.check(path) == "ok"
    except (sqlite3.Error, OSError, StoreError):
        return False


def _current(db_path: Path) -> tuple[DatabaseInfo | None, bool]:
    """What the database holds now (None if unreadable) and whether SQLite finds it sound."""
    if not db_path.exists():
        return None, False
    try:
        return inspect(db_path), True
    except StoreError:
        return None, _is_sound(db_path)  # e.g. a newer schema: sound, but not ours to read


def _keep_current(db_path: Path, sound: bool) -> tuple[Path, str] | None:
    """Keep what is at `db_path` under a timestamped name; None if there is nothing.

    A sound database is copied through the backup API (it may be open elsewhere, and
    stays in place to be overwritten in one transaction); anything else (damaged, not
    SQLite) is moved aside with its -wal and -shm files, bytes untouched.
    """
    if not db_path.exists():
        return None
    folder, base, suffix = backup_name(db_path, REPLACED)
    kept = files.claim_name(folder, base, suffix or ".db")
    if sound:
        try:
            files.copy_database(db_path, kept)
            return kept, "copied"
        except (sqlite3.Error, OSError):
            pass  # move the files aside instead
    os.replace(db_path, kept)
    for side, kept_side in zip(files.sidecars(db_path), files.sidecars(kept), strict=True):
        if side.exists():
            os.replace(side, kept_side)
    files.fsync_dir(folder)
    return kept, "moved"
