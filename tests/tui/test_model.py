"""The app's contacts model, without Textual: filter, sort, stable refreshes."""

from __future__ import annotations

import pytest

from netterm import services
from netterm.core import status as st
from netterm.core.query import parse_query
from netterm.errors import InvalidInput
from netterm.services import network
from netterm.tui.model import ContactsModel, refines


@pytest.fixture
def model(demo_db):
    net = services.load_network()
    m = ContactsModel()
    m.load(net.rows, net.today)
    m.counts = net.counts
    return m


def ids(rows):
    return [r.id for r in rows]


@pytest.mark.parametrize(
    ("new", "old", "expected"),
    [
        ("acme", "acm", True),
        ("acm", "acme", False),
        ("acme tier:1", "acme", True),
        ("is:overdue", "is:ov", True),  # same term once the prefix resolves
        ("company:acme", "company:ac", True),
        ("-acme", "-acm", False),  # a longer negated word excludes less
        ("is:archived", "", False),
        ("ana", "", True),
    ],
)
def test_refines(new, old, expected):
    assert refines(parse_query(new), parse_query(old)) is expected


def test_typing_narrows_like_a_full_filter(model):
    text = ""
    for ch in 'ana cat:"former c':
        text += ch
        model.set_filter(text)
        assert ids(model.view) == ids(parse_query(text).filter(model.all_rows())), text


def test_a_bad_filter_raises_and_keeps_the_view(model):
    model.set_filter("is:overdue")
    shown = list(model.view)
    with pytest.raises(InvalidInput):
        model.set_filter("is:overdue is:nope")
    assert model.view == shown and model.query_text == "is:overdue"


def test_sorts_keep_every_row(model):
    everyone = sorted(ids(model.view))
    for sort in ("name", "last", "company", "urgency"):
        model.set_sort(sort)
        assert sorted(ids(model.view)) == everyone
    with pytest.raises(ValueError):
        model.set_sort("shoe size")


def test_update_replaces_in_place_and_reports_only_changes(model):
    first = model.view[0]
    services.log_touch(first.id, "coffee")
    same = network.rows_for([model.view[1].id])
    update = model.update(network.rows_for([first.id]) + same)
    assert update.restyled == {first.id} and not update.moved
    assert model.view[0].id == first.id and model.view[0].state == st.OK


def test_update_inserts_new_and_drops_gone_contacts(model):
    cid = services.add_contact("Aaron Aardvark", tier=1)
    update = model.update(network.rows_for([cid]), removed=[model.view[5].id])
    assert update.moved
    assert cid in ids(model.view) and len(model.view) == len(model.all_rows()) - (
        model.counts.archived
    )


def test_becoming_unresponsive_is_reported_once(model):
    cid = model.view[0].id
    services.log_touch(cid, "email", awaiting_reply=True)
    services.log_touch(cid, "email", awaiting_reply=True)
    rows = network.rows_for([cid])
    assert [r.id for r in model.update(rows).became_unresponsive] == [cid]
    assert model.update(network.rows_for([cid])).became_unresponsive == []


def test_hide_and_show_put_a_row_back_where_it_stood(model):
    cid = model.view[3].id
    index = model.hide(cid)
    assert index == 3 and cid not in ids(model.view)
    assert model.show(cid, index) == 3 and model.view[3].id == cid


def test_reconsider_takes_archived_rows_out_and_puts_restored_ones_back(model):
    cid = model.view[3].id
    services.archive(cid)
    model.update(network.rows_for([cid]))
    assert cid in ids(model.view)  # a refresh restyles in place …
    assert model.reconsider([cid]) is True  # … reconsidering takes it out
    assert cid not in ids(model.view)
    assert model.reconsider([cid]) is False
    services.unarchive(cid)
    model.update(network.rows_for([cid]))
    assert model.reconsider([cid]) is True
    assert model.view[3].id == cid  # back at its place in the order
    model.set_filter("is:archived")
    assert model.reconsider([cid]) is False and cid not in ids(model.view)


def test_the_entry_point_and_the_model_do_not_import_textual():
    """`run` must start its first query before Textual's ~200 ms of imports, and the
    model is plain Python: both stay free of Textual."""
    import subprocess
    import sys

    code = (
        "import sys, netterm.tui.app, netterm.tui.model; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
