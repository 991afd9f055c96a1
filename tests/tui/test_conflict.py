"""Two devices edit the same contact: saving over a newer version shows the conflict
dialog (netterm/tui/screens/conflict.py); keep mine, take theirs or a field-by-field
merge each save what was chosen over the new version; nothing is lost silently."""

from __future__ import annotations

import pytest
from helpers import SIZE, app_for
from test_form import fill, open_form
from textual.widgets import Input, Select

from netterm import services
from netterm.tui.screens.conflict import ConflictRow, ConflictScreen
from netterm.tui.screens.form import ContactForm

# the app's flows on both engines (tests/conftest.py)
pytestmark = pytest.mark.both_engines


async def conflicting_edit(pilot) -> tuple[ContactForm, dict]:
    """The form on contact #1 changes its company; meanwhile another device saves a
    different company and title; ctrl+s opens the dialog."""
    form = await open_form(pilot, "e")
    before = services.get_contact(1)
    fill(form, company="Initech")
    form.query_one("#f-job_change", Select).value = "correction"
    services.update_contact(  # the other device
        1, company="Umbrella", job_title="CTO", job_change="correction"
    )
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConflictScreen)
    return form, {"title": before.job_title, "version": before.version}


def rows(screen: ConflictScreen) -> dict[str, tuple[str, str, str]]:
    return {
        r.field.key: (r.field.mine, r.field.theirs, r.choice) for r in screen.query(ConflictRow)
    }


async def test_the_dialog_shows_both_sides_and_keep_mine_saves_mine(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form, before = await conflicting_edit(pilot)
        # your change against theirs; their title against the original you did not touch
        assert rows(app.screen) == {
            "job_title": (before["title"], "CTO", "theirs"),
            "company": ("Initech", "Umbrella", "mine"),
        }
        assert services.get_contact(1).company == "Umbrella"  # nothing written yet
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is not form
    d = services.get_contact(1)
    assert (d.company, d.job_title) == ("Initech", before["title"])
    assert d.version == before["version"] + 2  # theirs, then the merge


async def test_take_theirs_reloads_the_form_and_saves_nothing(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form, before = await conflicting_edit(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is form and not form.dirty
        assert form.query_one("#f-company", Input).value == "Umbrella"
        assert form.query_one("#f-job_title", Input).value == "CTO"
        assert form._version == services.get_contact(1).version
        await pilot.press("escape")  # nothing unsaved: leaves without asking
        await pilot.pause()
        assert app.screen is not form
    d = services.get_contact(1)
    assert (d.company, d.job_title, d.version) == ("Umbrella", "CTO", before["version"] + 1)


async def test_enter_saves_the_default_merge(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form, before = await conflicting_edit(pilot)
        await pilot.press("enter")  # the defaults: your company, their title
        await pilot.pause()
        assert app.screen is not form
    d = services.get_contact(1)
    assert (d.company, d.job_title, d.version) == ("Initech", "CTO", before["version"] + 2)


async def test_a_merge_chosen_field_by_field(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form, before = await conflicting_edit(pilot)
        await pilot.press("space")  # title: yours (the original) over theirs
        await pilot.press("down", "right")  # company: theirs
        assert {k: v[2] for k, v in rows(app.screen).items()} == {
            "job_title": "mine",
            "company": "theirs",
        }
        highlighted = [
            (row.field.key, cell.has_class("cf-mine"))
            for row in app.screen.query(ConflictRow)
            for cell in row.query(".-chosen")
        ]
        assert highlighted == [("job_title", True), ("company", False)]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not form
    d = services.get_contact(1)
    assert (d.company, d.job_title, d.version) == (
        "Umbrella",
        before["title"],
        before["version"] + 2,
    )


async def test_a_save_elsewhere_during_the_dialog_shows_it_again_and_escape_goes_back(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form, before = await conflicting_edit(pilot)
        await pilot.press("escape")  # back to the form, nothing saved, your edit kept
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#f-company", Input).value == "Initech"
        assert services.get_contact(1).company == "Umbrella"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        services.update_contact(1, company="Hooli", job_change="correction")  # yet again
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert rows(app.screen)["company"] == ("Initech", "Hooli", "mine")
        assert services.get_contact(1).company == "Hooli"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not form
    d = services.get_contact(1)
    assert (d.company, d.job_title, d.version) == ("Initech", "CTO", before["version"] + 3)


async def test_help_lists_the_dialog_keys(demo_db):
    from netterm.tui.screens.help import HelpScreen, binding_rows

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await conflicting_edit(pilot)
        described = " ".join(
            f"{keys} {text}" for keys, text, _tip, _all in binding_rows(app.screen)
        )
        for words in ("Keep mine", "Take theirs", "Toggle mine / theirs", "Save the merge"):
            assert words in described
        dialog = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog


@pytest.mark.sqlite_only  # a picture, the same on both engines
def test_the_conflict_dialog_snapshot(snap_compare, demo_db, monkeypatch):
    """The dialog at 80x24 on the demo network: their title against your original,
    your company against theirs, the cursor on the first row."""
    from helpers import ready

    from netterm.tui.app import NettermApp

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)

    async def run_before(pilot):
        await ready(pilot)
        pilot.app.clear_notifications()
        await conflicting_edit(pilot)
        pilot.app.clear_notifications()
        await pilot.pause(0.05)

    assert snap_compare(NettermApp(demo_db), run_before=run_before, terminal_size=(80, 24))


async def test_a_bulk_change_made_elsewhere_while_the_form_is_open_is_kept(demo_db):
    """Another device adds a category to this contact in a bulk action while the form is
    open here: the save shows the conflict, and its merge keeps both changes."""
    from netterm.services import bulk

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e")
        cid = form.detail.id
        fill(form, location="Reykjavik")
        bulk.apply([cid], "category", "founders")  # the other device
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert rows(app.screen)["categories"][2] == "theirs"  # you did not touch them
        await pilot.press("enter")
        await pilot.pause()
    d = services.get_contact(cid)
    assert d.location == "Reykjavik" and "founders" in d.categories
