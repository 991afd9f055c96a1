"""`A` on a filtered or marked list: an audit of just those, asked in a small dialog,
resumable, with a summary that says it was partial. The network is tests/audit/
conftest.py's `net` (an audit finished in March; today Thu 26 Nov 2026)."""

from __future__ import annotations

from helpers import SIZE, app_for, ready, wait_for

from netterm.services import audit
from netterm.tui.screens.audit import AuditEndScreen, AuditScreen
from netterm.tui.screens.auditscope import AuditScopeDialog
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.help import HelpScreen


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def dialog_text(app) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(".scope-choice"))


async def press_until(pilot, key: str, cls, what: str):
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, cls), what=what)
    return pilot.app.screen


async def test_a_filtered_partial_audit_walks_the_shown_and_says_so(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tier:2", "enter")
        shown = [r.id for r in app.model.view]
        assert set(shown) == {net.bob, net.ivan}
        await press_until(pilot, "A", AuditScopeDialog, "the dialog")
        choices = dialog_text(app)
        assert " f the 2 shown by tier:2" in choices and " w the whole network" in choices
        assert " m " not in choices  # nothing marked
        await press_until(pilot, "question_mark", HelpScreen, "its keys")
        await pilot.press("escape")
        screen = await press_until(pilot, "f", AuditScreen, "the audit")
        await wait_for(pilot, lambda: screen.card is not None, what="the first card")
        assert screen.card.contact.id == net.bob and screen.card.total == 2
        assert "of the 2 shown by tier:2" in text(screen, "#audit-title")
        assert text(screen, "#audit-count") == "1 / 2"
        await pilot.press("k")
        await wait_for(pilot, lambda: screen.card.contact.id == net.ivan, what="Ivan")
        await pilot.press("k")
        end = await wait_for_end(pilot)
        assert "Partial audit finished" in text(end, "#end-title")
        counts = text(end, "#end-counts")
        assert "A partial audit of 2 contacts: the 2 shown by tier:2." in counts
        assert "2 kept" in counts
        # the network's audit is still due
        assert audit.status().due and app.model.counts.audit_due


async def wait_for_end(pilot):
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AuditEndScreen), what="the end")
    return pilot.app.screen


async def test_a_marked_partial_audit_quit_and_resumed(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        t = app.screen
        for cid in (net.eve, net.dan, net.hugo):
            t.select(cid)
            await pilot.press("space")
        assert app.model.marked == {net.eve, net.dan, net.hugo}
        await press_until(pilot, "A", AuditScopeDialog, "the dialog")
        assert " m the 3 marked" in dialog_text(app)
        screen = await press_until(pilot, "enter", AuditScreen, "the audit")  # the first
        await wait_for(pilot, lambda: screen.card is not None, what="the first card")
        assert [screen.card.contact.id, screen.card.total] == [net.dan, 3]
        await pilot.press("k")
        await wait_for(pilot, lambda: screen.card.contact.id == net.hugo, what="Hugo")
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="the list")
        # marks cleared, no filter: A still offers to resume the partial audit
        await pilot.press("escape")
        assert not app.model.marked
        await press_until(pilot, "A", AuditScopeDialog, "the dialog")
        assert " r resume the partial audit of the 3 marked (card 2 / 3)" in dialog_text(app)
        await pilot.press("w")  # not offered while one is in progress
        await pilot.pause()
        assert isinstance(app.screen, AuditScopeDialog)
        screen = await press_until(pilot, "r", AuditScreen, "the audit")
        await wait_for(pilot, lambda: screen.card is not None, what="the card")
        assert screen.card.contact.id == net.hugo and screen.card.progress == "2 / 3"
        await pilot.press("k", "k")
        end = await wait_for_end(pilot)
        assert "the 3 marked" in text(end, "#end-counts")


async def test_without_filter_or_marks_a_opens_the_full_audit(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await press_until(pilot, "A", AuditScreen, "the audit")
        await wait_for(pilot, lambda: screen.card is not None, what="the card")
        assert screen.card.total == len(net.order()) and not screen.card.partial


async def test_esc_in_the_dialog_starts_nothing(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tier:2", "enter")
        await press_until(pilot, "A", AuditScopeDialog, "the dialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="the list")
        assert not audit.status().in_progress
