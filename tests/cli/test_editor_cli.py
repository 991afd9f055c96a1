"""`netterm edit WHO --notes`: the notes in $VISUAL / $EDITOR (a small script here)."""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest

from netterm import editor


def script(tmp_path, body: str, name: str = "fake-editor") -> str:
    """An executable 'editor' running `body` (Python) with the file's path in `path`."""
    path = tmp_path / name
    path.write_text(
        f"#!{sys.executable}\nimport os, sys, stat, json\npath = sys.argv[-1]\n"
        + textwrap.dedent(body)
    )
    path.chmod(0o755)
    return str(path)


REWRITE = """
seen = {"file": oct(stat.S_IMODE(os.stat(path).st_mode)),
        "folder": oct(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)),
        "text": open(path).read(), "args": sys.argv[1:-1]}
open(os.environ["SEEN"], "w").write(json.dumps(seen))
open(path, "w").write("Met at PyCon.\\nLikes climbing.\\n")
"""


def notes(run) -> str:
    return json.loads(run("show", "ana", "--json")[1])["notes"]


def test_notes_open_in_the_editor_and_are_saved(run, tmp_path, monkeypatch):
    assert run("add", "Ana Silva", "--notes", "old notes")[0] == 0
    monkeypatch.setenv("SEEN", str(tmp_path / "seen.json"))
    monkeypatch.setenv("EDITOR", script(tmp_path, REWRITE) + " --wait")
    code, out, err = run("edit", "ana", "--notes")
    assert (code, err) == (0, ""), err
    assert out.startswith("Updated #1 Ana Silva")
    assert notes(run) == "Met at PyCon.\nLikes climbing."  # the editor's final newline dropped
    seen = json.loads((tmp_path / "seen.json").read_text())
    assert seen == {"file": "0o600", "folder": "0o700", "text": "old notes", "args": ["--wait"]}


def test_visual_wins_over_editor(run, tmp_path, monkeypatch):
    assert run("add", "Ana Silva")[0] == 0
    monkeypatch.setenv("SEEN", str(tmp_path / "seen.json"))
    monkeypatch.setenv("VISUAL", script(tmp_path, REWRITE))
    monkeypatch.setenv("EDITOR", script(tmp_path, "sys.exit(3)\n", "bad-editor"))
    assert run("edit", "ana", "--notes")[0] == 0
    assert notes(run) == "Met at PyCon.\nLikes climbing."


def test_an_unchanged_file_changes_nothing(run, tmp_path, monkeypatch):
    assert run("add", "Ana Silva", "--notes", "same")[0] == 0
    monkeypatch.setenv("EDITOR", script(tmp_path, "open(path, 'a').write('\\n')\n"))
    code, out, err = run("edit", "ana", "--notes")
    assert (code, out, err) == (0, "Nothing changed: notes unchanged.\n", "")
    assert notes(run) == "same"


def test_an_editor_that_fails_changes_nothing(run, tmp_path, monkeypatch):
    assert run("add", "Ana Silva", "--notes", "keep me")[0] == 0
    monkeypatch.setenv(
        "EDITOR", script(tmp_path, "open(path, 'w').write('half-written')\nsys.exit(1)\n")
    )
    code, out, err = run("edit", "ana", "--notes", "--tier", "1")
    assert code == 1 and out == ""
    assert err == "netterm: error: The editor exited with code 1: notes unchanged\n"
    shown = json.loads(run("show", "ana", "--json")[1])
    assert shown["notes"] == "keep me" and shown["tier"] is None  # nothing at all changed


def test_no_editor_is_one_line(run, tmp_path, monkeypatch):
    assert run("add", "Ana Silva", "--notes", "keep me")[0] == 0
    monkeypatch.setenv("EDITOR", "no-such-editor-anywhere")
    code, _, err = run("edit", "ana", "--notes")
    assert code == 1
    assert err == (
        "netterm: error: the editor in $EDITOR (no-such-editor-anywhere) was not found; "
        "set VISUAL or EDITOR to one that is installed\n"
    )
    monkeypatch.delenv("EDITOR")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = run("edit", "ana", "--notes")
    assert code == 1
    assert (
        err == "netterm: error: no editor found: set VISUAL or EDITOR (e.g. export EDITOR=nano)\n"
    )
    assert notes(run) == "keep me"


def test_notes_with_a_value_still_set_them(run):
    assert run("add", "Ana Silva")[0] == 0
    assert run("edit", "ana", "--notes", "typed")[0] == 0
    assert notes(run) == "typed"


def test_the_temporary_file_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("SEEN", str(tmp_path / "seen.json"))
    monkeypatch.setenv("EDITOR", script(tmp_path, REWRITE))
    seen_paths = []
    real = editor.tempfile.mkdtemp

    def spy(**kwargs):
        folder = real(**kwargs)
        seen_paths.append(folder)
        return folder

    monkeypatch.setattr(editor.tempfile, "mkdtemp", spy)
    result = editor.edit_text("x")
    assert result.changed and result.text == "Met at PyCon.\nLikes climbing."
    assert result.message == "Notes saved."
    assert seen_paths and not os.path.exists(seen_paths[0])
    monkeypatch.setenv("EDITOR", script(tmp_path, "sys.exit(2)\n", "failing"))
    failed = editor.edit_text("x")
    assert failed.failed and not failed.changed and failed.text == "x"
    assert not os.path.exists(seen_paths[-1])


@pytest.mark.parametrize("value", ["'unclosed", "   "])
def test_odd_editor_variables(value, monkeypatch, tmp_path):
    monkeypatch.setenv("EDITOR", value)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(editor.EditorMissing):
        editor.editor_command()
