"""Building many lasting objects at once without the garbage collector's full passes.

Reading a network builds a row per contact (30,000 at LinkedIn's cap), each with its
strings and tuples, none of them in a reference cycle. While they pile up, Python's cyclic
collector keeps walking the whole heap (a full pass each time the survivors grew by a
quarter) and finds nothing. At 30,000 contacts that cost `load_network` about a third
of its time and made it grow faster than the network (tests/perf/bench.py). `paused()`
turns automatic collection off for such a block; the first pass after it collects
whatever the block left behind, so nothing is lost.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block (nested blocks and blocks run while
    collection is already off, e.g. during start-up, change nothing)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
