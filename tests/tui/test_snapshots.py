"""Snapshots of every screen on the demo network, on the frozen day (Thu 26 Nov 2026).

`pytest tests/tui/test_snapshots.py --snapshot-update` rewrites them; look at the SVGs
(tests/tui/__snapshots__/) before committing new ones.
"""

from __future__ import annotations

import pytest
from helpers import ready
from textual.widgets import Input, TextArea

from netterm import services
from netterm.tui.app import NettermApp

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch):
    """A blinking cursor would make a snapshot depend on timing: keep it shown."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None, raising=False)


def shot(snap_compare, path, *keys: str, size=SIZE, setup=None, welcome=False) -> bool:
    async def run_before(pilot):
        await ready(pilot)
        if not welcome:  # the start-up toast is in test_contacts; elsewhere it hides things
            pilot.app.clear_notifications()
        if setup is not None:
            result = setup(pilot)
            if result is not None:
                await result
        await pilot.press(*keys)
        await pilot.pause(0.05)

    return snap_compare(NettermApp(path), run_before=run_before, terminal_size=size)


def test_contacts(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, welcome=True)


def test_contacts_filtered(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "slash", *"acme", "enter", "j")


def test_contacts_invalid_filter(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "slash", *"is:overdue is:nope")


def test_contacts_narrow_terminal(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, size=(80, 24))


def test_contacts_empty_network(snap_compare, empty_db):
    assert shot(snap_compare, empty_db)


def test_detail(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "enter")


def test_detail_unresponsive(snap_compare, demo_db):
    def open_priya(pilot):
        pilot.app.open_detail(services.resolve("priya sharma"))

    assert shot(snap_compare, demo_db, setup=open_priya)


def test_quick_log(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "l", "e", "w", "d", *"last friday")


def test_quick_log_picker(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "L", *"ana")


def test_add_form(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "a")


def test_add_form_with_errors(snap_compare, demo_db):
    def bad_values(pilot):
        form = pilot.app.screen
        form.query_one("#f-met_on", Input).value = "someday"
        form.query_one("#f-cadence_days", Input).value = "-3"

    async def fill(pilot):
        await pilot.press("a")
        await pilot.pause()
        bad_values(pilot)

    assert shot(snap_compare, demo_db, "ctrl+s", setup=fill)


def test_help(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "question_mark")


def test_follow_up(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "enter", "f", *"send the pricing article")


def test_intro_dialog(snap_compare, demo_db):
    """`I` on Ana Silva (looking for a staff engineer): who could help, and why."""
    assert shot(snap_compare, demo_db, "enter", "I", "j")


def test_discard_edits_question(snap_compare, demo_db):
    async def edit(pilot):
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one("#f-company", Input).value = "Initech"

    assert shot(snap_compare, demo_db, "escape", setup=edit)


def _duplicate_of_ana(pilot):
    """An imported copy of Ana Silva (same email): her audit card shows it."""
    services.add_contact(
        "Ana Silva",
        methods=[("email", "ana.silva@globex.example")],
        location="Lisbon",
        notes="from my phone's address book",
    )


def test_audit_card(snap_compare, demo_db):
    """Card 39 of 243, a job change to congratulate, 38 cards decided before it."""
    from netterm.services import audit

    def decide_38(pilot):
        card = audit.start()
        while card.number < 39:
            card = audit.keep(card.position)

    assert shot(snap_compare, demo_db, "A", setup=decide_38)


def test_audit_card_with_a_duplicate(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "A", setup=_duplicate_of_ana)


def test_audit_end(snap_compare, demo_db):
    from netterm.services import audit

    def all_but_the_last(pilot):
        card = audit.start()
        while card.number < card.total:
            card = audit.accept(card.position)  # as suggested: archive, re-tier, keep …

    assert shot(snap_compare, demo_db, "A", "z", "enter", setup=all_but_the_last)


def test_import_summary(snap_compare, demo_db, tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    from helpers import wait_for

    from netterm.tui.screens.interchange import ImportScreen

    fixture = Path(__file__).parent.parent / "interchange/fixtures/linkedin/Connections.csv"
    shutil.copy(fixture, tmp_path / "Connections.csv")
    monkeypatch.setenv("HOME", str(tmp_path))  # the field shows ~/Connections.csv

    async def dry_run(pilot):
        pilot.app.push_screen(ImportScreen("linkedin", "~/Connections.csv"))
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen.stage == "preview", what="the dry run")

    assert shot(snap_compare, demo_db, setup=dry_run)


# ---------------------------------------------------------------- 80×24 (issue 17)
NARROW = (80, 24)


def test_detail_narrow(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "enter", size=NARROW)


def test_quick_log_narrow(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "l", "e", "w", size=NARROW)


def test_audit_card_narrow(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "A", size=NARROW)


def test_contacts_marked(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "space", "space", "j", "space")


def test_bulk_dialog(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "space", "space", "b", "z")


def test_audit_scope_dialog(snap_compare, demo_db):
    """A on a filtered list with contacts marked: which to audit."""
    assert shot(snap_compare, demo_db, "space", "space", "slash", *"tier:1", "enter", "A")


def test_audit_scope_dialog_narrow(snap_compare, demo_db):
    assert shot(snap_compare, demo_db, "slash", *"is:untracked", "enter", "A", size=NARROW)
