"""Bad files at the database path, read-only places, a full disk: one clear line, exit 1,
no traceback, nothing overwritten. Each case runs the real `netterm` in a subprocess."""

from __future__ import annotations

import resource
import sqlite3
import subprocess

import pytest
from safety_kit import (
    call,
    counts,
    damage,
    dump,
    env,
    integrity,
    make_network,
    netterm,
    one_error_line,
    read_only,
    run,
)


def sidecars_absent(db) -> bool:
    return not any(db.with_name(db.name + s).exists() for s in ("-wal", "-shm"))


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my precious notes\n")
    line = one_error_line(run(netterm(path, "add", "Ana")))
    assert line == (
        f"netterm: error: {path} is not a netterm database (not an SQLite file); "
        "it was left untouched"
    )
    assert path.read_text() == "my precious notes\n"
    assert sidecars_absent(path)


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.execute("INSERT INTO recipes VALUES ('bolo de arroz')")
    con.commit()
    con.close()
    before = path.read_bytes()
    line = one_error_line(run(netterm(path, "log", "coffee", "ana")))
    assert "is an SQLite file but not a netterm database; it was left untouched" in line
    assert path.read_bytes() == before  # not even switched to WAL mode
    assert sidecars_absent(path)


@pytest.mark.parametrize(
    ("table", "command"),
    [
        ("contact_state", ("due",)),
        ("interaction", ("log", "coffee", "ana")),
        ("interaction", ("show", "ana")),
        ("contact", ("edit", "ana", "--title", "CTO", "--new-job")),
    ],
)
def test_a_damaged_database_is_one_line_and_left_as_it_is(tmp_path, table, command):
    path = tmp_path / "n.db"
    make_network(path)
    damage(path, table)
    before = path.read_bytes()
    line = one_error_line(run(netterm(path, *command)))
    assert line.startswith(f"netterm: error: the database {path} is damaged (")
    assert "restore a backup with `netterm restore PATH`" in line
    assert path.read_bytes() == before


def test_a_truncated_database_is_one_line_and_left_as_it_is(tmp_path):
    path = tmp_path / "n.db"
    make_network(path)
    path.write_bytes(path.read_bytes()[: 12 * 4096])
    before = path.read_bytes()
    line = one_error_line(run(netterm(path, "list")))
    assert "is damaged" in line
    assert path.read_bytes() == before


def test_an_empty_file_becomes_a_new_database(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    assert run(netterm(path, "add", "Ana")).returncode == 0
    assert counts(path)["contact"] == 1


def test_a_folder_or_a_file_in_the_way(tmp_path):
    folder = tmp_path / "adir"
    folder.mkdir()
    assert one_error_line(run(netterm(folder, "list"))) == (
        f"netterm: error: {folder} is a folder, not a database file"
    )
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    line = one_error_line(run(netterm(blocker / "sub" / "n.db", "add", "Ana")))
    assert line.startswith(f"netterm: error: cannot create the folder {blocker / 'sub'}: ")
    assert blocker.read_text() == "x"


def test_a_read_only_database_file(tmp_path):
    path = tmp_path / "n.db"
    make_network(path)
    before = dump(path)
    out = tmp_path / "out.db"
    with read_only(path):
        line = one_error_line(run(netterm(path, "log", "coffee", "ana")))
        # getting the data out still works
        copied = run(netterm(path, "backup", str(out)))
    assert line == (
        f"netterm: error: cannot write to {path}: the file is read-only. Make it writable, "
        "or copy it to a writable place and use --db"
    )
    assert dump(path) == before
    assert copied.returncode == 0, copied.stderr
    assert dump(out) == before


def test_a_read_only_folder(tmp_path):
    """WAL needs to create its -wal and -shm files next to the database: netterm refuses
    up front with what to do, rather than failing halfway. Backups still work."""
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "n.db"
    make_network(path)
    before = dump(path)
    out = tmp_path / "out.db"
    with read_only(folder):
        line = one_error_line(run(netterm(path, "list")))
        copied = run(netterm(path, "backup", str(out)))
    assert line.startswith(f"netterm: error: cannot write in the folder {folder}: it is read-only")
    assert "-wal and -shm" in line
    assert copied.returncode == 0, copied.stderr
    assert dump(out) == before == dump(path)


def limit_file_size(limit: int):
    """For a subprocess: no file may grow past `limit` bytes (a disk that fills up)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def full_disk_run(argv, limit: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        env=env(),
        timeout=60,
        preexec_fn=limit_file_size(limit),
    )


FULL = ("the disk is full", "a disk error stopped netterm writing")


def test_a_full_disk_during_a_bulk_write(tmp_path):
    path = tmp_path / "big.db"
    result = full_disk_run(netterm(path, "demo", "--size", "3000"), 1 << 20)
    line = one_error_line(result)
    assert any(f in line for f in FULL), line
    assert "was not saved" in line
    assert integrity(path) == "ok"
    assert counts(path)["contact"] == 0  # the transaction left nothing behind
    assert run(netterm(path, "add", "Ana")).returncode == 0  # usable once there is room


def test_a_full_disk_during_an_edit(tmp_path):
    path = tmp_path / "n.db"
    make_network(path)
    before = dump(path)
    note = "a long story " * 20_000  # 260 KB: more than the disk has left
    result = full_disk_run(netterm(path, "edit", "ana", "--notes", note[:100_000]), 128 << 10)
    line = one_error_line(result)
    assert any(f in line for f in FULL), line
    assert dump(path) == before
    assert integrity(path) == "ok"


def test_output_cut_short_by_a_pager_is_not_an_error_trace(tmp_path):
    path = tmp_path / "n.db"
    assert run(netterm(path, "demo", "--size", "400")).returncode == 0
    proc = subprocess.Popen(
        netterm(path, "list"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env()
    )
    proc.stdout.readline()  # like `netterm list | head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "Traceback" not in err and err == ""


def test_a_full_database_is_one_line_and_changes_nothing(tmp_path, monkeypatch, capsys):
    """SQLite's own "database or disk is full" (SQLITE_FULL), simulated with a page cap:
    what a full disk gives when the write fails with ENOSPC."""
    from netterm.store import db as store_db

    path = tmp_path / "n.db"
    make_network(path)
    before = dump(path)
    (pages,) = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()
    base = store_db.pragmas
    monkeypatch.setattr(store_db, "pragmas", lambda: (*base(), ("max_page_count", pages + 2)))
    code, _, err = call(capsys, path, "edit", "ana", "--notes", "x" * 50_000)
    assert code == 1
    assert err == (
        f"netterm: error: the disk is full: the change to {path} was not saved. "
        "Free some space and try again\n"
    )
    assert dump(path) == before
