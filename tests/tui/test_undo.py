"""Every mistake correctable in the app: the timeline's edit and delete, `u` after every
write, the audit's `u`, and writes that never freeze the keys while another process
holds the database's write lock."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import SIZE, app_for, ready, toasts, wait_for
from textual.widgets import Input, OptionList

from netterm import services as svc
from netterm.services import audit
from netterm.store.models import DismissedSource, FollowUp, Interaction
from netterm.tui.screens.audit import AuditEndScreen, AuditScreen
from netterm.tui.screens.confirm import ConfirmScreen
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.detail import DetailScreen, Timeline
from netterm.tui.screens.form import ContactForm
from netterm.tui.screens.touchedit import TouchEditor
from netterm.tui.widgets.keybar import KeyBar
from tests.audit.conftest import _dump as dump_audit

# the app's flows on both engines (tests/conftest.py)
pytestmark = pytest.mark.both_engines


def touches(cid: int) -> list[tuple]:
    return [
        (t.id, t.kind, t.occurred_on, t.note, t.in_person, t.awaiting_reply, t.replied_at)
        for t in svc.get_contact(cid).touches
    ]


def rows() -> list[tuple]:
    return sorted(tuple(r.__data__.items()) for r in Interaction.select())


async def open_detail(pilot, cid: int) -> DetailScreen:
    await ready(pilot)
    pilot.app.open_detail(cid)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DetailScreen)
    return screen


def timeline_text(screen) -> str:
    return "\n".join(str(o.prompt) for o in screen.query_one(Timeline).options)


def keybar_text(app) -> str:
    return app.screen.query_one(KeyBar).render().plain


def _contact(db) -> int:
    cid = svc.add_contact("Ana Silva", tier=1, company="Globex")
    svc.log_touch(cid, "coffee", "40 days ago", note="pricing")
    svc.log_touch(cid, "email", "10 days ago", awaiting_reply=True)
    return cid


# --------------------------------------------------------------------------- timeline


async def test_tab_selects_the_timeline_and_the_page_keys_still_work(empty_db):
    cid = _contact(empty_db)
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        timeline = screen.query_one(Timeline)
        assert not timeline.has_focus and timeline.border_subtitle == "t selects a touch"
        assert "t Timeline" in keybar_text(app)
        await pilot.press("e")  # the page's e: edit the contact
        assert isinstance(app.screen, ContactForm)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="the page again")
        await pilot.press("tab")
        assert timeline.has_focus and timeline.highlighted == 0
        bar = keybar_text(app)
        assert "e Edit touch" in bar and "del Delete touch" in bar
        assert "e edits" in timeline.border_subtitle
        await pilot.press("j")
        assert timeline.highlighted == 1
        await pilot.press("t")
        assert not timeline.has_focus
        await pilot.press("t")
        assert timeline.has_focus and timeline.highlighted == 1
        await pilot.press("tab")
        assert not timeline.has_focus
        await pilot.press("backspace")  # the page's backspace: back to the list
        assert isinstance(app.screen, ContactsScreen)


async def test_edit_a_touch_in_the_timeline_and_undo(empty_db):
    cid = _contact(empty_db)
    before = touches(cid)
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        await pilot.press("tab", "j", "e")  # the coffee, 40 days ago
        editor = app.screen
        assert isinstance(editor, TouchEditor) and editor.touch.kind == "coffee"
        editor.query_one("#ql-when", Input).value = "2 days ago"
        editor.query_one("#ql-note", Input).value = "pricing, and her move"
        await pilot.press("l")  # the kinds line has the focus: l is lunch
        await pilot.press("enter")
        assert app.screen is screen
        coffee_id = before[1][0]
        t = svc.get_touch(coffee_id)
        assert (t.kind, t.note, t.in_person) == ("lunch", "pricing, and her move", True)
        assert "pricing, and her move" in timeline_text(screen)
        assert "Touch: Touch corrected: lunch" in toasts(app)[-1]
        await pilot.press("u")
        assert touches(cid) == before
        assert "pricing, and her move" not in timeline_text(screen)
        assert "Undid the edit of the coffee" in toasts(app)[-1]


async def test_a_bad_correction_stays_in_the_dialog(empty_db):
    cid = _contact(empty_db)
    before = rows()
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, cid)
        await pilot.press("tab", "e")
        editor = app.screen
        editor.query_one("#ql-when", Input).value = "next flurbsday"
        await pilot.press("enter")
        assert app.screen is editor
        assert "date:" in str(editor.query_one("#ql-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, DetailScreen)
        assert rows() == before


async def test_delete_a_touch_in_the_timeline_and_undo(empty_db):
    cid = _contact(empty_db)
    email = svc.get_contact(cid).touches[0]
    Interaction.update(source="mail", source_key="<m1@x>").where(
        Interaction.id == email.id
    ).execute()
    before = rows()
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        assert "from mail" in timeline_text(screen)
        await pilot.press("tab", "delete")
        assert [t[1] for t in touches(cid)] == ["coffee"]
        assert DismissedSource.select().count() == 1
        assert "Imports will not bring it back" in toasts(app)[-1]
        assert screen.query_one(Timeline).border_title == "Timeline · 1 touch"
        await pilot.press("u")
        assert rows() == before
        assert DismissedSource.select().count() == 0
        assert screen.query_one(Timeline).border_title == "Timeline · 2 touches"


# --------------------------------------------------------------------------- u after r, d


async def test_a_reply_can_be_undone(empty_db):
    cid = _contact(empty_db)
    before = rows()
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        assert "awaiting reply" in timeline_text(screen)
        await pilot.press("r")
        assert len(touches(cid)) == 3 and "answered" in timeline_text(screen)
        assert "u undoes" in toasts(app)[-1]
        await pilot.press("u")
        assert rows() == before
        assert "awaiting reply" in timeline_text(screen)
        assert "Undid the reply from Ana Silva" in toasts(app)[-1]


async def test_follow_up_done_then_undo_shows_it_open_again(empty_db):
    cid = _contact(empty_db)
    svc.add_follow_up(cid, "in 1 week", "send the deck")
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)

        def follow_box() -> str:
            return str(screen.query_one("#detail-follow").render())

        assert follow_box().startswith("due")
        await pilot.press("d")
        assert follow_box().startswith("done")
        await pilot.press("u")
        assert FollowUp.get().done_at is None
        assert follow_box().startswith("due")  # not a stale "done"


# --------------------------------------------------------------------------- the audit


async def test_audit_u_undoes_the_last_decision_like_b(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen), what="the audit")
        screen = app.screen
        first = screen.card.contact.id
        before = dump_audit()
        await pilot.press("k")
        assert screen.card.contact.id != first
        await pilot.press("u")
        assert screen.card.contact.id == first
        assert dump_audit() == before


async def test_finish_early_shows_only_the_summary(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen), what="the audit")
        await pilot.press("F")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause(0.1)
        assert isinstance(app.screen, AuditEndScreen)
        assert not [t for t in toasts(app) if "did not work" in t], toasts(app)
        assert audit.status().in_progress is False


async def test_the_card_follows_a_change_made_by_another_process(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen), what="the audit")
        screen = app.screen
        cid = screen.card.contact.id
        from engines import raw_connect

        other = raw_connect(db)  # another process's connection, on either engine
        other.execute("UPDATE contact SET location = 'Reykjavik' WHERE id = ?", (cid,))
        other.commit()
        other.close()
        await wait_for(
            pilot,
            lambda: "Reykjavik" in str(screen.query_one("#audit-who").render()),
            what="the card to show the other process's change",
        )


# --------------------------------------------------------------------------- the lock


async def test_a_write_waiting_for_another_process_never_freezes_the_app(empty_db):
    cid = _contact(empty_db)
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        holder = sqlite3.connect(empty_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            await pilot.press("r")  # the reply has to wait
            await wait_for(pilot, lambda: app.busy is not None, what="the busy state")
            assert "saving: another netterm is writing" in keybar_text(app)
            assert any("Waiting to save" in t for t in toasts(app))
            # the app still answers: the timeline takes the focus, the cursor moves
            await pilot.press("tab", "j")
            timeline = screen.query_one(Timeline)
            assert timeline.has_focus and timeline.highlighted == 1
            await pilot.pause(0.3)
            assert app.busy is not None and len(touches(cid)) == 2  # still waiting
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await wait_for(pilot, lambda: app.busy is None, what="the write to finish")
        assert len(touches(cid)) == 3 and "answered" in timeline_text(screen)
        assert "saving" not in keybar_text(app)
        await wait_for(
            pilot,
            lambda: any("Reply from Ana Silva logged" in t for t in toasts(app)),
            what=f"the reply's toast in {toasts(app)}",
        )
        await pilot.press("u")  # and it can be undone like any other
        assert len(touches(cid)) == 2


async def test_writes_waiting_for_the_lock_keep_their_order(empty_db):
    cid = _contact(empty_db)
    svc.add_follow_up(cid, "in 1 week", "send the deck")
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, cid)
        holder = sqlite3.connect(empty_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("r", "d")
            await wait_for(pilot, lambda: app.busy is not None, what="the busy state")
            await pilot.pause(0.2)
            assert len(app._writes) == 2
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await wait_for(pilot, lambda: app.busy is None, what="the writes to finish")
        assert len(touches(cid)) == 3 and FollowUp.get().done_at is not None
        await pilot.press("u")  # the last write first
        assert FollowUp.get().done_at is None and len(touches(cid)) == 3
        await pilot.press("u")
        assert len(touches(cid)) == 2


def test_the_timeline_is_an_option_list():
    assert issubclass(Timeline, OptionList)


# --------------------------------------------------------------------------- more writes


async def test_a_contact_edit_and_a_new_contact_can_be_undone(empty_db):
    from helpers import shown_text

    from netterm.services.undo import contact_values

    cid = _contact(empty_db)
    before = contact_values(cid)
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ContactForm)
        form.query_one("#f-location", Input).value = "Reykjavik"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, what="the page again")
        assert svc.get_contact(cid).location == "Reykjavik"
        assert "Reykjavik" in shown_text(screen, "#detail-head")
        await pilot.press("u")
        after = contact_values(cid)
        assert after["location"] == before["location"]
        assert after["version"] > before["version"]  # a form opened before sees the change
        assert "Reykjavik" not in shown_text(screen, "#detail-head")
        await pilot.press("escape", "a")
        form = app.screen
        assert isinstance(form, ContactForm)
        form.query_one("#f-first_name", Input).value = "Zoe"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="the list")
        zoe = svc.find("Zoe")[0]
        assert svc.get_contact(zoe.id).archived_at is None
        await pilot.press("u")
        assert svc.get_contact(zoe.id).archived_at is not None  # archived, never deleted


async def test_a_planned_follow_up_can_be_undone(empty_db):
    cid = _contact(empty_db)
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        await pilot.press("f", *"send the deck", "enter")
        assert app.screen is screen and FollowUp.select().count() == 1
        await pilot.press("u")
        assert FollowUp.select().count() == 0
        assert "none planned" in str(screen.query_one("#detail-follow").render())


async def test_quick_log_while_another_process_writes(empty_db):
    cid = _contact(empty_db)
    app = app_for(empty_db, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        holder = sqlite3.connect(empty_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("l", "enter")  # a coffee today: the dialog closes at once
            await wait_for(pilot, lambda: app.busy is not None, what="the busy state")
            assert app.screen is screen and len(touches(cid)) == 2
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await wait_for(pilot, lambda: app.busy is None, what="the write to finish")
        assert touches(cid)[0][1] == "coffee" and len(touches(cid)) == 3
        await pilot.press("u")
        assert len(touches(cid)) == 2
