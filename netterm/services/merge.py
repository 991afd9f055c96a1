"""Likely duplicates, and merging two contacts into one without losing anything.

    find_duplicates()            every group of active contacts that look like one person
    duplicates_of(contact_id)    the others in this contact's group, with why (fast: a card)
    preview_merge(source, into)  what `merge` would do, for a confirmation
    merge(source, into)          → MergeResult; `result.undo` is what `unmerge` takes
    unmerge(undo)                puts both contacts back exactly as they were

`merge(source, into)` keeps `into` and moves onto it every touch, follow-up, career
row, audit decision, contact method and category of `source`; `into`'s empty fields
are filled from `source` (a job, location, how met, …), long texts that differ are
joined (notes, looking for, how met), a different last name becomes a former name,
a different job goes to the career history, and the higher tier wins. `source` is then
archived, not deleted: it keeps its own fields as they were (and any method `into`
already had), with a line in its notes saying where it went — so nothing the user
typed is lost, and the merge can be undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import permutations, product
from typing import Any

from netterm.config import clock
from netterm.core import duplicates as dup
from netterm.core.dates import short_date
from netterm.core.names import fold
from netterm.errors import InvalidInput, NotFound
from netterm.services import stats, undo
from netterm.services.contacts import reindex
from netterm.store.models import Contact, Job, database

_MATCH_KINDS = (dup.EMAIL, dup.LINKEDIN)

# --------------------------------------------------------------------------- duplicates


@dataclass(frozen=True, slots=True)
class DuplicateMember:
    id: int
    name: str
    title_at_company: str
    touches: int
    last_touch_on: date | None
    created_on: date | None


@dataclass(frozen=True, slots=True)
class DuplicateGroupView:
    """Contacts that look like one person, the oldest record first."""

    members: tuple[DuplicateMember, ...]
    reasons: tuple[str, ...]  # "same email ana@globex.example", "same name and company"


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """Another contact that looks like the one on a card, and why."""

    id: int
    name: str
    title_at_company: str
    why: str  # "same email ana@globex.example" or "same name and company as #12"


def _title_at(title: str, company: str) -> str:
    if title and company:
        return f"{title} @ {company}"
    return title or company or ""


def _people(ids: Sequence[int] | None = None) -> dict[int, dup.Person]:
    """Active contacts as `core.duplicates.Person` (all of them, or these ids)."""
    rows: list = []
    emails: dict[int, list[str]] = {}
    links: dict[int, list[str]] = {}
    kinds = "('email', 'linkedin')"
    if ids is None:
        rows = database.execute_sql(
            "SELECT id, first_name, last_name, company, previous_names FROM contact "
            "WHERE archived_at IS NULL"
        ).fetchall()
        methods = database.execute_sql(
            "SELECT m.contact_id, m.kind, m.value FROM contact_method m NOT INDEXED "
            f"WHERE m.kind IN {kinds}"
        ).fetchall()
    else:
        ids = list(ids)
        marks = ",".join("?" * len(ids))
        rows = database.execute_sql(
            "SELECT id, first_name, last_name, company, previous_names FROM contact "
            f"WHERE archived_at IS NULL AND id IN ({marks})",
            ids,
        ).fetchall()
        methods = database.execute_sql(
            "SELECT contact_id, kind, value FROM contact_method "
            f"WHERE contact_id IN ({marks}) AND +kind IN {kinds}",  # + : use the contact index
            ids,
        ).fetchall()
    for cid, kind, value in methods:
        (emails if kind == dup.EMAIL else links).setdefault(cid, []).append(value)
    return {
        r[0]: dup.Person(
            r[0], r[1], r[2], r[3], tuple(emails.get(r[0], ())), tuple(links.get(r[0], ())), r[4]
        )
        for r in rows
    }


def _members(ids: Iterable[int]) -> dict[int, DuplicateMember]:
    ids = list(ids)
    out: dict[int, DuplicateMember] = {}
    tz = clock.timezone()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        touches = dict(
            database.execute_sql(
                f"SELECT contact_id, COUNT(*) FROM interaction WHERE contact_id IN ({marks}) "
                "GROUP BY contact_id",
                chunk,
            ).fetchall()
        )
        for cid, first, last, title, company, created, last_touch in database.execute_sql(
            "SELECT c.id, c.first_name, c.last_name, c.job_title, c.company, c.created_at, "
            f"s.last_touch FROM contact c LEFT JOIN contact_state s ON s.contact_id = c.id "
            f"WHERE c.id IN ({marks})",
            chunk,
        ):
            out[cid] = DuplicateMember(
                cid,
                " ".join(p for p in (first, last) if p),
                _title_at(title, company),
                touches.get(cid, 0),
                date.fromordinal(last_touch) if last_touch is not None else None,
                stats.local_day(created, tz),
            )
    return out


def find_duplicates() -> list[DuplicateGroupView]:
    """Every group of active contacts that look like the same person, oldest record first."""
    groups = dup.group(_people().values(), _links())
    members = _members(i for g in groups for i in g.ids)
    return [
        DuplicateGroupView(tuple(members[i] for i in g.ids if i in members), g.reasons)
        for g in groups
    ]


def _links(ids: Iterable[int] | None = None) -> list[tuple[int, int, str]]:
    """Pairs an import flagged as possible duplicates (all, or those touching `ids`)."""
    sql = "SELECT contact_id, other_id, reason FROM possible_duplicate"
    if ids is None:
        return [tuple(r) for r in database.execute_sql(sql)]
    ids = list(ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [
        tuple(r)
        for r in database.execute_sql(
            f"{sql} WHERE contact_id IN ({marks}) OR other_id IN ({marks})", ids + ids
        )
    ]


def _variants(kind: str, values: Iterable[str]) -> set[str]:
    """Stored spellings of these LinkedIn URLs (the index finds them exactly)."""
    out: set[str] = set()
    for v in values:
        core = dup.normal_linkedin(v)
        out |= {v, v.strip()}
        for prefix in ("https://www.", "https://", "http://www.", "http://", "www.", ""):
            out |= {prefix + core, prefix + core + "/"}
    return out


def _candidates(person: dup.Person, searched: set) -> set[int]:
    """Ids that might share a key with `person` (a superset; checked by the caller).

    `searched` holds what earlier calls looked up already, so a group costs one pass
    over the table per distinct name, not per member.
    """
    found: set[int] = set()
    emails = sorted({dup.normal_email(e) for e in person.emails} - searched)
    searched.update(emails)
    if emails:
        found |= _same_email(emails)
    links = sorted(_variants(dup.LINKEDIN, person.linkedins) - searched)
    searched.update(links)
    if links:
        marks = ",".join("?" * len(links))
        found |= {
            r[0]
            for r in database.execute_sql(
                f"SELECT contact_id FROM contact_method WHERE kind = 'linkedin' "
                f"AND value IN ({marks})",
                links,
            )
        }
    if dup.name_keys(person):
        found |= _same_name(person, searched)
    found.discard(person.id)
    return found


def _same_email(emails: Sequence[str]) -> set[int]:
    """Contacts with one of these (normalised) emails, in any letter case.

    Every case variant of an address starts with a case variant of its first letters,
    so a few index ranges over (kind, value) find them all without reading every email.
    """
    parts, params = [], []
    for email in emails:
        head = email[:4]
        for letters in product(*({c.lower(), c.upper()} for c in head)):
            prefix = "".join(letters)
            parts.append(
                "SELECT contact_id, value FROM contact_method "
                "WHERE kind = 'email' AND value >= ? AND value < ?"
            )
            params += [prefix, prefix + "\uffff"]
    wanted = set(emails)
    return {
        cid
        for cid, value in database.execute_sql(" UNION ALL ".join(parts), params)
        if dup.normal_email(value) in wanted
    }


def _same_name(person: dup.Person, searched: set) -> set[int]:
    """Active contacts whose name (or a former one) may be this person's.

    `search_text` starts with the folded "first last former…" names, so a person with
    the same name (in any order of up to three words) is a prefix range (one pass over the table, no text search); the few
    contacts with former names are also matched on those.
    """
    names: set[str] = set()
    lasts: set[str] = set()
    for last in (person.last_name, *(p for p in person.previous_names.split(", ") if p)):
        full = f"{person.first_name} {last}"
        names |= {fold(full), dup.normal_name(full)}
        words = dup.normal_name(full).split()
        if len(words) <= 3:  # the names match in any word order ("Silva Ana")
            names |= {" ".join(p) for p in permutations(words)}
        lasts |= {fold(last), dup.normal_name(last)}
    names -= {"", *searched}
    lasts.discard("")
    if not names:
        return set()
    searched.update(names)
    ranges = " OR ".join("(search_text >= ? AND search_text < ?)" for _ in names)
    former = " OR ".join("instr(search_text, ?) > 0" for _ in lasts) or "0"
    params: list[str] = []
    for n in sorted(names):
        params += [n, n + "\uffff"]
    params += [" " + n for n in sorted(lasts)]
    return {
        r[0]
        for r in database.execute_sql(
            # +archived_at: one plain pass is faster than walking the archived_at index
            f"SELECT id FROM contact WHERE +archived_at IS NULL AND (({ranges}) OR "
            f"(previous_names != '' AND ({former})))",
            params,
        )
    }


def duplicates_of(contact_id: int) -> list[DuplicateMatch]:
    """The other active contacts in this contact's duplicate group, oldest first.

    The same groups as `find_duplicates`, found from one contact with a few indexed
    queries (instant on a card, even at 30,000 contacts).
    """
    start = _people([contact_id]).get(contact_id)
    if start is None:
        return []
    people = {contact_id: start}
    keys = {contact_id: dup.identity_keys(start)}
    frontier = [start]
    searched: set = set()
    linked: dict[int, dict[int, str]] = {}  # flagged by an import: id → {other: why}
    while frontier:
        for a, b, why in _links(p.id for p in frontier):
            linked.setdefault(a, {})[b] = why
            linked.setdefault(b, {})[a] = why
        wanted = set()
        for person in frontier:
            wanted |= _candidates(person, searched) - people.keys()
            wanted |= linked.get(person.id, {}).keys() - people.keys()
        loaded = _people(sorted(wanted)) if wanted else {}
        next_frontier = []
        for cid, cand in loaded.items():
            cand_keys = dup.identity_keys(cand)
            if any(cand_keys & keys[p.id] or p.id in linked.get(cid, {}) for p in frontier):
                people[cid] = cand
                keys[cid] = cand_keys
                next_frontier.append(cand)
        frontier = next_frontier
    others = sorted(i for i in people if i != contact_id)
    members = _members(others)
    out = []
    for cid in others:
        reasons = dup.match_reasons(start, people[cid])
        if contact_id in linked.get(cid, {}):
            reasons.append(linked[cid][contact_id])
        if not reasons:  # related through another member of the group
            via = next(
                (
                    o
                    for o in [contact_id, *others]
                    if o != cid and (keys[o] & keys[cid] or o in linked.get(cid, {}))
                ),
                None,
            )
            shared = dup.match_reasons(people[via], people[cid]) if via is not None else []
            if via is not None and via in linked.get(cid, {}):
                shared.append(linked[cid][via])
            reasons = [f"{shared[0]} as #{via}"] if shared else ["related through the group"]
        m = members[cid]
        out.append(DuplicateMatch(cid, m.name, m.title_at_company, "; ".join(reasons)))
    return out


# --------------------------------------------------------------------------- merge

#: Filled on the kept contact when empty there (a job is one unit: title and company).
_FILL = ("location", "how_met", "met_on", "looking_for", "notes", "cadence_days")
#: An unacknowledged job change carries over; a snooze or "ball in their court" of the
#: other record does not pause the kept one (it stays on the archived record).
_FILL_STATE = ("job_changed_at",)
#: Joined when both have a different text.
_JOIN = {"notes": "\n\n", "looking_for": "\n", "how_met": "; "}


@dataclass(slots=True)
class MergePreview:
    source_id: int
    source_name: str
    into_id: int
    into_name: str
    touches: int = 0
    follow_ups: int = 0
    jobs: int = 0
    methods: int = 0  # moved onto the kept contact (the others it already had)
    categories: list[str] = field(default_factory=list)  # added to the kept contact
    filled: list[str] = field(default_factory=list)  # fields filled or joined on the kept one

    def sentence(self) -> str:
        parts = [
            f"{self.touches} touch" + ("es" if self.touches != 1 else ""),
            f"{self.methods} contact method" + ("s" if self.methods != 1 else ""),
        ]
        if self.categories:
            parts.append("categories " + ", ".join(self.categories))
        if self.follow_ups:
            parts.append(f"{self.follow_ups} follow-up" + ("s" if self.follow_ups != 1 else ""))
        if self.jobs:
            parts.append(f"{self.jobs} career row" + ("s" if self.jobs != 1 else ""))
        filled = f"; fills {', '.join(self.filled)}" if self.filled else ""
        return (
            f"Merge #{self.source_id} {self.source_name} into #{self.into_id} {self.into_name}: "
            f"moves {', '.join(parts)}{filled}. #{self.source_id} is archived, not deleted."
        )


@dataclass(slots=True)
class MergeResult(MergePreview):
    #: JSON-able record of everything changed: `unmerge(undo)` reverses it exactly
    undo: dict = field(default_factory=dict)


def _check(source_id: int, into_id: int) -> tuple[Contact, Contact]:
    if source_id == into_id:
        raise InvalidInput("merge", "a contact cannot be merged into itself")
    found = {c.id: c for c in Contact.select().where(Contact.id.in_([source_id, into_id]))}
    for cid in (source_id, into_id):
        if cid not in found:
            raise NotFound(f"no contact #{cid}")
        if found[cid].archived_at is not None:
            raise InvalidInput("merge", f"#{cid} {found[cid].name} is archived; unarchive it first")
    return found[source_id], found[into_id]


def _ids(sql: str, *params) -> list[int]:
    return [r[0] for r in database.execute_sql(sql, params)]


def _plan(source: Contact, into: Contact) -> tuple[dict, MergePreview, dict]:
    """What to change on `into` (field → value), the preview, and the moves to make."""
    preview = MergePreview(source.id, source.name, into.id, into.name)
    changes: dict = {}
    if not (into.job_title or into.company) and (source.job_title or source.company):
        changes["job_title"], changes["company"] = source.job_title, source.company
        preview.filled.append("job")
    for name in _FILL:
        mine, theirs = getattr(into, name), getattr(source, name)
        if theirs in (None, ""):
            continue
        if mine in (None, ""):
            changes[name] = theirs
            preview.filled.append(name.replace("_", " "))
        elif name in _JOIN and fold(str(theirs)) not in fold(str(mine)):
            changes[name] = f"{mine}{_JOIN[name]}{theirs}"
            preview.filled.append(name.replace("_", " "))
    for name in _FILL_STATE:
        if getattr(into, name) is None and getattr(source, name) is not None:
            changes[name] = getattr(source, name)
    if source.tier is not None and (into.tier is None or source.tier < into.tier):
        changes["tier"] = source.tier
        preview.filled.append("tier")
    starts = [d for d in (into.tracked_since, source.tracked_since) if d is not None]
    if starts and min(starts) != into.tracked_since:
        changes["tracked_since"] = min(starts)
    if source.reviewed_at is not None and (
        into.reviewed_at is None or source.reviewed_at > into.reviewed_at
    ):
        changes["reviewed_at"] = source.reviewed_at
    if source.created_at < into.created_at:
        changes["created_at"] = source.created_at
    former = [p for p in into.previous_names.split(", ") if p]
    for last in (source.last_name, *source.previous_names.split(", ")):
        if last and last != into.last_name and last not in former:
            former.append(last)
    if ", ".join(former) != into.previous_names:
        changes["previous_names"] = ", ".join(former)
        preview.filled.append("former names")

    moves: dict[str, list[Any]] = {
        # a touch captured from a source item both contacts have (the same e-mail sent to
        # both addresses) stays with the archived duplicate: `into` has it already, and
        # (contact, source, source_key) is unique
        "interaction": _ids(
            "SELECT s.id FROM interaction s WHERE s.contact_id = ? AND (s.source_key IS NULL "
            "OR NOT EXISTS (SELECT 1 FROM interaction i WHERE i.contact_id = ? "
            "AND i.source = s.source AND i.source_key = s.source_key))",
            source.id,
            into.id,
        ),
        "follow_up": _ids("SELECT id FROM follow_up WHERE contact_id = ?", source.id),
        "job": _ids("SELECT id FROM job WHERE contact_id = ?", source.id),
        "audit_decision": _ids("SELECT id FROM audit_decision WHERE contact_id = ?", source.id),
    }
    preview.touches = len(moves["interaction"])
    preview.follow_ups = len(moves["follow_up"])
    preview.jobs = len(moves["job"])

    have = {
        (kind, value.casefold())
        for kind, value in database.execute_sql(
            "SELECT kind, value FROM contact_method WHERE contact_id = ?", (into.id,)
        )
    }
    primary_kinds = {k for k, _ in have}
    methods = []  # [id, was primary]
    for mid, kind, value, primary in database.execute_sql(
        'SELECT id, kind, value, "primary" FROM contact_method WHERE contact_id = ? ORDER BY id',
        (source.id,),
    ):
        if (kind, value.casefold()) in have:
            continue  # the kept contact has it already; it stays on the archived record
        have.add((kind, value.casefold()))
        methods.append([mid, bool(primary), kind in primary_kinds])
        primary_kinds.add(kind)
    moves["method"] = methods
    preview.methods = len(methods)

    theirs = [c for _, c in undo.category_links(source.id)]
    mine = {c for _, c in undo.category_links(into.id)}
    added = [c for c in theirs if c not in mine]
    moves["categories"] = added
    if added:
        marks = ",".join("?" * len(added))
        preview.categories = [
            r[0]
            for r in database.execute_sql(
                f"SELECT name FROM category WHERE id IN ({marks}) ORDER BY name", added
            )
        ]
    return changes, preview, moves


def preview_merge(source_id: int, into_id: int) -> MergePreview:
    """What `merge(source_id, into_id)` would do; changes nothing."""
    source, into = _check(source_id, into_id)
    return _plan(source, into)[1]


def merge(source_id: int, into_id: int) -> MergeResult:
    """Merge `source` into `into` (kept); `source` is archived. One transaction."""
    now = clock.now()
    with database.atomic():
        source, into = _check(source_id, into_id)
        changes, preview, moves = _plan(source, into)
        record = {
            "source": source.id,
            "into": into.id,
            "source_before": undo.contact_values(source.id),
            "into_before": undo.contact_values(into.id),
            "moves": moves,
            "created_job": None,
        }
        other_job = (source.job_title, source.company)
        if (
            any(other_job)
            and "job_title" not in changes
            and other_job
            != (
                into.job_title,
                into.company,
            )
        ):
            record["created_job"] = Job.insert(  # its id, on either engine
                contact=into.id,
                title=source.job_title,
                company=source.company,
                source="merge",
                recorded_at=now,
            ).execute()
            preview.jobs += 1
        for table in ("interaction", "follow_up", "job", "audit_decision"):
            _move(table, moves[table], into.id)
        # captured touches the user deleted on either contact stay deleted on the merged one
        record["dismissed"] = [
            database.execute_sql(
                "INSERT INTO dismissed_source (contact_id, source, source_key, dismissed_at) "
                "VALUES (?, ?, ?, ?)",
                (into.id, src, key, at),
            ).lastrowid
            for src, key, at in database.execute_sql(
                "SELECT d.source, d.source_key, d.dismissed_at FROM dismissed_source d "
                "WHERE d.contact_id = ? AND NOT EXISTS (SELECT 1 FROM dismissed_source e "
                "WHERE e.contact_id = ? AND e.source = d.source AND e.source_key = d.source_key)",
                (source.id, into.id),
            ).fetchall()
        ]
        for mid, _, demote in moves["method"]:
            database.execute_sql(
                'UPDATE contact_method SET contact_id = ?, "primary" = CASE WHEN ? THEN FALSE '
                'ELSE "primary" END WHERE id = ?',
                (into.id, demote, mid),
            )
        database.cursor().executemany(
            "INSERT OR IGNORE INTO contact_category (contact_id, category_id) VALUES (?, ?)",
            [(into.id, c) for c in moves["categories"]],
        )
        for name, value in changes.items():
            setattr(into, name, value)
        into.updated_at = now
        into.version += 1  # a form opened on either before the merge: a conflict, not a loss
        reindex(into)
        into.save()
        trail = f"Merged into #{into.id} {into.name} on {short_date(now.date())}."
        source.notes = f"{source.notes}\n\n{trail}" if source.notes else trail
        source.archived_at = now
        source.updated_at = now
        source.version += 1
        reindex(source)
        source.save()
        stats.refresh([source.id, into.id])
    return MergeResult(**{f: getattr(preview, f) for f in MergePreview.__slots__}, undo=record)


def _move(table: str, ids: Sequence[int], to: int) -> None:
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        database.execute_sql(
            f"UPDATE {table} SET contact_id = ? WHERE id IN ({marks})", (to, *chunk)
        )


def unmerge(record: dict) -> None:
    """Reverse a merge exactly, from `MergeResult.undo` (one transaction)."""
    source, into = record["source"], record["into"]
    moves = record["moves"]
    with database.atomic():
        for table in ("interaction", "follow_up", "job", "audit_decision"):
            _move(table, moves[table], source)
        for mid, primary, _ in moves["method"]:
            database.execute_sql(
                'UPDATE contact_method SET contact_id = ?, "primary" = ? WHERE id = ?',
                (source, primary, mid),
            )
        if moves["categories"]:
            marks = ",".join("?" * len(moves["categories"]))
            database.execute_sql(
                f"DELETE FROM contact_category WHERE contact_id = ? AND category_id IN ({marks})",
                (into, *moves["categories"]),
            )
        if record.get("created_job"):
            database.execute_sql("DELETE FROM job WHERE id = ?", (record["created_job"],))
        for did in record.get("dismissed", ()):
            database.execute_sql("DELETE FROM dismissed_source WHERE id = ?", (did,))
        undo.restore_contact(into, record["into_before"])
        undo.restore_contact(source, record["source_before"])
        stats.refresh([source, into])
