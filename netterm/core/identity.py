"""One way to recognise a person. Pure: no database, no I/O.

Every door that has to decide who someone is uses this module: the command line's WHO
(`services.contacts.find`), the app's pickers (`tui.pick`), imports
(`services.interchange`), capture from mail, calendar and LinkedIn messages, and
duplicate detection (`core.duplicates`, `services.merge`).

**One normalisation.** `normalise` folds accents and case and splits words on
punctuation, as the filter does: "[bold]Mallory[/bold]" is the words `bold mallory
bold`, "Jean-Luc O'Brien" is `jean luc o brien`. `name_key` also ignores word order:
"Silva, Ana" and "ana silva" have one key.

**Finding who a typed name means** (`NameQuery`, `rank`): a name matches a query at
one of these strengths, strongest first —

    EXACT      the same words, in any order ("silva ana" is Ana Silva)
    WORDS      every query word is a distinct word of the name or a former name
    PREFIXES   every query word starts a distinct word of them ("ana s", "s ana")
    CONTAINS   every query word is inside the name (what the filter `/` would find)

and, when nothing matches literally, a close spelling ("ana slva"). The CLI resolves WHO
to the strongest group (more than one there is ambiguous); the picker lists the groups in
that order. Both therefore give the same first answer for the same query.

**Recognising a person from what a message or a file says** (`Index`, `Index.match`):
profile URL first, then e-mail (case ignored), then the normalised name — and a name
alone never matches a contact whose company or profile URL disagrees. Such namesakes
come back in `Match.namesakes`, so an import can add the person as new and flag the pair
as a possible duplicate.

    index = Index([Person(1, "Ana", "Silva", "Globex", emails=("ana@globex.example",))])
    index.match(email="ANA@globex.example")          # Match(contact_id=1, how="email")
    index.match(name="silva ana", company="Globex")  # Match(contact_id=1, how="name")
    index.match(name="Ana Silva", company="Initech") # Match(None, "none", namesakes=(1,))
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, TypeVar

T = TypeVar("T")

__all__ = [
    "AMBIGUOUS",
    "CONTAINS",
    "EMAIL",
    "EXACT",
    "NAME",
    "NONE",
    "PREFIXES",
    "URL",
    "WORDS",
    "Index",
    "Match",
    "NameQuery",
    "Person",
    "close_spellings",
    "fold",
    "name_key",
    "name_words",
    "normal_company",
    "normal_email",
    "normal_url",
    "normalise",
    "rank",
]

# ---- how a typed name matches (higher is stronger)
EXACT = 4
WORDS = 3
PREFIXES = 2
CONTAINS = 1

# ---- how Index.match recognised someone
URL = "url"
EMAIL = "email"
NAME = "name"
AMBIGUOUS = "ambiguous"
NONE = "none"

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]|_")
#: Legal-form words that do not make two companies different ("Acme Inc." is "ACME").
_COMPANY_SUFFIXES = frozenset(
    {
        *("inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "gmbh", "ag", "sa"),
        *("sas", "sarl", "srl", "spa", "bv", "nv", "ab", "as", "oy", "lda", "corp"),
        *("corporation", "co", "company", "kk", "pty"),
    }
)


# --------------------------------------------------------------------------- normalising


def fold(text: str | None) -> str:
    """Lowercase, accents removed, spaces squeezed: 'José  Núñez' → 'jose nunez'.

    Punctuation is kept (the stored search text is folded this way); `normalise`
    drops it.
    """
    if not text:
        return ""
    if text.isascii():  # most text: nothing to decompose (same result, much faster)
        return _SPACE.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


@lru_cache(maxsize=65536)
def name_words(text: str) -> tuple[str, ...]:
    """The words of a name, folded, split on spaces and punctuation.

    'Jean-Luc  O'Brien' → ('jean', 'luc', 'o', 'brien'). Folded text gives the same words
    as the original (`name_words(fold(x)) == name_words(x)`). Cached: the picker asks
    for the same names at every keystroke.
    """
    return tuple(_words(text))


def _words(text: str) -> list[str]:
    if not text:
        return []
    folded = text.lower() if text.isascii() else fold(text)  # split() squeezes spaces
    return _PUNCT.sub(" ", folded).split() if _PUNCT.search(folded) else folded.split()


def normalise(text: str | None) -> str:
    """The one normal form of a name: 'Jean-Luc  O'Brien' → 'jean luc o brien'."""
    return " ".join(name_words(text or ""))


def name_key(text: str) -> str:
    """A name with word order ignored too: 'Silva, Ana' and 'ana silva' → 'ana silva'.

    Not cached: an index computes it once per contact (a cache would only hold memory).
    """
    return " ".join(sorted(_words(text)))


@lru_cache(maxsize=65536)
def normal_company(text: str) -> str:
    """'ACME, Inc.' → 'acme'; case, accents, punctuation and legal forms ignored."""
    words = _words(text)
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


def normal_email(value: str) -> str:
    """An address with case ignored: 'Ana@Globex.example ' → 'ana@globex.example'."""
    return value.strip().casefold()


def normal_url(value: str) -> str:
    """A profile URL without scheme, 'www.', trailing slash or case.

    'https://www.LinkedIn.com/in/ana/' → 'linkedin.com/in/ana'.
    """
    v = value.strip().casefold().rstrip("/")
    for prefix in ("https://", "http://"):
        v = v.removeprefix(prefix)
    return v.removeprefix("www.")


# --------------------------------------------------------------------------- typed names


class NameQuery:
    """What someone typed to name a person, normalised once for many candidates."""

    __slots__ = ("folded", "key", "text", "words")

    def __init__(self, text: str | None) -> None:
        self.text = text or ""
        self.folded = fold(self.text)
        self.words = name_words(self.folded)
        self.key = " ".join(sorted(self.words))

    def __bool__(self) -> bool:
        return bool(self.words)

    def prefilter(self, folded_names: str) -> bool:
        """A cheap test every match passes: each word is inside the folded names.

        `folded_names` is `fold()` of the name and former names (what the start of a
        contact's stored search text holds); punctuation may still be in it.
        """
        for w in self.words:  # noqa: SIM110 - a plain loop: no generator, called per row
            if w not in folded_names:
                return False
        return True

    def strength(self, name: str, former: str = "") -> int:
        """How strongly a person called `name` (formerly also `former`, any words) matches.

        0: not at all; else EXACT, WORDS, PREFIXES or CONTAINS (see the module's doc).
        Former names count as words of the name, never as an exact match.
        """
        qw = self.words
        if not qw:
            return 0
        words = name_words(name)
        if len(words) == len(qw) and (words == qw or " ".join(sorted(words)) == self.key):
            return EXACT
        if former:
            words = words + name_words(former)
        if len(qw) == 1:  # while typing the first word: the common case, made cheap
            w = qw[0]
            if w in words:
                return WORDS
            for nw in words:
                if nw.startswith(w):
                    return PREFIXES
            for nw in words:
                if w in nw:
                    return CONTAINS
            return 0
        for w in qw:
            for nw in words:
                if w in nw:
                    break
            else:
                return 0
        if _assign(qw, words, str.__eq__):
            return WORDS
        if _assign(qw, words, str.startswith):
            return PREFIXES
        return CONTAINS


def _assign(query: Sequence[str], words: Sequence[str], fits: Callable[[str, str], bool]) -> bool:
    """Each query word fits a distinct word of the name (any order; tiny backtracking)."""
    if len(query) > len(words):
        return False
    order = sorted(query, key=len, reverse=True)  # the longest words are the pickiest

    def place(i: int, used: int) -> bool:
        if i == len(order):
            return True
        q = order[i]
        for j, w in enumerate(words):
            if not used >> j & 1 and fits(w, q) and place(i + 1, used | 1 << j):
                return True
        return False

    return place(0, 0)


def rank(
    query: NameQuery | str,
    candidates: Iterable[T],
    names: Callable[[T], tuple[str, str]],
) -> list[tuple[int, list[T]]]:
    """The candidates that match, grouped by strength, strongest group first.

    `names(c)` gives a candidate's (name, former names). Within a group, the candidates'
    own order is kept. Nothing matching literally gives `[]`: see `close_spellings`.
    """
    q = query if isinstance(query, NameQuery) else NameQuery(query)
    if not q:
        return []
    groups: dict[int, list[T]] = {}
    for cand in candidates:
        name, former = names(cand)
        s = q.strength(name, former)
        if s:
            groups.setdefault(s, []).append(cand)
    return sorted(groups.items(), key=lambda kv: -kv[0])


@lru_cache(maxsize=65536)
def _spelling_key(name: str) -> str:
    """`name_key`, cached: the picker compares every name again at each keystroke."""
    return name_key(name)


def close_spellings(
    query: NameQuery | str, candidates: Iterable[T], name: Callable[[T], str]
) -> list[T]:
    """Candidates whose name is spelled close to the query ("ana slva" → Ana Silva).

    The closest spelling and any within 0.02 of it; word order ignored.
    """
    q = query if isinstance(query, NameQuery) else NameQuery(query)
    if not q:
        return []
    by_key: dict[str, list[T]] = {}
    for cand in candidates:
        by_key.setdefault(_spelling_key(name(cand)), []).append(cand)
    by_key.pop("", None)
    close = difflib.get_close_matches(q.key, list(by_key), n=5, cutoff=0.8)
    if not close:
        return []
    best = difflib.SequenceMatcher(None, q.key, close[0]).ratio()
    out: list[T] = []
    for key in close:
        if difflib.SequenceMatcher(None, q.key, key).ratio() >= best - 0.02:
            out.extend(by_key[key])
    return out


# --------------------------------------------------------------------------- recognising


class Person(NamedTuple):
    """What recognising reads about one contact."""

    id: int
    first_name: str
    last_name: str
    company: str = ""
    emails: tuple[str, ...] = ()
    linkedins: tuple[str, ...] = ()  # profile URLs
    previous_names: str = ""  # former last names, ", "-separated

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    def name_keys(self) -> set[str]:
        """`name_key` of the current name and of each former one (first + former last)."""
        return _name_keys(self.first_name, self.last_name, self.previous_names)


def _name_keys(first: str, last: str, previous: str = "") -> set[str]:
    keys = {name_key(f"{first} {last}")}
    if previous:
        for former in previous.split(", "):
            if former:
                keys.add(name_key(f"{first} {former}"))
    keys.discard("")
    return keys


@dataclass(frozen=True, slots=True)
class Match:
    """Who `Index.match` recognised.

    `how` is URL, EMAIL or NAME with `contact_id` set; AMBIGUOUS (several contacts fit
    equally: `candidates`, oldest first) or NONE with `contact_id` None. `namesakes` are
    contacts with the same name whose company or profile disagrees: not a match, but a
    possible duplicate if the person is added.
    """

    contact_id: int | None
    how: str
    candidates: tuple[int, ...] = ()
    namesakes: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return self.contact_id is not None


class Index:
    """Contacts indexed by profile URL, e-mail and name key, built once, kept up to date.

    Build it from every contact once (`Index(people)`), then call `match` for each
    message, event or record; `add` and `add_method`/`set_company` keep it current
    while an import adds people or details.
    """

    def __init__(self, people: Iterable[Person] = ()) -> None:
        # key → one id, or several (in the order added): most keys name one person, and
        # an import indexes a whole network (an int costs a tenth of a one-item list);
        # several are a dict, so that adding one stays cheap when a hostile file brings
        # 100,000 people of one name
        self.by_url: dict[str, int | dict[int, None]] = {}
        self.by_email: dict[str, int | dict[int, None]] = {}
        self.by_name: dict[str, int | dict[int, None]] = {}
        self.urls: dict[int, str | tuple[str, ...]] = {}  # one or more; only if some
        self.companies: dict[int, str] = {}  # normalised; only contacts that have one
        for p in people:
            self.add(p)

    def add(self, person: Person) -> None:
        pid = person.id
        self.add_name(pid, person.first_name, person.last_name, person.previous_names)
        self.set_company(pid, person.company)
        for e in person.emails:
            self.add_method(pid, "email", e)
        for u in person.linkedins:
            self.add_method(pid, "linkedin", u)

    def add_name(self, contact_id: int, first: str, last: str, previous: str = "") -> None:
        """A contact's name (and former last names, ", "-separated)."""
        for key in _name_keys(first or "", last or "", previous or ""):
            _push(self.by_name, key, contact_id)

    def add_method(self, contact_id: int, kind: str, value: str) -> None:
        """A contact method of `contact_id` (only e-mails and profile URLs matter)."""
        if not value or value.isspace():
            return
        if kind == "email":
            _push(self.by_email, normal_email(value), contact_id)
        elif kind == "linkedin":
            url = normal_url(value)
            theirs = self._urls_of(contact_id)
            if url not in theirs:
                self.urls[contact_id] = (*theirs, url) if theirs else url
            _push(self.by_url, url, contact_id)

    def _urls_of(self, contact_id: int) -> tuple[str, ...]:
        theirs = self.urls.get(contact_id, ())
        return (theirs,) if isinstance(theirs, str) else theirs

    def set_company(self, contact_id: int, company: str) -> None:
        normal = normal_company(company) if company else ""
        if normal:
            self.companies[contact_id] = normal
        else:
            self.companies.pop(contact_id, None)

    def agrees(
        self, contact_id: int, url: str | Iterable[str] | None = None, company: str | None = None
    ) -> bool:
        """Nothing known about `contact_id` contradicts these profile URLs and company.

        A contact with other profile URLs (none of these) is another person. With a
        company given, the contact's must be the same: an empty one does not agree, as a
        name alone must not hand someone a job.
        """
        return self._agrees(contact_id, _urls(url), company)

    def _agrees(self, contact_id: int, urls: set[str], company: str | None) -> bool:
        theirs = self._urls_of(contact_id)
        if urls and theirs and urls.isdisjoint(theirs):
            return False
        return not (company and normal_company(company) != self.companies.get(contact_id, ""))

    def candidates(
        self,
        url: str | Iterable[str] | None = None,
        email: str | Iterable[str] | None = None,
        name: str | None = None,
    ) -> set[int]:
        """Every contact `match` could return or name as a namesake for these: a superset,
        for a caller that loads only the contacts a batch of records may be (an import).
        """
        out: set[int] = set()
        for u in _urls(url):
            out.update(_ids(self.by_url, u))
        for e in [email] if isinstance(email, str) else list(email or ()):
            if e and not e.isspace():
                out.update(_ids(self.by_email, normal_email(e)))
        if name:
            out.update(_ids(self.by_name, name_key(name)))
        return out

    def match(
        self,
        url: str | Iterable[str] | None = None,
        email: str | Iterable[str] | None = None,
        name: str | None = None,
        company: str | None = None,
        *,
        allow: Callable[[int, str], bool] | None = None,
    ) -> Match:
        """Who this is: profile URL, then e-mail (case ignored), then name.

        `url` and `email` may be several (the first that finds someone wins). A contact
        whose profile URLs differ from `url` is never matched by e-mail or name; by name
        also the company must agree (`agrees`). `allow(contact_id, how)`, when given,
        can rule contacts out (an import: people it already matched).
        """

        def ok(cid: int, how: str) -> bool:
            return allow is None or allow(cid, how)

        urls = _urls(url)
        for u in sorted(urls):
            ids = [c for c in _ids(self.by_url, u) if ok(c, URL)]
            if ids:
                return Match(min(ids), URL, tuple(sorted(ids)))
        emails = [email] if isinstance(email, str) else list(email or ())
        for e in emails:
            ids = sorted(
                c
                for c in set(_ids(self.by_email, normal_email(e)))
                if self._agrees(c, urls, None) and ok(c, EMAIL)
            )
            if ids:
                return Match(ids[0], EMAIL, tuple(ids))
        if not name:
            return Match(None, NONE)
        named = sorted(set(_ids(self.by_name, name_key(name))))
        allowed = [c for c in named if ok(c, NAME)]
        fits = [c for c in allowed if self._agrees(c, urls, company)]
        namesakes = tuple(c for c in allowed if c not in fits)
        if len(fits) == 1:
            return Match(fits[0], NAME, (fits[0],), namesakes)
        if fits:
            return Match(None, AMBIGUOUS, tuple(fits), namesakes)
        return Match(None, NONE, (), namesakes)


def _urls(url: str | Iterable[str] | None) -> set[str]:
    if not url:
        return set()
    values = [url] if isinstance(url, str) else url
    return {normal_url(u) for u in values if u and not u.isspace()}


def _ids(index: dict[str, int | dict[int, None]], key: str) -> Iterable[int]:
    ids = index.get(key, ())
    return (ids,) if isinstance(ids, int) else ids


def _push(index: dict[str, int | dict[int, None]], key: str, cid: int) -> None:
    ids = index.get(key)
    if ids is None:
        index[key] = cid
    elif isinstance(ids, int):
        if ids != cid:
            index[key] = {ids: None, cid: None}
    else:
        ids[cid] = None
