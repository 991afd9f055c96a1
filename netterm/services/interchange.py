"""Imports and exports: the records of `netterm.interchange` against the network.

An import reads a file into plain records, then plans: each record is matched to a
contact (netterm's own id, then LinkedIn profile URL, then email, then normalised
name; a contact with another LinkedIn profile is a namesake, never a match; the
records of a netterm export are distinct people), and the plan says what each record
adds or changes. The file is streamed: records are planned and written with bulk
inserts BATCH at a time inside one transaction, against an `identity.Index` of who is
who, so memory holds the index and one batch, not the file (a 50 MB Connections.csv of
171,789 rows peaks at about 210 MB). The status cache is refreshed once at the end:
30,000 LinkedIn rows take a few seconds, not minutes. A dry run does all of it and
rolls the transaction back.

What an import changes, for a contact it matched (README, "Import and export"):

* It never deletes or clears: an empty value in the file changes nothing.
* Contact methods, categories, former names, career history, touches and follow-ups
  are added when missing.
* The current job is replaced when it differs (compared without case or accents),
  unless the file's record is older than the contact's last change (vCard REV, JSON
  updated_at). The old job goes to the career history and the contact gets the "job
  changed" flag, exactly as `services.contacts.record_job_change` does.
* The name is replaced only by a record known to be newer (REV, updated_at); the old
  last name is kept as a former name. LinkedIn and Google never rename.
* Other fields are filled when the contact has none, and replaced by a newer record.
  Notes gain the file's text when they don't contain it yet.

New contacts from LinkedIn, Google or foreign vCards are untracked (no tier) until
the user tiers them.
"""

from __future__ import annotations

import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from netterm import __version__
from netterm.config import clock
from netterm.core import identity
from netterm.core import status as st
from netterm.core.dates import short_date
from netterm.core.names import clean, fold
from netterm.core.validate import too_long
from netterm.errors import InvalidInput, NotFound
from netterm.interchange import csvfile, google, guard, ics, jsonfile, linkedin, own, vcard
from netterm.interchange.records import (
    FORMAT_NAMES,
    OWN_DATES,
    TEXT_FIELDS,
    ContactRecord,
    FollowUpRecord,
    JobRecord,
    MethodRecord,
    ParseResult,
    Problem,
    Skipped,
    TouchRecord,
    instant_text,
    netterm_uid,
    where,
)
from netterm.services import stats
from netterm.services.contacts import (
    MULTILINE,
    MethodInput,
    _clean_text,
    _with_primaries,
    unique_methods,
)
from netterm.services.contacts import search_text as contact_search_text
from netterm.store.models import database

READERS = {
    "linkedin": linkedin.load,
    "vcard": vcard.load,
    "google": google.load,
    "json": jsonfile.load,
}
IMPORT_FORMATS = tuple(READERS)
#: readers that also take a folder (a vdir address book, a Maildir, a calendar folder)
FOLDER_READERS = {"vcard"}
EXPORT_FORMATS = ("vcard", "csv", "json", "ics")
PRODID = f"-//netterm//netterm {__version__}//EN"

#: progress(done, total): called now and then while a file is planned and applied
Progress = Callable[[int, int], None]

ADDED, UPDATED, UNCHANGED, SKIPPED = "added", "updated", "unchanged", "skipped"

#: contact columns in the order the bulk INSERT and UPDATE statements use
COLUMNS = (
    *TEXT_FIELDS,
    "met_on",
    "tier",
    "cadence_days",
    *OWN_DATES,
    "created_at",
    "updated_at",
    "search_text",
)
_TEXT = TEXT_FIELDS[3:]  # the text fields besides the names
#: fields filled when empty and replaced by a newer record (besides name and job)
_SCALARS = (
    "location",
    "how_met",
    "looking_for",
    "met_on",
    "tier",
    "cadence_days",
    "tracked_since",
    "paused_until",
    "awaiting_inbound_since",
    "archived_at",
    "reviewed_at",
)
_LABELS = {
    "how_met": "how met",
    "met_on": "met on",
    "looking_for": "looking for",
    "cadence_days": "cadence",
    "tracked_since": "tracked since",
    "paused_until": "paused until",
    "awaiting_inbound_since": "waiting for them since",
    "archived_at": "archived",
    "reviewed_at": "reviewed",
}
#: contact columns a record gives (the rest: created_at, updated_at, search_text)
_FROM_RECORD = COLUMNS[:-3]
#: a cleaned record before its values are filled in
_NO_VALUES: dict[str, Any] = {
    **{key: "" for key in TEXT_FIELDS},
    **{key: None for key in ("met_on", "tier", "cadence_days", *OWN_DATES)},
}
#: above this many changed contacts, rebuilding the whole status cache is cheaper
_REBUILD_ABOVE = 2_000
#: records planned between two writes: an import holds about this many at once
BATCH = 2_000
#: changes an import summary lists (the file's first ones, and every job change); its
#: counts cover every record. LinkedIn exports at most 30,000 connections.
CHANGES_KEPT = 30_000
#: ids in one `IN (…)` of the queries that load a batch's contacts
_IN_CHUNK = 500
#: a streamed file's progress is counted in steps of this many bytes (about one row)
_PROGRESS_BYTES = 128


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Change:
    """What an import did (or, in a dry run, would do) with one record of the file."""

    action: str  # added, updated, unchanged, skipped
    source: str
    line: int
    name: str
    contact_id: int | None = None
    details: tuple[str, ...] = ()
    job_change: bool = False

    @property
    def where(self) -> str:
        return where(self.source, self.line)


@dataclass(slots=True)
class ImportSummary:
    """The outcome of an import: counts, every change, and the problems met on the way."""

    format: str
    source: str
    dry_run: bool
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    hidden: int = 0  # LinkedIn connections who hide their profile (among skipped)
    untracked: int = 0  # added without a tier: the user decides later
    job_changes: int = 0
    changes: list[Change] = field(default_factory=list)  # added, updated, skipped
    unlisted: int = 0  # changes past CHANGES_KEPT: counted, not listed
    problems: list[Problem] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)  # not imported: PHOTO ×12 …
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + self.skipped

    @property
    def congratulate(self) -> list[Change]:
        """Job changes found: people to congratulate."""
        return [c for c in self.changes if c.job_change]

    def headline(self) -> str:
        """`Added 3, updated 1, 10 unchanged, skipped 2 (2 hidden profiles).`"""
        verb = ("Would add", "would update") if self.dry_run else ("Added", "updated")
        text = f"{verb[0]} {self.added}, {verb[1]} {self.updated}, {self.unchanged} unchanged, "
        text += f"skipped {self.skipped}"
        if self.hidden:
            noun = "profile" if self.hidden == 1 else "profiles"
            text += f" ({self.hidden} hidden {noun})"
        text += "."
        if self.job_changes:
            people = "person" if self.job_changes == 1 else "people"
            text += f" {self.job_changes} {people} changed jobs."
        return text


@dataclass(frozen=True, slots=True)
class ExportSummary:
    format: str
    path: str  # "" for standard output
    contacts: int
    entries: int = 0  # touches in JSON/vCard, calendar entries in ics


# --------------------------------------------------------------------------- reading


def read(
    path: str | os.PathLike[str],
    fmt: str,
    *,
    cancel: threading.Event | None = None,
    stream: bool = False,
) -> ParseResult:
    """The file (or, for vCard, the folder) as records; InvalidInput naming FILE:LINE.

    Only a regular file (or a folder, for the readers in FOLDER_READERS) is read, through
    `netterm.interchange.guard` (no FIFO, device, endless or gigantic input). A reader
    is `load(path, cancel=None, *, stream=False)`; setting `cancel` stops it
    (`guard.Cancelled`).
    With `stream`, a streamed file's records are left in `ParseResult.pending`, read as
    `import_records` goes (what `import_file` does); else they are all read now.
    """
    if fmt not in READERS:
        raise InvalidInput("format", f"unknown format '{fmt}'; use {', '.join(READERS)}")
    p = Path(path)
    if not p.exists():
        raise NotFound(f"no such file: {p}")
    if p.is_dir() and fmt not in FOLDER_READERS:
        raise InvalidInput(str(p), "is a folder; only `import vcard` reads a folder of .vcf files")
    guard.check_input(p, folder_ok=fmt in FOLDER_READERS)
    reader = READERS[fmt]
    try:
        return reader(p, cancel=cancel, stream=stream)
    except OSError as exc:
        raise InvalidInput(str(p), f"cannot read it ({exc.strerror or exc})") from None
    except RecursionError:
        raise InvalidInput(str(p), "nested too deeply: not a file netterm reads") from None


def import_file(
    path: str | os.PathLike[str],
    fmt: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportSummary:
    """Import a file: what the CLI's `netterm import FORMAT FILE` and the app call.

    A dry run writes nothing. A real run writes everything in one transaction or,
    on any error, nothing. Setting `cancel` (the app's esc) stops reading or planning
    and rolls the transaction back: `guard.Cancelled`, nothing written.
    """
    started = time.perf_counter()
    parsed = read(path, fmt, cancel=cancel, stream=True)
    summary = import_records(parsed, dry_run=dry_run, progress=progress, cancel=cancel)
    summary.seconds = time.perf_counter() - started
    return summary


def import_records(
    parsed: ParseResult,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportSummary:
    """Plan (and unless `dry_run`, apply) the import of already parsed records."""
    if cancel is not None:
        told = progress

        def progress(done: int, total: int) -> None:
            guard.check_cancel(cancel)  # raised inside the transaction: rolled back
            if told is not None:
                told(done, total)

    started = time.perf_counter()
    now = clock.now()
    summary = ImportSummary(parsed.format, parsed.source, dry_run)
    # Records are planned and written a batch at a time inside the one transaction, so
    # memory holds a batch, not the file. A dry run does exactly the same and then rolls
    # the transaction back: it writes nothing, and says what the real run would do.
    try:
        with database.atomic("IMMEDIATE"):
            _Planner(parsed, now, summary, progress, writes=not dry_run).run()
            guard.check_cancel(cancel)  # the last moment to stop: nothing is committed
            if dry_run:
                raise _RollBack()
    except _RollBack:
        pass
    summary.seconds = time.perf_counter() - started
    return summary


class _RollBack(Exception):
    """Raised at the end of a dry run's transaction to undo what it wrote."""


# --------------------------------------------------------------------------- planning


def _folded_job(title: str, company: str) -> tuple[str, str]:
    return fold(title), fold(company)


def _touch_key(t: tuple) -> tuple:
    return t[:4]


class _Working:
    """A contact as the import sees it: loaded from the database or planned as new."""

    __slots__ = (
        "categories",
        "dirty",
        "f",
        "follow_up_keys",
        "id",
        "job_keys",
        "method_keys",
        "methods",
        "new",
        "touch_keys",
    )

    def __init__(self, cid: int, fields: dict, new: bool) -> None:
        self.id = cid
        self.f = fields  # column → value as stored (dates and instants as ISO text)
        self.new = new  # not inserted yet
        self.dirty = False  # changed since loaded or inserted
        self.methods: list[MethodInput] = []
        self.method_keys: set[tuple[str, str]] = set()
        self.categories: list[str] = []
        # what the contact already has: (title, company folded, ended_on) of career
        # rows; touches and follow-ups only when a netterm format brings its own
        self.job_keys: set[tuple] = set()
        self.touch_keys: set[tuple] = set()
        self.follow_up_keys: set[tuple] = set()

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.f["first_name"], self.f["last_name"]) if p)


def _iso(v) -> str | None:
    return own.iso(v)


def _text(field: str, value: str) -> str:
    """A text field as `services.contacts` stores it (most imported fields are empty)."""
    if not value:
        return ""
    if field not in MULTILINE and value.isprintable():  # no control character to drop
        joined = " ".join(value.split())
        return value if joined == value else joined  # the record's string, not a copy
    return _clean_text(field, value)


class _Planner:
    """Plans an import record by record and writes it a batch at a time.

    Who is who comes from an `identity.Index` of every contact's names, companies,
    e-mails and profile URLs (small); the contacts themselves are loaded only for the
    batch being planned (those its records may be, `Index.candidates`), and dropped once
    the batch is written. A later record that is someone written earlier (a repeated
    row) loads them again, as written: the transaction sees its own writes.
    """

    def __init__(
        self,
        parsed: ParseResult,
        now,
        summary: ImportSummary,
        progress: Progress | None,
        writes: bool,
    ) -> None:
        self.parsed = parsed
        self.now = now
        self.now_text = instant_text(now)
        self.today = now.date()
        self.summary = summary
        self.progress = progress
        self.writes = writes  # False: a dry run (written, then rolled back)
        self.streamed = parsed.pending is not None
        self.records_done = 0
        self.job_source = parsed.format
        self.index = identity.Index()  # who is who: profile URL, e-mail, name
        self.cache: dict[int, _Working] = {}  # the batch's contacts
        self.by_uid: dict[str, int] | None = None
        self.created_ids: set[int] = set()  # added by this import
        self.claimed: set[int] = set()  # matched or added by this import
        self.changed_ids: set[int] = set()  # written by this import
        self.history = False  # the batch brings touches and follow-ups (netterm formats)
        self.problems: list[Problem] = []
        self.skipped_seen = 0
        self.categories: dict[str, str] = {}  # casefold → name as stored or planned
        self.category_ids: dict[str, int] = {}  # casefold → id, of the stored ones
        # what the batch writes, each row starting with the contact's id
        #: (added, existing): same name, but company or profile disagree (for the audit)
        self.possible_duplicates: list[tuple[int, int]] = []
        self.method_rows: list[tuple] = []
        self.category_links: list[tuple[int, str]] = []
        self.job_rows: list[tuple] = []
        self.touch_rows: list[tuple] = []
        self.follow_up_rows: list[tuple] = []

    # ---- the network as it is
    def load(self) -> None:
        """The index of who is who, and the categories (not the contacts: see `_load`)."""
        index = self.index
        for cid, first, last, previous, company in database.execute_sql(
            "SELECT id, first_name, last_name, previous_names, company FROM contact"
        ):
            index.add_name(cid, first, last, previous)
            index.set_company(cid, company)
        for cid, kind, value in database.execute_sql(
            "SELECT contact_id, kind, value FROM contact_method "
            "WHERE kind IN ('email', 'linkedin') ORDER BY id"
        ):
            index.add_method(cid, kind, value)
        for cid, name in database.execute_sql("SELECT id, name FROM category"):
            self.categories[name.casefold()] = name
            self.category_ids[name.casefold()] = cid
        self.next_id = (database.execute_sql("SELECT MAX(id) FROM contact").fetchone()[0] or 0) + 1
        self.first_new_id = self.next_id

    def _load(self, ids: Iterable[int]) -> None:
        """Bring these contacts into the batch's cache, with what matching and merging
        need: their fields, methods, categories, career keys (and touch keys)."""
        wanted = sorted(c for c in ids if c not in self.cache)
        cols = ", ".join(("id", *COLUMNS))
        for i in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[i : i + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            loaded: dict[int, _Working] = {}
            for row in database.execute_sql(
                f"SELECT {cols} FROM contact WHERE id IN ({marks})", chunk
            ):
                loaded[row[0]] = _Working(row[0], dict(zip(COLUMNS, row[1:], strict=True)), False)
            for cid, kind, value, label, primary in database.execute_sql(
                'SELECT contact_id, kind, value, label, "primary" FROM contact_method '
                f"WHERE contact_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                owner = loaded.get(cid)
                if owner is not None:
                    owner.methods.append(MethodInput(kind, value, label, bool(primary)))
                    owner.method_keys.add((kind, value.casefold()))
            for cid, name in database.execute_sql(
                "SELECT cc.contact_id, c.name FROM contact_category cc "
                f"JOIN category c ON c.id = cc.category_id WHERE cc.contact_id IN ({marks}) "
                "ORDER BY c.name",
                chunk,
            ):
                if cid in loaded:
                    loaded[cid].categories.append(name)
            for cid, title, company, ended in database.execute_sql(
                f"SELECT contact_id, title, company, ended_on FROM job WHERE contact_id IN ({marks})",
                chunk,
            ):
                if cid in loaded:
                    loaded[cid].job_keys.add((*_folded_job(title, company), ended))
            if self.history:
                for cid, *key in database.execute_sql(
                    "SELECT contact_id, occurred_at, kind, direction, note FROM interaction "
                    f"WHERE contact_id IN ({marks})",
                    chunk,
                ):
                    if cid in loaded:
                        loaded[cid].touch_keys.add(tuple(key))
                for cid, due, text in database.execute_sql(
                    f"SELECT contact_id, due_on, text FROM follow_up WHERE contact_id IN ({marks})",
                    chunk,
                ):
                    if cid in loaded:
                        loaded[cid].follow_up_keys.add((due, fold(text)))
            self.cache.update(loaded)

    def _index_name(self, w: _Working) -> None:
        f = w.f
        self.index.add_name(w.id, f["first_name"], f["last_name"], f["previous_names"])
        self.index.set_company(w.id, f["company"])

    def _index_method(self, cid: int, kind: str, value: str) -> None:
        self.index.add_method(cid, kind, value)

    def _uids(self) -> dict[str, int]:
        """netterm's UID of each contact that existed before this import."""
        if self.by_uid is None:
            self.by_uid = {
                netterm_uid(cid, created or ""): cid
                for cid, created in database.execute_sql(
                    "SELECT id, created_at FROM contact WHERE id < ?", (self.first_new_id,)
                )
            }
        return self.by_uid

    def _uid_match(self, r: ContactRecord) -> int | None:
        """The contact a netterm record's UID (or id and creation instant) names."""
        if not (r.full and (r.uid or r.source_id is not None)):
            return None
        uids = self._uids()
        cid = uids.get(r.uid) if r.uid else None
        if cid is None and r.source_id is not None and r.created_at is not None:
            cid = uids.get(netterm_uid(r.source_id, instant_text(r.created_at)))
        return cid

    # ---- the plan
    def run(self) -> None:
        """Plan every record and write the plan, a batch at a time."""
        self.load()
        parsed, summary = self.parsed, self.summary
        for name in parsed.categories:
            name = " ".join(_clean_text("category", name).split())
            if name and len(name) <= 60:
                self._category(name)
        self._tick(start=True)
        batch: list[ContactRecord] = []
        for record in parsed.each():
            batch.append(record)
            if len(batch) >= BATCH:
                self._plan_batch(batch)
                batch = []
        self._plan_batch(batch)
        summary.problems.extend(parsed.problems)
        summary.problems.extend(self.problems)
        summary.ignored = dict(parsed.ignored.most_common())
        summary.changes.sort(key=lambda c: (c.source, c.line))
        if self.writes and self.changed_ids:
            if len(self.changed_ids) > _REBUILD_ABOVE:
                stats.rebuild()
            else:
                stats.refresh(sorted(self.changed_ids))
        self._tick(end=True)

    def _plan_batch(self, batch: list[ContactRecord]) -> None:
        self.history = any(r.full for r in batch)
        self._load(self._candidates(batch))
        for record in batch:
            self._plan_one(record)
            self.records_done += 1
            if self.records_done % 500 == 0:
                self._tick()
        self._take_skipped()
        self._flush()
        self._tick()

    def _candidates(self, batch: list[ContactRecord]) -> set[int]:
        """Every existing contact the batch's records may be (a superset)."""
        want: set[int] = set()
        for r in batch:
            cid = self._uid_match(r)
            if cid is not None:
                want.add(cid)
            first, last = _text("first_name", r.first_name), _text("last_name", r.last_name)
            name = " ".join(p for p in (first, last) if p)
            if not name:
                continue
            index = self.index
            urls = [m.value for m in r.methods if m.kind == "linkedin"]
            found = index.candidates(urls) if urls else set()
            if r.full or not found:
                # a profile URL settles who a record from elsewhere is (`_match`): its
                # namesakes are not needed, however many there are
                found |= index.candidates(name=name)
            emails = [m.value for m in r.methods if m.kind == "email"]
            if emails:
                found |= index.candidates(email=emails)
            want |= found
        return want

    def _take_skipped(self) -> None:
        """The rows the reader skipped so far (a streamed reader's list is emptied)."""
        skipped = self.parsed.skipped
        for s in skipped[self.skipped_seen :]:
            self._skip(s)
        if self.streamed:
            skipped.clear()
            self.skipped_seen = 0
        else:
            self.skipped_seen = len(skipped)

    def _tick(self, start: bool = False, end: bool = False) -> None:
        """Progress: records planned (bytes read, for a streamed file), then a share for
        the status cache written at the end."""
        if self.progress is None:
            return
        position = self.parsed.position
        if position is not None:
            read, size = position()
            done, units = read // _PROGRESS_BYTES, max(1, size // _PROGRESS_BYTES)
        else:
            done, units = self.records_done, len(self.parsed.records)
        total = units + (max(1, units // 20) if self.writes else 0)
        self.progress(0 if start else total if end else min(done, units), total)

    def _note(self, change: Change) -> None:
        """A change for the summary: the first CHANGES_KEPT, and every job change."""
        if len(self.summary.changes) < CHANGES_KEPT or change.job_change:
            self.summary.changes.append(change)
        else:
            self.summary.unlisted += 1

    def _skip(self, s: Skipped) -> None:
        self.summary.skipped += 1
        self.summary.hidden += s.hidden
        self._note(Change(SKIPPED, s.source, s.line, "", details=(s.reason,)))

    def _problem(self, record: ContactRecord, message: str) -> None:
        self.problems.append(Problem(record.source, record.line, message))

    def _plan_one(self, record: ContactRecord) -> None:
        values = self._clean(record)
        if values is None:
            self._skip(Skipped(record.source, record.line, "no name"))
            return
        w, namesakes = self._match(record, values)
        if w is None:
            w = self._create(record, values)
            self.summary.added += 1
            self.summary.untracked += w.f["tier"] is None
            described = self._describe(w)
            if namesakes:
                described += (self._namesakes(w, namesakes),)
                self.possible_duplicates += [(w.id, other) for other in namesakes]
            self._note(Change(ADDED, record.source, record.line, w.name, w.id, described))
            return
        details, job_change = self._merge(w, record, values)
        self.claimed.add(w.id)
        if details:
            w.dirty = True
            self.summary.updated += 1
            self.summary.job_changes += job_change
            self._note(
                Change(
                    UPDATED, record.source, record.line, w.name, w.id, tuple(details), job_change
                )
            )
        else:
            self.summary.unchanged += 1

    def _namesakes(self, w: _Working, ids: tuple[int, ...]) -> str:
        """Why a person with the name of existing contacts was added as new."""
        other = self.cache[ids[0]]
        ours = {m.value for m in w.methods if m.kind == "linkedin"}
        theirs = {m.value for m in other.methods if m.kind == "linkedin"}
        why = []
        if ours and theirs:
            why.append("with another profile")
        elif ours:
            why.append("without a profile")
        company = other.f["company"]
        if w.f["company"] and identity.normal_company(company) != identity.normal_company(
            w.f["company"]
        ):
            why.append(f"at {company}" if company else "without a company")
        who = f"a {other.name} {' and '.join(why)}".rstrip()
        if len(ids) > 1:
            who = f"{len(ids)} people named {other.name}"
        verb = "exist" if len(ids) > 1 else "exists"
        return f"added as new: {who} {verb}; flagged as a possible duplicate"

    def _describe(self, w: _Working) -> tuple[str, ...]:
        title, company = w.f["job_title"], w.f["company"]
        job = f"{title} @ {company}" if title and company else (title or company)
        return (job,) if job else ()

    # ---- cleaning a record into stored values
    def _clean(self, r: ContactRecord) -> dict | None:
        first, last = _text("first_name", r.first_name), _text("last_name", r.last_name)
        if not (first or last):
            return None
        v = dict(_NO_VALUES)
        v["first_name"], v["last_name"] = first, last
        for key in _TEXT:
            value = getattr(r, key)
            if value:
                v[key] = _text(key, value)
        met_on = r.met_on
        if met_on is not None and met_on > self.today:
            self._problem(r, f"met on {met_on.isoformat()} is in the future; left empty")
            met_on = None
        v["met_on"] = _iso(met_on)
        if r.full:
            v["previous_names"] = _text("previous_names", r.previous_names)
            v["tier"], v["cadence_days"] = r.tier, r.cadence_days
            for key in OWN_DATES:
                v[key] = _iso(getattr(r, key))
        methods = [MethodInput(m.kind, m.value, clean(m.label), m.primary) for m in r.methods]
        # netterm's own formats keep the primaries as written; others get one per kind
        v["methods"] = unique_methods(methods) if r.full else _with_primaries(methods)
        cats: list[str] = []
        for name in r.categories:
            name = " ".join(_clean_text("category", name).split())
            if not name or name.casefold() in {c.casefold() for c in cats}:
                continue
            if len(name) > 60:
                self._problem(r, f"category '{name[:20]}…' is longer than 60 characters; left out")
                continue
            cats.append(name)
        v["categories"] = cats
        self._check_lengths(r, v)
        return v

    def _check_lengths(self, r: ContactRecord, v: dict) -> None:
        """A field longer than netterm keeps stops the import at its line (one pasted
        megabyte in a name would otherwise swamp every list and export)."""
        for key in ("first_name", "last_name", "previous_names", *_TEXT):
            why = too_long(key, v.get(key) or "")
            if why:
                raise InvalidInput(where(r.source, r.line), why)
        for m in v["methods"]:
            why = too_long("method", m.value) or too_long("method", m.label)
            if why:
                raise InvalidInput(where(r.source, r.line), why)
        for t in r.touches:
            why = too_long("note", t.note)
            if why:
                raise InvalidInput(where(r.source, r.line), why)
        for fu in r.follow_ups:
            why = too_long("follow-up", fu.text)
            if why:
                raise InvalidInput(where(r.source, r.line), why)

    # ---- matching
    def _match(self, r: ContactRecord, v: dict) -> tuple[_Working | None, tuple[int, ...]]:
        """The contact this record is: netterm id, LinkedIn profile, email, then name.

        A person has one LinkedIn profile: a contact with another one is a namesake (or
        shares an address), never a match. Two records of a netterm export are two
        people, so such a record never matches a contact this import already matched or
        created; for other files, a repeated row is the same person again.
        """
        cid = self._uid_match(r)
        if cid is not None and cid not in self.claimed and cid in self.cache:
            return self.cache[cid], ()
        profiles = [m.value for m in v["methods"] if m.kind == "linkedin"]
        emails = [m.value for m in v["methods"] if m.kind == "email"]

        def allow(cid: int, how: str) -> bool:
            by_name = how == identity.NAME
            if cid in self.claimed and (r.full or by_name):
                return False
            # people this file adds are distinct from each other
            return not (by_name and cid in self.created_ids)

        name = " ".join(p for p in (v["first_name"], v["last_name"]) if p)
        found = self.index.match(profiles, emails, name, v["company"], allow=allow)
        if found.how == identity.AMBIGUOUS:
            job = _folded_job(v["job_title"], v["company"])

            def closeness(w: _Working):
                theirs = _folded_job(w.f["job_title"], w.f["company"])
                return (theirs != job, theirs[1] != job[1], w.id)

            return min((self.cache[c] for c in found.candidates), key=closeness), ()
        if found.contact_id is not None:
            return self.cache[found.contact_id], ()
        return None, found.namesakes

    # ---- a new contact
    def _create(self, r: ContactRecord, v: dict) -> _Working:
        f = {key: v[key] for key in _FROM_RECORD}
        f["created_at"] = _iso(r.created_at) or self.now_text
        f["updated_at"] = _iso(r.revised) or self.now_text
        f["search_text"] = ""
        if f["tier"] is not None and not f["tracked_since"]:
            f["tracked_since"] = self.today.isoformat()
        w = _Working(self.next_id, f, new=True)
        self.next_id += 1
        self.cache[w.id] = w
        self.created_ids.add(w.id)
        self.claimed.add(w.id)
        # not by name: a name never matches someone this import adds (`_match`), and
        # 100,000 rows of one name would make each match read them all
        self.index.set_company(w.id, f["company"])
        self._add_methods(w, v["methods"], creating=True)
        self._add_categories(w, v["categories"], r)
        self._add_history(w, r)
        return w

    # ---- merging a record into a contact
    def _merge(self, w: _Working, r: ContactRecord, v: dict) -> tuple[list[str], bool]:
        f = w.f
        details: list[str] = []
        newer = r.revised is not None and (
            f["updated_at"] is None or r.revised > datetime.fromisoformat(f["updated_at"])
        )
        job_change = self._merge_job(w, r, v, newer or r.revised is None, details)
        if newer:
            old = w.name
            first, last = v["first_name"], v["last_name"]
            if fold(f"{first} {last}") != fold(f"{f['first_name']} {f['last_name']}"):
                if f["last_name"] and fold(last) != fold(f["last_name"]):
                    f["previous_names"] = _join_names(f["previous_names"], [f["last_name"]])
                f["first_name"], f["last_name"] = first, last
                self._index_name(w)
                details.append(f"name: {old} → {w.name}")
        if v["previous_names"]:
            merged = _join_names(f["previous_names"], v["previous_names"].split(", "))
            if merged != f["previous_names"]:
                f["previous_names"] = merged
                details.append("former names")
        for key in _SCALARS:
            new = v.get(key)
            if new is None or new == "" or new == f[key]:
                continue
            label = _LABELS.get(key, key)
            if f[key] is None or f[key] == "":
                f[key] = new
                details.append(f"+{label}")
            elif newer:
                f[key] = new
                details.append(f"{label} changed")
        if f["tier"] is not None and not f["tracked_since"]:
            f["tracked_since"] = self.today.isoformat()  # tracking starts now
        if v["notes"] and v["notes"] not in f["notes"]:
            f["notes"] = f"{f['notes']}\n\n{v['notes']}" if f["notes"] else v["notes"]
            details.append("+notes")
        details += self._add_methods(w, v["methods"])
        details += self._add_categories(w, v["categories"], r)
        details += self._add_history(w, r)
        if details:
            f["updated_at"] = self.now_text
        return details, job_change

    def _merge_job(self, w: _Working, r: ContactRecord, v: dict, applies: bool, details) -> bool:
        f = w.f
        title, company = v["job_title"], v["company"]
        if not (title or company) or (title == f["job_title"] and company == f["company"]):
            return False
        old = _folded_job(f["job_title"], f["company"])
        # a part the file leaves empty is unknown, not "none": keep ours if the rest agrees
        if not title and fold(company) == old[1]:
            title = f["job_title"]
        if not company and fold(title) == old[0]:
            company = f["company"]
        if _folded_job(title, company) == old:
            return False
        before = f"{f['job_title']} @ {f['company']}".strip(" @")
        after = f"{title} @ {company}".strip(" @")
        if not (f["job_title"] or f["company"]):
            f["job_title"], f["company"] = title, company
            self.index.set_company(w.id, company)
            details.append(f"+job: {after}")
            return False
        if not applies:
            return False  # the file's record is older than the contact's last change
        # services.contacts.record_job_change, in bulk: the old job to history, the flag
        key = (*old, self.today.isoformat())
        in_file = any(_folded_job(j.title, j.company) == old for j in r.jobs)
        if not in_file and key not in w.job_keys:
            self.job_rows.append(
                (
                    w.id,
                    f["job_title"],
                    f["company"],
                    None,
                    self.today.isoformat(),
                    self.job_source,
                    self.now_text,
                )
            )
            w.job_keys.add(key)
        f["job_title"], f["company"] = title, company
        self.index.set_company(w.id, company)
        f["job_changed_at"] = self.now_text
        details.append(f"job: {before} → {after}")
        return True

    def _add_methods(
        self, w: _Working, methods: Iterable[MethodInput], creating: bool = False
    ) -> list[str]:
        """Methods the contact lacks; one added to a contact is primary if its kind is new."""
        added = []
        kinds = {m.kind for m in w.methods}
        for m in methods:
            key = (m.kind, m.value.casefold())
            if key in w.method_keys:
                continue
            primary = m.primary if creating else m.kind not in kinds
            m = MethodInput(m.kind, m.value, m.label, primary)
            kinds.add(m.kind)
            w.methods.append(m)
            w.method_keys.add(key)
            self.method_rows.append((w.id, m.kind, m.value, m.label, m.primary))
            self._index_method(w.id, m.kind, m.value)
            added.append(f"+{m.kind} {m.value}")
        return added

    def _category(self, name: str) -> str:
        key = name.casefold()
        if key not in self.categories:
            self.categories[key] = name
        return self.categories[key]

    def _add_categories(self, w: _Working, names: Iterable[str], r: ContactRecord) -> list[str]:
        added = []
        have = {c.casefold() for c in w.categories}
        for name in names:
            if name.casefold() in have:
                continue
            stored = self._category(name)
            have.add(name.casefold())
            w.categories.append(stored)
            self.category_links.append((w.id, stored))
            added.append(f"+category {stored}")
        return added

    def _add_history(self, w: _Working, r: ContactRecord) -> list[str]:
        if not r.full:
            return []
        details = []
        jobs = touches = follow_ups = 0
        for j in r.jobs:
            title = _clean_text("job_title", j.title)
            company = _clean_text("company", j.company)
            ended = _iso(j.ended_on)
            key = (*_folded_job(title, company), ended)
            if key in w.job_keys:
                continue
            w.job_keys.add(key)
            self.job_rows.append(
                (
                    w.id,
                    title,
                    company,
                    _iso(j.started_on),
                    ended,
                    " ".join(j.source.split()) or "manual",
                    _iso(j.recorded_at) or self.now_text,
                )
            )
            jobs += 1
        for t in r.touches:
            if t.occurred_on > self.today:  # a touch happened; a plan is a follow-up
                self._problem(
                    r,
                    f"a {t.kind} dated {t.occurred_on.isoformat()} is in the future; a touch "
                    "is something that happened: left out",
                )
                continue
            row = _touch_row(t, self.now_text)
            if _touch_key(row) in w.touch_keys:
                continue
            w.touch_keys.add(_touch_key(row))
            self.touch_rows.append((w.id, *row))
            touches += 1
        for fu in r.follow_ups:
            text = " ".join(_clean_text("follow-up", fu.text).split())
            fu_key = (fu.due_on.isoformat(), fold(text))
            if not text or fu_key in w.follow_up_keys:
                continue
            w.follow_up_keys.add(fu_key)
            self.follow_up_rows.append(
                (
                    w.id,
                    fu.due_on.isoformat(),
                    text,
                    _iso(fu.done_at),
                    _iso(fu.created_at) or self.now_text,
                )
            )
            follow_ups += 1
        for n, noun in ((jobs, "past job"), (touches, "touch"), (follow_ups, "follow-up")):
            if n and w.id not in self.created_ids:
                details.append(f"+{n} {noun}{'s' if n != 1 else ''}")
        return details

    # ---- writing the plan
    def _flush(self) -> None:
        """Write what the batch planned, then forget its contacts (not who is who)."""
        cur = database.cursor()
        missing = [(n,) for k, n in self.categories.items() if k not in self.category_ids]
        if missing:
            cur.executemany("INSERT INTO category (name) VALUES (?)", missing)
            for cid, name in database.execute_sql("SELECT id, name FROM category"):
                self.category_ids.setdefault(name.casefold(), cid)
        changed = [w for w in self.cache.values() if w.new or w.dirty]
        for w in changed:
            w.f["search_text"] = contact_search_text(w.f, [m.value for m in w.methods])
        marks = ", ".join("?" * (len(COLUMNS) + 1))
        cur.executemany(
            f"INSERT INTO contact (id, {', '.join(COLUMNS)}) VALUES ({marks})",
            [(w.id, *(w.f[c] for c in COLUMNS)) for w in sorted(changed, key=_id) if w.new],
        )
        sets = ", ".join(f"{c} = ?" for c in COLUMNS)
        cur.executemany(
            f"UPDATE contact SET {sets} WHERE id = ?",
            [(*(w.f[c] for c in COLUMNS), w.id) for w in changed if not w.new],
        )
        for w in changed:
            w.new = w.dirty = False
            self.changed_ids.add(w.id)
        cur.executemany(
            'INSERT INTO contact_method (contact_id, kind, value, label, "primary") '
            "VALUES (?, ?, ?, ?, ?)",
            self.method_rows,
        )
        cur.executemany(
            "INSERT OR IGNORE INTO contact_category (contact_id, category_id) VALUES (?, ?)",
            [(cid, self.category_ids[name.casefold()]) for cid, name in self.category_links],
        )
        cur.executemany(
            "INSERT INTO job (contact_id, title, company, started_on, ended_on, source, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self.job_rows,
        )
        cur.executemany(
            "INSERT INTO interaction (contact_id, occurred_at, kind, direction, note, "
            "occurred_on, in_person, awaiting_reply, replied_at, value, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.touch_rows,
        )
        cur.executemany(
            "INSERT INTO follow_up (contact_id, due_on, text, done_at, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            self.follow_up_rows,
        )
        if self.possible_duplicates:
            label = FORMAT_NAMES.get(self.parsed.format, self.parsed.format)
            reason = f"same name; added as new by the {label} import of {short_date(self.today)}"
            cur.executemany(
                "INSERT OR IGNORE INTO possible_duplicate (contact_id, other_id, reason, "
                "flagged_at) VALUES (?, ?, ?, ?)",
                [(a, b, reason, self.now_text) for a, b in self.possible_duplicates],
            )
        for rows in (
            self.possible_duplicates,
            self.method_rows,
            self.category_links,
            self.job_rows,
            self.touch_rows,
            self.follow_up_rows,
        ):
            rows.clear()
        self.cache.clear()


def _id(w: _Working) -> int:
    return w.id


def _touch_row(t: TouchRecord, now_text: str) -> tuple:
    """An interaction row; its first four values are the key that spots a duplicate."""
    note = t.note
    if not note.isprintable():  # as services.touches.check_touch stores a note
        note = "\n".join(clean(line) for line in note.splitlines())
    note = note.strip()
    return (
        instant_text(t.occurred_at),
        t.kind,
        t.direction,
        note,
        t.occurred_on.isoformat(),
        t.in_person,
        t.awaiting_reply,
        _iso(t.replied_at),
        t.value,
        _iso(t.created_at) or now_text,
    )


def _join_names(current: str, more: Iterable[str]) -> str:
    names = [n for n in current.split(", ") if n]
    for name in more:
        name = " ".join(name.split())
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


# --------------------------------------------------------------------------- exports


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _t(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _day(text: str) -> date:
    """A NOT NULL date column."""
    return date.fromisoformat(text)


def _instant(text: str) -> datetime:
    """A NOT NULL instant column."""
    return datetime.fromisoformat(text)


def export_records(*, include_archived: bool = True) -> list[ContactRecord]:
    """Every contact with everything it has, as records (netterm's own formats)."""
    where_active = "" if include_archived else "WHERE archived_at IS NULL"
    cols = ", ".join(("id", *COLUMNS))
    records: dict[int, ContactRecord] = {}
    for row in database.execute_sql(f"SELECT {cols} FROM contact {where_active} ORDER BY id"):
        c = dict(zip(COLUMNS, row[1:], strict=True))
        records[row[0]] = ContactRecord(
            source_id=row[0],
            first_name=c["first_name"],
            last_name=c["last_name"],
            previous_names=c["previous_names"],
            job_title=c["job_title"],
            company=c["company"],
            location=c["location"],
            how_met=c["how_met"],
            met_on=_d(c["met_on"]),
            notes=c["notes"],
            looking_for=c["looking_for"],
            full=True,
            tier=c["tier"],
            cadence_days=c["cadence_days"],
            tracked_since=_d(c["tracked_since"]),
            paused_until=_d(c["paused_until"]),
            awaiting_inbound_since=_d(c["awaiting_inbound_since"]),
            archived_at=_t(c["archived_at"]),
            reviewed_at=_t(c["reviewed_at"]),
            job_changed_at=_t(c["job_changed_at"]),
            created_at=_t(c["created_at"]),
            revised=_t(c["updated_at"]),
        )
    for cid, kind, value, label, primary in database.execute_sql(
        'SELECT contact_id, kind, value, label, "primary" FROM contact_method ORDER BY id'
    ):
        if cid in records:
            records[cid].methods.append(MethodRecord(kind, value, label, bool(primary)))
    for cid, name in database.execute_sql(
        "SELECT cc.contact_id, c.name FROM contact_category cc "
        "JOIN category c ON c.id = cc.category_id ORDER BY c.name COLLATE NOCASE, c.name"
    ):
        if cid in records:
            records[cid].categories.append(name)
    for cid, *j in database.execute_sql(
        "SELECT contact_id, title, company, started_on, ended_on, source, recorded_at "
        "FROM job ORDER BY id"
    ):
        if cid in records:
            records[cid].jobs.append(JobRecord(j[0], j[1], _d(j[2]), _d(j[3]), j[4], _t(j[5])))
    for cid, *t in database.execute_sql(
        "SELECT contact_id, occurred_at, occurred_on, kind, direction, in_person, "
        "awaiting_reply, replied_at, value, note, created_at FROM interaction "
        "ORDER BY contact_id, occurred_on, occurred_at, id"
    ):
        if cid in records:
            records[cid].touches.append(
                TouchRecord(
                    _instant(t[0]),
                    _day(t[1]),
                    t[2],
                    t[3],
                    bool(t[4]),
                    bool(t[5]),
                    _t(t[6]),
                    t[7],
                    t[8],
                    _t(t[9]),
                )
            )
    for cid, due, text, done, created in database.execute_sql(
        "SELECT contact_id, due_on, text, done_at, created_at FROM follow_up ORDER BY id"
    ):
        if cid in records:
            records[cid].follow_ups.append(FollowUpRecord(_day(due), text, _t(done), _t(created)))
    return list(records.values())


def _all_categories() -> list[str]:
    return [
        name
        for (name,) in database.execute_sql(
            "SELECT name FROM category ORDER BY name COLLATE NOCASE, name"
        )
    ]


CSV_COLUMNS = (
    "Name",
    "First Name",
    "Last Name",
    "Title",
    "Company",
    "Email",
    "Phone",
    "LinkedIn",
    "Website",
    "Other Methods",
    "Categories",
    "Tier",
    "Cadence (days)",
    "State",
    "Due",
    "Last Touch",
    "How Met",
    "Met On",
    "Location",
    "Looking For",
    "Notes",
    "Former Names",
)


def _csv_rows(records: list[ContactRecord]) -> Iterable[list[object]]:
    from netterm.services.network import states

    today = clock.today()
    status = states(today)
    for r in records:
        by_kind: dict[str, list[str]] = {}
        for m in sorted(r.methods, key=lambda m: not m.primary):
            text = f"{m.value} ({m.label})" if m.label and m.kind in ("email", "phone") else m.value
            if m.kind not in ("email", "phone", "linkedin", "website"):
                text = f"{m.kind}: {m.value}"
                by_kind.setdefault("other", []).append(text)
                continue
            by_kind.setdefault(m.kind, []).append(text)
        state, due, *_ = status.get(r.source_id or 0, (st.UNTRACKED, None))
        last = max((t.occurred_on for t in r.touches), default=None)
        yield [
            r.name,
            r.first_name,
            r.last_name,
            r.job_title,
            r.company,
            "; ".join(by_kind.get("email", ())),
            "; ".join(by_kind.get("phone", ())),
            "; ".join(by_kind.get("linkedin", ())),
            "; ".join(by_kind.get("website", ())),
            "; ".join(by_kind.get("other", ())),
            "; ".join(r.categories),
            r.tier or "",
            r.cadence_days or "",
            st.STATE_LABELS[state],
            date.fromordinal(due).isoformat() if due is not None else "",
            last.isoformat() if last else "",
            r.how_met,
            _iso(r.met_on) or "",
            r.location,
            r.looking_for,
            r.notes,
            r.previous_names,
        ]


def render(fmt: str, *, include_archived: bool = True) -> tuple[str, ExportSummary]:
    """The export as text, and what it holds (for stdout, or to write with `write_private`)."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput("format", f"unknown format '{fmt}'; use {', '.join(EXPORT_FORMATS)}")
    if fmt == "ics":
        entries = calendar_entries()
        text = ics.dump(entries, PRODID, clock.now())
        catch_ups = sum(e.component == ics.TODO for e in entries)
        return text, ExportSummary(fmt, "", catch_ups, len(entries))
    records = export_records(include_archived=include_archived)
    touches = sum(len(r.touches) for r in records)
    if fmt == "json":
        text = jsonfile.dump(records, instant_text(clock.now()), _all_categories())
    elif fmt == "vcard":
        text = "".join(vcard.dump(records, PRODID))
    else:
        text = csvfile.dump(CSV_COLUMNS, _csv_rows(records))
    return text, ExportSummary(fmt, "", len(records), touches)


def export(
    fmt: str, path: str | os.PathLike[str], *, include_archived: bool = True
) -> ExportSummary:
    """Write an export to `path`, readable by its owner only (0600)."""
    text, summary = render(fmt, include_archived=include_archived)
    bom = "\ufeff" if fmt == "csv" else ""  # spreadsheets read UTF-8 only with the mark
    write_private(Path(path), bom + text)
    return ExportSummary(fmt, str(path), summary.contacts, summary.entries)


def export_vdir(folder: str | os.PathLike[str], *, include_archived: bool = True) -> ExportSummary:
    """One `UID.vcf` per contact in `folder`: the layout khard and vdirsyncer read."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(str(folder), "is a file, not a folder")
    from netterm.store.files import ensure_private_dir

    ensure_private_dir(folder)  # every folder it creates is 0700, whatever the umask
    records = export_records(include_archived=include_archived)
    for r in records:
        uid = vcard.card_uid(r)
        name = uid.removeprefix("urn:uuid:").replace("/", "_") + ".vcf"
        write_private(folder / name, vcard.dump_card(r, PRODID))
    return ExportSummary("vcard", str(folder), len(records), sum(len(r.touches) for r in records))


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`: a regular file atomically, mode 0600 (it holds other
    people's data); a device, a FIFO or `/dev/stdout` directly, as a shell would.

    - A symlink is followed: its target is replaced, the link stays a link.
    - A device, FIFO or socket (`/dev/full`, `/dev/stdout`, `>(…)`) is opened and written,
      never replaced by a regular file (which, as root, would remove the device).
    - Anything under /dev or /proc (`/dev/stdout` on a pipe resolves to no real file) is
      written directly too.
    """
    path = Path(path)
    if str(path) in ("/dev/stdout", "/dev/stderr") or str(path).startswith(("/dev/", "/proc/")):
        _write_through(path, text)
        return
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InvalidInput(str(path), f"cannot write it ({exc.strerror or exc})") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise InvalidInput(str(path), "is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        _write_through(real, text, shown=path)
        return
    parent = real.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{real.name}.", suffix=".tmp")
    except OSError as exc:
        raise InvalidInput(str(path), f"cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, real)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InvalidInput(str(path), f"cannot write it ({exc.strerror or exc})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_through(path: Path, text: str, shown: Path | None = None) -> None:
    """Write into an existing device, FIFO or stream (O_APPEND: `>>` keeps what it has)."""
    shown = shown or path
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InvalidInput(str(shown), "no such file or device") from None
    except OSError as exc:
        raise InvalidInput(str(shown), f"cannot write it ({exc.strerror or exc})") from None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode) and not str(path).startswith(("/dev/", "/proc/")):
            raise InvalidInput(str(shown), "changed while netterm wrote it; try again")
        data = text.encode("utf-8")
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise InvalidInput(str(shown), f"cannot write it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- calendar


#: a catch-up's to-do priority by tier (RFC 5545: 1 highest, 9 lowest)
_TIER_PRIORITY = {1: 1, 2: 5, 3: 9}


def calendar_entries(today: date | None = None) -> list[ics.Entry]:
    """Due catch-ups (overdue, due soon) as to-dos due on the day they fell due, open
    follow-ups as all-day events on their day; every UID stable (netterm/interchange/ics.py)."""
    import uuid

    from netterm.services.network import explain_row, triage

    today = today or clock.today()
    _, rows = triage(today)
    wanted = [r for r in rows if r.state in (st.OVERDUE, st.DUE_SOON)]
    created = (
        dict(
            database.execute_sql(
                f"SELECT id, created_at FROM contact WHERE id IN ({','.join('?' * len(wanted))})",
                [r.id for r in wanted],
            ).fetchall()
        )
        if wanted
        else {}
    )
    entries = []
    for row in wanted:
        if row.due_on is None:  # untracked: nothing falls due
            continue
        uid = netterm_uid(row.id, created.get(row.id, "")).removeprefix("urn:uuid:")
        description = explain_row(row, today)
        if row.title_at_company:
            description = f"{row.name}, {row.title_at_company}.\n{description}"
        entries.append(
            ics.Entry(
                # one UID per contact, not per due date: a re-export updates the to-do
                uid=f"{uid}/catch-up@netterm",
                component=ics.TODO,
                day=row.due_on,
                summary=f"Catch up with {row.name}",
                description=description,
                categories=("netterm",),
                priority=_TIER_PRIORITY.get(row.tier, 0),
            )
        )
    for fid, due, text, created_at, first, last in database.execute_sql(
        "SELECT f.id, f.due_on, f.text, f.created_at, c.first_name, c.last_name "
        "FROM follow_up f JOIN contact c ON c.id = f.contact_id "
        "WHERE f.done_at IS NULL AND c.archived_at IS NULL ORDER BY f.due_on, f.id"
    ):
        name = " ".join(p for p in (first, last) if p)
        fuid = uuid.uuid5(uuid.NAMESPACE_URL, f"netterm:follow-up:{fid}:{created_at}")
        entries.append(
            ics.Entry(
                uid=f"{fuid}/follow-up@netterm",
                component=ics.EVENT,
                day=date.fromisoformat(due),
                summary=f"Follow up with {name}: {text}",
                description=text,
                categories=("netterm",),
            )
        )
    return entries
