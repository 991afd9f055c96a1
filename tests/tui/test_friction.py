"""The friction a new user met (issue 17), each fixed and kept fixed."""

from __future__ import annotations

import pytest
from helpers import SIZE, app_for, palette_has, ready, toasts, wait_for

from netterm.config import clock
from netterm.tui.screens.audit import AuditScreen
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.help import HelpScreen, binding_rows
from netterm.tui.screens.quicklog import QuickLog
from netterm.tui.widgets.header import CountsBar
from netterm.tui.widgets.keybar import KeyBar
from netterm.tui.widgets.table import ContactTable, layout

NARROW = (80, 24)


async def test_filtering_puts_the_cursor_on_the_first_match(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(ContactTable)
        await pilot.press(*"jjjjjjjjjj")
        assert table.cursor == 10
        await pilot.press("slash", *"a")  # the row under the cursor still matches "a"
        assert table.cursor == 0 and table.current is app.model.view[0]
        await pilot.press(*"cme", "enter")
        assert table.cursor == 0 and "acme" in table.current.search_text.lower()


async def test_quick_log_question_mark_and_f1_open_its_keys(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = {d for _, d, *_ in binding_rows(app.screen.target)}
        assert {"Date", "Note", "Awaiting reply"} <= described
        await pilot.press("escape")
        assert isinstance(app.screen, QuickLog)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "n", *"a?b")  # in the note field, ? is typed
        assert isinstance(app.screen, QuickLog)
        assert app.screen.query_one("#ql-note").value == "a?b"
        box = app.screen.query_one("#quicklog")
        assert "d date" in str(box.border_subtitle) and "n note" in str(box.border_subtitle)


async def test_help_puts_the_screens_own_keys_before_scrolling(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        rows = [r for r in binding_rows(app.screen) if not r[3]]
        assert rows[0][1] != "Scroll Up"
        scroll = [r for r in rows if r[1] == "Scroll"]
        assert len(scroll) == 1 and rows[-1] is scroll[0]
        textual_scroll = {"Scroll Up", "Scroll Down", "Scroll Left", "Scroll Right", "Page Up"}
        assert not {r[1] for r in rows} & textual_scroll


async def test_the_audit_footer_shows_quit_finish_log_open_merge(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        await pilot.pause()
        text = app.screen.query_one(KeyBar).render().plain
        for key in ("q Quit audit", "F Finish now", "l Log", "o Open", "m Merge", "? Help"):
            assert key in text, key


async def test_one_toast_at_a_time_and_warnings_stay(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.notify("first")
        app.notify("careful", severity="warning")
        app.notify("second")
        app.notify("third")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["careful", "third"]


async def test_no_welcome_toast_over_the_audit(demo_db):
    app = app_for(demo_db, screen="audit")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause(0.1)
        assert not any("Needs your attention" in t for t in toasts(app))


async def test_the_palette_lists_netterms_commands_first(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: palette_has(app, "Quit the application"))
        from textual.command import CommandList

        prompts = [str(o.prompt) for o in app.screen.query_one(CommandList)._options]
        theme = next(i for i, p in enumerate(prompts) if "theme" in p.lower())
        assert prompts.index(next(p for p in prompts if p.startswith("Log"))) < theme


async def test_at_80x24_the_header_says_contacts_and_the_footer_keeps_quit_help_palette(
    demo_db,
):
    app = app_for(demo_db)
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        header = app.screen.query_one(CountsBar).headline()
        assert header.rstrip().endswith("contacts") and len(header) <= 80
        keys = app.screen.query_one(KeyBar).render().plain
        assert "q Quit" in keys and "? more" in keys and "^p" in keys


@pytest.mark.parametrize("terminal", [80, 120, 140, 160])
def test_every_due_text_keeps_a_blank_cell_before_it(terminal):
    """Right-aligned after a cropped "title @ comp…", the due text needs a cell of its
    own besides the gap, or the two read as one phrase; and it is never cropped."""
    from netterm.core.dates import due_phrase

    columns = dict((c.key, w) for c, w in layout(terminal - 1))  # less the scrollbar
    for days in (1234, 999, 176, 40, 1, 0, -1, -13, -365):
        assert columns["due"] - len(due_phrase(days)) >= 1, (terminal, days)


async def test_at_80x24_the_due_column_stands_apart_and_the_keys_most_used_stay(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        table = app.screen.query_one(ContactTable)
        columns = layout(79)
        keys_ = [c.key for c, _ in columns]
        start = 1 + sum(w + 1 for _, w in columns[: keys_.index("due")])  # margin, gaps
        width = dict((c.key, w) for c, w in columns)["due"]
        cells = [table.render_line(y).text[start : start + width] for y in range(1, 20)]
        assert any(
            cell.strip().startswith("overdue ") and len(cell.strip()) == 12 for cell in cells
        )
        for cell in cells:  # "overdue 176d" too: a blank cell, then the gap before it
            assert cell.startswith(" ") and table.render_line(0).text[start - 1] == " "
        keys = app.screen.query_one(KeyBar).render().plain
        for key in ("⏎ Details", "l Log", "/ Filter", "e Edit", "a Add", "x Archive"):
            assert key in keys, key
        assert "? more" in keys and "q Quit" in keys and "^p palette" in keys
        await pilot.press("space", "space")
        keys = app.screen.query_one(KeyBar).render().plain
        for key in ("l Log", "b Bulk…", "esc Clear", "e Edit", "? more"):
            assert key in keys, key
        await pilot.press("question_mark")  # "more": every key is there
        described = {d for _, d, *_ in binding_rows(app.screen.target)}
        assert {"Undo", "Sort", "Audit", "Mark"} <= described


async def test_at_120_columns_every_key_of_the_list_is_shown(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        keys = app.screen.query_one(KeyBar).render().plain
        for key in ("l Log", "e Edit", "x Archive", "u Undo", "s Sort", "A Audit", "? Help"):
            assert key in keys, key
        assert "more" not in keys


def test_company_gets_its_own_column_when_there_is_room():
    assert [c.key for c, _ in layout(119)].count("work") == 1
    wide = [c.key for c, _ in layout(159)]
    assert "title" in wide and "company" in wide and "work" not in wide


async def test_the_empty_network_says_how_to_import(empty_db):
    app = app_for(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ContactsScreen)
        lines = [app.screen.query_one(ContactTable).render_line(y).text for y in (2, 3)]
        text = " ".join(line.strip() for line in lines)
        assert "Press a" in text and "Import LinkedIn" in text and "netterm import" in text


async def test_question_mark_opens_the_keys_of_the_touch_editor_and_the_bulk_dialog(demo_db):
    """Both dialogs say '? keys' (or are dialogs like the others): ? must show them."""
    from netterm.tui.screens.bulk import BulkScreen
    from netterm.tui.screens.touchedit import TouchEditor

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("space", "b")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkScreen))
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = {d for _, d, *_ in binding_rows(app.screen.target)}
        assert "Cancel" in described
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ContactsScreen))
        await pilot.press("t", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, TouchEditor))
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = {d for _, d, *_ in binding_rows(app.screen.target)}
        assert {"Date", "Note", "Direction"} <= described
        await pilot.press("escape", "n", *"a?b")  # in the note field, ? is typed
        assert isinstance(app.screen, TouchEditor)
        assert app.screen.query_one("#ql-note").value.endswith("a?b")


def burst(app, *keys: str) -> None:
    """Keys sent all at once, as a terminal delivers a paste or `tmux send-keys b t 3`:
    queued before any of them is handled (Pilot's press waits after each key)."""
    from textual import events

    for key in keys:
        char = {"space": " ", "asterisk": "*"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


async def test_the_bulk_dialog_keeps_the_keys_typed_in_one_burst(demo_db):
    from netterm import services

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("space", "space")
        ids = app.model.marked_ids()
        burst(app, "b", "t", "3", "enter")
        await wait_for(pilot, lambda: {services.get_contact(i).tier for i in ids} == {3})
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        burst(app, "b", "z", *"in 30 days", "enter")  # typing replaces the default
        day = clock.today().add(days=30)
        await wait_for(pilot, lambda: {services.get_contact(i).paused_until for i in ids} == {day})
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))


async def test_marks_typed_in_one_burst_with_b_reach_the_bulk_dialog(demo_db):
    """`space space b` sent at once (tmux send-keys, a fast typist): b acts on the two
    marks the spaces made, though space goes through the list and b opens a dialog."""
    from netterm.tui.screens.bulk import BulkScreen

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = app.screen.query_one(ContactTable).rows
        burst(app, "space", "space", "b")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkScreen), what="the dialog")
        assert app.screen.ids == [rows[0].id, rows[1].id]
        await pilot.press("escape")
        await pilot.press("escape")  # the marks go
        assert not app.model.marked
        await pilot.press("g", "space", "space", "b")  # Pilot's presses, without pauses
        await wait_for(pilot, lambda: isinstance(app.screen, BulkScreen), what="the dialog")
        assert app.screen.ids == [rows[0].id, rows[1].id]


async def test_a_whole_bulk_action_typed_in_one_burst(demo_db):
    from netterm import services

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = app.screen.query_one(ContactTable).rows
        ids = [rows[1].id, rows[2].id]
        burst(app, "j", "space", "space", "b", "t", "3", "enter")
        await wait_for(pilot, lambda: {services.get_contact(i).tier for i in ids} == {3})
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert services.get_contact(rows[0].id).tier != 3 or rows[0].tier == 3


async def test_moves_typed_in_one_burst_before_l_log_the_row_they_reach(demo_db):
    """`j j l e ⏎`: the quick-log opens on the third row, not on the first."""
    from netterm.services.touches import touches_for

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = app.screen.query_one(ContactTable).rows
        before = {r.id: len(touches_for(r.id)) for r in rows[:3]}
        burst(app, "j", "j", "l", "e", "enter")
        await wait_for(pilot, lambda: len(touches_for(rows[2].id)) == before[rows[2].id] + 1)
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert [len(touches_for(r.id)) for r in rows[:2]] == [before[r.id] for r in rows[:2]]


async def test_the_lists_keys_typed_in_the_filter_are_text(demo_db):
    """Every letter the list binds, and space, typed after / land in the filter."""
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("space", "slash")
        text = "jk gG n s r x u i I A L l a e b * "
        burst(app, *[{" ": "space", "*": "asterisk"}.get(c, c) for c in text])
        await wait_for(pilot, lambda: app.screen.filter_input.value == text, what="the text")
        assert isinstance(app.screen, ContactsScreen)
        assert len(app.model.marked) == 1


async def test_b_typed_in_the_filter_is_text_even_with_marks(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("space", "slash")
        burst(app, *"bob")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ContactsScreen)
        assert app.screen.filter_input.value == "bob"


async def test_quick_log_keeps_the_keys_typed_in_one_burst(demo_db):
    from netterm.services.touches import touches_for

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = app.screen.query_one(ContactTable).current
        before = len(touches_for(first.id))
        burst(app, "l", "e", "enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ContactsScreen)
        touches = touches_for(first.id)
        assert len(touches) == before + 1 and touches[0].kind == "email"


async def test_the_urgency_order_is_shown_in_the_list_and_explained_in_the_detail(demo_db):
    from helpers import shown_text

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(ContactTable)
        end = table.render_line(0).text.index("urgency") + len("urgency")
        overdue = [r for r in table.rows if r.state == "overdue"]
        shown = [float(table.render_line(y).text[end - 7 : end]) for y in range(1, 11)]
        assert shown == [round(r.urgency, 2) for r in overdue[:10]]
        assert shown == sorted(shown, reverse=True)  # the order is the column's
        days = [r.overdue for r in overdue]
        assert days != sorted(days, reverse=True)  # and not the days overdue'
        await pilot.press("enter")
        status = shown_text(app.screen, "#detail-status")
        row = overdue[0]
        assert (
            f"Urgency {row.urgency:.2f} (the list's order): {row.overdue} days overdue is" in status
        )
        assert f"of the {row.cadence}-day cadence, ×3 for tier 1 (priority)" in status


def _someone_with_labels_and_a_social_touch() -> int:
    from netterm import services

    cid = services.add_contact(
        "Zoë Lambert-Fairweather",
        tier=1,
        methods=[
            ("email", "zoe.lambert-fairweather@example.com", "work", True),
            ("email", "zoe@home.example", "home"),
            ("phone", "+44 20 7946 0000"),
        ],
    )
    services.log_touch(cid, "social", "yesterday", note="liked her talk")
    services.log_touch(cid, "article", "2 days ago", note="the pricing one")
    return cid


async def test_detail_methods_say_label_and_primary_and_the_timeline_keeps_its_columns(demo_db):
    from helpers import shown_text

    cid = _someone_with_labels_and_a_social_touch()
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_detail(cid)
        await pilot.pause()
        reach = shown_text(app.screen, "#detail-reach")
        assert "zoe.lambert-fairweather@example.com  work · ★ primary" in reach
        assert "zoe@home.example  home\n" in reach + "\n" and "workprimary" not in reach
        timeline = shown_text(app.screen, "#detail-timeline").splitlines()
        social = next(line for line in timeline if "liked her talk" in line)
        assert "social          sent" in social  # its own column, then the direction
        article = next(line for line in timeline if "pricing" in line)
        assert "article         sent · gave" in article


async def test_at_80x24_the_detail_boxes_stack_and_an_email_is_not_cut(demo_db):
    from netterm.tui.screens.detail import DetailScreen

    cid = _someone_with_labels_and_a_social_touch()
    app = app_for(demo_db)
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        app.open_detail(cid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DetailScreen) and screen.has_class("-narrow")
        about, keep = screen.query_one("#detail-about"), screen.query_one("#detail-keep")
        assert about.region.x == keep.region.x  # one column, not two
        reach = screen.query_one("#detail-reach")
        text = "\n".join(strip.text for strip in reach.render_lines(reach.region.reset_offset))
        assert "zoe.lambert-fairweather@example.com" in text  # on one line, not wrapped
        await pilot.resize_terminal(120, 40)
        assert screen.has_class("-wide") and about.region.x != keep.region.x


async def test_ticked_and_unticked_boxes_differ_in_glyph_in_both_themes(demo_db):
    from netterm import services
    from netterm.tui.screens.form import ContactForm
    from netterm.tui.widgets.toggles import Tick, TickList

    services.add_contact("Cat Owner", categories=["investors"])
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm))
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            remote = app.screen.query_one("#f-met_remote", Tick)
            remote.value = False
            assert str(remote.render()).startswith("▐ ▌")
            remote.value = True
            assert str(remote.render()).startswith("▐✓▌")
            ticks = app.screen.query_one(TickList)
            names = [str(ticks.get_option_at_index(i).value) for i in range(ticks.option_count)]
            row = names.index("investors")
            ticks.deselect_all()
            assert ticks.render_line(row).text.startswith("▐ ▌")
            ticks.select("investors")
            assert ticks.render_line(row).text.startswith("▐✓▌")


def _placeholders_are_hints(screen) -> list[str]:
    """Every placeholder of the screen: phrased as a hint, drawn dim and italic."""
    from textual.widgets import Input

    seen = []
    for field in screen.query(Input):
        text = str(field.placeholder)
        if not text:
            continue
        seen.append(text)
        assert "e.g." in text or text.endswith("…") or text.startswith(("empty:", "one of")), text
        style = field.get_component_rich_style("input--placeholder")
        assert style.italic, text
    return seen


async def test_placeholders_look_like_hints_not_values(demo_db):
    from netterm.tui.screens.bulk import BulkScreen
    from netterm.tui.screens.followup import FollowUpScreen
    from netterm.tui.screens.form import ContactForm

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, QuickLog)
        shown = _placeholders_are_hints(app.screen)
        assert "e.g. yesterday, 3 days ago" in shown
        await pilot.press("escape", "a")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm))
        assert "e.g. Globex" in _placeholders_are_hints(app.screen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        await pilot.press("space", "b", "t")
        assert isinstance(app.screen, BulkScreen)
        assert _placeholders_are_hints(app.screen) == ["one of 1, 2, 3, untracked"]
        await pilot.press("escape", "escape", "escape", "enter", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpScreen))
        assert "e.g. send the article on pricing" in _placeholders_are_hints(app.screen)


async def test_at_80x24_an_audit_card_and_all_its_keys_fit(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        assert any("Needs your attention" in t for t in toasts(app))
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-short")
        assert not any("Needs your attention" in t for t in toasts(app))  # not over the card
        bar = screen.query_one(KeyBar)
        text = bar.render().plain
        assert bar.region.height == 2 and len(text.splitlines()) == 2
        for key in ("⏎ Accept", "k Keep", "+ Tier up", "- Tier down", "x Archive", "z Snooze",
                    "s Skip", "m Merge", "b Back", "l Log", "o Open", "F Finish now",
                    "q Quit audit", "? Help", "^p"):  # fmt: skip
            assert key in text, key
        facts = screen.query_one("#audit-facts")
        suggestion = screen.query_one("#audit-suggestion")
        assert suggestion.region.y >= 0 and facts.region.bottom <= bar.region.y  # all shown
        assert "Reach" in str(facts.render()) and "Notes" in str(facts.render())


async def test_at_120x40_the_audit_keeps_its_spacing_and_boxes(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        await pilot.pause()
        assert app.screen.has_class("-tall")
        assert app.screen.query_one("#audit-title").display
        assert " ⏎ Accept  k Keep" in app.screen.query_one(KeyBar).render().plain


async def test_the_palette_opens_on_commands_not_on_the_tables_moving_keys(demo_db):
    from textual.command import CommandList

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: palette_has(app, "Log"))
        await pilot.pause(0.2)
        prompts = [str(o.prompt).split("\n")[0] for o in app.screen.query_one(CommandList)._options]
        assert prompts[0] == "Log", prompts[:5]
        for moving in ("Down", "Up", "Page down", "Page up", "First row", "Last row"):
            assert moving not in prompts, moving
        assert "Details" in prompts and "Next" in prompts  # shown, or the screen's own


async def test_at_80x24_the_met_on_field_is_wide_enough_for_its_hint(demo_db):
    from textual.widgets import Input

    from netterm.tui.screens.form import PLACEHOLDERS, ContactForm

    app = app_for(demo_db)
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.pause()
        met_on = app.screen.query_one("#f-met_on", Input)
        assert met_on.region.width >= len(PLACEHOLDERS["met_on"]) + 2  # the empty preview
        met_on.value = "3 years ago"  # gives way
        await pilot.pause()
        preview = app.screen.query_one("#met-on-parsed")
        assert preview.region.width > 0 and met_on.region.width >= len("3 years ago") + 2
