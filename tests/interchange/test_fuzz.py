"""Fuzzing every importer: any input gives records or one clear InvalidInput, never a traceback.

Through the service as well: an import of anything either succeeds with a true status
cache, or fails and leaves the database exactly as it was.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from conftest import fixture, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netterm.errors import InvalidInput
from netterm.interchange import google, jsonfile, linkedin, vcard
from netterm.interchange.records import ParseResult
from netterm.services import interchange as ix
from netterm.services import stats
from netterm.store import close_database, open_database

PARSERS = {
    "linkedin": linkedin.parse,
    "google": google.parse,
    "vcard": vcard.parse,
    "json": jsonfile.parse,
}
SAMPLES = {
    "linkedin": fixture("linkedin/Connections.csv"),
    "google": fixture("google/contacts.csv"),
    "vcard": fixture("vcard/apple.vcf"),
    "json": fixture("json/netterm.json"),
}
FAST = settings(max_examples=150, deadline=None)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def check(fmt: str, data) -> ParseResult | None:
    """Parse; an error must be InvalidInput naming the file, one printable line."""
    try:
        result = PARSERS[fmt](data, "fuzzed.file")
    except InvalidInput as exc:
        message = str(exc)
        assert message.startswith("fuzzed.file"), message
        assert not _CONTROL.search(message) and len(message) < 400, message
        return None
    assert isinstance(result, ParseResult)
    for record in result.records:
        assert record.first_name or record.last_name
    for problem in result.problems:
        assert not _CONTROL.search(str(problem))
    return result


def mutate(data: bytes, edits: list[tuple[int, bytes, int]]) -> bytes:
    out = bytearray(data)
    for position, insert, delete in edits:
        i = position % (len(out) + 1)
        out[i : i + delete] = insert
    return bytes(out)


interesting = st.sampled_from(
    [
        b'"',
        b",",
        b";",
        b":",
        b"\\",
        b"\r\n",
        b"\n",
        b" ",
        b"=",
        b"\x00",
        b"\xff",
        b"\xc3",
        b" ::: ",
        b"BEGIN:VCARD\r\n",
        b"END:VCARD\r\n",
        b"{",
        b"}",
        b"[",
        b"]",
        b"null",
        b"-1",
        b"\xef\xbb\xbf",
    ]
) | st.binary(max_size=4)
edits = st.lists(
    st.tuples(st.integers(0, 10**6), interesting, st.integers(0, 6)), min_size=1, max_size=6
)


@pytest.mark.parametrize("fmt", PARSERS)
@FAST
@given(data=st.binary(max_size=600))
def test_any_bytes(fmt, data):
    check(fmt, data)


@pytest.mark.parametrize("fmt", PARSERS)
@FAST
@given(data=st.text(max_size=600))
def test_any_text(fmt, data):
    check(fmt, data)


@pytest.mark.parametrize("fmt", PARSERS)
@FAST
@given(changes=edits)
def test_damaged_real_files(fmt, changes):
    check(fmt, mutate(SAMPLES[fmt].read_bytes(), changes))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
contact_fields = [*sorted(jsonfile.CONTACT_KEYS), "bogus"]


@FAST
@given(
    contacts=st.lists(
        st.dictionaries(
            st.sampled_from(contact_fields),
            json_values
            | st.sampled_from(["2026-01-01", "2026-01-01T10:00:00Z", "Ana", 1, "coffee"]),
            max_size=6,
        ),
        max_size=3,
    )
)
def test_json_of_any_shape(contacts):
    import json

    check("json", json.dumps({"format": "netterm", "version": 1, "contacts": contacts}))


vcard_names = st.sampled_from(
    [
        "FN",
        "N",
        "ORG",
        "TITLE",
        "ROLE",
        "EMAIL",
        "TEL",
        "URL",
        "IMPP",
        "NOTE",
        "CATEGORIES",
        "ADR",
        "UID",
        "REV",
        "KIND",
        "X-SOCIALPROFILE",
        "item1.X-ABLABEL",
        "item1.EMAIL",
        "PHOTO",
        "X-NETTERM-ID",
        "X-NETTERM-TIER",
        "X-NETTERM-CADENCE",
        "X-NETTERM-CREATED",
        "X-NETTERM-UPDATED",
        "X-NETTERM-TOUCH",
        "X-NETTERM-JOB",
        "X-NETTERM-FOLLOW-UP",
        "X-NETTERM-MET-ON",
        "X-NETTERM-OTHER",
    ]
)
vcard_params = st.lists(
    st.sampled_from(
        [
            ";TYPE=work",
            ";TYPE=pref",
            ";PREF=1",
            ";PREF=x",
            ';TYPE="a,b"',
            ";ENCODING=QUOTED-PRINTABLE",
            ";CHARSET=latin-1",
            ";CHARSET=nope",
            ";VALUE=uri",
            ";WORK",
        ]
    ),
    max_size=2,
).map("".join)
vcard_values = st.text(max_size=30) | st.sampled_from(
    [
        "Silva;Ana;;;",
        "a@b.example",
        "tel:+1 555 0100",
        "2026-01-01T10:00:00Z",
        "20260101",
        "3",
        "2026-01-01T10:00:00+00:00;2026-01-01;coffee;mutual;1;0;;none;;note",
        "t;c;;2026-01-01;linkedin;",
        "2026-01-01;;;text",
        "group",
        "=C3=A9",
    ]
)


@FAST
@given(
    cards=st.lists(
        st.lists(st.tuples(vcard_names, vcard_params, vcard_values), max_size=8),
        min_size=1,
        max_size=3,
    )
)
def test_vcards_of_any_shape(cards):
    text = ""
    for props in cards:
        text += "BEGIN:VCARD\r\nVERSION:4.0\r\n"
        for name, params, value in props:
            text += (
                vcard.fold(f"{name}{params}:{value.replace(chr(13), '').replace(chr(10), ' ')}")
                + "\r\n"
            )
        text += "END:VCARD\r\n"
    check("vcard", text)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(fmt=st.sampled_from(sorted(PARSERS)), changes=edits)
def test_an_import_of_anything_is_all_or_nothing(fmt, changes):
    """Damaged files through the whole service, into a network that has people."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "n.db"
        open_database(db)
        try:
            ix.import_file(fixture("linkedin/Connections.csv"), "linkedin")
            ix.import_file(fixture("google/contacts.csv"), "google")
            before = snapshot(db)
            path = folder / f"damaged.{fmt}"
            path.write_bytes(mutate(SAMPLES[fmt].read_bytes(), changes))
            try:
                summary = ix.import_file(path, fmt)
            except InvalidInput as exc:
                assert str(exc).startswith(str(path)), str(exc)
                assert snapshot(db) == before
            else:
                assert summary.total >= 0
                assert stats.stale() == []
        finally:
            close_database()
