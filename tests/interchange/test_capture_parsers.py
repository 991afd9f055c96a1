"""The capture readers: mail headers (mbox, Maildir), iCalendar meetings, LinkedIn messages."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from netterm.errors import InvalidInput
from netterm.interchange import calendar, linkedin_messages, mail

FIXTURES = Path(__file__).parent / "fixtures" / "capture"
TZ = pendulum.timezone("Europe/Lisbon")
TODAY = date(2026, 11, 26)


def _mails(path: Path) -> list[mail.Mail]:
    return list(mail.read(mail.open_source(path)))


# --------------------------------------------------------------------------- mail


def test_takeout_mbox_messages_and_their_positions():
    path = FIXTURES / "takeout.mbox"
    mails = _mails(path)
    assert len(mails) == 14
    lines = path.read_text().splitlines()
    for m in mails:  # each position is the message's `From ` line
        n = int(m.where.rsplit(":", 1)[1])
        assert lines[n - 1].startswith("From ")
    first = mails[0]
    assert first.key == "coffee-1@home.example"
    assert first.sender == ("Sam Rivera", "sam@home.example")
    assert first.recipients == (("Ana Silva", "ana@globex.example"),)
    assert first.sent_at == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert first.thread == "1781234567890123456"
    # `>From ` and an unescaped `From ` inside a paragraph never split a message
    assert mails[1].key == "reply-1@globex.example"


def test_rfc2047_names_and_subjects_are_decoded():
    merci = next(m for m in _mails(FIXTURES / "takeout.mbox") if m.key == "merci@acme.example")
    assert merci.sender == ("Chloé Durand", "chloe@acme.example")
    assert merci.recipients == (("Sam Rivera", "sam@home.example"),)
    assert merci.subject == "Merci pour l'intro — à bientôt"


def test_what_is_not_a_personal_message():
    skips = {m.key: m.skip for m in _mails(FIXTURES / "takeout.mbox")}
    assert skips["spam-1@acme.example"] == mail.SPAM
    assert skips["trash-1@globex.example"] == mail.SPAM  # quoted label
    assert skips["news-1@globex.example"] == mail.BULK  # List-Unsubscribe
    assert skips["list-1@lists.example"] == mail.BULK  # Precedence: list
    assert skips["auto-1@initech.example"] == mail.AUTO  # Auto-Submitted
    assert skips["coffee-1@home.example"] is None


def test_a_message_without_date_is_kept_with_no_date():
    nodate = next(m for m in _mails(FIXTURES / "takeout.mbox") if m.key.startswith("nodate"))
    assert nodate.sent_at is None and nodate.raw_date == ""
    assert mail.parse_date("not a date") is None
    assert mail.parse_date("Tue, 3 Nov 2026 10:00:00 -0000").tzinfo is not None


def test_maildir_cur_and_new():
    mails = _mails(FIXTURES / "maildir")
    assert sorted(m.key for m in mails) == [
        "maildir-cur@home.example",
        "maildir-new@globex.example",
    ]
    assert all("/cur/" in m.where or "/new/" in m.where for m in mails)


def test_a_message_without_message_id_gets_a_stable_key(tmp_path):
    box = tmp_path / "x.mbox"
    box.write_bytes(b"From a Mon Jan 1 00:00:00 2026\nFrom: a@x\nTo: b@y\nSubject: hi\n\nbody\n")
    one, two = _mails(box)[0].key, _mails(box)[0].key
    assert one == two and one.startswith("sha1:")


def test_mbox_read_in_small_chunks_finds_the_same_messages(monkeypatch):
    whole = [(m.key, m.where) for m in _mails(FIXTURES / "takeout.mbox")]
    monkeypatch.setattr(mail, "CHUNK", 7)
    assert [(m.key, m.where) for m in _mails(FIXTURES / "takeout.mbox")] == whole


def test_not_an_mbox(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\nworld\n")
    with pytest.raises(InvalidInput, match=r"notes.txt:1: not an mbox file"):
        _mails(bad)
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(InvalidInput, match="not a Maildir"):
        mail.open_source(folder)


def test_headers_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(mail, "HEADER_MAX", 100)
    box = tmp_path / "big.mbox"
    box.write_bytes(
        b"From a Mon Jan 1 00:00:00 2026\nSubject: ok\n\nbody\n\n"
        b"From b Mon Jan 1 00:00:00 2026\nX-Long: " + b"y" * 500 + b"\n\nbody\n"
    )
    with pytest.raises(InvalidInput, match=r"big.mbox:6: a message's headers exceed"):
        _mails(box)


def test_8bit_headers_do_not_break_the_reader(tmp_path):
    box = tmp_path / "8bit.mbox"
    box.write_bytes(
        b"From a Mon Jan 1 00:00:00 2026\nFrom: Jos\xc3\xa9 <jose@x.example>\nTo: b@y\n"
        b"Subject: caf\xe9\n\nbody\n"
    )
    (m,) = _mails(box)
    assert m.sender == ("José", "jose@x.example")
    assert m.subject.startswith("caf")


# --------------------------------------------------------------------------- calendar


def _meetings(name: str) -> list[calendar.Meeting]:
    return list(calendar.meetings(FIXTURES / name, TODAY, TZ))


_NAMES = [
    "From",
    "to",
    "CC",
    "Subject",
    "Date",
    "Message-ID",
    "X-Gmail-Labels",
    "X-GM-THRID",
    "Received",
    "DKIM-Signature",
    "Tone",
    "X-From",
    "Precedence",
    "List-Unsubscribe",
]
_VALUE = st.text(
    st.sampled_from([*"abcXYZ <>@.,;:=?\"'()0123456789 \t", "\xe9", "\xff", "\u00e7"]),
    max_size=30,
).filter(lambda v: not v.startswith((" ", "\t")))


@given(
    st.lists(st.tuples(st.sampled_from(_NAMES), _VALUE, st.lists(_VALUE, max_size=2)), max_size=8),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["utf-8", "latin-1"]),
)
def test_header_fields_are_what_the_standard_library_parser_reads(fields, eol, charset):
    """The wanted fields are cut out by a regular expression (speed, docs/capture.md):
    they must be exactly what `BytesHeaderParser` (compat32) reads, folds, 8-bit bytes
    and line ends included."""
    from email.parser import BytesHeaderParser
    from email.policy import compat32

    lines = []
    for name, value, folds in fields:
        lines.append(f"{name}: {value}{eol}")
        lines.extend(f" {fold}{eol}" for fold in folds)
    data = "".join(lines).encode(charset) + eol.encode()
    expected = [
        (n.lower(), v)
        for n, v in BytesHeaderParser(policy=compat32).parsebytes(data).raw_items()
        if n.lower() in mail._Fields.WANTED
    ]
    got = [(n, v) for n, values in mail.header_fields(data).items() for v in values]
    assert sorted(got) == sorted(expected)


def test_recurring_events_are_expanded_with_exdate_and_overrides():
    bob = [m for m in _meetings("calendar.ics") if m.key.startswith("one-on-one-bob")]
    # weekly ×4 from 5 Oct, 12 Oct excluded, 19 Oct moved to 20 Oct and renamed
    assert [m.start.date() for m in bob] == [
        date(2026, 10, 5),
        date(2026, 10, 20),
        date(2026, 10, 26),
    ]
    moved = bob[1]
    assert moved.title == "Lunch with Bob instead"
    assert moved.key == "one-on-one-bob@fixture/20261019T080000Z"  # its original start


def test_vtimezone_with_dst():
    bob = [m for m in _meetings("calendar.ics") if m.key.startswith("one-on-one-bob")]
    # 10:00 in Paris is 08:00 UTC in summer time, 09:00 UTC after 25 Oct
    assert bob[0].start.astimezone(UTC).hour == 8
    assert bob[2].start.astimezone(UTC).hour == 9


def test_folded_lines_and_escaped_text():
    coffee = next(m for m in _meetings("calendar.ics") if m.key.startswith("coffee-ana-1"))
    assert coffee.location == "Café de Flore, 172 Boulevard Saint-Germain, Paris"
    assert "folded at seventy-five octets" in coffee.description
    assert coffee.description.endswith("word: déjà vu.")
    assert coffee.organizer.address == "sam@home.example"
    assert [(a.address, a.partstat) for a in coffee.attendees] == [
        ("ana@globex.example", "ACCEPTED"),
        ("sam@home.example", "ACCEPTED"),
    ]


def test_status_all_day_and_partstat_are_read():
    by_uid = {m.key.split("/")[0]: m for m in _meetings("calendar.ics")}
    assert by_uid["dinner-chloe@fixture"].status == "CANCELLED"
    assert by_uid["holiday@fixture"].all_day and not by_uid["holiday@fixture"].attendees
    team = by_uid["team-sync@fixture"]
    assert ("sam@home.example", "DECLINED") in [(a.address, a.partstat) for a in team.attendees]


def test_google_x_wr_timezone_keeps_local_time_across_dst():
    weekly = _meetings("google.ics")
    assert len(weekly) == 6
    # 09:00 in Paris every week: 07:00 UTC in summer time, 08:00 UTC in winter
    assert {m.start.astimezone(pendulum.timezone("Europe/Paris")).hour for m in weekly} == {9}
    assert weekly[0].start.astimezone(UTC).hour == 7
    assert weekly[-1].start.astimezone(UTC).hour == 8
    assert "meet.google.com" in weekly[0].conference


def test_a_folder_of_ics_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.ics").write_bytes((FIXTURES / "google.ics").read_bytes())
    (tmp_path / "two.ics").write_bytes((FIXTURES / "calendar.ics").read_bytes())
    (tmp_path / "notes.txt").write_text("not a calendar")
    found = list(calendar.meetings(tmp_path, TODAY, TZ))
    assert len(found) == len(_meetings("google.ics")) + len(_meetings("calendar.ics"))


def test_a_broken_calendar_names_the_file(tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_text("BEGIN:VCARD\nFN:Ana\nEND:VCARD\n")
    with pytest.raises(InvalidInput, match=r"bad\.ics"):
        list(calendar.meetings(bad, TODAY, TZ))


# --------------------------------------------------------------------------- LinkedIn


def test_messages_csv():
    parsed = linkedin_messages.parse((FIXTURES / "messages.csv").read_bytes(), "messages.csv")
    assert parsed.skipped == {"spam or archive": 1}
    assert len(parsed.messages) == 7
    newest = parsed.messages[0]
    assert newest.where == "messages.csv:2"
    assert newest.sender.name == "Ana Silva"
    assert newest.sent_at == datetime(2026, 11, 20, 8, 15, 11, tzinfo=UTC)
    assert newest.key == "conv-ana/2026-11-20T08:15:11Z/https://www.linkedin.com/in/ana-silva"


def test_spam_and_archive_folders_are_skipped_in_any_case():
    head = (FIXTURES / "messages.csv").read_text().splitlines()[0]
    rows = [
        f"c{n},,Ana Silva,https://www.linkedin.com/in/ana-silva,Sam Rivera,"
        f"https://www.linkedin.com/in/sam-rivera,2026-11-0{n} 08:00:00 UTC,,Hi,{folder}"
        for n, folder in enumerate(("ARCHIVE", "Spam", "spam/archive", "INBOX", ""), start=1)
    ]
    parsed = linkedin_messages.parse("\n".join([head, *rows]).encode(), "messages.csv")
    assert parsed.skipped == {"spam or archive": 3}
    assert sorted(m.conversation for m in parsed.messages) == ["c4", "c5"]


def test_double_encoded_names_are_repaired_and_groups_have_every_recipient():
    parsed = linkedin_messages.parse((FIXTURES / "messages.csv").read_bytes(), "messages.csv")
    group = [m for m in parsed.messages if m.conversation == "conv-group"]
    assert group[0].sender.name == "Amélie Laurent"
    assert [r.name for r in group[1].recipients] == ["Amélie Laurent", "Ana Silva", "Dana Okafor"]
    assert group[1].recipients[2].url == "https://www.linkedin.com/in/dana-okafor"
    assert linkedin_messages.repair("AmÃ©lie") == "Amélie"
    assert linkedin_messages.repair("Amélie") == "Amélie"


def test_a_bad_date_is_a_warning_with_its_line():
    text = (
        "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,FOLDER\n"
        "c1,Ana,https://www.linkedin.com/in/ana,Sam,https://www.linkedin.com/in/sam,yesterday,INBOX\n"
    )
    parsed = linkedin_messages.parse(text.encode(), "m.csv")
    assert parsed.messages == []
    assert str(parsed.problems[0]).startswith("m.csv:2: DATE")


def test_not_a_messages_file():
    with pytest.raises(InvalidInput, match=r"m.csv: no LinkedIn messages header"):
        linkedin_messages.parse(b"a,b,c\n1,2,3\n", "m.csv")


def test_the_export_zip(tmp_path):
    export = linkedin_messages.read_zip(FIXTURES / "linkedin-export.zip")
    assert export.connections.startswith(b"\xef\xbb\xbfNotes:")
    assert b"CONVERSATION ID" in export.messages
    assert linkedin_messages.sniff(FIXTURES / "linkedin-export.zip") == "zip"
    assert linkedin_messages.sniff(FIXTURES / "messages.csv") == "messages"
    assert linkedin_messages.sniff(FIXTURES / "Connections.csv") == "connections"
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("Profile.csv", "x")
    with pytest.raises(InvalidInput, match=r"no Connections\.csv nor messages\.csv"):
        linkedin_messages.read_zip(empty)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 20)
    with pytest.raises(InvalidInput, match="not a readable ZIP"):
        linkedin_messages.read_zip(broken)
