"""core.identity: one normalisation and one matching order for every door (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from netterm.core import identity as idn
from netterm.core.identity import (
    CONTAINS,
    EXACT,
    PREFIXES,
    WORDS,
    Index,
    NameQuery,
    Person,
    name_key,
    normalise,
    rank,
)


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Ana Silva", "ana silva"),
        ("  ÁNA   Sílva ", "ana silva"),
        ("Jean-Luc O'Brien", "jean luc o brien"),
        ("[bold]Mallory[/bold]", "bold mallory bold"),
        ("José Núñez", "jose nunez"),
        ("straße", "strasse"),
        ("李小龙", "李小龙"),
        ("", ""),
        ("--", ""),
    ],
)
def test_one_normalisation(text, normal):
    assert normalise(text) == normal


def test_word_order_is_ignored_by_the_key():
    assert name_key("Silva, Ana") == name_key("ana silva") == name_key("ANA-SILVA") == "ana silva"
    assert name_key("Ana Maria Silva") != name_key("Ana Silva")


@given(hs.text(max_size=30))
def test_folding_first_gives_the_same_words(text):
    assert idn.name_words(idn.fold(text)) == idn.name_words(text)


@pytest.mark.parametrize(
    ("query", "name", "former", "strength"),
    [
        ("ana silva", "Ana Silva", "", EXACT),
        ("silva ana", "Ana Silva", "", EXACT),
        ("Silva, Ána", "Ana Silva", "", EXACT),
        ("ana", "Ana Silva", "", WORDS),
        ("mallory", "[bold]Mallory[/bold]", "", WORDS),
        ("ana santos", "Ana Silva", "Ana Santos", WORDS),  # a former name
        ("ana s", "Ana Silva", "", PREFIXES),
        ("s ana", "Ana Silva", "", PREFIXES),
        ("an si", "Ana Silva", "", PREFIXES),
        ("nand", "Anand Kumar", "", CONTAINS),
        ("ilv ana", "Ana Silva", "", CONTAINS),
        ("ana ana", "Ana Silva", "", CONTAINS),  # not two words of the name: only inside it
        ("bob", "Ana Silva", "", 0),
        ("", "Ana Silva", "", 0),
    ],
)
def test_how_strongly_a_typed_name_matches(query, name, former, strength):
    assert NameQuery(query).strength(name, former) == strength


def test_prefixes_are_placed_on_distinct_words_whatever_the_order():
    # "a" could take "ana" greedily and leave "ana" nothing: the pickiest goes first
    assert NameQuery("a ana").strength("Ana Alvarez") == PREFIXES


def test_rank_groups_the_strongest_first_and_keeps_the_given_order():
    people = ["Ana Costa", "Susana Reis", "Ana Silva", "Anabela Dias", "Ana"]
    groups = rank("ana", people, lambda p: (p, ""))
    assert groups == [
        (EXACT, ["Ana"]),
        (WORDS, ["Ana Costa", "Ana Silva"]),
        (PREFIXES, ["Anabela Dias"]),
        (CONTAINS, ["Susana Reis"]),
    ]


def test_close_spellings_only_by_spelling():
    people = ["Ana Silva", "Bob Stone"]
    assert idn.close_spellings("ana slva", people, str) == ["Ana Silva"]
    assert idn.close_spellings("slva ana", people, str) == ["Ana Silva"]
    assert idn.close_spellings("zzz", people, str) == []


# --------------------------------------------------------------------------- the index

PEOPLE = [
    Person(1, "Ana", "Silva", "Globex", ("ana@globex.example",), ("linkedin.com/in/ana-silva",)),
    Person(2, "John", "Smith"),  # nothing but a name
    Person(3, "John", "Smith", "Initech Inc."),
    Person(4, "Maria", "Costa", "Acme", previous_names="Santos"),
    Person(5, "Li", "Wei", "Acme", ("li@acme.example",)),
    Person(6, "Li", "Wei", "Acme"),
]


@pytest.fixture
def index():
    return Index(PEOPLE)


def test_profile_url_first_whatever_its_spelling(index):
    m = index.match(url="https://www.LinkedIn.com/in/ana-silva/", name="Someone Else")
    assert (m.contact_id, m.how) == (1, idn.URL)


def test_email_with_case_ignored(index):
    m = index.match(email="ANA@Globex.example")
    assert (m.contact_id, m.how) == (1, idn.EMAIL)
    assert index.match(email=["nobody@x.example", "li@acme.example"]).contact_id == 5


def test_an_email_never_matches_someone_with_another_profile(index):
    m = index.match(url="linkedin.com/in/other-ana", email="ana@globex.example")
    assert m.how == idn.NONE


@pytest.mark.parametrize("name", ["Ana Silva", "silva ana", "Silva, Ána", "ANA-SILVA"])
def test_a_name_in_any_form(index, name):
    m = index.match(name=name, company="GLOBEX")
    assert (m.contact_id, m.how) == (1, idn.NAME)


def test_a_former_name_is_still_a_name(index):
    assert index.match(name="Maria Santos", company="Acme").contact_id == 4


def test_a_name_alone_never_matches_when_the_company_disagrees(index):
    m = index.match(name="John Smith", company="Globex")
    assert (m.contact_id, m.how, m.namesakes) == (None, idn.NONE, (2, 3))
    # the same company (legal form ignored) agrees
    assert index.match(name="John Smith", company="initech").contact_id == 3


def test_a_name_alone_never_matches_another_profile(index):
    m = index.match(url="linkedin.com/in/ana-silva-2", name="Ana Silva", company="Globex")
    assert (m.contact_id, m.namesakes) == (None, (1,))


def test_a_name_without_a_company_is_ambiguous_among_namesakes(index):
    m = index.match(name="John Smith")
    assert (m.how, m.candidates) == (idn.AMBIGUOUS, (2, 3))
    assert not m


def test_allow_rules_contacts_out_and_an_index_grows(index):
    m = index.match(name="Li Wei", company="Acme", allow=lambda cid, how: cid != 5)
    assert m.contact_id == 6
    index.add(Person(7, "Zoë", "Adams"))
    index.add_method(7, "email", "Zoe@Adams.example")
    assert index.match(email="zoe@adams.example").contact_id == 7
    index.set_company(2, "Globex")
    assert index.match(name="John Smith", company="Globex").contact_id == 2
