"""An audit of a part of the network (the contacts marked, or those a filter shows):
its order, resuming it, its summary, and the rule that it counts as the network's audit
only when it covered everyone (docs/status-rules.md)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from netterm import services as svc
from netterm.core import status as st
from netterm.errors import InvalidInput
from netterm.services import audit
from netterm.store.models import Audit

MARCH_AUDIT_DUE = date(2026, 8, 31)  # the fixture's audit finished 2 March 2026


def open_audit() -> Audit:
    return Audit.get(Audit.finished_at.is_null())


def test_a_part_takes_only_those_in_audit_order(net):
    card = audit.start({net.eve, net.bob, net.dan, net.gina, net.frank}, "the 5 marked")
    # Gina is archived: never; Frank, old and untracked, is in because he was asked for
    assert json.loads(open_audit().plan) == [net.dan, net.bob, net.frank, net.eve]  # stalest first
    assert card.contact.id == net.dan and card.total == 4 and card.progress == "1 / 4"
    assert card.scope == "the 5 marked" and card.partial
    status = audit.status()
    assert status.in_progress and status.scope == "the 5 marked" and status.total == 4


def test_resuming_a_part_and_refusing_another_meanwhile(net):
    card = audit.start({net.bob, net.ivan}, "the 2 shown by tier:2")
    card = audit.keep(card.position)
    assert card.contact.id == net.ivan
    # A again: the same audit, at the same card
    again = audit.start()
    assert (again.audit_id, again.position, again.scope) == (card.audit_id, 1, card.scope)
    with pytest.raises(InvalidInput, match="a partial audit of the 2 shown by tier:2 is in"):
        audit.start({net.eve}, "the 1 marked")
    assert Audit.select().where(Audit.finished_at.is_null()).count() == 1


def test_a_finished_part_does_not_count_as_the_networks_audit(net):
    before = audit.status()
    assert before.due and before.next_due_on == MARCH_AUDIT_DUE
    card = audit.start({net.dan, net.ivan}, "the 2 marked")
    while card is not None:
        card = audit.keep(card.position)
    summary = audit.finish()
    assert summary.partial and summary.total == 2 and summary.kept == 2
    assert summary.scope_line().startswith("A partial audit of 2 contacts: the 2 marked.")
    # the network's audit is as due as before, and the "not reviewed" flag unchanged
    after = audit.status()
    assert after.due and after.last_finished_at == before.last_finished_at
    assert after.next_due_on == MARCH_AUDIT_DUE
    assert summary.next_audit_on == MARCH_AUDIT_DUE
    assert svc.count_states().audit_due is True
    network = svc.load_network()
    assert network.last_audit_on == date(2026, 3, 2)
    flags = {r.id: r.flags for r in network.rows}
    assert st.NOT_REVIEWED not in flags[net.dan]  # reviewed now
    # a new audit of the whole network still takes everyone (the part changed nothing)
    assert json.loads(Audit.get(Audit.id == summary.audit_id).plan) == [net.dan, net.ivan]
    card = audit.start()
    assert not card.partial and card.total == len(net.order())


def test_a_part_that_covers_everyone_is_the_networks_audit(net):
    everyone = {*net.order(), net.frank, net.gina}
    card = audit.start(everyone, "the 10 shown by (no filter)")
    assert card.scope == "" and not card.partial
    # Frank was asked for, so he has a card too; covering the network's cards is enough
    assert card.total == len(net.order()) + 1
    while card is not None:
        card = audit.keep(card.position)
    summary = audit.finish()
    assert not summary.partial and summary.scope_line() == ""
    status = audit.status()
    assert not status.due and status.next_due_on == date(2027, 5, 27)
    assert svc.count_states().audit_due is False


def test_nothing_to_audit_in_a_part(net):
    with pytest.raises(InvalidInput, match="nothing to audit"):
        audit.start({net.gina}, "the 1 marked")
    with pytest.raises(InvalidInput, match="nothing to audit"):
        audit.start(set(), "the 0 shown by nobody")
    assert Audit.select().where(Audit.finished_at.is_null()).count() == 0
