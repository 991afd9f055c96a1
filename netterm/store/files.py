"""Private files, and consistent copies of a live SQLite database.

Everything netterm writes about people is readable by its owner only: files are created
0600 and folders 0700 whatever the umask. Copies go through SQLite's online backup API,
so they are consistent even while the app or another netterm process is writing (in WAL
mode a reader sees the last committed transaction and never blocks a writer).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from netterm.errors import StoreError

FILE_MODE = 0o600
DIR_MODE = 0o700
#: How long a copy waits for a lock held by another connection (seconds).
LOCK_WAIT = 10.0


def ensure_private_dir(folder: Path) -> None:
    """Create `folder` (and its parents) readable by the owner only, if missing."""
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    if not missing:
        if not folder.is_dir():
            raise StoreError(f"{folder} is not a folder")
        return
    if not folder.is_dir():
        raise StoreError(f"cannot create the folder {missing[0]}: {folder} is not a folder")
    for new in reversed(missing):  # every folder netterm creates, not only the last
        try:
            new.mkdir(mode=DIR_MODE)
            os.chmod(new, DIR_MODE)  # mkdir's mode is filtered by the umask
        except FileExistsError:
            if not new.is_dir():
                raise StoreError(f"{new} is not a folder") from None
        except OSError as exc:
            raise StoreError(f"cannot create the folder {new}: {exc.strerror}") from None


#: The folder of `netterm backup`'s copies, next to the database (store/backup.py).
#: Here, not there: every open cleans it of a killed backup's leftovers, and the backup
#: module (its result classes) is not worth importing for a name on every start.
BACKUP_FOLDER = "backups"


def require_regular(path: Path, what: str = "database file") -> None:
    """Refuse a FIFO, a device or a socket at `path` without opening it (it could block
    forever, or never end): one sentence naming what it is. Symlinks are followed;
    a missing path or a folder is left to the caller."""
    import stat as st

    from netterm.interchange.guard import kind_of

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    kind = kind_of(mode)
    if kind is not None and not st.S_ISDIR(mode):
        raise StoreError(f"{path} is {kind}, not a {what}; netterm uses only regular files")


def create_private(path: Path) -> bool:
    """Create an empty file readable and writable by its owner only.

    Returns False if the file already exists (it is left alone).
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return False
    except OSError as exc:
        raise StoreError(f"cannot create {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, FILE_MODE)  # exactly 0600, whatever the umask took away
    finally:
        os.close(fd)
    return True


def stamp(moment: datetime) -> str:
    """A timestamp for file names that sorts in time order: 20261126-120000."""
    return moment.strftime("%Y%m%d-%H%M%S")


def claim_name(folder: Path, base: str, suffix: str) -> Path:
    """Create and return a new empty private file `folder/base{suffix}` (or base-2 …)."""
    for n in range(1, 1000):
        candidate = folder / (f"{base}{suffix}" if n == 1 else f"{base}-{n}{suffix}")
        if create_private(candidate):
            return candidate
    raise StoreError(f"cannot find a free file name for {base}{suffix} in {folder}")


def temp_base(label: str) -> str:
    """The base name of a hidden temporary file of this process: .label-PID."""
    return f".{label}-{os.getpid()}"


def remove_stale_temps(folder: Path, label: str) -> None:
    """Delete temporary files (and their journals) left by killed netterm processes."""
    for path in folder.glob(f".{label}-*"):
        pid = path.name[len(label) + 2 :].split("-")[0].split(".")[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but not ours
    return True


def sidecars(path: Path) -> tuple[Path, Path]:
    """The WAL and shared-memory files SQLite keeps next to a database."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def fsync_file(path: Path) -> None:
    """Make sure a file written by another connection is on the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a new or renamed file's name durable (best effort where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def connect(path: Path, *, reading: bool = False) -> sqlite3.Connection:
    """A plain connection that waits for locks instead of failing at once.

    Never creates a file: a missing `path` is an error (sqlite3.connect would create it).
    With `reading`, a database in a read-only folder is still readable: SQLite cannot
    create its shared-memory file there, but with no `-wal` file beside the database
    nobody can be writing to it, so reading the file as immutable is exact.
    """
    if not path.exists():
        raise StoreError(f"no database at {path}")
    if reading and _read_only(path) and not _has_wal(path):
        # Nobody writes a read-only file with no journal; a normal connection would
        # create -wal and -shm files with the file's read-only mode, which then make
        # every later write to the database fail.
        return _immutable(path)
    con = sqlite3.connect(path, timeout=LOCK_WAIT, isolation_level=None)
    if not reading:
        return con
    try:
        con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError as exc:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        wal = sidecars(path)[0]
        if code != sqlite3.SQLITE_CANTOPEN or (wal.exists() and wal.stat().st_size > 0):
            con.close()
            raise
    con.close()
    return _immutable(path)


def _immutable(path: Path) -> sqlite3.Connection:
    uri = f"{Path(path).resolve().as_uri()}?immutable=1"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def _read_only(path: Path) -> bool:
    """No write permission for its owner (root ignores permissions, netterm does not)."""
    try:
        return not os.stat(path).st_mode & 0o200 or not os.access(path, os.W_OK)
    except OSError:
        return False


def _has_wal(path: Path) -> bool:
    try:
        return sidecars(path)[0].stat().st_size > 0
    except OSError:
        return False


def copy_database(source: Path | sqlite3.Connection, dest: Path) -> None:
    """Copy a live database into `dest`, a new empty private file (see `claim_name`).

    One backup step copies every page inside one read transaction: the copy is exactly
    the last committed state, whatever other connections are doing. The copy is synced
    to disk before this returns.
    """
    own = not isinstance(source, sqlite3.Connection)
    src = connect(source, reading=True) if own else source
    try:
        dst = sqlite3.connect(dest, isolation_level=None)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        if own:
            src.close()
    fsync_file(dest)
    fsync_dir(dest.parent)


def copy_into(source: Path, target: sqlite3.Connection) -> None:
    """Replace the whole content of the database open on `target` with `source`'s.

    The backup API writes into the live database under its write lock, in one
    transaction: other connections (an open app) see the new content at once, and a
    crash midway leaves the old content.
    """
    if target.in_transaction:
        target.execute("ROLLBACK")
    src = connect(source)
    try:
        src.backup(target)
    finally:
        src.close()


def check(path_or_conn: Path | sqlite3.Connection, *, quick: bool = False) -> str:
    """'ok', or what SQLite's integrity check found wrong (first problems only)."""
    own = not isinstance(path_or_conn, sqlite3.Connection)
    con = connect(path_or_conn, reading=True) if own else path_or_conn
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}(5)").fetchall()]
    finally:
        if own:
            con.close()
    return "ok" if rows == ["ok"] else "; ".join(rows)
