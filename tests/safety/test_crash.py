"""A process killed with SIGKILL midway leaves a sound database, each transaction whole.

Nothing is simulated: a real netterm process is killed while it writes, then the file
is checked from outside (SQLite's integrity check, foreign keys) and against the
invariants of what it was doing.
"""

from __future__ import annotations

import random

import pytest
from safety_kit import (
    committed,
    connect,
    counts,
    integrity,
    kill_midway,
    make_network,
    netterm,
    one_error_line,
    printed,
    python,
    run,
    stale,
    wal_grew,
)

BULK = 20_000


def test_killed_in_the_middle_of_a_bulk_write(tmp_path):
    """`netterm demo --size 20000` writes everything in one transaction: kill it midway."""
    db = tmp_path / "bulk.db"
    nothing_committed = committed(db, "SELECT COUNT(*) FROM contact", lambda n: n == 0)
    crash = kill_midway(
        netterm(db, "demo", "--size", str(BULK)),
        # 4 MB of the transaction's pages are in the WAL, and none is committed
        when=wal_grew(db, 4 << 20, also=nothing_committed),
        timeout=90,
    )
    assert crash.killed_while_running, crash
    assert integrity(db) == "ok"
    after = counts(db)
    # all or nothing: either the whole network (the kill came just after the commit) …
    if after["contact"]:
        assert after["contact"] == BULK and after["contact_state"] == BULK
        assert after["interaction"] > BULK
    else:  # … or none of it, nor any touch or cache row
        assert after == dict.fromkeys(after, 0)
    assert stale(db) == []
    # the file is fully usable afterwards
    result = run(netterm(db, "add", "After Crash"))
    assert result.returncode == 0, result.stderr
    assert run(netterm(db, "list")).returncode == 0


EDIT_LOOP = """
import sys
from netterm import services
from netterm.store import open_database

open_database(sys.argv[1])
cid, i = int(sys.argv[2]), int(sys.argv[3])
while True:
    services.update_contact(cid, job_title=f"T{i}", notes=f"edit {i}", job_change="new_job")
    services.log_touch(cid, "coffee", note=f"touch {i}")
    print(i, flush=True)
    i += 1
"""


def edits_state(db) -> tuple[int, set[int]]:
    """(the last edit applied, the loop's touches present), checking each edit is whole."""
    con = connect(db)
    try:
        title, notes = con.execute("SELECT job_title, notes FROM contact WHERE id = 1").fetchone()
        jobs = con.execute("SELECT title FROM job WHERE contact_id = 1 ORDER BY id").fetchall()
        touches = [n for (n,) in con.execute("SELECT note FROM interaction WHERE contact_id = 1")]
    finally:
        con.close()
    last = int(title[1:])
    # one edit = the new title, the new notes and the old job in the history, together
    assert notes == (f"edit {last}" if last else "")
    assert [t for (t,) in jobs] == [f"T{k}" for k in range(last)]
    loop_touches = [int(n.split()[1]) for n in touches if n.startswith("touch ")]
    assert len(loop_touches) == len(set(loop_touches))
    return last, set(loop_touches)


@pytest.mark.both_engines
def test_killed_in_the_middle_of_edits(tmp_path, db_target):
    """A loop of edits and touches (each its own transaction), killed at random moments."""
    db = db_target
    make_network(db, ("Ana Silva",))
    rng = random.Random(8)
    start = 1
    lost: set[int] = set()  # edits whose touch never ran (killed between the two)
    for round_ in range(4):
        out = tmp_path / f"round{round_}.out"
        with open(out, "wb") as fh:
            crash = kill_midway(
                python(EDIT_LOOP, db, 1, start),
                when=printed(out, rng.randint(3, 25)),
                stdout=fh,
            )
        assert crash.killed_while_running, crash
        assert integrity(db) == "ok"
        last, touches = edits_state(db)
        # every edit up to the last, and its touch unless the kill fell between the two
        assert last >= start - 1
        expected = set(range(1, last + 1)) - lost
        assert touches in (expected, expected - {last})
        lost |= expected - touches
        assert stale(db) == []
        start = last + 1
    assert start > 12  # the rounds really did work between kills


AUDIT_LOOP = """
import sys
from netterm.services import audit
from netterm.store import open_database

open_database(sys.argv[1])
card = audit.start()
while card is not None:
    card = audit.keep(card.position)
    print(card.position if card else "end", flush=True)
"""


def audit_progress(db) -> tuple[int, int]:
    """(decision rows of the open audit, contacts reviewed since it started)."""
    con = connect(db)
    try:
        audit_id, started = con.execute(
            "SELECT id, started_at FROM audit WHERE finished_at IS NULL"
        ).fetchone()
        decisions = con.execute(
            "SELECT COUNT(*) FROM audit_decision WHERE audit_id = ?", (audit_id,)
        ).fetchone()[0]
        reviewed = con.execute(
            "SELECT COUNT(*) FROM contact WHERE reviewed_at >= ?", (started,)
        ).fetchone()[0]
        return decisions, reviewed
    finally:
        con.close()


@pytest.mark.both_engines
def test_killed_in_the_middle_of_an_audit(tmp_path, db_target):
    """Every audit decision is its own transaction: a kill loses none and resumes after."""
    db = db_target
    assert run(netterm(db, "demo", "--size", "200")).returncode == 0
    out = tmp_path / "audit.out"
    with open(out, "wb") as fh:
        crash = kill_midway(python(AUDIT_LOOP, db), when=printed(out, 40), stdout=fh)
    assert crash.killed_while_running, crash
    assert integrity(db) == "ok"
    decisions, reviewed = audit_progress(db)
    assert decisions >= 40
    assert decisions == reviewed  # each decision and its effect together, or neither
    assert stale(db) == []
    resume = run(
        python(
            "import sys; from netterm.services import audit; from netterm.store import open_database;"
            "open_database(sys.argv[1]); print(audit.start().position)",
            db,
        )
    )
    assert resume.returncode == 0, resume.stderr
    assert int(resume.stdout) == decisions  # the next undecided card


def test_killed_in_the_middle_of_an_import(tmp_path):
    """A LinkedIn import is one transaction: killed midway, none of it is there."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
    from gen_linkedin import rows, write

    db = tmp_path / "import.db"
    make_network(db, ("Ana Silva",))
    csv = tmp_path / "Connections.csv"
    write(str(csv), BULK)
    people = sum(1 for r in rows(BULK) if r[0] or r[1])
    before = counts(db)
    nothing_committed = committed(
        db, "SELECT COUNT(*) FROM contact", lambda n: n == before["contact"]
    )
    crash = kill_midway(
        netterm(db, "import", "linkedin", str(csv)),
        when=wal_grew(db, 1 << 20, also=nothing_committed),
        timeout=90,
    )
    assert crash.killed_while_running, crash
    assert integrity(db) == "ok"
    after = counts(db)
    assert after["contact"] in (before["contact"], before["contact"] + people)
    if after["contact"] == before["contact"]:
        assert after == before
    assert stale(db) == []


def test_killed_in_the_middle_of_a_restore(tmp_path):
    """A restore replaces the database in one transaction: old network or new, whole."""
    big = tmp_path / "big.db"
    assert run(netterm(big, "demo", "--size", "3000")).returncode == 0
    db = tmp_path / "live.db"
    make_network(db)
    before = counts(db)
    crash = kill_midway(
        netterm(db, "restore", str(big), "--yes"),
        when=wal_grew(db, 1 << 20),
        timeout=60,
    )
    assert crash.killed_while_running, crash
    assert integrity(db) == "ok"
    after = counts(db)
    assert after in (before, counts(big))
    assert stale(db) == []


@pytest.mark.parametrize("size", [3000])
def test_killed_backup_leaves_no_half_written_backup(tmp_path, size):
    """A backup killed midway leaves the database untouched and no file named like a backup."""
    db = tmp_path / "n.db"
    assert run(netterm(db, "demo", "--size", str(size))).returncode == 0
    before = counts(db)
    dest = tmp_path / "copy.db"

    def partial_written() -> bool:
        return any(
            p.name.startswith(".partial-") and p.stat().st_size > (256 << 10)
            for p in tmp_path.iterdir()
        )

    crash = kill_midway(netterm(db, "backup", str(dest)), when=partial_written, poll=0.0005)
    if not crash.killed_while_running:
        pytest.skip("the backup finished before the kill could land (machine too fast)")
    assert not dest.exists()
    assert counts(db) == before and integrity(db) == "ok"
    # the next backup works, and the leftover temporary file never shows as a backup
    result = run(netterm(db, "backup", str(dest)))
    assert result.returncode == 0, result.stderr
    assert counts(dest) == before
    listing = run(netterm(db, "restore")).stdout
    assert "partial" not in listing
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # cleaned
    assert one_error_line(run(netterm(db, "backup", str(dest))))  # exists: refused
