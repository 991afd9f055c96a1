"""Dates people type, names, validation and the filter language: pure functions."""

from __future__ import annotations

from datetime import date

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from netterm.core import status as st
from netterm.core.dates import ago, cadence_phrase, due_phrase, parse_date, parse_when, short_date
from netterm.core.kinds import resolve_kind, resolve_tier
from netterm.core.names import Candidate, fold, rank_matches, split_name
from netterm.core.query import parse_query, tokenize
from netterm.core.validate import normalize_method
from netterm.errors import InvalidInput

THU = date(2026, 11, 26)  # a Thursday


class TestParseDate:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("today", THU),
            ("Yesterday", date(2026, 11, 25)),
            ("tomorrow", date(2026, 11, 27)),
            ("3 days ago", date(2026, 11, 23)),
            ("a week ago", date(2026, 11, 19)),
            ("2 weeks ago", date(2026, 11, 12)),
            ("one month ago", date(2026, 10, 26)),
            ("a couple of days ago", date(2026, 11, 24)),
            ("1 year ago", date(2025, 11, 26)),
            ("3d", date(2026, 11, 23)),
            ("-2w", date(2026, 11, 12)),
            ("last friday", date(2026, 11, 20)),
            ("friday", date(2026, 11, 20)),
            ("thursday", THU),
            ("last thursday", date(2026, 11, 19)),
            ("last thu", date(2026, 11, 19)),
            ("next monday", date(2026, 11, 30)),
            ("last week", date(2026, 11, 19)),
            ("last month", date(2026, 10, 26)),
            ("2026-11-20", date(2026, 11, 20)),
            ("2026/11/20", date(2026, 11, 20)),
            ("20 Nov", date(2026, 11, 20)),
            ("Nov 20", date(2026, 11, 20)),
            ("20 November 2025", date(2025, 11, 20)),
            ("November 20, 2025", date(2025, 11, 20)),
            ("3rd aug", date(2026, 8, 3)),
            ("30 dec", date(2025, 12, 30)),  # without a year: the last one
            ("in 2 weeks", date(2026, 12, 10)),
        ],
    )
    def test_phrases(self, text, expected):
        assert parse_date(text, THU) == expected

    def test_future_preference_for_planning(self):
        assert parse_date("friday", THU, prefer="future") == date(2026, 11, 27)
        assert parse_date("30 dec", THU, prefer="future") == date(2026, 12, 30)
        assert parse_date("3d", THU, prefer="future") == date(2026, 11, 29)

    def test_month_arithmetic_clamps(self):
        assert parse_date("1 month ago", date(2026, 3, 31)) == date(2026, 2, 28)

    def test_leap_day(self):
        assert parse_date("29 feb", date(2026, 11, 26)) == date(2024, 2, 29)
        assert parse_date("29 feb", date(2026, 11, 26), prefer="future") == date(2028, 2, 29)
        assert parse_date("1 year ago", date(2028, 2, 29)) == date(2027, 2, 28)
        with pytest.raises(InvalidInput, match="not a real date"):
            parse_date("2026-02-29", THU)

    @pytest.mark.parametrize(
        "text", ["", "blah", "next blursday", "2026-13-01", "32 jan", "3 fortnights ago"]
    )
    def test_errors_name_the_text(self, text):
        with pytest.raises(InvalidInput) as exc:
            parse_date(text, THU)
        assert exc.value.field == "date"
        if text:
            assert text in str(exc.value)

    @given(hs.text(max_size=40))
    def test_any_text_parses_or_fails_clearly(self, text):
        try:
            result = parse_date(text, THU)
        except InvalidInput:
            return
        assert isinstance(result, date)

    def test_parse_when_date_only_is_noon_local(self):
        now = pendulum.datetime(2026, 11, 26, 9, 15, tz="Europe/Lisbon")
        when = parse_when("yesterday", now)
        assert (when.date(), when.hour) == (date(2026, 11, 25), 12)
        assert parse_when(None, now) == now
        assert parse_when("now", now) == now
        exact = parse_when("2026-11-20T18:30", now)
        assert (exact.hour, exact.minute, exact.timezone_name) == (18, 30, "Europe/Lisbon")

    def test_parse_when_across_dst(self):
        now = pendulum.datetime(2026, 10, 26, 9, 0, tz="Europe/Lisbon")  # day after DST ends
        assert parse_when("2 days ago", now).date() == date(2026, 10, 24)


class TestDisplay:
    def test_short_date(self):
        assert short_date(date(2026, 8, 3), THU) == "3 Aug"
        assert short_date(date(2025, 8, 3), THU) == "3 Aug 2025"

    @pytest.mark.parametrize(
        ("days", "text"),
        [
            (0, "today"),
            (1, "yesterday"),
            (3, "3 days ago"),
            (16, "2 weeks ago"),
            (92, "3 months ago"),
            (400, "1 year ago"),
            (800, "2 years ago"),
            (-5, "in 5 days"),
        ],
    )
    def test_ago(self, days, text):
        assert ago(date.fromordinal(THU.toordinal() - days), THU) == text

    def test_cadence_and_due(self):
        assert cadence_phrase(90) == "quarterly (every 90 days)"
        assert cadence_phrase(45) == "every 45 days"
        assert due_phrase(12) == "overdue 12d"
        assert due_phrase(0) == "due today"
        assert due_phrase(-5) == "in 5d"


class TestNames:
    def test_fold(self):
        assert fold("  José  NÚÑEZ ") == "jose nunez"
        assert fold("Zoë Ångström") == "zoe angstrom"

    @pytest.mark.parametrize(
        ("full", "parts"),
        [
            ("Ana Silva", ("Ana", "Silva")),
            ("Cher", ("Cher", "")),
            ("Ana Maria van der Berg", ("Ana Maria", "van der Berg")),
            ("Jean de La Fontaine", ("Jean", "de La Fontaine")),
            ("  ", ("", "")),
        ],
    )
    def test_split(self, full, parts):
        assert split_name(full) == parts

    PEOPLE = [
        Candidate(1, "Ana Silva"),
        Candidate(2, "Ana Costa"),
        Candidate(3, "Anand Kumar"),
        Candidate(4, "Bob Stone"),
        Candidate(5, "José Núñez"),
    ]

    def ids(self, query):
        return [c.id for c in rank_matches(query, self.PEOPLE)]

    def test_exact_name(self):
        assert self.ids("ana silva") == [1]

    def test_word_prefixes_in_order(self):
        assert self.ids("ana s") == [1]
        assert self.ids("b st") == [4]

    def test_first_name_shared_is_ambiguous(self):
        assert sorted(self.ids("ana")) == [1, 2]

    def test_prefix_only(self):
        assert self.ids("anan") == [3]

    def test_accents_ignored(self):
        assert self.ids("jose nunez") == [5]

    def test_close_spelling(self):
        assert self.ids("ana slva") == [1]

    def test_no_match(self):
        assert self.ids("zzz") == []


class TestValidate:
    @pytest.mark.parametrize(
        ("kind", "value", "expected"),
        [
            ("email", "Ana@Globex.COM", "Ana@globex.com"),
            ("phone", "+351 912 345 678", "+351 912 345 678"),
            ("linkedin", "linkedin.com/in/Ana-Silva/", "https://www.linkedin.com/in/ana-silva"),
            (
                "linkedin",
                "https://pt.linkedin.com/in/ana-silva?trk=x",
                "https://www.linkedin.com/in/ana-silva",
            ),
            ("linkedin", "ana-silva", "https://www.linkedin.com/in/ana-silva"),
            ("twitter", "@anas", "@anas"),
            ("github", "anas", "@anas"),
            ("mastodon", "@ana@Hachyderm.io", "@ana@hachyderm.io"),
            ("website", "ana.dev", "https://ana.dev"),
        ],
    )
    def test_normal_forms(self, kind, value, expected):
        assert normalize_method(kind, value)[1] == expected

    @pytest.mark.parametrize(
        ("kind", "value"),
        [
            ("email", "ana@"),
            ("email", "ana silva@x.com"),
            ("phone", "call me"),
            ("linkedin", "https://example.com/ana"),
            ("website", "not a url"),
            ("fax", "123"),
        ],
    )
    def test_errors(self, kind, value):
        with pytest.raises(InvalidInput):
            normalize_method(kind, value)

    def test_kinds_and_tiers(self):
        assert resolve_kind("Coffee").name == "coffee"
        assert resolve_kind("favor").name == "favour"
        assert resolve_kind("lun").name == "lunch"
        with pytest.raises(InvalidInput, match="did you mean coffee"):
            resolve_kind("cofee")
        assert resolve_tier("priority") == 1
        assert resolve_tier("untracked") is None
        with pytest.raises(InvalidInput, match="unknown tier"):
            resolve_tier("7")


class Row:
    """A stand-in for services.NetworkRow in query tests."""

    def __init__(self, state=st.OK, flags=(), tier=1, name="", company="", categories=(), notes=""):
        self.state, self.flags, self.tier = state, flags, tier
        self.fields = {
            "name": fold(name),
            "company": fold(company),
            "title": "",
            "how_met": "",
            "notes": fold(notes),
            "categories": "\x1f".join(c.casefold() for c in categories),
        }

    def field_text(self, name):
        return self.fields[name]

    @property
    def haystack(self):
        return "\x1f".join(self.fields.values())


class TestQuery:
    def test_tokenize_quotes(self):
        assert tokenize('cat:"former classmates" acme') == ["cat:former classmates", "acme"]
        assert tokenize('"unclosed phrase') == ["unclosed phrase"]

    def test_plain_words_all_match(self):
        q = parse_query("ana acme")
        assert q.matches(Row(name="Ana Silva", company="Acme"))
        assert not q.matches(Row(name="Ana Silva", company="Globex"))

    def test_state_flag_tier_category(self):
        row = Row(
            state=st.OVERDUE, flags=(st.MEET_IN_PERSON,), tier=1, categories=("Former classmates",)
        )
        assert parse_query('is:overdue tier:1 cat:"former classmates"').matches(row)
        assert parse_query("is:meet").matches(row)
        assert not parse_query("is:unresponsive").matches(row)
        assert not parse_query("tier:2").matches(row)

    def test_prefix_while_typing(self):
        assert parse_query("is:ov").terms[0].value == st.OVERDUE
        assert parse_query("is:").is_empty  # half typed: ignored

    def test_negation(self):
        assert not parse_query("-is:overdue").matches(Row(state=st.OVERDUE))
        assert parse_query("-acme").matches(Row(company="Globex"))

    def test_archived_hidden_unless_asked(self):
        row = Row(state=st.ARCHIVED)
        assert not parse_query("").matches(row)
        assert parse_query("is:archived").matches(row)
        assert parse_query("is:archived").filter([row, Row()]) == [row]

    def test_field_qualifier_searches_that_field_only(self):
        assert parse_query("company:acme").matches(Row(company="Acme Robotics"))
        assert not parse_query("company:acme").matches(Row(notes="acme"))
        assert parse_query("acme").matches(Row(notes="acme"))

    def test_unknown_state_is_a_clear_error(self):
        with pytest.raises(InvalidInput, match="unknown state or flag 'nope'"):
            parse_query("is:nope")

    def test_unknown_key_is_plain_text(self):
        assert parse_query("http://x").terms[0].key == "text"

    @given(hs.text(max_size=60))
    def test_any_query_parses_or_fails_clearly(self, text):
        try:
            q = parse_query(text)
        except InvalidInput:
            return
        q.matches(Row())

    @given(
        hs.lists(
            hs.sampled_from(
                [
                    "ana",
                    "acme",
                    "-acme",
                    "is:overdue",
                    "-is:ok",
                    "is:archived",
                    "tier:1",
                    "-tier:2",
                    "company:ac",
                    "cat:former",
                    "is:meet",
                    "-is:meet",
                    "silva",
                    "x",
                ]
            ),
            max_size=4,
        ),
        hs.lists(
            hs.tuples(
                hs.sampled_from(st.STATES),
                hs.sampled_from([(), (st.MEET_IN_PERSON,)]),
                hs.sampled_from([None, 1, 2]),
                hs.sampled_from(["Ana Silva", "Rui Acme", "Bo"]),
                hs.sampled_from(["Acme", "Globex", ""]),
                hs.sampled_from([(), ("Former classmates",)]),
            ),
            max_size=8,
        ),
    )
    def test_filter_agrees_with_matches(self, words, specs):
        rows = [
            Row(state=s, flags=f, tier=t, name=n, company=c, categories=cats)
            for s, f, t, n, c, cats in specs
        ]
        q = parse_query(" ".join(words))
        assert q.filter(rows) == [r for r in rows if q.matches(r)]
