"""The contacts screen, key by key, checking the database through the services."""

from __future__ import annotations

from helpers import SIZE, app_for, ready, toasts, wait_for

from netterm import services
from netterm.core import status as st
from netterm.services.touches import touches_for
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.detail import DetailScreen
from netterm.tui.widgets.table import ContactTable


def table(app) -> ContactTable:
    return app.screen.query_one(ContactTable)


async def test_opens_on_the_network_most_urgent_first(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ContactsScreen)
        await ready(pilot)
        rows = table(app).rows
        active = services.load_network().counts.total
        assert len(rows) == active  # archived hidden
        ranks = [st.STATE_RANK[r.state] for r in rows]
        assert ranks == sorted(ranks)
        assert rows[0].name == "Ana Silva" and rows[0].state == st.OVERDUE
        from netterm.tui.widgets.header import CountsBar

        header = app.screen.query_one(CountsBar).headline()
        assert header.startswith(" netterm ")
        assert f"{app.model.counts.overdue} overdue · " in header
        assert header.rstrip().endswith(f"{len(rows)} contacts")


async def test_cursor_keys(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        t = table(app)
        await pilot.press("j", "j", "down")
        assert t.cursor == 3
        await pilot.press("k", "up")
        assert t.cursor == 1
        await pilot.press("G")
        assert t.cursor == len(t.rows) - 1
        assert t.top > 0  # the last row is on screen
        await pilot.press("g")
        assert t.cursor == 0 and t.top == 0
        await pilot.press("pagedown")
        assert t.cursor > 20
        await pilot.press("pageup")
        assert t.cursor == 0
        await pilot.press("end", "home")
        assert t.cursor == 0


async def test_filter_narrows_as_you_type_and_escape_clears(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        everyone = len(table(app).rows)
        await pilot.press("slash", *"acme")
        rows = table(app).rows
        assert 0 < len(rows) < everyone
        assert all("acme" in r.haystack for r in rows)
        assert [r.id for r in rows] == [
            r.id for r in services.search(services.load_network(), "acme")
        ]
        await pilot.press("space", *"is:overdue", "enter")
        assert all(r.state == st.OVERDUE for r in table(app).rows)
        assert app.focused is table(app)  # enter hands the keys back to the list
        await pilot.press("escape")
        assert len(table(app).rows) == everyone
        assert not app.screen.query_one("#filter-bar").display


async def test_filter_language_qualifiers(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        app.screen.filter_input.value = 'cat:"former classmates" tier:'
        await pilot.press("3")
        rows = table(app).rows
        assert rows and all("former classmates" in r.categories and r.tier == 3 for r in rows)
        app.screen.filter_input.value = "is:archive"
        await pilot.press("d")
        rows = table(app).rows
        assert rows and all(r.state == st.ARCHIVED for r in rows)


async def test_an_invalid_qualifier_shows_a_message_and_keeps_the_list(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        app.screen.filter_input.value = "is:overdue is:no"
        await pilot.press("p", "e")
        error = app.screen.query_one("#filter-error")
        assert error.display
        assert "unknown state or flag 'nope'" in str(error.render())
        # the list keeps the last query that made sense ("is:no" is "is:notreviewed")
        last_valid = services.search(services.load_network(), "is:overdue is:no")
        assert [r.id for r in table(app).rows] == [r.id for r in last_valid]
        app.screen.filter_input.value = "is:overdue"
        await pilot.pause()
        assert not error.display
        assert all(r.state == st.OVERDUE for r in table(app).rows)


async def test_an_empty_result_says_how_to_get_out(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"zzzqx")
        assert table(app).rows == []
        assert "esc clears the filter" in table(app).empty_message()


async def test_sort_orders(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s")
        assert app.model.sort == "name"
        names = [r.name.casefold() for r in table(app).rows]
        assert names == sorted(names)
        await pilot.press("s")
        assert app.model.sort == "last"
        lasts = [r.last_touch for r in table(app).rows if r.last_touch is not None]
        assert lasts == sorted(lasts)
        await pilot.press("s")
        assert app.model.sort == "company"
        await pilot.press("s")
        assert app.model.sort == "urgency"


async def test_enter_opens_the_detail_and_escape_comes_back(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("j")
        wanted = table(app).current
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.contact_id == wanted.id
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)
        assert table(app).current.id == wanted.id


async def test_l_enter_logs_a_coffee_today_and_u_undoes_it(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        row = table(app).current
        assert row.state == st.OVERDUE
        await pilot.press("l", "enter")
        touch = touches_for(row.id)[0]
        assert (touch.kind, touch.occurred_on) == (
            "coffee",
            services.get_contact(row.id).touches[0].occurred_on,
        )
        assert touch.occurred_on.isoformat() == "2026-11-26"
        fresh = app.model.by_id[row.id]
        assert fresh.state == st.OK  # restyled in place, no restart
        assert table(app).rows[0].id == row.id and table(app).rows[0].state == st.OK
        assert any("Logged coffee with Ana Silva" in t for t in toasts(app))
        await pilot.press("u")
        assert touches_for(row.id)[0].id != touch.id
        assert app.model.by_id[row.id].state == st.OVERDUE


async def test_x_archives_and_u_restores_in_place(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("j", "j")
        row = table(app).current
        below = table(app).rows[3]
        await pilot.press("x")
        assert services.get_contact(row.id).archived_at is not None
        assert row.id not in [r.id for r in table(app).rows]
        assert table(app).current.id == below.id  # the cursor stays on the line
        assert any("Archived" in t for t in toasts(app))
        await pilot.press("u")
        assert services.get_contact(row.id).archived_at is None
        assert table(app).rows[2].id == row.id
        assert table(app).current.id == row.id


async def test_r_puts_changed_rows_back_in_order(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = table(app).current
        await pilot.press("l", "enter")
        assert table(app).rows[0].id == first.id  # stays where it was
        await pilot.press("r")
        ranks = [st.STATE_RANK[r.state] for r in table(app).rows]
        assert ranks == sorted(ranks)
        assert table(app).rows[0].id != first.id
        assert table(app).current.id == first.id  # the cursor followed the contact


async def test_a_and_e_open_the_form(demo_db):
    from netterm.tui.screens.form import ContactForm

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, ContactForm) and app.screen.contact_id is None
        await pilot.press("escape")
        current = table(app).current.id
        await pilot.press("e")
        assert isinstance(app.screen, ContactForm)
        assert app.screen.contact_id == current


async def test_empty_network_says_what_to_do(empty_db):
    app = app_for(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "Press a to add your first contact" in table(app).empty_message()
        await pilot.press("x")  # nothing selected: a message, no crash
        await pilot.press("e")
        assert isinstance(app.screen, ContactsScreen)
        await wait_for(pilot, lambda: any("No contact selected" in t for t in toasts(app)))


async def test_x_on_an_archived_contact_restores_it(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"is:archived", "enter")
        row = table(app).current
        assert row.state == st.ARCHIVED
        await pilot.press("x")
        assert services.get_contact(row.id).archived_at is None
        assert app.model.by_id[row.id].state != st.ARCHIVED
        await pilot.press("u")
        assert services.get_contact(row.id).archived_at is not None


async def test_keys_typed_in_one_burst_land_where_they_belong(demo_db):
    """A fast typist (or a paste) sends "/acme" or "l⏎" before the app has repainted."""
    from textual import events

    def burst(*keys):
        for key in keys:
            char = key if len(key) == 1 else None
            app._driver.send_message(events.Key({"/": "slash"}.get(key, key), char))

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        burst("/", "a", "c", "m", "e")
        await wait_for(pilot, lambda: app.screen.filter_input.value == "acme")
        assert app.screen.filter_input.value == "acme"
        assert all("acme" in r.haystack for r in table(app).rows)
        burst("enter", "l", "enter")  # back to the (filtered) list, log a coffee
        await wait_for(pilot, lambda: touches_for(1)[0].occurred_on.isoformat() == "2026-11-26")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert app.screen.filter_input.value == "acme"
        assert touches_for(1)[0].occurred_on.isoformat() == "2026-11-26"
