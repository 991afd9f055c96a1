"""`netterm bulk QUERY ACTION [VALUE]`: the filter language, one transaction, --dry-run."""

from __future__ import annotations

import json
import os

import pytest
from test_cli import snapshot


@pytest.fixture
def net(run):
    run("add", "Ana Silva", "--company", "Acme", "--tier", "1", "--email", "ana@acme.example")
    run("add", "Bo Chen", "--company", "Acme", "--category", "investors")
    run("add", "Cy Dorn", "--company", "Globex", "--category", "investors")
    run("add", "Di Eve", "--category", "investors", "--tier", "2", "--email", "di@e.example")
    return run


def tiers(run) -> dict[str, object]:
    _, out, _ = run("list", "--json")
    return {r["name"]: r["tier"] for r in json.loads(out)}


def test_tier_for_everyone_the_query_selects(net):
    code, out, err = net("bulk", "cat:investors is:untracked", "tier", "2")
    assert code == 0, err
    assert out.strip() == "Set the tier of 2 contacts to regular."
    assert tiers(net) == {"Ana Silva": 1, "Bo Chen": 2, "Cy Dorn": 2, "Di Eve": 2}


def test_already_so_is_left_alone_and_said(net):
    code, out, _ = net("bulk", "cat:investors", "tier", "regular")
    assert code == 0
    assert out.strip() == "Set the tier of 2 contacts to regular (1 already so, left alone)."


def test_dry_run_names_them_and_writes_nothing(net):
    before = snapshot(net.path)
    code, out, _ = net("bulk", "acme", "archive", "--dry-run")
    assert code == 0
    assert "#1 Ana Silva" in out and "#2 Bo Chen" in out and "Cy Dorn" not in out
    assert out.strip().endswith("Would archive 2 contacts.")
    assert snapshot(net.path) == before


def test_log_an_update_with_a_note(net):
    code, out, _ = net("bulk", "cat:investors", "log", "I", "joined", "Globex")
    assert code == 0 and out.strip() == "Logged an update with 3 contacts."
    _, out, _ = net("show", "cy", "--json")
    touch = json.loads(out)["touches"][0]
    assert (touch["kind"], touch["note"]) == ("update", "I joined Globex")


def test_emails_print_and_mailto(net):
    code, out, err = net("bulk", "--", "-is:untracked", "emails")  # -- before a leading "-"
    assert code == 0
    lines = out.splitlines()
    assert sorted(lines[:2]) == ["Ana Silva <ana@acme.example>", "Di Eve <di@e.example>"]
    assert lines[2].startswith("mailto:?bcc=") and len(lines) == 3
    assert sorted(lines[2].removeprefix("mailto:?bcc=").split(",")) == [
        "ana@acme.example",
        "di@e.example",
    ]
    assert err == ""
    code, out, err = net("bulk", "investors", "emails")
    assert "2 without an e-mail address: Bo Chen, Cy Dorn" in err


def test_emails_to_a_private_file(net, tmp_path):
    target = tmp_path / "bcc.txt"
    code, out, _ = net("bulk", "tier:1", "emails", "-o", str(target))
    assert code == 0 and "Wrote 1 addresses" in out
    assert target.read_text() == "ana@acme.example\n"
    assert os.stat(target).st_mode & 0o777 == 0o600


def test_nobody_matches(net):
    code, out, _ = net("bulk", "zebra", "archive")
    assert code == 0 and "No contact matches 'zebra'; nothing changed." in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("bulk", "acme", "fly"), "action: unknown action 'fly'"),
        (("bulk", "acme", "tier"), "tier: tier needs a value"),
        (("bulk", "acme", "tier", "9"), "tier: unknown tier '9'"),
        (("bulk", "is:nope", "archive"), "unknown state or flag 'nope'"),
        (("bulk", "acme", "snooze", "2001-01-01"), "snooze: 2001-01-01 is in the past"),
        (("bulk", "acme", "archive", "now"), "archive: archive takes no value"),
        (("bulk", "acme", "uncategory", "zzz"), "category: no category 'zzz'"),
        (("bulk", "acme", "emails", "-o", "/nonexistent/dir/x"), "cannot write there"),
    ],
)
def test_bad_input_one_line_exit_1_nothing_changed(net, args, needle):
    before = snapshot(net.path)
    code, _out, err = net(*args)
    assert code == 1
    assert err.startswith("netterm: error: ") and needle in err and err.count("\n") == 1
    assert snapshot(net.path) == before
