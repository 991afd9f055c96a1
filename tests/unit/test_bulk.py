"""Bulk actions (netterm/services/bulk.py): one transaction, one exact undo."""

from __future__ import annotations

import pytest

from netterm import services as svc
from netterm.errors import InvalidInput
from netterm.services import bulk, stats
from netterm.store.models import Category, Contact, ContactCategory, Interaction


@pytest.fixture(autouse=True)
def _cache_stays_true(request):
    yield
    if "db" in request.fixturenames:
        assert stats.stale() == []


def rows():
    """Everything a bulk action may touch, to compare before/after an undo; but the
    versions, which an action and its undo both move on (test_versions_move_on)."""
    fields = [f for f in Contact._meta.sorted_fields if f.name != "version"]
    contacts = sorted(Contact.select(*fields).tuples())
    # the links as pairs: a re-created link's own id is a surrogate (SQLite happens to
    # reuse a freed one, PostgreSQL's sequence does not)
    links = sorted(
        ContactCategory.select(ContactCategory.contact, ContactCategory.category).tuples()
    )
    cats = sorted(Category.select().tuples())
    touches = sorted(Interaction.select().tuples())
    return contacts, links, cats, touches


@pytest.fixture
def people(db):
    ids = [
        svc.add_contact("Ana Silva", company="Acme", tier=1, methods=[("email", "ana@a.example")]),
        svc.add_contact(
            "Bo Chen",
            company="Acme",
            methods=[("email", "bo@home.example"), ("email", "bo@acme.example")],
        ),
        svc.add_contact("Cy Dorn", company="Globex", categories=["investors"]),
        svc.add_contact("Di Eve", company="Initech", tier=3),
    ]
    return ids


def test_select_uses_the_filter_language(people):
    ana, bo, cy, _di = people
    assert set(bulk.select("acme")) == {ana, bo}
    assert set(bulk.select("is:untracked")) == {bo, cy}
    assert bulk.select("cat:investors") == [cy]
    with pytest.raises(InvalidInput):
        bulk.select("is:nonsense")


@pytest.mark.parametrize(
    ("action", "value"),
    [
        ("tier", "3"),
        ("tier", "untracked"),
        ("category", "investors"),
        ("category", "brand new"),
        ("uncategory", "investors"),
        ("snooze", "in 3 months"),
        ("archive", None),
        ("log", "I joined Globex"),
    ],
)
def test_each_action_undoes_to_the_byte(people, action, value):
    before = rows()
    result = bulk.apply(people, action, value)
    assert result.changed, result
    assert rows() != before
    bulk.undo(result.undo)
    assert rows() == before


def test_tier_starts_tracking_only_the_untracked(people):
    ana, bo, cy, _di = people
    before = {c.id: c.tracked_since for c in Contact.select()}
    result = bulk.apply(people, "tier", "3")
    assert sorted(result.changed) == sorted([ana, bo, cy])  # Di already light
    assert result.summary == "Set the tier of 3 contacts to light."
    after = {c.id: (c.tier, c.tracked_since) for c in Contact.select()}
    assert after[ana] == (3, before[ana])
    assert after[bo][0] == 3 and after[bo][1] is not None
    assert "untracked" not in {svc.get_contact(i).status.state for i in (bo, cy)}


def test_dry_run_changes_nothing(people):
    before = rows()
    result = bulk.apply(people, "archive", dry_run=True)
    assert len(result.changed) == 4 and result.undo is None
    assert result.summary.startswith("Would archive 4 contacts")
    assert rows() == before


def test_log_one_update_touch_each_with_the_note(people):
    result = bulk.apply(people, "log", "I joined Globex")
    touches = list(Interaction.select())
    assert len(touches) == 4 and {t.kind for t in touches} == {"update"}
    assert {t.note for t in touches} == {"I joined Globex"}
    assert {t.contact_id for t in touches} == set(people)
    assert result.summary == "Logged an update with 4 contacts."


def test_category_created_by_the_action_goes_with_its_undo(people):
    result = bulk.apply(people[:2], "category", "Brand  new")
    assert Category.get_or_none(Category.name == "Brand new") is not None
    bulk.undo(result.undo)
    assert Category.get_or_none(Category.name == "Brand new") is None


def test_existing_category_is_kept_by_the_undo(people):
    result = bulk.apply(people, "category", "INVESTORS")  # NOCASE: the same category
    assert len(result.changed) == 3  # Cy has it already
    bulk.undo(result.undo)
    assert [n for n, _ in svc.list_categories()] == ["investors"]
    assert bulk.select("cat:investors") == [people[2]]


@pytest.mark.parametrize(
    ("action", "value", "field"),
    [
        ("fly", None, "action"),
        ("tier", None, "tier"),
        ("tier", "7", "tier"),
        ("snooze", "2020-01-01", "snooze"),
        ("snooze", "someday maybe", "date"),
        ("category", "   ", "category"),
        ("uncategory", "nobody has this", "category"),
        ("archive", "now", "archive"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(people, action, value, field):
    before = rows()
    with pytest.raises(InvalidInput) as err:
        bulk.apply(people, action, value)
    assert err.value.field == field
    assert rows() == before


def test_nothing_to_change_is_not_an_undo_step(people):
    result = bulk.apply([people[3]], "tier", "light")
    assert result.changed == [] and result.undo is None


def test_addresses_primary_first_and_missing_named(people):
    ana, bo, cy, _di = people
    got = bulk.addresses([bo, cy, ana])
    assert got.emails == [("Bo Chen", "bo@home.example"), ("Ana Silva", "ana@a.example")]
    assert got.missing == ["Cy Dorn"]
    assert got.bcc == "bo@home.example, ana@a.example"
    assert got.mailto == "mailto:?bcc=bo@home.example,ana@a.example"


def test_many_contacts_in_chunks(db):
    from netterm.services.demo import generate

    generate(1200, seed=3, touches=0)
    ids = [c.id for c in Contact.select(Contact.id)]
    before = rows()
    result = bulk.apply(ids, "category", "imported")
    assert len(result.changed) == len(ids)
    assert len(bulk.select("cat:imported")) == len(
        [c for c in Contact.select() if c.archived_at is None]
    )
    bulk.undo(result.undo)
    assert rows() == before


# ------------------------------------------------------------------ several devices


def _versions() -> dict[int, int]:
    return dict(Contact.select(Contact.id, Contact.version).tuples())


@pytest.mark.parametrize(
    ("action", "value"),
    [
        ("tier", "priority"),
        ("category", "founders"),
        ("uncategory", "investors"),
        ("snooze", "2027-01-10"),
        ("archive", None),
    ],
)
def test_versions_move_on_for_the_contacts_changed(people, action, value):
    """A form opened before a bulk change (on another device) must see it: the version
    of every contact the action changed moves on, by the action and by its undo."""
    before = _versions()
    result = bulk.apply(people, action, value)
    after = _versions()
    assert result.changed
    assert after == {c: v + (c in result.changed) for c, v in before.items()}
    bulk.undo(result.undo)
    assert _versions() == {c: v + 2 * (c in result.changed) for c, v in before.items()}


def test_logging_an_update_leaves_the_versions(people):
    """A touch is not one of the contact's fields: a form open elsewhere saves as it is."""
    before = _versions()
    bulk.apply(people, "log", "shared the launch post")
    assert _versions() == before


def test_a_form_opened_before_a_bulk_change_gets_a_conflict(people):
    from netterm.errors import Conflict

    ana = people[0]
    opened = svc.get_contact(ana).version  # the form on the other device
    bulk.apply([ana], "category", "founders")
    with pytest.raises(Conflict):
        svc.update_contact(ana, expected_version=opened, categories=["advisers"])
    assert svc.get_contact(ana).categories == ["founders"]  # nothing lost


def test_a_bulk_change_keeps_what_another_device_saved_meanwhile(people):
    """The selection is made, then another device edits one of them: the bulk action
    writes only its own column (or link), over the contact as it is now."""
    ana, _bo, cy, _di = people
    selected = bulk.select("acme")
    svc.update_contact(ana, notes="from the laptop", categories=["advisers"], tier="regular")
    svc.update_contact(cy, categories=["investors", "founders"])
    bulk.apply([*selected, cy], "category", "founders")
    bulk.apply(selected, "snooze", "2027-01-10")
    d = svc.get_contact(ana)
    assert (d.notes, d.tier, d.categories) == ("from the laptop", 2, ["advisers", "founders"])
    assert svc.get_contact(cy).categories == ["founders", "investors"]
