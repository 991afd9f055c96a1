"""Who can help whom, over a real database on both engines: the full-text index kept
current by triggers, ranking, and the introduction with its one-step undo."""

from __future__ import annotations

import pytest
from engines import snapshot as snapshot_of

from netterm import services as svc
from netterm.config import clock
from netterm.errors import InvalidInput, NotFound
from netterm.services import intros
from netterm.store.models import Category, FollowUp, Interaction, Job, database

FILLER = [
    ("Accountant", "Ledger & Co"),
    ("Nurse", "City Hospital"),
    ("Teacher", "North School"),
    ("Chef", "Bistro 9"),
    ("Architect", "Forma"),
    ("Lawyer", "Baker LLP"),
    ("Pilot", "SkyAir"),
    ("Photographer", "Lens"),
    ("Pharmacist", "Pharma Plus"),
    ("Recruiter", "TalentCo"),
]


@pytest.fixture
def net(db):
    for n, (title, company) in enumerate(FILLER):
        svc.add_contact(f"Filler {n}", job_title=title, company=company)
    ids = {
        "ana": svc.add_contact(
            "Ana Silva", looking_for="a staff engineer for her payments startup", tier=1
        ),
        "bo": svc.add_contact("Bo Chen", job_title="Staff Engineer", company="Cyberdyne"),
        "cy": svc.add_contact("Cy Dee", job_title="Engineer", company="Globex"),
        "di": svc.add_contact("Di Eve", job_title="Product Designer", company="Acme"),
        "old": svc.add_contact("Old Staff", job_title="Staff Engineer", company="Payments Inc"),
    }
    svc.archive(ids["old"])
    return ids


def names(ms):
    return [m.name for m in ms]


def test_the_best_match_is_the_title_match_with_why(net):
    found = intros.matches(net["ana"])
    assert names(found)[:2] == ["Bo Chen", "Cy Dee"]
    assert found[0].why.text == "Staff Engineer @ Cyberdyne — matches 'staff engineer'"
    assert found[0].score > found[1].score


def test_archived_contacts_and_the_asker_are_never_matches(net):
    svc.update_contact(net["ana"], job_title="Staff Engineer", job_change="correction")
    found = names(intros.matches(net["ana"], limit=10))
    assert "Old Staff" not in found and "Ana Silva" not in found


def test_nothing_to_look_for_means_no_matches(net):
    assert intros.matches(net["bo"]) == []
    with pytest.raises(NotFound):
        intros.matches(99_999)


def test_the_index_follows_every_write(net):
    # a new title
    svc.update_contact(net["di"], job_title="Payments Lead", job_change="new_job")
    # the old title went to the career history, still indexed
    assert names(intros.matches_for_text("product designer")) == ["Di Eve"]
    assert "Di Eve" in names(intros.matches_for_text("payments lead"))
    # a category, then its new name
    svc.add_categories(net["cy"], ["fintech"])
    assert names(intros.matches_for_text("fintech")) == ["Cy Dee"]
    svc.rename_category("fintech", "climate")
    assert names(intros.matches_for_text("fintech")) == []
    assert names(intros.matches_for_text("climate")) == ["Cy Dee"]
    # a career row, and its removal
    job = Job.create(contact=net["cy"], title="Quant Analyst", company="Hedge")
    assert names(intros.matches_for_text("quant")) == ["Cy Dee"]
    job.delete_instance()
    assert names(intros.matches_for_text("quant")) == []
    # an archived contact comes back as a match when unarchived
    svc.unarchive(net["old"])
    assert "Old Staff" in names(intros.matches_for_text("payments", limit=5))
    # a purged contact leaves nothing behind
    svc.archive(net["old"])
    svc.purge(net["old"])
    assert database.execute_sql(
        "SELECT COUNT(*) FROM contact_doc WHERE contact_id = ?", (net["old"],)
    ).fetchone() == (0,)


def test_stemming_matches_other_forms(net):
    found = names(intros.matches_for_text("engineering designers", limit=5))
    assert {"Bo Chen", "Cy Dee", "Di Eve"} <= set(found)


def test_an_introduction_logs_both_and_a_follow_up(net):
    intro = intros.introduce(net["ana"], net["bo"])
    touches = {t.contact_id: t for t in Interaction.select()}
    assert set(touches) == {net["ana"], net["bo"]}
    assert touches[net["ana"]].note == "Introduced to Bo Chen (Staff Engineer @ Cyberdyne)"
    assert touches[net["bo"]].note == "Introduced to Ana Silva"
    for t in touches.values():
        assert (t.kind, t.direction, t.value) == ("intro", "out", "gave")
    (fu,) = FollowUp.select()
    assert fu.contact_id == net["ana"] and fu.due_on.isoformat() == "2026-12-10"
    assert "Bo Chen" in fu.text
    assert intro.summary == "Introduced Ana Silva to Bo Chen"


def test_undo_takes_the_whole_introduction_back(net):
    states = {cid: svc.get_contact(cid).status for cid in (net["ana"], net["bo"])}
    intro = intros.introduce(net["ana"], net["bo"], note="coffee next week")
    assert Interaction.select().count() == 2
    assert Interaction.get(Interaction.contact == net["bo"]).note == (
        "Introduced to Ana Silva: coffee next week"
    )
    intros.undo(intro)
    assert Interaction.select().count() == 0
    assert FollowUp.select().count() == 0
    assert {cid: svc.get_contact(cid).status for cid in states} == states


def test_a_dry_run_writes_nothing(net, db_target):
    before = snapshot_of(db_target)
    intro = intros.introduce(net["ana"], net["bo"], dry_run=True)
    assert intro.touch_ids == [] and intro.notes[0].startswith("Introduced to Bo Chen")
    assert snapshot_of(db_target) == before


def test_bad_introductions_are_refused_and_change_nothing(net, db_target):
    before = snapshot_of(db_target)
    with pytest.raises(InvalidInput, match="themselves"):
        intros.introduce(net["ana"], net["ana"])
    with pytest.raises(InvalidInput, match="archived"):
        intros.introduce(net["ana"], net["old"])
    with pytest.raises(NotFound):
        intros.introduce(net["ana"], 99_999)
    with pytest.raises(InvalidInput, match="note"):
        intros.introduce(net["ana"], net["bo"], note="x" * 20_000)
    assert snapshot_of(db_target) == before


def test_suggestions_only_for_good_matches(net):
    vague = svc.add_contact("Vague Val", looking_for="a lawyer, a pilot, a chef or a dentist")
    out = intros.suggestions([net["ana"], net["bo"], vague])
    assert set(out) == {net["ana"]}
    assert out[net["ana"]].short == "Bo Chen — matches 'staff engineer'"
    assert intros.suggestions([]) == {}


def test_category_deleted_with_its_links(net):
    svc.add_categories(net["di"], ["climate"])
    Category.delete().where(Category.name == "climate").execute()
    assert names(intros.matches_for_text("climate")) == []


def test_the_audit_card_of_a_priority_contact_suggests_an_intro(net):
    from netterm.services import audit

    card = audit.start()
    assert card is not None and card.contact.id == net["ana"]  # the only priority one
    assert card.introduction is not None
    assert card.introduction.short == "Bo Chen — matches 'staff engineer'"
    # a regular contact's card suggests none, even when looking for something
    svc.update_contact(net["bo"], looking_for="a payments startup", tier=2)
    assert audit._introduction(svc.get_contact(net["bo"])) is None


def test_suggestions_search_at_most_limit_contacts(net):
    other = svc.add_contact("Eve Ng", tier=1, looking_for="a product designer")
    assert set(intros.suggestions([net["bo"], net["ana"], other])) == {net["ana"], other}
    # bo is looking for nothing: not counted; the limit is reached after ana
    assert set(intros.suggestions([net["bo"], net["ana"], other], limit=1)) == {net["ana"]}


def test_suggestions_read_past_a_long_run_of_contacts_looking_for_nothing(net):
    """`due` passes thousands of priority contacts and the texts are read a chunk at a
    time: the ones looking for something after the first chunks are still found, in the
    order given, and the limit still counts only those searched."""
    quiet = [svc.add_contact(f"Quiet {n}", tier=1) for n in range(120)]
    eve = svc.add_contact("Eve Ng", tier=1, looking_for="a staff engineer")
    order = [*quiet, eve, net["ana"]]
    assert set(intros.suggestions(order, limit=1)) == {eve}
    assert set(intros.suggestions(order, limit=2)) == {eve, net["ana"]}
    assert set(intros.suggestions(order)) == {eve, net["ana"]}


# ------------------------------------------------------------------ already introduced


def test_who_was_introduced_is_listed_last_marked_and_never_suggested_again(net):
    from netterm.services import audit

    eli = svc.add_contact("Eli Fox", job_title="Staff Engineer", company="Initech")
    first = intros.matches(net["ana"])[0]
    assert first.contact_id in (net["bo"], eli) and first.introduced_on is None
    assert intros.suggestions([net["ana"]])[net["ana"]].contact_id == first.contact_id
    intro = intros.introduce(net["ana"], first.contact_id)
    other = eli if first.contact_id == net["bo"] else net["bo"]

    # the lists the user asks for: after the others, said
    found = intros.matches(net["ana"], limit=10)
    assert found[0].contact_id == other and found[0].introduced_on is None
    assert found[-1].contact_id == first.contact_id
    assert found[-1].introduced_on.isoformat() == "2026-11-26"
    assert found[-1].text.endswith(" — introduced on 26 Nov")
    assert found[-1].as_dict()["introduced_on"] == "2026-11-26"
    assert [m.contact_id for m in found].count(first.contact_id) == 1
    # shown unasked (the detail's box, `due`, the audit card): left out; the next fills in
    unasked = intros.matches(net["ana"], limit=2, introduced=False)
    assert first.contact_id not in [m.contact_id for m in unasked] and len(unasked) == 2
    assert intros.suggestions([net["ana"]])[net["ana"]].contact_id == other
    card = audit.start()
    assert card is not None and card.introduction is not None
    assert card.introduction.contact_id == other
    # the introduction undone: they are new again
    intros.undo(intro)
    assert intros.introduced_to(net["ana"]) == {}
    assert intros.matches(net["ana"])[0] == first


def test_the_only_good_match_introduced_leaves_no_suggestion(net):
    intros.introduce(net["ana"], net["bo"])
    assert intros.suggestions([net["ana"]]) == {}  # not Bo again, and Cy is not good
    assert names(intros.matches(net["ana"], introduced=False))[0] == "Cy Dee"
    assert intros.introduced_to(net["bo"]) == {net["ana"]: clock.today()}  # both ways


def test_two_other_introductions_the_same_day_are_not_one(net):
    """Ana introduced to Di and Cy to Bo, the same day: Ana and Bo both have an intro
    touch that day, but neither note names the other."""
    intros.introduce(net["ana"], net["di"])
    intros.introduce(net["cy"], net["bo"])
    assert intros.introduced_to(net["ana"]) == {net["di"]: clock.today()}
    assert intros.matches(net["ana"])[0].name == "Bo Chen"
    assert intros.matches(net["ana"])[0].introduced_on is None


def test_an_introduction_still_counts_after_a_rename_or_an_earlier_day(net, travel):
    intros.introduce(net["ana"], net["bo"])
    day = clock.today()
    travel(days=40)
    svc.update_contact(net["bo"], first_name="Bob")  # Ana's note still says "Bo Chen"
    assert intros.introduced_to(net["ana"]) == {net["bo"]: day}
    assert intros.suggestions([net["ana"]]) == {}


def test_only_the_people_about_to_be_shown_are_looked_up(net):
    """`among`: the matches about to be shown. The day's other intro touches (thousands
    in a log of millions: `netterm due` went from 25 to 120 ms at 3,000,000 touches)
    are not read."""
    intros.introduce(net["ana"], net["bo"])
    intros.introduce(net["ana"], net["di"])
    assert intros.introduced_to(net["ana"]) == {net["bo"]: clock.today(), net["di"]: clock.today()}
    assert intros.introduced_to(net["ana"], among=[net["di"], net["cy"]]) == {
        net["di"]: clock.today()
    }
    assert intros.introduced_to(net["ana"], among=[]) == {}
    assert intros.introduced_to(net["cy"], among=[net["bo"]]) == {}  # no intro of Cy's
