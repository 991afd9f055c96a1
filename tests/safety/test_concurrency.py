"""The app open while command-line writers log touches: no "database is locked", no write lost."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import time

import pytest
from safety_kit import (
    call,
    connect,
    counts,
    env,
    integrity,
    make_network,
    netterm,
    python,
    run,
    stale,
)

#: A command-line writer: N `netterm log` invocations, each opening and closing the
#: database as a separate process would, run in one process to keep the test fast.
WRITER = """
import contextlib, io, json, sys
from netterm.cli import main
from netterm.store import close_database

db, tag, who, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
codes, errors = [], []
for i in range(n):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(["--db", db, "log", "coffee", who, "--note", f"{tag}-{i}"])
        except SystemExit as exc:
            codes.append(exc.code or 0)
        finally:
            close_database()
    if err.getvalue():
        errors.append(err.getvalue())
print(json.dumps({"codes": codes, "errors": errors}))
"""


def notes(db) -> list[str]:
    con = connect(db)
    try:
        return [n for (n,) in con.execute("SELECT note FROM interaction").fetchall()]
    finally:
        con.close()


@pytest.mark.both_engines
def test_two_command_line_writers_while_the_app_reads_and_writes(db_target):
    """2 writers x 50 `netterm log` + an app polling data_version (PostgreSQL: the
    writers' change notices) and logging its own."""
    from netterm import services
    from netterm.services import network
    from netterm.store import close_database, open_database
    from netterm.store.models import database

    path = db_target
    ana, bruno = make_network(path)
    open_database(path)  # the app's long-lived connection
    writers = [
        subprocess.Popen(
            python(WRITER, path, tag, who, 50),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for tag, who in (("w1", "ana"), ("w2", "bruno c"))
    ]
    versions, seen_counts, app_notes, failures = set(), [], [], []
    last = None
    polls = 0
    while any(w.poll() is None for w in writers):
        try:
            version = network.data_version()
            if version != last:  # another process committed: reload, as the app does
                last = version
                versions.add(version)
                services.count_states()
                services.triage()
                seen_counts.append(
                    database.execute_sql("SELECT COUNT(*) FROM interaction").fetchone()[0]
                )
            polls += 1
            if polls % 25 == 0 and len(app_notes) < 10:  # the user logs a touch in the app
                note = f"app-{len(app_notes)}"
                services.log_touch(ana if polls % 50 else bruno, "call", note=note)
                app_notes.append(note)
        except Exception as exc:  # pragma: no cover - the assertion below shows it
            failures.append(repr(exc))
        time.sleep(0.01)
    results = [json.loads(w.communicate()[0]) for w in writers]
    close_database()

    assert failures == []
    for r in results:
        assert r["codes"] == [0] * 50
        # nothing on stderr but, on a loaded machine, the notice that a writer waited
        # for the lock longer than NOTIFY_AFTER (netterm/store/db.py): never an error
        notice = "netterm: another netterm process is writing to the database; waiting for it…\n"
        assert [e for e in r["errors"] if e != notice] == []
    expected = {f"w{w}-{i}" for w in (1, 2) for i in range(50)} | set(app_notes)
    found = [n for n in notes(path) if n != "first"]
    assert sorted(found) == sorted(expected)  # every write is there, once
    assert len(versions) > 5  # the app saw the others' commits as they came
    assert seen_counts == sorted(seen_counts)
    assert integrity(path) == "ok" and stale(path) == []


@pytest.mark.both_engines
def test_separate_netterm_processes_log_at_the_same_time(db_target):
    """Real `netterm log` processes, two at a time, each a fresh process."""
    path = db_target
    make_network(path)
    results: list[subprocess.CompletedProcess] = []

    def chain(tag: str, who: str) -> None:
        for i in range(8):
            results.append(run(netterm(path, "log", "email", who, "--note", f"{tag}{i}")))

    threads = [threading.Thread(target=chain, args=a) for a in (("a", "ana"), ("b", "bruno"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [(r.returncode, r.stderr) for r in results] == [(0, "")] * 16
    assert sorted(n for n in notes(path) if n != "first") == sorted(
        f"{t}{i}" for t in "ab" for i in range(8)
    )
    assert integrity(path) == "ok"


class Holder:
    """Another program holding the write lock for `seconds`."""

    def __init__(self, path, seconds: float) -> None:
        self.con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.con.execute("BEGIN IMMEDIATE")
        self.timer = threading.Timer(seconds, self.release)
        self.timer.start()

    def release(self) -> None:
        if self.con.in_transaction:
            self.con.execute("COMMIT")

    def close(self) -> None:
        self.timer.cancel()
        self.release()
        self.con.close()


@pytest.fixture
def short_waits(monkeypatch):
    from netterm.store import db as store_db

    monkeypatch.setattr(store_db, "BUSY_TIMEOUT", 0.2)
    monkeypatch.setattr(store_db, "WRITE_PATIENCE", 1.5)


def test_a_writer_waits_for_a_lock_and_says_so(tmp_path, short_waits, capsys):
    path = tmp_path / "wait.db"
    make_network(path)
    before = counts(path)["interaction"]
    holder = Holder(path, 0.6)  # longer than SQLite's own wait, shorter than our patience
    try:
        code, out, err = call(capsys, path, "log", "coffee", "ana")
    finally:
        holder.close()
    assert code == 0, err
    assert "Logged coffee with Ana Silva" in out
    assert err.strip() == (
        "netterm: another netterm process is writing to the database; waiting for it…"
    )
    assert counts(path)["interaction"] == before + 1


def test_a_lock_held_too_long_is_one_clear_line_and_changes_nothing(tmp_path, short_waits, capsys):
    path = tmp_path / "held.db"
    make_network(path)
    before = counts(path)
    holder = Holder(path, 10)
    try:
        code, _, err = call(capsys, path, "log", "coffee", "ana")
    finally:
        holder.close()
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("netterm: another netterm process is writing")
    assert lines[1].startswith(f"netterm: error: the database {path} is busy")
    assert "Nothing was changed" in lines[1] and len(lines) == 2
    assert counts(path) == before
