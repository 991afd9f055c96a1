"""Import and export from the command palette: dry run, apply, summary; errors change nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import SIZE, app_for, palette_has, ready, toasts, wait_for
from textual.widgets import Input, RadioButton

from netterm import services as svc
from netterm.core import status as st
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.interchange import ExportScreen, ImportScreen
from tests.audit.conftest import _dump

FIXTURES = Path(__file__).parent.parent / "interchange" / "fixtures"


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def palette(pilot, words: str) -> None:
    await pilot.press("ctrl+p", *words)
    await wait_for(pilot, lambda: palette_has(pilot.app, words), what=f"'{words}'")
    await pilot.press("enter")


async def stage(pilot, name: str) -> None:
    await wait_for(pilot, lambda: pilot.app.screen.stage == name, what=f"stage {name}")


async def test_import_linkedin_from_the_palette(demo_db, tmp_path, monkeypatch):
    shutil.copy(FIXTURES / "linkedin" / "Connections-2026.csv", tmp_path / "Connections.csv")
    monkeypatch.setenv("HOME", str(tmp_path))
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        total = app.model.counts.total
        before = _dump()
        await palette(pilot, "Import LinkedIn connections")
        dialog = app.screen
        assert isinstance(dialog, ImportScreen) and dialog.fmt == "linkedin"
        # a path that does not exist: said in the dialog
        await pilot.press(*"~/nope.csv", "enter")
        assert "No file at ~/nope.csv" in text(dialog, ".dialog-error")
        assert dialog.stage == "path"
        # the dry run: what would change, nothing written
        dialog.query_one("#imp-path", Input).value = "~/Connections.csv"
        await pilot.press("enter")
        await stage(pilot, "preview")
        summary = text(dialog, "#imp-summary")
        assert summary.startswith("Would add")
        assert "nothing was written" in summary
        assert dialog.summary.dry_run and dialog.summary.added > 0
        assert _dump() == before
        # enter imports it for real, then shows the summary and refreshes the list
        await pilot.press("enter")
        await stage(pilot, "done")
        result = dialog.summary
        assert not result.dry_run
        assert text(dialog, "#imp-summary").startswith(f"Added {result.added}")
        assert any(t.startswith("Imported: Added") for t in toasts(app))
        await wait_for(
            pilot,
            lambda: app.model.counts.total == total + result.added,
            what="the list to show the new contacts",
        )
        added = [c.contact_id for c in result.changes if c.action == "added"]
        assert all(app.model.by_id[cid].state == st.UNTRACKED for cid in added)
        await pilot.press("enter")
        assert isinstance(app.screen, ContactsScreen)


async def test_a_malformed_file_is_reported_and_changes_nothing(demo_db):
    bad = FIXTURES / "bad" / "linkedin-bad-date.csv"
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = _dump()
        app.push_screen(ImportScreen("linkedin", str(bad)))
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one(".dialog-error").display, what="error")
        error = text(app.screen, ".dialog-error")
        assert f"{bad}:" in error  # FILE:LINE: …
        assert app.screen.stage == "path"
        assert _dump() == before
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)


async def test_esc_after_the_dry_run_imports_nothing(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = _dump()
        app.push_screen(ImportScreen("vcard", str(FIXTURES / "vcard" / "apple.vcf")))
        await pilot.pause()
        await pilot.press("enter")
        await stage(pilot, "preview")
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)
        assert _dump() == before


async def test_every_import_is_in_the_palette(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"import")
        entries = ("Import Google contacts…", "Import vCard…", "Import netterm JSON…")
        await wait_for(pilot, lambda: all(palette_has(app, e) for e in entries), what="imports")
        await pilot.press("escape")
        await palette(pilot, "Import vCard")
        assert isinstance(app.screen, ImportScreen) and app.screen.fmt == "vcard"


async def test_export_from_the_palette(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await palette(pilot, "Export")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        path = dialog.query_one("#exp-path", Input)
        assert path.value == "~/netterm-2026-11-26.vcf"
        # another format: the default name follows it
        dialog.query_one("#exp-json", RadioButton).value = True
        await pilot.pause()
        assert path.value == "~/netterm-2026-11-26.json"
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.done, what="the export")
        written = tmp_path / "netterm-2026-11-26.json"
        data = json.loads(written.read_text(encoding="utf-8"))
        assert len(data["contacts"]) == svc.count_states().total + svc.count_states().archived
        assert written.stat().st_mode & 0o777 == 0o600
        assert "to ~/netterm-2026-11-26.json" in text(dialog, "#exp-result")
        await pilot.press("enter")
        assert isinstance(app.screen, ContactsScreen)

        # an existing file is replaced only after a second enter; a missing folder is said
        await palette(pilot, "Export")
        dialog = app.screen
        dialog.query_one("#exp-json", RadioButton).value = True
        await pilot.pause()
        written.write_text("keep me", encoding="utf-8")
        await pilot.press("enter")
        assert "exists. enter again replaces it" in text(dialog, ".dialog-error")
        assert written.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.done, what="the export")
        assert written.read_text(encoding="utf-8").startswith("{")
        await pilot.press("escape")
        await palette(pilot, "Export")
        app.screen.query_one("#exp-path", Input).value = "~/no/such/folder/x.vcf"
        await pilot.press("enter")
        assert "No folder ~/no/such/folder" in text(app.screen, ".dialog-error")


async def test_export_ics_and_csv(demo_db, tmp_path):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for fmt, head in (("ics", "BEGIN:VCALENDAR"), ("csv", "\ufeff")):
            app.push_screen(ExportScreen(fmt))
            await pilot.pause()
            dialog = app.screen
            target = tmp_path / f"out.{fmt}"
            dialog.query_one("#exp-path", Input).value = str(target)
            await pilot.press("enter")
            await wait_for(pilot, lambda d=dialog: d.done, what=f"the {fmt} export")
            assert target.read_text(encoding="utf-8").startswith(head)
            await pilot.press("escape")
