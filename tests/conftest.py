"""Shared fixtures: a frozen clock in a fixed timezone, and a fresh database per test."""

from __future__ import annotations

import pendulum
import pytest

from netterm.config import clock

TZ = "Europe/Lisbon"
#: "Today" for every test unless a test moves it: Thursday 26 November 2026, noon.
NOW = pendulum.datetime(2026, 11, 26, 12, 0, tz=TZ)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test reads the user's real data folder, timezone or clock."""
    monkeypatch.setenv("NETTERM_TZ", TZ)
    monkeypatch.delenv("NETTERM_DB", raising=False)
    monkeypatch.delenv("NETTERM_NOW", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    clock.set(NOW)
    yield
    clock.set(None)


@pytest.fixture
def db(tmp_path):
    from netterm.store import close_database, open_database

    path = tmp_path / "netterm.db"
    open_database(path)
    yield path
    close_database()


@pytest.fixture
def travel():
    """Move the frozen clock: travel(days=3) or travel(to=pendulum.datetime(...))."""

    def move(days: int = 0, to: pendulum.DateTime | None = None) -> pendulum.DateTime:
        target = to if to is not None else clock.now().add(days=days)
        clock.set(target)
        return target

    return move


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    """run("add", "Ana") → (exit code, stdout, stderr) of the command line on a per-test
    database (`run.path`); `stdin="y\\n"` answers its prompts."""
    import io

    from cli_kit import call

    path = tmp_path / "cli.db"

    def invoke(*args: str, stdin: str | None = None):
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return call(capsys, path, *args)

    invoke.path = path
    return invoke
