"""The service layer shared by the CLI and the TUI, over a real temporary database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netterm import services as svc
from netterm.config import clock
from netterm.core import status as st
from netterm.core.status import evaluate
from netterm.errors import Ambiguous, InvalidInput, NotFound, ValidationFailed
from netterm.services import stats
from netterm.services.contacts import reopen_job_change
from netterm.services.demo import generate
from netterm.store.models import Contact, ContactState, Interaction, Job, database


@pytest.fixture(autouse=True)
def _cache_stays_true(request):
    """After every test here, the status cache agrees with the source tables."""
    if "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")  # open first, so it is still open for the check
    yield
    assert stats.stale() == []


def counts():
    return {m.__name__: m.select().count() for m in (Contact, Interaction, Job, ContactState)}


def test_add_contact_with_everything(db):
    cid = svc.add_contact(
        "Ana Maria Silva",
        company="Globex",
        job_title="Head of Product",
        tier="priority",
        categories=["Former colleagues", "influential friends", "former colleagues"],
        methods=[
            ("email", "ana@globex.example"),
            ("linkedin", "ana-silva"),
            ("email", "ana@home.example"),
        ],
        how_met="at Acme, 2019",
        met_on="2019-05-02",
        notes="line one\nline two",
    )
    d = svc.get_contact(cid)
    assert (d.first_name, d.last_name) == ("Ana Maria", "Silva")
    assert d.tier == 1 and d.tracked_since == clock.today()
    assert d.categories == ["Former colleagues", "influential friends"]
    assert [m.kind for m in d.methods] == ["email", "linkedin", "email"]
    assert [m.primary for m in d.methods] == [True, True, False]
    assert d.met_on == date(2019, 5, 2)
    assert d.notes == "line one\nline two"
    # met in 2019 and not touched since (in netterm's records): a priority contact to see
    assert d.status.state == st.OVERDUE
    assert "last touch: meeting on 2 May 2019" in d.explanation


def test_validation_reports_every_field_and_writes_nothing(db):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        svc.add_contact(
            "", tier="9", methods=[("email", "nope")], met_on="someday", cadence_days="-3"
        )
    assert set(exc.value.errors) == {"name", "tier", "methods.0", "met_on", "cadence_days"}
    assert "email" in exc.value.errors["methods.0"]
    assert counts() == before


def test_edit_keeps_old_job_and_last_name(db):
    cid = svc.add_contact("Ana Silva", company="Acme", job_title="PM", tier=1)
    svc.update_contact(
        cid, company="Globex", job_title="Head of Product", name="Ana Costa", job_change="new_job"
    )
    d = svc.get_contact(cid)
    assert (d.company, d.job_title, d.last_name) == ("Globex", "Head of Product", "Costa")
    assert [(j.title, j.company, j.ended_on) for j in d.jobs] == [("PM", "Acme", clock.today())]
    assert d.previous_names == "Silva"
    # the former name still finds her
    assert svc.resolve("ana silva") == cid


def test_a_corrected_title_or_company_writes_no_career_row(db):
    cid = svc.add_contact("Ana Silva", company="US Nay", job_title="Rear Admiarl", tier=1)
    before = counts()
    with pytest.raises(InvalidInput) as exc:  # a typo or a new job? it must be said
        svc.update_contact(cid, company="US Navy")
    assert exc.value.field == "job change" and "correction" in exc.value.message
    assert counts() == before
    svc.update_contact(cid, company="US Navy", job_title="Rear Admiral", job_change="correction")
    d = svc.get_contact(cid)
    assert (d.job_title, d.company, d.jobs) == ("Rear Admiral", "US Navy", [])
    svc.update_contact(
        cid, company="Globex", job_title="CISO", job_change="new_job", job_since="1/10/2026"
    )
    d = svc.get_contact(cid)
    assert [(j.title, j.company, j.ended_on) for j in d.jobs] == [
        ("Rear Admiral", "US Navy", date(2026, 10, 1))
    ]
    # nothing to decide when the title does not really change, or there was no job
    svc.update_contact(cid, job_title=" CISO ", notes="x")
    bare = svc.add_contact("Bo Lee")
    svc.update_contact(bare, company="Acme")
    assert svc.get_contact(bare).jobs == []
    with pytest.raises(InvalidInput, match="in the future"):
        svc.update_contact(cid, company="Hooli", job_change="new_job", job_since="tomorrow")


def test_record_job_change_from_an_import(db):
    cid = svc.add_contact("Ana Silva", company="Acme", job_title="PM")
    svc.record_job_change(cid, "Head of Product", "Globex", source="linkedin")
    d = svc.get_contact(cid)
    assert st.JOB_CHANGED in d.status.flags
    assert d.jobs[0].source == "linkedin"
    changed_at = svc.acknowledge_job_change(cid)
    assert st.JOB_CHANGED not in svc.get_contact(cid).status.flags
    assert svc.acknowledge_job_change(cid) is None  # nothing flagged any more
    reopen_job_change(cid, changed_at)  # the undo
    assert st.JOB_CHANGED in svc.get_contact(cid).status.flags
    assert svc.get_contact(cid).job_changed_at == changed_at


def test_congratulating_acknowledges_a_job_change_and_undo_brings_it_back(db):
    cid = svc.add_contact("Ana Silva", company="Acme", job_title="PM", tier=1)
    svc.record_job_change(cid, "Head of Product", "Globex", source="linkedin")
    svc.log_touch(cid, "congrats", "last week")  # before the change was found: not yet
    assert st.JOB_CHANGED in svc.get_contact(cid).status.flags
    t = svc.log_touch(cid, "congrats", note="new role!")
    assert st.JOB_CHANGED not in svc.get_contact(cid).status.flags
    svc.delete_touch(t.id)
    assert st.JOB_CHANGED in svc.get_contact(cid).status.flags


def test_log_touch_resets_the_clock_at_the_event_date(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    svc.log_touch(cid, "coffee", "120 days ago")
    s = svc.get_contact(cid).status
    assert s.state == st.OVERDUE and s.days_overdue == 30
    svc.log_touch(cid, "lunch", "last friday")
    s = svc.get_contact(cid).status
    assert s.state == st.OK
    assert s.due_on == date(2026, 11, 20) + timedelta(days=90)


def test_touch_options_and_errors(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    t = svc.log_touch(cid, "intro", None, value="received", direction="in", note="to Jonas")
    assert (t.value, t.direction, t.note) == ("received", "in", "to Jonas")
    before = counts()
    for bad in (
        dict(kind="cofee"),
        dict(kind="coffee", when="blursday"),
        dict(kind="coffee", direction="mutual", awaiting_reply=True),  # only yours wait
        dict(kind="coffee", awaiting_reply=True, in_person=True),  # an invitation: not met yet
        dict(kind="coffee", when="tomorrow"),  # a touch happened: plan it as a follow-up
        dict(kind="email", value="stolen"),
    ):
        with pytest.raises(InvalidInput):
            svc.log_touch(cid, **bad)
    with pytest.raises(NotFound):
        svc.log_touch(9999, "coffee")
    assert counts() == before


def test_unresponsive_then_reply(db):
    cid = svc.add_contact("Ana Silva", tier=1, met_on="200 days ago")
    svc.log_touch(cid, "coffee", "120 days ago")
    svc.log_touch(cid, "email", "10 days ago", awaiting_reply=True)
    svc.log_touch(cid, "email", "3 days ago", awaiting_reply=True)
    assert svc.get_contact(cid).status.state == st.UNRESPONSIVE
    result = svc.mark_reply(cid)
    assert result.answered == 2
    d = svc.get_contact(cid)
    assert d.status.state == st.OK
    assert d.touches[0].direction == "in" and d.touches[0].kind == "email"
    assert all(not t.unanswered for t in d.touches)


def test_undo_a_logged_touch(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    svc.log_touch(cid, "coffee", "200 days ago")
    t = svc.log_touch(cid, "coffee")
    assert svc.get_contact(cid).status.state == st.OK
    removed = svc.delete_touch(t.id)
    assert svc.get_contact(cid).status.state == st.OVERDUE
    svc.restore_touch(removed)
    assert svc.get_contact(cid).status.state == st.OK


def test_archive_unarchive_purge(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    svc.archive(cid)
    assert svc.get_contact(cid).status.state == st.ARCHIVED
    with pytest.raises(NotFound, match="archived"):
        svc.resolve("ana silva")
    assert svc.resolve("ana silva", include_archived=True) == cid
    svc.unarchive(cid)
    assert svc.get_contact(cid).status.state != st.ARCHIVED
    with pytest.raises(InvalidInput, match="not archived"):
        svc.purge(cid)
    svc.log_touch(cid, "coffee")
    svc.archive(cid)
    svc.purge(cid)
    assert counts() == {"Contact": 0, "Interaction": 0, "Job": 0, "ContactState": 0}


def test_pause_and_resume(db, travel):
    cid = svc.add_contact("Ana Silva", tier=1)
    svc.log_touch(cid, "coffee", "200 days ago")
    svc.snooze(cid, "in 2 weeks")
    assert svc.get_contact(cid).status.state == st.PAUSED
    travel(days=15)
    assert svc.get_contact(cid).status.state == st.OVERDUE
    svc.ball_in_their_court(cid)
    assert svc.get_contact(cid).status.state == st.PAUSED
    svc.log_touch(cid, "message", direction="in")
    d = svc.get_contact(cid)
    assert d.status.state == st.OK and d.awaiting_inbound_since is None
    with pytest.raises(InvalidInput, match="past"):
        svc.snooze(cid, date(2020, 1, 1))


def test_follow_ups(db, travel):
    cid = svc.add_contact("Ana Silva", tier=2)
    f = svc.add_follow_up(cid, "next monday", "send the article")
    assert f.due_on == date(2026, 11, 30)
    assert st.FOLLOW_UP_DUE not in svc.get_contact(cid).status.flags
    travel(days=4)
    assert st.FOLLOW_UP_DUE in svc.get_contact(cid).status.flags
    assert [x.text for x in svc.open_follow_ups(clock.today())] == ["send the article"]
    svc.complete_follow_up(f.id)
    assert st.FOLLOW_UP_DUE not in svc.get_contact(cid).status.flags
    with pytest.raises(InvalidInput):
        svc.add_follow_up(cid, "tomorrow", "   ")


def test_categories(db):
    a = svc.add_contact("Ana Silva", categories=["Mentors"])
    svc.add_contact("Bob Stone", categories=["mentors", "Investors"])
    assert svc.list_categories() == [("Investors", 1), ("Mentors", 2)]
    svc.rename_category("Investors", "mentors")  # merging into an existing one
    assert svc.list_categories() == [("Mentors", 2)]
    svc.remove_category(a, "Mentors")
    assert svc.get_contact(a).categories == []


@pytest.mark.parametrize("new_name", ["advisers", "mentors"], ids=["rename", "merge"])
def test_a_form_opened_before_a_category_rename_gets_a_conflict(db, new_name):
    """Renaming (or merging) a category changes the categories of every contact in it:
    their versions move on, like any other write of their fields, so that a form opened
    before on another device gets a Conflict instead of writing the old name back."""
    from netterm.errors import Conflict

    ana = svc.add_contact("Ana Silva", categories=["investors"])
    bob = svc.add_contact("Bob Stone", categories=["mentors"])  # not in the renamed one
    opened = svc.get_contact(ana).version
    bob_opened = svc.get_contact(bob).version
    svc.rename_category("investors", new_name)
    assert svc.get_contact(ana).version > opened
    assert svc.get_contact(bob).version == bob_opened  # left alone: not in it
    with pytest.raises(Conflict):
        svc.update_contact(ana, expected_version=opened, categories=["investors"])
    assert [c.lower() for c in svc.get_contact(ana).categories] == [new_name]  # kept
    svc.update_contact(bob, expected_version=bob_opened, notes="fine")  # still saves


def test_find_and_resolve(db):
    a = svc.add_contact("Ana Silva", company="Globex")
    b = svc.add_contact("Ana Costa", company="Hooli")
    svc.add_contact("Anand Kumar")
    assert svc.resolve("ana s") == a
    assert svc.resolve(f"#{b}") == b
    with pytest.raises(Ambiguous) as exc:
        svc.resolve("ana")
    assert "Ana Silva" in str(exc.value) and "Ana Costa" in str(exc.value)
    with pytest.raises(NotFound):
        svc.resolve("zed")
    with pytest.raises(InvalidInput):
        svc.resolve("  ")


def test_policy_setting_rebuilds_the_cache(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    svc.log_touch(cid, "coffee", "60 days ago")
    assert svc.get_contact(cid).status.state == st.OK
    svc.set_setting("policy.cadence_tier1", 30)
    assert svc.load_network().rows[0].state == st.OVERDUE
    with pytest.raises(InvalidInput):
        svc.set_setting("policy.nope", 1)
    with pytest.raises(InvalidInput):
        svc.set_setting("policy.cadence_tier1", "soon")


def test_network_rows_match_the_pure_rules(db, travel):
    generate(size=120, seed=5)
    for days in (0, 45, 200):
        travel(days=days)
        network = svc.load_network()
        facts = stats.gather([r.id for r in network.rows])
        for row in network.rows:
            expected = evaluate(
                facts[row.id], network.today, svc.get_policy(), network.last_audit_on
            )
            assert row.status == expected, row
        ranks = [st.STATE_RANK[r.state] for r in network.rows]
        assert ranks == sorted(ranks)


def test_triage_and_counts(db):
    generate(size=150, seed=9)
    counts_, rows = svc.triage()
    full = svc.load_network()
    assert counts_ == full.counts
    expected = {
        r.id
        for r in full.rows
        if r.state in (st.OVERDUE, st.DUE_SOON, st.UNRESPONSIVE)
        or (st.FOLLOW_UP_DUE in r.flags and r.state != st.ARCHIVED)
    }
    assert {r.id for r in rows} == expected
    states = [r.state for r in rows]
    assert st.UNRESPONSIVE in states  # the demo always has some, and they come last
    assert set(states[states.index(st.UNRESPONSIVE) :]) == {st.UNRESPONSIVE}
    assert "overdue" in counts_.headline()


def test_search_over_the_network(db):
    svc.add_contact("Ana Silva", company="Acme", tier=1, categories=["Former classmates"])
    svc.add_contact("Bob Stone", company="Globex", notes="met at acme party")
    svc.add_contact("Carla Dias", company="Initech")
    network = svc.load_network()
    assert {r.name for r in svc.search(network, "acme")} == {"Ana Silva", "Bob Stone"}
    assert [r.name for r in svc.search(network, "company:acme")] == ["Ana Silva"]
    assert [r.name for r in svc.search(network, 'cat:"former classmates"')] == ["Ana Silva"]
    assert [r.name for r in svc.search(network, "tier:1")] == ["Ana Silva"]


def test_demo_is_deterministic(tmp_path):
    from netterm.store import close_database, open_database

    dumps = []
    for name in ("a.db", "b.db"):
        open_database(tmp_path / name)
        summary = generate(size=80, seed=3)
        assert summary.contacts == 80
        dumps.append(
            [
                database.execute_sql(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("contact", "interaction", "contact_method", "contact_category", "job")
            ]
        )
        close_database()
    assert dumps[0] == dumps[1]


def test_demo_refuses_a_database_with_contacts(db):
    from netterm.errors import NetTermError

    svc.add_contact("Ana Silva")
    with pytest.raises(NetTermError, match="already has 1 contacts"):
        generate(size=5)


def test_demo_network_has_every_kind_of_state(db):
    generate(size=250)
    c = svc.load_network().counts
    assert c.overdue and c.due_soon and c.unresponsive and c.ok and c.paused and c.untracked
    assert c.archived and c.follow_ups_due >= 0 and c.audit_due


def test_a_touch_dated_in_the_future_is_refused_with_the_way_to_plan_it(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    before = counts()
    for when in ("tomorrow", "in 2 weeks", "next monday", "2026-12-01"):
        with pytest.raises(InvalidInput) as exc:
            svc.log_touch(cid, "coffee", when)
        assert exc.value.field == "date"
        assert "in the future" in exc.value.message
        assert "netterm follow-up" in exc.value.message
    with pytest.raises(InvalidInput, match="in the future"):
        svc.log_touch(cid, "lunch", clock.now().add(days=1))
    assert counts() == before
    assert svc.log_touch(cid, "coffee", "today").occurred_on == clock.today()


def test_capitalised_and_day_first_dates(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    today = clock.today()
    for when in ("Tuesday", "Last Thursday", "Yesterday", "THREE DAYS AGO"):
        assert svc.log_touch(cid, "call", when).occurred_on <= today
    assert svc.log_touch(cid, "call", "3/11/2026").occurred_on == date(2026, 11, 3)
    svc.set_setting("dates.order", "mdy")
    assert svc.log_touch(cid, "call", "3/11/2026").occurred_on == date(2026, 3, 11)
    assert svc.log_touch(cid, "call", "31/10/2026").occurred_on == date(2026, 10, 31)
    with pytest.raises(InvalidInput, match=r"dates\.order is one of dmy, mdy"):
        svc.set_setting("dates.order", "ymd")


def test_an_invitation_awaiting_reply_is_not_a_meeting(db):
    cid = svc.add_contact("Ana Silva", tier=1)
    t = svc.log_touch(cid, "lunch", "3 days ago", awaiting_reply=True)
    assert (t.direction, t.in_person, t.awaiting_reply) == ("out", False, True)
    d = svc.get_contact(cid)
    assert st.MEET_IN_PERSON in d.status.flags  # an invitation does not clear it
    result = svc.mark_reply(cid, "yesterday")
    assert result.answered == 1
    assert (result.touch.kind, result.touch.direction, result.touch.in_person) == (
        "message",
        "in",
        False,
    )
    assert "lunch invitation" in result.touch.note
    assert st.MEET_IN_PERSON in svc.get_contact(cid).status.flags  # no lunch happened yet
    svc.log_touch(cid, "lunch", "today")
    assert st.MEET_IN_PERSON not in svc.get_contact(cid).status.flags


def test_one_unanswered_email_brings_the_contact_back_after_the_follow_up_interval(db):
    cid = svc.add_contact("Ana Silva", tier=3)
    svc.log_touch(cid, "email", "30 days ago", awaiting_reply=True)
    d = svc.get_contact(cid)
    assert d.status.state == st.OVERDUE and d.status.days_overdue == 9
    sent = short = clock.today() - timedelta(days=30)
    short = f"{sent.day} {sent.strftime('%b')}"
    assert d.explanation.startswith(f"No answer to your e-mail of {short}: follow up once")
    [row] = [r for r in svc.load_network().rows if r.id == cid]
    assert row.state == st.OVERDUE and row.overdue == 9  # the SQL twin agrees
    assert svc.explain_row(row, clock.today()) == d.explanation
    svc.set_setting("policy.follow_up_days", 40)
    assert svc.get_contact(cid).status.state == st.DUE_SOON
    svc.log_touch(cid, "email", "today", awaiting_reply=True)
    assert svc.get_contact(cid).status.state == st.UNRESPONSIVE


def test_a_met_on_date_is_the_first_meeting(db):
    cid = svc.add_contact("Ana Silva", tier=1, met_on="6 days ago", how_met="PyCon sprint")
    d = svc.get_contact(cid)
    [t] = d.touches
    assert (t.kind, t.direction, t.in_person) == ("meeting", "mutual", True)
    assert t.occurred_on == clock.today() - timedelta(days=6) and "PyCon sprint" in t.note
    assert st.MEET_IN_PERSON not in d.status.flags  # met face to face 6 days ago
    assert d.status.due_on == t.occurred_on + timedelta(days=90)
    remote = svc.add_contact("Bo Lee", tier=1, met_on="yesterday", met_remote=True)
    [t] = svc.get_contact(remote).touches
    assert (t.kind, t.in_person) == ("call", False)
    assert st.MEET_IN_PERSON in svc.get_contact(remote).status.flags
    assert svc.get_contact(svc.add_contact("Cy Dee", tier=1)).touches == []


def test_not_reviewed_only_for_contacts_that_existed_at_the_last_audit(db, travel):
    from netterm.store.models import Audit

    old = svc.add_contact("Old Friend", tier=1)
    travel(days=10)
    Audit.create(started_at=clock.now(), finished_at=clock.now(), plan="[]")
    travel(days=30)
    new = svc.add_contact("New Friend", tier=1, met_on="6 days ago")
    flags = {r.id: r.flags for r in svc.load_network().rows}
    assert st.NOT_REVIEWED in flags[old] and st.NOT_REVIEWED not in flags[new]
    assert st.NOT_REVIEWED not in svc.get_contact(new).status.flags
    assert st.MEET_IN_PERSON not in flags[new]
