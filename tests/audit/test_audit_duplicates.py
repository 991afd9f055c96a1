"""Duplicate detection, pure: who looks like the same person, and why."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as hs

from netterm.core.duplicates import (
    Person,
    group,
    identity_keys,
    match_reasons,
    normal_company,
    normal_name,
)


def p(cid, first, last, company="", emails=(), linkedins=(), previous=""):
    return Person(cid, first, last, company, tuple(emails), tuple(linkedins), previous)


def ids(groups):
    return [g.ids for g in groups]


def test_same_email_case_ignored():
    people = [
        p(1, "Ana", "Silva", emails=["Ana@Globex.example"]),
        p(2, "A.", "S.", emails=["ana@globex.example"]),
    ]
    (g,) = group(people)
    assert g.ids == (1, 2)
    assert g.reasons == ("same email ana@globex.example",)


def test_same_linkedin_in_any_spelling():
    people = [
        p(1, "Ana", "Silva", linkedins=["https://www.linkedin.com/in/ana-silva"]),
        p(2, "Ana", "Costa", linkedins=["linkedin.com/in/Ana-Silva/"]),
        p(3, "Bob", "Stone", linkedins=["https://www.linkedin.com/in/bob"]),
    ]
    assert ids(group(people)) == [(1, 2)]
    assert match_reasons(people[0], people[1]) == ["same LinkedIn profile"]


def test_same_normalised_name_and_company():
    people = [
        p(1, "José", "Núñez", "ACME, Inc."),
        p(2, "jose", "nunez", "Acme"),
        p(3, "José", "Núñez", "Globex"),  # another company: another person
        p(4, "José", "Núñez", ""),  # no company: too weak to match
    ]
    (g,) = group(people)
    assert g.ids == (1, 2)
    assert g.reasons == ("same name and company",)


def test_a_former_last_name_still_matches():
    married = p(1, "Ana", "Costa", "Globex", previous="Silva")
    imported = p(2, "Ana", "Silva", "Globex")
    assert ids(group([married, imported])) == [(1, 2)]


def test_single_word_names_do_not_match_on_name_alone():
    assert group([p(1, "Cher", "", "Acme"), p(2, "Cher", "", "Acme")]) == []


def test_groups_are_transitive_and_ordered():
    people = [
        p(5, "Zed", "A", emails=["z@x.example"]),
        p(9, "Zed", "A", "Initech"),
        p(7, "Zed", "A", "Initech", emails=["z@x.example"]),
        p(2, "Mo", "B", emails=["mo@y.example"]),
        p(3, "Mo", "B2", emails=["MO@y.example"]),
        p(4, "Lone", "Person", "Acme", emails=["lone@z.example"]),
    ]
    groups = group(people)
    assert ids(groups) == [(2, 3), (5, 7, 9)]
    assert groups[1].reasons == ("same email z@x.example", "same name and company")
    # 5 and 9 share nothing directly; they are one group through 7
    assert match_reasons(people[0], people[1]) == []


def test_normal_forms():
    assert normal_name("Jean-Luc  O'Brien") == "jean luc o brien"
    assert normal_company("ACME, Inc.") == "acme"
    assert normal_company("Acme Robotics GmbH") == "acme robotics"
    assert normal_company("Inc") == "inc"  # a company called only by a legal form stays
    assert identity_keys(p(1, "Ana", "Silva")) == set()


@given(
    hs.lists(
        hs.tuples(
            hs.sampled_from(["Ana", "ana", "Bob", "Zoë"]),
            hs.sampled_from(["Silva", "silva", "Stone"]),
            hs.sampled_from(["", "Acme", "ACME Inc", "Globex"]),
            hs.sampled_from(["", "a@x.example", "A@X.example", "b@y.example"]),
        ),
        max_size=12,
    )
)
def test_groups_partition_and_every_member_shares_a_key_with_another(rows):
    people = [p(i, f, la, c, [e] if e else []) for i, (f, la, c, e) in enumerate(rows)]
    groups = group(people)
    seen = [i for g in groups for i in g.ids]
    assert len(seen) == len(set(seen))  # a person is in one group at most
    by_id = {x.id: x for x in people}
    for g in groups:
        assert len(g.ids) >= 2 and list(g.ids) == sorted(g.ids)
        for i in g.ids:
            others = [by_id[j] for j in g.ids if j != i]
            assert any(identity_keys(by_id[i]) & identity_keys(o) for o in others)
    # and anybody sharing a key is in the same group
    for a in people:
        for b in people:
            if a.id < b.id and identity_keys(a) & identity_keys(b):
                assert any(a.id in g.ids and b.id in g.ids for g in groups)
