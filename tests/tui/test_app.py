"""App-wide keys and guarantees: help, palette, audit, quit, literal user text."""

from __future__ import annotations

import pytest
from helpers import SIZE, app_for, palette_has, ready, toasts, wait_for
from textual.screen import Screen
from textual.widgets import Static

from netterm import services
from netterm.tui import screens
from netterm.tui.app import NettermApp
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.detail import DetailScreen
from netterm.tui.screens.help import HelpScreen, binding_rows
from netterm.tui.widgets.table import ContactTable


async def test_help_lists_every_binding_of_the_current_screen(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"ana", "enter")  # a filter: esc clears it
        await pilot.press("space", "k")  # a mark: b acts on it, esc unmarks
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
        for binding in (*ContactsScreen.BINDINGS, *ContactTable.BINDINGS, *NettermApp.BINDINGS):
            if binding.action == "filter_done":  # only while typing in the filter
                continue
            assert binding.description in shown, binding
        assert "Filter language" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)
        # and on the detail screen, the detail's keys
        await pilot.press("enter", "question_mark")
        shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
        for binding in DetailScreen.BINDINGS:
            assert binding.description in shown, binding
        await pilot.press("question_mark")  # ? again closes
        assert isinstance(app.screen, DetailScreen)


async def test_every_binding_has_a_description(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for keys, description, *_ in binding_rows(app.screen):
            assert keys and description


async def test_palette_goes_to_a_contact(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"priya sh")
        await wait_for(pilot, lambda: palette_has(app, "go to contact Priya Sharma"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert app.screen.contact_id == 4


async def test_palette_offers_every_action(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"by name")
        await wait_for(pilot, lambda: palette_has(app, "Sort: by name"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.model.sort == "name")
        await pilot.press("ctrl+p", *"archi")
        await wait_for(pilot, lambda: palette_has(app, "Archive"))
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"unrespon")
        await wait_for(pilot, lambda: palette_has(app, "Show unresponsive contacts"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.model.query_text == "is:unresponsive")
        assert all(r.state == "unresponsive" for r in app.model.view)


MISSING = "The statistics are not available in this build."


async def test_a_screen_missing_from_this_build_says_so(demo_db, monkeypatch):
    monkeypatch.setitem(screens.ANNOUNCED, "stats", MISSING)
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_screen("stats")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert any(MISSING in t for t in toasts(app))


class FakeAudit(Screen):
    BINDINGS = [("escape", "app.pop_screen", "Back")]


async def test_audit_key_opens_a_registered_audit_screen(demo_db, monkeypatch):
    monkeypatch.setitem(screens.SCREENS, "audit", f"{__name__}:FakeAudit")
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("A")
        assert isinstance(app.screen, FakeAudit)
        await pilot.press("A")  # already there: not pushed twice
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)


async def test_run_opens_a_named_screen_over_the_list(demo_db, monkeypatch):
    monkeypatch.setitem(screens.SCREENS, "audit", f"{__name__}:FakeAudit")
    app = app_for(demo_db, screen="audit")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FakeAudit)
        assert isinstance(app.screen_stack[-2], ContactsScreen)


def test_an_unknown_screen_name_fails_before_starting(demo_db):
    from netterm.errors import NotFound

    with pytest.raises(NotFound, match="no screen named 'nope'"):
        NettermApp(demo_db, screen="nope")


async def test_opening_on_a_screen_missing_from_this_build_says_so(demo_db, monkeypatch):
    """A screen asked for by name (run(screen=…)) but missing: the list opens, and says why."""
    monkeypatch.setitem(screens.ANNOUNCED, "stats", MISSING)
    app = app_for(demo_db, screen="stats")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert any(MISSING in t for t in toasts(app))


async def test_q_quits_cleanly(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit
    assert app.return_code == 0
    worker = app.watcher.worker
    assert worker is not None
    assert worker.is_finished or worker.is_cancelled


async def test_markup_and_control_characters_show_literally(empty_db):
    name = "[bold]Eve[/bold] [@click=app.quit]Mallory[/]"
    cid = services.add_contact(
        name, company="[red]Acme", notes="[@click=app.quit]click[/] me", categories=["[b]x"]
    )
    # an import may have left control characters; they must not reach the terminal
    from netterm.store.models import Contact

    Contact.update(job_title="CEO\x1b[31m of \x07things").where(Contact.id == cid).execute()
    services.update_contact(cid, location="Lisbon")  # refresh the cache and search text
    app = app_for(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(ContactTable)
        line = table.render_line(1).text
        assert "[bold]Eve[/bold]" in line
        assert "\x1b" not in line and "␛[31m" in line
        await pilot.click(ContactTable, offset=(20, 1))
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        head = str(app.screen.query_one("#detail-head").render())
        assert "[bold]Eve[/bold] [@click=app.quit]Mallory[/]" in head
        assert "␛[31m" in head and "␇" in head
        notes = str(app.screen.query_one("#detail-notes").render())
        assert "[@click=app.quit]click[/] me" in notes
        await pilot.click("#detail-notes")
        await pilot.pause()
        assert not app._exit  # the "link" in the note did nothing
        await pilot.press("l")
        assert "[bold]Eve[/bold]" in str(app.screen.query_one("#ql-contact").render())
        await pilot.press("enter")
        assert any("[bold]Eve[/bold]" in t for t in toasts(app))
        assert not app._exit


async def test_f1_opens_help_even_while_typing_and_q_closes_it(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "f1")  # the filter has the keys; f1 is not a character
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert isinstance(app.screen, ContactsScreen)
        assert app.screen.filter_input.value == ""


async def test_a_click_on_the_key_bar_runs_the_key(demo_db):
    from netterm.tui.widgets.keybar import KeyBar

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        bar = app.screen.query_one(KeyBar)
        bar.render()
        start = next(s for _y, s, _e, _n, action in bar._spans if action == "help")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_a_contact_deleted_meanwhile_is_a_message_not_a_crash(demo_db):
    from netterm.store.models import Contact

    app = app_for(demo_db, watch=False)  # no refresh: the list still shows the row
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        current = app.screen.query_one(ContactTable).current.id
        Contact.delete().where(Contact.id == current).execute()
        await pilot.press("e")
        await pilot.pause()
        assert not app._exit
        assert any(f"no contact #{current}" in t for t in toasts(app))
        assert isinstance(app.screen, ContactsScreen)


async def test_the_first_frame_parses_only_the_lists_styles_the_rest_right_after(demo_db):
    """screens.tcss (every screen but the list) waits until after the first frame, and
    is read then, so that opening a screen later does not parse every sheet again."""
    from textual import events

    at_ready: dict[str, bool] = {}
    app = app_for(demo_db)

    def hook(message) -> None:
        if isinstance(message, events.Ready) and not at_ready:
            at_ready["read"] = app.stylesheet.has_source(str(screens.STYLES), "")

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.stylesheet.has_source(str(screens.STYLES), ""))
        assert at_ready == {"read": False}
        await pilot.press("enter")  # the detail screen, styled
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert app.screen.query_one("#detail").styles.padding.left == 1  # screens.tcss


async def test_a_screen_opened_before_the_first_frame_has_its_styles(demo_db):
    """`netterm --screen audit`: the card's first frame is styled by screens.tcss, which
    Textual read for it (its CSS_PATH) before the app's own read after the first frame."""
    from textual import events

    seen: dict[str, str] = {}
    app = NettermApp(demo_db, screen="audit", watch=False)

    def hook(message) -> None:
        if isinstance(message, events.Ready) and not seen:
            bar = app.screen.query_one("#audit-bar")  # `#audit-bar { width: 1fr; }`
            seen["width"] = bar.styles.width.unit.name if bar.styles.width else "none"

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await wait_for(pilot, lambda: bool(seen))
        assert seen == {"width": "FRACTION"}


def test_every_screen_but_the_list_names_the_screens_stylesheet():
    """A screen opened before the app reads screens.tcss (or by a script) is styled."""
    import importlib
    import pkgutil

    import netterm.tui.screens as package

    found = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Screen)
                and value.__module__ == module.__name__
            ):
                found.add(value)
    assert len(found) >= 15
    for cls in found - {ContactsScreen}:
        assert cls.CSS_PATH == screens.STYLES, cls
    assert ContactsScreen.CSS_PATH is None
