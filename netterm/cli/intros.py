"""`netterm matches WHO` and `netterm intro WHO OTHER`: who can help whom
(services/intros.py), the same calls as the app's detail screen and its `I`."""

from __future__ import annotations

import click

from netterm.cli import pass_session
from netterm.cli.output import json_text, safe


def _who(session, who: str) -> int:
    from netterm import services

    session.open(write=False)
    return services.resolve(who)


@click.command()
@click.argument("who")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=100),
    default=3,
    show_default=True,
    help="Show at most N matches.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_session
def matches(session, who, limit, as_json):
    """Who in your network could help WHO with what they are looking for, best first.

    Ranked by full-text search over everyone's title, company, categories, notes and
    career (archived contacts never match); each line says why.
    """
    from netterm import services
    from netterm.services import intros

    cid = _who(session, who)
    name = services.get_contact(cid, touch_limit=0).name
    wanted = intros.looking_for(cid)
    found = intros.matches(cid, limit)
    if as_json:
        click.echo(
            json_text(
                {
                    "id": cid,
                    "name": name,
                    "looking_for": wanted,
                    "matches": [m.as_dict() for m in found],
                },
                indent=2,
            )
        )
        return
    if not wanted.strip():
        click.echo(
            f"{safe(name)} is not looking for anything yet; say what with "
            f"`netterm edit {safe(who)!r} --looking-for TEXT`."
        )
        return
    click.echo(f"{safe(name)} is looking for: {safe(' '.join(wanted.split()))}")
    if not found:
        click.echo("Nobody in your network matches that yet.")
        return
    for n, m in enumerate(found, start=1):
        click.echo(f"  {n}. {safe(m.text)}  (#{m.contact_id})")
    new = [m for m in found if m.introduced_on is None]  # the introduced come last
    if new:
        click.echo(f"Introduce one: netterm intro {safe(who)!r} '#{new[0].contact_id}'")


@click.command()
@click.argument("who")
@click.argument("other")
@click.option("--note", default="", help="Added to both touches' notes.")
@click.option("--dry-run", is_flag=True, help="Say what would be logged; write nothing.")
@pass_session
def intro(session, who, other, note, dry_run):
    """Introduce WHO (who is looking for something) to OTHER.

    Logs an `intro` touch, given, for both (each note names the other person) and a
    follow-up on WHO in 14 days to check it happened.
    """
    from netterm.services import intros

    asker = _who(session, who)
    helper = _who(session, other)
    done = intros.introduce(asker, helper, note, dry_run=dry_run)
    prefix = "Would log" if dry_run else "Logged"
    click.echo(
        f"{'Would introduce' if dry_run else 'Introduced'} "
        f"{safe(done.asker_name)} to {safe(done.helper_name)}."
    )
    click.echo(f"  {prefix} intro (gave) for {safe(done.asker_name)}: {safe(done.notes[0])}")
    click.echo(f"  {prefix} intro (gave) for {safe(done.helper_name)}: {safe(done.notes[1])}")
    plan = "Would plan" if dry_run else "Planned"
    click.echo(
        f"  {plan} a follow-up on {done.follow_up_on.isoformat()}: {safe(done.follow_up_text)}"
    )


COMMANDS = (matches, intro)
