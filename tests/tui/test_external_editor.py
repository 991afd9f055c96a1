"""ctrl+e: a long note in $EDITOR, the app suspended meanwhile (App.suspend is replaced
here: the headless test driver cannot hand the terminal over, see the last test)."""

from __future__ import annotations

import contextlib
import sys
import textwrap

import pytest
from helpers import SIZE, app_for, ready, toasts, wait_for
from textual.app import App
from textual.widgets import Input, TextArea

from netterm import services
from netterm.services.touches import touches_for
from netterm.tui.screens.form import ContactForm
from netterm.tui.screens.quicklog import QuickLog


def editor_script(tmp_path, body: str, name: str = "fake-editor") -> str:
    path = tmp_path / name
    path.write_text(
        f"#!{sys.executable}\nimport sys\npath = sys.argv[-1]\n" + textwrap.dedent(body)
    )
    path.chmod(0o755)
    return str(path)


APPEND = """
text = open(path).read()
open(path, "w").write(text + "\\nSecond paragraph, written in the editor.\\n")
"""


@pytest.fixture
def suspended(monkeypatch):
    """App.suspend as a plain context: count its uses (the real one needs a terminal)."""
    calls = []

    @contextlib.contextmanager
    def suspend(self):
        calls.append(self)
        yield

    monkeypatch.setattr(App, "suspend", suspend)
    return calls


async def test_ctrl_e_edits_the_forms_notes_in_the_editor(
    demo_db, tmp_path, monkeypatch, suspended
):
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, APPEND))
    before = services.get_contact(1).notes
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm), what="the form")
        form = app.screen
        form.query_one("#f-notes", TextArea).focus()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert suspended == [app]
        notes = form.query_one("#f-notes", TextArea).text
        assert notes == before + "\nSecond paragraph, written in the editor."
        assert services.get_contact(1).notes == before  # not saved until ctrl+s
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, ContactForm), what="saved")
        assert services.get_contact(1).notes == notes


async def test_ctrl_e_in_the_quick_log_keeps_a_long_notes_lines(
    demo_db, tmp_path, monkeypatch, suspended
):
    monkeypatch.setenv(
        "VISUAL", editor_script(tmp_path, "open(path, 'w').write('Pricing.\\nHiring two.\\n')\n")
    )
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        cid = app.screen.table.rows[0].id
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, QuickLog), what="the quick-log")
        await pilot.press("ctrl+e")
        await pilot.pause()
        note = app.screen.query_one("#ql-note", Input)
        assert note.value == "Pricing. ⏎ Hiring two."
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, QuickLog), what="logged")
        assert touches_for(cid)[0].note == "Pricing.\nHiring two."


async def test_a_failing_editor_or_an_unchanged_file_leaves_the_note(
    demo_db, tmp_path, monkeypatch, suspended
):
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, "sys.exit(1)\n"))
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm), what="the form")
        area = app.screen.query_one("#f-notes", TextArea)
        before = area.text
        area.focus()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert area.text == before
        assert any("The editor exited with code 1: notes unchanged." in t for t in toasts(app))
        monkeypatch.setenv("EDITOR", editor_script(tmp_path, "pass\n", "noop"))
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert area.text == before
        assert any("Nothing changed: notes unchanged." in t for t in toasts(app))


async def test_no_editor_is_one_toast_and_the_app_stays(demo_db, tmp_path, monkeypatch, suspended):
    monkeypatch.setenv("EDITOR", "no-such-editor-anywhere")
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, QuickLog), what="the quick-log")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert suspended == []  # the terminal was never handed over
        assert any(
            "No editor: the editor in $EDITOR (no-such-editor-anywhere)" in t for t in toasts(app)
        )
        assert isinstance(app.screen, QuickLog)


async def test_headless_the_app_says_it_cannot_suspend(demo_db, tmp_path, monkeypatch):
    """Textual's headless driver (run_test) cannot suspend: one clear toast, no crash."""
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, APPEND))
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, QuickLog), what="the quick-log")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert any("cannot hand the screen to an editor" in t for t in toasts(app))
        assert app.screen.query_one("#ql-note", Input).value == ""
