"""`netterm import linkedin|vcard|google|json FILE`, `netterm import mail|calendar PATH`
and `netterm export vcard|csv|json|ics`."""

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
        if summary.unlisted:
            click.echo(f"  … and {summary.unlisted:,} more changes, counted below but not listed")
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


def _read_with_progress(session, dry_run: bool, title: str, read, bar_class=None):
    """Open the network, then `read(progress)` under a progress bar. A dry run opens an
    empty network in memory when there is none yet, so it creates nothing."""
    session.open_or_empty() if dry_run else session.open()
    bar = (bar_class or _Bar)(title)
    try:
        return read(bar)
    finally:
        bar.close()


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
        summary = _read_with_progress(
            session,
            dry_run,
            f"Importing {click.format_filename(file, shorten=True)}",
            lambda bar: _service().import_file(file, fmt, dry_run=dry_run, progress=bar),
        )
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


# --------------------------------------------------------------------------- capture


def _capture():
    from netterm.services import capture

    return capture


def _capture_options(f):
    f = click.option(
        "--me",
        "me",
        multiple=True,
        metavar="ADDRESS",
        help="Your address or LinkedIn profile (repeatable; default: `netterm settings me`, "
        "else inferred from the file).",
    )(f)
    f = click.option(
        "--add-unknown",
        type=click.IntRange(min=0),
        default=0,
        metavar="N",
        help="Add the N people you exchanged the most with who are not in netterm "
        "(untracked), with their touches.",
    )(f)
    f = click.option(
        "--no-subjects", is_flag=True, help="Keep no subject or title as the touch's note."
    )(f)
    f = click.option("--dry-run", is_flag=True, help="Show what would be captured; write nothing.")(
        f
    )
    return f


class _ByteBar(_Bar):
    """The progress bar of a mail import: bytes of the mbox (or files of a Maildir)."""

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 1 or not sys.stderr.isatty():
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done


def _capture_common(me, add_unknown: int, no_subjects: bool, dry_run: bool) -> dict:
    """The options every capture command passes on (see `_capture_options`)."""
    return {"me": me, "add_unknown": add_unknown, "dry_run": dry_run, "subjects": not no_subjects}


def _capture_report(s) -> None:
    if s.me_inferred:
        click.echo(
            f"Taking you to be {safe(s.me[0])} (in every one of the {s.me_seen_in} "
            f"conversations read); `netterm settings me {safe(s.me[0])}` remembers it."
        )
    if s.skipped:
        parts = [f"{safe(k)} {n:,}" for k, n in sorted(s.skipped.items(), key=lambda kv: -kv[1])]
        click.echo("Not touches: " + ", ".join(parts) + ".")
    if s.problems:
        click.echo(f"Warnings ({len(s.problems)}):")
        for p in s.problems[:PROBLEMS_SHOWN]:
            click.echo(f"  {one_line(str(p))}")
        if len(s.problems) > PROBLEMS_SHOWN:
            click.echo(f"  … and {len(s.problems) - PROBLEMS_SHOWN} more")
    if s.unknown:
        more = s.unknown_people - len(s.unknown)
        tail = f" (and {more:,} more)" if more > 0 else ""
        click.echo(f"Not in netterm, the people you exchanged the most with{tail}:")
        for u in s.unknown:
            click.echo(f"  {one_line(str(u))}")
        if not s.added_contacts:
            click.echo("  (`--add-unknown N` adds the top N as untracked contacts)")
    if s.added_contacts:
        verb = "Would add" if s.dry_run else "Added"
        click.echo(
            f"{verb} {len(s.added_contacts)} untracked contacts: "
            + ", ".join(one_line(a) for a in s.added_contacts)
        )
    took = "" if s.dry_run else f" ({s.seconds:.1f}s)"
    click.echo(s.headline() + took)
    if s.dry_run:
        click.echo("Dry run: nothing was written.")


@import_group.command(name="mail")
@click.argument("path", type=click.Path(exists=True, readable=True), metavar="MBOX_OR_MAILDIR")
@_capture_options
@pass_session
def import_mail(session, path, me, add_unknown, no_subjects, dry_run):
    """Touches from your mail: an mbox file (Gmail Takeout, Thunderbird) or a Maildir.

    Each message between you and a known contact becomes one e-mail touch (subject as
    the note; bodies are never stored). Spam, trash, bulk mail and auto-replies are
    skipped. An e-mail you sent waits for their reply. Re-importing adds nothing twice.

    \b
    netterm import mail ~/Takeout/Mail/All\\ mail.mbox --me sam@example.com --dry-run
    """
    common = _capture_common(me, add_unknown, no_subjects, dry_run)
    summary = _read_with_progress(
        session,
        dry_run,
        f"Reading {click.format_filename(path, shorten=True)}",
        lambda bar: _capture().capture_mail(path, progress=bar, **common),
        _ByteBar,
    )
    _capture_report(summary)


@import_group.command(name="calendar")
@click.argument("path", type=click.Path(exists=True, readable=True), metavar="ICS_OR_FOLDER")
@_capture_options
@click.option(
    "--max-attendees",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Events with more attendees are not meetings (default 10; setting capture.max_attendees).",
)
@pass_session
def import_calendar(session, path, me, add_unknown, no_subjects, dry_run, max_attendees):
    """Touches from your calendar: an .ics file or a folder of them (khal, vdirsyncer).

    Past meetings with known contacts become touches (coffee, lunch, call … by title;
    in person when there is a place and no video link). Future ones are noted as the
    contact's next planned meeting (a follow-up). Cancelled and declined events, all-day
    events without attendees and crowded ones are skipped.

    \b
    netterm import calendar ~/Downloads/calendar.ics --dry-run
    """
    common = _capture_common(me, add_unknown, no_subjects, dry_run)
    summary = _read_with_progress(
        session,
        dry_run,
        f"Reading {click.format_filename(path, shorten=True)}",
        lambda bar: _capture().capture_calendar(
            path, max_attendees=max_attendees, progress=bar, **common
        ),
    )
    _capture_report(summary)


@import_group.command(name="linkedin")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True), metavar="FILE")
@_capture_options
@click.option("-v", "--verbose", is_flag=True, help="List every contact added, updated or skipped.")
@pass_session
def import_linkedin(session, file, me, add_unknown, no_subjects, dry_run, verbose):
    """Import LinkedIn's data export: the whole ZIP, Connections.csv or messages.csv.

    Connections become contacts (Settings → Data privacy → Get a copy of your data);
    messages become message touches with the people you know (profile, then name).

    \b
    netterm import linkedin ~/Downloads/Basic_LinkedInDataExport.zip --dry-run
    netterm import linkedin ~/Downloads/Connections.csv
    """
    common = _capture_common(me, add_unknown, no_subjects, dry_run)
    result = _read_with_progress(
        session,
        dry_run,
        f"Importing {click.format_filename(file, shorten=True)}",
        lambda bar: _capture().import_linkedin(file, progress=bar, **common),
    )
    if result.connections is not None:
        _report(result.connections, verbose)
    if result.messages is not None:
        _capture_report(result.messages)


@click.group(name="export")
def export_group():
    """Write the network as vCard, CSV, JSON or iCalendar (to a file with -o, else stdout).

    Files are created readable by you only (mode 0600): they hold other people's data.
    """


def _write(fmt: str, output: str | None, include_archived: bool = True) -> None:
    svc = _service()
    if output is None or output == "-":  # `-o -` is standard output, as in most tools
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
    "-o",
    "--output",
    metavar="FILE",
    default=None,
    help="Write to FILE (default, or -: standard output). A device or FIFO is written "
    "into; a symlink is followed.",
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
    session.open(write=False)
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
        session.open(write=False)
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
    """Due catch-ups (overdue, due soon) as to-dos, open follow-ups as calendar events.

    Every entry keeps its UID from one export to the next: a calendar that re-imports
    or subscribes to the file updates its entries instead of duplicating them.
    """
    session.open(write=False)
    _write("ics", output)


COMMANDS = (import_group, export_group)
