"""A throwaway PostgreSQL cluster for the tests: a temporary folder, a free port.

`Cluster.start()` runs `initdb` and `pg_ctl start` from the PostgreSQL binaries found on
this machine (`NETTERM_PG_BINDIR`, `pg_config --bindir`, or Debian's
/usr/lib/postgresql/N/bin, newest first). PostgreSQL refuses to run as root: when the
tests run as root, the cluster runs as the `postgres` system user (`runuser`), in a
folder handed to it. The server listens on 127.0.0.1 (the benchmark measures over the
loopback) and on a socket in its folder, trusts local connections, and skips fsync:
it is thrown away at the end (`stop()` removes the folder).

Each test gets its own database (`create_database`), dropped after it.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "netterm"


def find_bindir() -> Path | None:
    explicit = os.environ.get("NETTERM_PG_BINDIR")
    candidates = [explicit] if explicit else []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(
                subprocess.run(
                    [pg_config, "--bindir"], capture_output=True, text=True, check=True
                ).stdout.strip()
            )
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    )
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="netterm-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user: str | None = None
        if os.geteuid() == 0:
            self.as_user = "postgres"
            pw_entry = pwd.getpwnam(self.as_user)
            os.chown(self.folder, pw_entry.pw_uid, pw_entry.pw_gid)
        self._names = itertools.count(1)
        self._admin = None

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            log = self.folder / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}{done.stderr}{tail}")

    def start(self) -> Cluster:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C.UTF-8",
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )
        return self

    def stop(self) -> None:
        self.stopped = True
        if self._admin is not None:
            self._admin.close()
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, dbname: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def admin(self):
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
        return self._admin

    def create_database(self, template: str | None = None) -> str:
        """A new database (a copy of `template`, a database nobody is connected to)."""
        name = f"t{os.getpid()}_{next(self._names)}"
        like = f' TEMPLATE "{template}"' if template else ""
        self.admin().execute(f'CREATE DATABASE "{name}"{like} STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        if getattr(self, "stopped", False):
            return  # the whole cluster is gone already
        self.admin().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
