"""The Insights screen: how it opens, focus between panels, drill-down, help, snapshots,
and that its charts library loads only when it opens."""

from __future__ import annotations

import subprocess
import sys

from helpers import SIZE, app_for, palette_has, ready, wait_for
from textual.widgets import DataTable, Static

from netterm.core import status as st
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.detail import DetailScreen
from netterm.tui.screens.help import HelpScreen
from netterm.tui.screens.insights import InsightsScreen


async def shown(pilot):
    """Wait until the screen shows every figure, the comparison with the audit included."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, InsightsScreen), what="insights")
    await wait_for(pilot, lambda: app.screen.loaded and app.screen.compared, what="figures")
    await pilot.pause()
    return app.screen


async def test_i_opens_insights_and_escape_comes_back(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("i")
        screen = await shown(pilot)
        captions = {s.id: str(s.render()) for s in screen.query(".caption").results(Static)}
        assert set(captions) == {
            "touches-caption",
            "health-caption",
            "attention-caption",
            "reciprocity-caption",
            "categories-caption",
            "not-met-caption",
        }
        assert all(captions.values())  # every chart states its figure in words
        assert "face to face" in captions["touches-caption"]
        assert "than at the audit of" in captions["health-caption"]
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)


async def test_the_palette_and_the_command_line_open_insights(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"insights")
        await wait_for(pilot, lambda: palette_has(app, "Insights"))
        await pilot.press("enter")
        await shown(pilot)
    app = app_for(demo_db, screen="insights")
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot)
        assert isinstance(app.screen_stack[0], ContactsScreen)  # escape goes to the list


async def test_tab_moves_focus_between_the_panels(demo_db):
    app = app_for(demo_db, screen="insights")
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot)
        order = []
        for _ in range(5):
            order.append(screen.focused.id)
            await pilot.press("tab")
        assert order == [
            "health-table",
            "attention-table",
            "reciprocity-table",
            "categories-table",
            "not-met-table",
        ]
        assert screen.focused.id == "health-table"  # round again
        await pilot.press("shift+tab", "shift+tab")
        assert screen.focused.id == "categories-table"
        panel = screen.query_one("#categories")
        assert panel.has_focus_within
        # the focused panel is scrolled into view
        body = screen.query_one("#insights-body")
        assert body.scroll_offset.y > 0


async def test_enter_on_a_tier_cell_lists_those_contacts(demo_db):
    app = app_for(demo_db, screen="insights")
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot)
        table = screen.query_one("#health-table", DataTable)
        overdue_t1 = screen.data.health.tiers[0].counts[st.OVERDUE]
        assert overdue_t1 > 0
        await pilot.press("right", "right", "right")  # tier 1 · overdue
        assert screen.drill_target() == ("filter", "tier:1 is:overdue")
        assert table.cursor_coordinate == (0, 3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="the list")
        assert app.model.query_text == "tier:1 is:overdue"
        assert len(app.model.view) == overdue_t1  # the same count as the cell
        assert all(r.tier == 1 and r.state == st.OVERDUE for r in app.model.view)


async def test_enter_on_a_category_and_on_a_person(demo_db):
    app = app_for(demo_db, screen="insights")
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot)
        first = screen.data.categories[0]
        screen.query_one("#categories-table").focus()
        await pilot.pause()
        assert screen.drill_target() == ("filter", f'cat:"{first.name}"')
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="the list")
        assert len(app.model.view) == first.contacts
        await pilot.press("escape", "i")
        screen = await shown(pilot)
        person = screen.data.not_met.people[1]
        screen.query_one("#not-met-table").focus()
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), what="the contact")
        assert app.screen.contact_id == person.contact_id
        await pilot.press("escape")
        assert isinstance(app.screen, InsightsScreen)  # back where the user was


async def test_s_sorts_the_categories(demo_db):
    app = app_for(demo_db, screen="insights")
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot)
        await pilot.press("s")  # ok → name
        names = [c.name for c in screen.data.categories]
        assert names == sorted(names, key=str.casefold)
        table = screen.query_one("#categories-table", DataTable)
        assert str(table.get_cell_at((0, 0))) == names[0]
        assert "Sorted by name" in str(screen.query_one("#categories-caption", Static).render())


async def test_help_lists_the_screens_keys(demo_db):
    app = app_for(demo_db, screen="insights")
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        for binding in InsightsScreen.BINDINGS:
            assert binding.description in text, binding
        assert "tier:1 is:overdue" in text and "Kind groups" in text


async def test_an_empty_network_has_captions_too(empty_db):
    app = app_for(empty_db, screen="insights")
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot)
        text = str(screen.query_one("#health-caption", Static).render())
        assert text.startswith("No contact is tracked yet")
        screen.query_one("#not-met-table").focus()  # nobody in it
        await pilot.press("enter")  # nothing to open: says so, stays
        assert isinstance(app.screen, InsightsScreen)
        assert any("Nothing to open here" in n.message for n in app._notifications)


async def test_reopening_shows_the_same_figures_until_something_changes(demo_db, monkeypatch):
    """Nothing written since the last open: the figures (and charts) are shown again
    without reading; a touch logged here, another process's write or `r` read them again."""
    from netterm import services
    from netterm.services import insights

    reads = []
    real = insights.load
    monkeypatch.setattr(insights, "load", lambda *a, **k: reads.append(1) or real(*a, **k))
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("i")
        screen = await shown(pilot)
        first = screen.data
        await pilot.press("escape")
        await pilot.press("i")
        again = await shown(pilot)
        assert again is screen  # kept: nothing composed or drawn again
        assert again.data is first and len(reads) == 1
        assert again.data.health.compared  # the audit's figures came with them
        await pilot.press("escape")
        contact = app.model.view[0].id
        touch = services.log_touch(contact, "call")
        app.refresh_contacts([contact])
        await pilot.press("i")
        changed = await shown(pilot)
        assert changed is not screen and not screen.is_attached  # the stale one let go
        assert changed.data is not first and len(reads) == 2
        assert changed.data.touches.total == first.touches.total + 1
        await pilot.press("r")
        await wait_for(pilot, lambda: len(reads) == 3, what="the figures read again")
        await pilot.press("escape")
        services.delete_touch(touch.id)  # as if by another process: the app is not told,
        before = app.generation
        app.watcher.reload("external")  # until its poll sees the commit
        await wait_for(pilot, lambda: app.generation != before, what="the reload")
        await pilot.press("i")
        await shown(pilot)
        assert len(reads) == 4


async def test_a_big_network_has_the_figures_read_before_i_is_pressed(demo_db, monkeypatch):
    """Once the app has been idle a moment after loading the network, and again after a
    write, the figures are read in the background: `i` then reads nothing."""
    from netterm import services
    from netterm.services import insights
    from netterm.tui import application, insights_data

    monkeypatch.setattr(application, "WARM_AT", 0)  # the demo network counts as big
    monkeypatch.setattr(application, "WARM_AFTER", 0.05)
    reads = []
    real = insights.load
    monkeypatch.setattr(insights, "load", lambda *a, **k: reads.append(1) or real(*a, **k))
    app = app_for(demo_db)

    def warmed() -> bool:
        thread = insights_data._WARM.get(app)
        cache = insights_data._CACHE.get(app)
        return bool(
            thread is not None
            and not thread.is_alive()
            and cache is not None
            and cache["key"][0] == app.generation
        )

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, warmed, what="the figures read in the background")
        assert len(reads) == 1
        await pilot.press("i")
        screen = await shown(pilot)
        assert len(reads) == 1 and screen.data is insights_data._CACHE[app]["data"]
        total = screen.data.touches.total
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert len(reads) == 1  # nothing changed: not read again
        contact = app.model.view[0].id
        services.log_touch(contact, "call")
        app.refresh_contacts([contact])
        await wait_for(pilot, lambda: len(reads) == 2 and warmed(), what="read after the write")
        await pilot.press("i")
        again = await shown(pilot)
        assert len(reads) == 2 and again.data is insights_data._CACHE[app]["data"]
        assert again is screen  # the kept screen shows the new figures: nothing composed
        assert again.data.touches.total == total + 1
        caption = str(again.query_one("#touches-caption", Static).render())
        assert f"{total + 1}" in caption.replace(",", "")
        await wait_for(pilot, lambda: again.compared, what="the comparison with the audit")


def test_the_charts_load_only_when_the_screen_opens():
    """textual-plotext (and plotext) cost tens of milliseconds to import: never on the
    start-up path, only with the Insights screen."""
    code = (
        "import sys, netterm.tui.app, netterm.tui.application, netterm.tui.screens.contacts, "
        "netterm.tui.commands, netterm.cli\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual_plotext', 'plotext')]\n"
        "assert not bad, bad\n"
        "import netterm.tui.screens.insights\n"
        "assert 'textual_plotext' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


FIRST_PAINT = """
import asyncio, sys
from netterm.store import open_database
from netterm.tui.app import NettermApp

open_database(sys.argv[1])

async def main():
    app = NettermApp(sys.argv[1])
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.loaded:
            await pilot.pause(0.01)
        await pilot.pause()
        print("before:", "textual_plotext" in sys.modules)
        await pilot.press("i")
        while not getattr(app.screen, "loaded", False):
            await pilot.pause(0.01)
        print("after:", "textual_plotext" in sys.modules)

asyncio.run(main())
"""


def test_first_paint_does_not_import_the_charts(demo_db):
    """The app paints and loads the whole network without the charts; `i` brings them."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(demo_db)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["before:", "False", "after:", "True"]


# --------------------------------------------------------------------------- snapshots


def insights_shot(snap_compare, path, *keys, size=SIZE, theme=None):
    async def run_before(pilot):
        if theme:
            pilot.app.theme = theme
        await ready(pilot)  # the list loaded: its welcome toast is out, then cleared
        await shown(pilot)
        pilot.app.clear_notifications()
        await pilot.press(*keys)
        await pilot.pause(0.1)

    return snap_compare(app_for(path, screen="insights"), run_before=run_before, terminal_size=size)


def test_snapshot_insights_dark(snap_compare, demo_db):
    assert insights_shot(snap_compare, demo_db)


def test_snapshot_insights_light(snap_compare, demo_db):
    assert insights_shot(snap_compare, demo_db, theme="textual-light")


def test_snapshot_insights_lower_panels(snap_compare, demo_db):
    assert insights_shot(snap_compare, demo_db, "tab", "tab", "tab")


def test_snapshot_insights_narrow(snap_compare, demo_db):
    assert insights_shot(snap_compare, demo_db, "tab", size=(80, 24))


async def test_the_title_fits_the_terminal_after_a_resize(demo_db):
    app = app_for(demo_db, screen="insights")
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot)
        title = screen.query_one("#insights-title", Static)
        assert "?: keys" in str(title.render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert str(title.render()) == "netterm · Insights on Thu 26 Nov 2026"
