"""The add / edit form: every field, messages under the bad ones, nothing lost."""

from __future__ import annotations

from datetime import date

from helpers import SIZE, app_for, ready
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from netterm import services
from netterm.tui.screens.confirm import ConfirmScreen
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.form import ContactForm, MethodRow


async def open_form(pilot, key="a") -> ContactForm:
    await ready(pilot)
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContactForm)
    return pilot.app.screen


def fill(form: ContactForm, **values) -> None:
    for field, value in values.items():
        form.query_one(f"#f-{field}", Input).value = value


def error(form: ContactForm, field: str) -> str:
    widget = form.query_one(f"#err-{field.replace('_', '-')}")
    return str(widget.render()) if widget.display else ""


async def test_add_with_every_field(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"Zoe")  # the first field has the focus
        fill(
            form,
            last_name="Quinn",
            job_title="CTO",
            company="Initech",
            location="Berlin",
            how_met="PyCon 2023 sprint",
            met_on="2023-04-20",
            cadence_days="60",
        )
        form.query_one("#f-tier", Select).value = "1"
        form.query_one("#f-looking_for", TextArea).text = "a head of data"
        form.query_one("#f-notes", TextArea).text = "line one\nline two"
        row = form.query_one(MethodRow)
        row.query_one(".method-value", Input).value = "zoe@initech.example"
        await pilot.press("ctrl+n")
        await pilot.pause()
        second = list(form.query(MethodRow))[1]
        second.query_one(".method-kind", Select).value = "github"
        second.query_one(".method-value", Input).value = "zoeq"
        form.query_one(SelectionList).select("investors")
        form.query_one("#new-category", Input).focus()
        await pilot.press(*"conference friends", "enter")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ContactsScreen)
        cid = services.resolve("zoe quinn")
        d = services.get_contact(cid)
        assert (d.job_title, d.company, d.location, d.tier, d.cadence_days) == (
            "CTO",
            "Initech",
            "Berlin",
            1,
            60,
        )
        assert d.met_on == date(2023, 4, 20) and d.how_met == "PyCon 2023 sprint"
        [first] = d.touches  # the met-on date is the first meeting, face to face
        assert (first.kind, first.occurred_on, first.in_person) == ("meeting", d.met_on, True)
        assert d.looking_for == "a head of data" and d.notes == "line one\nline two"
        assert [(m.kind, m.value) for m in d.methods] == [
            ("email", "zoe@initech.example"),
            ("github", "@zoeq"),
        ]
        assert d.categories == ["conference friends", "investors"]
        # the new contact is in the list, under the cursor
        assert app.screen.table.current.id == cid


async def test_messages_under_the_offending_fields(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        before = services.load_network().counts.total
        fill(form, met_on="someday", cadence_days="-3")
        form.query_one(MethodRow).query_one(".method-value", Input).value = "not-an-email"
        await pilot.press("ctrl+s")
        assert app.screen is form  # not saved
        assert "needs a name" in error(form, "first_name")
        assert "someday" in error(form, "met_on")
        assert "cadence" in error(form, "cadence_days")
        method_error = form.query_one(".method-error")
        assert "not a valid email" in str(method_error.render())
        assert form.query_one("#f-first_name").has_class("-invalid")
        assert services.load_network().counts.total == before
        # fixing them clears the messages and saves
        fill(form, first_name="Zoe", met_on="", cadence_days="")
        form.query_one(MethodRow).query_one(".method-value", Input).value = "zoe@x.example"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ContactsScreen)
        assert services.load_network().counts.total == before + 1


async def test_edit_changes_only_what_changed(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        before = services.get_contact(1)
        form = await open_form(pilot, "e")
        assert form.query_one("#f-first_name", Input).value == "Ana"
        assert form.query_one("#f-company", Input).value == "Globex"
        assert len(list(form.query(MethodRow))) == len(before.methods)
        assert not form.query_one("#job-change-field").display
        fill(form, company="Initech", job_title="VP Product")
        await pilot.pause()
        assert form.query_one("#job-change-field").display  # a correction or a new job?
        await pilot.press("ctrl+s")
        assert app.screen is form and "correction" in error(form, "job_change")
        assert services.get_contact(1).company == "Globex"  # nothing saved yet
        form.query_one("#f-job_change", Select).value = "new_job"
        await pilot.press("ctrl+s")
        after = services.get_contact(1)
        assert (after.company, after.job_title) == ("Initech", "VP Product")
        assert (after.first_name, after.last_name, after.previous_names) == (
            before.first_name,
            before.last_name,
            before.previous_names,
        )
        assert (after.jobs[0].title, after.jobs[0].company) == ("Head of Product", "Globex")
        assert after.categories == before.categories
        assert [m.value for m in after.methods] == [m.value for m in before.methods]
        assert app.model.by_id[1].company == "Initech"


async def test_remove_a_method(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e")
        rows = list(form.query(MethodRow))
        rows[-1].query_one(".method-remove").press()
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert len(services.get_contact(1).methods) == len(rows) - 1


async def test_escape_asks_before_discarding_edits(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e")
        fill(form, company="Initech")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert app.screen is form
        assert form.query_one("#f-company", Input).value == "Initech"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, ContactsScreen)
        assert services.get_contact(1).company == "Globex"  # nothing saved


async def test_escape_without_edits_just_closes(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "e")
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)


async def test_a_corrected_company_writes_no_career_row(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        before = services.get_contact(1)
        form = await open_form(pilot, "e")
        fill(form, company="Globex Corp")
        await pilot.pause()
        form.query_one("#f-job_change", Select).value = "correction"
        await pilot.press("ctrl+s")
        after = services.get_contact(1)
        assert after.company == "Globex Corp" and after.jobs == before.jobs
        assert isinstance(app.screen, ContactsScreen)


async def test_a_remote_first_meeting_is_not_face_to_face(demo_db):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        fill(form, first_name="Remy", last_name="Online", met_on="6 days ago")
        form.query_one("#f-tier", Select).value = "1"
        form.query_one("#f-met_remote", Checkbox).value = True
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ContactsScreen)
        d = services.get_contact(services.resolve("remy online"))
        [first] = d.touches
        assert (first.kind, first.in_person) == ("call", False)
        assert "meet_in_person" in d.status.flags


async def test_an_edit_over_a_newer_version_is_a_conflict_not_a_lost_write(demo_db):
    """Another device saves the contact while the form is open: saving writes nothing and
    shows the conflict dialog (tests/tui/test_conflict.py); `m` keeps this form's version."""
    from netterm.errors import Conflict
    from netterm.tui.screens.conflict import ConflictScreen

    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "e")
        services.update_contact(1, location="Porto")  # the other device's edit
        fill(form, location="Braga")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert services.get_contact(1).location == "Porto"  # their write is not lost
        await pilot.press("m")  # keep mine, knowingly
        await pilot.pause()
        assert app.screen is not form
        assert services.get_contact(1).location == "Braga"
    # the service refuses an edit of an older version, whoever calls it
    version = services.get_contact(1).version
    services.update_contact(1, notes="x", expected_version=version)
    try:
        services.update_contact(1, notes="y", expected_version=version)
    except Conflict as exc:
        assert exc.theirs == {"notes": "x"}
    else:
        raise AssertionError("no conflict")
    assert services.get_contact(1).notes == "x"
