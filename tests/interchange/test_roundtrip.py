"""Export → import loses nothing: any contact survives JSON and vCard, byte for byte."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netterm.core.kinds import DIRECTIONS, METHOD_KINDS, TOUCH_KINDS, VALUES
from netterm.interchange import jsonfile, vcard
from netterm.interchange.records import (
    ContactRecord,
    FollowUpRecord,
    JobRecord,
    MethodRecord,
    ParseResult,
    TouchRecord,
)
from netterm.services import interchange as ix
from netterm.services import stats
from netterm.services.demo import generate
from netterm.store import close_database, open_database

# any text a user could type or a file could hold: every script, punctuation that vCard
# and CSV escape, backslashes, line breaks and control characters (netterm drops those)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
line = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=25)
name = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    str.strip
)
days = st.dates(date(1950, 1, 1), date(2030, 12, 31))
instants = st.datetimes(
    datetime(1970, 1, 2),
    datetime(2030, 12, 31),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
    ),
)
maybe = st.none() | st.just(None)


def method_values(kind: str):
    samples = {
        "email": st.from_regex(
            r"[a-z0-9._%+-]{1,10}@[a-z0-9-]{1,8}\.(com|pt|example)", fullmatch=True
        ),
        "phone": st.from_regex(r"\+[1-9][0-9]{1,2} [0-9]{3} [0-9]{3,6}", fullmatch=True),
        "linkedin": st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True),
        "website": st.from_regex(r"https://[a-z]{1,8}\.example/[a-z]{0,5}", fullmatch=True),
        "x": st.from_regex(r"@[a-z0-9_]{1,10}", fullmatch=True),
        "github": st.from_regex(r"@[a-z0-9]{1,10}", fullmatch=True),
        "mastodon": st.from_regex(r"@[a-z]{1,8}@[a-z]{1,8}\.social", fullmatch=True),
        "other": line.filter(str.strip),
    }
    return samples[kind] | line.filter(str.strip)  # and values that are not valid at all


methods = st.sampled_from(METHOD_KINDS).flatmap(
    lambda kind: st.builds(
        MethodRecord,
        kind=st.just(kind),
        value=method_values(kind),
        label=st.sampled_from(["", "work", "home", "cell", "Mobile", "pref", "x"]) | line,
        primary=st.booleans(),
    )
)
touches = st.builds(
    TouchRecord,
    occurred_at=instants,
    occurred_on=st.dates(date(1950, 1, 1), date(2026, 11, 26)),  # happened: not after today
    kind=st.sampled_from(list(TOUCH_KINDS)),
    direction=st.sampled_from(DIRECTIONS),
    in_person=st.booleans(),
    awaiting_reply=st.booleans(),
    replied_at=st.none() | instants,
    value=st.sampled_from(VALUES),
    note=text,
    created_at=instants,
)
jobs = st.builds(
    JobRecord,
    title=line,
    company=line,
    started_on=st.none() | days,
    ended_on=st.none() | days,
    source=st.sampled_from(["manual", "linkedin", "audit"]),
    recorded_at=instants,
)
follow_ups = st.builds(
    FollowUpRecord,
    due_on=days,
    text=line.filter(str.strip),
    done_at=st.none() | instants,
    created_at=instants,
)
contacts = st.builds(
    ContactRecord,
    first_name=name,
    last_name=st.just("") | name,
    previous_names=st.just("") | line,
    job_title=line,
    company=line,
    location=line,
    how_met=text,
    met_on=st.none() | days,
    notes=text,
    looking_for=text,
    methods=st.lists(methods, max_size=4),
    categories=st.lists(line, max_size=3),
    full=st.just(True),
    tier=st.sampled_from([None, 1, 2, 3]),
    cadence_days=st.none() | st.integers(1, 3650),
    tracked_since=st.none() | days,
    paused_until=st.none() | days,
    awaiting_inbound_since=st.none() | days,
    archived_at=st.none() | instants,
    reviewed_at=st.none() | instants,
    job_changed_at=st.none() | instants,
    created_at=instants,
    revised=instants,
    jobs=st.lists(jobs, max_size=2),
    touches=st.lists(touches, max_size=4),
    follow_ups=st.lists(follow_ups, max_size=2),
)


def fresh(folder: Path, label: str) -> None:
    close_database()
    open_database(folder / f"{label}.db")


def import_records(records, fmt="json", categories=()):
    summary = ix.import_records(ParseResult("f", fmt, list(records), categories=list(categories)))
    assert stats.stale() == []
    return summary


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(people=st.lists(contacts, min_size=1, max_size=3))
def test_any_contact_round_trips_through_json_and_vcard(people):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # the network as netterm stores these people (normalised once, on the way in)
        fresh(folder, "a")
        written = jsonfile.dump(people, "2026-11-26T12:00:00+00:00", [])
        import_records(jsonfile.parse(written, "people.json").records)
        stored = ix.export_records()
        as_json = jsonfile.dump(stored, "2026-11-26T12:00:00+00:00", ix._all_categories())
        as_vcard = "".join(vcard.dump(stored, ix.PRODID))

        fresh(folder, "from-json")
        parsed = jsonfile.parse(as_json, "export.json")
        summary = import_records(parsed.records, categories=parsed.categories)
        assert summary.problems == []
        assert ix.export_records() == stored
        again = jsonfile.dump(
            ix.export_records(), "2026-11-26T12:00:00+00:00", ix._all_categories()
        )
        assert again == as_json

        fresh(folder, "from-vcard")
        parsed = vcard.parse(as_vcard, "export.vcf")
        assert parsed.problems == [] and parsed.skipped == []
        import_records(parsed.records, "vcard")
        assert ix.export_records() == stored
        assert "".join(vcard.dump(ix.export_records(), ix.PRODID)) == as_vcard

        # and into the network it came from: nothing to do
        fresh(folder, "a")
        for data, fmt in ((as_json, "json"), (as_vcard, "vcard")):
            reader = jsonfile if fmt == "json" else vcard
            summary = import_records(reader.parse(data, "f").records, fmt)
            assert (summary.added, summary.updated) == (0, 0)
        close_database()


def test_the_demo_network_round_trips(tmp_path):
    open_database(tmp_path / "demo.db")
    generate(size=120, seed=7)
    stored = ix.export_records()
    json_text, _ = ix.render("json")
    vcard_text, _ = ix.render("vcard")
    assert sum(len(r.touches) for r in stored) > 500
    for fmt, data in (("json", json_text), ("vcard", vcard_text)):
        close_database()
        open_database(tmp_path / f"{fmt}.db")
        path = tmp_path / f"export.{fmt}"
        path.write_text(data, encoding="utf-8", newline="")
        summary = ix.import_file(path, fmt)
        assert summary.added == 120 and summary.problems == []
        assert ix.export_records() == stored
        assert stats.stale() == []
    close_database()


def test_contacts_made_through_the_services_round_trip_exactly(tmp_path):
    """Whatever the app stores (not only what an import stores) comes back the same."""
    from netterm import services as svc

    open_database(tmp_path / "a.db")
    cid = svc.add_contact(
        "Ana  Maria Silva",
        notes="first  line\n   indented line\n\nlast",
        looking_for="a  staff engineer",
        how_met="PyCon,  2023",
        categories=["former  colleagues"],
    )
    svc.add_method(cid, "other", "signal:  +351 912", label="  home  office  ")
    svc.log_touch(cid, "coffee", "yesterday", note="talked  about\n  the move")
    svc.add_follow_up(cid, "tomorrow", "send  the deck")
    svc.record_job_change(cid, "Head  of Product", "Globex", source="linkedin")
    stored = ix.export_records()
    json_text, _ = ix.render("json")
    vcard_text, _ = ix.render("vcard")
    for fmt, data in (("json", json_text), ("vcard", vcard_text)):
        close_database()
        open_database(tmp_path / f"{fmt}.db")
        path = tmp_path / f"export.{fmt}"
        path.write_text(data, encoding="utf-8", newline="")
        ix.import_file(path, fmt)
        assert ix.export_records() == stored, fmt
    close_database()
