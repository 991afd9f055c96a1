"""Exports: vCard 4.0, a spreadsheet-safe CSV, JSON, iCalendar; private files."""

from __future__ import annotations

import csv
import io
import os
import stat

import pytest

from netterm import services as svc
from netterm.errors import InvalidInput
from netterm.interchange import csvfile, ics, vcard
from netterm.services import interchange as ix


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def unfolded(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", ""), "bare line feed"
    return text.replace("\r\n ", "").split("\r\n")[:-1]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1,2)", "'@SUM(1,2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("＝1+1", "'＝1+1"),
        ("+351 912 345 678", "'+351 912 345 678"),
        ("Ana Silva", "Ana Silva"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cells_are_neutralised(cell, safe):
    assert csvfile.neutralise(cell) == safe


def test_csv_export_defuses_formulas_end_to_end(db, tmp_path):
    svc.add_contact(
        "=cmd Evil",
        job_title='=HYPERLINK("http://evil.example")',
        company="@SUM(A1)",
        notes="-1+2\nsecond line",
        location="+London",
        methods=[("phone", "+351 912 345 678")],
        categories=["=bad"],
    )
    path = tmp_path / "network.csv"
    summary = ix.export("csv", path)
    assert summary.contacts == 1 and mode(path) == 0o600
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets read UTF-8 only with the mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    row = rows[0]
    for column in (
        "Name",
        "First Name",
        "Title",
        "Company",
        "Notes",
        "Location",
        "Phone",
        "Categories",
    ):
        assert row[column].startswith("'"), (column, row[column])
    assert row["Notes"] == "'-1+2\nsecond line"
    assert row["State"] == "untracked"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_exports_are_private_even_over_an_existing_file(db, tmp_path):
    svc.add_contact("Ana Silva")
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "out.vcf"
    path.write_text("old")
    path.chmod(0o644)
    ix.export("vcard", path)
    assert mode(path) == 0o600
    assert path.read_text().startswith("BEGIN:VCARD")
    assert [p.name for p in path.parent.iterdir()] == ["out.vcf"]  # no temporary file left


def test_export_errors(db, tmp_path):
    with pytest.raises(InvalidInput, match="is a folder"):
        ix.export("vcard", tmp_path)
    with pytest.raises(InvalidInput, match="cannot write"):
        ix.export("json", tmp_path / "missing" / "x.json")
    with pytest.raises(InvalidInput, match="unknown format"):
        ix.render("xml")


def test_vcard_export_is_4_0_folded_crlf(db):
    svc.add_contact(
        "Zoë Đặng",
        company="Initech; Inc, the good one",
        job_title="Director",
        notes="A long note " * 12 + "\nwith a second line",
        methods=[
            ("email", "zoe@initech.example"),
            ("email", "zoe@home.example"),
            ("phone", "+351 912 345 678"),
            ("linkedin", "zoe-dang"),
            ("website", "zoe.example"),
        ],
        categories=["Friends, old", "work"],
        tier=1,
    )
    text, summary = ix.render("vcard")
    assert summary.contacts == 1
    for raw in text.split("\r\n"):
        assert len(raw.encode()) <= 75
    lines = unfolded(text)
    assert lines[:2] == ["BEGIN:VCARD", "VERSION:4.0"]
    assert "FN:Zoë Đặng" in lines and "N:Đặng;Zoë;;;" in lines
    assert "ORG:Initech\\; Inc\\, the good one" in lines
    assert "EMAIL;PREF=1:zoe@initech.example" in lines
    assert "EMAIL:zoe@home.example" in lines
    assert "X-SOCIALPROFILE;TYPE=linkedin;PREF=1:https://www.linkedin.com/in/zoe-dang" in lines
    assert "CATEGORIES:Friends\\, old,work" in lines
    assert any(line.startswith("UID:urn:uuid:") for line in lines)
    assert any(line.startswith("REV:") and line.endswith("Z") for line in lines)
    assert "X-NETTERM-TIER:1" in lines
    note = next(line for line in lines if line.startswith("NOTE:"))
    assert note.endswith("\\nwith a second line")
    # and the reader agrees
    zoe = vcard.parse(text, "x.vcf").records[0]
    assert zoe.company == "Initech; Inc, the good one" and zoe.categories == [
        "Friends, old",
        "work",
    ]


def test_vdir_export_one_private_card_per_contact(db, tmp_path):
    a = svc.add_contact("Ana Silva", methods=[("email", "ana@x.example")])
    svc.add_contact("Bob Stone")
    svc.archive(svc.add_contact("Old Friend"))
    folder = tmp_path / "book"
    summary = ix.export_vdir(folder, include_archived=False)
    files = sorted(folder.iterdir())
    assert summary.contacts == 2 and len(files) == 2
    assert mode(folder) == 0o700
    for f in files:
        assert mode(f) == 0o600
        text = f.read_bytes().decode()
        assert text.count("BEGIN:VCARD") == 1
        uid = next(line for line in text.split("\r\n") if line.startswith("UID:"))
        assert f.name == uid.removeprefix("UID:urn:uuid:") + ".vcf"
    # stable: the same contact, the same file, export after export
    again = tmp_path / "again"
    ix.export_vdir(again)
    assert {f.name for f in files} <= {f.name for f in again.iterdir()}
    assert len(list(again.iterdir())) == 3
    # and it reads back, as a folder, to the same people
    result = ix.read(folder, "vcard")
    assert sorted(r.name for r in result.records) == ["Ana Silva", "Bob Stone"]
    assert svc.get_contact(a).name == "Ana Silva"


def test_calendar_catch_ups_and_follow_ups(db, travel):
    overdue = svc.add_contact("Ana Silva", tier=1, company="Globex", job_title="CTO")
    svc.log_touch(overdue, "coffee", "120 days ago")
    soon = svc.add_contact("Bob Stone", tier=1)
    svc.log_touch(soon, "lunch", "80 days ago")
    fine = svc.add_contact("Cleo Fine", tier=1)
    svc.log_touch(fine, "call", "yesterday")
    quiet = svc.add_contact("Dan Quiet", tier=1)
    svc.log_touch(quiet, "email", "200 days ago", awaiting_reply=True)
    svc.log_touch(quiet, "email", "100 days ago", awaiting_reply=True)
    f1 = svc.add_follow_up(overdue, "in 3 days", "send the deck; and, the notes")
    f2 = svc.add_follow_up(fine, "tomorrow", "done already")
    svc.complete_follow_up(f2.id)
    archived = svc.add_contact("Old Friend", tier=1)
    svc.add_follow_up(archived, "tomorrow", "never mind")
    svc.archive(archived)

    text, summary = ix.render("ics")
    assert (summary.contacts, summary.entries) == (2, 3)
    for raw in text.split("\r\n"):
        assert len(raw.encode()) <= 75
    lines = unfolded(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events = text.count("BEGIN:VEVENT")
    todos = text.count("BEGIN:VTODO")
    assert (events, todos) == (1, 2)  # catch-ups are to-dos, the follow-up an event
    assert "SUMMARY:Catch up with Ana Silva" in lines
    assert "SUMMARY:Catch up with Bob Stone" in lines
    assert "SUMMARY:Follow up with Ana Silva: send the deck\\; and\\, the notes" in lines
    # overdue: due on the day it fell due (a task list shows it overdue), never re-dated
    # to today as an all-day event
    dues = sorted(line for line in lines if line.startswith("DUE;VALUE=DATE:"))
    assert dues[1] == "DUE;VALUE=DATE:20261206"  # due soon: on its day (7 Sep + 90 days)
    assert dues[0] < "DUE;VALUE=DATE:20261126"  # overdue
    assert "DTSTART;VALUE=DATE:20261129" in lines  # the follow-up, planned
    assert not any(line.startswith("DTSTART") and "20261126" in line for line in lines)
    assert "PRIORITY:1" in lines
    assert not any("Dan Quiet" in line or "Cleo" in line or "Old Friend" in line for line in lines)
    assert all(line.startswith("DTSTAMP:") is False or line.endswith("Z") for line in lines)

    # the same entries keep their UIDs tomorrow, so a calendar updates instead of duplicating
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 3
    assert not any("2026" in uid for uid in uids)  # no date in a UID
    travel(days=1)
    later = unfolded(ix.render("ics")[0])
    assert [line for line in later if line.startswith("UID:")] == uids
    assert sorted(line for line in later if line.startswith("DUE;")) == dues
    # a touch moves Bob's due date: the same to-do, updated
    svc.log_touch(overdue, "coffee", "2026-11-20")
    moved = unfolded(ix.render("ics")[0])
    assert set(line for line in moved if line.startswith("UID:")) <= set(uids)
    assert f1.id


def test_the_demo_network_exports_no_pile_of_events_on_one_day(db):
    from collections import Counter

    from netterm.services.demo import generate

    generate(2_000)
    text, summary = ix.render("ics")
    lines = unfolded(text)
    starts = Counter(line for line in lines if line.startswith("DTSTART"))
    assert summary.contacts > 50  # many catch-ups …
    assert max(starts.values(), default=0) < 20  # … as to-dos, not events on one day


def test_ics_text_escaping_and_folding():
    from datetime import UTC, date, datetime

    entry = ics.Entry("u@x", ics.TODO, date(2026, 1, 2), "a,b;c\\d\ne", "é" * 80)
    text = ics.dump([entry], "-//t//EN", datetime(2026, 1, 1, tzinfo=UTC))
    assert "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n" in text
    for raw in text.split("\r\n"):
        assert len(raw.encode()) <= 75
    assert "".join(unfolded(text)).count("é") == 80
