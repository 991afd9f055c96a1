"""Names: normalising for search, splitting, and finding who "ana s" means."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from netterm.core.identity import NameQuery, close_spellings, rank
from netterm.core.identity import fold as fold  # one folding for every module

_PARTICLES = {
    "van",
    "von",
    "de",
    "da",
    "das",
    "dos",
    "del",
    "della",
    "der",
    "den",
    "di",
    "du",
    "la",
    "le",
    "ten",
    "ter",
    "st",
    "st.",
    "bin",
    "al",
    "el",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str | None) -> str:
    """User text as stored: control characters removed, outer spaces trimmed."""
    if text is None:
        return ""
    return _CONTROL.sub("", str(text)).strip()


def split_name(full: str) -> tuple[str, str]:
    """'Ana Maria van der Berg' → ('Ana Maria', 'van der Berg'); 'Cher' → ('Cher', '')."""
    words = clean(full).split()
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    last_start = len(words) - 1
    while last_start > 1 and words[last_start - 1].lower() in _PARTICLES:
        last_start -= 1
    return " ".join(words[:last_start]), " ".join(words[last_start:])


def join_name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (clean(first), clean(last)) if part)


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    name: str
    detail: str = ""  # shown when the name is ambiguous: "Head of Design @ Acme"
    aliases: tuple[str, ...] = ()  # former names that still find them


def rank_matches(
    query: str | NameQuery, candidates: Iterable[Candidate], *, close: bool = True
) -> list[Candidate]:
    """The best matches for `query`, all of equal strength; more than one is ambiguous.

    The strongest group of `core.identity.rank` (the same order the app's picker
    lists): the same words in any order ("silva ana"), then whole words, then word
    prefixes ("ana s"), then words inside the name; former names count as words. When
    nothing matches literally, the closest spellings ("ana slva"), unless `close` is
    false.
    """
    q = query if isinstance(query, NameQuery) else NameQuery(query)
    if not q:
        return []
    pool = list(candidates)
    groups = rank(q, pool, _names)
    if groups:
        return groups[0][1]
    if not close:
        return []
    return close_spellings(q, pool, lambda c: c.name)


def _names(cand: Candidate) -> tuple[str, str]:
    return cand.name, " ".join(cand.aliases)
