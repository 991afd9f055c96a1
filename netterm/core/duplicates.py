"""Contacts that look like the same person, grouped. Pure: no database.

Two contacts are likely duplicates when they share an email address (case ignored), a
LinkedIn profile URL, or the same normalised name at the same normalised company
("José Núñez, Acme Inc." and "Núñez, José, ACME"): the normalisations of
`core.identity`, which every door that recognises a person shares. A former last name counts as a name.
Matching is transitive: if A shares an email with B and B a name and company with C,
the three are one group.

`identity_keys(person)` gives the keys a person is matched on; `group(people)` the
groups; `match_reasons(a, b)` says in plain language why two people look alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from netterm.core.identity import (
    Person,
    name_key,
    normal_company,
    normal_email,
    normalise,
)
from netterm.core.identity import normal_url as normal_linkedin

__all__ = [
    "EMAIL",
    "LINKEDIN",
    "NAME",
    "Group",
    "Person",
    "group",
    "identity_keys",
    "match_reasons",
    "name_keys",
    "normal_company",
    "normal_email",
    "normal_linkedin",
    "normal_name",
]

EMAIL = "email"
LINKEDIN = "linkedin"
NAME = "name"


def normal_name(text: str) -> str:
    """'Jean-Luc  O'Brien' → 'jean luc o brien' (`core.identity.normalise`)."""
    return normalise(text)


def name_keys(person: Person) -> set[str]:
    """'name|company' keys: the current name and each former last name, at the company."""
    company = normal_company(person.company)
    if not company:
        return set()
    lasts = [person.last_name, *(p for p in person.previous_names.split(", ") if p)]
    keys = set()
    for last in lasts:
        name = name_key(f"{person.first_name} {last}")  # word order ignored too
        # a single word is too weak a name to match on ("Ana" at Acme)
        if " " in name:
            keys.add(f"{name}|{company}")
    return keys


def identity_keys(person: Person) -> set[tuple[str, str]]:
    """Every (kind, value) a duplicate could share with this person."""
    keys = {(EMAIL, normal_email(e)) for e in person.emails if e.strip()}
    keys |= {(LINKEDIN, normal_linkedin(u)) for u in person.linkedins if u.strip()}
    keys |= {(NAME, k) for k in name_keys(person)}
    return keys


@dataclass(frozen=True, slots=True)
class Group:
    """Contacts that look like one person: ids ascending (the oldest record first)."""

    ids: tuple[int, ...]
    #: the shared keys, as plain-language reasons ("same email ana@globex.example")
    reasons: tuple[str, ...]


def reason(key: tuple[str, str]) -> str:
    kind, value = key
    if kind == EMAIL:
        return f"same email {value}"
    if kind == LINKEDIN:
        return "same LinkedIn profile"
    return "same name and company"


def match_reasons(a: Person, b: Person) -> list[str]:
    """Why `a` and `b` look like the same person (empty: they do not, directly)."""
    shared = identity_keys(a) & identity_keys(b)
    order = {EMAIL: 0, LINKEDIN: 1, NAME: 2}
    return list(dict.fromkeys(reason(k) for k in sorted(shared, key=lambda k: (order[k[0]], k[1]))))


def group(people: Iterable[Person], links: Iterable[tuple[int, int, str]] = ()) -> list[Group]:
    """Groups of two or more people sharing a key, directly or through each other.

    `links` are pairs known to be possible duplicates, with why (an import flags the
    namesakes it could not tell apart); a link to someone not in `people` is ignored.
    Ordered by their first (oldest) id; each group's reasons list every shared key,
    then the links' reasons.
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    owner: dict[tuple[str, str], int] = {}
    shared: dict[tuple[str, str], int] = {}  # key → how many people carry it
    for p in people:
        parent.setdefault(p.id, p.id)
        for key in identity_keys(p):
            shared[key] = shared.get(key, 0) + 1
            first = owner.setdefault(key, p.id)
            if first != p.id:
                ra, rb = find(first), find(p.id)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    linked: list[tuple[int, str]] = []
    for a, b, why in links:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
            linked.append((a, why))
    members: dict[int, list[int]] = {}
    for pid in parent:
        members.setdefault(find(pid), []).append(pid)
    reasons: dict[int, list[tuple[str, str]]] = {}
    for key, n in shared.items():
        if n > 1:
            reasons.setdefault(find(owner[key]), []).append(key)
    link_reasons: dict[int, list[str]] = {}
    for a, why in linked:
        link_reasons.setdefault(find(a), []).append(why)
    order = {EMAIL: 0, LINKEDIN: 1, NAME: 2}
    out = []
    for root, ids in members.items():
        if len(ids) > 1:
            keys = sorted(reasons.get(root, ()), key=lambda k: (order[k[0]], k[1]))
            texts = [reason(k) for k in keys] + link_reasons.get(root, [])
            out.append(Group(tuple(sorted(ids)), tuple(dict.fromkeys(texts))))
    out.sort(key=lambda g: g.ids[0])
    return out
