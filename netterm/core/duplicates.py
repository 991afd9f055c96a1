"""Contacts that look like the same person, grouped. Pure: no database.

Two contacts are likely duplicates when they share an email address (case ignored), a
LinkedIn profile URL, or the same normalised name at the same normalised company
("José Núñez, Acme Inc." and "jose nunez, ACME"). A former last name counts as a name.
Matching is transitive: if A shares an email with B and B a name and company with C,
the three are one group.

`identity_keys(person)` gives the keys a person is matched on; `group(people)` the
groups; `match_reasons(a, b)` says in plain language why two people look alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from netterm.core.names import fold

EMAIL = "email"
LINKEDIN = "linkedin"
NAME = "name"

_PUNCT = re.compile(r"[^\w\s]|_")
#: Legal-form words that do not make two companies different.
_COMPANY_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "as",
        "oy",
        "lda",
        "corp",
        "corporation",
        "co",
        "company",
        "kk",
        "pty",
    }
)


class Person(NamedTuple):
    """What duplicate detection reads about one (active) contact."""

    id: int
    first_name: str
    last_name: str
    company: str = ""
    emails: tuple[str, ...] = ()
    linkedins: tuple[str, ...] = ()
    previous_names: str = ""  # former last names, ", "-separated

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


def _words(text: str) -> list[str]:
    """Folded words, punctuation dropped (ASCII text skips the Unicode decomposition)."""
    folded = text.casefold() if text.isascii() else fold(text)
    return _PUNCT.sub(" ", folded).split()


@lru_cache(maxsize=65536)
def normal_name(text: str) -> str:
    """'Jean-Luc  O'Brien' → 'jean luc o brien' (case, accents, punctuation ignored)."""
    return " ".join(_words(text))


@lru_cache(maxsize=65536)
def normal_company(text: str) -> str:
    """'ACME, Inc.' → 'acme'; legal forms and punctuation ignored."""
    words = _words(text)
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


def normal_email(value: str) -> str:
    return value.strip().casefold()


def normal_linkedin(value: str) -> str:
    v = value.strip().casefold().rstrip("/")
    for prefix in ("https://", "http://"):
        v = v.removeprefix(prefix)
    return v.removeprefix("www.")


def name_keys(person: Person) -> set[str]:
    """'name|company' keys: the current name and each former last name, at the company."""
    company = normal_company(person.company)
    if not company:
        return set()
    lasts = [person.last_name, *(p for p in person.previous_names.split(", ") if p)]
    first = normal_name(person.first_name)
    keys = set()
    for last in lasts:
        name = f"{first} {normal_name(last)}".strip()
        # a single word is too weak a name to match on ("Ana" at Acme)
        if len(name.split()) >= 2:
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


def group(people: Iterable[Person]) -> list[Group]:
    """Groups of two or more people sharing a key, directly or through each other.

    Ordered by their first (oldest) id; each group's reasons list every shared key.
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
    members: dict[int, list[int]] = {}
    for pid in parent:
        members.setdefault(find(pid), []).append(pid)
    reasons: dict[int, list[tuple[str, str]]] = {}
    for key, n in shared.items():
        if n > 1:
            reasons.setdefault(find(owner[key]), []).append(key)
    order = {EMAIL: 0, LINKEDIN: 1, NAME: 2}
    out = []
    for root, ids in members.items():
        if len(ids) > 1:
            keys = sorted(reasons.get(root, ()), key=lambda k: (order[k[0]], k[1]))
            out.append(Group(tuple(sorted(ids)), tuple(dict.fromkeys(reason(k) for k in keys))))
    out.sort(key=lambda g: g.ids[0])
    return out
