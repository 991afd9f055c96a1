"""Hostile input: whatever a user types (or pastes), netterm answers with a result or a
clear netterm error, never a traceback, and a refused write leaves the database as it was.

Text typed by a user is stored as typed minus control characters, and printed
literally: Rich/Textual markup stays text, terminal escapes never reach the terminal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date

import pendulum
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as hs
from safety_kit import call

from netterm.core.dates import parse_date, parse_when
from netterm.core.kinds import METHOD_KINDS, TOUCH_KINDS
from netterm.core.names import Candidate, clean, fold, join_name, rank_matches, split_name
from netterm.core.query import parse_query
from netterm.core.validate import normalize_method
from netterm.errors import InvalidInput, NetTermError

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --------------------------------------------------------------------------- strategies

#: Text with what hurts: control characters, escapes, markup, quotes, odd Unicode.
NASTY = (
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x9b31m",
    "\x00",
    "\r",
    "\t",
    "\n",
    "\u202e",
    "\ufeff",
    "[bold]",
    "[/]",
    "[@click=app.quit]",
    "[link=https://evil.example]",
    "${HOME}",
    "'; DROP TABLE contact; --",
    '"',
    "#",
    "#1",
    ":",
    "-",
    "🙂",
    "é",
    "ß",
    "İ",
    "\u0301",
    " ",
)
nasty_text = hs.lists(hs.one_of(hs.sampled_from(NASTY), hs.text(max_size=6)), max_size=8).map(
    "".join
)
numbers = hs.one_of(
    hs.integers(0, 40).map(str),
    hs.integers(0, 10**30).map(str),
    hs.sampled_from(["a", "an", "one", "twelve", "a couple of", "few", "-1", "0x1f"]),
)
units = hs.sampled_from(["d", "day", "days", "w", "weeks", "mo", "months", "y", "years", "yrs"])
words = hs.sampled_from(
    ["last", "next", "this", "on", "in", "ago", "friday", "thu", "sept", "dec", "february"]
)
date_phrases = hs.one_of(
    nasty_text,
    hs.builds(lambda n, u: f"{n} {u} ago", numbers, units),
    hs.builds(lambda n, u: f"in {n} {u}", numbers, units),
    hs.builds(lambda s, n, u: f"{s}{n}{u}", hs.sampled_from(["", "+", "-"]), numbers, units),
    hs.builds(lambda a, b: f"{a} {b}", words, words),
    hs.builds(
        lambda y, m, d, sep: f"{y}{sep}{m}{sep}{d}",
        hs.integers(0, 99999),
        hs.integers(0, 99),
        hs.integers(0, 99),
        hs.sampled_from("-/."),
    ),
    hs.builds(
        lambda d, m, y: f"{d} {m} {y}".strip(),
        hs.integers(0, 40),
        words,
        hs.sampled_from(["", "0", "2026", "9999", "10000"]),
    ),
    hs.builds(
        lambda y, mo, d, h, mi: f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}",
        hs.integers(0, 9999),
        hs.integers(0, 13),
        hs.integers(0, 32),
        hs.integers(0, 25),
        hs.integers(0, 61),
    ),
)
zones = hs.sampled_from(["Europe/Lisbon", "America/Los_Angeles", "Pacific/Kiritimati", "UTC"])
todays = hs.dates(min_value=date(1971, 1, 1), max_value=date(2199, 12, 31))


# --------------------------------------------------------------------------- pure parsers


@FUZZ
@given(text=date_phrases, today=todays, prefer=hs.sampled_from(["past", "future"]))
def test_any_date_phrase_is_a_date_or_a_clear_error(text, today, prefer):
    try:
        result = parse_date(text, today, prefer=prefer)
    except InvalidInput as exc:
        assert exc.field == "date" and exc.message
        return
    assert isinstance(result, date)


@FUZZ
@given(text=hs.one_of(hs.none(), date_phrases), zone=zones, today=todays)
@example(text="9999-12-31T23:59", zone="America/Los_Angeles", today=date(2026, 11, 26))
@example(text="0001-01-01", zone="Pacific/Kiritimati", today=date(2026, 11, 26))
def test_any_touch_time_is_an_aware_instant_or_a_clear_error(text, zone, today):
    now = pendulum.datetime(today.year, today.month, today.day, 9, 30, tz=zone)
    try:
        when = parse_when(text, now)
    except InvalidInput as exc:
        assert exc.field == "date"
        return
    assert when.tzinfo is not None
    when.in_tz("UTC").isoformat()  # storable


query_tokens = hs.one_of(
    nasty_text,
    hs.builds(
        lambda neg, key, value: f"{neg}{key}:{value}",
        hs.sampled_from(["", "-"]),
        hs.sampled_from(
            ["is", "tier", "cat", "company", "co", "title", "name", "met", "note", "x"]
        ),
        hs.one_of(nasty_text, hs.sampled_from(["overdue", "o", "due", "1", "untracked", '"a b'])),
    ),
)
queries = hs.lists(query_tokens, max_size=5).map(" ".join)


@FUZZ
@given(text=queries)
def test_any_query_parses_or_fails_clearly(text):
    try:
        q = parse_query(text)
    except InvalidInput as exc:
        assert exc.field in ("is", "tier")
        return
    assert isinstance(q.wants_archived, bool)


@FUZZ
@given(text=nasty_text, names=hs.lists(nasty_text, max_size=6))
def test_name_matching_never_fails(text, names):
    assert CONTROL.search(clean(text)) is None
    assert clean(clean(text)) == clean(text)
    first, last = split_name(text)
    assert CONTROL.search(first + last) is None
    fold(text)
    candidates = [Candidate(i, n, "", ()) for i, n in enumerate(names)]
    found = rank_matches(text, candidates)
    assert all(c in candidates for c in found)
    join_name(first, last)


@FUZZ
@given(kind=hs.one_of(hs.sampled_from(sorted(METHOD_KINDS)), nasty_text), value=nasty_text)
def test_any_contact_method_is_normalised_or_refused(kind, value):
    try:
        k, v = normalize_method(kind, value)
    except InvalidInput as exc:
        assert exc.message
        return
    assert k in METHOD_KINDS and v.strip() == v and v


# --------------------------------------------------------------------------- services


def snapshot(path) -> str:
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


methods = hs.lists(
    hs.tuples(hs.one_of(hs.sampled_from(sorted(METHOD_KINDS)), nasty_text), nasty_text), max_size=3
)
contact_fields = hs.fixed_dictionaries(
    {},
    optional={
        "company": nasty_text,
        "job_title": nasty_text,
        "location": nasty_text,
        "how_met": nasty_text,
        "notes": nasty_text,
        "looking_for": nasty_text,
        "tier": hs.one_of(hs.none(), hs.integers(-2, 5), nasty_text),
        "cadence_days": hs.one_of(hs.none(), hs.integers(-5, 5000), nasty_text),
        "met_on": hs.one_of(hs.none(), date_phrases),
        "categories": hs.lists(nasty_text, max_size=3),
        "methods": methods,
    },
)


def expected_text(field: str, value: str) -> str:
    if field in ("notes", "how_met", "looking_for"):
        return "\n".join(clean(line) for line in value.replace("\r\n", "\n").split("\n")).strip()
    return " ".join(clean(value).split())


def assert_no_control(detail) -> None:
    for value in (
        detail.first_name,
        detail.last_name,
        detail.job_title,
        detail.company,
        detail.location,
        *detail.categories,
        *(m.value for m in detail.methods),
        *(m.label for m in detail.methods),
    ):
        assert CONTROL.search(value) is None, repr(value)
    for value in (detail.notes, detail.how_met, detail.looking_for):
        assert CONTROL.search(value.replace("\n", "").replace("\t", "")) is None, repr(value)


@FUZZ
@given(name=nasty_text, fields=contact_fields)
def test_adding_any_contact_succeeds_whole_or_changes_nothing(db, name, fields):
    from netterm import services
    from netterm.services import stats

    before = snapshot(db)
    try:
        cid = services.add_contact(name, **fields)
    except NetTermError as exc:
        assert str(exc)
        assert snapshot(db) == before
        return
    detail = services.get_contact(cid)
    assert detail.name == join_name(*split_name(name))
    for field in ("company", "job_title", "location", "how_met", "notes", "looking_for"):
        if field in fields:
            assert getattr(detail, field) == expected_text(field, fields[field])
    assert_no_control(detail)
    assert stats.stale() == []


@FUZZ
@given(changes=contact_fields, name=hs.one_of(hs.none(), nasty_text))
def test_editing_with_any_values_succeeds_whole_or_changes_nothing(db, changes, name):
    from netterm import services
    from netterm.services import stats

    cid = services.add_contact("Ana Silva", tier=1, company="Acme")
    if name is not None:
        changes = {**changes, "name": name}
    assume(changes)
    before = snapshot(db)
    try:
        services.update_contact(cid, **changes)
    except NetTermError:
        assert snapshot(db) == before
        return
    assert_no_control(services.get_contact(cid))
    assert stats.stale() == []


@FUZZ
@given(
    kind=hs.one_of(hs.sampled_from(sorted(TOUCH_KINDS)), nasty_text),
    when=hs.one_of(hs.none(), date_phrases),
    note=nasty_text,
    direction=hs.one_of(hs.none(), hs.sampled_from(["in", "out", "mutual"]), nasty_text),
    value=hs.one_of(hs.none(), hs.sampled_from(["gave", "received", "none"]), nasty_text),
    awaiting=hs.booleans(),
)
def test_logging_any_touch_succeeds_whole_or_changes_nothing(
    db, kind, when, note, direction, value, awaiting
):
    from netterm import services
    from netterm.services import stats

    cid = services.add_contact("Bruno Costa", tier=2)
    before = snapshot(db)
    try:
        touch = services.log_touch(
            cid,
            kind,
            when,
            note=note,
            direction=direction,
            value=value,
            awaiting_reply=awaiting,
        )
    except NetTermError:
        assert snapshot(db) == before
        return
    assert touch.note == "\n".join(clean(line) for line in note.splitlines()).strip()
    services.get_contact(cid)  # the detail screen can show it
    services.triage()
    assert stats.stale() == []


@FUZZ
@given(query=queries, who=nasty_text)
def test_any_search_or_name_gives_rows_or_a_clear_error(db, query, who):
    from netterm import services

    if not services.load_network().rows:
        for name in ("Ana Silva", "[bold]Ana[/bold]", "José Núñez", "Ana Sousa", "O'Brien"):
            services.add_contact(name, tier=1, company="Acme [red]x[/red]")
    network = services.load_network()
    try:
        rows = services.search(network, query)
        assert all(r in network.rows for r in rows)
    except InvalidInput:
        pass
    try:
        services.resolve(who)
    except NetTermError as exc:
        assert str(exc)


# --------------------------------------------------------------------------- printed literally


@pytest.fixture
def cli(tmp_path, capsys):
    path = tmp_path / "cli.db"

    def invoke(*args: str) -> tuple[int, str, str]:
        return call(capsys, path, *args)

    invoke.path = path
    return invoke


NAME = "[bold]Ana[/bold] [@click=app.quit]Silva\x1b[2J\x07"
STORED = "[bold]Ana[/bold] [@click=app.quit]Silva[2J"


def test_markup_and_escapes_are_stored_as_typed_minus_controls_and_printed_literally(cli):
    code, out, err = cli(
        "add",
        NAME,
        "--company",
        "[red]Evil[/red] Corp\x1b]0;pwned\x07",
        "--notes",
        "line one\n\x1b[31mred?\x1b[0m [link=https://x.example]click[/link]",
        "--tier",
        "1",
    )
    assert code == 0, err
    code, out, _ = cli("log", "coffee", "#1", "--note", "[@click=app.quit] \x1b[1;1H\x1b[2Jcleared")
    assert code == 0
    code, out, _ = cli("show", "#1", "--json")
    data = json.loads(out)
    assert data["name"] == STORED
    assert data["company"] == "[red]Evil[/red] Corp]0;pwned"
    assert data["notes"] == "line one\n[31mred?[0m [link=https://x.example]click[/link]"
    assert data["touches"][0]["note"] == "[@click=app.quit] [1;1H[2Jcleared"
    for args in (("show", "#1"), ("list",), ("due",), ("list", "--json"), ("follow-ups",)):
        code, out, err = cli(*args)
        assert code == 0, err
        assert CONTROL.search(out.replace("\n", "")) is None, (args, out)
    assert STORED in cli("show", "#1")[1]
    assert "[@click=app.quit] [1;1H[2Jcleared" in cli("show", "#1")[1]


def test_control_characters_already_in_the_file_never_reach_the_terminal(cli):
    """Even text written by something else (an old version, a hand edit) prints safely."""
    assert cli("add", "Ana Silva", "--tier", "1")[0] == 0
    con = sqlite3.connect(cli.path)
    con.execute(
        "UPDATE contact SET last_name = ?, company = ?, notes = ? WHERE id = 1",
        ("Silva\x1b[2J", "Acme\x9b31m", "a\x1b]0;x\x07b"),
    )
    con.commit()
    con.close()
    for args in (("show", "#1"), ("list",), ("due",), ("show", "#1", "--all")):
        code, out, err = cli(*args)
        assert code == 0, err
        assert CONTROL.search(out.replace("\n", "")) is None, (args, out)


def test_a_name_of_only_control_characters_is_refused(cli):
    code, _, err = cli("add", "\x1b\x07\x00\x1f")
    assert code == 1
    assert err == "netterm: error: name: a contact needs a name\n"


@pytest.mark.parametrize("who", ["\x1b[2J", "\u0301", "\x07\x07", "[@click=app.quit]"])
def test_a_hostile_name_to_find_is_a_clean_one_line_error(cli, who):
    assert cli("add", "Ana Silva")[0] == 0
    code, out, err = cli("log", "coffee", who)
    assert code == 1 and out == ""
    assert err.startswith("netterm: error: who: ") or err.startswith("netterm: error: no ")
    assert CONTROL.search(err.rstrip("\n")) is None and err.count("\n") == 1
