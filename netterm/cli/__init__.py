"""`netterm`: the TUI with no arguments, subcommands for scripts.

Errors a user can cause print one line, `netterm: error: …`, and exit with code 1;
nothing is written when a command fails. The TUI is imported only when it is opened,
so the script commands start fast.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from netterm import startup
from netterm.errors import NetTermError


class Session:
    """What every command shares: which database, opened on first use."""

    def __init__(self, db: str | None, demo: bool) -> None:
        self.explicit_db = db
        self.demo = demo
        self._opened = False
        self.created: Path | None = None  # the database this command created

    @property
    def path(self) -> Path:
        from netterm import config

        if self.demo and not self.explicit_db:
            return config.demo_db_path()
        return config.resolve_db_path(self.explicit_db)

    def open(self, *, write: bool = True) -> Path:
        """Open the database, once. A command that only reads (`write=False`) never
        creates one: where none exists it fails in one line saying how to start. A
        command that writes creates it and, when it succeeds, says so once on stderr
        (`finish`); when it fails, the new empty file is removed again."""
        if not self._opened:
            from netterm.store import open_database
            from netterm.store.db import set_busy_notifier, set_warning_notifier

            set_busy_notifier(_tell_waiting)
            set_warning_notifier(_warn)

            path = self.path
            created = False
            if self.demo:
                from netterm.services.demo import ensure_demo

                ensure_demo(path)
            elif isinstance(path, Path) and not path.exists():  # (a PostgreSQL URL: a server's)
                if not write:
                    raise NoNetwork(path.absolute())
                created = True
            open_database(path)
            self._opened = True
            if created:
                self.created = path
        return self.path

    def finish(self, ok: bool) -> None:
        """After the command: say where a new database was created, or, if the command
        failed, remove the one it created while it is still empty."""
        path, self.created = self.created, None
        if path is None:
            return
        if ok:
            _echo(f"Created a new network at {path.absolute()}", err=True)
            return
        from netterm.store import close_database
        from netterm.store.models import database

        try:
            empty = database.execute_sql("SELECT COUNT(*) FROM contact").fetchone()[0] == 0
        except Exception:  # a failure may have left no usable connection: keep the file
            empty = False
        close_database()
        if empty:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    def open_or_empty(self):
        """The database if there is one; else an empty network in memory, and None.

        For a dry run: it shows what a command would do to a network that does not
        exist yet, and creates nothing.
        """
        path = self.path
        if self.demo or not isinstance(path, Path) or path.exists():
            return self.open()
        from netterm.store.db import open_memory_database

        open_memory_database()
        self._opened = True
        return None


class NoNetwork(NetTermError):
    """A command that only reads found no database at the path."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"no network at {path} yet: start one with `netterm add NAME`, try "
            "`netterm --demo`, or `netterm import …` (or check --db / NETTERM_DB)"
        )


#: the running command's session (to finish it once the command has run)
_current: Session | None = None


def new_session(db: str | None, demo: bool) -> Session:
    """The session of this run (`--db`, `--demo`). A bad NETTERM_TZ or NETTERM_NOW fails
    here, in one line, before any work."""
    global _current
    from netterm import config

    _current = Session(db, demo)
    config.check_clock()
    return _current


def __getattr__(name: str):
    """The click group and what its commands use (`cli`, `pass_session`, `LazyGroup`)
    live in netterm/cli/group.py: imported when a command line needs parsing."""
    if name in ("cli", "pass_session", "LazyGroup"):
        from netterm.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_app(session: Session, *, screen: str | None = None) -> None:
    """The app, on the session's database. An SQLite network already there at this
    netterm's schema version is opened after the app's first frame (`quick`: its first
    screenful is read straight from the file, netterm/services/quickstart.py); any other
    (new, older, a server, another screen first) is opened now, as every command does."""
    from netterm import store
    from netterm.services import quickstart
    from netterm.tui.screens import DEFAULT

    path = session.path
    quick = screen in (None, DEFAULT) and isinstance(path, Path) and quickstart.current(path)
    if not quick:
        path = session.open()
        session.finish(True)  # before the app takes the screen
    try:
        from netterm.tui.app import run
    except ImportError:
        _echo(f"netterm's app is not part of this build; the database is at {path}")
        _echo("Try `netterm due`, `netterm list` or `netterm --help`.")
        return
    if quick:
        store.open_later(session.open)
    try:
        run(path, screen=screen, quick=quick)
    finally:
        store.open_later(None)  # (if the app ended before it opened the database)


#: Modules of `netterm.cli` whose COMMANDS tuple is added to the group.
COMMAND_MODULES = (
    "network",
    "demo",
    "audit",
    "data",
    "interchange",
    "bulk",
    "stats",
    "touch",
    "intros",
)

#: Which module defines each command, so running one imports only its module
#: (tests/cli/test_cli.py checks this against the modules' COMMANDS).
COMMAND_HOME = {
    **dict.fromkeys(
        (
            "add",
            "edit",
            "log",
            "reply",
            "due",
            "list",
            "show",
            "archive",
            "unarchive",
            "purge",
            "tier",
            "pause",
            "resume",
            "follow-up",
            "follow-ups",
            "done",
            "categories",
            "settings",
        ),
        "network",
    ),
    "demo": "demo",
    "db": "data",
    **dict.fromkeys(("audit", "duplicates", "merge"), "audit"),
    **dict.fromkeys(("backup", "restore"), "data"),
    **dict.fromkeys(("import", "export"), "interchange"),
    "bulk": "bulk",
    "stats": "stats",
    "touch": "touch",
    **dict.fromkeys(("matches", "intro"), "intros"),
}


def _echo(text: str, *, err: bool = False) -> None:
    """click.echo, imported when something is said (not before the app's first frame)."""
    import click

    click.echo(text, err=err)


def _warn(message: str) -> None:
    _echo(f"netterm: warning: {message}", err=True)


def _tell_waiting(message: str) -> None:
    _echo(f"netterm: {message}…", err=True)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors, exit 1 on bad input, 0 on success."""
    startup.pause()  # no garbage-collector passes while starting (see netterm/startup.py)
    startup.quick_exit()  # nor one over every object when the process ends
    try:
        _main(argv)
    finally:
        startup.resume()


def _main(argv: list[str] | None) -> None:
    global _current
    _current = None
    ok = False
    try:
        app = _only_the_app(sys.argv[1:] if argv is None else argv)
        if app is not None:  # no parsing needed: no click before the app's first frame
            open_app(new_session(*app))
            rv = None
        else:
            from netterm.cli.group import cli

            rv = cli.main(args=argv, prog_name="netterm", standalone_mode=False)
        ok = True
    except NetTermError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # `netterm list | head`: the reader left; say nothing more, exit quietly.
        _silence_stdout()
        sys.exit(1)
    except OSError as exc:
        if exc.filename is None and (_printing(exc) or _stdout_fails()):
            _stdout_failed(exc)
        _last_resort(exc, argv)
    except Exception as exc:
        _said_by_click(exc)
        _last_resort(exc, argv)
    finally:
        if _current is not None:
            _current.finish(ok)
    try:
        sys.stdout.flush()  # `netterm list > /dev/full` fails here, not silently at exit
    except OSError as exc:
        _stdout_failed(exc)
    sys.exit(rv if isinstance(rv, int) else 0)


def _only_the_app(args: list[str]) -> tuple[str | None, bool] | None:
    """(--db, --demo) when `args` do nothing but open the app on a database: none, or
    `--db PATH` / `--db=PATH` and `--demo`, each once. None: click parses them (a
    command, --screen, --help, anything unusual), and says what is wrong with them."""
    import os

    from netterm.config import DB_ENV

    db: str | None = None
    demo = False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo" and not demo:
            demo = True
        elif arg == "--db" and db is None and rest and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif arg.startswith("--db=") and db is None and len(arg) > len("--db="):
            db = arg[len("--db=") :]
        else:
            return None
    # as click's `envvar`: an empty --db, or none, is NETTERM_DB's value, if any
    return db or os.environ.get(DB_ENV) or None, demo


def _said_by_click(exc: Exception) -> None:
    """click's own errors (a bad command line, an aborted prompt), in one line, exit 1;
    anything else returns. (Only a command line click parsed can raise them.)"""
    click = sys.modules.get("click")
    if click is None:
        return
    if isinstance(exc, click.exceptions.Abort):
        click.echo("netterm: aborted", err=True)
        sys.exit(1)
    if isinstance(exc, click.UsageError):
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        _fail(f"{exc.format_message()}{hint}")
    if isinstance(exc, click.ClickException):
        _fail(exc.format_message())


def _last_resort(exc: Exception, argv: list[str] | None) -> None:
    # Last resort for storage failures (read-only file, full disk, a lock held too
    # long, a damaged file): one line, exit 1. Anything else is a bug: its traceback
    # goes to the private crash log (never on screen: it may quote private data)
    # and the screen gets one line naming the log.
    from netterm.store.db import describe_error

    message = describe_error(exc)
    if message is None:
        from netterm import crash

        message = crash.report(exc, " ".join(["netterm", *(argv or sys.argv[1:])][:3]))
    _fail(message)


def _printing(exc: BaseException) -> bool:
    """True if `exc` was raised while printing to standard output (click.echo)."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name in ("echo", "secho") and code.co_filename.endswith("utils.py"):
            return not tb.tb_frame.f_locals.get("err", False)
        tb = tb.tb_next
    return False


def _stdout_fails() -> bool:
    """True if standard output cannot take what is waiting to be written."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    return False


def _stdout_failed(exc: OSError) -> None:
    """Writing the output failed (`> /dev/full`, a closed terminal): say so, not that the
    database did; what is still buffered is dropped so the exit prints nothing more."""
    _silence_stdout()
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    _fail(f"cannot write to standard output ({exc.strerror or exc})")


def _fail(message: str) -> None:
    """Print the error line and exit 1. The message may quote what the user typed:
    terminal control characters in it are shown as '?', never sent to the terminal."""
    import re

    line = re.sub(
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]",
        "?",
        " ".join(message.split("\n")),
    )
    _echo(f"netterm: error: {line}", err=True)
    sys.exit(1)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
