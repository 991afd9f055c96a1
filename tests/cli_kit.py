"""The command line run in this process, as `netterm.cli.main` runs it: shared by the
`run` fixture (tests/conftest.py) and the safety tests (tests/safety/safety_kit.py)."""

from __future__ import annotations

from pathlib import Path


def call(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    """`netterm --db DB ARGS…` in this process: (exit code, out, err).

    Faster than a subprocess, and monkeypatches (short lock waits, test migrations) apply.
    """
    from netterm.cli import main
    from netterm.store import close_database

    code = 0
    try:
        main(["--db", getattr(db, "conninfo", str(db)), *args])  # a URL with its password
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        close_database()
    out, err = capsys.readouterr()
    return code, out, err
