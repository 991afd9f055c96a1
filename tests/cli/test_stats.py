"""`netterm stats`: the Insights figures as text tables and JSON, and its bad inputs."""

from __future__ import annotations

import json
import subprocess
import sys

from engines import snapshot


def network(run):
    run("add", "Ana Silva", "--tier", "1", "--category", "clients")
    run("add", "Bo Chen", "--tier", "3")
    run("log", "coffee", "ana", "--when", "2026-11-20")
    run("log", "email", "bo", "--when", "2026-11-01", "--received")


def test_stats_prints_every_section_with_its_caption(run):
    network(run)
    code, out, err = run("stats")
    assert code == 0, err
    for title in (
        "Touches per month",
        "Health by tier",
        "Attention budget",
        "Reciprocity",
        "Categories",
        "Priority people not met face to face",
    ):
        assert title in out
    assert "2 touches in the last 24 months, 50% face to face" in out
    assert "No audit finished yet to compare with." in out
    assert "You met all 1 priority contacts face to face in the last year." in out
    assert "clients" in out


def test_stats_json_has_the_same_figures(run):
    network(run)
    code, out, _ = run("stats", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["today"] == "2026-11-26"
    assert data["touches"]["total"] == 2 and data["touches"]["months"][-1] == "2026-11"
    assert [t["now"]["ok"] for t in data["health"]["tiers"]] == [1, 0, 1]
    assert data["attention"]["tracked"] == 2
    assert data["reciprocity"]["took_more"][0]["name"] == "Bo Chen"
    assert data["categories"]["rows"][0]["name"] == "clients"
    assert data["not_met"]["priority"] == 1
    assert all("caption" in data[k] for k in data if k != "today")


def test_stats_only_and_sort(run):
    network(run)
    code, out, _ = run("stats", "--only", "categories", "--sort", "name")
    assert code == 0
    assert out.startswith("Categories") and "Touches per month" not in out
    code, out, _ = run("stats", "--json", "--only", "not-met")
    assert sorted(json.loads(out)) == ["not_met", "today"]


def test_stats_bad_inputs_are_one_line_and_write_nothing(run):
    network(run)
    before = snapshot(run.path)
    code, out, err = run("stats", "--only", "nope")
    assert code == 1 and out == ""
    assert err == (
        "netterm: error: only: unknown section 'nope'; use one of: touches, health, attention, "
        "reciprocity, categories, not-met\n"
    )
    code, _, err = run("stats", "--sort", "nope")
    assert code == 1 and err.startswith("netterm: error: ") and "--sort" in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(run.path) == before


def test_screen_option_names_a_known_screen(run):
    code, _, err = run("--screen", "nope")
    assert code == 1
    assert err.startswith(
        "netterm: error: no screen named 'nope' (known: audit, contacts, insights"
    )
    code, _, err = run("--screen", "insights", "due")
    assert code == 1 and "--screen opens the app" in err


def test_stats_imports_neither_textual_nor_the_charts(tmp_path):
    code = (
        "import sys\n"
        "from netterm.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(tmp_path / 'n.db')!r}, 'stats'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('loaded:' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'textual_plotext', 'plotext'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "loaded:"
