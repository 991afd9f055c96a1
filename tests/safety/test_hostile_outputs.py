"""Where netterm writes: devices, FIFOs, `-`, symlinks, a full standard output, and the
permissions of every file and folder it makes or finds (0600 / 0700, whatever the umask).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from safety_kit import call, dump, env, make_network, netterm, one_error_line, run

FORMATS = ("json", "csv", "vcard", "ics")


@pytest.fixture
def net(tmp_path):
    path = tmp_path / "n.db"
    make_network(path)
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)


# --------------------------------------------------------------------------- special targets


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_dev_full_is_one_line_and_leaves_the_device(capsys, net, fmt):
    before = os.stat("/dev/full")
    code, out, err = call(capsys, net, "export", fmt, "-o", "/dev/full")
    assert code == 1 and out == ""
    assert err == "netterm: error: /dev/full: cannot write it (No space left on device)\n"
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_dev_null_writes_into_it(capsys, net, fmt):
    code, _, err = call(capsys, net, "export", fmt, "-o", "/dev/null")
    assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_dash_and_dev_stdout_is_standard_output(net, tmp_path):
    out = tmp_path / "out.csv"
    with open(out, "w") as fh:
        for target in ("-", "/dev/stdout"):
            result = subprocess.run(
                netterm(net, "export", "csv", "-o", target),
                stdout=fh,
                stderr=subprocess.PIPE,
                text=True,
                env=env(),
                timeout=60,
            )
            assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert text.count("Ana Silva") == 2  # appended, not overwritten or replaced
    assert not (tmp_path / "-").exists()


def test_export_into_a_fifo_writes_into_it(capsys, net, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, err = call(capsys, net, "export", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert code == 0, err
    assert b'"Silva"' in got[0]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_through_a_symlink_replaces_its_target_not_the_link(capsys, net, tmp_path):
    target = tmp_path / "real" / "network.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    code, _, err = call(capsys, net, "export", "json", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert '"Silva"' in target.read_text() and mode(target) == 0o600
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


def test_export_to_a_folder_is_refused(capsys, net, tmp_path):
    code, _, err = call(capsys, net, "export", "json", "-o", str(tmp_path))
    assert code == 1 and err == f"netterm: error: {tmp_path}: is a folder; give a file name\n"


# --------------------------------------------------------------------------- standard output


@pytest.mark.parametrize("args", [("list",), ("due",), ("show", "ana"), ("export", "json")])
def test_a_full_standard_output_is_named_not_the_database(net, args):
    before = dump(net)
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            netterm(net, *args),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
            timeout=60,
        )
    line = one_error_line(result)
    assert line == "netterm: error: cannot write to standard output (No space left on device)"
    assert dump(net) == before


# --------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("start", [0o644, 0o666, 0o640, 0o604])
def test_a_database_readable_by_others_is_made_private_with_one_warning(net, start):
    os.chmod(net, start)
    result = run(netterm(net, "due"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"netterm: warning: {net} was readable by other users (mode {start:04o}); it holds "
        "other people's personal data, so netterm made it private (0600)\n"
    )
    assert mode(net) == 0o600
    again = run(netterm(net, "due"))
    assert again.returncode == 0 and again.stderr == ""  # once


def test_an_empty_world_readable_file_becomes_a_private_database(tmp_path):
    path = tmp_path / "empty.db"
    path.touch(mode=0o666)
    os.chmod(path, 0o666)
    result = run(netterm(path, "add", "Ana"))
    assert result.returncode == 0, result.stderr
    assert mode(path) == 0o600
    for side in ("-wal", "-shm"):
        p = path.with_name(path.name + side)
        assert not p.exists() or mode(p) == 0o600


def _umask_000(argv):
    code = (
        "import os, sys, runpy; os.umask(0); sys.argv = ['netterm', *sys.argv[1:]]; "
        "runpy.run_module('netterm', run_name='__main__')"
    )
    return [sys.executable, "-c", code, *argv[3:]]


def test_every_folder_and_file_is_private_under_umask_000(net, tmp_path):
    vdir = tmp_path / "a" / "b" / "c"
    result = run(_umask_000(netterm(net, "export", "vcard", "--vdir", str(vdir))))
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", vdir):
        assert mode(folder) == 0o700, folder
    assert all(mode(p) == 0o600 for p in vdir.iterdir())
    result = run(_umask_000(netterm(net, "backup")))
    assert result.returncode == 0, result.stderr
    backups = net.parent / "backups"
    assert mode(backups) == 0o700 and all(mode(p) == 0o600 for p in backups.iterdir())
    fresh = tmp_path / "new" / "deep" / "n.db"
    result = run(_umask_000(netterm(fresh, "add", "Ana")))
    assert result.returncode == 0, result.stderr
    assert mode(fresh) == 0o600 and mode(fresh.parent) == 0o700
    assert mode(fresh.parent.parent) == 0o700


def test_backing_up_a_read_only_database_leaves_no_read_only_journal(net, tmp_path):
    os.chmod(net, 0o400)
    try:
        result = run(netterm(net, "backup", str(tmp_path / "copy.db")))
        assert result.returncode == 0, result.stderr
        for side in ("-wal", "-shm"):
            assert not net.with_name(net.name + side).exists()
    finally:
        os.chmod(net, 0o600)
    result = run(netterm(net, "add", "Zé"))
    assert result.returncode == 0, result.stderr


def test_db_dev_null_is_refused_and_leaves_no_journal(tmp_path):
    result = run(netterm(Path("/dev/null"), "add", "Ana"))
    line = one_error_line(result)
    assert line == (
        "netterm: error: /dev/null is a character device, not a database file; "
        "netterm uses only regular files"
    )
    assert "disk" not in line
    assert not Path("/dev/null-journal").exists() and not Path("/dev/null-wal").exists()
