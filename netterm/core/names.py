"""Names: normalising for search, splitting, and finding who "ana s" means."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

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
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def fold(text: str | None) -> str:
    """Lowercase, accents removed, spaces squeezed: 'José  Núñez' → 'jose nunez'."""
    if not text:
        return ""
    if text.isascii():  # most text: nothing to decompose (same result, much faster)
        return _SPACE.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


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


def rank_matches(query: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The best matches for `query`, all of equal strength; more than one is ambiguous.

    Strongest first: the exact full name; every word equal to a word of the name;
    every word a prefix of a distinct word of the name (in order: "ana s" is Ana Silva);
    the full name starting with the query; then close spellings ("ana slva").
    """
    q = fold(query)
    if not q:
        return []
    q_words = q.split()
    tiers: dict[int, list[Candidate]] = {}
    pool = list(candidates)
    for cand in pool:
        score = max(_score(q, q_words, fold(n)) for n in (cand.name, *cand.aliases))
        if score:
            tiers.setdefault(score, []).append(cand)
    if tiers:
        return tiers[max(tiers)]
    # Close spellings: only when nothing matched literally.
    names = {}
    for cand in pool:
        names.setdefault(fold(cand.name), []).append(cand)
    close = difflib.get_close_matches(q, list(names), n=5, cutoff=0.8)
    if not close:
        return []
    best = close[0]
    best_ratio = difflib.SequenceMatcher(None, q, best).ratio()
    out: list[Candidate] = []
    for name in close:
        if difflib.SequenceMatcher(None, q, name).ratio() >= best_ratio - 0.02:
            out.extend(names[name])
    return out


def _score(q: str, q_words: list[str], name: str) -> int:
    if name == q:
        return 5
    n_words = name.split()
    if _words_match(q_words, n_words, exact=True):
        return 4
    if _words_match(q_words, n_words, exact=False):
        return 3
    if name.startswith(q):
        return 2
    return 0


def _words_match(q_words: list[str], n_words: list[str], exact: bool) -> bool:
    """Each query word matches a later word of the name than the previous one did."""
    i = 0
    for qw in q_words:
        while i < len(n_words) and not (n_words[i] == qw if exact else n_words[i].startswith(qw)):
            i += 1
        if i == len(n_words):
            return False
        i += 1
    return True
