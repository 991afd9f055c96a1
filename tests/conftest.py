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
    # nor their config file (keys, theme): a theme changed in a test is saved here
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("NETTERM_CONFIG", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    clock.set(NOW)
    yield
    clock.set(None)


# ------------------------------------------------------------------ engines
#
# Every test that uses the `db` or `run` fixture (or asks for `engine` or `db_target`)
# runs twice: on an SQLite file and on a database of a throwaway PostgreSQL cluster
# (tests/pgserver.py), started once per test session. A test about SQLite files
# (pragmas, the file's permissions, the backup API) is marked `sqlite_only`.
#
# Without PostgreSQL's binaries (or psycopg) the PostgreSQL runs are skipped, unless
# NETTERM_REQUIRE_POSTGRES=1 (CI: .ci/run), which makes them fail instead.

ENGINES = ("sqlite", "postgres")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite files; not run on PostgreSQL (give the reason)"
    )
    config.addinivalue_line(
        "markers",
        "both_engines: a storage test in a folder not in BOTH_ENGINES that runs on "
        "PostgreSQL too (the app's flows, crashes, concurrency, migrations)",
    )


#: Test folders whose storage tests all run on both engines. In the others (the app's
#: tests, the safety tests: slower, and many about SQLite files) a test, class or module
#: marked `both_engines` does.
BOTH_ENGINES = ("unit", "cli", "audit", "interchange")


def pytest_generate_tests(metafunc):
    only = metafunc.definition.get_closest_marker("sqlite_only")
    marked = metafunc.definition.get_closest_marker("both_engines")
    folder = metafunc.definition.path.parent.name
    both = not only and (folder in BOTH_ENGINES or marked is not None)
    if "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", ENGINES if both else ENGINES[:1], indirect=True)
    elif both and "demo_db" in metafunc.fixturenames:
        # the app's demo network (tests/tui/conftest.py) on each engine
        metafunc.parametrize("demo_db", ENGINES, indirect=True)


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL cluster, or a skip (a failure under CI) saying why."""
    import os

    from pgserver import Cluster, find_bindir

    required = os.environ.get("NETTERM_REQUIRE_POSTGRES") == "1"
    why = None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        why = 'psycopg is not installed (pip install -e ".[test]")'
    bindir = find_bindir()
    if why is None and bindir is None:
        why = "no PostgreSQL binaries (initdb, pg_ctl) on this machine"
    if why:
        if required:
            pytest.fail(f"PostgreSQL tests required (NETTERM_REQUIRE_POSTGRES=1): {why}")
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def engine(request):
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_target(engine, tmp_path, request):
    """Where this test's network lives: a fresh SQLite path, or a fresh PostgreSQL
    database's URL (a `PostgresURL`); dropped after the test."""
    if engine == "sqlite":
        yield tmp_path / "netterm.db"
        return
    from netterm.store import close_database
    from netterm.store.location import PostgresURL

    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database()
    yield PostgresURL(cluster.url(name))
    close_database()
    _TO_DROP.append((cluster, name))  # after every fixture's teardown (some still read)


_TO_DROP: list = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _TO_DROP:
            from netterm.store import close_database

            close_database()
            while _TO_DROP:
                cluster, name = _TO_DROP.pop()
                cluster.drop_database(name)


@pytest.fixture
def db(db_target):
    from netterm.store import close_database, open_database

    open_database(db_target)
    yield db_target
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
def run(db_target, capsys, monkeypatch):
    """run("add", "Ana") → (exit code, stdout, stderr) of the command line on a per-test
    database (`run.path`, a file or a PostgreSQL URL); `stdin="y\\n"` answers its prompts."""
    import io

    from cli_kit import call

    path = db_target

    def invoke(*args: str, stdin: str | None = None):
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return call(capsys, path, *args)

    invoke.path = path
    return invoke
