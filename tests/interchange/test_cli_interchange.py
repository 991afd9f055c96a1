"""`netterm import …` and `netterm export …` as a user types them."""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest
from click import _termui_impl as termui_impl
from conftest import fixture, snapshot

from netterm.cli import main
from netterm.cli.interchange import _Bar
from netterm.store import close_database, open_database


def test_import_dry_run_then_real_then_again(run):
    path = str(fixture("linkedin/Connections.csv"))
    open_database(run.path)  # an existing, empty network
    close_database()
    before = snapshot(run.path)
    code, out, err = run("import", "linkedin", path, "--dry-run")
    assert code == 0 and err == ""
    assert f"+ added    {path}:5  Ana Silva  (Senior Product Manager @ Acme)" in out
    assert f"- skipped  {path}:8  hidden profile (LinkedIn exports only the date)" in out
    assert "Would add 6, would update 0, 0 unchanged, skipped 2 (2 hidden profiles)." in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert snapshot(run.path) == before

    code, out, _ = run("import", "linkedin", path)
    assert code == 0
    assert "Added 6, updated 0, 0 unchanged, skipped 2 (2 hidden profiles)." in out
    assert "6 new contacts are untracked" in out
    assert "+ added" not in out  # a real run lists only what needs attention
    code, out, _ = run("import", "linkedin", str(fixture("linkedin/Connections-2026.csv")))
    assert "Job changes (congratulate them" in out
    assert "  Ana Silva: Senior Product Manager @ Acme → Head of Product @ Globex" in out
    assert "2 people changed jobs." in out
    code, out, _ = run("show", "ana silva")
    assert "job changed: congratulate them" in out and "Senior Product Manager @ Acme" in out


@pytest.mark.parametrize(
    ("fmt", "name", "line"),
    [
        ("linkedin", "bad/linkedin-stray-comma.csv", 3),
        ("vcard", "bad/unclosed.vcf", 5),
        ("json", "bad/tier.json", 9),
        ("google", "bad/google-unterminated.csv", 3),
    ],
)
def test_a_bad_file_is_one_line_exit_1_and_changes_nothing(run, fmt, name, line):
    run("import", "linkedin", str(fixture("linkedin/Connections.csv")))
    before = snapshot(run.path)
    path = str(fixture(name))
    code, out, err = run("import", fmt, path)
    assert code == 1 and out == ""
    assert err.startswith(f"netterm: error: {path}:{line}: ")
    assert len(err.strip().splitlines()) == 1
    assert snapshot(run.path) == before


def test_import_arguments(run, tmp_path):
    code, _, err = run("import", "linkedin", str(tmp_path / "nope.csv"))
    assert code == 1 and "does not exist" in err
    code, _, err = run("import", "linkedin", str(tmp_path))
    assert code == 1 and "is a directory" in err
    code, out, _ = run("import", "vcard", str(fixture("vcard/khard")), "-v")
    assert code == 0 and "Priya Sharma" in out and "Jonas Becker" in out
    code, out, _ = run("import", "google", str(fixture("google/contacts.csv")))
    assert "Warnings (1, imported anyway):" in out
    assert "not a valid email address; kept as an 'other' contact method" in out
    assert "Not imported (netterm has no place for them): Relation 1 ×4, Birthday ×1" in out
    for sub in ("linkedin", "vcard", "google", "json"):
        code, out, _ = run("import", sub, "--help")
        assert code == 0 and "--dry-run" in out
    for sub in ("vcard", "csv", "json", "ics"):
        code, out, _ = run("export", sub, "--help")
        assert code == 0 and "Usage: netterm export" in out


def test_exports_to_stdout_and_to_private_files(run, tmp_path):
    run("demo", "--size", "20")
    code, out, _ = run("export", "json")
    assert code == 0 and len(json.loads(out)["contacts"]) == 20
    target = tmp_path / "backup.json"
    code, out, _ = run("export", "json", "-o", str(target))
    assert code == 0 and out.startswith("Exported 20 contacts with ")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    code, out, _ = run("export", "vcard")
    assert out.count("BEGIN:VCARD") == 20
    code, _, err = run("export", "vcard", "-o", "x.vcf", "--vdir", "d")
    assert code == 1 and "either -o FILE or --vdir FOLDER" in err
    code, out, _ = run("export", "vcard", "--vdir", str(tmp_path / "book"))
    assert code == 0 and len(list((tmp_path / "book").iterdir())) == 20
    code, out, _ = run("export", "ics", "-o", str(tmp_path / "n.ics"))
    assert code == 0 and out.startswith("Wrote ") and "catch-ups" in out
    code, out, _ = run("export", "csv", "--active-only")
    assert out.startswith("Name,First Name,Last Name")
    # the backup restores into a new database, everything included
    other = tmp_path / "restored.db"
    code = 0
    try:
        main(["--db", str(other), "import", "json", str(target)])
    except SystemExit as exc:
        code = exc.code
    finally:
        close_database()
    assert code == 0


def test_bad_profile_address_is_a_clear_error_not_a_traceback(run):
    code, _, err = run("add", "Ana", "--linkedin", "[")
    assert code == 1 and err.startswith("netterm: error: linkedin: '[' is not a LinkedIn")


def test_progress_bar_only_on_a_terminal_for_big_files(monkeypatch, capsys):
    bar = _Bar("Importing")
    bar(0, 5000)
    bar(5000, 5000)
    bar.close()
    assert capsys.readouterr().err == ""  # stderr is not a terminal here
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(termui_impl, "isatty", lambda f: True)
    small = _Bar("Importing")
    small(0, 10)
    assert small.bar is None  # not worth a bar
    big = _Bar("Importing")
    big(0, 5000)
    big(2500, 5000)
    big(5000, 5000)
    big.close()
    assert "Importing" in capsys.readouterr().err
