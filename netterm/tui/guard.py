"""Errors a user can run into while the app runs become a notification, not a crash.

A contact deleted by another process a moment ago, a database file locked for longer
than the busy timeout: the service call raised, its transaction rolled back, nothing
was half written. The key that triggered it says so in a notification and the app goes
on. (Textual ends the app on any exception that leaves a handler, so the actions that
write catch these themselves, with `@recoverable`.) Anything else is a bug and still
ends the app with its traceback.
"""

from __future__ import annotations

import functools

from netterm.services import connection


def recoverable_errors() -> tuple[type[BaseException], ...]:
    """The errors a user can run into (`services.connection.store_errors()`). Asked for
    when one is raised: the store is not imported before the app's first frame."""
    return connection.store_errors()


def recoverable(method):
    """Decorate a widget's (or the app's) method: recoverable errors are notified."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except recoverable_errors() as exc:
            self.app.notify(str(exc), title="That did not work", severity="error", markup=False)
            return None

    return guarded
