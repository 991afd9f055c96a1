"""`netterm bulk QUERY ACTION [VALUE]`: one action over every contact a filter selects."""

from __future__ import annotations

import click

from netterm.cli import pass_session
from netterm.cli.output import safe


def _action_help() -> str:
    from netterm.services.bulk import ACTIONS

    return "\n".join(f"  {name:<11} {text}" for name, text in ACTIONS.items())


@click.command(
    epilog="\b\nACTION is one of:\n" + _action_help(),
)
@click.argument("query")
@click.argument("action")
@click.argument("value", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    default=None,
    help="With emails: write the BCC list (one address a line) to this file.",
)
@click.option("-v", "--verbose", is_flag=True, help="Name every contact changed.")
@pass_session
def bulk(session, query, action, value, dry_run, output, verbose):
    """Do ACTION to every contact QUERY selects, in one transaction.

    QUERY is the filter language of `netterm list` and the app's `/` (quote it):
    `netterm bulk 'cat:investors is:untracked' tier 2`,
    `netterm bulk 'cat:"former colleagues"' log "I joined Globex"`,
    `netterm bulk is:overdue emails -o bcc.txt`. A QUERY that starts with "-"
    goes after `--`: `netterm bulk -- -is:paused emails`.
    """
    from netterm.services import bulk as svc

    text = " ".join(value) if value else None
    checked = svc.check(action, text)  # a bad action or value fails before the database opens
    if output is not None and checked.action != "emails":
        raise click.UsageError("--output goes with the emails action")
    session.open()
    ids = svc.select(query)
    if not ids:
        click.echo(f"No contact matches '{safe(query)}'; nothing changed.")
        return
    if checked.action == "emails":
        _emails(svc.addresses(ids), output)
        return
    result = svc.apply(ids, checked.action, text, dry_run=dry_run)
    if verbose or dry_run:
        names = svc.names(result.changed)
        for cid in result.changed[: None if verbose else 20]:
            click.echo(f"  #{cid} {safe(names.get(cid, ''))}")
        if not verbose and len(result.changed) > 20:
            click.echo(f"  … and {len(result.changed) - 20} more (-v names them all)")
    unchanged = result.selected - len(result.changed)
    tail = f" ({unchanged} already so, left alone)" if unchanged else ""
    click.echo(result.summary[:-1] + tail + ".")


def _emails(found, output: str | None) -> None:
    if output is not None:
        from netterm.services.bulk import write_list

        write_list(output, found)
        click.echo(f"Wrote {len(found.emails)} addresses to {safe(str(output))}.")
    else:
        for name, address in found.emails:
            click.echo(f"{safe(name)} <{safe(address)}>")
        if found.emails:
            click.echo(found.mailto)
    if found.missing:
        click.echo(
            f"{len(found.missing)} without an e-mail address: "
            + ", ".join(safe(n) for n in found.missing[:10])
            + (" …" if len(found.missing) > 10 else ""),
            err=True,
        )


COMMANDS = (bulk,)
