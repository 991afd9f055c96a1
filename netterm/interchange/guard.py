"""Reading a file a user points netterm at, safely: the one gate every importer goes through.

A path on the command line or in the app can name anything: a FIFO that never ends
(reading it hangs), `/dev/zero` or `/dev/urandom` (reading it fills the memory), a
terminal, a 50 GB file, one 2 GB line, JSON nested a million deep. Every importer
(LinkedIn, Google, vCard, JSON, and the mail, calendar and message readers) reads
through these functions and nothing else, so each of those is refused with one
`FILE:LINE: …` sentence instead of a hang, a traceback or an exhausted machine:

- `check_input(path)`: the path must be a *regular file* (or, with `folder_ok`, a
  folder: vCard address books, Maildir, calendar folders). Symlinks are followed.
  FIFOs, sockets and devices are refused by name ("is a FIFO (named pipe)"). Called
  without opening the file, so it never blocks.
- `open_binary(path)`: opens with `O_NONBLOCK` (opening a FIFO cannot block), then
  checks the *opened* file with `fstat` (a path swapped between check and open is
  still caught), then reads normally. Refuses files larger than `MAX_FILE_BYTES`.
- `open_text(path)`: a streamed text reader over `open_binary`: UTF-8 (BOM dropped) or
  UTF-16 with its BOM; iterating it yields lines of at most `MAX_LINE_CHARS` characters
  (a longer line is refused with its number), a NUL character or invalid UTF-8 is
  refused with its line number. Feed it to `csv.reader` or a line parser: memory stays
  bounded by one line, not by the file.
- `read_text(path, limit=MAX_WHOLE_FILE_BYTES)`: the whole text, for formats that
  cannot be streamed (JSON), refused above `limit` bytes.
- `MAX_RECORD_CHARS`, `MAX_INT_DIGITS`: caps for one record (a vCard, a mail header
  block, a JSON contact) and for integers written as digits (`json_int`); parsers raise
  `fail(source, line, …)` when a record exceeds them. JSON nested too deeply is caught
  as the parser's RecursionError.
- `Cancelled` / `check_cancel`: the app passes a `cancel` event; a reader calls
  `check_cancel(cancel)` now and then (every few hundred lines) so that `esc` stops an
  import at once and nothing is written.

Everything raises `InvalidInput` (field `FILE` or `FILE:LINE`), which the CLI prints as
one `netterm: error: …` line with exit code 1, and the app as one notification.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from netterm.errors import InvalidInput, NetTermError

#: The largest file an importer reads (a 30,000-contact export is about 30 MB).
MAX_FILE_BYTES = 1 << 30
#: The largest file read whole (formats that cannot be streamed: JSON).
MAX_WHOLE_FILE_BYTES = 256 << 20
#: The longest line of a text file (a CSV record may span several lines).
MAX_LINE_CHARS = 1 << 20
#: The most characters one record (a vCard, a CSV row, a JSON contact) may hold.
MAX_RECORD_CHARS = 4 << 20
#: The most digits an integer in a file may have (more is never a date, an id or a count).
MAX_INT_DIGITS = 18
#: How many lines a streamed reader reads between two looks at the cancel event.
CANCEL_EVERY = 512


class Cancelled(NetTermError):
    """The user stopped the import (esc in the app); nothing was written."""

    def __init__(self) -> None:
        super().__init__("import cancelled; nothing was written")


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise `Cancelled` if the user asked to stop (a reader calls this now and then)."""
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file or a folder is, in words (None if it is)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input(
    path: str | os.PathLike[str], *, folder_ok: bool = False, max_bytes: int | None = MAX_FILE_BYTES
) -> Path:
    """`path` if it is a regular file (or with `folder_ok`, a folder); else InvalidInput.

    Follows symlinks; never opens the file (a FIFO cannot block here). `max_bytes=None`
    for a reader whose memory does not grow with the file (a mailbox is read message by
    message, each capped: a real Gmail Takeout is often several GB).
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InvalidInput(str(p), "no such file") from None
    except OSError as exc:
        raise InvalidInput(str(p), f"cannot read it ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode) and folder_ok:
        return p
    _refuse_unreadable(p, st, max_bytes)
    return p


def _refuse_unreadable(p: Path, st: os.stat_result, max_bytes: int | None) -> None:
    """InvalidInput unless `st` is a regular file of at most `max_bytes`."""
    if stat.S_ISDIR(st.st_mode):
        raise InvalidInput(str(p), "is a folder, not a file")
    what = kind_of(st.st_mode)
    if what is not None:
        raise InvalidInput(str(p), f"is {what}, not a regular file; netterm reads only files")
    if max_bytes is not None and st.st_size > max_bytes:
        raise InvalidInput(
            str(p), f"is {_size(st.st_size)}, more than netterm reads ({_size(max_bytes)})"
        )


def open_binary(
    path: str | os.PathLike[str], max_bytes: int | None = MAX_FILE_BYTES
) -> io.BufferedReader:
    """The regular file at `path` opened for reading (never blocks, never a device);
    `max_bytes=None` as for `check_input`."""
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise InvalidInput(str(p), "no such file") from None
    except IsADirectoryError:
        raise InvalidInput(str(p), "is a folder, not a file") from None
    except OSError as exc:
        raise InvalidInput(str(p), f"cannot read it ({exc.strerror or exc})") from None
    try:
        _refuse_unreadable(p, os.fstat(fd), max_bytes)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _size(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB" if n >= 1 << 20 else f"{n:,} bytes"


def where(source: str, line: int) -> str:
    return f"{source}:{line}" if line else source


class TextLines:
    """A streamed text file: iterate for its lines (newlines kept), each bounded.

    `head` holds the first few KB (to guess what a wrong file is). `line` is the number
    of the last line read. Close it (or use `with`).
    """

    def __init__(
        self,
        binary: io.BufferedReader,
        source: str,
        *,
        max_line: int = MAX_LINE_CHARS,
        cancel: threading.Event | None = None,
    ) -> None:
        self.source = source
        self.max_line = max_line
        self.cancel = cancel
        self.line = 0
        start = binary.peek(4)[:4] if hasattr(binary, "peek") else b""
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8-sig"
        self._binary = binary
        try:
            self.size = os.fstat(binary.fileno()).st_size
        except (OSError, ValueError, io.UnsupportedOperation):
            self.size = 0
        self._text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        self.head = ""
        try:
            self.head = self._text.read(4096)
        except UnicodeDecodeError:
            self.head = ""
            self._text.seek(0)
        else:
            self._text.seek(0)
        if encoding == "utf-8-sig":
            self.head = self.head.removeprefix("\ufeff")

    def __enter__(self) -> TextLines:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._text.close()

    def __iter__(self) -> Iterator[str]:
        return self

    def position(self) -> tuple[int, int]:
        """(bytes read so far, the file's size): how far an import is, for a progress bar."""
        try:
            done = self._binary.tell()
        except (OSError, ValueError):  # closed: read to the end
            return self.size, self.size
        return min(done, self.size), self.size

    def __next__(self) -> str:
        self.line += 1
        if self.line % CANCEL_EVERY == 0:
            check_cancel(self.cancel)
        try:
            text = self._text.readline(self.max_line + 1)
        except UnicodeDecodeError:
            raise InvalidInput(
                where(self.source, self.line),
                "not UTF-8 text; save or export the file again as UTF-8",
            ) from None
        if not text:
            self.line -= 1
            raise StopIteration
        if len(text) > self.max_line:
            raise InvalidInput(
                where(self.source, self.line),
                f"a line longer than {self.max_line:,} characters: not a file netterm reads",
            )
        if "\x00" in text:
            raise InvalidInput(
                where(self.source, self.line), "contains a NUL character: not a text file"
            )
        if self.line == 1:
            text = text.removeprefix("\ufeff")
        return text

    def read(self) -> str:
        """The rest of the file as one string (bounded by `MAX_WHOLE_FILE_BYTES`)."""
        return "".join(self)


def open_text(
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    max_line: int = MAX_LINE_CHARS,
    cancel: threading.Event | None = None,
) -> TextLines:
    """A streamed, bounded text reader over the regular file at `path` (see `TextLines`)."""
    binary = open_binary(path)
    try:
        return TextLines(binary, source or str(path), max_line=max_line, cancel=cancel)
    except BaseException:
        binary.close()
        raise


def read_text(
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    limit: int = MAX_WHOLE_FILE_BYTES,
    cancel: threading.Event | None = None,
) -> str:
    """The whole text of the regular file at `path`, refused above `limit` bytes."""
    source = source or str(path)
    with open_binary(path) as binary:
        size = os.fstat(binary.fileno()).st_size
        if size > limit:
            raise InvalidInput(
                source, f"is {_size(size)}, more than netterm reads at once ({_size(limit)})"
            )
        with TextLines(binary, source, cancel=cancel) as lines:
            return lines.read()


def json_int(text: str) -> int:
    """`parse_int` for `json.loads`: a number of more than `MAX_INT_DIGITS` digits is refused
    (Python refuses to convert more than 4,300 digits with a bare ValueError)."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise TooBig(text)
    return int(text)


class TooBig(ValueError):
    """An integer in a file has more digits than netterm accepts (see `json_int`)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"a number of {len(text.lstrip('-')):,} digits")
        self.digits = text
