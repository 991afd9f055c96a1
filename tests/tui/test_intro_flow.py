"""`I`: introduce a contact to someone who matches what they are looking for — the
detail's "Who could help" box, the picker dialog, both timelines, one `u`."""

from __future__ import annotations

from helpers import SIZE, app_for, ready, shown_text, toasts, wait_for

from netterm import services
from netterm.services import intros
from netterm.services.touches import touches_for
from netterm.tui.screens.detail import DetailScreen
from netterm.tui.screens.help import HelpScreen
from netterm.tui.screens.intro import IntroScreen

ANA = 1  # the demo's Ana Silva: looking for "a staff engineer for her new platform team"


async def open_detail(pilot, contact_id: int) -> DetailScreen:
    await ready(pilot)
    pilot.app.open_detail(contact_id)
    await pilot.pause()
    assert isinstance(pilot.app.screen, DetailScreen)
    return pilot.app.screen


def intro_notes(contact_id: int) -> list[str]:
    return [
        t.note
        for t in touches_for(contact_id)
        if t.kind == "intro" and t.note.startswith("Introduced to")
    ]


async def test_the_detail_lists_the_best_matches_with_why(demo_db):
    best = intros.matches(ANA)
    assert len(best) == 3
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, ANA)
        box = shown_text(screen, "#detail-matches")
        for m in best:
            assert m.name in box and m.why.text in box
        assert "matches 'staff engineer'" in box


async def test_no_box_for_someone_looking_for_nothing(demo_db):
    quiet = next(cid for cid in range(2, 250) if not intros.looking_for(cid))
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, quiet)
        assert not screen.query_one("#detail-matches").display
        await pilot.press("I")
        assert not isinstance(app.screen, IntroScreen)
        assert any("not looking for anything" in t for t in toasts(app))


async def test_I_introduces_the_picked_match_and_u_undoes_it_all(demo_db):
    best = intros.matches(ANA, limit=5)
    second = best[1]
    before = {cid: len(touches_for(cid)) for cid in (ANA, second.contact_id)}
    follow_ups = len(services.open_follow_ups())
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, ANA)
        await pilot.press("I")
        assert isinstance(app.screen, IntroScreen)
        await pilot.press("j", "enter")  # the second match
        await wait_for(pilot, lambda: app.screen is screen, what="the dialog to close")
        await wait_for(pilot, lambda: bool(intro_notes(second.contact_id)), what="the write")
        assert intro_notes(ANA)[0].startswith(f"Introduced to {second.name} (")
        assert intro_notes(second.contact_id) == [
            "Introduced to Ana Silva (Head of Product @ Globex)"
        ]
        await pilot.pause()
        assert f"Introduced to {second.name}" in shown_text(screen, "#detail-timeline")
        assert f"intro of Ana Silva to {second.name}" in shown_text(screen, "#detail-follow")
        # the other one's timeline shows it too
        app.open_detail(second.contact_id)
        await pilot.pause()
        assert "Introduced to Ana Silva" in shown_text(app.screen, "#detail-timeline")
        await pilot.press("escape")
        # one u: both touches and the follow-up are gone
        await pilot.press("u")
        await wait_for(pilot, lambda: len(touches_for(ANA)) == before[ANA], what="the undo")
        assert len(touches_for(second.contact_id)) == before[second.contact_id]
        assert len(services.open_follow_ups()) == follow_ups
        await pilot.pause()
        assert f"Introduced to {second.name}" not in shown_text(screen, "#detail-timeline")


async def test_a_number_picks_and_esc_cancels(demo_db):
    best = intros.matches(ANA, limit=5)
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, ANA)
        await pilot.press("I", "escape")
        assert app.screen is screen and intro_notes(ANA) == []
        await pilot.press("I", "3")
        await wait_for(pilot, lambda: bool(intro_notes(ANA)), what="the write")
        assert intro_notes(ANA)[0].startswith(f"Introduced to {best[2].name} (")


async def test_question_mark_shows_the_dialogs_keys(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, ANA)
        await pilot.press("I", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, IntroScreen)


async def test_I_from_the_list_introduces_the_selected_contact(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.show_in_list(ANA)
        await pilot.pause()
        await pilot.press("I")
        assert isinstance(app.screen, IntroScreen)
        assert app.screen.asker == "Ana Silva"
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(intro_notes(ANA)), what="the write")


async def test_the_audit_card_suggests_an_intro(demo_db):
    from netterm.tui.screens.audit import AuditScreen

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen), what="the audit")
        await wait_for(pilot, lambda: app.screen.card is not None, what="the card")
        assert app.screen.card.contact.name == "Ana Silva"
        text = shown_text(app.screen, "#audit-suggestion")
        assert "Could introduce: Hiroshi Hoffmann — matches 'staff engineer'" in text


async def test_who_was_introduced_is_left_out_of_the_box_and_last_in_the_picker(demo_db):
    """After Ana is introduced to her best match, the detail's box suggests the next
    ones, and the picker offers a new one first and says when the other was introduced."""
    from textual.widgets import OptionList

    first = intros.matches(ANA, limit=3)[0]
    intros.introduce(ANA, first.contact_id)
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, ANA)
        box = shown_text(screen, "#detail-matches")
        assert first.name not in box and box.count("matches '") == 3
        await pilot.press("I")
        assert isinstance(app.screen, IntroScreen)
        choices = app.screen.query_one("#intro-choices", OptionList)
        options = [choices.get_option_at_index(i) for i in range(choices.option_count)]
        assert options[choices.highlighted].id != str(first.contact_id)
        assert options[-1].id == str(first.contact_id)
        assert "introduced on 26 Nov" in str(options[-1].prompt)
        assert not any("introduced on" in str(o.prompt) for o in options[:-1])
