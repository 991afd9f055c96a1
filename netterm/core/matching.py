"""Who can help whom: what a contact is looking for, matched against another's profile.

The database ranks (SQLite FTS5's bm25, PostgreSQL's ts_rank: services/intros.py);
this module does what needs no database: turning "looking for" text into search terms,
and saying why a ranked contact matches ("Staff Engineer @ Cyberdyne — matches 'staff
engineer'"), from the same fields the index holds (title, company, categories, notes,
career).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from netterm.core.identity import fold

#: Words that say nothing about *what* someone is looking for.
_STOPWORDS_TEXT = """
    a an the and or of for to in on at by with from into about as is are be been am
    i me my we our us you your they them their he him his she her it its this that these
    those who whom whose which what where when how any some someone somebody anyone
    people person persons folks contact contacts connection connections intro intros
    introduction introductions introduce looking look seeking seek find finding need
    needs needed want wants wanted meet meeting help helping hire hiring new good great
    more most other others like e g eg etc ideally maybe possibly especially can could
    would should will do does get getting ask asking
    """
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

#: Most terms a query uses (a long paragraph of looking-for text is cut, in order).
MAX_TERMS = 12

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Term:
    """One search word: `word` folded (accents, case), `shown` as the user typed it,
    `position` its place among all the words of the text (stopwords included; a
    punctuation mark counts as a word, so it breaks a phrase)."""

    word: str
    shown: str
    position: int
    glue: str = " "  # what joins it to the word before: " ", "-" (co-founder), "/"


def query_terms(looking_for: str | None) -> tuple[Term, ...]:
    """The search terms of a "looking for" text: folded words, no stopwords, no
    one-letter words, each once, in the order typed, at most MAX_TERMS."""
    if not looking_for:
        return ()
    out: list[Term] = []
    seen: set[str] = set()
    position, end = -1, 0
    for m in _WORD.finditer(looking_for):
        # punctuation between two words breaks a phrase ("engineer, fintech"); a
        # hyphen, slash or apostrophe does not ("co-founder", "UX/UI")
        gap = looking_for[end : m.start()]
        position += 1 if not gap.strip(" \t\n-/'’") or not gap.strip() else 2
        end = m.end()
        word = "".join(_WORD.findall(fold(m.group())))  # folding may add a mark: ¼ → 1⁄4
        if len(word) < 2 or word in STOPWORDS or word in seen:
            continue
        seen.add(word)
        glue = "".join(gap.split()) or " "
        out.append(Term(word, m.group(), position, glue if len(glue) == 1 else " "))
        if len(out) == MAX_TERMS:
            break
    return tuple(out)


def _phrases(terms: Sequence[Term]) -> list[list[Term]]:
    """Runs of terms next to each other in the text ("staff engineer")."""
    runs: list[list[Term]] = []
    for t in terms:
        if runs and t.position == runs[-1][-1].position + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs


def fts5_query(terms: Sequence[Term]) -> str:
    """An FTS5 MATCH expression: any term, plus each run of adjacent terms as a phrase
    (so "staff engineer" together ranks above "staff" and "engineer" apart). Terms are
    double-quoted strings: nothing the user typed is read as FTS5 syntax."""
    parts = [f'"{" ".join(t.word for t in run)}"' for run in _phrases(terms) if len(run) > 1]
    parts += [f'"{t.word}"' for t in terms]
    return " OR ".join(parts)


#: Terms paired by the narrow query (`pairs`): 6 terms make 15 pairs.
PAIRED_TERMS = 6


def pairs(terms: Sequence[Term]) -> list[tuple[bool, tuple[Term, ...]]]:
    """What the narrow query asks for: each phrase, and every two of the first terms,
    as (is a phrase, terms).

    A contact with two words of the query (or one of its phrases) outranks one with a
    single word anyway; asking only for those first spares the database scoring the
    thousands of people one common word ("engineer") matches. Empty for one term."""
    if len(terms) < 2:
        return []
    runs = [(True, tuple(run)) for run in _phrases(terms) if len(run) > 1]
    first = list(terms[:PAIRED_TERMS])
    both = [(False, (x, y)) for i, x in enumerate(first) for y in first[i + 1 :]]
    return runs + both


def fts5_narrow(terms: Sequence[Term]) -> str:
    """`pairs` as an FTS5 expression (a phrase quoted, a pair with AND)."""
    return " OR ".join(
        f'"{" ".join(t.word for t in group)}"'
        if phrase
        else "(" + " AND ".join(f'"{t.word}"' for t in group) + ")"
        for phrase, group in pairs(terms)
    )


def tsquery_narrow(terms: Sequence[Term]) -> str:
    """`pairs` as a tsquery text."""
    return " | ".join(
        "(" + (" <-> " if phrase else " & ").join(t.word for t in group) + ")"
        for phrase, group in pairs(terms)
    )


def tsquery(terms: Sequence[Term]) -> str:
    """The same as a PostgreSQL tsquery text (for `to_tsquery('english', …)`): terms
    are letters and digits only, so none is read as an operator."""
    parts = [
        "(" + " <-> ".join(t.word for t in run) + ")" for run in _phrases(terms) if len(run) > 1
    ]
    parts += [t.word for t in terms]
    return " | ".join(parts)


# --------------------------------------------------------------------------- why


def same_word(a: str, b: str) -> bool:
    """Two folded words are one word, give or take an ending: engineer / engineers /
    engineering, design / designer, invest / investors. (The database stems with
    Porter / Snowball; this is the explanation's lighter rule.)"""
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    rest = max(len(a), len(b)) - n
    return (n >= 4 and rest <= 3) or (n >= 6 and rest <= 4)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the index holds of a possible match (services read it from `contact_doc`)."""

    contact_id: int
    name: str
    title: str = ""
    company: str = ""
    categories: tuple[str, ...] = ()
    notes: str = ""
    career: tuple[tuple[str, str], ...] = ()  # (title, company), newest first

    @property
    def headline(self) -> str:
        return headline(self.title, self.company)


def headline(title: str, company: str) -> str:
    """'Staff Engineer @ Cyberdyne', 'Staff Engineer', '@ Cyberdyne' or ''."""
    title, company = title.strip(), company.strip()
    if title and company:
        return f"{title} @ {company}"
    return title or (f"@ {company}" if company else "")


@dataclass(frozen=True, slots=True)
class Why:
    """Why a contact matches: the field shown, the words of the looking-for text found."""

    field: str  # title, company, career, categories, notes
    shown: str  # "Staff Engineer @ Cyberdyne", "formerly CTO @ Initech", "notes: '…'"
    matched: tuple[str, ...]  # the looking-for words found, as typed
    coverage: float  # share of the query's terms found anywhere (0..1]
    said: str = ""  # the matched words as typed: "staff engineer", "consultancy, data"

    @property
    def quoted(self) -> str:
        return "'" + (self.said or " ".join(self.matched)) + "'"

    @property
    def text(self) -> str:
        return f"{self.shown} — matches {self.quoted}"

    @property
    def good(self) -> bool:
        """Good enough to suggest unasked (the audit, `netterm due`): half the terms
        or more, found in who they are (not only in the notes)."""
        return self.coverage >= 0.5 and self.field != "notes"


#: Fields in the order they are preferred as the explanation, on a tie.
FIELDS = ("title", "company", "career", "categories", "notes")


def _words(text: str) -> list[str]:
    return ["".join(_WORD.findall(fold(w))) for w in _WORD.findall(text)]


def _found(terms: Sequence[Term], text: str) -> list[Term]:
    words = _words(text)
    return [t for t in terms if any(same_word(t.word, w) for w in words)]


def _snippet(text: str, term: Term, width: int = 48) -> str:
    """A few words of the notes around the first word that matches `term`."""
    flat = " ".join(text.split())
    for m in _WORD.finditer(flat):
        if same_word(term.word, "".join(_WORD.findall(fold(m.group())))):
            start = max(0, m.start() - width // 3)
            start = flat.rfind(" ", 0, start) + 1 if start else 0
            piece = flat[start : start + width]
            if start + width < len(flat):
                cut = piece.rfind(" ")
                piece = (piece[:cut] if cut > width // 2 else piece) + "…"
            return ("…" if start else "") + piece
    return flat[:width]


def explain(terms: Sequence[Term], profile: Profile) -> Why | None:
    """Why `profile` matches the terms, or None when no term is found in it.

    The field shown is the one where most terms are found (title and company before
    career, categories and notes on a tie); `matched` lists every term found in any
    field, in the order typed.
    """
    if not terms:
        return None
    career_text = "\n".join(f"{t} {c}" for t, c in profile.career)
    found = {
        "title": _found(terms, profile.title),
        "company": _found(terms, profile.company),
        "career": _found(terms, career_text),
        "categories": _found(terms, "\n".join(profile.categories)),
        "notes": _found(terms, profile.notes),
    }
    everywhere = {t for hits in found.values() for t in hits}
    if not everywhere:
        return None
    best = max(FIELDS, key=lambda f: (len(found[f]), -FIELDS.index(f)))
    hits = found[best]
    if best in ("title", "company"):
        # the current job: both parts count together
        hits = sorted({*found["title"], *found["company"]}, key=lambda t: t.position)
        shown = profile.headline
    elif best == "career":
        jobs = [(t, c) for t, c in profile.career if _found(hits, f"{t} {c}")]
        past = [tc for tc in jobs if headline(*tc) != profile.headline]
        shown = "formerly " + headline(*past[0]) if past else headline(*jobs[0])
    elif best == "categories":
        names = [c for c in profile.categories if _found(hits, c)]
        shown = (profile.headline + " · " if profile.headline else "") + "in " + ", ".join(names)
    else:
        shown = "notes: '" + _snippet(profile.notes, hits[0]) + "'"
    ordered = sorted(everywhere, key=lambda t: t.position)
    return Why(
        field=best,
        shown=shown,
        matched=tuple(t.shown for t in ordered),
        coverage=len(everywhere) / len(terms),
        said=", ".join(
            run[0].shown + "".join(t.glue + t.shown for t in run[1:]) for run in _phrases(ordered)
        ),
    )


def intro_notes(
    asker: str, asker_headline: str, helper: str, helper_headline: str
) -> tuple[str, str]:
    """The notes of an introduction's two touches: each names the other person."""

    def named(name: str, head: str) -> str:
        return f"{name} ({head})" if head else name

    return (
        f"Introduced to {named(helper, helper_headline)}",
        f"Introduced to {named(asker, asker_headline)}",
    )


def follow_up_text(asker: str, helper: str) -> str:
    return f"Check that the intro of {asker} to {helper} happened"


# --------------------------------------------------------------------------- already introduced


def names_person(note: str, name: str) -> bool:
    """The note names the person: their whole name, as words (case, accents and
    punctuation aside). "Introduced to Bo Chen (CTO)" names Bo Chen, not Bo or Bo Cheng."""
    wanted = _words(name)
    if not wanted or not any(wanted):
        return False
    words = _words(note)
    n = len(wanted)
    return any(words[i : i + n] == wanted for i in range(len(words) - n + 1))


def introduced_on(
    asker: str,
    asker_intros: Sequence[tuple[date, str]],
    helper: str,
    helper_intros: Sequence[tuple[date, str]],
) -> date | None:
    """The last day `asker` and `helper` were introduced to each other, or None.

    An introduction (services/intros.py `introduce`) is an `intro` touch for each of the
    two people, the same day, each note naming the other (`intro_notes`). Each side's
    intro touches are given as (day, note). Two people count as introduced on a day when
    both have an intro touch that day and at least one of those notes names the other by
    their name as it is now: so a note edited on one side, or one of them renamed since,
    still counts; two unrelated introductions made the same day do not.
    """
    days = {day for day, _ in helper_intros} & {day for day, _ in asker_intros}
    found = [
        day
        for day in days
        if any(d == day and names_person(note, helper) for d, note in asker_intros)
        or any(d == day and names_person(note, asker) for d, note in helper_intros)
    ]
    return max(found, default=None)
