"""What the Insights screen shows, read and kept without its charts library.

This module imports neither Textual widgets nor textual-plotext: `App.open_screen`
starts reading the figures here (`prepare`) before it imports the screen's module,
whose charts library takes tens of milliseconds to import; the read (the SQL passes,
mostly GIL-free inside SQLite) overlaps that import and the screen's compose and mount.

The figures, the charts built from them and the screen itself are kept per app while
nothing changed (docs/insights.md, "How the screen loads").
"""

from __future__ import annotations

import threading
import weakref

from netterm.core import insights as fig
from netterm.tui.guard import recoverable_errors

#: The name the last Insights screen is kept under (App.install_screen) between opens.
KEPT = "insights"


class Prefetch:
    """The figures read on a thread of its own, from before the screen is made until
    its worker asks for them (`result()`)."""

    def __init__(self, app, sort: str) -> None:
        self.app = app
        self.sort = sort
        self.data = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="insights-early", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from netterm.services import connection

        try:
            warming = _WARM.get(self.app)
            if warming is not None:  # the same read, begun in the background: wait for it
                warming.join()
            self.data = _cached(self.app, self.sort) or _read(self.app, self.sort)
        except BaseException as exc:  # re-raised by result(), on the worker
            self.error = exc
        finally:
            connection.release()

    def result(self):
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.data


#: app → {"key": what the figures were read from, "data": the figures, "renders": the
#: charts built from them}. Reopening the screen with nothing changed shows them again
#: without reading or drawing anything; any write the app makes or sees (its
#: `generation`), a new day, the settings or a finished audit makes them stale.
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: app → the read `prepare` began for the screen about to be made.
_EARLY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: app → the background read `warm` began (a thread), while it runs or after.
_WARM: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _key(app) -> tuple:
    from netterm.config import clock
    from netterm.services import insights, settings

    return (
        getattr(app, "generation", None),
        clock.today(),
        repr(settings.get_policy()),
        insights.audit_day(),
        settings.last_finished_audit_on(),
    )


def _cached(app, sort: str):
    cache = _CACHE.get(app)
    if cache is None or cache["key"] != _key(app):
        return None
    data = cache["data"]
    data.categories = fig.sort_categories(data.categories, sort)
    return data


def _read(app, sort: str):
    from netterm.services import insights

    key = _key(app)
    data = insights.load(before=False, sort=sort)
    _CACHE[app] = {"key": key, "data": data, "renders": {}}
    return data


def still_holds(app, screen) -> bool:
    """The kept `screen` shows the kept figures, and nothing changed since they were read."""
    cache = _CACHE.get(app)
    try:
        return bool(
            screen.loaded
            and cache is not None
            and cache["data"] is screen.data
            and cache["key"] == _key(app)
        )
    except recoverable_errors():
        return False


def refillable(app, screen) -> bool:
    """The kept `screen` shows figures that changed since, and the new ones are read
    already (`warm`): it can show them instead of a new screen being made."""
    cache = _CACHE.get(app)
    try:
        return bool(screen.loaded and cache is not None and cache["key"] == _key(app))
    except recoverable_errors():
        return False


def prepare(app) -> None:
    """Begin reading the figures for an Insights screen about to be made, unless the
    kept one will be shown again (`InsightsScreen.reuse`)."""
    if app.is_screen_installed(KEPT):
        screen = app.get_screen(KEPT)
        if screen not in app.screen_stack and (still_holds(app, screen) or refillable(app, screen)):
            return
    _EARLY[app] = Prefetch(app, "ok")


def take(app) -> Prefetch | None:
    """The read `prepare` began, for the screen being made (once)."""
    return _EARLY.pop(app, None)


def warm(app) -> bool:
    """Read the figures in the background, before anyone asks, unless they are read
    already for the app's current generation or a read is under way; and import the
    screen's charts library meanwhile. Called by the app once it has been idle a
    moment after loading the network or after a write (App._warm_insights), so that
    `i` finds the figures ready. Returns whether it began a read."""
    running = _WARM.get(app)
    if running is not None and running.is_alive():
        return False
    cache = _CACHE.get(app)
    if cache is not None and cache["key"][0] == getattr(app, "generation", None):
        return False  # read since the last change (the rest of the key: at the open)
    thread = threading.Thread(target=_warm, args=(app,), name="insights-warm", daemon=True)
    _WARM[app] = thread
    thread.start()
    return True


def _warm(app) -> None:
    from netterm.services import connection

    try:
        if _cached(app, "ok") is None:
            _read(app, "ok")
        import netterm.tui.screens.insights  # noqa: F401  (textual-plotext: ~100 ms)
    except Exception:  # the open reads them again and tells what failed
        pass
    finally:
        connection.release()
