"""Privacy: every file netterm writes about people is readable by its owner only, and
netterm never opens a network connection."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import signal
import stat
import sys
import time
from pathlib import Path

import pytest
from safety_kit import env, make_network, netterm, python, run

from netterm.cli import cli

NONET = Path(__file__).parent / "nonet"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(params=[0o022, 0o002, 0o000], ids=lambda u: f"umask{u:03o}")
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_database_journal_backups_and_copies_are_private(tmp_path, umask, monkeypatch):
    import peewee as pw
    from playhouse.migrate import migrate

    from netterm import services
    from netterm.store import backup as ops
    from netterm.store import close_database, migrations, open_database
    from netterm.store.migrations import Migration
    from netterm.store.models import database

    path = tmp_path / "new" / "folder" / "netterm.db"
    open_database(path)
    services.add_contact("Ana Silva", tier=1)
    wal, shm = (path.with_name(path.name + s) for s in ("-wal", "-shm"))
    assert wal.exists() and shm.exists()  # while open
    seen = {
        "db": mode(path),
        "wal": mode(wal),
        "shm": mode(shm),
        "folder": mode(path.parent),
        "parent folder": mode(path.parent.parent),
    }
    made = ops.backup(path)  # while the database is open
    seen["backups folder"] = mode(made.path.parent)
    seen["backup"] = mode(made.path)
    seen["backup to a file"] = mode(ops.backup(path, tmp_path / "mine.db").path)
    database.execute_sql("SELECT 1")
    close_database()
    restored = ops.restore(path, made.path)
    seen["replaced copy"] = mode(restored.kept)
    seen["db after restore"] = mode(path)

    def add_column(migrator, db):
        migrate(migrator.add_column("contact", "nickname", pw.TextField(default="")))

    future = migrations.SCHEMA_VERSION + 1
    monkeypatch.setitem(migrations.MIGRATIONS, future, Migration("nick", add_column))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", future)
    open_database(path)
    close_database()
    [before_upgrade] = path.parent.glob("netterm-before-upgrade-*")
    seen["before-upgrade copy"] = mode(before_upgrade)
    folders = ("folder", "parent folder", "backups folder")
    assert seen == {k: 0o700 if k in folders else 0o600 for k in seen}


def test_a_new_database_from_the_command_line_is_private(tmp_path):
    path = tmp_path / "cli" / "n.db"
    result = run(netterm(path, "add", "Ana"), preexec_fn=lambda: os.umask(0))
    assert result.returncode == 0, result.stderr
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)
    result = run(netterm(path, "backup"), preexec_fn=lambda: os.umask(0))
    assert result.returncode == 0
    [copy] = (path.parent / "backups").iterdir()
    assert mode(copy) == 0o600 and mode(copy.parent) == 0o700


def test_exports_are_private(tmp_path):
    """Exports hold other people's data: files 0600 and folders 0700, whatever the umask."""
    path = tmp_path / "n.db"
    umask0 = {"preexec_fn": lambda: os.umask(0)}
    assert run(netterm(path, "demo", "--size", "20"), **umask0).returncode == 0
    out = tmp_path / "exports"
    out.mkdir()
    for fmt in ("json", "csv", "vcard", "ics"):
        target = out / f"network.{fmt}"
        result = run(netterm(path, "export", fmt, "-o", str(target)), **umask0)
        assert result.returncode == 0, result.stderr
        assert mode(target) == 0o600, fmt
    vdir = tmp_path / "vdir" / "netterm"
    result = run(netterm(path, "export", "vcard", "--vdir", str(vdir)), **umask0)
    assert result.returncode == 0, result.stderr
    cards = list(vdir.iterdir())
    assert cards and {mode(c) for c in cards} == {0o600}
    assert mode(vdir) == 0o700


# --------------------------------------------------------------------------- no network


def offline(tmp_path) -> tuple[dict[str, str], Path]:
    log = tmp_path / "network-attempts.log"
    path = os.pathsep.join(p for p in (str(NONET), os.environ.get("PYTHONPATH", "")) if p)
    return env(PYTHONPATH=path, NETTERM_NONET_LOG=str(log)), log


def attempts(log: Path) -> str:
    return log.read_text() if log.exists() else ""


def test_the_network_guard_really_blocks(tmp_path):
    """The control: the guard refuses and records a connection, a lookup and a socket."""
    environ, log = offline(tmp_path)
    code = (
        "import socket, urllib.request\n"
        "for f in (lambda: socket.create_connection(('127.0.0.1', 9)),\n"
        "          lambda: urllib.request.urlopen('http://example.com', timeout=1),\n"
        "          lambda: socket.socket().connect(('127.0.0.1', 9))):\n"
        "    try: f()\n"
        "    except OSError as e: print('refused', e)\n"
        "a, b = socket.socketpair(); a.close(); b.close(); print('local ok')\n"
    )
    result = run(python(code), env=environ)
    assert result.stdout.count("refused") == 3 and "local ok" in result.stdout
    assert [line.split()[0] for line in attempts(log).splitlines()] == [
        "create_connection",
        "create_connection",  # urllib's, through http.client
        "socket",
    ]


#: Every command, run under the network guard. A command added later must get a line
#: here (test_every_command_runs_offline says so).
OFFLINE_RUNS: list[tuple[str, ...]] = [
    ("add", "Zed Offline", "--tier", "1", "--email", "zed@example.com", "--website", "zed.dev"),
    (
        "edit",
        "zed",
        "--title",
        "CTO",
        "--company",
        "Globex",
        "--new-job",
        "--linkedin",
        "zed-offline",
    ),
    ("log", "coffee", "zed", "--when", "yesterday", "--note", "http://example.com"),
    ("log", "email", "zed", "--awaiting-reply"),
    ("reply", "zed"),
    ("due",),
    ("due", "--json"),
    ("list", "globex"),
    ("show", "zed"),
    ("touch", "edit", "1", "--note", "edited offline"),
    ("touch", "rm", "2", "--yes"),
    ("tier", "zed", "2"),
    ("pause", "zed", "--until", "in 2 weeks"),
    ("resume", "zed"),
    ("follow-up", "zed", "next friday", "send the deck"),
    ("follow-ups", "--all"),
    ("done", "1"),
    ("categories",),
    ("edit", "zed", "--looking-for", "a staff engineer"),
    ("matches", "zed"),
    ("matches", "zed", "--json"),
    ("add", "Yan Offline", "--title", "Staff Engineer"),
    ("intro", "zed", "yan", "--dry-run"),
    ("intro", "zed", "yan", "--note", "offline"),
    ("bulk", "globex", "tier", "3", "--dry-run"),
    ("bulk", "globex", "category", "offline"),
    ("bulk", "globex", "emails", "-o", "{dir}/offline-bcc.txt"),
    ("stats",),
    ("stats", "--json"),
    ("settings",),
    ("settings", "policy.cadence_tier1", "60"),
    ("archive", "zed"),
    ("unarchive", "zed"),
    ("archive", "zed"),
    ("purge", "zed", "--yes"),
    ("backup", "{dir}/offline-backup.db"),
    ("restore", "{dir}/offline-backup.db", "--yes"),
    ("restore",),
    ("db", "copy", "{dir}/offline-backup.db", "{dir}/offline-copy.db"),
    ("add", "Yan One", "--email", "yan@example.com"),
    ("add", "Yan Two", "--email", "yan@example.com"),
    ("duplicates",),
    ("merge", "yan two", "yan one", "--yes"),
    ("audit", "--status"),
    ("export", "json", "-o", "{dir}/offline.json"),
    ("export", "vcard", "--vdir", "{dir}/offline-vdir"),
    ("export", "csv", "-o", "{dir}/offline.csv"),
    ("export", "ics", "-o", "{dir}/offline.ics"),
    ("import", "json", "{dir}/offline.json", "--dry-run"),
    ("import", "vcard", "{dir}/offline-vdir"),
    ("demo", "--size", "30"),  # on a database of its own
]

RUNNER = """
import contextlib, io, json, sys
from netterm.cli import main
from netterm.store import close_database

db, demo_db, runs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
report = []
for args in runs:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["--db", demo_db if args[0] == "demo" else db, *args])
        except SystemExit as exc:
            code = exc.code or 0
        finally:
            close_database()
    report.append([args[0], code, err.getvalue()])
print(json.dumps(report))
"""


def test_every_command_runs_offline(tmp_path):
    """Each command, in a Python where any network use fails and is recorded."""
    environ, log = offline(tmp_path)
    runs = [[a.replace("{dir}", str(tmp_path)) for a in args] for args in OFFLINE_RUNS]
    result = run(
        python(RUNNER, tmp_path / "offline.db", tmp_path / "demo.db", json.dumps(runs)),
        env=environ,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report) == len(runs)
    created = f"Created a new network at {tmp_path / 'offline.db'}\n"
    assert report[0] == ["add", 0, created]  # the first command creates the database
    assert [(name, code, err) for name, code, err in report[1:] if code or err] == []
    assert attempts(log) == ""
    covered = {args[0] for args in OFFLINE_RUNS}
    missing = sorted(set(cli.commands) - covered)
    assert not missing, (
        f"new commands {missing}: add a run of each to OFFLINE_RUNS in {__file__}, so they "
        "are shown to work without the network"
    )


def run_in_a_terminal(argv, environ, keys: bytes = b"q", wait: float = 25.0):
    """Run `argv` on a pseudo-terminal (80x24), type `keys` once it has drawn, wait for it.

    Returns (exit code, everything it wrote). This is how `netterm` alone (the app) runs.
    """
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the program
        try:
            os.execve(argv[0], argv, {**environ, "TERM": "xterm-256color", "COLUMNS": "80"})
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    output = bytearray()
    deadline = time.monotonic() + wait
    typed_at = None
    status = None
    try:
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                with contextlib.suppress(OSError):  # the child closed the terminal
                    output += os.read(fd, 65536)
            drawn = len(output) > 200
            if typed_at is None and drawn and time.monotonic() - (deadline - wait) > 1.5:
                os.write(fd, keys)
                typed_at = time.monotonic()
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(
                f"{argv[3:]} did not quit after {keys!r}: {bytes(output[-500:])!r}"
            )
    finally:
        os.close(fd)
    return os.waitstatus_to_exitcode(status), bytes(output)


def test_the_app_opens_and_quits_without_the_network(tmp_path):
    """`netterm` alone opens the app in a real terminal; `q` quits. Where this build has no
    app, the command says so and exits: the test then covers that path, and covers the
    app as soon as it is part of the build."""
    environ, log = offline(tmp_path)
    db = tmp_path / "app.db"
    make_network(db)
    code, output = run_in_a_terminal([sys.executable, "-m", "netterm", "--db", str(db)], environ)
    assert code == 0, output[-2000:]
    assert b"Traceback" not in output
    assert attempts(log) == ""
