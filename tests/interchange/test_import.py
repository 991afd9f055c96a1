"""Imports through the service the CLI and the app call: plan, apply, match, merge."""

from __future__ import annotations

import pytest
from conftest import fixture, snapshot
from engines import raw_connect

from netterm import services as svc
from netterm.config import clock
from netterm.core import status as st
from netterm.errors import InvalidInput, NotFound
from netterm.services import interchange as ix
from netterm.services import stats
from netterm.store import close_database, open_database
from netterm.store.models import Contact, Job


@pytest.fixture(autouse=True)
def _cache_stays_true(request):
    """After every import, the status cache agrees with the source tables."""
    yield
    if "db" in request.fixturenames:
        assert stats.stale() == []


def contact(name: str):
    return svc.get_contact(svc.resolve(name))


def methods(d) -> list[tuple[str, str]]:
    return [(m.kind, m.value) for m in d.methods]


LINKEDIN = fixture("linkedin/Connections.csv")
LINKEDIN_LATER = fixture("linkedin/Connections-2026.csv")


# --------------------------------------------------------------------------- LinkedIn


def test_linkedin_import_adds_untracked_contacts(db):
    summary = ix.import_file(LINKEDIN, "linkedin")
    assert (summary.added, summary.updated, summary.unchanged, summary.skipped) == (6, 0, 0, 2)
    assert summary.hidden == 2 and summary.untracked == 6
    assert summary.headline() == "Added 6, updated 0, 0 unchanged, skipped 2 (2 hidden profiles)."
    ana = contact("ana silva")
    assert ana.tier is None and ana.status.state == st.UNTRACKED
    assert (ana.job_title, ana.company) == ("Senior Product Manager", "Acme")
    assert ana.how_met == "connected on LinkedIn" and ana.met_on.isoformat() == "2019-03-12"
    assert methods(ana) == [("linkedin", "https://www.linkedin.com/in/ana-silva-pm")]
    assert ana.methods[0].primary
    zoe = contact("zoe")  # found without the accent: the search text is folded
    assert zoe.company == 'Initech, "The Good Place"'
    assert [c.action for c in summary.changes].count("skipped") == 2


def test_dry_run_writes_nothing_and_tells_the_same_story(db):
    ix.import_file(LINKEDIN, "linkedin")
    before = snapshot(db)
    dry = ix.import_file(LINKEDIN_LATER, "linkedin", dry_run=True)
    assert snapshot(db) == before
    assert dry.dry_run and dry.headline().startswith("Would add 1, would update 2")
    real = ix.import_file(LINKEDIN_LATER, "linkedin")
    assert [(c.action, c.line, c.details) for c in dry.changes] == [
        (c.action, c.line, c.details) for c in real.changes
    ]
    assert snapshot(db) != before


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("google/contacts.csv", "google"),
        ("vcard/apple.vcf", "vcard"),
        ("vcard/khard", "vcard"),
        ("linkedin/Connections-old.csv", "linkedin"),
    ],
)
def test_every_format_has_a_dry_run(db, name, fmt):
    before = snapshot(db)
    summary = ix.import_file(fixture(name), fmt, dry_run=True)
    assert summary.added > 0
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("name", "fmt", "line"),
    [
        ("bad/linkedin-stray-comma.csv", "linkedin", 3),
        ("bad/linkedin-bad-date.csv", "linkedin", 7),
        ("bad/unclosed.vcf", "vcard", 5),
        ("bad/tier.json", "json", 9),
        ("bad/google-unterminated.csv", "google", 3),
    ],
)
def test_a_bad_row_names_file_and_line_and_changes_nothing(db, name, fmt, line):
    ix.import_file(LINKEDIN, "linkedin")
    before = snapshot(db)
    path = fixture(name)
    with pytest.raises(InvalidInput) as exc:
        ix.import_file(path, fmt)
    assert str(exc.value).startswith(f"{path}:{line}: ")
    assert snapshot(db) == before


def test_a_failure_while_writing_rolls_everything_back(db, monkeypatch):
    ix.import_file(LINKEDIN, "linkedin")
    before = snapshot(db)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(stats, "refresh", boom)
    monkeypatch.setattr(stats, "rebuild", boom)
    with pytest.raises(RuntimeError):
        ix.import_file(LINKEDIN_LATER, "linkedin")
    monkeypatch.undo()
    assert snapshot(db) == before


def test_missing_file_and_wrong_kind_of_path(db, tmp_path):
    with pytest.raises(NotFound, match="no such file"):
        ix.import_file(tmp_path / "nope.csv", "linkedin")
    with pytest.raises(InvalidInput, match="is a folder"):
        ix.import_file(tmp_path, "linkedin")
    with pytest.raises(InvalidInput, match="unknown format"):
        ix.import_file(LINKEDIN, "outlook")


def test_reimport_is_idempotent(db):
    ix.import_file(LINKEDIN, "linkedin")
    before = snapshot(db)
    again = ix.import_file(LINKEDIN, "linkedin")
    assert (again.added, again.updated, again.unchanged, again.skipped) == (0, 0, 6, 2)
    assert snapshot(db) == before


def test_a_new_export_turns_changed_jobs_into_job_changes(db, travel):
    ix.import_file(LINKEDIN, "linkedin")
    travel(days=30)
    summary = ix.import_file(LINKEDIN_LATER, "linkedin")
    assert (summary.added, summary.updated, summary.unchanged) == (1, 2, 3)
    assert summary.job_changes == 2
    assert [c.name for c in summary.congratulate] == ["Ana Silva", "Zoë Đặng"]
    assert summary.congratulate[0].details == (
        "job: Senior Product Manager @ Acme → Head of Product @ Globex",
    )
    ana = contact("ana silva")
    assert (ana.job_title, ana.company) == ("Head of Product", "Globex")
    assert [(j.title, j.company, j.ended_on, j.source) for j in ana.jobs] == [
        ("Senior Product Manager", "Acme", clock.today(), "linkedin")
    ]
    assert st.JOB_CHANGED in ana.status.flags
    assert "job changed: congratulate them" in ana.flag_notes
    assert contact("marcus").job_title == "DJ & Producer"  # gone from LinkedIn, kept here
    # the same export again: nothing more happens
    again = ix.import_file(LINKEDIN_LATER, "linkedin")
    assert (again.updated, again.job_changes) == (0, 0)
    assert len(contact("ana silva").jobs) == 1
    # once acknowledged, the flag goes and stays gone
    svc.acknowledge_job_change(ana.id)
    ix.import_file(LINKEDIN_LATER, "linkedin")
    assert st.JOB_CHANGED not in contact("ana silva").status.flags


def test_bulk_job_change_is_record_job_change(db, tmp_path):
    """The import's bulk path leaves exactly what services.record_job_change leaves."""
    url = "https://www.linkedin.com/in/{}"
    a = svc.add_contact(
        "Twin One", company="Acme", job_title="PM", methods=[("linkedin", "twin-a")]
    )
    b = svc.add_contact(
        "Twin Two", company="Acme", job_title="PM", methods=[("linkedin", "twin-b")]
    )
    svc.record_job_change(a, "Head of Product", "Globex", source="linkedin")
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Twin,Two,{url.format('twin-b')},,Globex,Head of Product,\n"
        f"Twin,One,{url.format('twin-a')},,Globex,Head of Product,\n"
    )
    summary = ix.import_file(csv, "linkedin")
    # both gain "how met: connected on LinkedIn"; only Two changes jobs
    assert (summary.updated, summary.job_changes) == (2, 1)

    def facts(cid):
        c = Contact.get_by_id(cid)
        jobs = [
            (j.title, j.company, j.started_on, j.ended_on, j.source, j.recorded_at)
            for j in Job.select().where(Job.contact == cid)
        ]
        state = (
            raw_connect(db)
            .execute("SELECT * FROM contact_state WHERE contact_id = ?", (cid,))
            .fetchone()[1:]
        )
        search = c.search_text.replace("twin one", "twin two").replace("twin-a", "twin-b")
        return (c.job_title, c.company, c.job_changed_at, c.updated_at, search, jobs, state)

    assert facts(b) == facts(a)


def test_an_older_export_after_a_newer_one_is_shown_and_undone_by_the_newer(db):
    """LinkedIn files carry no date: the file is the truth; the dry run shows the moves."""
    ix.import_file(LINKEDIN_LATER, "linkedin")
    dry = ix.import_file(LINKEDIN, "linkedin", dry_run=True)  # last year's, by mistake
    assert next(c.details for c in dry.congratulate) == (
        "job: Head of Product @ Globex → Senior Product Manager @ Acme",
    )
    ix.import_file(LINKEDIN, "linkedin")
    ix.import_file(LINKEDIN_LATER, "linkedin")
    ana = contact("ana silva")
    assert ana.job_title == "Head of Product"
    assert {(j.title, j.company) for j in ana.jobs} == {
        ("Head of Product", "Globex"),
        ("Senior Product Manager", "Acme"),
    }


# --------------------------------------------------------------------------- matching


def test_matching_by_profile_then_email_then_name(db, tmp_path):
    by_url = svc.add_contact("Ana Costa", methods=[("linkedin", "ana-silva-pm")])
    by_email = svc.add_contact("J. Nunez", methods=[("email", "jose.nunez@example.com")])
    by_name = svc.add_contact("Marcus Webb", notes="the DJ")
    namesake = svc.add_contact("Seán O'Brien", methods=[("linkedin", "another-sean")])
    summary = ix.import_file(LINKEDIN, "linkedin")
    assert contact("ana costa").id == by_url  # matched by profile, and never renamed
    assert svc.get_contact(by_email).name == "J. Nunez"
    assert ("linkedin", "https://www.linkedin.com/in/jos%c3%a9-n%c3%ba%c3%b1ez") in methods(
        svc.get_contact(by_email)
    )
    assert svc.get_contact(by_name).notes == "the DJ"
    assert ("linkedin", "https://www.linkedin.com/in/marcuswebb") in methods(
        svc.get_contact(by_name)
    )
    # a different profile URL is a different person with the same name
    seans = [c.id for c in svc.find("sean o'brien")]
    assert len(seans) == 2 and namesake in seans
    assert summary.added == 3  # Zoë, Xiaoming, the other Seán


def test_namesakes_without_profiles_pair_up_the_same_way_every_time(db, tmp_path):
    csv = tmp_path / "old.csv"
    csv.write_text(
        "First Name,Last Name,Company,Position,Connected On\n"
        "John,Smith,Acme,Engineer,01 Jan 2015\n"
        "John,Smith,Globex,Designer,01 Jan 2016\n"
    )
    first = ix.import_file(csv, "linkedin")
    assert first.added == 2
    before = snapshot(db)
    again = ix.import_file(csv, "linkedin")
    assert (again.added, again.unchanged) == (0, 2)
    assert snapshot(db) == before


def test_the_same_person_twice_in_one_file_is_one_contact(db, tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text(
        "First Name,Last Name,E-mail 1 - Value,E-mail 2 - Value,Phone 1 - Value\n"
        "Ana,Silva,ana@x.example,,\n"
        "Ana,Silva,ana@x.example,ana@home.example,+351 912 345 678\n"
    )
    summary = ix.import_file(csv, "google")
    assert (summary.added, summary.updated) == (1, 1)
    ana = contact("ana")
    assert methods(ana) == [
        ("email", "ana@x.example"),
        ("email", "ana@home.example"),
        ("phone", "+351 912 345 678"),
    ]
    assert [m.primary for m in ana.methods] == [True, False, True]  # one primary per kind


def test_a_netterm_record_brings_its_tier_and_tracking_date(db, tmp_path):
    cid = svc.add_contact("Ana Silva", methods=[("email", "ana@x.example")])
    backup = tmp_path / "backup.json"
    backup.write_text(
        '[{"name": "Ana Silva", "tier": 1, "tracked_since": "2024-01-15", '
        '"methods": [{"kind": "email", "value": "ana@x.example"}], '
        '"touches": [{"occurred_at": "2026-11-01T12:00:00Z", "kind": "coffee", '
        '"direction": "mutual"}, {"occurred_at": "2026-12-24T12:00:00Z", "kind": "lunch"}]}]'
    )
    summary = ix.import_file(backup, "json")
    assert summary.changes[0].details == ("+tier", "+tracked since", "+1 touch")
    [problem] = summary.problems  # a touch happened: the planned lunch is left out
    assert "a lunch dated 2026-12-24 is in the future" in str(problem)
    d = svc.get_contact(cid)
    assert (d.tier, d.tracked_since.isoformat()) == (1, "2024-01-15")
    assert [t.kind for t in d.touches] == ["coffee"] and d.status.state == st.OK
    assert ix.import_file(backup, "json").unchanged == 1


# --------------------------------------------------------------------------- merging


def test_google_and_apple_enrich_a_linkedin_network_without_clearing(db):
    ix.import_file(LINKEDIN_LATER, "linkedin")
    svc.update_contact(contact("ana silva").id, location="Lisbon", notes="Prefers mornings.")
    summary = ix.import_file(fixture("google/contacts.csv"), "google")
    ana = contact("ana silva")
    assert summary.updated == 1  # Ana, matched by her LinkedIn profile in Google's Website
    assert ana.name == "Ana Silva"  # Google does not rename
    assert ana.location == "Lisbon"  # filled fields are kept
    assert ana.notes == "Prefers mornings.\n\nMet at Acme, 2019.\nLikes ramen; hates mornings."
    assert ana.categories == ["Former colleagues", "Friends"]
    assert ("phone", "+351 912 345 678") in methods(ana)
    assert [m.primary for m in ana.methods if m.kind == "email"] == [True, False, False]
    # the Apple card of the same person: older than our record, so the job stays
    apple = ix.import_file(fixture("vcard/apple.vcf"), "vcard")
    ana = contact("ana silva")
    assert (ana.job_title, ana.company) == ("Head of Product", "Globex")
    assert apple.job_changes == 0
    assert ("x", "http://twitter.com/anasilva") in methods(ana)
    # and everything again: nothing new
    before = snapshot(db)
    for name, fmt in (("google/contacts.csv", "google"), ("vcard/apple.vcf", "vcard")):
        assert ix.import_file(fixture(name), fmt).updated == 0
    assert snapshot(db) == before


def test_a_newer_vcard_renames_and_keeps_the_former_name(db, tmp_path):
    cid = svc.add_contact("Ana Silva", company="Acme", methods=[("email", "ana@x.example")])
    card = tmp_path / "ana.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nN:Costa;Ana;;;\nFN:Ana Costa\nORG:Globex\n"
        "EMAIL:ana@x.example\nREV:20270101T000000Z\nEND:VCARD\n"
    )
    summary = ix.import_file(card, "vcard")
    d = svc.get_contact(cid)
    assert (d.name, d.previous_names, d.company) == ("Ana Costa", "Silva", "Globex")
    assert summary.changes[0].details[:2] == ("job: Acme → Globex", "name: Ana Silva → Ana Costa")
    assert svc.resolve("ana silva") == cid  # the former name still finds her


def test_problems_are_reported_and_the_rest_imported(db, tmp_path):
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Silva,https://example.com/ana,ana@,Acme,PM,08 Feb 2027\n"
    )
    summary = ix.import_file(csv, "linkedin")
    assert summary.added == 1
    messages = [str(p) for p in summary.problems]
    assert messages[0].startswith(f"{csv}:2: ") and "not a valid email" in messages[0]
    assert any("in the future; left empty" in m for m in messages)
    ana = contact("ana")
    assert ana.met_on is None
    assert ("website", "https://example.com/ana") in methods(ana)
    assert ("other", "ana@") in methods(ana)


def test_progress_is_reported(db, gen_linkedin, tmp_path):
    path = tmp_path / "Connections.csv"
    gen_linkedin.write(str(path), 1200)
    calls = []
    summary = ix.import_file(
        path, "linkedin", progress=lambda done, total: calls.append((done, total))
    )
    assert summary.added > 1000
    # a streamed file counts steps of 128 bytes read, then a share for the status cache
    units = path.stat().st_size // 128
    total = units + units // 20
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert (units, total) in calls and len(calls) >= 4
    dry = []
    ix.import_file(path, "linkedin", dry_run=True, progress=lambda d, t: dry.append((d, t)))
    assert dry[0] == (0, units) and dry[-1] == (units, units)  # no status cache to write
    parsed = ix.read(path, "linkedin").read_all()  # records read at once: counted as such
    listed = []
    ix.import_records(parsed, dry_run=True, progress=lambda d, t: listed.append((d, t)))
    assert listed[-1] == (len(parsed.records), len(parsed.records)) and len(listed) >= 3


def test_generated_export_imports_cleanly(db, gen_linkedin, tmp_path):
    path = tmp_path / "Connections.csv"
    later = tmp_path / "Connections-later.csv"
    gen_linkedin.write(str(path), 600)
    gen_linkedin.write(str(later), 600, moved=40)
    first = ix.import_file(path, "linkedin")
    assert first.problems == [] and first.added + first.skipped == 600
    assert first.hidden == first.skipped > 0
    second = ix.import_file(later, "linkedin")
    assert second.added == 0 and 0 < second.job_changes <= 40


def test_a_backup_restores_people_who_share_an_email_as_distinct_people(db, tmp_path):
    a = svc.add_contact("Ana Silva", company="Globex", methods=[("email", "team@globex.example")])
    b = svc.add_contact("Ana Silva", company="Acme", methods=[("email", "team@globex.example")])
    svc.log_touch(a, "coffee", "yesterday")
    backup = tmp_path / "backup.json"
    ix.export("json", backup)
    vcf = tmp_path / "backup.vcf"
    ix.export("vcard", vcf)
    for fmt, path in (("json", backup), ("vcard", vcf)):
        close_database()
        open_database(tmp_path / f"restored-{fmt}.db")
        first = ix.import_file(path, fmt)
        assert first.added == 2
        again = ix.import_file(path, fmt)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
        assert stats.stale() == []
    # and into the original network, where both exist: each record finds its own contact
    close_database()
    open_database(db)
    summary = ix.import_file(backup, "json")
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 2)
    assert {svc.get_contact(a).company, svc.get_contact(b).company} == {"Globex", "Acme"}


def test_an_email_shared_with_someone_of_another_profile_is_not_a_match(db, tmp_path):
    svc.add_contact("Ana Silva", methods=[("linkedin", "ana-one"), ("email", "team@x.example")])
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Bob,Stone,https://www.linkedin.com/in/bob-two,team@x.example,Acme,CTO,01 Jan 2020\n"
    )
    summary = ix.import_file(csv, "linkedin")
    assert summary.added == 1
    assert contact("bob").company == "Acme"
