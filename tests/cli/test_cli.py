"""The command line, as a user types it: output, exit codes, and nothing written on error."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from engines import snapshot


def test_the_scenario_of_issue_2(run):
    code, out, _ = run(
        "add", "Ana Silva", "--tier", "1", "--met-on", "200 days ago", "--company", "Acme"
    )
    assert code == 0 and "Added #1 Ana Silva (priority)" in out
    assert run("log", "coffee", "ana", "--when", "120 days ago")[0] == 0
    code, out, _ = run("due")
    assert code == 0
    assert out.splitlines()[0].startswith("1 overdue · 0 due soon · 0 unresponsive")
    assert "overdue 30d" in out and "Ana Silva" in out

    run("log", "email", "ana", "--awaiting-reply")
    run("log", "email", "ana s", "--awaiting-reply")
    code, out, _ = run("due")
    assert "0 overdue · 0 due soon · 1 unresponsive" in out
    assert "unresponsive" in out.splitlines()[-1] and "overdue 30d" not in out

    code, out, _ = run("reply", "Ana Silva")
    assert code == 0 and "answered 2 pending attempts" in out
    code, out, _ = run("due", "--json")
    data = json.loads(out)
    assert data["counts"]["unresponsive"] == 0
    assert data["contacts"] == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("log", "cofee", "ana"), "unknown kind 'cofee' (did you mean coffee?)"),
        (("log", "coffee", "ana", "--when", "next blursday"), "can't understand 'next blursday'"),
        (("add", "Bob", "--email", "bob@"), "'bob@' is not a valid email address"),
        (("add", "Bob", "--tier", "7"), "unknown tier '7'"),
        (("add", "   "), "a contact needs a name"),
        (("log", "coffee", "ana"), "'ana' matches 2 contacts"),
        (("log", "coffee", "zed"), "no contact matches 'zed'"),
        (("log", "coffee", "ana s", "--mutual", "--awaiting-reply"), "only an outbound touch"),
        (
            ("log", "coffee", "ana s", "--when", "tomorrow"),
            "'tomorrow' is 27 Nov, in the future; a touch is something that happened. Plan a "
            "meeting as a follow-up: netterm follow-up WHO DATE TEXT",
        ),
        (("log", "lunch", "ana s", "--awaiting-reply", "--in-person"), "an invitation"),
        (("log", "call", "ana s", "--when", "31/02/2026"), "'31/02/2026' is not a real date"),
        (("settings", "dates.order", "ymd"), "dates.order is one of dmy, mdy"),
        (("edit", "ana s"), "nothing to change"),
        (("list", "is:nope"), "unknown state or flag 'nope'"),
        (("frobnicate",), "No such command 'frobnicate'"),
        (("log", "coffee"), "Missing argument 'WHO'"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_changes_nothing(run, args, needle):
    run("add", "Ana Silva", "--tier", "1")
    run("add", "Ana Costa")
    before = snapshot(run.path)
    code, _, err = run(*args)
    assert code == 1
    assert needle in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("netterm: error: ")
    assert snapshot(run.path) == before


def test_help_everywhere(run):
    from netterm.cli import cli

    code, out, _ = run("--help")
    assert code == 0 and "Commands:" in out
    for name in cli.commands:
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage: netterm" in out, name


def test_each_command_is_found_in_its_own_module():
    """COMMAND_HOME names every command's module: running one imports only that one."""
    from importlib import import_module

    from netterm.cli import COMMAND_HOME, COMMAND_MODULES

    where = {}
    for module in COMMAND_MODULES:
        for command in import_module(f"netterm.cli.{module}").COMMANDS:
            where[command.name] = module
    assert where == COMMAND_HOME


def test_a_command_imports_only_its_own_module(tmp_path):
    code = (
        "import sys\n"
        "from netterm.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(tmp_path / 'n.db')!r}, 'due'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('netterm.cli.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == (
        "netterm.cli.group,netterm.cli.network,netterm.cli.output"
    )


@pytest.mark.parametrize(
    ("args", "env", "opens"),
    [
        ([], None, (None, False)),
        ([], "/n/env.db", ("/n/env.db", False)),
        (["--db", "/n/x.db"], "/n/env.db", ("/n/x.db", False)),
        (["--db=/n/x.db", "--demo"], None, ("/n/x.db", True)),
        (["--demo"], None, (None, True)),
        (["--demo", "--db", ""], "/n/env.db", ("/n/env.db", True)),
        # anything else is click's to parse, and to say what is wrong with it
        (["due"], None, None),
        (["--db", "x.db", "due"], None, None),
        (["--screen", "audit"], None, None),
        (["--db"], None, None),
        (["--db", "--demo"], None, None),
        (["--db="], None, None),
        (["--db", "a.db", "--db", "b.db"], None, None),
        (["--demo", "--demo"], None, None),
        (["--help"], None, None),
        (["--version"], None, None),
        (["--", "--demo"], None, None),
    ],
)
def test_only_a_command_line_that_just_opens_the_app_skips_click(args, env, opens, monkeypatch):
    """`netterm`, `netterm --db FILE`, `netterm --demo` open the app without importing
    click (README "Performance"); they mean what click would make of them."""
    from netterm.cli import _only_the_app

    if env is None:
        monkeypatch.delenv("NETTERM_DB", raising=False)
    else:
        monkeypatch.setenv("NETTERM_DB", env)
    assert _only_the_app(args) == opens


def test_a_command_exits_with_its_database_closed(tmp_path):
    """netterm.startup.quick_exit spares the last garbage collection at exit; the
    database is still closed (its -wal and -shm files gone) and the output complete."""
    db = tmp_path / "n.db"
    for args in (["add", "Ana Silva", "--tier", "1"], ["log", "coffee", "ana"], ["list"]):
        out = subprocess.run(
            [sys.executable, "-m", "netterm", "--db", str(db), *args],
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["n.db"]
    assert "Ana Silva" in out.stdout


def test_list_show_archive(run):
    run(
        "add",
        "Ana Silva",
        "--tier",
        "1",
        "--company",
        "Acme",
        "--category",
        "Former classmates",
        "--email",
        "ana@acme.example",
        "--notes",
        "likes ramen",
    )
    run("add", "Bob Stone", "--company", "Globex")
    run("log", "lunch", "ana", "--when", "last friday", "--note", "talked about Globex")
    code, out, _ = run("list", "acme")
    assert code == 0 and "Ana Silva" in out and "Bob" not in out
    code, out, _ = run("list", "--category", "former classmates", "--json")
    assert [r["name"] for r in json.loads(out)] == ["Ana Silva"]
    code, out, _ = run("show", "ana")
    assert "Ana Silva" in out and "ana@acme.example" in out and "lunch" in out
    assert "talked about Globex" in out and "likes ramen" in out
    assert "Timeline (1 touch)" in out
    code, out, _ = run("archive", "ana")
    assert code == 0 and "Undo: netterm unarchive" in out
    assert "Ana" not in run("list")[1]
    assert "Ana Silva" in run("list", "--state", "archived")[1]
    assert run("unarchive", "ana")[0] == 0
    assert "Ana Silva" in run("list")[1]


def test_follow_ups_and_pause(run):
    run("add", "Ana Silva", "--tier", "1")
    code, out, _ = run("follow-up", "ana", "tomorrow", "send the deck")
    assert code == 0 and "27 Nov" in out
    assert "send the deck" in run("follow-ups", "--all")[1]
    assert run("done", "1")[0] == 0
    assert run("pause", "ana", "--until", "in 3 weeks")[0] == 0
    assert "paused" in run("show", "ana")[1]
    assert run("resume", "ana")[0] == 0


def test_terminal_escapes_in_names_are_not_replayed(run):
    run("add", "Evil \x1b[31mRed\x1b[0m Name")
    code, out, _ = run("list")
    assert code == 0
    assert "\x1b" not in out
    assert "Evil" in out


def test_demo_command(run):
    code, out, _ = run("demo", "--size", "30")
    assert code == 0 and "Wrote 30 contacts" in out
    code, out, _ = run("due")
    assert code == 0 and "overdue" in out.splitlines()[0]


def test_real_process_and_python_m(tmp_path):
    env = {**os.environ, "NETTERM_DB": str(tmp_path / "p.db"), "NETTERM_NOW": "2026-11-26T12:00"}
    add = subprocess.run(
        [sys.executable, "-m", "netterm", "add", "Ana Silva", "--tier", "1"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert add.returncode == 0, add.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "netterm", "log", "cofee", "ana"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("netterm: error: kind: unknown kind 'cofee'")
    assert "Traceback" not in bad.stderr


def test_edit_title_or_company_says_correction_or_new_job(run):
    run("add", "Ray Mond", "--title", "Rear Admiarl", "--company", "US Navy")
    before = snapshot(run.path)
    code, _, err = run("edit", "ray", "--title", "Rear Admiral")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "--correction" in err and "--new-job" in err
    code, _, err = run("edit", "ray", "--notes", "x", "--since", "2026-01-01")
    assert code == 1 and "--since dates a new job" in err
    assert snapshot(run.path) == before
    assert run("edit", "ray", "--title", "Rear Admiral", "--correction")[0] == 0
    code, out, _ = run("show", "ray")
    assert "Rear Admiral @ US Navy" in out and "until" not in out  # no career row
    code, _, _ = run(
        "edit", "ray", "--title", "CISO", "--company", "Globex", "--new-job", "--since", "1/10/2026"
    )
    assert code == 0
    code, out, _ = run("show", "ray")
    assert "CISO @ Globex" in out and "Rear Admiral" in out and "1 Oct" in out


def test_one_unanswered_email_is_followed_up_once(run):
    run("add", "Ana Silva", "--tier", "3")
    run("log", "email", "ana", "--when", "30 days ago", "--awaiting-reply")
    code, out, _ = run("due")
    assert code == 0 and "Ana Silva" in out and "overdue 9d" in out
    assert "No answer to your e-mail of 27 Oct: follow up once" in out
    code, out, _ = run("show", "ana")
    assert "No answer to your e-mail of 27 Oct: follow up once, overdue by 9 days" in out
    run("log", "email", "ana", "--awaiting-reply")
    code, out, _ = run("show", "ana")
    assert "Unresponsive: 2 unanswered attempts" in out


def test_settings_list_the_date_order_and_the_follow_up_interval(run):
    code, out, _ = run("settings")
    assert code == 0 and "policy.follow_up_days = 21" in out
    assert "dates.order = dmy   (dmy or mdy)" in out
    assert run("settings", "dates.order", "MDY")[1].strip() == "dates.order = mdy"
    run("add", "Ana Silva")
    assert run("log", "call", "ana", "--when", "11/3/2026")[0] == 0
    assert "3 Nov" in run("show", "ana")[1]  # month first now
