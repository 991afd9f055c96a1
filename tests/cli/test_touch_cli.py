"""`netterm touch edit` and `netterm touch rm`: every touch can be corrected from the shell."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import snapshot


def _setup(run) -> list[dict]:
    assert run("add", "Ana Silva", "--tier", "1")[0] == 0
    assert run("log", "email", "ana", "--when", "10 days ago", "--awaiting-reply")[0] == 0
    assert run("log", "coffee", "ana", "--when", "3 days ago", "--note", "pricing")[0] == 0
    return _touches(run)


def _touches(run) -> list[dict]:
    code, out, _ = run("show", "ana", "--json")
    assert code == 0
    return json.loads(out)["touches"]


def test_show_lists_touch_ids(run):
    touches = _setup(run)
    code, out, _ = run("show", "ana")
    assert code == 0
    for t in touches:
        assert f"#{t['id']}" in out
    assert "netterm touch edit ID" in out


def test_edit_a_touch(run):
    coffee, _email = _setup(run)
    code, out, err = run(
        "touch",
        "edit",
        str(coffee["id"]),
        "--kind",
        "lunch",
        "--when",
        "4 days ago",
        "--note",
        "tacos",
        "--remote",
    )
    assert code == 0, err
    assert f"Touch #{coffee['id']} is now: lunch with Ana Silva" in out
    assert "It was: coffee with Ana Silva" in out
    after = _touches(run)[0]
    assert (after["kind"], after["note"], after["in_person"]) == ("lunch", "tacos", False)
    assert after["id"] == coffee["id"]


def test_edit_answers_an_attempt(run):
    _coffee, email = _setup(run)
    assert email["awaiting_reply"]
    code, _out, _ = run("touch", "edit", f"#{email['id']}", "--answered")
    assert code == 0
    assert not _touches(run)[1]["awaiting_reply"]


def test_rm_asks_first_and_deletes(run):
    coffee, email = _setup(run)
    code, _, err = run("touch", "rm", str(coffee["id"]), stdin="n\n")
    assert code == 1 and "aborted" in err
    assert len(_touches(run)) == 2
    code, out, _ = run("touch", "rm", str(coffee["id"]), stdin="y\n")
    assert code == 0 and f"Deleted touch #{coffee['id']}: coffee with Ana Silva" in out
    code, out, _ = run("touch", "rm", str(email["id"]), "--yes")
    assert code == 0
    assert _touches(run) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (("touch", "edit", "99", "--note", "x"), "no touch #99"),
        (("touch", "rm", "99", "--yes"), "no touch #99"),
        (("touch", "edit", "abc", "--note", "x"), "ID: 'abc' is not a touch id"),
        (("touch", "rm", "#", "--yes"), "ID: '#' is not a touch id"),
        (("touch", "edit", "{coffee}"), "nothing to change"),
        (("touch", "edit", "{coffee}", "--when", "next flurbsday"), "date:"),
        (("touch", "edit", "{coffee}", "--kind", "telepathy"), "kind:"),
        (("touch", "edit", "{coffee}", "--in", "--awaiting-reply"), "awaiting reply:"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(run, args, message):
    coffee, _ = _setup(run)
    before = snapshot(run.path)
    args = tuple(a.format(coffee=coffee["id"]) for a in args)
    code, _out, err = run(*args)
    assert code == 1
    assert err.startswith("netterm: error: ") and message in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(run.path) == before


def test_show_says_who_logged_each_touch_when_others_log_too(run, monkeypatch):
    """A network several people log into (one PostgreSQL database): `show` names who
    logged a touch someone else logged, as the app's timeline does; --json always."""
    monkeypatch.setenv("NETTERM_USER", "bruno")
    assert run("add", "Ana Silva", "--tier", "1")[0] == 0
    assert run("log", "coffee", "ana", "--when", "3 days ago", "--note", "pricing")[0] == 0
    monkeypatch.setenv("NETTERM_USER", "ana")
    assert run("log", "email", "ana", "--when", "1 day ago")[0] == 0

    def line(out: str, kind: str) -> str:  # the timeline's line of that touch
        return next(x for x in out.splitlines() if x.lstrip().startswith("#") and kind in x)

    code, out, _ = run("show", "ana")
    assert code == 0
    coffee, email = line(out, "coffee"), line(out, "email")
    assert "by bruno" in coffee
    assert "by " not in email  # mine: not signed, as in the timeline
    assert [(t["kind"], t["logged_by"]) for t in _touches(run)] == [
        ("email", "ana"),
        ("coffee", "bruno"),
    ]

    monkeypatch.setenv("NETTERM_USER", "bruno")
    code, out, _ = run("show", "ana")
    assert "by ana" in line(out, "email")
    assert "by " not in line(out, "coffee")


def test_show_of_a_network_one_person_logs_names_nobody(run, monkeypatch):
    monkeypatch.setenv("NETTERM_USER", "ana")
    _setup(run)
    code, out, _ = run("show", "ana")
    assert code == 0
    assert "by ana" not in out
    assert {t["logged_by"] for t in _touches(run)} == {"ana"}
