"""The plain records every importer produces and every exporter consumes, and shared helpers.

A `ContactRecord` is one person as a file describes them. Formats from elsewhere
(LinkedIn, Google, Apple or khard vCards) fill the identity fields only; netterm's own
formats (JSON, vCards with `X-NETTERM-*` properties) set `full` and carry everything a
contact has in netterm: tier, cadence, pauses, career history, touches, follow-ups.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from netterm.core.names import clean
from netterm.core.validate import normalize_method
from netterm.errors import InvalidInput


@dataclass(slots=True)
class MethodRecord:
    kind: str  # email, phone, linkedin, x, mastodon, github, website, other
    value: str
    label: str = ""
    primary: bool = False


@dataclass(slots=True)
class JobRecord:
    title: str = ""
    company: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    source: str = "manual"
    recorded_at: datetime | None = None


@dataclass(slots=True)
class TouchRecord:
    occurred_at: datetime
    occurred_on: date
    kind: str
    direction: str = "out"
    in_person: bool = False
    awaiting_reply: bool = False
    replied_at: datetime | None = None
    value: str = "none"
    note: str = ""
    created_at: datetime | None = None


@dataclass(slots=True)
class FollowUpRecord:
    due_on: date
    text: str
    done_at: datetime | None = None
    created_at: datetime | None = None


#: a contact's text fields, in the database's column order
TEXT_FIELDS = (
    "first_name",
    "last_name",
    "previous_names",
    "job_title",
    "company",
    "location",
    "how_met",
    "notes",
    "looking_for",
)
#: netterm's own dates and instants, which only its formats (JSON, X-NETTERM-*) carry
OWN_DATES = (
    "tracked_since",
    "paused_until",
    "awaiting_inbound_since",
    "archived_at",
    "reviewed_at",
    "job_changed_at",
)


@dataclass(slots=True)
class ContactRecord:
    """One person read from a file (or about to be written to one)."""

    line: int = 0  # where the person starts in the source file (1-based; 0 unknown)
    source: str = ""  # the file (one of a folder's files, for a vCard folder)
    first_name: str = ""
    last_name: str = ""
    previous_names: str = ""
    job_title: str = ""
    company: str = ""
    location: str = ""
    how_met: str = ""
    met_on: date | None = None
    notes: str = ""
    looking_for: str = ""
    methods: list[MethodRecord] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    # identity across exports: a vCard UID, and netterm's own id + creation instant
    uid: str = ""
    source_id: int | None = None
    # when the source last changed this person (vCard REV, JSON updated_at)
    revised: datetime | None = None
    # netterm's own formats: the fields below are meaningful
    full: bool = False
    tier: int | None = None
    cadence_days: int | None = None
    tracked_since: date | None = None
    paused_until: date | None = None
    awaiting_inbound_since: date | None = None
    archived_at: datetime | None = None
    reviewed_at: datetime | None = None
    job_changed_at: datetime | None = None
    created_at: datetime | None = None
    jobs: list[JobRecord] = field(default_factory=list)
    touches: list[TouchRecord] = field(default_factory=list)
    follow_ups: list[FollowUpRecord] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a file netterm read but could not keep exactly as written."""

    source: str
    line: int
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", one_line(self.message))

    def __str__(self) -> str:
        return f"{where(self.source, self.line)}: {self.message}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row or card deliberately not imported (hidden LinkedIn profile, group card …)."""

    source: str
    line: int
    reason: str
    hidden: bool = False  # a LinkedIn connection who hides their profile


@dataclass(slots=True)
class ParseResult:
    source: str
    format: str
    records: list[ContactRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: properties or columns with no place in netterm, and how often they occurred
    ignored: Counter = field(default_factory=Counter)
    #: category names the file defines even when no contact carries them (JSON)
    categories: list[str] = field(default_factory=list)
    #: a file read as it is imported: the records not read yet (see `each`); reading
    #: them appends to `skipped`, `problems` and `ignored` as it goes
    pending: Iterator[ContactRecord] | None = None
    #: a streamed file's (bytes read, bytes in all), for a progress bar
    position: Callable[[], tuple[int, int]] | None = None

    def each(self) -> Iterator[ContactRecord]:
        """Every record: those already read, then (once) the pending ones as they are read.

        An import iterates this and keeps only a batch of records at a time, so a
        streamed file's memory stays bounded by the batch, not by the file.
        """
        yield from self.records
        pending, self.pending = self.pending, None
        if pending is not None:
            yield from pending

    def read_all(self) -> ParseResult:
        """Read the pending records into `records` (tests, small files); returns self."""
        pending, self.pending = self.pending, None
        if pending is not None:
            self.records.extend(pending)
        self.position = None  # progress counts the records now
        return self


# --------------------------------------------------------------------------- errors


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MESSAGE_MAX = 300


def one_line(message: str) -> str:
    """A message safe to print: one line, no terminal control characters, not endless."""
    text = _UNPRINTABLE.sub("?", message)
    return text if len(text) <= MESSAGE_MAX else text[: MESSAGE_MAX - 1] + "…"


def snippet(value: object, size: int = 40) -> str:
    """A value from the file, quoted in a message: repr'd, cut short."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return one_line(text if len(text) <= size else text[: size - 2] + "…'")


def where(source: str, line: int) -> str:
    return f"{source}:{line}" if line else source


def fail(source: str, line: int, message: str) -> InvalidInput:
    """The error for a file netterm cannot read: `FILE:LINE: message` (raise it)."""
    return InvalidInput(where(source, line), one_line(message))


# --------------------------------------------------------------------------- text


def decode(data: bytes | str, source: str) -> str:
    """Text from a file's bytes: UTF-8 (a BOM is dropped) or UTF-16 with its BOM."""
    if isinstance(data, str):
        text = data
    else:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                text = data.decode("utf-16")
            except UnicodeDecodeError:
                raise fail(source, 0, "not readable UTF-16 text") from None
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                raise fail(
                    source,
                    line,
                    f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save or export the file "
                    "again as UTF-8",
                ) from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        raise fail(
            source, text.count("\n", 0, nul) + 1, "contains a NUL character: not a text file"
        )
    return text


def text_source(data: bytes | str | Iterable[str], source: str) -> tuple[str | Iterable[str], str]:
    """(the text, or the streamed lines of `guard.open_text`; the first 4,000 characters).

    Parsers take bytes or a string (tests, small files) or a streamed reader (files on
    disk, see `netterm.interchange.guard`); the head is for `wrong_format_hint`.
    """
    if isinstance(data, (bytes, str)):
        text = decode(data, source)
        return text, text[:4000]
    return data, getattr(data, "head", "")


def streamed(path, cancel, stream: Callable[..., ParseResult]) -> ParseResult:
    """`stream(lines, source)` over the file at `path` read through `guard.open_text`.

    `stream` reads the head of the file at once (a wrong header fails here, before any
    import starts) and leaves the rest in `pending`; the file is closed when the records
    are all read (or the import stops). Memory stays bounded by what the importer holds.
    """
    from netterm.interchange import guard

    lines = guard.open_text(path, cancel=cancel)
    try:
        result = stream(lines, str(path))
    except BaseException:
        lines.close()
        raise
    result.pending = _closing(result.pending, lines)
    result.position = lines.position
    return result


def _closing(records: Iterator[ContactRecord] | None, lines) -> Iterator[ContactRecord]:
    try:
        if records is not None:
            yield from records
    except OSError as exc:  # the disk failed under the import: one line, nothing written
        raise fail(lines.source, 0, f"cannot read it ({exc.strerror or exc})") from None
    finally:
        lines.close()


def csv_rows(text: str | Iterable[str], source: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for each row; malformed CSV names its line.

    `text` is a string or an iterable of lines (a streamed file: memory stays bounded).
    A record longer than `guard.MAX_RECORD_CHARS` is refused.
    """
    from netterm.interchange.guard import MAX_RECORD_CHARS

    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(lines, strict=True)
    end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise fail(source, end + 1, f"malformed CSV ({exc})") from None
        start, end = end + 1, reader.line_num
        if row:
            if len(row) > 1000 or sum(map(len, row)) > MAX_RECORD_CHARS:
                raise fail(
                    source, start, "a row far too long for a contact: not a file netterm reads"
                )
            yield start, row


def fit_row(row: list[str], width: int, source: str, line: int) -> list[str]:
    """A data row cut to the header's width; a row of another shape is malformed."""
    if len(row) == width:
        return row
    if len(row) < width or any(c.strip() for c in row[width:]):
        raise fail(
            source, line, f"{len(row)} cells where the header has {width} (a stray comma or quote?)"
        )
    return row[:width]


def header_index(cells: list[str]) -> dict[str, int]:
    """Column positions by folded header name (the first of duplicate names wins)."""
    out: dict[str, int] = {}
    for i, cell in enumerate(cells):
        out.setdefault(" ".join(cell.strip().strip("\ufeff").casefold().split()), i)
    return out


# --------------------------------------------------------------------------- vCard and iCalendar text


def escape(value: str) -> str:
    """A TEXT value of vCard and iCalendar: backslash, newline, comma, semicolon escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (a multi-byte character is never split)."""
    if len(line) <= 75 and line.isascii():
        return line
    out, current, size = [], [], 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n ".join(out)


# --------------------------------------------------------------------------- contact methods

_CANONICAL_LINKEDIN = re.compile(r"^https://www\.linkedin\.com/in/([^/?#\s]+)/?$", re.IGNORECASE)
_SOCIAL_HOSTS = {
    "linkedin.com": "linkedin",
    "github.com": "github",
    "twitter.com": "x",
    "x.com": "x",
}


def url_kind(url: str) -> str:
    """The method kind a web address belongs to: linkedin, github, x, or website."""
    v = url.strip()
    try:
        parts = urlsplit(v if "://" in v else "https://" + v)
    except ValueError:  # '[' reads as a broken IPv6 address
        return "website"
    host = parts.netloc.lower().split("@")[-1].split(":")[0]
    host = host.removeprefix("www.")
    for domain, kind in _SOCIAL_HOSTS.items():
        if host == domain or host.endswith("." + domain):
            if kind == "linkedin" and not parts.path.lower().startswith(("/in/", "/pub/")):
                return "website"
            if kind in ("github", "x") and parts.path.strip("/").count("/") != 0:
                return "website"
            return kind
    return "website"


def method(
    kind: str,
    value: str,
    label: str,
    primary: bool,
    problems: list[Problem],
    source: str,
    line: int,
) -> MethodRecord | None:
    """A normalised contact method; a value netterm cannot check is kept as 'other'."""
    value = " ".join(clean(str(value)).split())
    if not value:
        return None
    label = clean(str(label)) if label else ""  # as services.contacts keeps a label
    if kind == "linkedin":
        m = _CANONICAL_LINKEDIN.match(value)
        if m:  # what normalize_linkedin returns for it, without parsing the URL
            return MethodRecord(
                kind, f"https://www.linkedin.com/in/{m.group(1).lower()}", label, primary
            )
    try:
        k, v = normalize_method(kind, value)
    except InvalidInput as exc:
        if kind in ("github", "x", "linkedin"):
            # a profile address netterm cannot read as a handle: still a web address
            try:
                k, v = normalize_method("website", value)
                return MethodRecord(k, v, label or kind, primary)
            except InvalidInput:
                pass
        problems.append(Problem(source, line, f"{exc.message}; kept as an 'other' contact method"))
        return MethodRecord("other", value, label or kind, primary)
    return MethodRecord(k, v, label, primary)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset ('Z' allowed); ValueError otherwise."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        raise ValueError("no timezone offset")
    return value


def instant_text(value: datetime) -> str:
    """The stored form of an instant: ISO 8601 in UTC (what the database holds)."""
    return value.astimezone(UTC).isoformat()


def guess_format(text: str) -> str | None:
    """Which importer a file's first lines suggest (for a helpful error), or None."""
    head = text[:4000].casefold()
    if "begin:vcard" in head:
        return "vcard"
    if head.lstrip().startswith(("{", "[")):
        return "json"
    if "connected on" in head and "first name" in head:
        return "linkedin"
    if "e-mail 1 - value" in head or "organization name" in head or "group membership" in head:
        return "google"
    return None


def wrong_format_hint(text: str, expected: str) -> str:
    guess = guess_format(text)
    if guess and guess != expected:
        return f"; it looks like a {FORMAT_NAMES[guess]} file (try `netterm import {guess}`)"
    return ""


FORMAT_NAMES = {
    "linkedin": "LinkedIn Connections.csv",
    "google": "Google Contacts CSV",
    "vcard": "vCard",
    "json": "netterm JSON",
}


def netterm_uid(source_id: int | None, created: str) -> str:
    """The UID of a netterm contact: the same id and creation instant, the same UID."""
    return "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"netterm:contact:{source_id}:{created}")
    )
