"""The audit service over a real database: a full walk, every decision, back, resume."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pendulum
import pytest

from netterm import services as svc
from netterm.core import audit as rules
from netterm.core import status as st
from netterm.errors import InvalidInput, NotFound, ValidationFailed
from netterm.services import audit
from netterm.services.audit import AuditConflict
from netterm.store import close_database, open_database
from netterm.store.models import Audit, Contact, Interaction
from tests.audit.conftest import decisions

NOW = pendulum.datetime(2026, 11, 26, 12, 0, tz="Europe/Lisbon")  # tests/conftest.py's today


def contact(cid: int) -> Contact:
    return Contact.get_by_id(cid)


def reviewed_now(cid: int) -> bool:
    return contact(cid).reviewed_at == NOW


# --------------------------------------------------------------------------- starting


def test_start_fixes_the_plan_in_audit_order(net):
    card = audit.start()
    plan = json.loads(Audit.get(Audit.finished_at.is_null()).plan)
    assert plan == net.order()
    assert (card.position, card.total, card.progress) == (0, 8, "1 / 8")
    assert card.contact.id == net.ana and card.group == "priority"
    assert card.back is None and not card.can_go_back
    assert card.fraction == 0.0
    # starting again resumes the same audit
    again = audit.start()
    assert again.audit_id == card.audit_id and again.position == 0
    assert Audit.select().where(Audit.finished_at.is_null()).count() == 1


def test_the_card_shows_facts_suggestion_job_change_and_duplicates(net):
    card = audit.start()
    assert card.contact.name == "Ana Silva"
    assert card.contact.job_title == "Head of Product"  # the whole ContactDetail is there
    assert card.job_change is not None
    assert (card.job_change.old, card.job_change.new) == (
        "Senior PM @ Acme",
        "Head of Product @ Globex",
    )
    assert card.fact("job_change") == (
        "Senior PM @ Acme → Head of Product @ Globex (from a LinkedIn import, 26 Nov)"
    )
    assert (
        card.fact("how_met") == "at Acme, the 2019 payments launch · met 8 years ago (2 May 2019)"
    )
    assert card.fact("tier") == "priority · quarterly (every 90 days)"
    assert card.fact("last_touch") == "coffee on 19 Jul (4 months ago)"
    assert card.fact("in_person") == "last face to face 4 months ago (19 Jul)"
    assert card.fact("reciprocity") == "gave 0 · received 0 in the last 12 months"
    assert card.fact("status").startswith("Overdue by 40 days")
    [dupe] = card.duplicates
    assert dupe.id == net.ana_dup and dupe.why == "same email ana@acme.example"
    assert card.suggestion.decision == rules.MERGE
    assert card.suggestion.text.startswith(f"Merge? Looks like the same person as #{net.ana_dup}")


def test_an_empty_network_has_nothing_to_audit(db):
    assert audit.start() is None
    summary = audit.finish()
    assert summary.total == 0 and summary.headline().startswith("0 kept")


def test_no_audit_in_progress(db):
    with pytest.raises(NotFound, match="no audit in progress"):
        audit.current()
    with pytest.raises(NotFound):
        audit.keep(0)
    with pytest.raises(NotFound):
        audit.back()


# --------------------------------------------------------------------------- a full walk


def test_a_full_audit_and_every_decisions_effect(net, travel):
    card = audit.start()

    # 1. Ana: merge with her duplicate (the older record, Ana, is kept)
    preview = audit.merge_preview(card.position, net.ana_dup)
    assert (preview.into_id, preview.source_id) == (net.ana, net.ana_dup)
    assert "moves 0 touches, 1 contact method, categories linkedin, 1 follow-up" in (
        preview.sentence()
    )
    other_way = audit.merge_preview(card.position, net.ana_dup, keep=net.ana_dup)
    assert (other_way.into_id, other_way.source_id) == (net.ana_dup, net.ana)
    touches_before = Interaction.select().count()
    card = audit.merge(card.position, net.ana_dup)
    assert decisions() == [(net.ana, "merge")]
    kept, gone = contact(net.ana), contact(net.ana_dup)
    assert kept.archived_at is None and gone.archived_at is not None
    assert kept.location == "Lisbon"  # an empty field filled from the other record
    assert "imported from LinkedIn" in kept.notes
    assert Interaction.select().count() == touches_before
    detail = svc.get_contact(net.ana)
    assert {m.value for m in detail.methods} >= {
        "ana@acme.example",
        "https://www.linkedin.com/in/ana-silva-pm",
    }
    assert set(detail.categories) == {"former colleagues", "linkedin"}
    assert [f.text for f in detail.open_follow_ups] == ["send the deck"]
    assert reviewed_now(net.ana)

    # 2. Dan: keep (the suggestion was to meet him in person)
    assert card.contact.id == net.dan and card.progress == "2 / 8"
    assert card.suggestion.text == "Meet in person: priority, last face-to-face 13 months ago"
    assert card.back == "merged Ana Silva"
    card = audit.keep(card.position)
    assert reviewed_now(net.dan)

    # 3. Bob: tier down, as suggested
    assert card.contact.id == net.bob and card.group == "regular"
    assert card.suggestion.text == "Tier down? Regular but no touch in 20 months"
    card = audit.accept(card.position)
    assert contact(net.bob).tier == 3 and reviewed_now(net.bob)

    # 4. Ivan: skip (stays "not reviewed")
    assert card.contact.id == net.ivan
    card = audit.skip(card.position)
    assert contact(net.ivan).reviewed_at is None

    # 5. Carla: archive, as suggested
    assert card.contact.id == net.carla and card.group == "light"
    assert card.suggestion.text == "Archive? No answer to 2 attempts since May"
    card = audit.archive(card.position)
    assert contact(net.carla).archived_at == NOW and reviewed_now(net.carla)

    # 6. Hugo: set categories (a new one is created)
    assert card.contact.id == net.hugo
    card = audit.set_categories(card.position, ["Neighbours", "Runners"])
    assert svc.get_contact(net.hugo).categories == ["neighbours", "Runners"]

    # 7. the duplicate was merged away: passed over. Eve: tier up, then snooze instead
    assert card.contact.id == net.eve and card.progress == "8 / 8"
    assert card.group == "new and untracked"
    assert card.suggestion.text == "Track? Added today, never touched"
    card = audit.tier_up(card.position)
    assert card is None
    assert contact(net.eve).tier == 3 and contact(net.eve).tracked_since == NOW.date()
    card = audit.back()
    assert card.contact.id == net.eve and contact(net.eve).tier is None
    assert audit.snooze(card.position, "in 3 months") is None
    assert contact(net.eve).paused_until == date(2027, 2, 26)

    # finish: the summary, the banner, the flags
    assert svc.count_states().audit_due is True  # the last one finished in March
    summary = audit.finish()
    assert svc.count_states().audit_due is False
    assert summary.counts == {
        "kept": 1,
        "updated": 1,
        "retiered": 1,
        "archived": 1,
        "snoozed": 1,
        "merged": 1,
        "skipped": 1,
    }
    assert (summary.kept, summary.merged, summary.undecided, summary.total) == (1, 1, 0, 8)
    assert summary.headline() == (
        "1 kept · 1 updated · 1 re-tiered · 1 archived · 1 snoozed · 1 merged · 1 skipped"
    )
    changes = {(c.name, c.text) for c in summary.changes}
    assert changes == {
        ("Ana Silva", f"merged #{net.ana_dup} Ana Silva into #{net.ana} Ana Silva"),
        ("Bob Stone", "regular → light"),
        ("Carla Dias", "archived"),
        ("Hugo Light", "categories: neighbours, Runners"),
        ("Eve Costa", "snoozed until 26 Feb 2027"),
    }
    assert [m.name for m in summary.to_meet] == ["Dan Brown"]
    assert summary.to_meet[0].reason == "last face-to-face 13 months ago"
    assert summary.next_audit_on == date(2027, 5, 27)
    assert summary.finished_at == NOW

    network = svc.load_network()
    assert network.last_audit_on == NOW.date()
    flags = {r.id: r.flags for r in network.rows}
    assert st.NOT_REVIEWED in flags[net.ivan]  # skipped
    for cid in (net.ana, net.dan, net.bob, net.hugo, net.eve):
        assert st.NOT_REVIEWED not in flags[cid]
    status = audit.status()
    assert not status.in_progress and status.next_due_on == date(2027, 5, 27)
    assert status.due is False
    with pytest.raises(NotFound):
        audit.current()
    # the end screen can be shown again, and a meeting planned from it
    again = audit.summary()
    assert again.counts == summary.counts and again.audit_id == summary.audit_id
    f = audit.plan_meeting(net.dan)
    assert (f.text, f.due_on) == ("Meet Dan in person: coffee or lunch", date(2026, 12, 10))
    assert audit.summary().to_meet[0].follow_up.id == f.id


def test_finishing_turns_the_audit_due_banner_off(net, travel):
    assert svc.count_states().audit_due is True  # the March audit is 269 days old
    assert audit.status().due is True
    card = audit.start()
    while card is not None:
        card = audit.keep(card.position)
    summary = audit.finish()
    assert summary.kept == 8  # every card, the duplicate too this time
    assert svc.count_states().audit_due is False
    assert "audit due" not in svc.count_states().headline()
    travel(days=182)
    assert svc.count_states().audit_due is False
    travel(days=1)
    assert svc.count_states().audit_due is True


def test_finishing_early_needs_saying_so(net):
    card = audit.start()
    audit.keep(card.position)
    with pytest.raises(InvalidInput, match="7 cards are still undecided"):
        audit.finish()
    summary = audit.finish(early=True)
    assert (summary.kept, summary.undecided) == (1, 7)
    # those never reached are "not reviewed"
    flags = {r.id: r.flags for r in svc.load_network().rows}
    assert st.NOT_REVIEWED not in flags[net.ana]
    assert st.NOT_REVIEWED in flags[net.dan]


def test_reopen_undoes_finishing(net, dump):
    card = audit.start()
    while card is not None:
        card = (
            audit.keep(card.position) if card.contact.id != net.eve else audit.skip(card.position)
        )
    before = dump(without=())
    first = Audit.select().order_by(Audit.id).first()
    with pytest.raises(InvalidInput, match="in progress already"):
        audit.reopen()
    summary = audit.finish()
    assert svc.count_states().audit_due is False
    with pytest.raises(InvalidInput, match="a newer audit"):
        audit.reopen(first.id)
    assert audit.reopen(summary.audit_id) is None  # every card decided
    assert dump(without=()) == before  # as before finishing, decisions kept
    assert audit.status().in_progress and svc.count_states().audit_due is True
    assert audit.back().contact.id == net.eve  # and back undoes the last decision
    assert audit.finish(early=True).undecided == 1
    assert audit.reopen().contact.id == net.eve  # an early finish reopens at its card


def test_reopen_needs_a_finished_audit(db):
    with pytest.raises(NotFound, match="no finished audit"):
        audit.reopen()
    svc.add_contact("Ana Silva", tier=1)
    audit.start()
    with pytest.raises(InvalidInput, match="in progress already"):
        audit.reopen()


def test_untracked_contacts_carry_no_not_reviewed_flag(net):
    card = audit.start()
    while card is not None:
        card = audit.skip(card.position)
    audit.finish()
    flags = {r.id: r.flags for r in svc.load_network().rows}
    assert st.NOT_REVIEWED in flags[net.bob]
    # untracked ones get no reminders nor audit flags, and come back next audit
    assert st.NOT_REVIEWED not in flags[net.eve]
    assert st.NOT_REVIEWED not in flags[net.frank]
    card = audit.start()
    plan = []
    while card is not None:
        plan.append(card.contact.id)
        card = audit.keep(card.position)
    assert net.eve in plan and net.frank not in plan


# --------------------------------------------------------------------------- edit


def test_edit_keeps_the_old_job_and_name_and_back_restores_everything(net, dump):
    card = audit.start()
    before = dump()
    card = audit.edit(
        card.position,
        name="Ana Costa",
        job_title="VP Product",
        company="Globex",
        job_change="new_job",
        methods=[("email", "ana@globex.example")],
        categories=["mentors"],
    )
    assert decisions() == [(net.ana, "edit")]
    d = svc.get_contact(net.ana)
    assert (d.last_name, d.previous_names, d.job_title) == ("Costa", "Silva", "VP Product")
    assert ("Head of Product", "Globex") in [(j.title, j.company) for j in d.jobs]
    assert [m.value for m in d.methods] == ["ana@globex.example"]
    [change] = audit.summary(card.audit_id).changes
    assert change.text == "updated last name, title, contact info, categories"
    assert card.back == "updated Ana Costa"
    card = audit.back()
    assert card.contact.id == net.ana and card.position == 0
    assert dump() == before


def test_edit_with_bad_input_records_nothing(net, dump):
    card = audit.start()
    before = dump(without=())
    with pytest.raises(ValidationFailed):
        audit.edit(card.position, name="", methods=[("email", "nope")])
    assert dump(without=()) == before


def test_saving_the_form_unchanged_is_a_keep(net):
    card = audit.start()
    audit.edit(card.position, job_title="Head of Product")
    assert decisions() == [(net.ana, "keep")]
    assert reviewed_now(net.ana)


# --------------------------------------------------------------------------- back


def _walk_to(net, cid):
    card = audit.start()
    while card.contact.id != cid:
        card = audit.keep(card.position)
    return card


@pytest.mark.parametrize(
    ("who", "decide"),
    [
        ("dan", lambda c: audit.keep(c.position)),
        ("dan", lambda c: audit.skip(c.position)),
        ("dan", lambda c: audit.tier_down(c.position)),
        ("bob", lambda c: audit.tier_up(c.position)),
        ("hugo", lambda c: audit.tier_down(c.position)),  # light → untracked
        ("eve", lambda c: audit.tier_up(c.position)),  # untracked → light, tracking starts
        ("hugo", lambda c: audit.set_categories(c.position, ["Runners", "neighbours"])),
        ("hugo", lambda c: audit.set_categories(c.position, [])),
        ("carla", lambda c: audit.archive(c.position)),
        ("ivan", lambda c: audit.snooze(c.position, "next friday")),
        ("ivan", lambda c: audit.edit(c.position, location="Porto", notes="moved north")),
        ("ana", lambda c: audit.merge(c.position, c.duplicates[0].id)),
        ("ana", lambda c: audit.merge(c.position, c.duplicates[0].id, keep=c.duplicates[0].id)),
        ("dan", lambda c: audit.merge(c.position, c.contact.id - 1)),  # any other contact
    ],
    ids=[
        "keep",
        "skip",
        "tier-down",
        "tier-up",
        "tier-down-to-untracked",
        "track",
        "categories",
        "no-categories",
        "archive",
        "snooze",
        "edit",
        "merge-keep-older",
        "merge-keep-newer",
        "merge-any",
    ],
)
def test_back_undoes_each_decision_exactly(net, who, decide, dump):
    card = _walk_to(net, getattr(net, who))
    before = dump()
    decisions_before = decisions()
    after = decide(card)
    assert dump() != before or decisions()[-1][1] == "skip"
    assert after is None or after.back is not None
    again = audit.back()
    assert again.position == card.position and again.contact.id == card.contact.id
    assert dump() == before
    assert decisions() == decisions_before


def test_back_walks_several_decisions_back_and_then_refuses(net, dump):
    card = audit.start()
    with pytest.raises(InvalidInput, match="nothing to undo"):
        audit.back()
    before = dump()
    card = audit.merge(card.position, net.ana_dup)
    card = audit.archive(card.position)
    card = audit.tier_up(card.position)
    assert card.contact.id == net.ivan
    assert audit.back().contact.id == net.bob
    assert audit.back().contact.id == net.dan
    first = audit.back()
    assert first.contact.id == net.ana and first.back is None
    assert dump() == before


def test_back_after_the_last_card_returns_to_it(net):
    card = audit.start()
    while card is not None:
        last = card
        card = audit.keep(card.position)
    assert audit.back().position == last.position


# --------------------------------------------------------------------------- resume


def close_and_reopen() -> None:
    from netterm.store.models import database

    path = database.obj.database
    close_database()
    open_database(path)


def test_quitting_and_coming_back_resumes_at_the_next_card(net):
    card = audit.start()
    card = audit.keep(card.position)
    card = audit.tier_down(card.position)
    assert card.progress == "3 / 8"
    close_and_reopen()
    status = audit.status()
    assert status.in_progress and status.decided == 2 and status.progress == "3 / 8"
    again = audit.start()
    assert (again.position, again.contact.id, again.progress) == (2, net.bob, "3 / 8")
    assert again.back == "moved down a tier Dan Brown"
    assert contact(net.dan).tier == 2


def test_killing_the_process_mid_audit_loses_nothing(net):
    from netterm.store.models import database

    path = database.obj.database
    close_database()
    script = (
        "import os, signal\n"
        "from netterm.store import open_database\n"
        "from netterm.services import audit\n"
        f"open_database({str(path)!r})\n"
        "card = audit.start()\n"
        "card = audit.keep(card.position)\n"
        "card = audit.tier_down(card.position)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = {**os.environ, "NETTERM_NOW": NOW.isoformat(), "NETTERM_TZ": "Europe/Lisbon"}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
    assert proc.returncode == -9, proc.stderr.decode()
    open_database(path)
    assert [d for _, d in decisions()] == ["keep", "tier_down"]
    assert contact(net.dan).tier == 2 and contact(net.ana).reviewed_at == NOW
    card = audit.start()
    assert (card.position, card.contact.id) == (2, net.bob)


def test_a_stale_screen_cannot_decide_the_wrong_card(net):
    card = audit.start()
    audit.keep(card.position)
    with pytest.raises(AuditConflict, match="card 1 is not the current card"):
        audit.keep(card.position)
    assert decisions() == [(net.ana, "keep")]


def test_decisions_that_cannot_apply_change_nothing(net, dump):
    card = _walk_to(net, net.dan)
    before = dump(without=())
    with pytest.raises(InvalidInput, match="already priority"):
        audit.tier_up(card.position)
    with pytest.raises(InvalidInput, match="past"):
        audit.snooze(card.position, "2020-01-01")
    with pytest.raises(InvalidInput, match="until when"):
        audit.snooze(card.position, " ")
    with pytest.raises(InvalidInput, match="itself"):
        audit.merge(card.position, net.dan)
    with pytest.raises(InvalidInput, match="archived"):
        audit.merge(card.position, net.gina)
    with pytest.raises(NotFound):
        audit.merge(card.position, 9999)
    assert dump(without=()) == before


def test_a_contact_archived_elsewhere_is_passed_over(net):
    card = audit.start()
    svc.archive(net.dan)  # from the CLI, say, while the audit is open
    card = audit.keep(card.position)
    assert card.contact.id == net.bob and card.progress == "3 / 8"
    card = audit.keep(card.position)
    assert card.contact.id == net.ivan
    svc.unarchive(net.dan)  # the audit moves forward: Dan waits for the next audit
    assert audit.current().contact.id == net.ivan
    # back undoes Bob's keep; the audit then resumes after Ana, where Dan is again
    assert audit.back().contact.id == net.dan
    assert contact(net.bob).reviewed_at is None


# ------------------------------------------------------------------ several devices


def test_an_edit_over_a_newer_version_records_nothing(net, dump):
    """The audit's edit form read version N; another device saved N+1: the edit is a
    Conflict (the form shows the conflict dialog), nothing written or decided."""
    from netterm.errors import Conflict

    card = audit.start()
    cid = card.contact.id
    opened = svc.get_contact(cid).version
    svc.update_contact(cid, location="Porto")  # the other device
    before = dump()
    with pytest.raises(Conflict) as caught:
        audit.edit(card.position, expected_version=opened, location="Lisbon")
    assert caught.value.contact_id == cid
    assert dump() == before and decisions() == []
    # the dialog's answer is saved over the version it showed: decided, once
    after = audit.edit(card.position, expected_version=opened + 1, location="Lisbon")
    assert svc.get_contact(cid).location == "Lisbon"
    assert decisions() == [(cid, rules.EDIT)] and after.position == card.position + 1


def test_categories_apply_only_the_users_changes_over_anothers(net):
    """The dialog showed the card's categories; another device added one meanwhile: the
    user's additions and removals are applied over the categories as they are now."""
    card = audit.start()
    cid = card.contact.id
    svc.update_contact(cid, categories=["Alumni", "Climbing"])
    shown = svc.get_contact(cid).categories
    svc.add_categories(cid, ["Investors"])  # the other device, while the dialog is open
    chosen = [n for n in shown if n != "Climbing"] + ["Runners"]
    audit.set_categories(card.position, chosen, shown=shown)
    assert svc.get_contact(cid).categories == ["Alumni", "Investors", "Runners"]


def test_rebase_categories():
    rebase = audit.rebase_categories
    assert rebase(["a", "b", "x"], ["a", "b"], ["b", "c"]) == ["b", "x", "c"]
    assert rebase(["A", "b"], ["a", "b"], ["a", "b", "C"]) == ["A", "b", "C"]
    assert rebase([], ["a"], ["a", "c"]) == ["c"]  # removed elsewhere: stays removed
    assert rebase(["a", "c"], ["a"], ["a", "c"]) == ["a", "c"]  # the same addition: once
    assert rebase(["a", "b"], ["a", "b"], ["a", "b"]) == ["a", "b"]
