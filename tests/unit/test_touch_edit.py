"""Every mistake correctable: touches edited, deleted and put back, replies taken back."""

from __future__ import annotations

import pendulum
import pytest

from netterm import services as svc
from netterm.config import clock
from netterm.core import status as st
from netterm.errors import InvalidInput, NotFound
from netterm.services import stats
from netterm.store.models import DismissedSource, Interaction


@pytest.fixture(autouse=True)
def _cache_stays_true(db):
    """After every test here, the status cache agrees with the source tables."""
    yield
    assert stats.stale() == []


def _dump():
    return sorted(tuple(r.__data__.items()) for r in Interaction.select())


def test_edit_changes_only_what_is_given(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    t = svc.log_touch(cid, "coffee", "3 days ago", note="pricing")
    edit = svc.edit_touch(t.id, note="pricing, and her move")
    assert edit.changed and edit.before == t
    after = svc.get_touch(t.id)
    assert after.note == "pricing, and her move"
    assert (after.kind, after.occurred_on, after.in_person) == ("coffee", t.occurred_on, True)


def test_edit_the_date_moves_the_clock_and_undo_puts_it_back(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    t = svc.log_touch(cid, "coffee", "10 days ago")
    assert svc.get_contact(cid).status.state == st.OK
    edit = svc.edit_touch(t.id, when="200 days ago")
    assert svc.get_contact(cid).status.state == st.OVERDUE
    assert edit.after.occurred_on == clock.today() - pendulum.duration(days=200)
    svc.restore_touch_edit(edit.before)
    assert svc.get_touch(t.id) == t
    assert svc.get_contact(cid).status.state == st.OK


def test_a_new_kind_brings_its_defaults_unless_given(db):
    cid = svc.add_contact("Ana Silva")
    t = svc.log_touch(cid, "email", awaiting_reply=True)
    lunch = svc.edit_touch(t.id, kind="lunch").after
    assert lunch.kind == "lunch" and lunch.in_person and lunch.direction == "mutual"
    assert not lunch.awaiting_reply  # a mutual lunch waits for nobody
    remote = svc.edit_touch(t.id, kind="coffee", in_person=False).after
    assert remote.kind == "coffee" and not remote.in_person


def test_edit_flags_and_direction(db):
    cid = svc.add_contact("Ana Silva")
    t = svc.log_touch(cid, "email")
    waiting = svc.edit_touch(t.id, awaiting_reply=True).after
    assert waiting.unanswered
    assert svc.edit_touch(t.id, awaiting_reply=False).after.replied_at is None
    inbound = svc.edit_touch(t.id, direction="in").after
    assert inbound.direction == "in"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"when": "next flurbsday"}, "date"),
        ({"kind": "telepathy"}, "kind"),
        ({"direction": "sideways"}, "direction"),
        ({"direction": "in", "awaiting_reply": True}, "awaiting reply"),
    ],
)
def test_a_bad_edit_changes_nothing(db, changes, field):
    cid = svc.add_contact("Ana Silva")
    svc.log_touch(cid, "email", "2 days ago", note="hello")
    t = svc.log_touch(cid, "coffee", "1 day ago")
    before = _dump()
    with pytest.raises(InvalidInput) as err:
        svc.edit_touch(t.id, **changes)
    assert err.value.field == field
    assert _dump() == before


def test_unknown_touches_and_fields(db):
    with pytest.raises(NotFound, match="no touch #99"):
        svc.edit_touch(99, note="x")
    with pytest.raises(NotFound, match="no touch #99"):
        svc.delete_touch(99)
    with pytest.raises(TypeError, match="colour"):
        svc.edit_touch(1, colour="red")


def test_edit_keeps_the_source_item(db):
    cid = svc.add_contact("Ana Silva")
    t = svc.log_touch(cid, "email", "5 days ago")
    Interaction.update(source="mail", source_key="<m1@x>", logged_by="me").where(
        Interaction.id == t.id
    ).execute()
    after = svc.edit_touch(t.id, note="about the offer").after
    assert (after.source, after.source_key, after.logged_by) == ("mail", "<m1@x>", "me")


def test_deleting_a_typed_touch_and_putting_it_back(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    svc.log_touch(cid, "coffee", "200 days ago")
    t = svc.log_touch(cid, "lunch", "2 days ago", note="tacos")
    before = _dump()
    removed = svc.delete_touch(t.id)
    assert removed == t
    assert svc.get_contact(cid).status.state == st.OVERDUE
    assert DismissedSource.select().count() == 0  # typed: nothing to remember
    back = svc.restore_touch(removed)
    assert back.id == t.id and _dump() == before
    assert svc.get_contact(cid).status.state == st.OK


def test_deleting_an_imported_touch_dismisses_its_source_until_undone(db):
    cid = svc.add_contact("Ana Silva")
    t = svc.log_touch(cid, "email", "5 days ago")
    Interaction.update(source="mail", source_key="<m1@x>").where(Interaction.id == t.id).execute()
    removed = svc.delete_touch(t.id)
    dismissed = [(d.contact_id, d.source, d.source_key) for d in DismissedSource.select()]
    assert dismissed == [(cid, "mail", "<m1@x>")]
    back = svc.restore_touch(removed)
    assert (back.source, back.source_key) == ("mail", "<m1@x>")
    assert DismissedSource.select().count() == 0


def test_a_restored_touch_takes_a_new_id_if_its_own_was_reused(db):
    cid = svc.add_contact("Ana Silva")
    t = svc.log_touch(cid, "coffee", "3 days ago")
    removed = svc.delete_touch(t.id)
    other = svc.log_touch(cid, "email")  # SQLite may hand out the freed id again
    back = svc.restore_touch(removed)
    assert back.id not in (other.id,) and svc.get_touch(other.id).kind == "email"
    assert back.kind == "coffee"


def test_undo_a_reply(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    svc.log_touch(cid, "coffee", "120 days ago")
    svc.log_touch(cid, "email", "10 days ago", awaiting_reply=True)
    svc.log_touch(cid, "email", "3 days ago", awaiting_reply=True)
    svc.ball_in_their_court(cid)
    before = _dump()
    d0 = svc.get_contact(cid)
    result = svc.mark_reply(cid)
    assert result.answered == 2 and len(result.answered_ids) == 2
    assert svc.get_contact(cid).status.state == st.OK
    svc.undo_reply(result)
    assert _dump() == before
    d1 = svc.get_contact(cid)
    assert d1.status.state == d0.status.state == st.PAUSED
    assert d1.awaiting_inbound_since == d0.awaiting_inbound_since
    with pytest.raises(NotFound):
        svc.undo_reply(result)  # already taken back
