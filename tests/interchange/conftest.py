"""Fixtures for the import/export tests: the fixture files, imports, database snapshots."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PERF = Path(__file__).parent.parent / "perf"


def fixture(name: str) -> Path:
    return FIXTURES / name


def snapshot(path) -> str:
    """Every row of every table, to check that a failed or dry-run import wrote nothing."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def load_script(name: str):
    """A module from tests/perf (not a package), e.g. the LinkedIn export generator."""
    spec = importlib.util.spec_from_file_location(name, PERF / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def gen_linkedin():
    return load_script("gen_linkedin")
