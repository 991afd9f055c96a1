"""The audit screen: a full walk on a small network in the app, every key and its effect.

The network is tests/audit/conftest.py's `net`: eight cards (Ana, Dan, Bob, Ivan, Carla,
Hugo, Ana's duplicate, Eve), an audit finished in March, today Thu 26 Nov 2026.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers import SIZE, app_for, ready, toasts, wait_for
from textual.widgets import Input, Static

from netterm import services as svc
from netterm.core import status as st
from netterm.services import audit, stats
from netterm.store.models import Audit
from netterm.tui.screens.audit import AuditEndScreen, AuditScreen
from netterm.tui.screens.auditdialogs import CategoriesDialog, MergeDialog, SnoozeDialog
from netterm.tui.screens.confirm import ConfirmScreen
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.detail import DetailScreen
from netterm.tui.screens.form import ContactForm
from netterm.tui.screens.help import HelpScreen
from netterm.tui.screens.quicklog import QuickLog
from netterm.tui.widgets.auditbanner import AuditBanner
from tests.audit.conftest import _dump, decisions

# the app's flows on both engines (tests/conftest.py)
pytestmark = pytest.mark.both_engines


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def card_of(app) -> int:
    """The contact on the audit screen's card."""
    screen = app.screen
    assert isinstance(screen, AuditScreen), screen
    return screen.card.contact.id


def banner(app) -> AuditBanner | None:
    """The audit line over the list (mounted the first time it has something to say)."""
    found = app.screen_stack[0].query(AuditBanner)
    return found.first() if found else None


def banner_shown(app) -> bool:
    line = banner(app)
    return line is not None and line.display


async def banner_says(pilot, words: str) -> None:
    await wait_for(
        pilot,
        lambda: banner_shown(pilot.app) and words in banner(pilot.app).text.plain,
        what=f"the banner to say {words!r}",
    )


async def open_audit(pilot) -> AuditScreen:
    await ready(pilot)
    await pilot.press("A")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AuditScreen), what="the audit")
    return pilot.app.screen


async def test_a_full_audit_in_the_app(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await banner_says(pilot, "Audit due: the last one finished 9 months ago")
        screen = await open_audit(pilot)

        # 1. Ana, with her duplicate on the card: merge, back (undone), keep
        assert card_of(app) == net.ana
        assert text(screen, "#audit-count") == "1 / 8"
        assert "priority" in text(screen, "#audit-title")
        dupes = text(screen, "#audit-dupes")
        assert f"#{net.ana_dup} Ana Silva" in dupes and "same email" in dupes
        assert "Merge? Looks like the same person" in text(screen, "#audit-suggestion")
        facts = text(screen, "#audit-facts")
        assert "Senior PM @ Acme → Head of Product @ Globex" in facts  # the job change
        assert "at Acme, the 2019 payments launch" in facts
        before = _dump()
        await pilot.press("m")
        assert isinstance(app.screen, MergeDialog)
        await pilot.press("y")
        assert app.screen is screen and card_of(app) == net.dan
        assert svc.get_contact(net.ana_dup).archived_at is not None
        assert [f.text for f in svc.get_contact(net.ana).open_follow_ups] == ["send the deck"]
        assert app.model.by_id[net.ana_dup].state == st.ARCHIVED  # the list underneath
        assert net.ana_dup not in [r.id for r in app.model.view]
        assert "merged Ana Silva" in text(screen, "#audit-back")
        await pilot.press("b")
        assert card_of(app) == net.ana
        assert _dump() == before  # the merge is undone exactly
        assert app.model.by_id[net.ana_dup].state != st.ARCHIVED
        await pilot.press("k")
        assert svc.get_contact(net.ana).reviewed_at is not None

        # 2. Dan: enter accepts "meet in person", which keeps him
        assert card_of(app) == net.dan
        assert "Meet in person" in text(screen, "#audit-suggestion")
        await pilot.press("enter")

        # 3. Bob: tier down
        assert card_of(app) == net.bob
        await pilot.press("minus")
        assert svc.get_contact(net.bob).tier == 3
        assert app.model.by_id[net.bob].tier == 3

        # 4. Ivan: edit, in the app's contact form: a new job and last name go to history
        assert card_of(app) == net.ivan
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ContactForm) and "Audit 4 / 8" in text(form, "#form-title")
        form.query_one("#f-company", Input).value = "Initech"
        form.query_one("#f-job_title", Input).value = "CTO"
        form.query_one("#f-last_name", Input).value = "Ivanov"
        await pilot.press("ctrl+s")
        assert app.screen is screen and card_of(app) == net.carla
        ivan = svc.get_contact(net.ivan)
        assert (ivan.job_title, ivan.company, ivan.last_name) == ("CTO", "Initech", "Ivanov")
        assert "Petrov" in ivan.previous_names
        assert app.model.by_id[net.ivan].name == "Ivan Ivanov"

        # 5. Carla: archive (she leaves the list underneath; back would bring her back)
        assert "Archive?" in text(screen, "#audit-suggestion")
        await pilot.press("x")
        assert svc.get_contact(net.carla).archived_at is not None
        assert net.carla not in [r.id for r in app.model.view]
        await pilot.press("b")
        assert card_of(app) == net.carla and net.carla in [r.id for r in app.model.view]
        await pilot.press("x")

        # 6. Hugo: snooze — a past date stays in the dialog, a future one snoozes
        assert card_of(app) == net.hugo
        await pilot.press("z")
        dialog = app.screen
        assert isinstance(dialog, SnoozeDialog)
        assert "Fri 26 Feb 2027" in text(dialog, "#sz-parsed")  # "in 3 months"
        dialog.query_one("#sz-until", Input).value = "last week"
        await pilot.press("enter")
        assert app.screen is dialog and "in the past" in text(dialog, ".dialog-error")
        dialog.query_one("#sz-until", Input).value = "in 2 months"
        await pilot.pause()
        assert "26 Jan 2027" in text(dialog, "#sz-parsed")
        await pilot.press("enter")
        assert app.screen is screen
        assert svc.get_contact(net.hugo).paused_until == date(2027, 1, 26)

        # 7. Ana's duplicate: tier up (untracked → light)
        assert card_of(app) == net.ana_dup
        await pilot.press("plus")
        assert svc.get_contact(net.ana_dup).tier == 3

        # 8. Eve: skip (the last card: the audit finishes), b on the end screen reopens
        # it and undoes the skip; then categories (a new one created in the dialog)
        assert card_of(app) == net.eve
        assert text(screen, "#audit-count") == "8 / 8"
        await pilot.press("s")
        assert isinstance(app.screen, AuditEndScreen)
        assert audit.status().in_progress is False
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen), what="the audit")
        screen = app.screen
        assert card_of(app) == net.eve and (net.eve, "skip") not in decisions()
        await pilot.press("c")
        assert isinstance(app.screen, CategoriesDialog)
        app.screen.query_one("#new-category", Input).focus()
        await pilot.press(*"conference friends", "enter", "ctrl+s")

        # the end screen
        end = app.screen
        assert isinstance(end, AuditEndScreen)
        assert svc.get_contact(net.eve).categories == ["conference friends"]
        assert decisions() == [
            (net.ana, "keep"),
            (net.dan, "keep"),
            (net.bob, "tier_down"),
            (net.ivan, "edit"),
            (net.carla, "archive"),
            (net.hugo, "snooze"),
            (net.ana_dup, "tier_up"),
            (net.eve, "categories"),
        ]
        counts = text(end, "#end-counts")
        for words in ("2 kept", "2 updated", "2 re-tiered", "1 archived", "1 snoozed"):
            assert words in counts, counts
        assert "Ivan Ivanov" in text(end, "#end-changes-list")
        assert "regular → light" in text(end, "#end-changes-list")
        assert "27 May 2027" in text(end, "#end-next")  # 182 days after today
        assert audit.status().in_progress is False and audit.status().due is False

        # priority people to meet: Dan (last face to face 13 months ago); f plans it
        assert [m.contact_id for m in end.summary.to_meet] == [net.dan]
        await pilot.press("f")
        follow = svc.get_contact(net.dan).open_follow_ups
        assert [f.text for f in follow] == ["Meet Dan in person: coffee or lunch"]
        assert follow[0].due_on == date(2026, 12, 10)
        assert end.summary.to_meet[0].follow_up is not None
        assert "planned 10 Dec" in str(end.query_one("#end-meet").get_option_at_index(0).prompt)
        await pilot.press("f")  # already planned: not twice
        assert len(svc.get_contact(net.dan).open_follow_ups) == 1
        assert any("Already planned" in t for t in toasts(app))

        # back to the list: the banner is gone, the counts agree
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)
        await wait_for(pilot, lambda: not banner_shown(app), what="the banner to go")
        await wait_for(pilot, lambda: not app.model.counts.audit_due, what="audit_due off")

        # A again, so soon: it asks first
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        assert "Start a new audit now?" in text(app.screen, "#confirm-question")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="the list")
        assert audit.status().in_progress is False
    assert stats.stale() == []


async def test_quit_midway_and_reopen_resumes_at_the_next_card(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot)
        await pilot.press("k", "k")
        assert card_of(app) == net.bob
        await pilot.press("q")
        assert isinstance(app.screen, ContactsScreen) and screen.card.progress == "3 / 8"
        assert any("Audit paused at card 3 / 8" in t for t in toasts(app))
        await banner_says(pilot, "Audit in progress: card 3 / 8")
        await pilot.press("q")
    # a new app on the same file: the banner says where it stands, A resumes there
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await banner_says(pilot, "card 3 / 8 — press")
        await open_audit(pilot)
        assert card_of(app) == net.bob
        assert "kept Dan Brown" in text(app.screen, "#audit-back")
        await pilot.press("escape")
    # `netterm audit` opens the app on the audit screen, at the same card
    app = app_for(db, screen="audit")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen), what="the audit")
        assert card_of(app) == net.bob
        assert isinstance(app.screen_stack[0], ContactsScreen)


async def test_the_merge_dialog_previews_swaps_and_cancels(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot)
        before = _dump(without=())
        await pilot.press("enter")  # the suggestion is the merge: it asks first
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        preview = text(dialog, "#merge-preview")
        assert f"keeps #{net.ana} Ana Silva" in preview  # the older record
        assert f"Merge #{net.ana_dup} Ana Silva into #{net.ana} Ana Silva" in preview
        await pilot.press("s")
        assert f"keeps #{net.ana_dup} Ana Silva" in text(dialog, "#merge-preview")
        await pilot.press("n")
        assert app.screen is screen and card_of(app) == net.ana
        assert _dump(without=()) == before  # nothing happened
        await pilot.press("m", "s", "y")  # keep the younger record this time
        assert card_of(app) == net.dan
        assert svc.get_contact(net.ana).archived_at is not None
        assert svc.get_contact(net.ana_dup).archived_at is None
        assert any("Merged" in t for t in toasts(app))
        await pilot.press("b")
        assert _dump() == {k: v for k, v in before.items() if k != "audit_decision"}


async def test_refusals_and_mistakes_change_nothing(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot)
        before = _dump(without=())
        await pilot.press("b")  # nothing to undo yet
        assert any("nothing to undo" in t for t in toasts(app))
        await pilot.press("plus")  # Ana is priority already
        assert any("already priority" in t for t in toasts(app))
        assert card_of(app) == net.ana
        # an invalid edit: the message under the field, nothing recorded
        await pilot.press("e")
        form = app.screen
        form.query_one("#f-cadence_days", Input).value = "-3"
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert str(form.query_one("#err-cadence-days", Static).render())
        await pilot.press("escape")
        if isinstance(app.screen, ConfirmScreen):  # "discard your edits?"
            await pilot.press("y")
        assert app.screen is screen and card_of(app) == net.ana
        # a cancelled snooze and cancelled categories
        await pilot.press("z", "escape", "c", "escape")
        assert app.screen is screen
        assert _dump(without=()) == before
        # an unchanged form is a keep
        await pilot.press("e", "ctrl+s")
        assert decisions() == [(net.ana, "keep")]


async def test_log_open_help_and_finish_early(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot)
        touches = len(svc.get_contact(net.ana).touches)
        await pilot.press("l")
        assert isinstance(app.screen, QuickLog) and app.screen.contact_id == net.ana
        await pilot.press("g", "enter")  # a congratulation: the card stays
        assert app.screen is screen and card_of(app) == net.ana
        assert len(svc.get_contact(net.ana).touches) == touches + 1
        assert st.JOB_CHANGED not in svc.get_contact(net.ana).status.flags
        assert decisions() == []
        await pilot.press("o")
        assert isinstance(app.screen, DetailScreen) and app.screen.contact_id == net.ana
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
        for binding in AuditScreen.BINDINGS:
            assert binding.description in shown, binding
        await pilot.press("escape")
        await pilot.press("k", "F")
        assert isinstance(app.screen, ConfirmScreen)
        assert "7 cards from this one on stay undecided" in text(app.screen, "#confirm-question")
        await pilot.press("y")
        end = app.screen
        assert isinstance(end, AuditEndScreen)
        assert "7 cards not reached" in text(end, "#end-counts")
        assert svc.get_contact(net.dan).reviewed_at is None
        assert audit.status().in_progress is False


async def test_the_palette_starts_the_audit(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"audit")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen), what="the audit")
        assert card_of(app) == net.ana


async def test_an_empty_network_has_nothing_to_audit(empty_db):
    app = app_for(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause(0.2)
        assert not banner_shown(app)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert any("Nothing to audit yet" in t for t in toasts(app))
        assert Audit.select().count() == 0


async def test_the_banner_when_no_audit_was_ever_finished_and_a_click_opens_it(empty_db):
    svc.add_contact("Ana Silva", tier=1)
    app = app_for(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await banner_says(pilot, "Audit due: none finished yet")
        assert app.screen.query_one("#header").headline().endswith("contact ")  # one line
        await pilot.click(AuditBanner)
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen), what="the audit")


def test_banner_text():
    from datetime import datetime

    import pendulum

    from netterm.services.audit import AuditStatus
    from netterm.tui.widgets.auditbanner import banner_text

    today = date(2026, 11, 26)
    march = pendulum.instance(datetime(2026, 3, 2, 10), tz="UTC")
    assert banner_text(AuditStatus(False, last_finished_at=march, due=False), today) is None
    assert (
        banner_text(AuditStatus(False, last_finished_at=march, due=True), today).plain
        == " Audit due: the last one finished 9 months ago — press  A "
    )
    assert "none finished yet" in banner_text(AuditStatus(False, due=True), today).plain
    going = AuditStatus(True, position=36, total=412, due=True)
    assert banner_text(going, today).plain == (
        " Audit in progress: card 37 / 412 — press  A  to resume"
    )
    done = AuditStatus(True, position=None, total=412, due=True)
    assert "every card is decided — press  A  to see the summary" in banner_text(done, today).plain


async def test_end_screen_keys(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_audit(pilot)
        await pilot.press("F", "y")
        end = app.screen
        assert isinstance(end, AuditEndScreen)
        await pilot.press("question_mark")
        shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
        for binding in AuditEndScreen.BINDINGS:
            assert binding.description in shown, binding
        await pilot.press("escape", "J", "K", "j", "k", "o")
        assert isinstance(app.screen, DetailScreen) and app.screen.contact_id == net.dan
        await pilot.press("escape")
        assert app.screen is end
        await pilot.press("q")
        assert isinstance(app.screen, ContactsScreen)


# ------------------------------------------------------------------ several devices


async def test_an_audit_edit_over_another_devices_save_opens_the_conflict_dialog(net, db):
    """The audit's edit form saves through the audit; someone saved the contact since the
    form opened: the conflict dialog, nothing decided; its merge is saved, decided once."""
    from netterm.tui.screens.conflict import ConflictScreen

    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot)
        cid = card_of(app)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ContactForm)
        form.query_one("#f-location", Input).value = "Lisbon"
        svc.update_contact(cid, location="Porto", looking_for="a CTO")  # the other device
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen), what="the dialog")
        assert svc.get_contact(cid).location == "Porto" and decisions() == []
        await pilot.press("enter")  # the merge: my location, their other field
        await wait_for(pilot, lambda: app.screen is screen, what="the audit again")
        assert card_of(app) != cid
    d = svc.get_contact(cid)
    assert (d.location, d.looking_for) == ("Lisbon", "a CTO")
    assert decisions() == [(cid, "edit")]


async def test_audit_categories_keep_one_another_device_added_meanwhile(net, db):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_audit(pilot)
        cid = card_of(app)
        shown = svc.get_contact(cid).categories
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, CategoriesDialog)
        svc.add_categories(cid, ["Investors"])  # the other device, while the dialog is open
        dialog.query_one("#new-category", Input).focus()
        await pilot.press(*"runners", "enter", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, CategoriesDialog))
    assert sorted(svc.get_contact(cid).categories, key=str.casefold) == sorted(
        [*shown, "Investors", "runners"], key=str.casefold
    )
