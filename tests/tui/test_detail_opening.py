"""Opening the detail screen: what it does to open fast (netterm/tui/screens/detail.py)
leaves what the user sees and can do as it was."""

from __future__ import annotations

import pytest
from helpers import SIZE, app_for, ready
from textual.geometry import Region
from textual.widget import Widget

from netterm import services
from netterm.tui.screens.detail import TIMELINE_MAX, DetailScreen, Page, Timeline
from netterm.tui.widgets.keybar import KeyBar


def _long_contact() -> int:
    cid = services.add_contact("Mo Long", tier=2)
    for n in range(TIMELINE_MAX + 10):
        services.log_touch(cid, "email", when=f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}")
    return cid


def _record_widths(monkeypatch) -> dict[str, set[int]]:
    """The widths each part of the page is drawn at, by id."""
    drawn: dict[str, set[int]] = {}
    original = Widget.render_lines

    def render_lines(self, crop):
        if self.id and self.id.startswith("detail-"):
            drawn.setdefault(self.id, set()).add(self.size.width)
        return original(self, crop)

    monkeypatch.setattr(Widget, "render_lines", render_lines)
    return drawn


async def _open(pilot, cid: int) -> DetailScreen:
    pilot.app.open_detail(cid)
    await pilot.pause()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DetailScreen)
    return screen


async def test_a_page_taller_than_the_screen_has_its_scrollbar_from_the_first_frame(
    demo_db, monkeypatch
):
    """Each box is drawn at one width: the page is not drawn once without its scrollbar
    and again two cells narrower."""
    cid = _long_contact()
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        drawn = _record_widths(monkeypatch)
        screen = await _open(pilot, cid)
        page = screen.query_one(Page)
        assert page.show_vertical_scrollbar and page.vertical_scrollbar.display
        assert drawn["detail-about"] and drawn["detail-timeline"]
        assert all(len(widths) == 1 for widths in drawn.values()), drawn
        await pilot.press("pagedown")  # and it scrolls
        await pilot.pause()
        assert page.scroll_y > 0


async def test_a_page_that_fits_has_no_scrollbar(demo_db, monkeypatch):
    cid = services.add_contact("Short Page", tier=3)
    services.log_touch(cid, "call", when="2026-01-05")
    app = app_for(demo_db)
    async with app.run_test(size=(120, 60)) as pilot:
        await ready(pilot)
        drawn = _record_widths(monkeypatch)
        screen = await _open(pilot, cid)
        page = screen.query_one(Page)
        assert not screen._surely_overflows(page)
        assert not page.show_vertical_scrollbar and page.max_scroll_y == 0
        assert all(len(widths) == 1 for widths in drawn.values()), drawn


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (100, 30), (160, 60)])
async def test_the_scrollbar_is_only_reserved_for_a_page_that_cannot_fit(demo_db, size):
    """The page's height is guessed from below (no wrapping): when the guess says the page
    is too tall, it is, whatever the contact and the terminal."""
    long_one = _long_contact()
    app = app_for(demo_db)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        for cid in (1, 2, 3, 4, 5, long_one):
            screen = await _open(pilot, cid)
            page = screen.query_one(Page)
            if screen._surely_overflows(page):
                assert page.show_vertical_scrollbar, (cid, size)
                assert page.virtual_size.height > page.scrollable_content_region.height
            await pilot.press("escape")
            await pilot.pause()


@pytest.mark.parametrize(
    ("width", "cls", "other"), [(80, "-narrow", "-wide"), (120, "-wide", "-narrow")]
)
async def test_the_width_class_is_there_before_the_first_layout(demo_db, width, cls, other):
    app = app_for(demo_db)
    async with app.run_test(size=(width, 30)) as pilot:
        await ready(pilot)
        app.open_detail(1)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert screen.has_class(cls) and not screen.has_class(other)  # before it is laid out
        await pilot.pause()
        assert screen.has_class(cls) and not screen.has_class(other)
        grid = screen.query_one("#detail-grid")
        assert grid.styles.grid_size_columns == (1 if cls == "-narrow" else 2)


async def test_the_width_class_follows_the_terminal(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await _open(pilot, 1)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        assert screen.query_one("#detail-grid").styles.grid_size_columns == 1


async def test_the_width_class_follows_a_terminal_resized_behind_another_screen(demo_db):
    from netterm.tui.screens.form import ContactForm

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await _open(pilot, 1)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        assert screen.query_one("#detail-grid").styles.grid_size_columns == 1
        about = screen.query_one("#detail-about")
        assert about.region.width > 70  # one box a line, the whole width


async def test_the_key_bar_repaints_when_its_keys_change_and_only_then(demo_db, monkeypatch):
    renders: list[str] = []
    original = KeyBar.render

    def render(self):
        content = original(self)
        renders.append(content.plain)
        return content

    monkeypatch.setattr(KeyBar, "render", render)
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await _open(pilot, 1)
        await pilot.pause(0.1)
        before = len(renders)
        screen.refresh_bindings()  # the same keys
        await pilot.pause(0.1)
        assert len(renders) == before
        await pilot.press("t")  # the timeline's keys
        await pilot.pause(0.1)
        assert len(renders) > before and "Edit touch" in renders[-1]
        await pilot.press("tab")  # back to the page's
        await pilot.pause(0.1)
        assert "Edit touch" not in renders[-1] and "Timeline" in renders[-1]


async def test_the_timeline_wraps_again_when_the_terminal_narrows(demo_db):
    """The timeline keeps its drawn lines on a Resize at the same width, and only then."""
    cid = services.add_contact("Wordy Touches", tier=2)
    note = "a note long enough to take more lines once the terminal is narrower " * 2
    services.log_touch(cid, "call", when="2026-01-05", note=note.strip())
    app = app_for(demo_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        screen = await _open(pilot, cid)
        timeline = screen.query_one(Timeline)
        wide = timeline.virtual_size.height
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("t")  # into the timeline: in view, drawn at the new width
        await pilot.pause()
        await pilot.pause()
        assert timeline.virtual_size.height > wide
        size = timeline.outer_size
        strips = timeline.render_lines(Region(0, 0, size.width, size.height))
        assert {strip.cell_length for strip in strips} == {size.width}
        shown = [strip.text for strip in strips]
        assert sum("narrower" in line for line in shown) == 2, shown


async def test_the_timeline_border_says_when_it_has_the_keys(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await _open(pilot, 1)
        timeline = screen.query_one(Timeline)
        page = screen.query_one(Page)
        resting = timeline.styles.border_top
        assert screen.focused is page
        await pilot.press("t")
        await pilot.pause()
        assert screen.focused is timeline and timeline.styles.border_top != resting
        await pilot.press("tab")
        await pilot.pause()
        assert screen.focused is page and timeline.styles.border_top == resting
