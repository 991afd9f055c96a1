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


@pytest.fixture
def demo_db(demo_template, tmp_path):
    """A private copy of the demo network, open."""
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
