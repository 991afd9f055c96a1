"""Finding duplicates in the database, and merging two contacts without losing anything."""

from __future__ import annotations

import pendulum
import pytest

from netterm import services as svc
from netterm.core import status as st
from netterm.errors import InvalidInput, NotFound
from netterm.services import merge as merging
from netterm.services.demo import generate
from netterm.store.models import AuditDecision, Contact, FollowUp, Interaction, Job

NOW = pendulum.datetime(2026, 11, 26, 12, 0, tz="Europe/Lisbon")  # tests/conftest.py's today


@pytest.fixture
def pair(db, travel):
    """Ana (older, tracked) and her LinkedIn import (newer, untracked), each with history."""
    ana = svc.add_contact(
        "Ana Silva",
        company="Acme",
        job_title="Senior PM",
        tier=2,
        categories=["former colleagues"],
        methods=[("email", "ana@acme.example")],
        notes="Met at the payments launch.",
        how_met="at Acme",
    )
    svc.log_touch(ana, "coffee", "100 days ago")
    svc.add_follow_up(ana, "in 5 days", "send the article")
    travel(days=1)
    other = svc.add_contact(
        "Ana Costa",
        company="Globex",
        job_title="Head of Product",
        tier=1,
        categories=["linkedin", "Former colleagues"],
        methods=[
            ("email", "ana@acme.example"),
            ("linkedin", "ana-costa"),
            ("phone", "+351 912 345 678"),
        ],
        notes="Imported.",
        location="Lisbon",
        looking_for="a staff engineer",
        met_on="2019-05-02",
    )
    svc.log_touch(other, "lunch", "10 days ago", note="her new team")
    svc.log_touch(other, "email", "3 days ago", awaiting_reply=True)
    svc.record_job_change(other, "VP Product", "Globex", source="linkedin")
    svc.add_follow_up(other, "in 2 weeks", "intro to Jonas")
    svc.snooze(other, "in 1 month")
    travel(to=NOW)
    return ana, other


def test_merge_keeps_every_touch_method_category_job_and_follow_up(pair):
    ana, other = pair
    touches = {i.id for i in Interaction.select()}
    follow_ups = {f.id for f in FollowUp.select()}
    jobs = {j.id for j in Job.select()}
    preview = merging.preview_merge(other, ana)
    assert preview.sentence() == (
        f"Merge #{other} Ana Costa into #{ana} Ana Silva: moves 3 touches, 2 contact methods, "
        "categories linkedin, 1 follow-up, 1 career row; fills location, met on, looking for, "
        f"notes, tier, former names. #{other} is archived, not deleted."
    )
    result = merging.merge(other, ana)
    assert result.touches == 3 and result.methods == 2

    assert {i.id for i in Interaction.select().where(Interaction.contact == ana)} == touches
    assert {f.id for f in FollowUp.select().where(FollowUp.contact == ana)} == follow_ups
    d = svc.get_contact(ana)
    # every job: her old one (from the job change) and the other record's current one
    assert {j.id for j in Job.select().where(Job.contact == ana)} >= jobs
    assert ("VP Product", "Globex") in [(j.title, j.company) for j in d.jobs]
    assert ("Head of Product", "Globex") in [(j.title, j.company) for j in d.jobs]
    assert (d.job_title, d.company) == ("Senior PM", "Acme")  # the kept record's own job
    assert sorted((m.kind, m.value, m.primary) for m in d.methods) == [
        ("email", "ana@acme.example", True),
        ("linkedin", "https://www.linkedin.com/in/ana-costa", True),
        ("phone", "+351 912 345 678", True),
    ]
    assert d.categories == ["former colleagues", "linkedin"]
    # empty fields filled, texts joined, the other last name kept as a former name
    assert (d.location, d.looking_for, str(d.met_on)) == (
        "Lisbon",
        "a staff engineer",
        "2019-05-02",
    )
    assert d.notes == "Met at the payments launch.\n\nImported."
    assert d.previous_names == "Costa"
    assert svc.resolve("ana costa") == ana
    # the higher tier wins, the unanswered attempt and the job change flag carry over
    assert d.tier == 1
    assert st.AWAITING_REPLY in d.status.flags and st.JOB_CHANGED in d.status.flags
    assert len(d.touches) == 4  # with the first meeting, on the met-on date
    assert d.paused_until is None  # the other record's snooze does not pause her

    # the other record is archived, not deleted, and says where it went
    gone = svc.get_contact(other)
    assert gone.archived_at == NOW and gone.status.state == st.ARCHIVED
    assert gone.notes.endswith(f"Merged into #{ana} Ana Silva on 26 Nov 2026.")
    assert (gone.first_name, gone.last_name, gone.location) == ("Ana", "Costa", "Lisbon")
    assert [m.value for m in gone.methods] == ["ana@acme.example"]  # ana had it already
    assert gone.touches == [] and gone.follow_ups == []
    assert merging.duplicates_of(ana) == []


def test_unmerge_restores_both_exactly(pair, dump):
    ana, other = pair
    before = dump(without=())
    result = merging.merge(other, ana)
    assert dump(without=()) != before
    merging.unmerge(result.undo)
    assert dump(without=()) == before


def test_merge_moves_audit_history_too(pair):
    from netterm.services import audit

    ana, other = pair
    card = audit.start()
    while card is not None:
        card = audit.keep(card.position)
    audit.finish()
    history = {d.id for d in AuditDecision.select()}
    result = merging.merge(other, ana)
    assert {d.id for d in AuditDecision.select().where(AuditDecision.contact == ana)} == history
    merging.unmerge(result.undo)
    owners = [d.contact_id for d in AuditDecision.select().order_by(AuditDecision.id)]
    assert owners == [other, ana]  # the plan: priority Ana Costa first


def test_merge_refuses_what_it_cannot_do(pair, dump):
    ana, other = pair
    before = dump(without=())
    with pytest.raises(InvalidInput, match="itself"):
        merging.merge(ana, ana)
    with pytest.raises(NotFound):
        merging.merge(ana, 999)
    svc.archive(other)
    before = dump(without=())
    with pytest.raises(InvalidInput, match="archived; unarchive it first"):
        merging.merge(other, ana)
    assert dump(without=()) == before


def test_duplicates_in_the_database(db):
    a = svc.add_contact("José Núñez", company="ACME Inc.", methods=[("email", "jn@acme.example")])
    b = svc.add_contact("jose nunez", company="Acme")
    c = svc.add_contact("J. Núñez", methods=[("email", "JN@acme.example")])
    d = svc.add_contact("Maria Lopes", methods=[("linkedin", "maria-lopes")])
    e = svc.add_contact("Maria L.", methods=[("linkedin", "https://linkedin.com/in/Maria-Lopes/")])
    svc.add_contact("José Núñez", company="Globex")  # another company
    archived = svc.add_contact("Jose Nunez", company="Acme")
    svc.archive(archived)  # archived contacts are out of the way
    groups = merging.find_duplicates()
    assert [[m.id for m in g.members] for g in groups] == [[a, b, c], [d, e]]
    assert groups[0].reasons == ("same email jn@acme.example", "same name and company")
    assert groups[1].reasons == ("same LinkedIn profile",)
    assert groups[0].members[0].title_at_company == "ACME Inc."
    # from one contact: the same group, with why each looks alike
    assert [(m.id, m.why) for m in merging.duplicates_of(b)] == [
        (a, "same name and company"),
        (c, f"same email jn@acme.example as #{a}"),
    ]
    assert [(m.id, m.why) for m in merging.duplicates_of(c)] == [
        (a, "same email jn@acme.example"),
        (b, f"same name and company as #{a}"),
    ]
    assert merging.duplicates_of(archived) == []


def test_former_names_find_duplicates(db):
    married = svc.add_contact("Ana Silva", company="Globex")
    svc.update_contact(married, name="Ana Costa")
    imported = svc.add_contact("Ana Silva", company="Globex")
    assert [m.id for m in merging.duplicates_of(married)] == [imported]
    assert [m.id for m in merging.duplicates_of(imported)] == [married]


def test_duplicates_of_agrees_with_find_duplicates_on_the_demo(db):
    generate(size=300, seed=11)
    # copies of some demo people, each sharing one thing with the original
    for i, cid in enumerate(range(10, 100, 3)):
        d = svc.get_contact(cid)
        emails = [m.value for m in d.methods if m.kind == "email"]
        links = [m.value for m in d.methods if m.kind == "linkedin"]
        if i % 3 == 0 and emails:
            svc.add_contact(f"{d.first_name} X", methods=[("email", emails[0].upper())])
        elif i % 3 == 1 and links:
            svc.add_contact("Someone Else", methods=[("linkedin", links[0] + "/")])
        elif d.company:
            svc.add_contact(f"{d.first_name.upper()} {d.last_name}", company=f"{d.company} Ltd")
    groups = merging.find_duplicates()
    assert len(groups) >= 20
    in_group = {m.id: {x.id for x in g.members} for g in groups for m in g.members}
    for cid, members in in_group.items():
        assert {m.id for m in merging.duplicates_of(cid)} == members - {cid}
    lonely = [c.id for c in Contact.select(Contact.id) if c.id not in in_group][:40]
    for cid in lonely:
        assert merging.duplicates_of(cid) == []


def test_a_merge_keeps_what_another_device_saved_after_the_preview(pair):
    """The dialog showed a preview; another device edits both records before `y`: the
    merge is planned again over the records as they are now, so their edits stay, and
    both versions move on (a form open on either gets a conflict, not a lost write)."""
    from netterm.errors import Conflict

    ana, other = pair
    merging.preview_merge(other, ana)
    opened = {cid: svc.get_contact(cid).version for cid in (ana, other)}
    svc.update_contact(ana, location="Porto")  # the other device, after the preview
    svc.update_contact(other, looking_for="a designer")
    saved = {cid: svc.get_contact(cid).version for cid in (ana, other)}
    merging.merge(other, ana)
    d = svc.get_contact(ana)
    assert (d.location, d.looking_for) == ("Porto", "a designer")
    for cid in (ana, other):
        assert svc.get_contact(cid).version == saved[cid] + 1
        with pytest.raises(Conflict):
            svc.update_contact(cid, expected_version=opened[cid], notes="stale form")
