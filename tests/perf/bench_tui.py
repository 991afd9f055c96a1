"""Benchmark of the app on a big network (not a test: run it by hand, read the numbers).

    netterm --db /tmp/tui30k.db demo --size 30000 --touches 300000   # once, ~15 s
    python tests/perf/bench_tui.py /tmp/tui30k.db                   # everything
    python tests/perf/bench_tui.py /tmp/tui30k.db startup keys        # some parts

What it measures, each as the median of several runs:

* **startup**: cold start to the first painted frame (Textual's `Ready` event: the DOM is
  ready and the first frame is displayed), for a bare Textual app with Header +
  DataTable (one screenful of rows) + Footer, and for `netterm`'s own entry point; each
  in a fresh interpreter, timed from process spawn. Also when the full network is
  loaded (the watcher's first result).
* **keys**: the latency of single keystrokes on the loaded network: from the key event
  to the last frame it caused (the app idle again), for filter characters, cursor moves
  and opening the detail screen. Textual paints at most 60 frames a second, so a frame
  can wait up to ~17 ms for its slot; that wait is included.
* **recompute**: the watcher's full recompute (every contact's state, the diff, the
  counts) in its thread, and the latency of cursor moves made *while* recomputes run
  back to back.
* **memory**: the app's peak resident memory once everything is loaded.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SIZE = (120, 40)

BARE_APP = """
import sys, time
start = float(sys.argv[1])
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("state", "name", "title @ company", "tier", "categories", "last", "due")
        for i in range(60):
            table.add_row("overdue", f"Person {i}", "Title @ Company", "1", "cats", "3 months ago", "overdue 3d")

    def on_ready(self):
        print(time.time() - start)
        self.exit()

Bare().run(headless=True, size=(120, 40))
"""

NETTERM_APP = """
import sys, time
start = float(sys.argv[1])
import netterm.tui.app as tui_app

def run(path, screen=None):
    # netterm.tui.app.run, headless and timed: the same order of work
    first_page = tui_app.FirstPage(60)
    from netterm.tui.application import NettermApp as App

    ready, loaded = App.on_ready, App._on_loaded

    def on_ready(self):
        ready(self)
        self.first_paint = time.time() - start

    def on_loaded(self, *args, **kwargs):
        loaded(self, *args, **kwargs)
        print(self.first_paint, time.time() - start)
        self.exit()

    App.on_ready, App._on_loaded = on_ready, on_loaded
    App(path, screen=screen, first_page=first_page).run(headless=True, size=(120, 40))

tui_app.run = run
from netterm.cli import main
main(["--db", sys.argv[2]])
"""


def _spawn(code: str, *args: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", code, repr(time.time()), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(x) for x in out.stdout.split()]


def bench_startup(db: str) -> None:
    bare, first, full = [], [], []
    _spawn(BARE_APP)  # warm the OS file cache once
    _spawn(NETTERM_APP, db)
    for _ in range(RUNS):
        bare.append(_spawn(BARE_APP)[0])
        paint, loaded = _spawn(NETTERM_APP, db)
        first.append(paint)
        full.append(loaded)
    b, f = statistics.median(bare), statistics.median(first)
    print(f"startup  bare Textual (Header+DataTable+Footer) first paint: {b * 1000:6.0f} ms")
    print(f"startup  netterm first paint (table with rows):              {f * 1000:6.0f} ms")
    print(f"startup  ratio netterm / bare:                                {f / b:6.2f}")
    print(
        f"startup  netterm whole network loaded:                       {statistics.median(full) * 1000:6.0f} ms"
    )


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


CPU: list[float] = []  # process CPU time of each measured key, for the report


async def _press(app, key: str, char: str | None) -> float:
    from textual import events

    started = time.perf_counter()
    cpu = time.process_time()
    app._bench_last_frame = 0.0
    app._driver.send_message(events.Key(key, char))
    last = await _settle(app, started)
    # the settle loop's own polling is in this figure too (a fraction of a millisecond)
    CPU.append(time.process_time() - cpu)
    return last - started


def _instrument(app) -> None:
    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None:
            app._bench_last_frame = time.perf_counter()

    app._bench_last_frame = 0.0
    app._display = display


def _on_loaded_app(db: str, body) -> None:
    """Run `await body(app)` in the app on `db`, once the whole network is shown."""
    from netterm.store import open_database

    open_database(db)

    async def run() -> None:
        from netterm.tui.app import NettermApp

        app = NettermApp(db)
        async with app.run_test(size=SIZE) as pilot:
            _instrument(app)
            while not app.loaded:
                await pilot.pause(0.05)
            await _settle(app, time.perf_counter(), quiet=0.3)
            await body(app)
            app.exit()

    asyncio.run(run())


def bench_keys(db: str) -> None:
    async def body(app) -> None:
        moves, moves_cpu = [], []
        for _ in range(3):
            for key in ("j",) * 10 + ("k",) * 10:
                moves.append(await _press(app, key, key))
                moves_cpu.append(CPU[-1])
        await _press(app, "slash", "/")
        typed, typed_cpu = [], []
        for _ in range(RUNS):
            for ch in "ana silva acme":
                typed.append(await _press(app, "space" if ch == " " else ch, ch))
                typed_cpu.append(CPU[-1])
            for _ in "ana silva acme":
                await _press(app, "backspace", None)
        await _press(app, "escape", None)
        opens, opens_cpu = [], []
        for _ in range(RUNS):
            opens.append(await _press(app, "enter", None))
            opens_cpu.append(CPU[-1])
            await _press(app, "escape", None)
        print("keys     (latency: key to last frame; cpu: the process's CPU time for it)")
        print(
            f"keys     cursor move (j/k), x{len(moves)}:   latency {_ms(moves)}, cpu {_ms(moves_cpu)}"
        )
        print(
            f"keys     filter keystroke, x{len(typed)}:    latency {_ms(typed)}, cpu {_ms(typed_cpu)}"
        )
        print(
            f"keys     open the detail, x{len(opens)}:      latency {_ms(opens)}, cpu {_ms(opens_cpu)}"
        )

    _on_loaded_app(db, body)


async def _recompute_seconds(watcher, trigger) -> list[float]:
    seconds = []
    for _ in range(RUNS):
        start = watcher.recomputes
        trigger()
        while watcher.recomputes == start:
            await asyncio.sleep(0.002)
        seconds.append(watcher.last_seconds)
        await asyncio.sleep(0.05)
    return seconds


def bench_recompute(db: str) -> None:
    async def body(app) -> None:
        watcher = app.watcher
        states = await _recompute_seconds(watcher, lambda: watcher.changed([1]))
        reload = await _recompute_seconds(watcher, lambda: watcher.reload("external"))
        during = []
        for _ in range(RUNS * 4):
            watcher.reload("external")  # the longest kind, back to back with the keys
            during.append(await _press(app, "j", "j"))
            during.append(await _press(app, "k", "k"))
        print(f"recompute every contact's state + diff + counts (after a change): {_ms(states)}")
        print(f"recompute reload of every row + diff (another process wrote):     {_ms(reload)}")
        print(
            f"recompute cursor move while recomputing, x{len(during)}: {_ms(during)}"
            f" (max {max(during) * 1000:.0f} ms)"
        )

    _on_loaded_app(db, body)


def bench_memory(db: str) -> None:
    # The peak resident memory of a fresh process. On Linux from /proc (VmHWM): the
    # ru_maxrss of a child starts at its parent's size (it survives fork and exec), so
    # it would count this benchmark's own memory too.
    code = textwrap.dedent(
        f"""
        import asyncio, resource
        from netterm.store import open_database
        open_database({db!r})
        from netterm.tui.app import NettermApp
        def peak_mb():
            try:
                with open("/proc/self/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            return int(line.split()[1]) / 1024
            except OSError:
                pass
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        async def main():
            app = NettermApp({db!r})
            async with app.run_test(size=(120, 40)) as pilot:
                while not app.loaded:
                    await pilot.pause(0.05)
                await pilot.press("slash", *"ana")
                await pilot.pause(0.3)
            print(peak_mb())
        asyncio.run(main())
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    print(f"memory   peak resident memory, network loaded:            {float(out.stdout):6.0f} MB")


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:6.1f} ms"


PARTS = {
    "startup": bench_startup,
    "keys": bench_keys,
    "recompute": bench_recompute,
    "memory": bench_memory,
}


def main(argv: list[str]) -> None:
    if not argv or not Path(argv[0]).exists():
        sys.exit(__doc__)
    db, parts = argv[0], argv[1:] or list(PARTS)
    os.environ.setdefault("NETTERM_TZ", "Europe/Lisbon")
    for part in parts:
        PARTS[part](db)


if __name__ == "__main__":
    main(sys.argv[1:])
