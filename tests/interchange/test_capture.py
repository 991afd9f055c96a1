"""Capture against the network: services.capture and `netterm import mail|calendar|linkedin`."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from netterm import services as svc
from netterm.core import status as st
from netterm.errors import InvalidInput
from netterm.services import capture, stats
from netterm.store.models import Contact, DismissedSource, FollowUp, Interaction, database

FIXTURES = Path(__file__).parent / "fixtures" / "capture"
ME = ["sam@home.example", "sam@work.example"]
MBOX = FIXTURES / "takeout.mbox"


@pytest.fixture(autouse=True)
def _cache_stays_true(request):
    yield
    if "db" in request.fixturenames:
        assert stats.stale() == []


@pytest.fixture
def people(db):
    return {
        "ana": svc.add_contact("Ana Silva", tier="1", methods=[("email", "ana@globex.example")]),
        "bob": svc.add_contact(
            "Bob Stone",
            tier="2",
            methods=[("email", "bob@initech.example"), ("email", "bob.stone@gmail.com")],
        ),
        "chloe": svc.add_contact(
            "Chloé Durand", tier="2", methods=[("email", "chloe@acme.example")]
        ),
    }


def touches(cid: int, source: str | None = None) -> list[Interaction]:
    q = Interaction.select().where(Interaction.contact == cid)
    if source:
        q = q.where(Interaction.source == source)
    return list(q.order_by(Interaction.occurred_at))


def snapshot() -> tuple:
    return tuple(
        tuple(database.execute_sql(f"SELECT * FROM {t} ORDER BY 1").fetchall())
        for t in ("contact", "interaction", "follow_up", "contact_method", "setting")
    )


# --------------------------------------------------------------------------- mail


def test_mail_touches_direction_subject_and_day(people):
    s = capture.capture_mail(MBOX, me=ME)
    assert s.added == 5 and s.contacts == 3 and s.read == 14
    ana = touches(people["ana"])
    assert [(t.kind, t.direction, t.note, t.source) for t in ana] == [
        ("email", "out", "Coffee next week?", "mail"),
        ("email", "in", "Re: Coffee next week?", "mail"),
    ]
    assert ana[0].occurred_on == date(2026, 11, 2)  # 09:00 +01:00 is 08:00 in Lisbon
    assert ana[0].source_key == "coffee-1@home.example"
    # matched case-insensitively, on any of the contact's addresses
    assert [t.note for t in touches(people["bob"])] == [
        "Intro: Dana <> Bob",
        "Re: Intro: Dana <> Bob",
    ]
    assert [t.direction for t in touches(people["chloe"])] == ["in"]


def test_one_touch_per_known_contact_per_message(people, tmp_path):
    """To and Cc: each known contact gets one touch, even when two of their addresses
    are in the same message; an unknown one is counted, not a touch."""
    box = tmp_path / "group.mbox"
    box.write_text(
        "From g1@xxx Tue Nov 03 10:00:00 +0000 2026\n"
        "Message-ID: <group-1@home.example>\nDate: Tue, 03 Nov 2026 10:00:00 +0000\n"
        "From: Sam Rivera <sam@home.example>\nTo: Ana <ana@globex.example>,\n"
        " Bob <BOB@initech.example>\nCc: chloe@acme.example, Bob <bob.stone@gmail.com>,\n"
        "\tdana@startup.example\nSubject: Dinner\n\nWho is in?\n"
    )
    s = capture.capture_mail(box, me=ME)
    assert (s.added, s.contacts) == (3, 3)
    for who in ("ana", "bob", "chloe"):
        assert [(t.note, t.direction) for t in touches(people[who])] == [("Dinner", "out")]
    assert [str(u) for u in s.unknown] == ["dana@startup.example: 1 message"]


def test_skipped_messages_are_counted_and_the_undated_one_named(people):
    s = capture.capture_mail(MBOX, me=ME)
    assert s.skipped == {
        "spam or trash": 2,
        "bulk mail": 2,
        "auto-reply": 1,
        "no usable date": 1,
        "not to or from you": 1,
        "nobody known": 2,
    }
    (problem,) = s.problems
    assert str(problem).startswith(f"{MBOX}:122: no usable Date header")
    assert MBOX.read_text().splitlines()[121].startswith("From ")


def test_outgoing_mail_awaits_a_reply_until_they_write(people):
    capture.capture_mail(MBOX, me=ME)
    out, reply = touches(people["ana"])
    assert out.awaiting_reply and out.replied_at == reply.occurred_at
    assert not reply.awaiting_reply


def test_two_unanswered_emails_make_a_contact_unresponsive(people):
    capture.capture_mail(MBOX, me=ME)
    bob = svc.get_contact(people["bob"])
    assert bob.status.state == st.UNRESPONSIVE  # the auto-reply is not an answer
    assert all(t.unanswered for t in bob.touches)
    assert svc.get_contact(people["ana"]).status.state != st.UNRESPONSIVE


def test_a_later_inbound_touch_answers_earlier_typed_attempts(people):
    svc.log_touch(people["chloe"], "email", "2026-11-01", awaiting_reply=True)
    capture.capture_mail(MBOX, me=ME)  # Chloé wrote on 5 Nov
    typed = touches(people["chloe"], "typed")[0]
    assert typed.replied_at is not None


_CSV_HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER\n"
)
_SAM_URL = "https://www.linkedin.com/in/sam-rivera"


def test_attempts_count_across_mail_and_linkedin(db, tmp_path):
    """An unanswered e-mail and an unanswered LinkedIn message are two attempts (so
    unresponsive, as two typed ones); a reply on LinkedIn answers the e-mail too."""
    dan = svc.add_contact(
        "Dan Weber",
        tier="1",
        methods=[("email", "dan@corp.example"), ("linkedin", "https://www.linkedin.com/in/dan-w")],
    )
    box = tmp_path / "sent.mbox"
    box.write_text(
        "From a1@xxx Mon Nov 02 09:00:00 +0000 2026\n"
        "Message-ID: <a1@home.example>\nDate: Mon, 02 Nov 2026 09:00:00 +0000\n"
        "From: Sam Rivera <sam@home.example>\nTo: Dan <DAN@corp.example>\nSubject: Hello\n\nHi\n"
    )
    capture.capture_mail(box, me=["sam@home.example"])
    assert svc.get_contact(dan).status.state != st.UNRESPONSIVE  # one attempt
    sent = (
        f"conv-dan,,Sam Rivera,{_SAM_URL},Dan Weber,https://www.linkedin.com/in/dan-w,"
        "2026-11-10 10:00:00 UTC,,Any news?,INBOX\n"
    )
    csv = tmp_path / "messages.csv"
    csv.write_text(_CSV_HEADER + sent)
    capture.import_linkedin(csv, me=[_SAM_URL])
    view = svc.get_contact(dan)
    assert view.status.state == st.UNRESPONSIVE
    assert sorted(t.source for t in view.touches if t.unanswered) == ["linkedin", "mail"]
    reply = (
        f"conv-dan,,Dan Weber,https://www.linkedin.com/in/dan-w,Sam Rivera,{_SAM_URL},"
        "2026-11-20 10:00:00 UTC,,Sorry! Coffee?,INBOX\n"
    )
    csv.write_text(_CSV_HEADER + sent + reply)
    assert capture.import_linkedin(csv, me=[_SAM_URL]).messages.added == 1
    view = svc.get_contact(dan)
    assert view.status.state != st.UNRESPONSIVE
    assert not any(t.unanswered for t in view.touches)  # the e-mail is answered as well
    (mail,) = touches(dan, "mail")
    assert mail.replied_at is not None


def test_reimport_adds_nothing_twice(people):
    capture.capture_mail(MBOX, me=ME)
    before = snapshot()
    again = capture.capture_mail(MBOX, me=ME)
    assert again.added == 0 and again.already == 5
    assert snapshot() == before


def test_a_deleted_captured_touch_is_not_recreated(people):
    capture.capture_mail(MBOX, me=ME)
    first = touches(people["ana"])[0]
    svc.delete_touch(first.id)  # leaves a dismissed_source row (services.touches)
    s = capture.capture_mail(MBOX, me=ME)
    assert s.dismissed == 1 and s.added == 0
    assert [t.source_key for t in touches(people["ana"])] == ["reply-1@globex.example"]


def test_an_edited_captured_touch_is_kept_as_edited(people):
    capture.capture_mail(MBOX, me=ME)
    first = touches(people["ana"])[0]
    Interaction.update(note="my own words", kind="message").where(
        Interaction.id == first.id
    ).execute()
    capture.capture_mail(MBOX, me=ME)
    assert touches(people["ana"])[0].note == "my own words"
    assert len(touches(people["ana"])) == 2


def test_overlapping_exports_and_maildir(people):
    capture.capture_mail(MBOX, me=ME)
    s = capture.capture_mail(FIXTURES / "maildir", me=ME)
    assert s.added == 2
    assert touches(people["chloe"])[-1].note == "Following up"  # from sam@work.example


def test_no_subjects(people):
    capture.capture_mail(MBOX, me=ME, subjects=False)
    assert {t.note for t in Interaction.select()} == {""}


def test_dry_run_writes_nothing(people):
    before = snapshot()
    s = capture.capture_mail(MBOX, me=ME, dry_run=True, add_unknown=1)
    assert s.added == 8 and s.added_contacts == ["Dana Okafor <dana@startup.example>"]
    assert snapshot() == before


def test_unknown_correspondents_are_named_and_added_only_when_asked(people):
    s = capture.capture_mail(MBOX, me=ME)
    assert [str(u) for u in s.unknown] == ["Dana Okafor <dana@startup.example>: 3 messages"]
    assert Contact.select().count() == 3
    s = capture.capture_mail(MBOX, me=ME, add_unknown=1)
    dana = Contact.get(Contact.first_name == "Dana")
    assert dana.tier is None  # untracked
    assert [t.direction for t in touches(dana.id)] == ["out", "in", "out"]
    assert s.added == 3


def test_owner_from_settings_inferred_or_a_clear_stop(people, tmp_path):
    with pytest.raises(InvalidInput, match="can't tell whose mailbox"):
        capture.capture_mail(MBOX)  # one message is not to or from Sam
    box = tmp_path / "mine.mbox"
    box.write_text(MBOX.read_text().split("From 1781234567890123469@xxx")[0])
    s = capture.capture_mail(box)
    assert s.me == ("sam@home.example",) and s.me_inferred and s.me_seen_in > 2
    capture.set_me(["sam@home.example, sam@work.example"])
    s = capture.capture_mail(MBOX)
    assert s.me == tuple(ME) and not s.me_inferred
    with pytest.raises(InvalidInput, match="neither an e-mail address"):
        capture.parse_me(["sam"])


def test_bad_mbox_changes_nothing(people, tmp_path):
    bad = tmp_path / "bad.mbox"
    bad.write_bytes(
        MBOX.read_bytes() + b"\n\nFrom x Mon Jan 1 00:00:00 2026\nX: " + b"y" * (2 << 20)
    )
    before = snapshot()
    with pytest.raises(InvalidInput, match=r"bad.mbox:\d+: a message's headers exceed"):
        capture.capture_mail(bad, me=ME)
    assert snapshot() == before


def test_merging_two_contacts_with_the_same_captured_message(people):
    """Bob's two addresses were two contacts, both in the same e-mail: one message, a
    touch on each; merging them keeps one (the unique source key) and undo restores."""
    from netterm.services import merge

    second = svc.add_contact("Robert Stone", methods=[("email", "bob.stone@gmail.com")])
    capture.capture_mail(MBOX, me=ME)
    row = touches(people["bob"])[0]
    data = {k: v for k, v in row.__data__.items() if k != "id"}
    Interaction.create(**{**data, "contact": second})
    DismissedSource.create(contact=second, source="mail", source_key="gone@x.example")
    stats.refresh([second])
    before = {t.source_key for t in touches(people["bob"])}
    result = merge.merge(second, people["bob"])
    keys = [t.source_key for t in touches(people["bob"])]
    assert sorted(keys) == sorted(before)  # no duplicate, nothing lost
    assert DismissedSource.get_or_none(contact=people["bob"], source_key="gone@x.example")
    merge.unmerge(result.undo)
    assert [t.source_key for t in touches(second)] == [row.source_key]
    assert sorted(t.source_key for t in touches(people["bob"])) == sorted(before)
    assert not DismissedSource.get_or_none(contact=people["bob"], source_key="gone@x.example")


# --------------------------------------------------------------------------- calendar


def test_calendar_rules(people):
    s = capture.capture_calendar(FIXTURES / "calendar.ics", me=ME)
    assert s.skipped == {
        "cancelled": 1,
        "declined": 1,
        "all-day, no attendees": 1,
        "too many attendees": 1,
        "planned (future)": 1,
    }
    got = {
        (t.contact_id, t.occurred_on.isoformat(), t.kind, t.in_person) for t in Interaction.select()
    }
    assert got == {
        (people["ana"], "2026-11-10", "coffee", True),
        (people["bob"], "2026-10-05", "call", False),  # Zoom link: remote
        (people["bob"], "2026-10-20", "lunch", True),  # the moved occurrence
        (people["bob"], "2026-10-26", "call", False),
        (people["bob"], "2026-11-18", "lunch", True),  # Ana declined that lunch
        (people["chloe"], "2026-11-16", "meeting", False),  # "Online"
    }
    assert {t.direction for t in Interaction.select()} == {"mutual"}
    assert [str(u) for u in s.unknown] == ["Dana Okafor <dana@startup.example>: 1 meeting"]


def test_a_future_meeting_is_the_next_planned_one_then_a_touch(people, travel):
    import pendulum

    assert capture.capture_calendar(FIXTURES / "calendar.ics", me=ME).planned == 1
    (fu,) = FollowUp.select().where(FollowUp.contact == people["chloe"])
    assert (fu.due_on, fu.text) == (date(2026, 12, 3), "coffee: Coffee with Chloé (calendar)")
    assert svc.get_contact(people["chloe"]).open_follow_ups
    again = capture.capture_calendar(FIXTURES / "calendar.ics", me=ME)
    assert FollowUp.select().count() == 1  # once
    assert again.planned == 0 and "planned" not in again.headline()  # not "noted" again
    travel(to=pendulum.datetime(2026, 12, 4, 12, tz="Europe/Lisbon"))
    capture.capture_calendar(FIXTURES / "calendar.ics", me=ME)
    fu = FollowUp.get_by_id(fu.id)
    assert fu.done_at is not None
    assert touches(people["chloe"])[-1].kind == "coffee"


def test_a_planned_meeting_the_user_closed_is_not_noted_again(people):
    capture.capture_calendar(FIXTURES / "calendar.ics", me=ME)
    (fu,) = FollowUp.select()
    svc.complete_follow_up(fu.id)
    s = capture.capture_calendar(FIXTURES / "calendar.ics", me=ME, dry_run=True)
    assert s.planned == 0 and s.skipped["planned (future)"] == 1
    capture.capture_calendar(FIXTURES / "calendar.ics", me=ME)
    assert FollowUp.select().count() == 1


def test_max_attendees_is_a_setting(people):
    from netterm.services.settings import set_setting

    set_setting(capture.MAX_ATTENDEES_SETTING, 11)
    s = capture.capture_calendar(FIXTURES / "calendar.ics", me=ME, dry_run=True)
    assert "too many attendees" not in s.skipped
    with pytest.raises(InvalidInput, match="max attendees"):
        capture.capture_calendar(FIXTURES / "calendar.ics", me=ME, max_attendees=0)


def test_calendar_reimport_and_google_export(people):
    capture.capture_calendar(FIXTURES / "calendar.ics", me=ME)
    assert capture.capture_calendar(FIXTURES / "calendar.ics", me=ME).added == 0
    s = capture.capture_calendar(FIXTURES / "google.ics", me=ME)
    assert s.added == 6
    weekly = touches(people["ana"])[:6]
    assert all(not t.in_person for t in weekly)  # Google Meet link beside the café
    assert {t.occurred_at.in_tz("Europe/Paris").hour for t in weekly} == {9}


def test_calendar_owner_inferred(people):
    s = capture.capture_calendar(FIXTURES / "google.ics", dry_run=True)
    assert s.me_inferred and s.me == ("sam@home.example",)


# --------------------------------------------------------------------------- LinkedIn


def test_linkedin_zip_connections_then_messages(db):
    bob = svc.add_contact("Bob Stone")  # no profile: matched by name
    john = svc.add_contact(
        "John Smith",
        company="Initech",
        methods=[("linkedin", "https://www.linkedin.com/in/john-smith-initech")],
    )
    r = capture.import_linkedin(FIXTURES / "linkedin-export.zip")
    assert (r.connections.added, r.connections.updated) == (2, 0)
    m = r.messages
    assert m.me_inferred and m.me == ("linkedin.com/in/sam-rivera",)
    assert m.skipped["spam or archive"] == 1
    ana = Contact.get(Contact.first_name == "Ana").id
    amelie = Contact.get(Contact.first_name == "Amélie").id
    assert [(t.kind, t.direction) for t in touches(ana)] == [
        ("message", "out"),  # the group message, for each known participant
        ("message", "out"),
        ("message", "in"),
    ]
    assert [t.direction for t in touches(amelie)] == ["out", "in"]
    assert [t.direction for t in touches(bob)] == ["out"]
    assert touches(john) == []  # a namesake with another profile
    assert "John Smith (https://www.linkedin.com/in/john-smith-globex): 1 message" in [
        str(u) for u in m.unknown
    ]
    again = capture.import_linkedin(FIXTURES / "linkedin-export.zip")
    assert again.messages.added == 0


def test_linkedin_messages_csv_alone_and_dry_run(db, tmp_path):
    svc.add_contact("Ana Silva", methods=[("linkedin", "https://www.linkedin.com/in/ana-silva")])
    before = snapshot()
    r = capture.import_linkedin(FIXTURES / "messages.csv", dry_run=True)
    assert r.connections is None and r.messages.added == 3
    assert snapshot() == before
    r = capture.import_linkedin(
        FIXTURES / "messages.csv", me=["https://www.linkedin.com/in/sam-rivera/"]
    )
    assert r.messages.added == 3 and not r.messages.me_inferred


def test_linkedin_connections_csv_still_imports_contacts(db):
    r = capture.import_linkedin(FIXTURES / "Connections.csv")
    assert r.messages is None and r.connections.added == 2


# --------------------------------------------------------------------------- the command line


def test_cli_import_mail_summary_and_show_json(run, tmp_path):
    run("add", "Ana Silva", "--email", "ana@globex.example", "--tier", "1")
    run("add", "Bob Stone", "--email", "bob@initech.example", "--email", "bob.stone@gmail.com")
    code, out, err = run("settings", "me", "sam@home.example, sam@work.example")
    assert code == 0 and out.strip() == "me = sam@home.example, sam@work.example"
    code, out, err = run("import", "mail", str(MBOX), "--dry-run")
    assert code == 0, err
    assert "Dana Okafor <dana@startup.example>: 3 messages" in out
    assert "Would add 4 touches for 2 contacts from 14 messages read." in out
    assert "Dry run: nothing was written." in out
    code, out, err = run("import", "mail", str(MBOX))
    assert code == 0 and "Added 4 touches" in out
    code, out, err = run("show", "bob")
    assert "→ email (awaiting reply, from mail)  Intro: Dana <> Bob" in out
    code, out, _ = run("show", "ana", "--json")
    assert {t["source"] for t in json.loads(out)["touches"]} == {"mail"}
    code, out, _ = run("list", "--state", "unresponsive")
    assert "Bob Stone" in out


def test_cli_errors_are_one_line_and_change_nothing(run, tmp_path):
    run("add", "Ana Silva", "--email", "ana@globex.example")
    code, _, err = run("import", "mail", str(MBOX))
    assert code == 1 and err.startswith("netterm: error: me: can't tell whose mailbox")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    code, _, err = run("import", "mail", str(notes), "--me", "sam@home.example")
    assert (
        code == 1
        and err.strip()
        == f"netterm: error: {notes}:1: not an mbox file (it does not start with a 'From ' line)"
    )
    code, _, err = run("import", "calendar", str(notes), "--me", "sam@home.example")
    assert code == 1 and err.startswith(f"netterm: error: {notes}")
    code, _, err = run("import", "mail", str(MBOX), "--me", "sam")
    assert code == 1 and "neither an e-mail address" in err
    fifo = tmp_path / "pipe.mbox"
    os.mkfifo(fifo)
    for kind in ("mail", "calendar", "linkedin"):  # refused without being opened
        code, _, err = run("import", kind, str(fifo), "--me", "sam@home.example")
        assert code == 1 and "FIFO" in err and err.count("\n") == 1, (kind, err)
    code, out, _ = run("show", "ana", "--json")
    assert json.loads(out)["touches"] == []


def test_cli_import_calendar_and_linkedin(run, tmp_path):
    run("add", "Ana Silva", "--email", "ana@globex.example", "--tier", "1")
    code, out, err = run("import", "calendar", str(FIXTURES / "google.ics"))
    assert code == 0, err
    assert "Taking you to be sam@home.example" in out
    assert "Added 6 touches for 1 contact from 6 meetings read." in out
    folder = tmp_path / "vdir"
    folder.mkdir()
    shutil.copy(FIXTURES / "calendar.ics", folder / "a.ics")
    code, out, err = run(
        "import", "calendar", str(folder), "--me", "sam@home.example", "--max-attendees", "20"
    )
    assert code == 0 and "too many attendees" not in out
    code, out, err = run("import", "linkedin", str(FIXTURES / "linkedin-export.zip"), "--dry-run")
    assert code == 0, err
    assert "Would add 2, would update 0" in out and "Dry run: nothing was written." in out


def test_the_headline_spells_big_numbers_with_separators():
    s = capture.CaptureSummary("mail", "x.mbox", False, read=20014, added=1234, contacts=3)
    assert s.headline() == "Added 1,234 touches for 3 contacts from 20,014 messages read."


def test_a_capture_refreshes_only_the_touched_contacts_cache(people, monkeypatch):
    """A rebuild reads every touch (16.6 s of CPU at 3,000,000 touches): an import that
    touched a minority of the network refreshes only those contacts' rows, one that
    touched most of it rebuilds the cache whole."""
    rebuilt = []
    real = stats.rebuild
    monkeypatch.setattr(stats, "rebuild", lambda *a, **k: rebuilt.append(1) or real(*a, **k))
    capture.capture_mail(FIXTURES / "maildir", me=ME)  # Ana and Chloé, of 3
    assert rebuilt == [1] and stats.stale() == []
    for n in range(4):
        svc.add_contact(f"Other Person{n}", tier="3")
    assert capture.capture_mail(MBOX, me=ME).contacts == 3  # of 7
    assert rebuilt == [1] and stats.stale() == []
    assert svc.get_contact(people["bob"]).status.state == st.UNRESPONSIVE
