"""Start-up without garbage-collector passes.

Starting netterm imports a few hundred modules (Textual, click, pendulum, Peewee, netterm)
and builds the app: a few hundred thousand objects, nearly all of which live as long as
the process. While they pile up, Python's cyclic garbage collector walks them again and
again (a full pass each time the heap has grown by a quarter), finding next to nothing:
about a tenth of the time to the app's first frame (see tests/perf/bench.py and the
README's "Performance"). So `netterm.cli.main` pauses the collector while netterm
starts and `resume()` turns it back on: when the app has painted its first frame, and
when a command starts its work. Nothing is lost meanwhile; cycles made during start-up
are collected by the first pass after it.
"""

from __future__ import annotations

import atexit
import gc
import sys

_paused = False


def pause() -> None:
    """Stop automatic collection (if it is on) until `resume()`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Turn automatic collection back on if `pause()` turned it off; else do nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


_exit_hooked = False


def quick_exit() -> None:
    """Spare the process Python's last garbage collection when it exits.

    When the interpreter shuts down it collects garbage over every object still alive,
    which after netterm's imports is a few hundred thousand of them, to find nothing a
    process about to end needs: ~25 ms added to every `netterm` command, after its
    output (measured on `netterm due`, see tests/perf/bench.py). An atexit hook (it runs
    after everything else the process does) closes the database, as that collection
    would have (the last connection to close checkpoints the write-ahead log and removes
    the -wal and -shm files), then `gc.freeze()` takes every object out of the pass.
    Memory goes back to the system as always, and Python never promised to run the
    finalizers of objects still alive at exit.
    """
    global _exit_hooked
    if not _exit_hooked:
        _exit_hooked = True
        atexit.register(_at_exit)


def _at_exit() -> None:
    db = sys.modules.get("netterm.store.db")  # imported only if a command opened one
    if db is not None:
        db.close_database()
    gc.freeze()
