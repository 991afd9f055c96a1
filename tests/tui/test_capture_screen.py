"""Capture from the command palette: the same dry-run dialog, then the touches in the app."""

from __future__ import annotations

from pathlib import Path

from helpers import SIZE, app_for, palette_has, ready, shown_text, toasts, wait_for
from textual.widgets import Input

from netterm import services as svc
from netterm.core import status as st
from netterm.services import capture
from netterm.tui.screens.detail import DetailScreen
from netterm.tui.screens.interchange import CaptureScreen
from tests.audit.conftest import _dump

FIXTURES = Path(__file__).parent.parent / "interchange" / "fixtures" / "capture"


def text(screen, selector: str) -> str:
    return shown_text(screen, selector)


async def test_import_mail_from_the_palette_then_the_timeline(demo_db):
    bob = svc.add_contact(
        "Bob Capture",
        tier="2",
        methods=[("email", "bob@initech.example"), ("email", "bob.stone@gmail.com")],
    )
    capture.set_me(["sam@home.example"])
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"Import mail")
        await wait_for(pilot, lambda: palette_has(app, "Import mail…"), what="the entry")
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, CaptureScreen) and dialog.fmt == "mail"
        before = _dump()
        dialog.query_one("#imp-path", Input).value = str(FIXTURES / "takeout.mbox")
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.stage == "preview", what="the dry run")
        summary = text(dialog, "#imp-summary")
        assert summary.startswith("Would add 2 touches for 1 contact")
        assert "Dana Okafor <dana@startup.example>: 3 messages" in summary
        assert "nothing was written" in summary
        assert _dump() == before
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.stage == "done", what="the import")
        assert any(t.startswith("Imported: Added 2 touches") for t in toasts(app))
        await wait_for(
            pilot,
            lambda: app.model.by_id[bob].state == st.UNRESPONSIVE,
            what="Bob unresponsive after two unanswered e-mails",
        )
        await pilot.press("enter")  # closes the dialog
        app.open_detail(bob)
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        timeline = text(app.screen, "#detail-timeline")
        assert "Re: Intro: Dana <> Bob" in timeline
        assert timeline.count("from mail") == 2
        assert "awaiting reply" in timeline


async def test_every_capture_is_in_the_palette(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"import")
        entries = ("Import mail…", "Import calendar…", "Import LinkedIn archive (ZIP, messages)…")
        await wait_for(pilot, lambda: all(palette_has(app, e) for e in entries), what="imports")


async def test_a_capture_error_stays_in_the_dialog(demo_db, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = _dump()
        app.push_screen(CaptureScreen("mail", str(notes)))
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one(".dialog-error").display, what="error")
        error = text(app.screen, ".dialog-error")
        assert f"{notes}:1: not an mbox file" in error
        assert app.screen.stage == "path"
        assert _dump() == before
