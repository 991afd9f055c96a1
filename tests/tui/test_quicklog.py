"""Quick-log: the defaults, one key per kind, date phrases, toggles and the picker."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import SIZE, app_for, ready, toasts, wait_for
from textual.widgets import Input

from netterm.core.kinds import TOUCH_KINDS
from netterm.services.touches import touches_for
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.quicklog import KindPicker, QuickLog

# the app's flows on both engines (tests/conftest.py)
pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 26)


async def open_log(pilot, *keys):
    await ready(pilot)
    await pilot.press("l", *keys)
    return pilot.app.screen


async def test_defaults_fit_a_coffee_today(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        assert isinstance(screen, QuickLog)
        assert screen.query_one(KindPicker).kind == "coffee"
        assert "Thu 26 Nov (today)" in str(screen.query_one("#ql-when-parsed").render())
        await pilot.press("enter")
        assert isinstance(app.screen, ContactsScreen)
        t = touches_for(1)[0]
        assert (t.kind, t.occurred_on, t.direction, t.in_person) == (
            "coffee",
            TODAY,
            "mutual",
            True,
        )


async def test_one_key_per_kind(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for kind in ("lunch", "call", "email", "favour", "update"):
            await pilot.press("l", TOUCH_KINDS[kind].key)
            assert app.screen.query_one(KindPicker).kind == kind
            await pilot.press("enter")
            assert touches_for(1)[0].kind == kind


async def test_every_kind_has_its_key(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        for kind in TOUCH_KINDS.values():
            await pilot.press(kind.key)
            assert screen.query_one(KindPicker).kind == kind.name
        await pilot.press("right")
        assert screen.query_one(KindPicker).kind == "coffee"
        await pilot.press("left")
        assert screen.query_one(KindPicker).kind == "meeting"
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)
        assert touches_for(1)[0].occurred_on != TODAY  # cancelled: nothing logged


async def test_date_phrases_are_parsed_as_you_type(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot, "d", *"fri")
        assert "Fri 20 Nov" in str(screen.query_one("#ql-when-parsed").render())
        when = screen.query_one("#ql-when", Input)
        when.value = "someday"
        await pilot.pause()
        assert "can't understand 'someday'" in str(screen.query_one("#ql-error").render())
        await pilot.press("enter")  # refused: still open, nothing logged
        assert isinstance(app.screen, QuickLog)
        when.value = "3 days ago"
        await pilot.press("tab", *"her move")
        await pilot.press("enter")
        t = touches_for(1)[0]
        assert (t.occurred_on, t.note) == (date(2026, 11, 23), "her move")


async def test_awaiting_reply_and_value_toggles(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot, "w")
        assert "an invitation: not met yet" in str(screen.query_one("#ql-toggles").render())
        assert not screen.query_one("#ql-error").display
        await pilot.press("e")  # an email waits for a reply
        assert not screen.query_one("#ql-error").display
        await pilot.press("v", "v")
        await pilot.press("enter")
        t = touches_for(1)[0]
        assert (t.kind, t.awaiting_reply, t.value) == ("email", True, "received")


async def test_a_coffee_awaiting_reply_is_an_invitation_not_a_meeting(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot, "w", "enter")
        t = touches_for(1)[0]
        assert (t.kind, t.direction, t.in_person, t.awaiting_reply) == (
            "coffee",
            "out",
            False,
            True,
        )


async def test_a_future_date_is_refused_with_the_way_to_plan_it(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        before = touches_for(1)
        screen.query_one("#ql-when", Input).value = "Tomorrow"
        await pilot.pause()
        error = str(screen.query_one("#ql-error").render())
        assert "in the future" in error and "netterm follow-up" in error
        await pilot.press("enter")
        assert app.screen is screen and touches_for(1) == before
        screen.query_one("#ql-when", Input).value = "Last Thursday"  # capitalised works
        await pilot.pause()
        assert "Thu 19 Nov" in str(screen.query_one("#ql-when-parsed").render())


async def test_a_call_not_picked_up_is_an_attempt(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot, "p", "w", "enter")
        t = touches_for(1)[0]
        assert (t.kind, t.direction, t.awaiting_reply) == ("call", "out", True)


async def test_picker_finds_a_contact_by_a_few_letters(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("L")
        screen = app.screen
        assert isinstance(screen, QuickLog) and screen.contact_id is None
        await pilot.press(*"priya sh")
        options = screen.query_one("#ql-matches")
        assert options.option_count >= 1
        await pilot.press("enter")  # picks the highlighted match
        assert screen.contact_id == 4  # Priya Sharma
        assert app.focused is screen.query_one(KindPicker)
        await pilot.press("m", "enter")
        assert touches_for(4)[0].kind == "message"
        assert any("Logged message with Priya Sharma" in t for t in toasts(app))


async def test_picker_moves_with_arrows_and_says_when_nobody_matches(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("L", *"ana")
        screen = app.screen
        matches = list(screen._matches)
        assert len(matches) >= 2
        await pilot.press("down", "enter")
        assert screen.contact_id == matches[1].id
        await pilot.press("escape")
        await pilot.press("L", *"zzqq", "enter")
        assert "Type a few letters" in str(app.screen.query_one("#ql-error").render())


async def test_n_writes_a_note_and_q_cancels(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot, "n", *"hi")
        assert screen.query_one("#ql-note", Input).value == "hi"
        await pilot.press("escape")  # leaves the note field? no: esc cancels the log
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("l", "q")
        assert isinstance(app.screen, ContactsScreen)
        assert touches_for(1)[0].occurred_on != TODAY


async def test_keys_typed_in_one_burst_pick_the_kind(demo_db):
    from textual import events

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for key in ("l", "e", "w", "enter"):
            app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        await wait_for(pilot, lambda: touches_for(1)[0].occurred_on == TODAY, what="the log")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="the list")
        t = touches_for(1)[0]
        assert (t.kind, t.awaiting_reply, t.occurred_on) == ("email", True, TODAY)
