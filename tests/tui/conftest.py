"""Fixtures for the app's tests: the demo network on a frozen day, and a ready app."""

from __future__ import annotations

import shutil

import pytest

from netterm.config import clock
from netterm.store import close_database, open_database
from tests.audit.conftest import net  # noqa: F401 - the audit's network, walked in the app
from tests.conftest import NOW, TZ


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo network (250 contacts) generated once, on the frozen day."""
    from netterm.services.demo import ensure_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NETTERM_TZ", TZ)
        with clock.freeze(NOW):
            try:
                ensure_demo(path)
            finally:
                close_database()  # checkpoints the WAL into the file we copy
    return path


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster, demo_template):
    """The demo network copied once into a PostgreSQL database: each test's network is
    a copy of it (CREATE DATABASE … TEMPLATE)."""
    from netterm.store import transfer
    from netterm.store.db import NettermDatabase
    from netterm.store.location import PostgresURL

    name = pg_cluster.create_database()
    dst = open_database(PostgresURL(pg_cluster.url(name)))
    src = NettermDatabase(demo_template)
    try:
        transfer.copy_network(src, dst)
    finally:
        src.close()
        close_database()  # a template has no connection
    return name


@pytest.fixture
def demo_db(demo_template, tmp_path, request):
    """A private copy of the demo network, open: an SQLite file, or (a test marked
    `both_engines`, see tests/conftest.py) a PostgreSQL database's URL too."""
    if getattr(request, "param", "sqlite") == "postgres":
        from netterm.store.location import PostgresURL

        cluster = request.getfixturevalue("pg_cluster")
        name = cluster.create_database(template=request.getfixturevalue("pg_demo_template"))
        url = PostgresURL(cluster.url(name))
        open_database(url)
        yield url
        close_database()
        cluster.drop_database(name)
        return
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    open_database(path)
    yield path
    close_database()


@pytest.fixture
def empty_db(tmp_path):
    path = tmp_path / "empty.db"
    open_database(path)
    yield path
    close_database()
