"""The app's side of the benchmark (tests/perf/bench.py runs these, each in a new process).

    python tests/perf/bench_tui.py paint bare [START]
    python tests/perf/bench_tui.py paint netterm DB [START]
    python tests/perf/bench_tui.py session DB [RUNS]
    python tests/perf/bench_tui.py insights DB [RUNS] [START]

Each prints one JSON object on stdout. What they measure, on a 120×40 headless terminal:

* **paint**: cold start to the first painted frame, for `netterm --db DB` (its real entry
  point: the command line, the first-page query, the app) and for a bare Textual app
  (Header + DataTable + Footer, no data), both under `App.run_test`. START is the
  parent's `time.time()` just before it spawned the process, so the figure includes the
  interpreter's start and every import. "Painted" is Textual's `Ready` event, which the
  screen posts right after its first frame is composed (every visible line rendered);
  netterm's first frame already holds the most urgent rows (`rows` says how many). For
  netterm also: when the watcher's full load of the network arrived.
* **session**: the app on DB, once the whole network is loaded: the latency of single
  keystrokes, from the key event to the last frame it caused (the app idle again; a
  frame can wait up to ~17 ms for its slot, Textual paints at most 60 frames a second,
  and that wait is included): cursor one row (j/k), one page (pgdn/pgup), each filter
  keystroke (typing "ana silva acme", then erasing it), opening the detail. Then the
  watcher: a full state recompute after a change (every contact's state, the diff
  against the screen, the counts), a reload after another process wrote, and cursor
  moves made while reloads run back to back. Last, the process's peak resident memory.
* **insights**: `netterm --db DB` started cold (its list's first paint, timed as in
  `paint`, in the same process and run), then, once the network is loaded and the list
  has been looked at for LOOKS seconds, `i` opens the Insights screen for the first time
  in the session (the headline figure): from the key to the last frame of the screen
  with every chart drawn, and to the comparison with the last audit (a second worker,
  after the screen is shown). Then `esc`, `i` again RUNS - 1 times with nothing changed
  (the kept screen), then a touch is logged in the list as `l` does, and after LOOKS
  seconds `i` opens the screen once more ("after a write": the figures changed).
"""

from __future__ import annotations

import asyncio
import sys
import time

SIZE = (120, 40)


def _ready_hook(stamp: dict):
    from textual import events

    def hook(message) -> None:
        if isinstance(message, events.Ready) and "ready" not in stamp:
            stamp["ready"] = time.time()
            stamp["cpu"] = time.process_time()

    return hook


# --------------------------------------------------------------------------- paint


def paint_bare(start: float) -> dict:
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Bare(App):
        def compose(self):
            yield Header()
            yield DataTable()
            yield Footer()

    stamp: dict = {}

    async def main() -> None:
        app = Bare()
        async with app.run_test(size=SIZE, message_hook=_ready_hook(stamp)) as pilot:
            while "ready" not in stamp:
                await pilot.pause(0.001)

    asyncio.run(main())
    return {"paint": stamp["ready"] - start, "cpu": stamp["cpu"]}


def paint_netterm(db: str, start: float) -> dict:
    import netterm.tui.app as tui_app

    stamp: dict = {}

    def run(path, screen=None, **how) -> None:
        # what netterm.tui.app.run does, under run_test: the same app, the same first page
        app = tui_app.build(path, screen, lines=SIZE[1], **how)

        async def main() -> None:
            async with app.run_test(size=SIZE, message_hook=_ready_hook(stamp)) as pilot:
                while "ready" not in stamp:
                    await pilot.pause(0.001)
                stamp["rows"] = len(app.screen.table.rows)
                while not app.loaded:
                    await pilot.pause(0.005)
                stamp["loaded"] = time.time()

        asyncio.run(main())

    tui_app.run = run
    from netterm.cli import main

    try:
        main(["--db", db])
    except SystemExit as exc:
        if exc.code:
            raise
    return {
        "paint": stamp["ready"] - start,
        "cpu": stamp["cpu"],
        "loaded": stamp["loaded"] - start,
        "rows": stamp["rows"],
    }


# --------------------------------------------------------------------------- session


async def _settle(app, since: float, quiet: float = 0.03) -> float:
    """Wait until the app has been quiet (no frame, no message) for `quiet` seconds;
    return the time of the last frame painted after `since`."""
    last = since
    while True:
        await asyncio.sleep(0.002)
        frame = app._bench_last_frame
        if frame > last:
            last = frame
        busy = any(not pump._message_queue.empty() for pump in _pumps(app))
        if not busy and time.perf_counter() - max(last, since) > quiet:
            return last


def _pumps(app):
    yield app
    yield app.screen
    yield from app.screen.walk_children()


async def _press(app, key: str, char: str | None) -> float:
    """Seconds from a key event to the last frame it caused."""
    from textual import events

    started = time.perf_counter()
    app._bench_last_frame = 0.0
    app._driver.send_message(events.Key(key, char))
    last = await _settle(app, started)
    return last - started


def _instrument(app) -> None:
    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None:
            app._bench_last_frame = time.perf_counter()

    app._bench_last_frame = 0.0
    app._display = display


async def _recomputes(watcher, trigger, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = watcher.recomputes
        trigger()
        while watcher.recomputes == start:
            await asyncio.sleep(0.002)
        seconds.append(watcher.last_seconds)
        await asyncio.sleep(0.05)
    return seconds


def session(db: str, runs: int) -> dict:
    from netterm.store import open_database
    from netterm.tui.app import build

    open_database(db)
    out: dict[str, list[float]] = {}

    async def body(app) -> None:
        row, page = [], []
        for _ in range(runs):
            for key in ("j",) * 5 + ("k",) * 5:
                row.append(await _press(app, key, key))
            for key in ("pagedown", "pagedown", "pageup", "pageup"):
                page.append(await _press(app, key, None))
        await _press(app, "slash", "/")
        typed = "ana silva acme"
        keys = []
        for _ in range(max(1, runs // 2)):
            for ch in typed:
                keys.append(await _press(app, "space" if ch == " " else ch, ch))
            for _ in typed:
                keys.append(await _press(app, "backspace", None))
        await _press(app, "escape", None)
        await _press(app, "escape", None)
        detail = []
        for _ in range(runs):
            detail.append(await _press(app, "enter", None))
            await _press(app, "escape", None)
        watcher = app.watcher
        first = app.model.view[0].id
        recompute = await _recomputes(watcher, lambda: watcher.changed([first]), runs)
        reload = await _recomputes(watcher, lambda: watcher.reload("external"), runs)
        during = []
        for _ in range(runs):
            watcher.reload("external")  # the longest kind, back to back with the keys
            for key in ("j", "k", "j", "k"):
                during.append(await _press(app, key, key))
        out.update(
            row=row,
            page=page,
            filter=keys,
            detail=detail,
            recompute=recompute,
            reload=reload,
            during=during,
        )

    async def main() -> None:
        app = build(db, lines=SIZE[1])
        async with app.run_test(size=SIZE) as pilot:
            _instrument(app)
            while not app.loaded:
                await pilot.pause(0.05)
            await _settle(app, time.perf_counter(), quiet=0.3)
            await body(app)

    asyncio.run(main())
    return {**out, "peak_mb": peak_mb()}


#: How long a user looks at the list before pressing `i` (after the whole network is
#: loaded, and again after logging a touch): the app's idle moments are part of the test.
LOOKS = 2.0


def insights(db: str, runs: int, start: float) -> dict:
    import netterm.tui.app as tui_app

    out: dict = {"open": [], "compared": [], "reopen": [], "after_write": []}
    stamp: dict = {}

    def run(path, screen=None, **how) -> None:
        app = tui_app.build(path, screen, lines=SIZE[1], **how)

        async def main() -> None:
            from textual import events

            from netterm.services import touches

            async def open_screen(into: str) -> None:
                started = time.perf_counter()
                app._bench_last_frame = 0.0
                app._driver.send_message(events.Key("i", "i"))
                while not getattr(app.screen, "loaded", False):
                    await asyncio.sleep(0.005)  # a tighter poll would slow the worker
                shown = await _settle(app, started)
                out[into].append(shown - started)
                while not app.screen.compared:
                    await asyncio.sleep(0.005)
                if into == "open":
                    out["compared"].append(time.perf_counter() - started)
                app._driver.send_message(events.Key("escape", None))
                await _settle(app, time.perf_counter(), quiet=0.2)

            async with app.run_test(size=SIZE, message_hook=_ready_hook(stamp)) as pilot:
                while "ready" not in stamp:
                    await pilot.pause(0.001)
                _instrument(app)
                while not app.loaded:
                    await pilot.pause(0.01)
                await _settle(app, time.perf_counter(), quiet=0.3)
                await asyncio.sleep(LOOKS)
                await open_screen("open")  # the session's first open
                for _ in range(max(runs - 1, 1)):
                    await open_screen("reopen")  # nothing changed: the kept screen
                # a touch logged in the list (as `l` does), then `i` again
                contact = app.model.view[0].id  # the top row
                done: list = []
                app.run_write(
                    lambda: touches.log_touch(contact, "call"),
                    lambda _: done.append(app.refresh_contacts([contact])),
                )
                while not done:
                    await asyncio.sleep(0.01)
                await _settle(app, time.perf_counter(), quiet=0.3)
                await asyncio.sleep(LOOKS)
                await open_screen("after_write")

        asyncio.run(main())

    tui_app.run = run
    from netterm.cli import main

    try:
        main(["--db", db])
    except SystemExit as exc:
        if exc.code:
            raise
    return {**out, "list_paint": stamp["ready"] - start}


def peak_mb() -> float:
    """This process's peak resident memory. On Linux from /proc (VmHWM): a child's
    ru_maxrss starts at its parent's size (it survives fork and exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main(argv: list[str]) -> None:
    what, *args = argv
    if what == "paint" and args[0] == "bare":
        result = paint_bare(float(args[1]) if len(args) > 1 else time.time())
    elif what == "paint":
        result = paint_netterm(args[1], float(args[2]) if len(args) > 2 else time.time())
    elif what == "session":
        result = session(args[0], int(args[1]) if len(args) > 1 else 5)
    elif what == "insights":
        result = insights(
            args[0],
            int(args[1]) if len(args) > 1 else 5,
            float(args[2]) if len(args) > 2 else time.time(),
        )
    else:
        sys.exit(__doc__)
    import json  # after the measure: not part of it

    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
