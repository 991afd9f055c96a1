"""Mail headers, streamed from an mbox file (Gmail Takeout, Thunderbird) or a Maildir.

Only headers are read: bodies are never parsed nor kept. An mbox is read in 1 MiB
chunks: a message starts at a `From ` line at the top of the file or after a blank line
(mboxrd and Takeout escape body lines as `>From `, so those never split a message);
its headers end at the first blank line and are parsed by the standard library's
`email.parser.BytesHeaderParser`. The body is skipped with `bytes.find` (no per-line
Python loop): docs/capture.md gives the measured speed against a bare
`mailbox.mbox` header scan. A Maildir (`cur/` and `new/`, as mbsync, offlineimap and
notmuch keep it) is read one file at a time, up to the end of its headers.

What a message says is a `Mail`: its identity (Message-ID, else a digest of its
headers), date, sender, To/Cc, subject, Gmail's thread id, and why it is not a
personal message (spam or trash per `X-Gmail-Labels`, bulk per `List-Unsubscribe` or
`Precedence`, an auto-reply per `Auto-Submitted`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import Header, decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from netterm.interchange import guard
from netterm.interchange.records import fail

CHUNK = 1 << 20
#: a message's headers longer than this are not mail (a per-record cap: memory stays flat)
HEADER_MAX = min(1 << 20, guard.MAX_RECORD_CHARS)
SPAM, BULK, AUTO = "spam or trash", "bulk mail", "auto-reply"
_SEPARATORS = (b"\n\nFrom ", b"\n\r\nFrom ")
_HEADER_ENDS = (b"\n\n", b"\n\r\n")
_SKIP_LABELS = {"spam", "trash"}
_BULK_PRECEDENCE = {"bulk", "list", "junk"}


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is several times slower
class Mail:
    """One message's headers, as capture needs them."""

    where: str  # FILE:LINE of its `From ` line (mbox) or the file's path (Maildir)
    key: str  # Message-ID without <>, or `sha1:…` of its headers when it has none
    sent_at: datetime | None  # aware; None when the Date header is missing or unreadable
    sender: tuple[str, str]  # (name, address)
    recipients: tuple[tuple[str, str], ...]  # To and Cc
    subject: str
    thread: str = ""  # Gmail's X-GM-THRID
    skip: str | None = None  # SPAM, BULK, AUTO, or None for a personal message
    raw_date: str = ""


@dataclass(slots=True)
class MailSource:
    """What `read` walks: its size (for a progress bar) and how it is laid out."""

    path: Path
    maildir: bool
    size: int  # bytes (mbox) or files (Maildir)


def _eight_bit(value: Header) -> str:
    """A header with raw 8-bit bytes (compat32 hands it over as a `Header`): UTF-8 when
    it is, else Windows-1252, the usual culprit."""
    out = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        for codec in (None if charset in (None, "unknown-8bit") else charset, "utf-8"):
            if codec:
                try:
                    out.append(chunk.decode(codec))
                    break
                except (UnicodeDecodeError, LookupError):
                    continue
        else:
            out.append(chunk.decode("cp1252", "replace"))
    return "".join(out)


def _unescape(s: str) -> str:
    """Raw 8-bit bytes in a header (the parser keeps them as surrogates) read as UTF-8."""
    if not s.isascii():
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return s


def _text(value) -> str:
    """A header value as text: RFC 2047 words decoded, stray 8-bit bytes as UTF-8."""
    if value is None:
        return ""
    if isinstance(value, Header):
        value = _eight_bit(value)
    s = str(value)
    if s.isascii() and "=?" not in s and "\n" not in s and "\t" not in s and "  " not in s:
        return s.strip()  # most headers: nothing to decode or unfold
    if not s.isascii():
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:  # raw 8-bit bytes (compat32 keeps them as surrogates)
            s = s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" in s:
        with contextlib.suppress(ValueError, LookupError, UnicodeError):
            s = str(make_header(decode_header(s)))
    return " ".join(s.split())


def _addresses(values: list) -> list[tuple[str, str]]:
    texts = [_unescape(v) if isinstance(v, str) else _eight_bit(v) for v in values if v is not None]
    if len(texts) == 1:
        return list(_parsed_addresses(texts[0]))
    return [a for t in texts for a in _parsed_addresses(t)]


@lru_cache(maxsize=16384)
def _parsed_addresses(text: str) -> tuple[tuple[str, str], ...]:
    """The addresses of one header (cached: the same correspondents recur thousands of
    times in a mailbox, and `getaddresses` is the costliest part of a message)."""
    out = []
    for name, addr in getaddresses([text]):
        addr = _text(addr).strip().strip("<>")
        if "@" not in addr:
            continue
        out.append((_text(name).strip("'\" "), addr))
    return tuple(out)


def _labels(value: str) -> set[str]:
    return {part.strip().strip('"').casefold() for part in value.split(",") if part.strip()}


class _Fields(dict):
    """The headers capture reads, by lower-case name, from one pass over the message's
    raw (name, value) pairs: `Message.get` would scan every header for each name."""

    WANTED = frozenset(
        {
            "date", "from", "to", "cc", "message-id", "subject", "x-gm-thrid",
            "x-gmail-labels", "list-unsubscribe", "precedence", "auto-submitted",
        }
    )  # fmt: skip

    def __init__(self, pairs) -> None:
        super().__init__()
        for name, value in pairs:
            key = name.lower()
            if key in self.WANTED:
                self.setdefault(key, []).append(value)

    def first(self, name: str) -> str | None:
        values = super().get(name)
        return values[0] if values else None

    def all(self, name: str) -> list:
        return super().get(name) or []


def classify(headers: _Fields) -> str | None:
    """Why a message is not a personal one (None when it is)."""
    labels = headers.first("x-gmail-labels")
    if labels and _labels(_text(labels)) & _SKIP_LABELS:
        return SPAM
    if headers.first("list-unsubscribe") is not None:
        return BULK
    precedence = _text(headers.first("precedence")).casefold()
    if precedence in _BULK_PRECEDENCE:
        return BULK
    auto = _text(headers.first("auto-submitted")).casefold()
    if auto and auto != "no":
        return AUTO
    return None


def parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        d = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if d is None:
        return None
    if d.tzinfo is None:  # `-0000`: the time is UTC, its zone unknown (RFC 5322)
        d = d.replace(tzinfo=UTC)
    if not 1970 <= d.year <= 2200:
        return None
    return d


#: one header field capture reads (`_Fields.WANTED`): its name, and its value with the
#: folded continuation lines (RFC 5322 2.2.3: a line starting with a space or a tab
#: continues the field above it)
_WANTED_FIELD = re.compile(
    r"^("
    + "|".join(re.escape(n) for n in sorted(_Fields.WANTED))
    + r")[ \t]*:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)",
    re.IGNORECASE | re.MULTILINE,
)


def header_fields(data: bytes) -> _Fields:
    """The header fields capture reads, as the standard library's compat32 parser gives
    them (`raw_items()`: bytes as ASCII with raw 8-bit bytes kept as surrogates, folds
    kept, the line end stripped), but cut out of the block with one regular expression
    in C: `BytesHeaderParser` works line by line in Python over every field (dozens of
    Received, DKIM and ARC lines in a Gmail message) and was the largest cost of an
    import (docs/capture.md). The values are then decoded by the standard library
    (`decode_header`, `getaddresses`, `parsedate_to_datetime`)."""
    text = data.decode("ascii", "surrogateescape")
    return _Fields((n, v.rstrip("\r\n")) for n, v in _WANTED_FIELD.findall(text))


def mail_from_headers(data: bytes, where: str) -> Mail:
    h = header_fields(data)
    raw_date = _text(h.first("date"))
    senders = _addresses(h.all("from"))
    recipients = _addresses(h.all("to") + h.all("cc"))
    mid = _text(h.first("message-id")).strip().strip("<>").strip()
    if not mid:
        mid = "sha1:" + hashlib.sha1(data, usedforsecurity=False).hexdigest()
    return Mail(
        where=where,
        key=mid,
        sent_at=parse_date(raw_date),
        sender=senders[0] if senders else ("", ""),
        recipients=tuple(recipients),
        subject=_text(h.first("subject")),
        thread=_text(h.first("x-gm-thrid")),
        skip=classify(h),
        raw_date=raw_date,
    )


# --------------------------------------------------------------------------- mbox


def _find_first(buf: bytes, needles: tuple[bytes, ...], start: int) -> tuple[int, int]:
    """(index, length) of the earliest needle in buf from start, or (-1, 0).

    Each later needle is only looked for before the best match so far: a needle the file
    never has (CRLF separators in an LF mailbox) costs nothing once the first is found.
    """
    best, size = -1, 0
    for n in needles:
        i = buf.find(n, start, best + len(n) if best >= 0 else len(buf))
        if i >= 0 and (best < 0 or i < best):
            best, size = i, len(n)
    return best, size


def mbox_headers(fh, source: str, progress=None) -> Iterator[tuple[int, bytes]]:
    """(line of the `From ` line, header bytes) of each message in an open mbox file.

    The buffer is only sliced when more of the file is read (never per message), so
    the body of a message costs one `bytes.find` and one `bytes.count`.
    """
    buf = fh.read(CHUNK)
    done = len(buf)
    if not buf.strip():
        return
    if not buf.startswith(b"From "):
        raise fail(source, 1, "not an mbox file (it does not start with a 'From ' line)")
    eof = False
    separators, header_ends = _SEPARATORS, _HEADER_ENDS
    first_line = buf[: buf.find(b"\n") + 1]
    if first_line.endswith(b"\r\n"):  # a CRLF mailbox: look for its own line ends first
        separators, header_ends = separators[::-1], header_ends[::-1]
    start = 0  # where the current message's From line begins in buf
    line = 1  # the line number of buf[start]

    def more() -> bool:
        nonlocal buf, done, eof
        if eof:
            return False
        data = fh.read(CHUNK)
        if not data:
            eof = True
            return False
        buf += data
        done += len(data)
        if progress is not None:
            progress(done)
        return True

    while True:
        # the headers: from the end of the From line to the first blank line
        while True:
            eol = buf.find(b"\n", start)
            end = _find_first(buf, header_ends, eol)[0] if eol >= 0 else -1
            if end >= 0:
                break
            if len(buf) - start > HEADER_MAX:
                raise fail(source, line, "a message's headers exceed 1 MiB: not mail")
            if start:
                buf = buf[start:]
                start = 0
            if not more():
                end = len(buf)
                eol = buf.find(b"\n", start)
                if eol < 0:
                    eol = end
                break
        if end - eol > HEADER_MAX:
            raise fail(source, line, "a message's headers exceed 1 MiB: not mail")
        yield line, buf[eol + 1 : end + 1]
        # the next message: a blank line then `From `
        search = max(end, eol)
        while True:
            nxt, size = _find_first(buf, separators, search)
            if nxt >= 0:
                nxt += size - len(b"From ")
                line += buf.count(b"\n", start, nxt)
                start = nxt
                break
            keep = max(search, len(buf) - 8, start)
            line += buf.count(b"\n", start, keep)
            buf = buf[keep:]
            start = 0
            search = 0
            if not more():
                return


# --------------------------------------------------------------------------- Maildir


def is_maildir(path: Path) -> bool:
    return path.is_dir() and ((path / "cur").is_dir() or (path / "new").is_dir())


def maildir_files(path: Path) -> list[Path]:
    files = []
    for sub in ("cur", "new"):
        folder = path / sub
        if folder.is_dir():
            with os.scandir(folder) as it:
                files.extend(
                    Path(e.path)
                    for e in it
                    if not e.name.startswith(".") and e.is_file(follow_symlinks=False)
                )
    return sorted(files)


def _file_headers(path: Path) -> bytes:
    with guard.open_binary(path) as fh:
        data = b""
        while True:
            chunk = fh.read(65536)
            if not chunk:
                return data
            data += chunk
            end, _size = _find_first(data, _HEADER_ENDS, 0)
            if end >= 0:
                if end > HEADER_MAX:
                    break
                return data[: end + 1]
            if data.startswith((b"\n", b"\r\n")):
                return b""
            if len(data) > HEADER_MAX:
                break
    raise fail(str(path), 1, "the headers exceed 1 MiB: not mail")


# --------------------------------------------------------------------------- reading


def open_source(path: Path) -> MailSource:
    if path.is_dir():
        if not is_maildir(path):
            raise fail(str(path), 0, "a folder but not a Maildir (no cur/ or new/ in it)")
        return MailSource(path, True, len(maildir_files(path)))
    return MailSource(path, False, path.stat().st_size)


def read(source: MailSource, progress=None, cancel=None) -> Iterator[Mail]:
    """Every message's headers, in file order; progress(done) in bytes or files; a set
    `cancel` event stops the reading (`guard.Cancelled`)."""
    if source.maildir:
        for n, f in enumerate(maildir_files(source.path), start=1):
            if n % guard.CANCEL_EVERY == 0:
                guard.check_cancel(cancel)
            rel = f.relative_to(source.path)
            try:
                data = _file_headers(f)
            except OSError as exc:
                raise fail(str(f), 0, f"cannot read it ({exc.strerror or exc})") from None
            if progress is not None and n % 100 == 0:
                progress(n)
            yield mail_from_headers(data, f"{source.path}/{rel}")
        return
    name = str(source.path)
    with guard.open_binary(source.path, max_bytes=None) as fh:
        for n, (line, data) in enumerate(mbox_headers(fh, name, progress), start=1):
            if n % guard.CANCEL_EVERY == 0:
                guard.check_cancel(cancel)
            yield mail_from_headers(data, f"{name}:{line}")
