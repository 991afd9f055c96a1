"""What netterm does with an error nobody planned for: a private log, one line on screen.

A traceback printed on the terminal can show the values of local variables (Textual's
default does): notes, names and dates of other people. So an unexpected error in the
app or a command is written, *without* local variables, to a crash log only its owner
can read (0600, in a 0700 folder), and the screen gets one line that says what
happened and where the details are; the exit code is 1.

The log is `crash.log` in netterm's data folder (`~/.local/share/netterm/crash.log` on
Linux; `NETTERM_CRASH_LOG` points it elsewhere). It is capped: when it grows past
`MAX_BYTES`, the older half is dropped.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

LOG_ENV = "NETTERM_CRASH_LOG"
MAX_BYTES = 1 << 20


def log_path() -> Path:
    explicit = os.environ.get(LOG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from netterm.config import data_dir

    return data_dir() / "crash.log"


def write(exc: BaseException, where: str = "") -> Path | None:
    """Append `exc`'s traceback (no local variables) to the private crash log.

    Returns the log's path, or None if it could not be written (the error line then
    says so; nothing else is tried).
    """
    path = log_path()
    try:
        from netterm.store.files import ensure_private_dir

        ensure_private_dir(path.parent)
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        entry = f"--- {stamp} {where}\n{text}\n"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, 0o600)
            if os.fstat(fd).st_size + len(entry) > MAX_BYTES:
                _keep_recent(fd)
            os.write(fd, entry.encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except Exception:
        return None
    return path


def _keep_recent(fd: int) -> None:
    """Drop the older half of the log (its entries are never needed all)."""
    size = os.fstat(fd).st_size
    with open(fd, "rb", closefd=False) as fh:
        fh.seek(size // 2)
        rest = fh.read()
    os.ftruncate(fd, 0)
    os.write(fd, rest)


def line(exc: BaseException, log: Path | None) -> str:
    """The one line shown for an unexpected error (without `netterm: error: `)."""
    from netterm.errors import NetTermError

    if isinstance(exc, NetTermError):
        what = str(exc)
    else:
        try:
            from netterm.store.db import describe_error

            what = describe_error(exc) or ""
        except Exception:
            what = ""
        if not what:
            what = f"an unexpected error ({type(exc).__name__}); this is a bug in netterm"
    where = f"details in {log}" if log else "the crash log could not be written"
    return f"{' '.join(what.split()).rstrip('.')}. {where}"


def report(exc: BaseException, where: str = "") -> str:
    """Log `exc` privately; the one line for the screen (without the `netterm: error:`)."""
    return line(exc, write(exc, where))
