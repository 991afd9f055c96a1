"""Capture: touches read from the user's own mail, calendar and LinkedIn messages.

`capture_mail`, `capture_calendar` and `capture_linkedin` share one shape (README,
"Capture"; docs/capture.md):

1. who "me" is: `--me` addresses, else the `me` setting, else the one address or
   profile present in every conversation of the file (said aloud), else a clear stop;
2. the file is read (streamed for mail) and planned against a snapshot of the network,
   without holding the write lock: each item between "me" and a known contact becomes
   one touch per contact, keyed by its source item (Message-ID, UID + occurrence,
   conversation + date + sender); an item already captured for that contact, or one the
   user deleted (a `dismissed_source` row), is not created again;
3. a dry run stops there; a real run writes everything in one short transaction:
   the touches, the unknown correspondents asked for with `--add-unknown N`, future
   meetings as follow-ups, and the reply dates of attempts a later inbound or mutual
   touch answers (so the status rules read captured attempts exactly like typed ones).

People are matched by `_Identities` (profile URL, then e-mail case-insensitively, then
a normalised name only where the profile does not disagree).
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from netterm.config import clock
from netterm.core import capture as rules
from netterm.core import identity
from netterm.core.kinds import CAPTURED_SOURCES, IN, MUTUAL, OUT
from netterm.core.names import fold, split_name
from netterm.errors import InvalidInput
from netterm.interchange.records import Problem, instant_text
from netterm.services import stats
from netterm.store.models import Contact, ContactMethod, database

MAIL, CALENDAR, LINKEDIN = "mail", "calendar", "linkedin"
SOURCES = (MAIL, CALENDAR, LINKEDIN)
ME_SETTING = "me"
MAX_ATTENDEES_SETTING = "capture.max_attendees"
#: the owner is inferred from at most this many conversations (a first pass)
INFER_FROM = 2_000
UNKNOWN_SHOWN = 10
#: the status cache is rebuilt whole only when an import touched more than this share of
#: the network; otherwise only the touched contacts' rows are refreshed. A rebuild reads
#: every touch: with 3,000,000 touches it took 16.6 s of CPU where refreshing the 3,000
#: contacts a calendar touched took 2.1 s (docs/capture.md)
_REBUILD_SHARE = 0.5

#: progress(done, total)
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Unknown:
    label: str  # `Dana Okafor <dana@startup.example>`
    count: int
    noun: str  # message, meeting

    def __str__(self) -> str:
        return f"{self.label}: {self.count} {self.noun}{'s' if self.count != 1 else ''}"


@dataclass(slots=True)
class CaptureSummary:
    source: str  # mail, calendar, linkedin
    path: str
    dry_run: bool
    me: tuple[str, ...] = ()
    me_inferred: bool = False
    me_seen_in: int = 0  # conversations the owner was inferred from
    read: int = 0  # messages or meeting occurrences read
    added: int = 0  # touches added (or, in a dry run, that would be)
    contacts: int = 0  # contacts who got a touch
    already: int = 0  # already captured by an earlier import
    dismissed: int = 0  # captured before and deleted by the user: not re-created
    planned: int = 0  # future meetings, as follow-ups
    skipped: Counter = field(default_factory=Counter)  # reason → count
    unknown: list[Unknown] = field(default_factory=list)  # the most frequent first
    unknown_people: int = 0
    added_contacts: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def noun(self) -> str:
        return "meeting" if self.source == CALENDAR else "message"

    def headline(self) -> str:
        verb = "Would add" if self.dry_run else "Added"
        touches = "touch" if self.added == 1 else "touches"
        people = "contact" if self.contacts == 1 else "contacts"
        text = f"{verb} {self.added:,} {touches} for {self.contacts:,} {people} from {self.read:,} {self.noun}s read"
        extras = []
        if self.already:
            extras.append(f"{self.already:,} already captured")
        if self.dismissed:
            extras.append(f"{self.dismissed:,} you deleted")
        if extras:
            text += f" ({', '.join(extras)})"
        text += "."
        if self.planned:
            meetings = "meeting" if self.planned == 1 else "meetings"
            text += f" {self.planned:,} planned {meetings} noted as follow-ups."
        return text


# --------------------------------------------------------------------------- "me"


def my_identities() -> list[str]:
    from netterm.services.settings import get_setting

    value = get_setting(ME_SETTING, [])
    return [str(v) for v in value] if isinstance(value, list) else []


def parse_me(values: Iterable[str]) -> list[str]:
    """`a@x.example, b@y.example` (one or several, commas or spaces) → addresses/profiles."""
    out: list[str] = []
    for value in values:
        for part in str(value).replace(";", ",").split(","):
            for item in part.split():
                item = item.strip().strip("<>")
                if not item:
                    continue
                if "@" not in item and "linkedin.com/" not in item.lower():
                    raise InvalidInput(
                        "me", f"'{item}' is neither an e-mail address nor a LinkedIn profile URL"
                    )
                if item.casefold() not in (o.casefold() for o in out):
                    out.append(item)
    return out


def set_me(values: Iterable[str]) -> list[str]:
    from netterm.services.settings import set_setting

    me = parse_me(values)
    set_setting(ME_SETTING, me)
    return me


# --------------------------------------------------------------------------- files


def checked_path(path: str | os.PathLike[str], *, folder: bool, whole: bool = False) -> Path:
    """What capture is given, through the importers' one gate (`interchange.guard`): a
    regular file (or, where allowed, a folder), never a FIFO, a device or a socket. A
    mailbox may be of any size (it is streamed message by message); a file read whole
    is capped."""
    from netterm.interchange import guard

    limit = guard.MAX_WHOLE_FILE_BYTES if whole else (None if folder else guard.MAX_FILE_BYTES)
    return guard.check_input(path, folder_ok=folder, max_bytes=limit)


# --------------------------------------------------------------------------- matching


class _Identities:
    """Known people, recognised by `netterm.core.identity` (the one module every door
    uses): profile URL, then e-mail (case ignored), then the normalised name, never a
    name whose profile disagrees."""

    def __init__(self) -> None:
        people: dict[int, list] = {}
        for cid, first, last, company, previous in database.execute_sql(
            "SELECT id, first_name, last_name, company, previous_names FROM contact ORDER BY id"
        ):
            people[cid] = [first, last, company, previous, [], []]
        for cid, kind, value in database.execute_sql(
            "SELECT contact_id, kind, value FROM contact_method "
            "WHERE kind IN ('email', 'linkedin') ORDER BY id"
        ):
            p = people.get(cid)
            if p is not None:
                (p[4] if kind == "email" else p[5]).append(value)
        self.index = identity.Index(
            identity.Person(cid, p[0], p[1], p[2], tuple(p[4]), tuple(p[5]), p[3])
            for cid, p in people.items()
        )
        self.ambiguous = 0
        self.emails: dict[str, int | None] = {}

    def email(self, address: str) -> int | None:
        key = address.casefold()
        if key not in self.emails:  # a mailbox names the same people thousands of times
            self.emails[key] = self.index.match(email=address).contact_id
        return self.emails[key]

    def person(self, name: str, url: str) -> int | None:
        found = self.index.match(url=url or None, name=name or None)
        if found.how == identity.AMBIGUOUS:
            self.ambiguous += 1
        return found.contact_id


# --------------------------------------------------------------------------- planning


@dataclass(slots=True)
class _Touch:
    occurred_at: datetime
    kind: str
    direction: str
    in_person: bool
    note: str
    key: str


@dataclass(slots=True)
class _Stranger:
    """A correspondent not in netterm: how often, under which names, their touches."""

    address: str  # e-mail address or profile URL ("" for a name only)
    names: Counter = field(default_factory=Counter)
    count: int = 0
    touches: list[_Touch] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0] if self.names else ""

    @property
    def label(self) -> str:
        if self.name and self.address and "@" in self.address:
            return f"{self.name} <{self.address}>"
        if self.name and self.address:
            return f"{self.name} ({self.address})"
        return self.name or self.address


class _Plan:
    """Touches to add, per contact, against a snapshot of the network."""

    def __init__(self, source: str, summary: CaptureSummary, keep_strangers: bool) -> None:
        self.source = source
        self.summary = summary
        self.keep_strangers = keep_strangers
        self.now = clock.now()
        self.tz = clock.timezone()
        self.ids = _Identities()
        self.existing: set[tuple[int, str]] = set()
        self.dismissed: set[tuple[int, str]] = set()
        for cid, key in database.execute_sql(
            "SELECT contact_id, source_key FROM interaction WHERE source = ? "
            "AND source_key IS NOT NULL",
            (source,),
        ):
            self.existing.add((cid, key))
        for cid, key in database.execute_sql(
            "SELECT contact_id, source_key FROM dismissed_source WHERE source = ?", (source,)
        ):
            self.dismissed.add((cid, key))
        self.touches: dict[int, list[_Touch]] = defaultdict(list)
        self.planned: dict[int, list[tuple[date, str]]] = defaultdict(list)
        #: the meetings already noted as follow-ups (contact, day, folded text), done or
        #: not: a future meeting is noted once, and not again once the user closed it
        self.noted: set[tuple[int, str, str]] = set()
        if source == CALENDAR:
            for cid, due, text in database.execute_sql(
                "SELECT contact_id, due_on, text FROM follow_up WHERE text LIKE ?", (_NOTED,)
            ):
                self.noted.add((cid, due, fold(text)))
        self.strangers: dict[str, _Stranger] = {}
        self.count = 0

    def touch(self, cid: int, t: _Touch) -> None:
        k = (cid, t.key)
        if k in self.existing:
            self.summary.already += 1
            return
        if k in self.dismissed:
            self.summary.dismissed += 1
            return
        self.existing.add(k)  # the same item twice in the file, or two addresses of one person
        self.touches[cid].append(t)
        self.count += 1

    def plan_meeting(self, cid: int, day: date, text: str) -> None:
        """A future meeting, to be noted as a follow-up unless it already is."""
        k = (cid, day.isoformat(), fold(text))
        if k not in self.noted:
            self.noted.add(k)
            self.planned[cid].append((day, text))

    def stranger(self, key: str, address: str, name: str, t: _Touch | None) -> None:
        s = self.strangers.get(key)
        if s is None:
            s = self.strangers[key] = _Stranger(address)
        if name:
            s.names[name] += 1
        s.count += 1
        if self.keep_strangers and t is not None:
            s.touches.append(t)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def future(self, moment: datetime) -> bool:
        return moment > self.now


def _finish(plan: _Plan, summary: CaptureSummary, add_unknown: int, dry_run: bool) -> None:
    """Unknown correspondents, then (unless a dry run) everything written at once."""
    ranked = sorted(plan.strangers.values(), key=lambda s: (-s.count, s.label.casefold()))
    summary.unknown_people = len(ranked)
    summary.unknown = [Unknown(s.label, s.count, summary.noun) for s in ranked[:UNKNOWN_SHOWN]]
    chosen = [s for s in ranked[: max(0, add_unknown)] if s.name or s.address]
    summary.added_contacts = [s.label for s in chosen]
    summary.added = plan.count + sum(len(s.touches) for s in chosen)
    people = {cid for cid, ts in plan.touches.items() if ts}
    summary.contacts = len(people) + sum(1 for s in chosen if s.touches)
    summary.planned = sum(len(v) for v in plan.planned.values())
    if dry_run:
        return
    with database.atomic("IMMEDIATE"):
        _write(plan, chosen)


def _write(plan: _Plan, chosen: list[_Stranger]) -> None:
    from netterm.services.contacts import reindex
    from netterm.services.settings import get_setting

    cur = database.cursor()
    now_text = instant_text(plan.now)
    by = str(get_setting("user", "") or "")
    alive = {cid for (cid,) in database.execute_sql("SELECT id FROM contact")}
    touches = {cid: ts for cid, ts in plan.touches.items() if cid in alive and ts}
    for s in chosen:
        first, last = split_name(s.name) if s.name else ("", "")
        if not (first or last):
            first = s.address.split("@")[0] if "@" in s.address else s.address
        email = s.address if "@" in s.address else ""
        url = s.address if not email else ""
        contact = Contact.create(
            first_name=first,
            last_name=last,
            how_met=f"captured from {CAPTURED_SOURCES[plan.source]}",
        )
        if email or url:
            ContactMethod.create(
                contact=contact,
                kind="email" if email else ("linkedin" if "linkedin.com/" in url else "website"),
                value=email or url,
                primary=True,
            )
        reindex(contact)
        contact.save()
        if s.touches:
            touches[contact.id] = s.touches
    rows = []
    for cid, ts in touches.items():
        for t in ts:
            rows.append(
                (
                    cid,
                    instant_text(t.occurred_at),
                    plan.local_day(t.occurred_at).isoformat(),
                    t.kind,
                    t.direction,
                    t.in_person,
                    rules.awaits_reply(t.kind, t.direction),
                    t.note,
                    now_text,
                    plan.source,
                    t.key,
                    by,
                )
            )
    cur.executemany(
        "INSERT OR IGNORE INTO interaction (contact_id, occurred_at, occurred_on, kind, "
        "direction, in_person, awaiting_reply, replied_at, value, note, created_at, source, "
        "source_key, logged_by) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'none', ?, ?, ?, ?, ?)",
        rows,
    )
    touched = set(touches)
    _follow_ups(plan, alive, now_text, touched)
    _replies(touched)
    if len(touched) > _REBUILD_SHARE * len(alive):
        stats.rebuild()
    elif touched:
        stats.refresh(sorted(touched))


def _follow_ups(plan: _Plan, alive: set[int], now_text: str, touched: set[int]) -> None:
    """Future meetings become follow-ups (the plan holds only those not noted yet); a
    meeting now past closes its follow-up. Batched: a 10-year calendar closes and notes
    thousands (one query per touch cost a second, docs/capture.md)."""
    cur = database.cursor()
    rows = [
        (cid, due.isoformat(), text, now_text)
        for cid, items in plan.planned.items()
        if cid in alive
        for due, text in items
    ]
    cur.executemany(
        "INSERT INTO follow_up (contact_id, due_on, text, created_at) VALUES (?, ?, ?, ?)", rows
    )
    touched.update(r[0] for r in rows)
    if plan.source != CALENDAR:
        return
    open_notes = {
        (cid, due, text): fid
        for fid, cid, due, text in database.execute_sql(
            "SELECT id, contact_id, due_on, text FROM follow_up "
            "WHERE done_at IS NULL AND text LIKE ?",
            (_NOTED,),
        )
    }
    if not open_notes:
        return
    closed = []
    for cid, ts in plan.touches.items():
        if cid not in alive:
            continue
        for t in ts:
            key = (cid, plan.local_day(t.occurred_at).isoformat(), planned_text(t.kind, t.note))
            fid = open_notes.pop(key, None)
            if fid is not None:
                closed.append((instant_text(t.occurred_at), fid))
                touched.add(cid)
    cur.executemany("UPDATE follow_up SET done_at = ? WHERE id = ?", closed)


def _replies(contact_ids: set[int]) -> None:
    """Attempts a later inbound or mutual touch answers get its date as their reply date;
    an inbound touch ends "ball in their court" (as `services.touches.record_touch`)."""
    if not contact_ids:
        return
    ids = sorted(contact_ids)
    updates: list[tuple[str, int]] = []
    latest_inbound: dict[int, str] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        marks = ",".join("?" * len(chunk))
        by_contact: dict[int, list[rules.Attempt]] = defaultdict(list)
        for cid, tid, at, on, direction, awaiting, replied in database.execute_sql(
            "SELECT contact_id, id, occurred_at, occurred_on, direction, awaiting_reply, "
            f"replied_at FROM interaction WHERE contact_id IN ({marks})",
            chunk,
        ):
            moment = datetime.fromisoformat(at)
            by_contact[cid].append(
                rules.Attempt(
                    tid,
                    moment,
                    direction,
                    bool(awaiting),
                    datetime.fromisoformat(replied) if replied else None,
                )
            )
            if direction == IN and on > latest_inbound.get(cid, ""):
                latest_inbound[cid] = on
        for touches in by_contact.values():
            for tid, answered in rules.answered_at(touches).items():
                updates.append((instant_text(answered), tid))
    database.cursor().executemany(
        "UPDATE interaction SET replied_at = ? WHERE id = ? AND replied_at IS NULL", updates
    )
    database.cursor().executemany(
        "UPDATE contact SET awaiting_inbound_since = NULL WHERE id = ? "
        "AND awaiting_inbound_since IS NOT NULL AND awaiting_inbound_since <= ?",
        [(cid, on) for cid, on in latest_inbound.items()],
    )


#: the follow-ups `planned_text` writes (a LIKE pattern)
_NOTED = "%(calendar)"


def planned_text(kind: str, title: str) -> str:
    """The follow-up a future meeting becomes: `coffee: Coffee with Ana (calendar)`."""
    return f"{kind}: {title or 'meeting'} (calendar)"


def _resolve_me(
    me: Iterable[str] | None, summary: CaptureSummary, infer: Callable[[], rules.Owner]
) -> set[str]:
    given = parse_me(me or ()) or my_identities()
    if given:
        summary.me = tuple(given)
        return {m.casefold() for m in given}
    owner = infer()
    if not owner.found:
        if owner.candidates:
            raise InvalidInput(
                "me",
                "can't tell which of "
                + ", ".join(owner.candidates[:5])
                + " is you; give --me ADDRESS (or `netterm settings me ADDRESS`)",
            )
        raise InvalidInput(
            "me",
            "can't tell whose "
            + ("mailbox" if summary.source == MAIL else "export")
            + " this is (no address or profile is in every conversation); give --me ADDRESS "
            "(or `netterm settings me ADDRESS`)",
        )
    summary.me = owner.identities
    summary.me_inferred = True
    summary.me_seen_in = owner.conversations
    return {m.casefold() for m in owner.identities}


def _note(text: str, keep: bool) -> str:
    if not keep:
        return ""
    from netterm.core.names import clean

    return " ".join(clean(text).split())[:500]


# --------------------------------------------------------------------------- mail


def capture_mail(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] | None = None,
    add_unknown: int = 0,
    dry_run: bool = False,
    subjects: bool = True,
    progress: Progress | None = None,
    cancel=None,
) -> CaptureSummary:
    """`netterm import mail PATH`: an mbox file or a Maildir folder."""
    from netterm.interchange import mail

    started = time.perf_counter()
    p = checked_path(path, folder=True)
    source = mail.open_source(p)
    summary = CaptureSummary(MAIL, str(p), dry_run)

    def infer() -> rules.Owner:
        def conversations():
            n = 0
            for m in mail.read(source):
                if m.skip or not m.sender[1]:
                    continue
                yield [m.sender[1], *(a for _, a in m.recipients)]
                n += 1
                if n >= INFER_FROM:
                    return

        return rules.infer_owner(conversations())

    mine = _resolve_me(me, summary, infer)
    total = source.size

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, total)

    with database.atomic("DEFERRED"):  # one consistent snapshot to plan against
        plan = _Plan(MAIL, summary, keep_strangers=add_unknown > 0)
    ids = plan.ids
    for m in mail.read(source, tick, cancel):
        summary.read += 1
        if m.skip:
            summary.skipped[m.skip] += 1
            continue
        if m.sent_at is None:
            summary.skipped["no usable date"] += 1
            summary.problems.append(
                Problem(m.where, 0, f"no usable Date header ({m.raw_date or 'missing'}); skipped")
            )
            continue
        if plan.future(m.sent_at):
            summary.skipped["dated in the future"] += 1
            summary.problems.append(
                Problem(m.where, 0, f"dated in the future ({m.raw_date}); skipped")
            )
            continue
        sender = m.sender[1]
        if sender.casefold() in mine:
            direction = OUT
            others = [(n, a) for n, a in m.recipients if a.casefold() not in mine]
        elif any(a.casefold() in mine for _, a in m.recipients):
            direction = IN
            others = [m.sender]
        else:
            summary.skipped["not to or from you"] += 1
            continue
        note = _note(m.subject, subjects)
        t = _Touch(m.sent_at, "email", direction, False, note, m.key)
        known = False
        for name, address in others:
            cid = ids.email(address)
            if cid is not None:
                plan.touch(cid, t)
                known = True
            else:
                plan.stranger(address.casefold(), address, name, t)
        if not known:
            summary.skipped["nobody known"] += 1
    if progress is not None:
        progress(total, total)
    _finish(plan, summary, add_unknown, dry_run)
    summary.seconds = time.perf_counter() - started
    return summary


# --------------------------------------------------------------------------- calendar


def capture_calendar(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] | None = None,
    add_unknown: int = 0,
    dry_run: bool = False,
    subjects: bool = True,
    max_attendees: int | None = None,
    progress: Progress | None = None,
    cancel=None,
) -> CaptureSummary:
    """`netterm import calendar PATH`: an .ics file or a folder of them."""
    from netterm.interchange import calendar
    from netterm.services.settings import get_setting

    started = time.perf_counter()
    p = checked_path(path, folder=True)
    if p.is_file():
        p = checked_path(p, folder=False, whole=True)
    summary = CaptureSummary(CALENDAR, str(p), dry_run)
    if max_attendees is None:
        try:
            max_attendees = int(get_setting(MAX_ATTENDEES_SETTING, rules.MAX_ATTENDEES))
        except (TypeError, ValueError):
            max_attendees = rules.MAX_ATTENDEES
    if max_attendees < 1:
        raise InvalidInput("max attendees", "must be at least 1")
    today = clock.today()
    tz = clock.timezone()
    meetings = list(calendar.meetings(p, today, tz, None, cancel))

    def infer() -> rules.Owner:
        owner = rules.infer_owner(
            ([m.organizer.address] if m.organizer else []) + [a.address for a in m.attendees]
            for m in meetings
            if m.attendees and m.status != "CANCELLED"
        )
        # a Google export is named after its owner's address: that settles a tie
        named = {m.owner.casefold() for m in meetings if m.owner}
        hinted = [c for c in owner.candidates if c.casefold() in named]
        if not owner.found and len(hinted) == 1:
            return rules.Owner((hinted[0],), owner.conversations)
        return owner

    mine = _resolve_me(me, summary, infer)
    with database.atomic("DEFERRED"):
        plan = _Plan(CALENDAR, summary, keep_strangers=add_unknown > 0)
    ids = plan.ids
    total = len(meetings)
    for m in meetings:
        summary.read += 1
        if progress is not None and summary.read % 200 == 0:
            progress(summary.read, total)
        reason, others = rules.meeting_people(
            mine,
            m.organizer.address if m.organizer else None,
            [(a.address, a.partstat) for a in m.attendees],
            status=m.status,
            all_day=m.all_day,
            max_attendees=max_attendees,
        )
        if reason is not None:
            summary.skipped[reason] += 1
            continue
        if isinstance(m.start, datetime):
            start = m.start
        else:
            start = datetime(m.start.year, m.start.month, m.start.day, 12, tzinfo=tz)
        kind = rules.meeting_kind(m.title)
        in_person = rules.is_in_person(m.location, m.description, m.conference)
        note = _note(m.title, subjects)
        names = {p.address.casefold(): p.name for p in (m.organizer, *m.attendees) if p}
        future = plan.future(start)
        t = _Touch(start, kind, MUTUAL, in_person, note, m.key)
        known = False
        for address in others:
            cid = ids.email(address)
            if cid is None:
                plan.stranger(
                    address.casefold(),
                    address,
                    names.get(address.casefold(), ""),
                    None if future else t,
                )
                continue
            known = True
            if future:
                plan.plan_meeting(cid, plan.local_day(start), planned_text(kind, m.title))
            else:
                plan.touch(cid, t)
        if not known:
            summary.skipped["nobody known"] += 1
        elif future:
            summary.skipped["planned (future)"] += 1
    _finish(plan, summary, add_unknown, dry_run)
    summary.seconds = time.perf_counter() - started
    return summary


# --------------------------------------------------------------------------- LinkedIn


def capture_linkedin(
    parsed,
    *,
    me: Iterable[str] | None = None,
    add_unknown: int = 0,
    dry_run: bool = False,
    subjects: bool = True,
    progress: Progress | None = None,
    cancel=None,
) -> CaptureSummary:
    """LinkedIn messages (`interchange.linkedin_messages.parse`) as `message` touches."""
    from netterm.interchange import guard

    started = time.perf_counter()
    summary = CaptureSummary(LINKEDIN, parsed.source, dry_run)
    summary.problems.extend(parsed.problems)
    for reason, n in parsed.skipped.items():
        summary.skipped[reason] += n
    messages = parsed.messages

    def ident(p) -> str:
        return (identity.normal_url(p.url) if p.url.strip() else "") or p.name

    def infer() -> rules.Owner:
        by_conversation: dict[str, set[str]] = defaultdict(set)
        for m in messages:
            people = by_conversation[m.conversation]
            people.add(ident(m.sender))
            people.update(ident(r) for r in m.recipients)
        return rules.infer_owner(by_conversation.values())

    given = parse_me(me or ()) or my_identities()
    if given:
        summary.me = tuple(given)
        mine = {(identity.normal_url(g) if "@" not in g else g).casefold() for g in given}
    else:
        mine = _resolve_me((), summary, infer)
    with database.atomic("DEFERRED"):
        plan = _Plan(LINKEDIN, summary, keep_strangers=add_unknown > 0)
    ids = plan.ids
    total = len(messages)
    for n, m in enumerate(messages, start=1):
        summary.read += 1
        if n % 500 == 0:
            guard.check_cancel(cancel)
            if progress is not None:
                progress(n, total)
        if plan.future(m.sent_at):
            summary.skipped["dated in the future"] += 1
            continue
        if ident(m.sender).casefold() in mine or m.sender.name.casefold() in mine:
            direction = OUT
            others = [r for r in m.recipients if ident(r).casefold() not in mine]
        elif any(ident(r).casefold() in mine for r in m.recipients) or not m.recipients:
            direction = IN
            others = [m.sender]
        else:
            summary.skipped["not to or from you"] += 1
            continue
        note = _note(m.subject or m.title, subjects)
        t = _Touch(m.sent_at, "message", direction, False, note, m.key)
        known = False
        for person in others:
            cid = ids.person(person.name, person.url)
            if cid is not None:
                plan.touch(cid, t)
                known = True
            elif person.name or person.url:
                plan.stranger(ident(person).casefold(), person.url, person.name, t)
        if not known:
            summary.skipped["nobody known"] += 1
    if progress is not None:
        progress(total, total)
    _finish(plan, summary, add_unknown, dry_run)
    summary.seconds = time.perf_counter() - started
    return summary


# --------------------------------------------------------------------------- the ZIP


@dataclass(slots=True)
class LinkedInResult:
    connections: object | None = None  # services.interchange.ImportSummary
    messages: CaptureSummary | None = None


def import_linkedin(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] | None = None,
    add_unknown: int = 0,
    dry_run: bool = False,
    subjects: bool = True,
    progress: Progress | None = None,
    cancel=None,
) -> LinkedInResult:
    """`netterm import linkedin PATH`: Connections.csv, messages.csv, or the whole
    data-export ZIP (its connections, then its messages, in one transaction)."""
    from netterm.interchange import linkedin, linkedin_messages
    from netterm.services import interchange

    p = checked_path(path, folder=False)
    kind = linkedin_messages.sniff(p)
    result = LinkedInResult()
    if kind == "connections":
        result.connections = interchange.import_file(
            p, "linkedin", dry_run=dry_run, progress=progress, cancel=cancel
        )
        return result
    if kind == "messages":
        from netterm.interchange import guard

        with guard.open_binary(p, guard.MAX_WHOLE_FILE_BYTES) as fh:
            try:
                data = fh.read()
            except OSError as exc:
                raise InvalidInput(str(p), f"cannot read it ({exc.strerror or exc})") from None
        parsed = linkedin_messages.parse(data, str(p))
        result.messages = capture_linkedin(
            parsed,
            me=me,
            add_unknown=add_unknown,
            dry_run=dry_run,
            subjects=subjects,
            progress=progress,
            cancel=cancel,
        )
        return result
    export = linkedin_messages.read_zip(p)
    parsed_connections = (
        linkedin.parse(export.connections, f"{p}:Connections.csv")
        if export.connections is not None
        else None
    )
    parsed_messages = (
        linkedin_messages.parse(export.messages, f"{p}:messages.csv")
        if export.messages is not None
        else None
    )
    if dry_run:
        if parsed_connections is not None:
            result.connections = interchange.import_records(parsed_connections, dry_run=True)
        if parsed_messages is not None:
            result.messages = capture_linkedin(
                parsed_messages, me=me, add_unknown=add_unknown, dry_run=True, subjects=subjects
            )
        return result
    with database.atomic("IMMEDIATE"):
        if parsed_connections is not None:
            result.connections = interchange.import_records(parsed_connections, progress=progress)
        if parsed_messages is not None:
            result.messages = capture_linkedin(
                parsed_messages, me=me, add_unknown=add_unknown, subjects=subjects
            )
    return result
