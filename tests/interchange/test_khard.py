"""khard (a real vCard address book) reads netterm's export with names, emails, organisations.

khard comes with the test extras (`pip install -e ".[test]"`); it is not a dependency of
netterm itself. Elsewhere the test runs when a khard is found (`$NETTERM_KHARD`, PATH, or
the venv `python tests/interchange/khard_check.py` creates under tests/perf/.cache/).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_script

from netterm.store import close_database

khard_check = load_script(Path(__file__).parent / "khard_check.py")
KHARD = khard_check.find_khard()


@pytest.mark.skipif(
    KHARD is None,
    reason="khard is not installed; run `python tests/interchange/khard_check.py` once "
    "(it installs khard from PyPI into tests/perf/.cache/) or set NETTERM_KHARD",
)
def test_khard_reads_the_demo_network_export():
    close_database()
    result = khard_check.check(KHARD, size=120)
    assert result.problems == []
    assert result.contacts == 120
