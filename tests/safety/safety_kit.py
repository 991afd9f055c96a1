"""Tools for the safety tests: real subprocesses, real SIGKILL, real second connections.

Killing a netterm operation midway and checking what it left takes a few lines:

    crash = kill_midway(netterm(db, "demo", "--size", "20000"), when=wal_grew(db, 4 << 20))
    assert crash.killed_while_running
    assert integrity(db) == "ok"
    assert counts(db)["contact"] in (0, 20_000)      # all or nothing
    assert stale(db) == []                           # the status cache matches the data

The same for an operation added later, e.g. an import or the audit:

    before = counts(db)
    crash = kill_midway(netterm(db, "import", "linkedin", csv), when=wal_grew(db, 1 << 20))
    assert integrity(db) == "ok"
    assert counts(db)["contact"] in (before["contact"], before["contact"] + rows)

or, for a loop of service calls, `kill_midway(python(SCRIPT, db), when=printed(n))`
where the script prints a line after each transaction (see test_crash.py's edit loop).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cli_kit import call  # noqa: F401  (the safety tests import it from here)

#: The same "now" as tests/conftest.py, for the subprocesses.
NOW = "2026-11-26T12:00:00"
TZ = "Europe/Lisbon"
TABLES = ("contact", "contact_state", "interaction", "job", "contact_method", "follow_up")


def env(**extra: str) -> dict[str, str]:
    """The environment of a netterm subprocess: frozen clock, no user database."""
    out = {k: v for k, v in os.environ.items() if not k.startswith("NETTERM_")}
    out.update(NETTERM_TZ=TZ, NETTERM_NOW=NOW, PYTHONDONTWRITEBYTECODE="1")
    out.update(extra)
    return out


def netterm(db: Path, *args: str) -> list[str]:
    """The argv of `netterm --db DB ARGS…` run by this Python."""
    return [sys.executable, "-m", "netterm", "--db", str(db), *args]


def python(code: str, *args: object) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


def run(argv: list[str], *, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("env", env())
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)


# --------------------------------------------------------------------------- killing


@dataclass
class Crash:
    """What happened to a process `kill_midway` killed."""

    killed_while_running: bool  # False: it finished before the moment came
    returncode: int
    seconds: float  # from start to kill
    stdout: str
    stderr: str


def kill_midway(
    argv: list[str],
    *,
    when: Callable[[], bool],
    timeout: float = 60,
    poll: float = 0.002,
    **popen,
) -> Crash:
    """Start `argv`, wait until `when()` is true, then SIGKILL it (no cleanup can run).

    `when` is polled every `poll` seconds (it may read the database from outside).
    """
    popen.setdefault("env", env())
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        popen.setdefault("stdout", out)
        popen.setdefault("stderr", err)
        proc = subprocess.Popen(argv, **popen)
        try:
            running = False
            while time.monotonic() - started < timeout:
                if proc.poll() is not None:
                    break
                if when():
                    running = proc.poll() is None
                    proc.send_signal(signal.SIGKILL)
                    break
                time.sleep(poll)
            else:
                raise AssertionError(f"the moment to kill {argv[3:]} never came in {timeout}s")
            seconds = time.monotonic() - started
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        out.seek(0)
        err.seek(0)
        return Crash(
            running and proc.returncode == -signal.SIGKILL,
            proc.returncode,
            seconds,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


def wal_size(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    try:
        return wal.stat().st_size
    except FileNotFoundError:
        return 0


def wal_grew(db: Path, by: int, also: Callable[[], bool] | None = None) -> Callable[[], bool]:
    """True once the WAL file is `by` bytes larger than now (and `also()` holds).

    A big transaction spills its pages to the WAL before it commits: a kill then lands
    in the middle of it, with part of it already on disk.
    """
    start = wal_size(db)
    return lambda: wal_size(db) >= start + by and (also is None or also())


def committed(db: Path, sql: str, test: Callable[[object], bool]) -> Callable[[], bool]:
    """True when `test(value of sql)` holds for what is committed (read from outside)."""

    def check() -> bool:
        try:
            con = sqlite3.connect(db, timeout=0.2)
            try:
                return test(con.execute(sql).fetchone()[0])
            finally:
                con.close()
        except sqlite3.Error:
            return False

    return check


def printed(path: Path, lines: int) -> Callable[[], bool]:
    """True once the file `path` (a subprocess's stdout) has `lines` complete lines."""

    def check() -> bool:
        try:
            return path.read_bytes().count(b"\n") >= lines
        except FileNotFoundError:
            return False

    return check


# --------------------------------------------------------------------------- checking


def connect(db):
    """Another process's connection to the network: an SQLite file, or a PostgreSQL
    database (a `PostgresURL`, tests/engines.py) that speaks the same SQL."""
    from engines import is_postgres, raw_connect

    if is_postgres(db):
        return raw_connect(db)
    return sqlite3.connect(db, timeout=10)


def integrity(db) -> str:
    """SQLite's full integrity check plus the foreign keys: "ok" or the problems.

    On PostgreSQL (which checks its pages and foreign keys itself): every table read
    whole, and no row pointing at a row that is not there."""
    from engines import is_postgres

    if is_postgres(db):
        return _pg_integrity(db)
    con = connect(db)
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        con.close()
    problems = [] if rows == ["ok"] else rows
    problems += [f"foreign key: {r}" for r in fk]
    return "ok" if not problems else "; ".join(map(str, problems[:10]))


def _pg_integrity(db) -> str:
    from netterm.store.models import MODELS

    problems = []
    con = connect(db)
    try:
        for model in MODELS:
            table = model._meta.table_name
            con.execute(f'SELECT * FROM "{table}"').fetchall()
            for fk in model._meta.refs:
                parent = fk.rel_model._meta
                orphans = con.execute(
                    f'SELECT COUNT(*) FROM "{table}" c WHERE c."{fk.column_name}" IS NOT NULL '
                    f'AND NOT EXISTS (SELECT 1 FROM "{parent.table_name}" p '
                    f'WHERE p."{fk.rel_field.column_name}" = c."{fk.column_name}")'
                ).fetchone()[0]
                if orphans:
                    problems.append(f"foreign key: {orphans} {table}.{fk.column_name}")
    finally:
        con.close()
    return "ok" if not problems else "; ".join(problems)


def counts(db: Path, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    con = connect(db)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def dump(db: Path) -> str:
    """The whole content as SQL text, to show that nothing changed."""
    con = connect(db)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def dump_or_none(db: Path) -> str | None:
    """`dump`, or None for a file SQLite cannot dump (damaged, not a database)."""
    if not db.is_file():
        return None
    try:
        return dump(db)
    except sqlite3.DatabaseError:
        return None


def stale(db: Path) -> list:
    """Contacts whose status cache disagrees with their data (netterm's own check)."""
    from netterm.services import stats
    from netterm.store import close_database, open_database

    open_database(db)
    try:
        return stats.stale()
    finally:
        close_database()


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The single `netterm: error: …` line a failed command must print, nothing else."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netterm: error: "), result.stderr
    return lines[0]


def make_network(db: Path, names: tuple[str, ...] = ("Ana Silva", "Bruno Costa")) -> list[int]:
    """A small database with these contacts (tier 1, title T0, a coffee each)."""
    from netterm import services
    from netterm.store import close_database, open_database

    open_database(db)
    try:
        ids = []
        for name in names:
            cid = services.add_contact(name, tier=1, job_title="T0", company="Acme")
            services.log_touch(cid, "coffee", "3 days ago", note="first")
            ids.append(cid)
        return ids
    finally:
        close_database()


def damage(db: Path, table: str = "interaction") -> None:
    """Overwrite the head of `table`'s root page with garbage, as a bad disk block would."""
    con = connect(db)
    try:
        (root,) = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        (page_size,) = con.execute("PRAGMA page_size").fetchone()
    finally:
        con.close()
    data = bytearray(db.read_bytes())
    offset = (root - 1) * page_size
    data[offset : offset + 64] = bytes([13]) + bytes(range(200, 255)) + bytes(8)
    db.write_bytes(bytes(data))


def damage_mid_page(path: Path) -> None:
    """Overwrite one page in the middle of the contact table, as a bad disk block would
    (what issue 15 saw: opening an affected contact crashed the app)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    leaves = [
        n
        for (n,) in con.execute(
            "SELECT pageno FROM dbstat WHERE name = 'contact' AND pagetype = 'leaf' ORDER BY pageno"
        )
    ]
    (size,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    data = bytearray(path.read_bytes())
    start = (leaves[len(leaves) // 2] - 1) * size
    data[start : start + size] = bytes((i * 131 + 7) % 256 for i in range(size))
    path.write_bytes(bytes(data))


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder read-only for netterm, and writable again afterwards.

    As a user: chmod. As root (CI containers), permissions do not apply, so the file is
    made immutable (chattr +i), which binds root too; where that is impossible the test
    is skipped with the reason.
    """
    import pytest

    if not is_root():
        old = os.stat(path).st_mode
        os.chmod(path, 0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            os.chmod(path, old)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root, which ignores permissions, and chattr is not installed")
    made = subprocess.run([chattr, "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(
            "running as root, which ignores permissions, and the file system refuses the "
            f"immutable attribute: {made.stderr.strip()}"
        )
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)
