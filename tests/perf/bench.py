"""netterm's benchmark: figures and ratios at network sizes up to the LinkedIn cap.

    python tests/perf/bench.py [--contacts 30000 --touches 300000] [--growth] [--json]

Builds (or reuses, under tests/perf/.cache/) a deterministic demo database of the given
size, with the clock pinned to a fixed day so the cache stays valid, then prints one
line per figure. Timings are medians of several runs; where a target is a ratio, both
sides are measured in the same run, because this machine is shared and noisy. This is a
script, not a test: nothing here fails a build.

`--growth` repeats the figures at 1,000, 10,000 and 30,000 contacts (10 touches each)
and prints how each grows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(__file__).resolve().parent / ".cache"
PINNED_NOW = "2026-11-26T12:00:00"
PINNED_TZ = "Europe/Lisbon"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    detail: str = ""

    def line(self) -> str:
        mark = {True: "ok  ", False: "MISS", None: "    "}[self.ok]
        value = f"{self.value:,.1f} {self.unit}"
        target = f"  (target {self.target})" if self.target else ""
        detail = f"  [{self.detail}]" if self.detail else ""
        return f"{mark} {self.name:<44} {value:>14}{target}{detail}"


def env() -> dict[str, str]:
    return {**os.environ, "NETTERM_NOW": PINNED_NOW, "NETTERM_TZ": PINNED_TZ}


def median_ms(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> tuple[float, float]:
    """(median, worst) wall time of fn in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def database(contacts: int, touches: int) -> Path:
    """The cached demo database of this size (built once, with the pinned clock)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{contacts}-{touches}.db"
    if not path.exists():
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "netterm",
                "--db",
                str(path),
                "demo",
                "--size",
                str(contacts),
                "--touches",
                str(touches),
            ],
            check=True,
            env=env(),
            capture_output=True,
        )
        print(f"built {path.name} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return path


def process_ms(args: list[str], runs: int = 7) -> float:
    def once():
        subprocess.run(args, check=True, env=env(), stdout=subprocess.DEVNULL)

    return median_ms(once, runs=runs)[0]


# --------------------------------------------------------------------------- figures


def cli_due(path: Path) -> list[Figure]:
    base = process_ms([sys.executable, "-c", "import netterm.services"])
    due = process_ms([sys.executable, "-m", "netterm", "--db", str(path), "due"])
    limit = 1.5 * base + 150
    return [
        Figure("python -c 'import netterm.services'", base, "ms"),
        Figure(
            "netterm due (new process)",
            due,
            "ms",
            f"<= 1.5 x import + 150 = {limit:.0f} ms",
            due <= limit,
            f"ratio to import {due / base:.2f}",
        ),
    ]


def in_process(path: Path) -> list[Figure]:
    os.environ.update({"NETTERM_NOW": PINNED_NOW, "NETTERM_TZ": PINNED_TZ})
    from netterm import services
    from netterm.store import close_database, open_database

    open_database(path)
    try:
        recompute, worst = median_ms(services.states)
        load, _ = median_ms(services.load_network, runs=5)
        counts, _ = median_ms(services.count_states)
    finally:
        close_database()
    return [
        Figure(
            "full state recompute (services.states)",
            recompute,
            "ms",
            "<= 150 ms",
            recompute <= 150,
            f"worst {worst:.0f} ms",
        ),
        Figure("load every row (services.load_network)", load, "ms"),
        Figure("header counts (services.count_states)", counts, "ms"),
    ]


MEASURES = (cli_due, in_process)


def run(contacts: int, touches: int) -> list[Figure]:
    path = database(contacts, touches)
    figures: list[Figure] = []
    for measure in MEASURES:
        figures.extend(measure(path))
    return figures


def growth(sizes=(1_000, 10_000, 30_000)) -> dict[int, list[Figure]]:
    return {n: run(n, n * 10) for n in sizes}


def print_growth(results: dict[int, list[Figure]]) -> None:
    sizes = sorted(results)
    names = [f.name for f in results[sizes[0]]]
    print()
    print(f"growth {' -> '.join(f'{n:,}' for n in sizes)} contacts (value, and x per x10 contacts)")
    for name in names:
        values = [next(f.value for f in results[n] if f.name == name) for n in sizes]
        steps = [
            values[i + 1] / values[i] if values[i] else float("nan") for i in range(len(values) - 1)
        ]
        sizes_ratio = [sizes[i + 1] / sizes[i] for i in range(len(sizes) - 1)]
        linear = all(s <= r * 1.25 for s, r in zip(steps, sizes_ratio, strict=True))
        shown = " -> ".join(f"{v:,.1f}" for v in values)
        print(
            f"{'ok  ' if linear else 'MISS'} {name:<44} {shown}  (x{', x'.join(f'{s:.2f}' for s in steps)})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--touches", type=int, default=None, help="default: 10 per contact")
    parser.add_argument("--growth", action="store_true", help="also 1k, 10k and 30k contacts")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    touches = args.touches if args.touches is not None else args.contacts * 10
    figures = run(args.contacts, touches)
    results = growth() if args.growth else {}
    if args.json:
        print(
            json.dumps(
                {
                    "machine": machine(),
                    "contacts": args.contacts,
                    "touches": touches,
                    "figures": [asdict(f) for f in figures],
                    "growth": {n: [asdict(f) for f in fs] for n, fs in results.items()},
                },
                indent=2,
            )
        )
        return 0
    print(f"netterm benchmark: {args.contacts:,} contacts, {touches:,} touches — {machine()}")
    for f in figures:
        print(f.line())
    if results:
        print_growth(results)
    return 0


def machine() -> str:
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    sys.exit(main())
