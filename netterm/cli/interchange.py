"""`netterm import linkedin|vcard|google|json FILE` and `netterm export vcard|csv|json|ics`."""

from __future__ import annotations

import sys

import click

from netterm.cli import pass_session
from netterm.cli.output import one_line, safe

#: below this many records a progress bar is more noise than help
PROGRESS_FROM = 1_000
PROBLEMS_SHOWN = 20
_MARKS = {"added": "+", "updated": "~", "skipped": "-"}


def _service():
    from netterm.services import interchange

    return interchange


class _Bar:
    """A progress bar on stderr, only when it is a terminal and the file is large."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM or not sys.stderr.isatty():
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _print_change(c) -> None:
    mark = _MARKS.get(c.action, " ")
    who = one_line(c.name) if c.name else ""
    detail = "; ".join(one_line(d) for d in c.details)
    text = f"{mark} {c.action:<8} {safe(c.where)}"
    if who:
        text += f"  {who}"
    if detail:
        text += f"  ({detail})" if who else f"  {detail}"
    click.echo(text)


def _report(summary, verbose: bool) -> None:
    if summary.dry_run or verbose:
        for c in summary.changes:
            _print_change(c)
    elif summary.congratulate:
        click.echo("Job changes (congratulate them; `netterm show NAME` for the history):")
        for c in summary.congratulate:
            click.echo(f"  {one_line(c.name)}: {one_line(c.details[0].removeprefix('job: '))}")
    if summary.problems:
        click.echo(f"Warnings ({len(summary.problems)}, imported anyway):")
        for p in summary.problems[:PROBLEMS_SHOWN]:
            click.echo(f"  {one_line(str(p))}")
        if len(summary.problems) > PROBLEMS_SHOWN:
            click.echo(f"  … and {len(summary.problems) - PROBLEMS_SHOWN} more (use --dry-run)")
    if summary.ignored:
        parts = [f"{safe(k)} ×{n}" for k, n in summary.ignored.items()]
        click.echo("Not imported (netterm has no place for them): " + ", ".join(parts))
    took = "" if summary.dry_run else f" ({summary.seconds:.1f}s)"
    click.echo(summary.headline() + took)
    if summary.dry_run:
        click.echo("Dry run: nothing was written.")
    elif summary.untracked:
        who = "contact is" if summary.untracked == 1 else "contacts are"
        click.echo(
            f"{summary.untracked} new {who} untracked until you give them a tier "
            "(`netterm tier NAME 1`, or the audit)."
        )


def _import_command(fmt: str, what: str, example: str):
    path_type = click.Path(exists=True, dir_okay=fmt == "vcard", readable=True)

    @click.command(name=fmt, help=f"{what}\n\n\b\n{example}")
    @click.argument("file", type=path_type, metavar="FOLDER_OR_FILE" if fmt == "vcard" else "FILE")
    @click.option(
        "--dry-run",
        is_flag=True,
        help="Show what would be added, updated or skipped; write nothing.",
    )
    @click.option(
        "-v", "--verbose", is_flag=True, help="List every contact added, updated or skipped."
    )
    @pass_session
    def command(session, file, dry_run, verbose):
        session.open()
        bar = _Bar(f"Importing {click.format_filename(file, shorten=True)}")
        try:
            summary = _service().import_file(file, fmt, dry_run=dry_run, progress=bar)
        finally:
            bar.close()
        _report(summary, verbose)

    return command


@click.group(name="import")
def import_group():
    """Bring in contacts from LinkedIn, Google, vCard address books or a netterm export.

    Re-importing is safe: people are matched by their LinkedIn profile, then email,
    then name, and only what changed is updated (a new job goes to the career history
    and raises "job changed"). Nothing is ever deleted. One transaction: on any error
    the database is left as it was.
    """


for _fmt, _what, _example in (
    (
        "linkedin",
        "Import LinkedIn's Connections.csv (Settings → Data privacy → Get a copy of your data).",
        "netterm import linkedin ~/Downloads/Connections.csv --dry-run",
    ),
    (
        "vcard",
        "Import a .vcf file (vCard 2.1, 3.0, 4.0) or a folder of them (khard, vdirsyncer).",
        "netterm import vcard ~/.contacts/default",
    ),
    (
        "google",
        "Import a Google Contacts export (contacts.google.com → Export → Google CSV).",
        "netterm import google contacts.csv",
    ),
    (
        "json",
        "Import a netterm JSON export: everything, touches and history included.",
        "netterm import json backup.json",
    ),
):
    import_group.add_command(_import_command(_fmt, _what, _example))


@click.group(name="export")
def export_group():
    """Write the network as vCard, CSV, JSON or iCalendar (to a file with -o, else stdout).

    Files are created readable by you only (mode 0600): they hold other people's data.
    """


def _write(fmt: str, output: str | None, include_archived: bool = True) -> None:
    svc = _service()
    if output is None:
        text, _ = svc.render(fmt, include_archived=include_archived)
        click.echo(text, nl=False)
        return
    summary = svc.export(fmt, output, include_archived=include_archived)
    _done(summary)


def _done(summary) -> None:
    where = click.format_filename(summary.path)
    if summary.format == "ics":
        click.echo(
            f"Wrote {summary.entries} calendar entries ({summary.contacts} catch-ups, "
            f"{summary.entries - summary.contacts} follow-ups) to {where}."
        )
        return
    people = "contact" if summary.contacts == 1 else "contacts"
    extra = f" with {summary.entries} touches" if summary.format in ("json", "vcard") else ""
    click.echo(f"Exported {summary.contacts} {people}{extra} to {where}.")


_output = click.option(
    "-o", "--output", metavar="FILE", default=None, help="Write to FILE (default: standard output)."
)
_active = click.option(
    "--active-only", is_flag=True, help="Leave archived contacts out (default: everyone)."
)


@export_group.command(name="vcard")
@_output
@click.option(
    "--vdir",
    metavar="FOLDER",
    default=None,
    help="One UID.vcf per contact in FOLDER: the layout khard and vdirsyncer read.",
)
@_active
@pass_session
def export_vcard(session, output, vdir, active_only):
    """vCard 4.0, with netterm's own fields in X-NETTERM-* properties (re-imports losslessly)."""
    if output and vdir:
        raise click.UsageError("give either -o FILE or --vdir FOLDER, not both")
    session.open()
    if vdir:
        _done(_service().export_vdir(vdir, include_archived=not active_only))
        return
    _write("vcard", output, not active_only)


def _export_command(fmt: str, what: str):
    @export_group.command(name=fmt, help=what)
    @_output
    @_active
    @pass_session
    def command(session, output, active_only):
        session.open()
        _write(fmt, output, not active_only)

    return command


_export_command(
    "csv", "A spreadsheet: one row per contact (cells that could run as formulas are defused)."
)
_export_command(
    "json", "Everything: contacts, methods, categories, career, touches, follow-ups (a backup)."
)


@export_group.command(name="ics")
@_output
@pass_session
def export_ics(session, output):
    """Due catch-ups (overdue, due soon) as calendar events and open follow-ups as to-dos."""
    session.open()
    _write("ics", output)


COMMANDS = (import_group, export_group)
