"""`netterm`: the TUI with no arguments, subcommands for scripts.

Errors a user can cause print one line, `netterm: error: …`, and exit with code 1;
nothing is written when a command fails. The TUI is imported only when it is opened,
so the script commands start fast.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from netterm import __version__, startup
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
            click.echo(f"Created a new network at {path.absolute()}", err=True)
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


pass_session = click.make_pass_decorator(Session)


class LazyGroup(click.Group):
    """The `netterm` group: a command's module is imported when that command runs.

    `netterm due` imports cli/network.py only, `netterm` alone (the app) none of the
    command modules; start-up time is what a user feels first. `COMMAND_HOME` says where
    each command lives; a command missing there is still found (every module in
    COMMAND_MODULES is then imported), only slower. `commands`, help and the list of
    commands see everything.
    """

    def __init__(self, *args, **kwargs) -> None:
        self._loaded: set[str] = set()
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> dict[str, click.Command]:
        self._load_all()
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        _accept_global_options(cmd)
        self._commands[name or cmd.name] = cmd

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self._commands and cmd_name in COMMAND_HOME:
            self._load(COMMAND_HOME[cmd_name])
        if cmd_name not in self._commands:
            self._load_all()
        return self._commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands)

    def _load(self, module: str) -> None:
        if module in self._loaded:
            return
        from importlib import import_module

        self._loaded.add(module)
        for command in import_module(f"netterm.cli.{module}").COMMANDS:
            self.add_command(command)

    def _load_all(self) -> None:
        for module in COMMAND_MODULES:
            self._load(module)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    metavar="PATH",
    envvar="NETTERM_DB",
    help="The database file (default: the platform's user data folder; env NETTERM_DB).",
)
@click.option("--demo", is_flag=True, help="Use the demo network (created on first use).")
@click.option(
    "--screen",
    metavar="NAME",
    default=None,
    help="Open the app on this screen (contacts, audit, insights).",
)
@click.version_option(__version__, prog_name="netterm")
@click.pass_context
def cli(ctx: click.Context, db: str | None, demo: bool, screen: str | None) -> None:
    """netterm: keep your professional network alive, from the terminal.

    With no command, opens the app. Commands are for scripts and quick entries:

    \b
      netterm add "Ana Silva" --company Globex --tier 1 --email ana@globex.com
      netterm log coffee "ana s" --when yesterday --note "her move to Globex"
      netterm due
    """
    global _current
    ctx.obj = _current = Session(db, demo)
    from netterm.config import clock

    clock.now()  # a bad NETTERM_TZ or NETTERM_NOW fails here, in one line, before any work
    if ctx.invoked_subcommand is None:
        if screen is not None:
            from netterm.tui.screens import check

            check(screen)  # a wrong name: one line, before the database is opened
        # the app resumes the garbage collector once it has painted
        open_app(ctx.obj, screen=screen)
    elif screen is not None:
        raise click.UsageError("--screen opens the app: use it without a command")
    else:
        startup.resume()


def _late_db(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Session).explicit_db = value


def _late_demo(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Session).demo = True


#: `--db` and `--demo` after the command (`netterm due --db x.db`): hidden options of
#: every command that set the session, which exists by then (the group's callback
#: runs before a command's options are parsed)
_LATE_OPTIONS = (
    ("--db", dict(metavar="PATH", callback=_late_db)),
    ("--demo", dict(is_flag=True, callback=_late_demo)),
)


def _accept_global_options(cmd: click.Command) -> None:
    """Let `cmd` (and the commands of a group such as `import`) take the global
    options after its name too."""
    names = {opt for p in cmd.params for opt in getattr(p, "opts", ())}
    for flag, settings in _LATE_OPTIONS:
        if flag not in names:
            cmd.params.append(click.Option([flag], hidden=True, expose_value=False, **settings))
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            _accept_global_options(sub)


#: the running command's session (to finish it once the command has run)
_current: Session | None = None


def open_app(session: Session, *, screen: str | None = None) -> None:
    path = session.open()
    session.finish(True)  # before the app takes the screen
    try:
        from netterm.tui.app import run
    except ImportError:
        click.echo(f"netterm's app is not part of this build; the database is at {path}")
        click.echo("Try `netterm due`, `netterm list` or `netterm --help`.")
        return
    run(path, screen=screen)


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


def _warn(message: str) -> None:
    click.echo(f"netterm: warning: {message}", err=True)


def _tell_waiting(message: str) -> None:
    click.echo(f"netterm: {message}…", err=True)


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
        rv = cli.main(args=argv, prog_name="netterm", standalone_mode=False)
        ok = True
    except click.exceptions.Abort:
        click.echo("netterm: aborted", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        _fail(f"{exc.format_message()}{hint}")
    except click.ClickException as exc:
        _fail(exc.format_message())
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
        _last_resort(exc, argv)
    finally:
        if _current is not None:
            _current.finish(ok)
    try:
        sys.stdout.flush()  # `netterm list > /dev/full` fails here, not silently at exit
    except OSError as exc:
        _stdout_failed(exc)
    sys.exit(rv if isinstance(rv, int) else 0)


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
    click.echo(f"netterm: error: {line}", err=True)
    sys.exit(1)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
