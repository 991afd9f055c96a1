"""Marking contacts (space, *, esc) and acting on all of them at once, with one undo."""

from __future__ import annotations

import pytest
from helpers import SIZE, app_for, ready, toasts, wait_for

from netterm import services
from netterm.services import bulk
from netterm.services.touches import touches_for
from netterm.tui.screens.bulk import BulkScreen
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.widgets.header import CountsBar
from netterm.tui.widgets.table import MARK, ContactTable

# the app's flows on both engines (tests/conftest.py)
pytestmark = pytest.mark.both_engines


def table(app) -> ContactTable:
    return app.screen_stack[0].query_one(ContactTable)


def header(app) -> str:
    return app.screen_stack[0].query_one(CountsBar).headline()


def line(app, index: int) -> str:
    t = table(app)
    return t.render_line(index - t.top + 1).text


async def test_space_marks_and_moves_down_star_marks_the_view_esc_clears(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        t = table(app)
        first, second = t.rows[0].id, t.rows[1].id
        await pilot.press("space")
        assert app.model.marked == {first} and t.cursor == 1
        assert line(app, 0).startswith(MARK) and not line(app, 1).startswith(MARK)
        assert "1 marked" in header(app)
        await pilot.press("space", "k", "k", "space")  # marks the second, unmarks the first
        assert app.model.marked == {second}
        await pilot.press("slash", *"acme", "enter")
        shown = {r.id for r in t.rows}
        await pilot.press("asterisk")
        assert app.model.marked == shown | {second}
        assert f"{len(shown | {second})} marked" in header(app)
        await pilot.press("asterisk")  # again: the shown rows are unmarked
        assert app.model.marked == {second} - shown
        await pilot.press("asterisk", "escape")  # esc unmarks first …
        assert app.model.marked == set() and app.model.query_text == "acme"
        assert "marked" not in header(app)
        await pilot.press("escape")  # … then clears the filter
        assert app.model.query_text == ""


async def test_b_needs_marks_and_shows_only_then(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert "b" not in screen.active_bindings  # not in the footer either
        await pilot.press("b")
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("space")
        assert screen.active_bindings["b"].enabled
        await pilot.press("b")
        assert isinstance(app.screen, BulkScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)


async def test_filter_mark_all_set_tier_and_undo_in_one_step(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"is:untracked", "enter", "asterisk")
        ids = sorted(app.model.marked)
        assert len(ids) > 3
        before = {i: services.get_contact(i).tier for i in ids}
        assert set(before.values()) == {None}
        await pilot.press("b", "t")
        await pilot.press(*"3")
        await pilot.pause()
        assert app.screen.chosen == "t", app.screen.chosen
        assert app.screen.value_input.value == "3"
        assert "light" in str(app.screen.query_one("#bulk-parsed").render())
        await pilot.press("enter")
        assert isinstance(app.screen, ContactsScreen)
        assert {services.get_contact(i).tier for i in ids} == {3}
        assert any(f"Set the tier of {len(ids)} contacts to light" in t for t in toasts(app))
        # the rows left the untracked filter? no: the list is stable until r; recoloured
        await wait_for(pilot, lambda: all(app.model.by_id[i].tier == 3 for i in ids))
        await pilot.press("u")
        assert {services.get_contact(i).tier for i in ids} == {None}
        await wait_for(pilot, lambda: all(app.model.by_id[i].tier is None for i in ids))


async def test_log_an_update_for_the_marked_with_one_note(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("space", "space", "space")
        ids = app.model.marked_ids()
        counts = {i: len(touches_for(i)) for i in ids}
        await pilot.press("b", "u", *"I joined Globex", "enter")
        for i in ids:
            newest = touches_for(i)[0]
            assert (newest.kind, newest.note) == ("update", "I joined Globex")
            assert len(touches_for(i)) == counts[i] + 1
        await pilot.press("u")
        assert {i: len(touches_for(i)) for i in ids} == counts


async def test_archive_the_marked_leaves_the_list_and_undo_brings_them_back(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        t = table(app)
        await pilot.press("space", "space")
        ids = app.model.marked_ids()
        n = len(t.rows)
        await pilot.press("b", "x")
        assert len(t.rows) == n - 2 and not {r.id for r in t.rows} & set(ids)
        assert all(services.get_contact(i).archived_at is not None for i in ids)
        await pilot.press("u")
        assert len(t.rows) == n and {r.id for r in t.rows} >= set(ids)
        assert all(services.get_contact(i).archived_at is None for i in ids)


async def test_category_and_a_bad_value_stays_in_the_dialog(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("space", "space")
        ids = app.model.marked_ids()
        await pilot.press("b", "minus", *"no such category", "enter")
        assert isinstance(app.screen, BulkScreen)
        assert "no category 'no such category'" in str(app.screen.query_one("#bulk-error").render())
        await pilot.press("escape")  # back to the actions
        assert isinstance(app.screen, BulkScreen) and app.screen.chosen is None
        await pilot.press("c", *"newsletter", "enter")
        assert isinstance(app.screen, ContactsScreen)
        assert sorted(bulk.select("cat:newsletter")) == sorted(ids)
        await pilot.press("u")
        assert bulk.select("cat:newsletter") == []


async def test_copy_and_write_the_addresses(demo_db, tmp_path):
    app = app_for(demo_db)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # the terminal's clipboard, observed
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("asterisk")
        ids = app.model.marked_ids()
        found = bulk.addresses(ids)
        await pilot.press("b", "y")
        assert copied == [found.bcc]
        target = tmp_path / "bcc.txt"
        await pilot.press("b", "w", "ctrl+a")  # the default path is selected: typing replaces it
        app.screen.query_one("#bulk-value").value = str(target)
        await pilot.press("enter")
        assert target.read_text().splitlines() == [a for _, a in found.emails]
        assert copied[-1] == found.mailto


async def test_triage_l_enter_n_moves_to_the_next_that_needs_attention(demo_db):
    from netterm.tui.model import needs_attention

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        t = table(app)
        first = t.rows[0]
        assert needs_attention(first)
        await pilot.press("l", "enter")  # a coffee today with the first
        assert isinstance(app.screen, ContactsScreen)
        assert touches_for(first.id)[0].kind == "coffee"
        await wait_for(pilot, lambda: not needs_attention(app.model.by_id[first.id]))
        assert t.cursor == 0  # the logged row stays where it stood
        await pilot.press("n")
        assert t.cursor == 1 and needs_attention(t.current)
        second = t.current
        await pilot.press("l", "enter", "n")
        assert touches_for(second.id)[0].kind == "coffee"
        assert t.cursor == 2 and needs_attention(t.current)
        # from an OK row far down, n wraps around to the first that needs attention
        await pilot.press("G")
        while needs_attention(t.current):
            await pilot.press("k")
        await pilot.press("n")
        assert needs_attention(t.current)
