"""The pure part of "who can help whom": search terms from a looking-for text, and why
a ranked contact matches (netterm/core/matching.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from netterm.core.matching import (
    Profile,
    explain,
    fts5_query,
    headline,
    intro_notes,
    introduced_on,
    names_person,
    query_terms,
    same_word,
    tsquery,
)


def words(text: str) -> list[str]:
    return [t.word for t in query_terms(text)]


def test_terms_drop_stopwords_and_generic_asks():
    assert words("Looking for a Staff Engineer, ideally someone in fintech") == [
        "staff",
        "engineer",
        "fintech",
    ]


def test_terms_fold_accents_and_case_but_keep_what_was_typed():
    terms = query_terms("Café owners in Zürich")
    assert [t.word for t in terms] == ["cafe", "owners", "zurich"]
    assert [t.shown for t in terms] == ["Café", "owners", "Zürich"]


def test_terms_are_unique_and_capped():
    assert words("data data DATA") == ["data"]
    assert len(query_terms(" ".join(f"word{i}" for i in range(40)))) == 12


def test_empty_or_only_stopwords_gives_no_terms():
    assert query_terms("") == ()
    assert query_terms(None) == ()
    assert query_terms("looking for someone who can help") == ()
    assert fts5_query(()) == ""


def test_fts5_query_quotes_every_term_and_adds_adjacent_phrases():
    q = fts5_query(query_terms("a staff engineer or a fintech investor"))
    assert (
        q
        == '"staff engineer" OR "fintech investor" OR "staff" OR "engineer" OR "fintech" OR "investor"'
    )


def test_fts5_query_cannot_be_injected():
    q = fts5_query(query_terms('NEAR(x y) "quote" col:value *star AND OR'))
    # only letters and digits get inside the quotes
    for part in q.split(" OR "):
        assert part.startswith('"') and part.endswith('"')
        assert '"' not in part[1:-1]


def test_tsquery_joins_phrases_with_followed_by():
    assert tsquery(query_terms("staff engineer, fintech")) == (
        "(staff <-> engineer) | staff | engineer | fintech"
    )


@given(st.text(max_size=200))
def test_queries_hold_only_words_and_operators(text):
    terms = query_terms(text)
    for t in terms:
        assert t.word and all(ch.isalnum() for ch in t.word)
    assert "'" not in tsquery(terms) and ":" not in tsquery(terms)


def test_hyphens_and_slashes_keep_a_phrase_together():
    p = Profile(5, "Rui", title="Co-founder & CEO", company="Initech")
    why = explain(query_terms("a co-founder with sales experience"), p)
    assert why is not None and why.quoted == "'co-founder'"
    assert fts5_query(query_terms("UX/UI designer")) == (
        '"ux ui designer" OR "ux" OR "ui" OR "designer"'
    )


def test_same_word_allows_short_endings_only():
    assert same_word("engineer", "engineering")
    assert same_word("engineers", "engineering")
    assert same_word("invest", "investors")
    assert same_word("design", "designer")
    assert same_word("consultancy", "consulting")
    assert not same_word("data", "database")
    assert not same_word("data", "date")
    assert not same_word("product", "productivity")
    assert not same_word("2019", "20190")


BO = Profile(1, "Bo Chen", title="Staff Engineer", company="Cyberdyne")


def test_a_title_match_reads_as_the_headline():
    why = explain(query_terms("a staff engineer"), BO)
    assert why is not None
    assert why.text == "Staff Engineer @ Cyberdyne — matches 'staff engineer'"
    assert why.field == "title" and why.coverage == 1.0 and why.good


def test_title_and_company_count_together():
    why = explain(query_terms("engineers at Cyberdyne"), BO)
    assert why is not None
    assert why.matched == ("engineers", "Cyberdyne")
    assert why.quoted == "'engineers, Cyberdyne'"  # not next to each other in the text
    assert why.shown == "Staff Engineer @ Cyberdyne"


def test_career_match_says_formerly():
    p = Profile(
        2,
        "Cy Dee",
        title="Designer",
        company="Acme",
        career=(("Designer", "Acme"), ("Head of Growth", "Initech")),
    )
    why = explain(query_terms("growth marketing"), p)
    assert why is not None
    assert why.text == "formerly Head of Growth @ Initech — matches 'growth'"
    assert why.coverage == 0.5 and why.good


def test_category_match_names_the_category():
    p = Profile(3, "Di", title="Partner", company="Seedcamp", categories=("investors", "friends"))
    why = explain(query_terms("seed investors for a climate startup"), p)
    assert why is not None
    assert why.field == "categories"
    assert why.shown == "Partner @ Seedcamp · in investors"


def test_notes_only_match_shows_a_snippet_and_is_not_suggested_unasked():
    notes = "Met at PyCon. She ran the payments team at a large bank for six years before."
    p = Profile(4, "Eve", title="Consultant", notes=notes)
    why = explain(query_terms("payments expert"), p)
    assert why is not None
    assert why.field == "notes"
    assert why.shown.startswith("notes: '") and "payments" in why.shown
    assert len(why.shown) < 70
    assert not why.good


def test_nothing_in_common_is_no_match():
    assert explain(query_terms("a lawyer"), BO) is None
    assert explain((), BO) is None


def test_half_the_terms_is_good_less_is_not():
    why = explain(query_terms("staff designer lawyer"), BO)
    assert why is not None and why.coverage == 1 / 3 and not why.good


def test_headline_and_intro_notes():
    assert headline("CTO", "") == "CTO"
    assert headline("", "Acme") == "@ Acme"
    assert headline(" ", " ") == ""
    assert intro_notes("Ana Silva", "", "Bo Chen", "Staff Engineer @ Cyberdyne") == (
        "Introduced to Bo Chen (Staff Engineer @ Cyberdyne)",
        "Introduced to Ana Silva",
    )


def test_the_narrow_query_asks_for_two_words_or_a_phrase():
    from netterm.core.matching import fts5_narrow, tsquery_narrow

    terms = query_terms("a staff engineer, fintech")
    assert fts5_narrow(terms) == (
        '"staff engineer" OR ("staff" AND "engineer") OR ("staff" AND "fintech") '
        'OR ("engineer" AND "fintech")'
    )
    assert tsquery_narrow(terms) == (
        "(staff <-> engineer) | (staff & engineer) | (staff & fintech) | (engineer & fintech)"
    )
    assert fts5_narrow(query_terms("an engineer")) == ""
    # at most the first six terms are paired: 15 pairs
    many = query_terms("one two three four five six seven eight")
    assert fts5_narrow(many).count(" AND ") == 15


# ------------------------------------------------------------------ already introduced


def test_a_note_names_a_person_by_their_whole_name_as_words():
    assert names_person("Introduced to Bo Chen (Staff Engineer @ Cyberdyne)", "Bo Chen")
    assert names_person("introduced to BO CHÉN: coffee", "Bo Chen")  # case, accents
    assert not names_person("Introduced to Bo Cheng", "Bo Chen")
    assert not names_person("Introduced to Bo", "Bo Chen")
    assert not names_person("Introduced to Chen Bo", "Bo Chen")
    assert not names_person("anything", "")


def test_introduced_on_the_last_day_both_have_an_intro_naming_the_other():
    from datetime import date

    d1, d2, d3 = date(2026, 3, 1), date(2026, 6, 1), date(2026, 9, 1)
    ana = [(d1, "Introduced to Bo Chen (CTO)"), (d2, "Introduced to Bo Chen"), (d3, "x")]
    bo = [(d1, "Introduced to Ana Silva"), (d2, "Introduced to Ana Silva")]
    assert introduced_on("Ana Silva", ana, "Bo Chen", bo) == d2
    # one side's note edited, or one of them renamed since: the other side still says it
    assert introduced_on("Ana Silva", [(d1, "coffee")], "Bo Chen", bo[:1]) == d1
    assert introduced_on("Ana Silva", ana[:1], "Bob Chen", [(d1, "edited")]) is None
    assert introduced_on("Ana Silva", ana[:1], "Bob Chen", bo[:1]) == d1
    # the same day, but two other introductions: neither names the other
    assert (
        introduced_on(
            "Ana Silva", [(d3, "Introduced to Di Eve")], "Bo Chen", [(d3, "Introduced to Cy Dee")]
        )
        is None
    )
    # a note naming them on a day the other has no intro touch: not an introduction
    assert introduced_on("Ana Silva", [(d3, "Introduced to Bo Chen")], "Bo Chen", bo) is None
    assert introduced_on("Ana Silva", [], "Bo Chen", bo) is None
