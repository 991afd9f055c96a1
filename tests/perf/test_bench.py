"""The benchmark script still runs (a smoke test on a tiny network, not a timed test).

tests/perf/bench.py is run by hand on 30,000 contacts; here it runs once on 100 and 200
contacts, one run per figure, so that a change to the app or the services cannot break
it unnoticed. Nothing here compares a time with a target.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "bench.py"
FIGURES = {
    "paint",
    "filter",
    "filter_worst",
    "row",
    "page",
    "recompute",
    "due",
    "import",
    "reimport",
    "memory",
    "insights",
}


def test_the_benchmark_runs_on_a_tiny_network(tmp_path):
    saved = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            *("--contacts", "200", "--growth", "100", "--runs", "1", "--paint-runs", "1"),
            *("--rounds", "2"),
            *("--cache", str(tmp_path / "cache"), "--save", str(saved)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(saved.read_text())
    figures = {f["key"]: f for f in report["figures"]}
    assert set(figures) >= FIGURES
    assert all(f["value"] > 0 for f in figures.values())
    assert all(figures[k]["ok"] in (True, False) for k in FIGURES)  # each has a target
    assert report["sizes"] == [100, 200]
    assert report["paint_runs"] == 1 and "n log n" in report["growth_rule"]
    assert report["rounds"] == 2
    assert {g["key"] for g in report["growth"]} == set(figures)
    assert report["machine"]["cores"] >= 1 and report["load_average_before"]
    # the text report: one line per figure with its verdict, and the growth table
    lines = done.stdout.splitlines()
    for f in figures.values():
        line = next(x for x in lines if f["name"].strip() in x)
        assert line.startswith(("ok  ", "MISS", "    "))
    assert any(x.startswith("growth with the network (100 -> 200 contacts)") for x in lines)
