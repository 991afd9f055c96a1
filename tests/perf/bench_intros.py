"""Who can help whom at scale (issue 17; a script, not a test).

    python tests/perf/bench_intros.py                      # 30,000 contacts
    python tests/perf/bench_intros.py --contacts 2000 --sample 50

What it measures, in this process, on SQLite files under --tmp:

* **matches**: `services.intros.matches(contact)` — the full-text query (FTS5, bm25) and
  the explanation of each result — for `--sample` contacts of a demo network of
  `--contacts` who are looking for something: median, 95th percentile and worst, in ms
  per contact. Target: median under 50 ms. Each contact is asked twice and the better
  time counts (the machine is shared).
* **due suggestions**: `services.intros.suggestions` for the 3 priority contacts
  `netterm due` asks about (the extra cost of its "could introduce" lines), and
  `netterm due` itself in a new process, alternately on the network and on a copy in
  which nobody is looking for anything (no line to compute): the difference is what
  the lines cost the command.
* **index upkeep**: a LinkedIn import of `--contacts` rows (tests/perf/gen_linkedin.py)
  into an empty network, with the index's triggers and without them (dropped for the
  measure), alternately `--runs` times: the extra time the index costs, absolute and
  relative. Target: under 50 % extra.

The machine's load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _fresh(path: Path, with_index: bool) -> None:
    from netterm.store import close_database, open_database, search_sql
    from netterm.store.models import database

    close_database()
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    open_database(path)
    if not with_index:
        with database.atomic():
            search_sql.uninstall(database.obj)


def matches_figure(tmp: Path, contacts: int, sample: int) -> dict:
    from netterm.services import intros
    from netterm.services.demo import generate
    from netterm.store import close_database, open_database
    from netterm.store.models import Contact

    path = tmp / "network.db"
    _fresh(path, True)
    t0 = time.perf_counter()
    generate(size=contacts, touches=contacts * 2)
    made = time.perf_counter() - t0
    close_database()
    open_database(path)
    ids = [
        cid
        for (cid,) in Contact.select(Contact.id)
        .where((Contact.looking_for != "") & Contact.archived_at.is_null())
        .order_by(Contact.id)
        .tuples()
    ]
    step = max(1, len(ids) // sample)
    chosen = ids[::step][:sample]
    times = []
    found = 0
    for cid in chosen:
        best = float("inf")
        for _ in range(2):
            t = time.perf_counter()
            got = intros.matches(cid)
            best = min(best, time.perf_counter() - t)
        found += bool(got)
        times.append(best * 1000)
    times.sort()
    tier1 = [
        cid
        for (cid,) in Contact.select(Contact.id)
        .where((Contact.tier == 1) & (Contact.looking_for != ""))
        .tuples()
    ][:50]
    t = time.perf_counter()
    suggested = intros.suggestions(tier1, limit=3)
    due_ms = (time.perf_counter() - t) * 1000
    close_database()
    due_with, due_without = _due_both(path, runs=5)
    return {
        "due_cmd_with_ms": due_with,
        "due_cmd_without_ms": due_without,
        "network": contacts,
        "generated_s": made,
        "looking": len(ids),
        "sampled": len(chosen),
        "with_matches": found,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "worst_ms": times[-1],
        "due_ms": due_ms,
        "due_suggested": len(suggested),
    }


def _due_both(path: Path, runs: int) -> tuple[float, float]:
    """`netterm due` in a new process: median ms on `path`, and on a copy of it where
    nobody is looking for anything, run alternately."""
    import sqlite3
    import subprocess

    bare = path.with_name("no-looking-for.db")
    src = sqlite3.connect(path)
    bare.touch(mode=0o600)  # private, as netterm wants its files
    dst = sqlite3.connect(bare)
    src.backup(dst)
    src.close()
    dst.execute("UPDATE contact SET looking_for = ''")
    dst.commit()
    dst.close()
    env = {**os.environ, "NETTERM_NOW": "2026-11-26T12:00:00", "NETTERM_TZ": "Europe/Lisbon"}
    times: dict[Path, list[float]] = {path: [], bare: []}
    for _ in range(runs):
        for db in (path, bare):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "netterm", "--db", str(db), "due"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            times[db].append((time.perf_counter() - t) * 1000)
    return statistics.median(times[path]), statistics.median(times[bare])


def upkeep_figure(tmp: Path, rows: int, runs: int) -> dict:
    import gen_linkedin

    from netterm.services import interchange
    from netterm.store import close_database

    csv = tmp / "Connections.csv"
    gen_linkedin.write(str(csv), rows)
    path = tmp / "import.db"
    timing: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(runs):
        for with_index in (False, True):
            _fresh(path, with_index)
            t = time.perf_counter()
            summary = interchange.import_file(csv, "linkedin")
            timing[with_index].append(time.perf_counter() - t)
            close_database()
    without, with_ = min(timing[False]), min(timing[True])
    return {
        "rows": rows,
        "imported": summary.added if hasattr(summary, "added") else None,
        "without_s": without,
        "with_s": with_,
        "extra_s": with_ - without,
        "extra_pct": (with_ / without - 1) * 100,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=30_000, help="network and import size")
    parser.add_argument("--sample", type=int, default=200, help="contacts asked for matches")
    parser.add_argument("--runs", type=int, default=2, help="imports of each kind")
    parser.add_argument("--only", default="matches,upkeep", help="matches, upkeep")
    parser.add_argument("--tmp", default=None, help="a folder for the files (default: a temp)")
    args = parser.parse_args(argv)
    os.environ.setdefault("NETTERM_TZ", "Europe/Lisbon")
    from netterm.config import clock

    clock.set(__import__("pendulum").datetime(2026, 11, 26, 12, tz="Europe/Lisbon"))
    tmp = Path(args.tmp or tempfile.mkdtemp(prefix="netterm-intros-"))
    tmp.mkdir(parents=True, exist_ok=True)
    parts = set(args.only.split(","))
    try:
        print(f"load average before: {os.getloadavg()}")
        if "matches" in parts:
            m = matches_figure(tmp, args.contacts, args.sample)
            ok = "ok  " if m["median_ms"] < 50 else "MISS"
            print(
                f"{ok} matches for one contact, {m['network']:,} contacts "
                f"({m['looking']:,} looking for something; {m['sampled']} sampled, "
                f"{m['with_matches']} with matches): median {m['median_ms']:.1f} ms, "
                f"p95 {m['p95_ms']:.1f} ms, worst {m['worst_ms']:.1f} ms (target: median < 50 ms)"
            )
            print(
                f"     due's intro suggestions (3 priority contacts searched): "
                f"{m['due_ms']:.1f} ms, {m['due_suggested']} suggested; `netterm due` "
                f"{m['due_cmd_with_ms']:.0f} ms with the lines, "
                f"{m['due_cmd_without_ms']:.0f} ms without (medians of 5, new processes)"
            )
        if "upkeep" in parts:
            u = upkeep_figure(tmp, args.contacts, args.runs)
            ok = "ok  " if u["extra_pct"] < 50 else "MISS"
            print(
                f"{ok} index upkeep on a LinkedIn import of {u['rows']:,} rows: "
                f"{u['with_s']:.2f} s with the index, {u['without_s']:.2f} s without: "
                f"+{u['extra_s']:.2f} s (+{u['extra_pct']:.0f} %, target < 50 %)"
            )
        print(f"load average after: {os.getloadavg()}")
    finally:
        if args.tmp is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
