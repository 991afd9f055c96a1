"""LinkedIn's `messages.csv`, alone or inside the data-export ZIP LinkedIn e-mails.

The header (found by name, never by position): `CONVERSATION ID, CONVERSATION TITLE,
FROM, SENDER PROFILE URL, TO, RECIPIENT PROFILE URLS, DATE, SUBJECT, CONTENT, FOLDER`
(newer exports add `IS MESSAGE DRAFT` …). Dates look like `2026-09-02 18:15:11 UTC`,
rows come newest first, recipients' profile URLs are separated by `;` (their names in
TO by `,`), and names are sometimes double-encoded (`AmÃ©lie` for `Amélie`): they are
repaired with `ftfy`. Messages in the SPAM or ARCHIVE folder and drafts are skipped.

A message's identity, for idempotent re-imports, is its conversation, date and sender.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath

from netterm.interchange import guard
from netterm.interchange.records import (
    Problem,
    csv_rows,
    decode,
    fail,
    fit_row,
    header_index,
    snippet,
)

SKIPPED_FOLDERS = frozenset({"SPAM", "ARCHIVE", "SPAM/ARCHIVE"})
#: the largest messages.csv or Connections.csv read from a ZIP (a per-member cap)
MEMBER_MAX = 512 << 20


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    url: str  # the profile URL as exported ("" when missing)


@dataclass(frozen=True, slots=True)
class Message:
    where: str  # FILE:LINE
    conversation: str
    title: str
    sent_at: datetime
    sender: Party
    recipients: tuple[Party, ...]
    subject: str
    folder: str

    @property
    def key(self) -> str:
        who = self.sender.url or self.sender.name
        return f"{self.conversation}/{self.sent_at.strftime('%Y-%m-%dT%H:%M:%SZ')}/{who}"


@dataclass(slots=True)
class Messages:
    source: str
    messages: list[Message] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason → count
    problems: list[Problem] = field(default_factory=list)


def repair(text: str) -> str:
    """`AmÃ©lie` → `Amélie`: text encoded as UTF-8 twice (LinkedIn's exports do it)."""
    if not text or text.isascii():
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def parse_date(text: str) -> datetime | None:
    s = text.strip().removesuffix(" UTC").removesuffix("Z").strip()
    try:
        d = datetime.fromisoformat(s.replace(" ", "T", 1))
    except ValueError:
        return None
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d


def _split_names(names: str, count: int) -> list[str]:
    if count <= 1:
        return [names] if count == 1 else []
    parts = [p.strip() for p in names.split(",")]
    return parts if len(parts) == count else [""] * count


def is_messages_csv(text: str) -> bool:
    head = text[:2000].casefold()
    return "conversation id" in head and "sender profile url" in head


def parse(data: bytes | str, source: str = "messages.csv") -> Messages:
    text = decode(data, source)
    out = Messages(source)
    rows = csv_rows(text, source)
    cols = None
    width = 0
    for n, (_line, row) in enumerate(rows):
        found = header_index(row)
        if {"conversation id", "from", "date"} <= found.keys():
            cols, width = found, len(row)
            break
        if n >= 10:
            break
    if cols is None:
        raise fail(
            source,
            0,
            "no LinkedIn messages header (CONVERSATION ID, FROM, … DATE) near the top; is this "
            "messages.csv from LinkedIn's data export?",
        )

    def cell(row, name: str) -> str:
        i = cols.get(name)
        return row[i].strip() if i is not None and row[i] else ""

    for line, row in rows:
        row = fit_row(row, width, source, line)
        if not any(c.strip() for c in row):
            continue
        folder = cell(row, "folder").upper()
        if folder in SKIPPED_FOLDERS:
            out.skipped["spam or archive"] = out.skipped.get("spam or archive", 0) + 1
            continue
        if cell(row, "is message draft").casefold() in ("yes", "true"):
            out.skipped["draft"] = out.skipped.get("draft", 0) + 1
            continue
        raw_date = cell(row, "date")
        sent = parse_date(raw_date)
        if sent is None:
            out.problems.append(
                Problem(source, line, f"DATE: can't read {snippet(raw_date)}; message skipped")
            )
            out.skipped["no usable date"] = out.skipped.get("no usable date", 0) + 1
            continue
        urls = [u.strip() for u in cell(row, "recipient profile urls").split(";") if u.strip()]
        names = _split_names(repair(cell(row, "to")), len(urls))
        if not urls and cell(row, "to"):
            names, urls = [repair(cell(row, "to"))], [""]
        out.messages.append(
            Message(
                where=f"{source}:{line}",
                conversation=cell(row, "conversation id"),
                title=repair(cell(row, "conversation title")),
                sent_at=sent,
                sender=Party(
                    repair(" ".join(cell(row, "from").split())), cell(row, "sender profile url")
                ),
                recipients=tuple(
                    Party(" ".join(n.split()), u) for n, u in zip(names, urls, strict=True)
                ),
                subject=repair(" ".join(cell(row, "subject").split())),
                folder=folder,
            )
        )
    return out


# --------------------------------------------------------------------------- the ZIP


@dataclass(slots=True)
class Export:
    """The members of LinkedIn's data-export ZIP that netterm reads."""

    source: str
    connections: bytes | None = None
    messages: bytes | None = None


def read_zip(path) -> Export:
    source = str(path)
    fh = guard.open_binary(path)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError) as exc:
        fh.close()
        raise fail(source, 0, f"not a readable ZIP file ({exc})") from None
    out = Export(source)
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            base = PurePosixPath(info.filename).name.casefold()
            if base not in ("connections.csv", "messages.csv"):
                continue
            if info.file_size > MEMBER_MAX:
                raise fail(f"{source}:{info.filename}", 0, "too large for a LinkedIn export member")
            try:
                with zf.open(info) as fh:
                    data = fh.read(MEMBER_MAX + 1)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise fail(f"{source}:{info.filename}", 0, f"cannot unpack it ({exc})") from None
            if base == "connections.csv":
                out.connections = data
            else:
                out.messages = data
    fh.close()
    if out.connections is None and out.messages is None:
        raise fail(source, 0, "no Connections.csv nor messages.csv in this ZIP")
    return out


def sniff(path) -> str:
    """zip, messages or connections: what a file given to `import linkedin` holds."""
    with guard.open_binary(path) as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    text = head.decode("utf-8", "replace")
    return "messages" if is_messages_csv(text) else "connections"
