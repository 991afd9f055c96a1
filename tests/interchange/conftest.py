"""Fixtures for the import/export tests: the fixture files, imports, database snapshots."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PERF = Path(__file__).parent.parent / "perf"


def fixture(name: str) -> Path:
    return FIXTURES / name


def snapshot(path) -> bytes:
    """Every row of every table, to check that a failed or dry-run import wrote nothing."""
    from engines import snapshot as dump

    return dump(path)


def load_script(path: Path):
    """A script that is not in a package (tests/perf/gen_linkedin.py …), as a module."""
    name = f"netterm_test_{path.stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def gen_linkedin():
    return load_script(PERF / "gen_linkedin.py")
