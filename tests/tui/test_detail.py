"""The detail screen: everything about a contact, and its keys."""

from __future__ import annotations

from datetime import date

from helpers import SIZE, app_for, ready, shown_text, toasts

from netterm import services
from netterm.core import status as st
from netterm.services.touches import touches_for
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.detail import DetailScreen
from netterm.tui.screens.followup import FollowUpScreen
from netterm.tui.screens.form import ContactForm
from netterm.tui.screens.quicklog import QuickLog


def text(screen, selector: str) -> str:
    return shown_text(screen, selector)


async def open_detail(pilot, contact_id: int) -> DetailScreen:
    await ready(pilot)
    pilot.app.open_detail(contact_id)
    await pilot.pause()
    assert isinstance(pilot.app.screen, DetailScreen)
    return pilot.app.screen


async def test_shows_everything_about_the_contact(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, 1)
        d = services.get_contact(1)
        assert "Ana Silva" in text(screen, "#detail-head")
        assert "Head of Product @ Globex" in text(screen, "#detail-head")
        status = text(screen, "#detail-status")
        assert d.explanation in status and "job changed" in status
        about = text(screen, "#detail-about")
        assert d.how_met.split()[0] in about and "former colleagues" in about
        keep = text(screen, "#detail-keep")
        assert "1 · priority" in keep and d.reciprocity.phrase() in keep
        assert "ana.silva@globex.example" in text(screen, "#detail-reach")
        assert d.looking_for in text(screen, "#detail-looking")
        assert d.notes in text(screen, "#detail-notes")
        assert "Senior Product Manager @ Acme" in text(screen, "#detail-career")
        timeline = text(screen, "#detail-timeline")
        notes = [t.note for t in d.touches if t.note]
        assert timeline.index(notes[0]) < timeline.index(notes[-1])  # newest first


async def test_l_logs_from_the_detail(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, 1)
        await pilot.press("l")
        assert isinstance(app.screen, QuickLog) and app.screen.contact_id == 1
        await pilot.press("enter")
        assert app.screen is screen
        assert "coffee chat" in text(screen, "#detail-timeline").splitlines()[0]
        assert "OK:" in text(screen, "#detail-status")


async def test_r_logs_the_reply_and_clears_unresponsive(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        assert services.get_contact(4).status.state == st.UNRESPONSIVE  # Priya Sharma
        screen = await open_detail(pilot, 4)
        await pilot.press("r")
        assert services.get_contact(4).status.state != st.UNRESPONSIVE
        assert app.model.by_id[4].state != st.UNRESPONSIVE
        assert "Unresponsive" not in text(screen, "#detail-status")
        assert any("Reply from Priya Sharma" in t for t in toasts(app))


async def test_e_edits_and_the_detail_shows_the_change(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, 1)
        await pilot.press("e")
        assert isinstance(app.screen, ContactForm)
        app.screen.query_one("#f-location").value = "Porto"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert services.get_contact(1).location == "Porto"
        assert "Porto" in text(screen, "#detail-head")


async def test_f_plans_a_follow_up_and_d_closes_it(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, 1)
        await pilot.press("f")
        assert isinstance(app.screen, FollowUpScreen)
        assert "Thu 3 Dec" in text(app.screen, "#fu-when-parsed")  # "in 1 week"
        await pilot.press(*"send the pricing article", "enter")
        assert app.screen is screen
        follow = services.get_contact(1).open_follow_ups
        assert [(f.text, f.due_on) for f in follow] == [
            ("send the pricing article", date(2026, 12, 3))
        ]
        assert "send the pricing article" in text(screen, "#detail-follow")
        await pilot.press("d")
        assert services.get_contact(1).open_follow_ups == []
        await pilot.press("u")
        assert len(services.get_contact(1).open_follow_ups) == 1


async def test_follow_up_needs_a_text_and_a_real_date(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, 1)
        await pilot.press("f", "enter")
        assert isinstance(app.screen, FollowUpScreen)
        assert "say what to follow up on" in text(app.screen, "#fu-error")
        await pilot.press("escape")
        assert services.get_contact(1).open_follow_ups == []


async def test_x_archives_and_goes_back_to_the_list(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, 1)
        await pilot.press("x")
        assert isinstance(app.screen, ContactsScreen)
        assert services.get_contact(1).archived_at is not None
        await pilot.press("u")
        assert services.get_contact(1).archived_at is None


async def test_back_keys(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("escape", "backspace", "q"):
            await open_detail(pilot, 1)
            await pilot.press("j", "k", key)
            assert isinstance(app.screen, ContactsScreen)


async def test_a_contact_with_nothing_yet(empty_db):
    cid = services.add_contact("Cher")
    app = app_for(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        assert "No touches yet" in text(screen, "#detail-timeline")
        assert "no email, phone or profile" in text(screen, "#detail-reach")
        assert touches_for(cid) == []


async def test_ctrl_s_saves_a_follow_up_too(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, 1)
        await pilot.press("f", *"call", "ctrl+s")
        assert [f.text for f in services.get_contact(1).open_follow_ups] == ["call"]


async def test_a_acknowledges_a_job_change_without_congratulating(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, 1)  # Ana Silva: a new job found by an import
        assert "a" in screen.active_bindings
        touches = len(services.get_contact(1).touches)
        await pilot.press("a")
        d = services.get_contact(1)
        assert st.JOB_CHANGED not in d.status.flags
        assert len(d.touches) == touches  # no congratulation logged
        assert st.JOB_CHANGED not in app.model.by_id[1].flags  # the list's row too
        assert "job changed" not in text(screen, "#detail-status")
        assert "a" not in screen.active_bindings  # the key goes with the flag
        assert any("no congratulation logged" in t for t in toasts(app))
        await pilot.press("u")
        assert st.JOB_CHANGED in services.get_contact(1).status.flags
        assert "job changed" in text(screen, "#detail-status")
        assert "a" in screen.active_bindings


async def test_the_job_change_key_is_only_there_while_the_flag_is(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, 4)  # Priya: no job change
        assert "a" not in screen.active_bindings
        await pilot.press("a")  # nothing happens
        assert app.screen is screen
        await pilot.press("escape")
        screen = await open_detail(pilot, 1)
        await pilot.press("l", "g", "enter")  # a congratulation clears the flag as well
        assert app.screen is screen
        assert st.JOB_CHANGED not in services.get_contact(1).status.flags
        assert "a" not in screen.active_bindings


async def test_long_values_wrap_under_the_value_not_under_the_label(demo_db):
    how = "former colleague at Acme, shared the 2019 payments launch and two offsites in Porto"
    services.update_contact(1, how_met=how)
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, 1)
        about = screen.query_one("#detail-about")
        lines = [line.plain for line in about.render().lines(about.content_region.width)]
        start = lines[0].index("former")
        wrapped = lines[1 : lines.index(next(x for x in lines if x.startswith("met on")))]
        assert wrapped, "the value should need more than one line at this width"
        for line in wrapped:
            assert line[:start].strip() == "" and line[start] != " "  # under the value
        assert " ".join(x.strip() for x in [lines[0][start:], *wrapped]) == how
        # and what the screen actually paints
        painted = [strip.text for strip in about.render_lines(about.region.reset_offset)]
        assert any(wrapped[0].rstrip() in p for p in painted), painted


async def test_the_timeline_says_who_logged_a_touch_when_it_was_someone_else(demo_db, monkeypatch):
    """On a network several people log into (several devices on PostgreSQL), a touch
    another person logged is signed with their name; one's own touches are not."""
    monkeypatch.setenv("NETTERM_USER", "bruno")
    services.log_touch(1, "call", note="from bruno's laptop")
    monkeypatch.setenv("NETTERM_USER", "ana")
    services.log_touch(1, "email", note="from ana's desk")
    assert [t.logged_by for t in services.get_contact(1).touches[:2]] == ["ana", "bruno"]
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, 1)
        lines = text(screen, "#detail-timeline").splitlines()
        mine = next(line for line in lines if "from ana's desk" in line)
        theirs = next(line for line in lines if "from bruno's laptop" in line)
        assert "by bruno" in theirs
        assert "by " not in mine


async def test_years_of_touches_open_with_a_first_page_and_the_rest_on_the_way_down(demo_db):
    """Thousands of touches: the page opens with the newest TIMELINE_FIRST entries; the
    timeline's whole page (TIMELINE_MAX) comes when the page scrolls or `t` enters it."""
    from netterm.store.models import Interaction
    from netterm.tui.screens.detail import TIMELINE_FIRST, TIMELINE_MAX, Timeline

    cid = services.add_contact("Mo Long", tier=2)
    for n in range(TIMELINE_MAX + 10):
        services.log_touch(cid, "email", when=f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}")
    total = Interaction.select().where(Interaction.contact == cid).count()
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, cid)
        timeline = screen.query_one(Timeline)
        assert timeline.option_count == TIMELINE_FIRST + 1
        last = str(timeline.get_option_at_index(TIMELINE_FIRST).prompt)
        assert f"and {total - TIMELINE_FIRST} older touches" in last
        await pilot.press("j")  # the page scrolls down: the whole page of the timeline
        await pilot.pause()
        assert timeline.option_count == TIMELINE_MAX + 1
        assert f"and {total - TIMELINE_MAX} older touches" in str(
            timeline.get_option_at_index(TIMELINE_MAX).prompt
        )
        await pilot.press("escape")
        screen = await open_detail(pilot, cid)
        await pilot.press("t")  # into the timeline: the whole page too
        await pilot.pause()
        assert screen.query_one(Timeline).option_count == TIMELINE_MAX + 1
