"""The filter language shared by `/` in the app and `netterm list --filter`.

    acme is:overdue tier:1 cat:"former classmates" company:acme -is:paused

* plain words must all appear (accents and case ignored) in the name, title, company,
  location, how met, notes, looking-for, contact methods or categories;
* `is:` a state (overdue, due, unresponsive, ok, paused, untracked, archived) or a
  flag (awaiting, meet, giveback, followup, jobchanged, notreviewed); unique prefixes
  work, so `is:ov` is overdue while you type;
* `tier:` 1, 2, 3, priority, regular, light or untracked;
* `cat:`/`category:`, `company:`/`co:`, `title:`, `name:`, `met:`, `note:`/`notes:`
  search that field only;
* a leading `-` negates a word or qualifier; "quotes" keep spaces together.

Archived contacts are hidden unless the query asks for them (`is:archived`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from netterm.core import status as st
from netterm.core.kinds import resolve_tier
from netterm.core.names import fold
from netterm.errors import InvalidInput

STATE_WORDS = {
    "overdue": st.OVERDUE,
    "due": st.DUE_SOON,
    "duesoon": st.DUE_SOON,
    "due-soon": st.DUE_SOON,
    "due_soon": st.DUE_SOON,
    "soon": st.DUE_SOON,
    "unresponsive": st.UNRESPONSIVE,
    "ok": st.OK,
    "paused": st.PAUSED,
    "snoozed": st.PAUSED,
    "untracked": st.UNTRACKED,
    "archived": st.ARCHIVED,
}
FLAG_WORDS = {
    "awaiting": st.AWAITING_REPLY,
    "awaiting-reply": st.AWAITING_REPLY,
    "meet": st.MEET_IN_PERSON,
    "meet-in-person": st.MEET_IN_PERSON,
    "giveback": st.GIVE_BACK,
    "give-back": st.GIVE_BACK,
    "followup": st.FOLLOW_UP_DUE,
    "follow-up": st.FOLLOW_UP_DUE,
    "jobchanged": st.JOB_CHANGED,
    "job-changed": st.JOB_CHANGED,
    "notreviewed": st.NOT_REVIEWED,
    "not-reviewed": st.NOT_REVIEWED,
}
FIELD_KEYS = {
    "cat": "categories",
    "category": "categories",
    "categories": "categories",
    "company": "company",
    "co": "company",
    "org": "company",
    "title": "title",
    "name": "name",
    "met": "how_met",
    "how": "how_met",
    "note": "notes",
    "notes": "notes",
}
KEYS = ("is", "tier", *FIELD_KEYS)
_EXAMPLE = {"is": "is:overdue", "tier": "tier:1", "cat": 'cat:"former classmates"'}


class Searchable(Protocol):
    """What a row must offer to be matched (services.NetworkRow does)."""

    @property
    def state(self) -> str: ...

    @property
    def flags(self) -> Sequence[str]: ...

    @property
    def tier(self) -> int | None: ...

    def field_text(self, name: str) -> str: ...  # folded text of one field

    @property
    def haystack(self) -> str: ...  # folded text of every searchable field


S = TypeVar("S", bound=Searchable)


@dataclass(frozen=True, slots=True)
class Term:
    key: str  # "text", "is", "tier" or a field name
    value: Any  # str for text, state, flag and fields; int or None for tier
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    text: str = ""
    terms: tuple[Term, ...] = ()
    wants_archived: bool = field(default=False)

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def matches(self, row: Searchable) -> bool:
        if row.state == st.ARCHIVED and not self.wants_archived:
            return False
        return all(_term_matches(term, row) != term.negated for term in self.terms)

    def filter(self, rows: Iterable[S]) -> list[S]:
        """The matching rows, in order. Same result as `matches` on each row, but one
        term at a time over the survivors: about three times faster on 30,000 rows,
        which keeps a filter keystroke in the app well under a frame."""
        out = list(rows) if self.wants_archived else [r for r in rows if r.state != st.ARCHIVED]
        for term in self.terms:
            if not out:
                break
            out = _narrow(term, out)
        return out


def _narrow(term: Term, rows: list[S]) -> list[S]:
    """The rows that pass one term (its negation honoured)."""
    key, value, keep = term.key, term.value, not term.negated
    if key == "text":
        return [r for r in rows if (value in r.haystack) is keep]
    if key == "state":
        return [r for r in rows if (r.state == value) is keep]
    if key == "flag":
        return [r for r in rows if (value in r.flags) is keep]
    if key == "tier":
        return [r for r in rows if (r.tier == value) is keep]
    return [r for r in rows if (value in r.field_text(key)) is keep]


def _term_matches(term: Term, row: Searchable) -> bool:
    key, value = term.key, term.value
    if key == "text":
        return value in row.haystack
    if key == "state":
        return bool(row.state == value)
    if key == "flag":
        return value in row.flags
    if key == "tier":
        return bool(row.tier == value)
    return value in row.field_text(key)


def tokenize(text: str) -> list[str]:
    """Split on spaces, keeping "quoted phrases" (and key:"quoted values") together.

    An unclosed quote runs to the end, so a query typed one key at a time is always
    tokenizable.
    """
    tokens: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            continue
        if ch.isspace() and not quoted:
            if buf:
                tokens.append("".join(buf))
                buf = []
            continue
        buf.append(ch)
    if buf:
        tokens.append("".join(buf))
    return tokens


#: words before a colon that are not a qualifier but part of what is searched
_NOT_KEYS = frozenset({"http", "https", "mailto", "tel"})


def parse_query(text: str, *, strict: bool = False) -> Query:
    """Parse a filter; `InvalidInput` names the part that makes no sense.

    The app parses while the user types: a half-typed `is:` or an unclosed quote is
    ignored. `strict` (the command line, where the query is complete) refuses them, and
    refuses an unknown qualifier such as `foo:bar` instead of searching for the text.
    """
    terms: list[Term] = []
    wants_archived = False
    if strict and (text or "").count('"') % 2:
        raise InvalidInput("query", f'unbalanced quote in {text!r}: close the " or remove it')
    for token in tokenize(text or ""):
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        key, sep, value = body.partition(":")
        key_l = key.lower()
        if strict and sep and key_l not in KEYS and key_l.isalpha() and key_l not in _NOT_KEYS:
            raise InvalidInput(
                "query",
                f"unknown qualifier '{key}:'; use is:, tier:, cat:, company:, title:, "
                "name:, met: or note: (or quote the words)",
            )
        if sep and key_l in KEYS:
            if not value:
                if strict:
                    raise InvalidInput(
                        key_l,
                        f"'{key}:' needs a value (e.g. {_EXAMPLE.get(key_l, key_l + ':acme')})",
                    )
                continue  # "is:" half typed: ignore until there is a value
            term = _qualifier(key_l, value, negated)
            if term.key == "state" and term.value == st.ARCHIVED and not negated:
                wants_archived = True
            terms.append(term)
        else:
            folded = fold(body)
            if folded:
                terms.append(Term("text", folded, negated))
    return Query(text=text, terms=tuple(terms), wants_archived=wants_archived)


def _qualifier(key: str, value: str, negated: bool) -> Term:
    v = fold(value)
    if key == "is":
        if v in STATE_WORDS:
            return Term("state", STATE_WORDS[v], negated)
        if v in FLAG_WORDS:
            return Term("flag", FLAG_WORDS[v], negated)
        states = {s for w, s in STATE_WORDS.items() if w.startswith(v)}
        flags = {f for w, f in FLAG_WORDS.items() if w.startswith(v)}
        if len(states) == 1 and not flags:
            return Term("state", states.pop(), negated)
        if len(flags) == 1 and not states:
            return Term("flag", flags.pop(), negated)
        known = ", ".join(sorted({*STATE_WORDS, *FLAG_WORDS} - {"due_soon", "due-soon"}))
        raise InvalidInput("is", f"unknown state or flag '{value}'; use one of: {known}")
    if key == "tier":
        return Term("tier", resolve_tier(value), negated)
    return Term(FIELD_KEYS[key], v, negated)
