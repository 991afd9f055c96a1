"""`netterm touch edit ID …` and `netterm touch rm ID`: every touch can be corrected.

Touch ids are shown by `netterm show WHO` (and in `show --json`). A correction is
checked as `netterm log` checks a new touch; a deleted imported touch is remembered so
that no later import brings it back.
"""

from __future__ import annotations

import click

from netterm.cli import pass_session
from netterm.cli.output import one_line, safe
from netterm.core.dates import short_date
from netterm.core.kinds import TOUCH_KINDS
from netterm.errors import InvalidInput

KIND_HELP = ", ".join(TOUCH_KINDS)
DIRECTION_ARROWS = {"out": "→", "in": "←", "mutual": "↔"}


def touch_id(text: str) -> int:
    """`12` or `#12`; anything else is one error line naming the argument."""
    raw = text.strip().removeprefix("#")
    if not raw.isdigit():
        raise InvalidInput(
            "ID", f"'{one_line(text)}' is not a touch id (netterm show WHO lists them)"
        )
    return int(raw)


def describe(t, name: str) -> str:
    """`coffee with Ana Silva on 23 Nov (↔, in person, awaiting reply): note`."""
    marks = [DIRECTION_ARROWS.get(t.direction, t.direction)]
    if t.in_person:
        marks.append("in person")
    if t.awaiting_reply:
        marks.append("answered" if t.replied_at else "awaiting reply")
    if t.value != "none":
        marks.append(t.value)
    note = f": {one_line(t.note)}" if t.note else ""
    return f"{t.kind} with {safe(name)} on {short_date(t.occurred_on)} ({', '.join(marks)}){note}"


@click.group(name="touch")
def touch() -> None:
    """Correct or delete a logged touch (ids: `netterm show WHO`)."""


@touch.command(name="edit")
@click.argument("ident", metavar="ID")
@click.option("--when", default=None, metavar="DATE", help="When it happened.")
@click.option("--kind", default=None, metavar="KIND", help=f"One of: {KIND_HELP}.")
@click.option("--in", "direction", flag_value="in", help="They reached out to you.")
@click.option("--out", "direction", flag_value="out", help="You reached out.")
@click.option("--mutual", "direction", flag_value="mutual", help="Both ways (a meeting, a call).")
@click.option("--note", default=None, help="What it was about (replaces the note).")
@click.option("--in-person/--remote", default=None, help="Whether you met face to face.")
@click.option(
    "--awaiting-reply/--answered",
    "awaiting_reply",
    default=None,
    help="An attempt that waits for their answer, or not (any more).",
)
@click.option("--gave", "value", flag_value="gave", help="You gave something.")
@click.option("--received", "value", flag_value="received", help="You received something.")
@click.option("--no-value", "value", flag_value="none", help="Neither gave nor received.")
@pass_session
def edit(session, ident, when, kind, direction, note, in_person, awaiting_reply, value):
    """Correct the touch ID: only the options given change."""
    from netterm import services

    tid = touch_id(ident)
    changes = {
        "when": when,
        "kind": kind,
        "direction": direction,
        "note": note,
        "in_person": in_person,
        "awaiting_reply": awaiting_reply,
        "value": value,
    }
    if all(v is None for v in changes.values()):
        raise InvalidInput(
            "touch edit", "nothing to change: give --when, --kind, --note, --in/--out/--mutual, …"
        )
    session.open()
    result = services.edit_touch(tid, **changes)
    detail = services.get_contact(result.after.contact_id)
    if not result.changed:
        click.echo(f"Touch #{tid} unchanged: {describe(result.after, detail.name)}.")
        return
    click.echo(f"Touch #{tid} is now: {describe(result.after, detail.name)}.")
    click.echo(f"It was: {describe(result.before, detail.name)}.")
    click.echo(one_line(detail.explanation))


@touch.command(name="rm")
@click.argument("ident", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_session
def rm(session, ident, yes):
    """Delete the touch ID (an imported one is never imported again)."""
    from netterm import services

    tid = touch_id(ident)
    session.open()
    t = services.get_touch(tid)
    name = services.get_contact(t.contact_id).name
    if not yes:
        click.confirm(f"Delete touch #{tid}, {describe(t, name)}?", abort=True)
    services.delete_touch(tid)
    click.echo(f"Deleted touch #{tid}: {describe(t, name)}.")
    if t.source_key is not None:
        click.echo(f"Imports will not bring it back (it came from {t.source}).")
    click.echo(one_line(services.get_contact(t.contact_id).explanation))


COMMANDS = (touch,)
