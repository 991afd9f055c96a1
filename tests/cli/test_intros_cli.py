"""`netterm matches WHO` and `netterm intro WHO OTHER`: the services of the app's `I`."""

from __future__ import annotations

import json

import pytest
from engines import snapshot


@pytest.fixture
def net(run):
    for n, title in enumerate(("Accountant", "Nurse", "Chef", "Pilot", "Lawyer", "Teacher")):
        run("add", f"Filler {n}", "--title", title)
    run("add", "Ana Silva", "--tier", "1", "--looking-for", "a staff engineer, fintech")
    run("add", "Bo Chen", "--title", "Staff Engineer", "--company", "Cyberdyne")
    run("add", "Cy Dee", "--title", "Designer", "--category", "fintech")
    run("add", "Old Hand", "--title", "Staff Engineer", "--company", "Fintech Ltd")
    run("archive", "old hand")
    return run


def test_matches_lists_the_best_with_why(net):
    code, out, err = net("matches", "ana")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Ana Silva is looking for: a staff engineer, fintech"
    assert lines[1].startswith(
        "  1. Bo Chen — Staff Engineer @ Cyberdyne — matches 'staff engineer'"
    )
    assert "Cy Dee — Designer · in fintech — matches 'fintech'" in out
    assert "Old Hand" not in out
    assert lines[-1].startswith("Introduce one: netterm intro 'ana' '#")


def test_matches_json(net):
    code, out, _ = net("matches", "ana", "--json", "--limit", "1")
    assert code == 0
    data = json.loads(out)
    assert data["looking_for"] == "a staff engineer, fintech"
    (best,) = data["matches"]
    assert best["name"] == "Bo Chen" and best["matched"] == ["staff", "engineer"]
    assert best["good"] is True and best["field"] == "title"


def test_matches_for_someone_looking_for_nothing(net):
    code, out, _ = net("matches", "bo")
    assert code == 0
    assert "not looking for anything yet" in out and "--looking-for" in out


def test_intro_logs_both_and_a_follow_up(net):
    code, out, err = net("intro", "ana", "bo", "--note", "both in Lisbon")
    assert code == 0, err
    assert out.splitlines()[0] == "Introduced Ana Silva to Bo Chen."
    _, shown, _ = net("show", "ana", "--json")
    ana = json.loads(shown)
    notes = [t["note"] for t in ana["touches"]]
    assert "Introduced to Bo Chen (Staff Engineer @ Cyberdyne): both in Lisbon" in notes
    assert any("Bo Chen" in f["text"] for f in ana["follow_ups"])
    _, shown, _ = net("show", "bo", "--json")
    bo = json.loads(shown)
    (touch,) = bo["touches"]
    assert touch["kind"] == "intro" and touch["value"] == "gave"
    assert touch["note"] == "Introduced to Ana Silva: both in Lisbon"


def test_intro_dry_run_writes_nothing(net):
    before = snapshot(net.path)
    code, out, _ = net("intro", "ana", "bo", "--dry-run")
    assert code == 0
    assert out.startswith("Would introduce Ana Silva to Bo Chen.")
    assert snapshot(net.path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("intro", "ana", "ana"),
            "netterm: error: other: a contact cannot be introduced to themselves",
        ),
        (("intro", "ana", "nobody"), "netterm: error: no contact matches 'nobody'"),
        (("intro", "ana", "old hand"), "archived"),
        (("intro", "ana", "bo", "--note", "x" * 20_000), "netterm: error: note"),
        (("matches", "nobody"), "netterm: error: no contact matches 'nobody'"),
        (("matches", "ana", "--limit", "0"), "netterm: error:"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(net, args, message):
    before = snapshot(net.path)
    code, _, err = net(*args)
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1
    assert snapshot(net.path) == before


def test_due_suggests_an_intro_for_a_priority_contact_looking_for_something(net):
    net("log", "coffee", "ana", "--when", "2026-06-01")  # overdue: listed by due
    net("add", "Eve Ng", "--tier", "1", "--looking-for", "a dentist")
    net("log", "coffee", "eve", "--when", "2026-06-01")
    code, out, err = net("due")
    assert code == 0, err
    lines = [line for line in out.splitlines() if "could introduce" in line]
    assert lines == [
        "Ana Silva — could introduce: Bo Chen — matches 'staff engineer'  (netterm matches '#7')"
    ]
    _, out, _ = net("due", "--json")
    (one,) = json.loads(out)["could_introduce"]
    assert one["name"] == "Ana Silva" and one["to"]["name"] == "Bo Chen"


def test_after_an_intro_matches_says_so_and_due_suggests_it_no_more(net):
    net("log", "coffee", "ana", "--when", "2026-06-01")  # overdue: listed by due
    code, _, err = net("intro", "ana", "bo chen")
    assert code == 0, err
    code, out, err = net("matches", "ana")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].startswith("  1. Cy Dee")  # the new one first
    assert lines[2].startswith("  2. Bo Chen — Staff Engineer @ Cyberdyne")
    assert lines[2].split("  (#")[0].endswith(" — introduced on 26 Nov")
    assert lines[-1].startswith("Introduce one: netterm intro 'ana' '#")
    assert f"#{json.loads(net('matches', 'ana', '--json')[1])['matches'][0]['id']}" in lines[-1]
    _, out, _ = net("matches", "ana", "--json")
    assert [m["introduced_on"] for m in json.loads(out)["matches"]] == [None, "2026-11-26"]
    code, out, err = net("due")
    assert code == 0, err
    assert "could introduce: Bo Chen" not in out
