"""`netterm audit`, `netterm duplicates`, `netterm merge` as a user types them."""

from __future__ import annotations

import json

from engines import snapshot

from netterm.store import close_database, open_database


def test_netterm_audit_opens_the_app_on_the_audit_screen(run, monkeypatch):
    opened = []
    monkeypatch.setattr(
        "netterm.cli.audit.open_app", lambda session, screen=None: opened.append(screen)
    )
    assert run("audit")[0] == 0
    assert opened == ["audit"]
    code, _, err = run("audit", "--json")
    assert code == 1 and "--json goes with --status" in err


def test_audit_status_before_during_and_after(run, travel):
    for name in ("Ana Silva", "Bob Stone"):
        assert run("add", name, "--tier", "2")[0] == 0
    code, out, _ = run("audit", "--status")
    assert code == 0 and out == "No audit finished yet. Start one: netterm audit\n"
    open_database(run.path)
    from netterm.services import audit

    card = audit.start()
    audit.keep(card.position)
    close_database()
    code, out, _ = run("audit", "--status")
    assert out.splitlines() == [
        "Audit in progress since 26 Nov: card 2 / 2 (1 decided). Resume with: netterm audit",
        "No audit finished yet.",
    ]
    data = json.loads(run("audit", "--status", "--json")[1])
    assert (data["in_progress"], data["position"], data["total"], data["due"]) == (
        True,
        1,
        2,
        True,
    )

    open_database(run.path)
    audit.keep(1)
    audit.finish()
    close_database()
    code, out, _ = run("audit", "--status")
    assert out == "Last audit finished 26 Nov; the next is due 27 May 2027 (in 6 months).\n"
    travel(days=200)
    code, out, _ = run("audit", "--status")
    assert out.splitlines() == [
        "Last audit finished 26 Nov 2026; the next was due 27 May (2 weeks ago).",
        "An audit is due: netterm audit",
    ]


def test_duplicates_and_merge(run):
    run("add", "Ana Silva", "--company", "Acme", "--email", "ana@acme.example", "--tier", "1")
    run("log", "coffee", "#1", "--when", "yesterday")
    run("add", "Ana Costa", "--email", "ANA@acme.example", "--category", "linkedin")
    run("add", "Bob Stone", "--company", "Hooli")
    run("add", "bob stone", "--company", "Hooli Inc.")
    code, out, _ = run("duplicates")
    assert code == 0
    assert out.splitlines() == [
        "#1 Ana Silva (Acme) · 1 touch, last yesterday",
        "#2 Ana Costa · 0 touches",
        "  same email ana@acme.example",
        "  merge: netterm merge '#2' '#1'",
        "",
        "#3 Bob Stone (Hooli) · 0 touches",
        "#4 bob stone (Hooli Inc.) · 0 touches",
        "  same name and company",
        "  merge: netterm merge '#4' '#3'",
        "",
        "2 groups of likely duplicates.",
    ]
    groups = json.loads(run("duplicates", "--json", "--limit", "1")[1])
    assert [[c["id"] for c in g["contacts"]] for g in groups] == [[1, 2]]

    # confirmation: "n" changes nothing
    before = snapshot(run.path)
    code, out, err = run("merge", "#2", "#1", stdin="n\n")
    assert code == 1 and "Merge #2 Ana Costa into #1 Ana Silva: moves 0 touches" in out
    assert "aborted" in err
    code, out, _ = run("merge", "#2", "#1", stdin="y\n")
    assert code == 0 and "Merged. #2 is archived" in out
    assert before != snapshot(run.path)
    code, out, _ = run("show", "ana silva", "--json")
    shown = json.loads(out)
    assert shown["categories"] == ["linkedin"] and shown["previous_names"] == "Costa"
    code, out, _ = run("merge", "#4", "#3", "--yes")
    assert code == 0
    code, out, _ = run("duplicates")
    assert out == "No likely duplicates.\n"


def test_merge_errors_change_nothing(run):
    run("add", "Ana Silva")
    run("add", "Bob Stone")
    run("archive", "bob")
    for args, message in (
        (("merge", "ana", "ana", "--yes"), "cannot be merged into itself"),
        (("merge", "zed", "ana", "--yes"), "no contact matches 'zed'"),
        (("merge", "bob", "ana", "--yes"), "archived: #2 Bob Stone; unarchive first"),
    ):
        code, _, err = run(*args)
        assert code == 1 and message in err, err


def test_the_audit_modules_never_import_textual():
    import subprocess
    import sys

    code = (
        "import sys, netterm.core.audit, netterm.core.duplicates, netterm.services.audit, "
        "netterm.services.merge, netterm.services.undo, netterm.cli.audit\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_audit_filter_starts_an_audit_of_a_part(run, monkeypatch):
    opened = []
    monkeypatch.setattr(
        "netterm.cli.audit.open_app", lambda session, screen=None: opened.append(screen)
    )
    for name, tier in (("Ana Silva", "1"), ("Bob Stone", "2"), ("Cy Twombly", "2")):
        assert run("add", name, "--tier", tier)[0] == 0
    code, out, err = run("audit", "--filter", "tier:2")
    assert (code, err) == (0, "") and opened == ["audit"]
    assert out == "Audit of the 2 shown by tier:2: 2 cards.\n"
    code, out, _ = run("audit", "--status")
    assert out.startswith("Audit of the 2 shown by tier:2 in progress since 26 Nov: card 1 / 2")
    data = json.loads(run("audit", "--status", "--json")[1])
    assert data["scope"] == "the 2 shown by tier:2" and data["total"] == 2
    # one audit at a time: another part waits until this one is finished
    code, _, err = run("audit", "--filter", "tier:1")
    assert code == 1 and err.startswith(
        "netterm: error: audit: a partial audit of the 2 shown by tier:2 is in progress"
    )
    assert err.count("\n") == 1


def test_audit_filter_bad_input_is_one_line_and_writes_nothing(run, monkeypatch):
    monkeypatch.setattr("netterm.cli.audit.open_app", lambda session, screen=None: None)
    assert run("add", "Ana Silva", "--tier", "1")[0] == 0
    code, _, err = run("audit", "--filter", "tier:9")
    assert code == 1 and err.startswith("netterm: error: ") and err.count("\n") == 1
    code, _, err = run("audit", "--filter", "nobody-matches-this")
    assert code == 1 and "nothing to audit" in err
    code, _, err = run("audit", "--filter", "tier:1", "--status")
    assert code != 0 and "--filter starts an audit" in err
    code, out, _ = run("audit", "--status")
    assert "in progress" not in out
