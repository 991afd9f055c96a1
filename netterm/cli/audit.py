"""`netterm audit`, `netterm duplicates`, `netterm merge`: the six-monthly regroup."""

from __future__ import annotations

import click

from netterm.cli import open_app, pass_session
from netterm.cli.network import _today, _who
from netterm.cli.output import json_text, one_line, safe
from netterm.core.dates import ago, short_date


def _when(instant) -> str:
    from netterm.config import clock

    return short_date(instant.in_tz(clock.timezone()).date(), _today())


@click.command()
@click.option("--status", "show_status", is_flag=True, help="Print where audits stand instead.")
@click.option("--json", "as_json", is_flag=True, help="With --status: machine-readable.")
@click.option(
    "--filter",
    "query",
    metavar="QUERY",
    default=None,
    help="Audit just the contacts QUERY finds, in the language of `netterm list` "
    "(e.g. 'is:untracked', 'cat:investors tier:1').",
)
@pass_session
def audit(session, show_status, as_json, query):
    """Walk the network one card at a time: keep, edit, re-tier, archive, snooze, merge.

    Opens the app on the audit screen; an unfinished audit resumes where you left it.
    With --filter, starts an audit of just those contacts (resumable the same way; it
    counts as the six-monthly audit only if it holds everyone the full one would).
    With --status, prints the audit in progress, when the last one finished and when
    the next is due.
    """
    if not show_status:
        if as_json:
            raise click.UsageError("--json goes with --status")
        if query is not None:
            _start_part(session, query)
        open_app(session, screen="audit")
        return
    if query is not None:
        raise click.UsageError("--filter starts an audit: use it without --status")
    session.open(write=False)
    from netterm.services import audit as audits

    s = audits.status()
    if as_json:
        click.echo(
            json_text(
                {
                    "in_progress": s.in_progress,
                    "started_at": s.started_at.isoformat() if s.started_at else None,
                    "position": s.position,
                    "total": s.total,
                    "decided": s.decided,
                    "last_finished_at": (
                        s.last_finished_at.isoformat() if s.last_finished_at else None
                    ),
                    "next_due_on": s.next_due_on.isoformat() if s.next_due_on else None,
                    "due": s.due,
                    "scope": s.scope or None,
                },
                indent=2,
            )
        )
        return
    if s.in_progress:
        where = (
            "every card decided; finish it in the app"
            if s.position is None
            else f"card {s.position + 1} / {s.total}"
        )
        what = f"Audit of {safe(s.scope)}" if s.scope else "Audit"
        click.echo(
            f"{what} in progress since {_when(s.started_at)}: {where} "
            f"({s.decided} decided). Resume with: netterm audit"
        )
    if s.last_finished_at is None:
        click.echo(
            "No audit finished yet." + ("" if s.in_progress else " Start one: netterm audit")
        )
        return
    today = _today()
    due = s.next_due_on
    verb = "was" if due < today else "is"
    when = "today" if due == today else ago(due, today)
    click.echo(
        f"Last audit finished {_when(s.last_finished_at)}; the next {verb} due "
        f"{short_date(due, today)} ({when})."
    )
    if s.due and not s.in_progress:
        click.echo("An audit is due: netterm audit")


def _start_part(session, query: str) -> None:
    """Start an audit of the contacts `query` finds (before the app opens on it)."""
    from netterm.core.query import parse_query

    q = parse_query(query, strict=True)  # before opening: a typo writes nothing
    if not q.text.strip():
        raise click.UsageError("--filter needs a query, e.g. --filter 'is:untracked'")
    session.open()
    from netterm.services import audit as audits
    from netterm.services import network

    ids = [r.id for r in q.filter(network.load_network().rows)]
    card = audits.start(ids, f"the {len(ids):,} shown by {q.text.strip()}")
    total = card.total if card is not None else len(ids)
    scope = f"of {safe(card.scope)}" if card is not None and card.scope else "of the network"
    click.echo(f"Audit {scope}: {total:,} card{'s' if total != 1 else ''}.")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=1_000_000_000),
    default=None,
    help="Show at most N groups.",
)
@pass_session
def duplicates(session, as_json, limit):
    """Contacts that look like the same person (same email, LinkedIn profile, or name
    and company), with the command to merge each group."""
    session.open(write=False)
    from netterm.services import merge as merging

    groups = merging.find_duplicates()
    shown = groups[:limit] if limit else groups
    if as_json:
        click.echo(
            json_text(
                [
                    {
                        "reasons": list(g.reasons),
                        "contacts": [
                            {
                                "id": m.id,
                                "name": m.name,
                                "title_at_company": m.title_at_company,
                                "touches": m.touches,
                                "last_touch_on": (
                                    m.last_touch_on.isoformat() if m.last_touch_on else None
                                ),
                            }
                            for m in g.members
                        ],
                    }
                    for g in shown
                ],
                indent=2,
            )
        )
        return
    if not groups:
        click.echo("No likely duplicates.")
        return
    today = _today()
    for g in shown:
        for m in g.members:
            job = f" ({one_line(m.title_at_company)})" if m.title_at_company else ""
            last = f", last {ago(m.last_touch_on, today)}" if m.last_touch_on else ""
            touches = f"{m.touches} touch" + ("es" if m.touches != 1 else "")
            click.echo(f"#{m.id} {one_line(m.name)}{job} · {touches}{last}")
        click.echo(f"  {'; '.join(safe(r) for r in g.reasons)}")
        keep, *others = g.members
        for m in others:
            click.echo(f"  merge: netterm merge '#{m.id}' '#{keep.id}'")
        click.echo()
    plural = "s" if len(groups) != 1 else ""
    more = f" (showing {len(shown)})" if len(shown) < len(groups) else ""
    click.echo(f"{len(groups)} group{plural} of likely duplicates{more}.")


@click.command()
@click.argument("who")
@click.argument("into_who")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_session
def merge(session, who, into_who, yes):
    """Merge WHO into INTO_WHO: every touch, method, category, career row and follow-up
    of WHO moves to INTO_WHO, whose empty fields are filled from WHO. WHO is archived,
    not deleted."""
    source = _who(session, who)
    into = _who(session, into_who)
    from netterm.services import merge as merging

    preview = merging.preview_merge(source, into)
    click.echo(safe(preview.sentence()))
    if not yes:
        click.confirm("Merge them?", abort=True)
    merging.merge(source, into)
    click.echo(
        f"Merged. #{source} is archived (netterm show '#{source}'); "
        f"#{into} {safe(preview.into_name)} has everything."
    )


COMMANDS = (audit, duplicates, merge)
