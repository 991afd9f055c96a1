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

import gc

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
