"""The `netterm` command group (click): its options, and its commands loaded lazily.

Kept out of `netterm/cli/__init__.py` so that `netterm` with no command, or with only
`--db` / `--demo`, opens the app without importing click (`main` sees that it needs no
parsing; README "Performance").
"""

from __future__ import annotations

import click

from netterm import __version__, startup
from netterm.cli import COMMAND_HOME, COMMAND_MODULES, Session, new_session, open_app

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
    ctx.obj = new_session(db, demo)
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
