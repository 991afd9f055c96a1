"""Commands that only read never create a database; one that writes says where it did."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.sqlite_only  # about database files that exist or not

READING = [
    ("due",),
    ("due", "--json"),
    ("list",),
    ("list", "acme"),
    ("show", "ana"),
    ("follow-ups",),
    ("categories",),
    ("duplicates",),
    ("audit", "--status"),
    ("export", "json"),
    ("export", "csv"),
    ("export", "vcard"),
    ("export", "ics"),
    ("log", "coffee", "ana"),  # naming someone needs a network
    ("done", "1"),
]


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_a_reading_command_says_there_is_no_network_and_creates_none(run, args):
    code, out, err = run(*args)
    assert code == 1 and out == ""
    assert err == (
        f"netterm: error: no network at {run.path} yet: start one with `netterm add NAME`, "
        "try `netterm --demo`, or `netterm import …` (or check --db / NETTERM_DB)\n"
    )
    assert list(run.path.parent.glob(run.path.name + "*")) == []


def test_settings_show_the_defaults_without_creating_a_network(run):
    code, out, err = run("settings")
    assert code == 0 and "policy.follow_up_days = 21" in out and err == ""
    assert not run.path.exists()


def test_a_dry_run_import_works_on_an_empty_network_and_creates_nothing(run, tmp_path):
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,Company,Position,Connected On\nAna,Silva,Globex,,01 Jan 2020\n"
    )
    code, out, err = run("import", "linkedin", str(csv), "--dry-run")
    assert code == 0, err
    assert "Would add 1, would update 0" in out and "Dry run: nothing was written." in out
    assert list(run.path.parent.glob(run.path.name + "*")) == []


def test_the_first_write_creates_the_network_and_says_where_once(run):
    code, out, err = run("add", "Ana Silva")
    assert code == 0 and out.startswith("Added #1 Ana Silva")
    assert err == f"Created a new network at {run.path}\n"
    code, _, err = run("add", "Bob Stone")
    assert code == 0 and err == ""
    code, out, _ = run("due")
    assert code == 0


def test_a_write_that_fails_leaves_no_new_file_behind(run):
    code, _, err = run("add", "Ana", "--email", "not an address")
    assert code == 1 and err.startswith("netterm: error: ") and "Created" not in err
    assert list(run.path.parent.glob(run.path.name + "*")) == []


def test_global_options_work_after_the_command_too(run, tmp_path):
    other = tmp_path / "other.db"
    code, out, err = run("due", "--db", str(other))  # a mistyped --db: no silent empty network
    assert code == 1 and f"no network at {other} yet" in err and not other.exists()
    assert run("add", "Ana Silva", "--db", str(other))[0] == 0
    code, out, _ = run("list", "--db", str(other))
    assert code == 0 and "Ana Silva" in out
    assert not run.path.exists()  # the --db given first (the run fixture's) was overridden
    code, out, _ = run("export", "csv", "--db", str(other))
    assert code == 0 and "Ana Silva" in out
