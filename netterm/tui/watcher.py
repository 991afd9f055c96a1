"""The background watcher: keeps every contact's state, the colours and the counts true.

It recomputes

* at start-up, after the first paint (the first screenful comes from a small query);
* after every change made in the app (`changed(ids)`);
* when another process wrote to the database: the app polls SQLite's
  `PRAGMA data_version` every couple of seconds (`poll()`), so a `netterm log` typed in
  another terminal shows up in the open app; on PostgreSQL it counts the NOTIFY notices
  of other devices' commits instead (store/postgres.py), every half second;
* when the local date rolls over midnight (`poll()` notices the clock's new day).

**Why a thread worker, not an async one.** The work is blocking SQLite calls: the
states of 30,000 contacts take ~70 ms, a full reload ~300 ms. An async worker runs on
the event loop, so each call would freeze the keyboard for that long (there is no
non-blocking SQLite driver in the standard library). A thread worker runs them off the
loop; sqlite3 releases the GIL while it reads, so keystrokes are handled meanwhile. The
thread has its own SQLite connection (Peewee keeps one per thread), reads only, and
talks to the UI only with `post_message`, which is thread-safe.

**One long-lived thread, coalescing.** Triggers only record what is wanted (under a
lock) and set an Event; the thread wakes, takes everything pending at once and does
one recompute. Triggers that arrive during a recompute are folded into the next one,
so a burst of changes never queues a burst of recomputes, and nothing ever waits on
the thread.

Results are diffs against what the UI was last sent: only rows whose state or text
changed travel back, so only those are restyled.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from textual.message import Message

from netterm import collector
from netterm.config import clock
from netterm.services import connection
from netterm.services.rowviews import Counts, NetworkRow
from netterm.tui.model import signature

if TYPE_CHECKING:
    from netterm.services.views import Network

#: How often the app checks for writes by other processes and for a new day (seconds).
POLL_INTERVAL = 2.0
#: On PostgreSQL (another device's writes, announced by NOTIFY): reading the notices
#: already received costs no round trip, and the other device's touch must show in 2 s.
POSTGRES_POLL_INTERVAL = 0.5

#: A row's status as `network.states()` gives it: the head of `model.signature(row)`.
status_of = attrgetter("state", "due", "overdue", "urgency", "flags")


@dataclass(slots=True)
class Recompute:
    """What one recompute found (posted to the app in `Watcher.Changed`)."""

    reason: str  # "start", "change", "external", "new day"
    today: date
    counts: Counts
    rows: list[NetworkRow]  # rows new or changed since the last report
    removed: list[int]  # contacts that are gone
    seconds: float  # how long the recompute took


class Watcher:
    """Owns the recompute thread of one app. Trigger methods are for the UI thread."""

    class Loaded(Message):
        """The whole network, read once after the first paint."""

        def __init__(self, network: Network, seconds: float) -> None:
            super().__init__()
            self.network = network
            self.seconds = seconds

    class Changed(Message):
        """A recompute finished; `result.rows` are the rows to restyle or insert."""

        def __init__(self, result: Recompute) -> None:
            super().__init__()
            self.result = result

    class Failed(Message):
        """A recompute raised; the app shows it and the watcher keeps going."""

        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self, app) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = False
        self._full: str | None = None  # reason of a pending full reload
        self._ids: set[int] = set()
        self._pending_change = False
        self._shown: dict[int, tuple] = {}  # the UI's rows, as signatures
        self._states: dict[int, tuple] = {}  # and their status, as network.states() has it
        self._version: int | None = None
        self._today: date | None = None
        self.worker = None
        self.recomputes = 0  # finished recomputes (tests and the benchmark read these)
        self.last_seconds = 0.0

    # ------------------------------------------------------------------ UI thread
    def start(self) -> None:
        self._version = connection.data_version()
        self._today = clock.today()
        with self._lock:
            self._full = "start"
        self._wake.set()
        self.worker = self.app.run_worker(
            self._run, name="watcher", group="watcher", thread=True, exit_on_error=False
        )

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()
        if self.worker is not None:
            self.worker.cancel()

    def changed(self, ids=()) -> None:
        """The app changed these contacts: recompute everyone's state, resend these."""
        with self._lock:
            self._ids.update(ids)
            self._pending_change = True
        self._wake.set()

    def reload(self, reason: str) -> None:
        with self._lock:
            self._full = self._full or reason
        self._wake.set()

    def poll(self) -> None:
        """Cheap checks on the UI's connection: another process's commit, a new day."""
        if self._stopped or self._version is None:
            return
        try:
            version = connection.data_version()  # a few microseconds; reads no table
        except Exception as exc:  # the file went away or is locked: say so, keep going
            self.app.post_message(self.Failed(exc))
            return
        if version != self._version:
            self._version = version
            self.reload("external")
        today = clock.today()
        if today != self._today:
            self._today = today
            self.reload("new day")

    # ------------------------------------------------------------------ the thread
    def _run(self) -> None:
        try:
            while not self._stopped:
                self._wake.wait(0.5)  # the timeout only to notice a cancelled worker
                if self._stopped or (self.worker is not None and self.worker.is_cancelled):
                    break
                with self._lock:
                    self._wake.clear()
                    full, ids, change = self._full, self._ids, self._pending_change
                    self._full, self._ids, self._pending_change = None, set(), False
                if not (full or change):
                    continue
                try:
                    # a row, a signature and a status per contact, all kept: no full
                    # collector passes over them while they are built (netterm.collector)
                    with collector.paused():
                        if full == "start":
                            self._load()
                        elif full:
                            self._diff_reload(full, ids)
                        else:
                            self._recompute(ids)
                except Exception as exc:  # report, keep watching
                    if not self._stopped:
                        self.app.post_message(self.Failed(exc))
        finally:
            connection.release()  # this thread's own connection

    def _load(self) -> None:
        from netterm.services import network  # (not needed by the first frame)

        started = time.perf_counter()
        net = network.load_network()
        _warm(net.rows)
        self._shown = {r.id: signature(r) for r in net.rows}
        self._states = {r.id: status_of(r) for r in net.rows}
        self._finish(self.Loaded(net, time.perf_counter() - started))

    def _diff_reload(self, reason: str, ids: set[int]) -> None:
        """Another process wrote (or a new day began): read everyone, send what differs."""
        from netterm.services import network  # (not needed by the first frame)

        started = time.perf_counter()
        net = network.load_network()
        changed = []
        fresh: dict[int, tuple] = {}
        for row in net.rows:
            sig = fresh[row.id] = signature(row)
            if self._shown.get(row.id) != sig or row.id in ids:
                changed.append(row)
        removed = [cid for cid in self._shown if cid not in fresh]
        _warm(changed)
        self._shown = fresh
        self._states = {r.id: status_of(r) for r in net.rows}
        result = Recompute(
            reason, net.today, net.counts, changed, removed, time.perf_counter() - started
        )
        self._finish(self.Changed(result))

    def _recompute(self, ids: set[int]) -> None:
        """After a change in the app: every contact's state, and the changed rows."""
        from netterm.services import network, settings  # (not needed by the first frame)

        started = time.perf_counter()
        today = clock.today()
        basis = settings.basis()  # read once: each read is a round trip on PostgreSQL
        states = network.states(today, basis=basis)
        known = self._states
        wanted = set(ids)
        wanted.update(cid for cid, state in states.items() if known.get(cid) != state)
        rows = network.rows_for(wanted, today, basis=basis) if wanted else []
        _warm(rows)
        counts = network.counts_of(states, today, basis=basis)
        shown = self._shown
        removed = sorted((wanted | shown.keys()) - states.keys())
        for row in rows:  # as read now: what the UI will show
            shown[row.id] = signature(row)
            states[row.id] = status_of(row)
        for cid in removed:
            shown.pop(cid, None)
            states.pop(cid, None)
        self._states = states
        result = Recompute("change", today, counts, rows, removed, time.perf_counter() - started)
        self._finish(self.Changed(result))

    def _finish(self, message: Message) -> None:
        result = getattr(message, "result", None)
        self.last_seconds = result.seconds if result else getattr(message, "seconds", 0.0)
        self.recomputes += 1
        if not self._stopped:
            self.app.post_message(message)


def _warm(rows: list[NetworkRow]) -> None:
    """Build the search text the filter reads now, in this thread, not on a keystroke."""
    for row in rows:
        row.haystack  # noqa: B018 - a cached property, computed here on purpose
