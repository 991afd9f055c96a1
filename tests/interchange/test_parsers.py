"""The pure readers: each real format's quirks, read from fixture files that imitate them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from conftest import fixture

from netterm.errors import InvalidInput
from netterm.interchange import google, jsonfile, linkedin, vcard
from netterm.interchange.records import decode, url_kind


def by_name(result):
    return {r.name: r for r in result.records}


# --------------------------------------------------------------------------- LinkedIn


def test_linkedin_bom_preamble_quotes_and_hidden_rows():
    result = linkedin.load(fixture("linkedin/Connections.csv"))
    people = by_name(result)
    assert list(people) == [
        "Ana Silva",
        "José Núñez",
        "Zoë Đặng",
        "王 小明",
        "Seán O'Brien",
        "Marcus Webb",
    ]
    ana = people["Ana Silva"]
    assert ana.line == 5  # after the BOM, the two-line preamble, a blank line, the header
    assert (ana.job_title, ana.company) == ("Senior Product Manager", "Acme")
    assert ana.met_on == date(2019, 3, 12)
    assert ana.how_met == "connected on LinkedIn"
    assert [(m.kind, m.value) for m in ana.methods] == [
        ("linkedin", "https://www.linkedin.com/in/ana-silva-pm")
    ]
    zoe = people["Zoë Đặng"]
    assert zoe.company == 'Initech, "The Good Place"'  # quoted commas and quotes
    assert zoe.job_title == "Director, Platform & Data"
    jose = people["José Núñez"]
    assert ("email", "jose.nunez@example.com") in [(m.kind, m.value) for m in jose.methods]
    assert [(s.line, s.hidden) for s in result.skipped] == [(8, True), (11, True)]
    assert result.problems == []


def test_linkedin_old_layout_without_url_or_preamble():
    result = linkedin.load(fixture("linkedin/Connections-old.csv"))
    helen = by_name(result)["Helen Okafor"]
    assert helen.line == 2
    assert helen.job_title == "Professor, Distributed Systems"
    assert [(m.kind, m.value) for m in helen.methods] == [("email", "h.okafor@northfield.example")]
    assert all(m.kind != "linkedin" for r in result.records for m in r.methods)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08 Feb 2026", date(2026, 2, 8)),
        ("8 February 2026", date(2026, 2, 8)),
        ("2026-02-08", date(2026, 2, 8)),
        ("2/8/26", date(2026, 2, 8)),
        ("02/08/2026, 10:15 AM", date(2026, 2, 8)),
        ("31 Feb 2026", None),
        ("08 Foo 2026", None),
    ],
)
def test_linkedin_dates(text, expected):
    assert linkedin.parse_date(text) == expected


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad/linkedin-stray-comma.csv", 3, "8 cells where the header has 7"),
        ("bad/linkedin-bad-date.csv", 7, "can't read the date '31 Foo 2020'"),
    ],
)
def test_linkedin_malformed_rows_name_their_line(name, line, message):
    path = fixture(name)
    with pytest.raises(InvalidInput) as exc:
        linkedin.load(path)
    assert str(exc.value).startswith(f"{path}:{line}: ")
    assert message in str(exc.value)


def test_linkedin_header_is_searched_for_and_other_formats_are_named():
    with pytest.raises(InvalidInput, match="no LinkedIn header"):
        linkedin.parse(b"Name,Phone\nAna,123\n", "x.csv")
    with pytest.raises(InvalidInput, match="looks like a Google Contacts CSV"):
        linkedin.load(fixture("google/contacts.csv"))
    with pytest.raises(InvalidInput, match="looks like a vCard"):
        linkedin.load(fixture("vcard/apple.vcf"))
    # a preamble of any length up to the limit is fine: the header is found, not counted
    text = 'Notes:\n"one\n\ntwo, three"\n\n\n' + "First Name,Last Name,Connected On\nAna,Silva,\n"
    assert linkedin.parse(text, "x.csv").records[0].line == 8
    assert by_name(linkedin.parse(text, "x.csv"))["Ana Silva"].met_on is None


def test_linkedin_row_without_name_but_with_data_is_skipped_not_hidden():
    text = "First Name,Last Name,Company,Connected On\n,,Acme,08 Feb 2026\n"
    result = linkedin.parse(text, "x.csv")
    assert result.records == []
    assert [(s.reason, s.hidden) for s in result.skipped] == [("no name", False)]


# --------------------------------------------------------------------------- Google


def test_google_multi_values_labels_and_multiline_notes():
    result = google.load(fixture("google/contacts.csv"))
    people = by_name(result)
    ana = people["Ana Maria Silva"]
    assert ana.categories == ["Friends", "Former colleagues"]  # `* myContacts` dropped
    assert ana.notes == "Met at Acme, 2019.\nLikes ramen; hates mornings."
    assert (ana.job_title, ana.company, ana.location) == (
        "Head of Product",
        "Globex",
        "Lisboa, Portugal",
    )
    assert [(m.kind, m.value, m.label) for m in ana.methods] == [
        ("email", "ana.silva@globex.example", "work"),
        ("email", "ana@silva.example", "work"),
        ("email", "ana.personal@mail.example", "home"),
        ("phone", "+351 912 345 678", "mobile"),
        ("linkedin", "https://www.linkedin.com/in/ana-silva-pm", "profile"),
    ]
    jurgen = people["Jürgen Groß"]
    assert jurgen.company == "Müller & Söhne, GmbH"
    assert jurgen.categories == ["Investors"]  # `* starred` is Google's too
    phones = [(m.value, m.label) for m in jurgen.methods if m.kind == "phone"]
    assert phones == [("+49 30 1234567", "work"), ("+49 170 1234567", "mobile")]
    assert [m.primary for m in jurgen.methods if m.kind == "email"] == [True]  # "* Work"
    assert ("github", "https://github.com/jgross") in [(m.kind, m.value) for m in jurgen.methods]
    li = people["Li Wei"]
    assert [(m.kind, m.value) for m in li.methods] == [("other", "li wei at example dot com")]
    assert [(p.line, "not a valid email" in p.message) for p in result.problems] == [(6, True)]
    assert [(s.line, s.reason) for s in result.skipped] == [(7, "no name (only Acme Support)")]
    assert result.ignored == {"Relation 1": 4, "Birthday": 1}


def test_google_old_layout_by_header_names():
    result = google.load(fixture("google/contacts-old.csv"))
    helen = by_name(result)["Helen Okafor"]
    assert (helen.job_title, helen.company) == ("Professor", "Northfield University")
    assert helen.categories == ["Mentors"]
    assert [(m.kind, m.label, m.primary) for m in helen.methods] == [
        ("email", "work", True),
        ("phone", "work", False),
    ]


def test_google_columns_found_by_name_not_position():
    text = "Notes,Labels,E-mail 1 - Value,Last Name,First Name\nhi,Friends,a@b.example,Silva,Ana\n"
    ana = by_name(google.parse(text, "x.csv"))["Ana Silva"]
    assert (ana.notes, ana.categories) == ("hi", ["Friends"])
    assert [m.value for m in ana.methods] == ["a@b.example"]


def test_google_unterminated_quote_names_the_line():
    path = fixture("bad/google-unterminated.csv")
    with pytest.raises(InvalidInput, match=rf"^{path}:3: malformed CSV"):
        google.load(path)


# --------------------------------------------------------------------------- vCard


def test_vcard_apple_quirks():
    result = vcard.load(fixture("vcard/apple.vcf"))
    people = by_name(result)
    ana = people["Ana Maria Silva"]
    assert ana.uid == "6F1C2B4A-9D3E-4E7B-8A51-0C9E2F3D4A10"
    assert ana.revised == datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
    assert (ana.job_title, ana.company, ana.location) == (
        "Head of Product",
        "Globex",
        "Lisboa, Portugal",
    )
    assert ana.notes == "Met at Acme, 2019.\nLikes ramen; hates mornings."
    assert ana.categories == ["Friends", "Former colleagues"]
    assert [(m.kind, m.value, m.label, m.primary) for m in ana.methods] == [
        ("email", "ana.silva@globex.example", "other", True),  # item1.X-ABLabel:_$!<Other>!$_
        ("email", "ana@silva.example", "home", False),
        ("phone", "+351 912 345 678", "cell", True),
        ("linkedin", "https://www.linkedin.com/in/ana-silva-pm", "LinkedIn", True),
        ("website", "https://ana.example", "homepage", False),
        ("x", "http://twitter.com/anasilva", "", False),
    ]
    jurgen = people["Jürgen Groß"]
    assert jurgen.company == "Müller & Söhne, GmbH"  # escaped comma, empty unit
    assert jurgen.job_title == "CTO; Co-founder"  # escaped semicolon
    # a folded line: the fold is undone without adding or losing a character
    assert "longer than seventy-five octets: Jürgen introduced" in jurgen.notes
    assert [(s.line, s.reason) for s in result.skipped] == [(42, "a group, not a person")]
    assert result.ignored == {"PHOTO": 1, "BDAY": 1, "X-ABUID": 1, "X-ABADR": 1}


def test_vcard_folder_like_khard_reads_only_vcf_files():
    result = vcard.load(fixture("vcard/khard"))
    people = by_name(result)
    assert set(people) == {"Priya Sharma", "Jonas Becker"}
    priya = people["Priya Sharma"]
    assert priya.source.endswith("3d2c4a8e-1f6b-4b7a-9c2d-8e5f0a1b2c3d.vcf")
    assert [(m.value, m.label, m.primary) for m in priya.methods] == [
        ("priya@acmerobotics.example", "work", True),  # PREF=1 beats PREF=2
        ("priya.sharma@mail.example", "home", False),
        ("+91-80-5550-1234", "cell", False),  # a tel: URI
    ]
    assert [m.kind for m in people["Jonas Becker"].methods] == ["email", "github"]


def test_vcard_folder_without_cards_says_so(tmp_path):
    (tmp_path / "default").mkdir()
    with pytest.raises(
        InvalidInput, match=r"no \.vcf files in this folder \(an address book inside it\? default\)"
    ):
        vcard.load(tmp_path)


def test_vcard_google_export_and_2_1_quoted_printable():
    helen = vcard.load(fixture("vcard/google.vcf")).records[0]
    assert helen.categories == ["Mentors"]  # Google's myContacts group dropped
    assert ("website", "http://helen.okafor.example") in [(m.kind, m.value) for m in helen.methods]
    jorg = vcard.load(fixture("vcard/outlook-2.1.vcf")).records[0]
    assert jorg.name == "Jörg Müller"
    assert jorg.notes == "First line\nSecond line that is long enough to need a soft line break"
    assert [(m.kind, m.label, m.primary) for m in jorg.methods] == [
        ("phone", "work", False),
        ("email", "", True),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("BEGIN:VCARD\nFN:Ana\nEND:VCARD\nBEGIN:VCARD\nFN:Bob\n", 4, "has no END:VCARD"),
        ("BEGIN:VCARD\nFN Ana\nEND:VCARD\n", 2, "no ':'"),
        ("FN:Ana\n", 1, "outside a BEGIN:VCARD"),
        ("BEGIN:VCARD\nBEGIN:VCARD\n", 2, "a new card begins"),
        ("END:VCARD\n", 1, "END:VCARD without"),
        ('BEGIN:VCARD\nEMAIL;TYPE="work:a@b.c\nEND:VCARD\n', 2, "never closed"),
        ("BEGIN:VCARD\nFN:Ana\nX-NETTERM-TIER:9\nEND:VCARD\n", 3, "tier"),
        ("BEGIN:VCARD\nFN:Ana\nX-NETTERM-TOUCH:a;b\nEND:VCARD\n", 3, "expected 10"),
        ("hello\n", 1, "outside a BEGIN:VCARD"),
    ],
)
def test_vcard_errors_name_their_line(text, line, message):
    with pytest.raises(InvalidInput) as exc:
        vcard.parse(text, "c.vcf")
    assert str(exc.value).startswith(f"c.vcf:{line}: "), str(exc.value)
    assert message in str(exc.value)


def test_vcard_organisation_cards_are_not_people():
    apple = "BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nFN:Acme Inc\nORG:Acme Inc;\nX-ABShowAs:COMPANY\nEND:VCARD\n"
    v4 = "BEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:Acme\nEND:VCARD\n"
    for text in (apple, v4):
        result = vcard.parse(text, "c.vcf")
        assert result.records == []
        assert [s.reason for s in result.skipped] == ["an organisation card, not a person"]


def test_vcard_quoted_parameters_and_rfc6868():
    text = (
        'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nEMAIL;TYPE="work,home";X-NOTE="a:b;c":a@b.example\r\n'
        "NOTE:x\r\nEND:VCARD\r\n"
    )
    ana = vcard.parse(text, "c.vcf").records[0]
    assert [(m.value, m.label) for m in ana.methods] == [("a@b.example", "work home")]


def test_vcard_fold_never_splits_a_character_and_unfolds_back():
    long = "NOTE:" + "Ünïcødé ✓ " * 30
    folded = vcard.fold(long)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long


def test_escape_and_unescape_are_inverse():
    text = 'a,b;c\\d\ne "f"'
    assert vcard.unescape(vcard.escape(text)) == text
    assert vcard.components("a\\;b;c\\,d") == ["a;b", "c,d"]


# --------------------------------------------------------------------------- JSON and text


def test_json_errors_name_the_contacts_line():
    path = fixture("bad/tier.json")
    with pytest.raises(InvalidInput) as exc:
        jsonfile.load(path)
    assert str(exc.value).startswith(f"{path}:9: contact 2: tier: ")
    with pytest.raises(InvalidInput, match=r"^x.json:3: not valid JSON"):
        jsonfile.parse('{\n "contacts": [\n  {"first_name": "Ana",}\n ]\n}', "x.json")
    with pytest.raises(InvalidInput, match="unknown field 'teir'"):
        jsonfile.parse('[{"first_name": "Ana", "teir": 1}]', "x.json")
    with pytest.raises(InvalidInput, match="newer netterm"):
        jsonfile.parse('{"format": "netterm", "version": 99, "contacts": []}', "x.json")
    with pytest.raises(InvalidInput, match="needs a name"):
        jsonfile.parse('[{"company": "Acme"}]', "x.json")


def test_json_accepts_a_hand_written_list():
    result = jsonfile.parse('[{"name": "Ana Maria Silva", "tier": "priority"}]', "x.json")
    ana = result.records[0]
    assert (ana.first_name, ana.last_name, ana.tier, ana.full) == ("Ana Maria", "Silva", 1, True)


def test_decode_boms_and_bad_bytes():
    assert decode("\ufeffabc".encode(), "f") == "abc"
    assert decode("abc".encode("utf-16"), "f") == "abc"
    with pytest.raises(InvalidInput, match=r"^f:2: not UTF-8 text \(byte 0xe9\)"):
        decode(b"ok\ncaf\xe9\n", "f")
    with pytest.raises(InvalidInput, match="NUL"):
        decode(b"a\x00b", "f")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.linkedin.com/in/ana", "linkedin"),
        ("linkedin.com/in/ana/", "linkedin"),
        ("https://www.linkedin.com/company/acme", "website"),
        ("https://github.com/ana", "github"),
        ("https://github.com/ana/repo", "website"),
        ("https://x.com/ana", "x"),
        ("https://mobile.twitter.com/ana", "x"),
        ("https://ana.example", "website"),
    ],
)
def test_url_kinds(url, kind):
    assert url_kind(url) == kind
