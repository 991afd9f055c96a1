"""Who can help whom: a contact's "looking for", matched against the rest of the network,
and the introduction that follows (habit 4, "provide value").

Ranking is the database's full-text search over the index `store/search_sql.py` keeps
(FTS5's bm25 on SQLite, ts_rank on PostgreSQL); why each match matches is worked out by
`core/matching.py` from the same indexed text. An introduction is one `intro` touch,
*gave*, for both people (each note names the other) and a follow-up to check it
happened, in one transaction, undone in one step (`undo`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from netterm.config import clock
from netterm.core import matching
from netterm.core.dates import short_date
from netterm.core.matching import Profile, Why
from netterm.errors import InvalidInput, NotFound
from netterm.store import search_sql
from netterm.store.models import Contact, FollowUp, Interaction, database

#: How many ranked rows the database returns before the explanation keeps the best.
_POOL = 12
#: Ranked rows read beyond the pool, for the archived and the asker dropped after ranking.
_MARGIN = 40
#: Days until the follow-up that checks an introduction happened.
FOLLOW_UP_DAYS = 14


@dataclass(frozen=True, slots=True)
class Match:
    contact_id: int
    name: str
    headline: str  # "Staff Engineer @ Cyberdyne"
    why: Why
    score: float  # the engine's rank (bm25 negated, or ts_rank): higher is better
    #: The day they were last introduced to the one looking (`introduced_to`), or None.
    introduced_on: date | None = None

    @property
    def introduced(self) -> str:
        """'introduced on 3 Dec' (or '' when they have not been)."""
        if self.introduced_on is None:
            return ""
        return f"introduced on {short_date(self.introduced_on, clock.today())}"

    @property
    def text(self) -> str:
        """'Bo Chen — Staff Engineer @ Cyberdyne — matches 'staff engineer'', and
        ' — introduced on 3 Dec' when they already were."""
        text = f"{self.name} — {self.why.text}" if self.why.shown else self.name
        return f"{text} — {self.introduced}" if self.introduced_on else text

    @property
    def short(self) -> str:
        """'Bo Chen — matches 'staff engineer'' (the audit's and `due`'s line)."""
        return f"{self.name} — matches {self.why.quoted}"

    def as_dict(self) -> dict:
        return {
            "id": self.contact_id,
            "name": self.name,
            "headline": self.headline,
            "field": self.why.field,
            "shown": self.why.shown,
            "matched": list(self.why.matched),
            "coverage": round(self.why.coverage, 3),
            "good": self.why.good,
            "why": self.why.text,
            "score": round(self.score, 4),
            "introduced_on": self.introduced_on.isoformat() if self.introduced_on else None,
        }


def _profile(row: Sequence) -> Profile:
    cid, first, last, title, company, cats, notes, career = row[:8]
    jobs = []
    for line in (career or "").split("\n"):
        if line.strip():
            t, _, c = line.partition("\x1f")
            jobs.append((t, c))
    return Profile(
        contact_id=cid,
        name=" ".join(p for p in (first, last) if p),
        title=title or "",
        company=company or "",
        categories=tuple(c for c in (cats or "").split("\n") if c),
        notes=notes or "",
        career=tuple(jobs),
    )


def name_and_looking_for(contact_id: int) -> tuple[str, str]:
    row = database.execute_sql(
        "SELECT first_name, last_name, looking_for FROM contact WHERE id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"no contact #{contact_id}")
    return " ".join(p for p in row[:2] if p), row[2] or ""


def looking_for(contact_id: int) -> str:
    return name_and_looking_for(contact_id)[1]


def matches_for_text(text: str, exclude: int | None = None, limit: int = 3) -> list[Match]:
    """The contacts who best match a "looking for" text, best first, each with why.

    Archived contacts and `exclude` (the one who is looking) are never matches.
    """
    terms = matching.query_terms(text)
    if not terms or limit <= 0:
        return []
    postgres = search_sql.is_postgres(database.obj)
    if postgres:
        narrow, full = matching.tsquery_narrow(terms), matching.tsquery(terms)
    else:
        narrow, full = matching.fts5_narrow(terms), matching.fts5_query(terms)
    # people with two of the words (or a phrase) first: a common word alone would have
    # the database score thousands; the full query only when they are too few
    out = _ranked(narrow, terms, exclude, limit, postgres) if narrow else []
    if len(out) < limit:
        out = _ranked(full, terms, exclude, limit, postgres)
    return out


def _ranked(
    query: str, terms: Sequence[matching.Term], exclude: int | None, limit: int, postgres: bool
) -> list[Match]:
    pool = max(limit, _POOL)
    rows = database.execute_sql(
        search_sql.ranked_sql(postgres), (query, pool + _MARGIN, exclude or 0, pool)
    ).fetchall()
    out: list[Match] = []
    for row in rows:
        profile = _profile(row)
        why = matching.explain(terms, profile)
        if why is None:
            continue  # the engine's stemming found it; no word to show for it
        score = float(row[8]) if postgres else -float(row[8])
        out.append(Match(profile.contact_id, profile.name, profile.headline, why, score))
        if len(out) == limit:
            break
    return out


def _own_intros(contact_id: int) -> list[tuple[date, str]]:
    """The contact's intro touches, as (day, note): one per person introduced."""
    rows: Any = (
        Interaction.select(Interaction.occurred_on, Interaction.note)
        .where((Interaction.contact == contact_id) & (Interaction.kind == "intro"))
        .tuples()
    )
    return [(d, n or "") for d, n in rows]


def introduced_to(
    contact_id: int,
    name: str | None = None,
    *,
    among: Sequence[int] | None = None,
    own: list[tuple[date, str]] | None = None,
) -> dict[int, date]:
    """Who has been introduced to this contact, with the last day they were
    (core/matching.py `introduced_on`: an intro touch for both the same day, one naming
    the other). `among`: only these people are looked at (the matches about to be
    shown), so the other intro touches of those days are not read: in a log of millions
    of touches they are thousands. Indexed reads; none past the first when the contact
    has no intro touch (`own`, when the caller has read them)."""
    if own is None:
        own = _own_intros(contact_id)
    if not own or (among is not None and not among):
        return {}
    if name is None:
        name = name_and_looking_for(contact_id)[0]
    where = (
        (Interaction.kind == "intro")
        & Interaction.occurred_on.in_(sorted({day for day, _ in own}))
        & (Interaction.contact != contact_id)
    )
    if among is not None:
        where &= Interaction.contact.in_(sorted(set(among)))
    theirs: dict[int, tuple[str, list[tuple[date, str]]]] = {}
    rows: Any = (
        Interaction.select(
            Interaction.contact,
            Contact.first_name,
            Contact.last_name,
            Interaction.occurred_on,
            Interaction.note,
        )
        .join(Contact)
        .where(where)
        .tuples()
    )
    for cid, first, last, day, note in rows:
        other = " ".join(p for p in (first, last) if p)
        theirs.setdefault(cid, (other, []))[1].append((day, note or ""))
    out: dict[int, date] = {}
    for cid, (other, intros) in theirs.items():
        day = matching.introduced_on(name, own, other, intros)
        if day is not None:
            out[cid] = day
    return out


def matches(contact_id: int, limit: int = 3, *, introduced: bool = True) -> list[Match]:
    """Who in the network could help this contact with what they are looking for.

    Someone already introduced to them is not a new suggestion. With `introduced` (the
    lists the user asks for: `netterm matches`, the intro picker) the best `limit` are
    the same, but those come after the others, marked `introduced_on`, so the first
    offered is a new one and none is introduced twice by mistake; without (the detail's
    box, shown unasked) they are left out and the next best fill the `limit`."""
    name, text = name_and_looking_for(contact_id)
    own = _own_intros(contact_id)
    # left out, those introduced make room for as many more: at most one per intro touch
    found = matches_for_text(text, contact_id, limit if introduced else limit + len(own))
    done = introduced_to(contact_id, name, among=[m.contact_id for m in found], own=own)
    if introduced:
        new = [m for m in found if m.contact_id not in done]
        old = [m for m in found if m.contact_id in done]
        return new + [replace(m, introduced_on=done[m.contact_id]) for m in old]
    return [m for m in found if m.contact_id not in done][:limit]


def suggestions(contact_ids: Sequence[int], limit: int | None = None) -> dict[int, Match]:
    """For each contact who is looking for something: the best match not introduced to
    them yet (`introduced_to`), when it is good enough to suggest unasked (`Why.good`).
    For the audit card and `netterm due`.

    At most `limit` contacts get a search (the first ones, in the order given, that are
    looking for something): one full-text query each.
    """
    if not contact_ids:
        return {}
    out: dict[int, Match] = {}
    ids = list(dict.fromkeys(contact_ids))
    searched = 0
    # the texts are read a small chunk at a time, in the order given: `due` passes every
    # priority contact shown (thousands) and searches for the first three
    chunk = 50 if limit is not None else 500
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows: Any = (
            Contact.select(Contact.id, Contact.looking_for)
            .where(
                Contact.id.in_(part) & (Contact.looking_for != "") & Contact.archived_at.is_null()
            )
            .tuples()
        )
        texts: dict[int, str] = dict(rows)
        for cid in part:
            text = texts.get(cid, "")
            if not text.strip():
                continue
            if limit is not None and searched >= limit:
                return out
            searched += 1
            # the best one not introduced to them yet: an intro made is not suggested again
            own = _own_intros(cid)
            found = matches_for_text(text, cid, limit=1 + len(own))
            done = introduced_to(cid, among=[m.contact_id for m in found], own=own)
            best = next((m for m in found if m.contact_id not in done), None)
            if best is not None and best.why.good:
                out[cid] = best
    return out


# --------------------------------------------------------------------------- introducing


@dataclass(slots=True)
class Intro:
    """An introduction planned (or, in a dry run, what it would write)."""

    asker_id: int
    helper_id: int
    asker_name: str
    helper_name: str
    notes: tuple[str, str]  # the asker's touch note, the helper's
    follow_up_on: date
    follow_up_text: str
    touch_ids: list[int] = field(default_factory=list)
    follow_up_id: int | None = None

    @property
    def summary(self) -> str:
        return f"Introduced {self.asker_name} to {self.helper_name}"

    def as_dict(self) -> dict:
        return {
            "asker": {"id": self.asker_id, "name": self.asker_name, "note": self.notes[0]},
            "helper": {"id": self.helper_id, "name": self.helper_name, "note": self.notes[1]},
            "follow_up": {"due_on": self.follow_up_on.isoformat(), "text": self.follow_up_text},
            "touch_ids": self.touch_ids,
            "follow_up_id": self.follow_up_id,
        }


def _person(contact_id: int) -> tuple[str, str]:
    c = Contact.get_or_none(Contact.id == contact_id)
    if c is None:
        raise NotFound(f"no contact #{contact_id}")
    if c.archived_at is not None:
        raise InvalidInput("who", f"{c.name} is archived; unarchive them first")
    return c.name, matching.headline(c.job_title, c.company)


def plan(asker_id: int, helper_id: int, note: str = "") -> Intro:
    """Check an introduction of `asker_id` to `helper_id` without writing it."""
    if asker_id == helper_id:
        raise InvalidInput("other", "a contact cannot be introduced to themselves")
    asker, asker_head = _person(asker_id)
    helper, helper_head = _person(helper_id)
    notes = matching.intro_notes(asker, asker_head, helper, helper_head)
    extra = " ".join((note or "").split())
    if extra:
        notes = (f"{notes[0]}: {extra}", f"{notes[1]}: {extra}")
    from netterm.services.touches import check_touch

    for n in notes:
        check_touch("intro", note=n)  # the note's length and characters, as any touch
    return Intro(
        asker_id,
        helper_id,
        asker,
        helper,
        notes,
        clock.today().add(days=FOLLOW_UP_DAYS),
        matching.follow_up_text(asker, helper),
    )


def introduce(asker_id: int, helper_id: int, note: str = "", *, dry_run: bool = False) -> Intro:
    """Introduce `asker_id` (who is looking for something) to `helper_id`: an `intro`
    touch, *gave*, for each (the note names the other) and a follow-up on the asker in
    FOLLOW_UP_DAYS days to check it happened — all or nothing."""
    from netterm.services.touches import add_follow_up, log_touch

    intro = plan(asker_id, helper_id, note)
    if dry_run:
        return intro
    with database.atomic():
        for cid, text in ((asker_id, intro.notes[0]), (helper_id, intro.notes[1])):
            touch = log_touch(cid, "intro", note=text, direction="out", value="gave")
            intro.touch_ids.append(touch.id)
        intro.follow_up_id = add_follow_up(asker_id, intro.follow_up_on, intro.follow_up_text).id
    return intro


def undo(intro: Intro) -> None:
    """Take the introduction back: both touches and the follow-up, in one transaction."""
    from netterm.services import stats

    with database.atomic():
        if intro.touch_ids:
            Interaction.delete().where(Interaction.id.in_(intro.touch_ids)).execute()
        if intro.follow_up_id is not None:
            FollowUp.delete().where(FollowUp.id == intro.follow_up_id).execute()
        stats.refresh([intro.asker_id, intro.helper_id])
