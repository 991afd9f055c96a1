"""Commands over contacts and touches: add, edit, log, reply, due, list, show, archive …"""

from __future__ import annotations

from dataclasses import replace
from functools import cache, partial

import click

from netterm import collector
from netterm.cli import Session, pass_session
from netterm.cli.output import (
    STATE_COLOURS,
    json_text,
    one_line,
    safe,
    state_text,
    table,
    table_text,
)
from netterm.core import status as st
from netterm.core.dates import ago, cadence_phrase, due_phrase, short_date
from netterm.core.kinds import CAPTURED_SOURCES, TIER_NAMES, TOUCH_KINDS
from netterm.errors import NetTermError

#: `--notes` given without a value: open the notes in the user's editor
EDIT_IN_EDITOR = "\0editor"

KIND_HELP = ", ".join(TOUCH_KINDS)
SORTS = ("urgency", "name", "last", "company")


def _services():
    from netterm import services

    return services


def _who(session: Session, who: str, *, include_archived: bool = False) -> int:
    session.open(write=False)  # naming someone needs a network that exists
    return _services().resolve(who, include_archived=include_archived)


def _methods(email, phone, linkedin, website, x, github, mastodon):
    methods = []
    for kind, values in (
        ("email", email),
        ("phone", phone),
        ("linkedin", linkedin),
        ("website", website),
        ("x", x),
        ("github", github),
        ("mastodon", mastodon),
    ):
        for value in values or ():
            methods.append((kind, value))
    return methods


def method_options(f):
    for name, help_text in reversed(
        (
            ("--email", "Email address (repeatable)."),
            ("--phone", "Phone number (repeatable)."),
            ("--linkedin", "LinkedIn profile URL or slug."),
            ("--website", "Web site."),
            ("--x", "X/Twitter handle."),
            ("--github", "GitHub handle."),
            ("--mastodon", "Mastodon address (@user@server)."),
        )
    ):
        f = click.option(name, multiple=True, metavar="VALUE", help=help_text)(f)
    return f


# --------------------------------------------------------------------------- add / edit


@click.command()
@click.argument("name")
@click.option("--company", default="", help="Company or organisation.")
@click.option("--title", default="", help="Job title.")
@click.option(
    "--tier", default=None, help="1 priority, 2 regular, 3 light, or untracked (default)."
)
@click.option(
    "--cadence", default=None, metavar="DAYS", help="Keep-in-touch cadence, overriding the tier's."
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="NAME",
    help="A category (repeatable; created if new).",
)
@method_options
@click.option(
    "--met", "how_met", default="", metavar="TEXT", help='How you met ("PyCon 2023 sprint").'
)
@click.option(
    "--met-on",
    default=None,
    metavar="DATE",
    help='When you met ("2019-05-02", "3 years ago"): logged as your first meeting, in person.',
)
@click.option(
    "--remote", is_flag=True, help="With --met-on: you met remotely (a call), not face to face."
)
@click.option("--location", default="", help="City or region.")
@click.option(
    "--looking-for", default="", metavar="TEXT", help="What they are looking for, so you can help."
)
@click.option("--notes", default="", help="Free notes.")
@pass_session
def add(
    session,
    name,
    company,
    title,
    tier,
    cadence,
    categories,
    email,
    phone,
    linkedin,
    website,
    x,
    github,
    mastodon,
    how_met,
    met_on,
    remote,
    location,
    looking_for,
    notes,
):
    """Add a contact NAME."""
    if any(not c.strip() for c in categories):
        raise click.BadParameter("a category needs a name", param_hint="'--category'")
    if remote and not met_on:
        raise click.UsageError("--remote says how you first met: give it with --met-on DATE")
    session.open()
    svc = _services()
    cid = svc.add_contact(
        name,
        company=company,
        job_title=title,
        tier=tier,
        cadence_days=cadence,
        categories=list(categories),
        methods=_methods(email, phone, linkedin, website, x, github, mastodon),
        how_met=how_met,
        met_on=met_on,
        met_remote=remote,
        location=location,
        looking_for=looking_for,
        notes=notes,
    )
    detail = svc.get_contact(cid)
    tier_text = TIER_NAMES[detail.tier]
    click.echo(f"Added #{cid} {safe(detail.name)} ({tier_text}).")


@click.command()
@click.argument("who")
@click.option(
    "--name", default=None, help="New full name (a changed last name is kept as a former name)."
)
@click.option("--company", default=None, help="Company (with --new-job or --correction).")
@click.option("--title", default=None, help="Job title (with --new-job or --correction).")
@click.option(
    "--new-job",
    "job_change",
    flag_value="new_job",
    help="The new title/company is a new job: the old one goes to the career history.",
)
@click.option(
    "--correction",
    "job_change",
    flag_value="correction",
    help="The new title/company fixes a mistake: the career history is untouched.",
)
@click.option(
    "--since", default=None, metavar="DATE", help="With --new-job: when it began (default today)."
)
@click.option("--tier", default=None, help="1, 2, 3 or untracked.")
@click.option(
    "--cadence", default=None, metavar="DAYS", help="Cadence in days; 0 or '' to use the tier's."
)
@click.option("--add-category", multiple=True, metavar="NAME")
@click.option("--remove-category", multiple=True, metavar="NAME")
@method_options
@click.option("--met", "how_met", default=None, metavar="TEXT")
@click.option("--met-on", default=None, metavar="DATE")
@click.option("--location", default=None)
@click.option("--looking-for", default=None, metavar="TEXT")
@click.option(
    "--notes",
    default=None,
    is_flag=False,
    flag_value=EDIT_IN_EDITOR,
    metavar="TEXT",
    help="Replace the notes with TEXT; --notes alone opens them in $VISUAL / $EDITOR.",
)
@pass_session
def edit(
    session,
    who,
    name,
    company,
    title,
    job_change,
    since,
    tier,
    cadence,
    add_category,
    remove_category,
    email,
    phone,
    linkedin,
    website,
    x,
    github,
    mastodon,
    how_met,
    met_on,
    location,
    looking_for,
    notes,
):
    """Change fields of the contact WHO (only the options given).

    `--notes` with no text opens the notes in your editor ($VISUAL, then $EDITOR);
    saving them unchanged, or an editor that fails, changes nothing.
    """
    cid = _who(session, who)
    svc = _services()
    unchanged_notes = False
    if notes == EDIT_IN_EDITOR:
        from netterm import editor

        result = editor.edit_text(svc.get_contact(cid).notes or "", what="notes")
        if result.failed:  # e.g. vim's :cq: nothing is changed, the other options neither
            raise NetTermError(result.message.rstrip("."))
        notes = result.text if result.changed else None
        unchanged_notes = not result.changed
        if unchanged_notes:
            click.echo(result.message)
    changes = {
        k: v
        for k, v in {
            "name": name,
            "company": company,
            "job_title": title,
            "tier": tier,
            "how_met": how_met,
            "met_on": met_on,
            "location": location,
            "looking_for": looking_for,
            "notes": notes,
        }.items()
        if v is not None
    }
    if cadence is not None:
        changes["cadence_days"] = None if cadence.strip() in ("", "0") else cadence
    detail = svc.get_contact(cid)
    if add_category or remove_category:
        have = {c.casefold() for c in detail.categories}
        for name in (*add_category, *remove_category):
            if not name.strip():
                raise click.BadParameter("a category needs a name", param_hint="category")
        missing = [r for r in remove_category if r.casefold() not in have]
        if missing:
            raise NetTermError(
                f"{safe(detail.name)} has no category '{safe(missing[0])}'"
                + (
                    f" (has: {', '.join(map(safe, detail.categories))})"
                    if detail.categories
                    else ""
                )
                + "; nothing changed"
            )
        keep = [
            c
            for c in detail.categories
            if c.casefold() not in {r.casefold() for r in remove_category}
        ]
        changes["categories"] = keep + list(add_category)
    new_methods = _methods(email, phone, linkedin, website, x, github, mastodon)
    if new_methods:
        changes["methods"] = [
            svc.MethodInput(m.kind, m.value, m.label, m.primary) for m in detail.methods
        ] + [svc.MethodInput(k, v) for k, v in new_methods]
    if not changes:
        if unchanged_notes:
            return
        raise click.UsageError("nothing to change; give at least one option")
    if since is not None and job_change != "new_job":
        raise click.UsageError("--since dates a new job: give it with --new-job")
    if job_change is None and svc.job_changed(cid, changes):
        raise click.UsageError(
            f"the title or company of {safe(detail.name)} changes: add --correction (a typo, the "
            "career history stays as it is) or --new-job [--since DATE] (the old job goes "
            "to the history)"
        )
    svc.update_contact(cid, job_change=job_change, job_since=since, **changes)
    click.echo(f"Updated #{cid} {safe(svc.get_contact(cid).name)}.")


# --------------------------------------------------------------------------- touches


@click.command(
    name="log",
    help=(
        'Log a touch of KIND with WHO (a name, a prefix like "ana s", or #ID).\n\n'
        f"KIND is one of: {KIND_HELP}. The clock restarts at the touch's date."
    ),
)
@click.argument("kind", metavar="KIND")
@click.argument("who")
@click.option(
    "--when",
    default=None,
    metavar="DATE",
    help='When it happened: "yesterday", "3 days ago", "last friday", 20/11/2026, 2026-11-20 '
    "(default: now). Never in the future: plan a meeting with `netterm follow-up`.",
)
@click.option("--note", default="", help="What it was about.")
@click.option(
    "--awaiting-reply",
    is_flag=True,
    help="An attempt that waits for their answer (a coffee or lunch: an invitation).",
)
@click.option("--gave", is_flag=True, help="You gave something (favour, intro, advice).")
@click.option("--received", is_flag=True, help="You received something.")
@click.option("--in", "in_", is_flag=True, help="They reached out to you.")
@click.option("--out", is_flag=True, help="You reached out.")
@click.option("--mutual", is_flag=True, help="Both ways (a meeting, a call).")
@click.option(
    "--in-person", is_flag=True, help="You met face to face (overrides the kind's default)."
)
@click.option("--remote", is_flag=True, help="You did not meet face to face.")
@pass_session
def log_cmd(
    session,
    kind,
    who,
    when,
    note,
    awaiting_reply,
    gave,
    received,
    in_,
    out,
    mutual,
    in_person,
    remote,
):
    # flags that exclude each other are refused together, not "the last one wins"
    value = _one_of({"--gave": ("gave", gave), "--received": ("received", received)})
    direction = _one_of(
        {"--in": ("in", in_), "--out": ("out", out), "--mutual": ("mutual", mutual)}
    )
    in_person = _one_of({"--in-person": (True, in_person), "--remote": (False, remote)})
    svc = _services()
    session.open(write=False)  # the date order is a setting; logging needs someone
    # Check the touch before looking WHO up: a bad kind or date changes nothing.
    touch = svc.check_touch(
        kind,
        when,
        note=note,
        direction=direction,
        in_person=in_person,
        awaiting_reply=awaiting_reply,
        value=value,
    )
    cid = _who(session, who)
    view = svc.record_touch(cid, touch)
    detail = svc.get_contact(cid)
    extra = ", awaiting reply" if view.awaiting_reply else ""
    click.echo(
        f"Logged {view.kind} with {safe(detail.name)} on {short_date(view.occurred_on)}{extra}. "
        f"{detail.explanation}"
    )


def _one_of(flags: dict[str, tuple[object, bool]]):
    """The value of the one flag given (None if none); two of them is a usage error."""
    given = [name for name, (_, on) in flags.items() if on]
    if len(given) > 1:
        raise click.UsageError(f"{' and '.join(given)} contradict each other; give one")
    return flags[given[0]][0] if given else None


def _today():
    from netterm.config import clock

    return clock.today()


@click.command()
@click.argument("who")
@click.option("--when", default=None, metavar="DATE", help="When their answer came (default: now).")
@click.option("--note", default="", help="What they said.")
@pass_session
def reply(session, who, when, note):
    """Their answer arrived: WHO is no longer awaiting reply or unresponsive."""
    cid = _who(session, who)
    svc = _services()
    result = svc.mark_reply(cid, when, note)
    detail = svc.get_contact(cid)
    answered = (
        f"answered {result.answered} pending attempt" + ("s" if result.answered != 1 else "")
        if result.answered
        else "no attempt was pending"
    )
    click.echo(f"Reply from {safe(detail.name)} logged ({answered}). {detail.explanation}")


# --------------------------------------------------------------------------- reading


def _row_json(row, today, svc) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "title": row.title,
        "company": row.company,
        "tier": row.tier,
        "categories": list(row.categories),
        "state": row.state,
        "due_on": row.due_on.isoformat() if row.due_on else None,
        "days_overdue": row.overdue,
        "urgency": round(row.urgency, 4),
        "flags": list(row.flags),
        "last_touch_on": row.last_touch_on.isoformat() if row.last_touch_on else None,
        "last_touch_kind": row.last_touch_kind,
        "reason": svc.explain_row(row, today),
    }


def _reason(row, today, svc) -> str:
    text = svc.explain_row(row, today)
    # the state has its own column: keep the why, unless the head is the why (habit 6's
    # "No answer to your e-mail of 3 Nov: follow up once")
    _, _, rest = text.partition(": ")
    reason = text if text.startswith("No answer") else (rest or text)
    return one_line(reason + _flags_note(row.flags))


@cache
def _flags_note(flags: tuple[str, ...]) -> str:
    """' [awaiting reply, job changed]' (a row's flags are one of 2⁶ tuples)."""
    extra = [st.FLAG_LABELS[f] for f in flags if f != st.NOT_REVIEWED]
    return " [" + ", ".join(extra) + "]" if extra else ""


def _print_rows(rows, today, svc, *, reason: bool = True) -> None:
    if rows:
        click.echo(_rows_text(rows, today, svc, reason=reason))


def _rows_text(rows, today, svc, *, reason: bool = True) -> str:
    headers = ["ID", "STATE", "NAME", "TIER", "DUE", "LAST TOUCH"]
    headers.append("WHY" if reason else "TITLE @ COMPANY")
    body, styles = [], []
    # one "3 weeks ago" per day of last touch, one style line per state: 7,000 rows share them
    last_texts: dict[int | None, str] = {None: "never"}
    style_lines = {
        state: [None, colour, None, None, colour, None, None]
        for state, colour in STATE_COLOURS.items()
    }
    for row in rows:
        last = last_texts.get(row.last_touch)
        if last is None:
            last = last_texts[row.last_touch] = ago(row.last_touch_on, today)
        body.append(
            [
                f"#{row.id}",
                st.STATE_LABELS[row.state],
                one_line(row.name),
                str(row.tier) if row.tier else "-",
                due_phrase(row.overdue) or "-",
                last,
                _reason(row, today, svc) if reason else one_line(row.title_at_company),
            ]
        )
        styles.append(style_lines[row.state])
    return table_text(headers, body, styles)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=1_000_000_000),
    default=None,
    help="Show at most N contacts.",
)
@pass_session
def due(session, as_json, limit):
    """Today's triage: overdue, due soon, follow-ups due and unresponsive, most urgent first."""
    # thousands of rows, their texts and their explanations, none in a reference cycle
    # and all kept until printed: the garbage collector's passes over them (~15 ms at
    # 30,000 contacts) would find nothing (netterm/collector.py)
    with collector.paused():
        _due(session, as_json, limit)


def _due(session, as_json, limit) -> None:
    session.open(write=False)
    svc = _services()
    today = _today()
    # the header counts, then the introduction searches, are read on a thread of their
    # own while this one reads and formats the list (netterm/services/background.py)
    counts, rows = svc.triage(today, aside=True)
    shown = rows[:limit] if limit else rows
    from netterm.services.background import Pending

    intros = Pending(partial(_intro_suggestions, shown), name="intros")
    if as_json:
        contacts = [_row_json(r, today, svc) for r in shown]
        click.echo(
            json_text(
                {
                    "today": today.isoformat(),
                    "counts": _counts_json(counts),
                    "contacts": contacts,
                    "could_introduce": [
                        {"id": r.id, "name": r.name, "to": m.as_dict()} for r, m in intros.result()
                    ],
                },
                indent=2,
            )
        )
        return
    table = _rows_text(shown, today, svc) if shown else ""
    found = intros.result()  # before anything is printed: an error prints nothing
    click.echo(f"{counts.headline()}   (today: {short_date(today)})")
    if not rows:
        click.echo("Nobody needs you today. Nice.")
        return
    click.echo()
    click.echo(table)
    if limit and len(rows) > limit:
        click.echo(f"… and {len(rows) - limit} more (use --limit or --json)")
    if found:
        click.echo()
        for r, m in found:
            click.echo(
                f"{safe(r.name)} — could introduce: {safe(m.short)}  (netterm matches '#{r.id}')"
            )


#: Priority contacts `netterm due` looks for an introduction for, most urgent first
#: (one full-text query each: the command stays within its time budget).
INTRO_SUGGESTIONS = 3


def _intro_suggestions(rows) -> list:
    """(row, match) for the first priority contacts shown who are looking for something
    and have a good match (services/intros.py: suggestions)."""
    from netterm.services import intros

    wanted = [r.id for r in rows if r.tier == 1]
    if not wanted:
        return []
    found = intros.suggestions(wanted, limit=INTRO_SUGGESTIONS)
    return [(r, found[r.id]) for r in rows if r.id in found]


def _counts_json(c) -> dict:
    return {
        "total": c.total,
        "overdue": c.overdue,
        "due_soon": c.due_soon,
        "unresponsive": c.unresponsive,
        "paused": c.paused,
        "ok": c.ok,
        "untracked": c.untracked,
        "archived": c.archived,
        "follow_ups_due": c.follow_ups_due,
        "audit_due": c.audit_due,
    }


@click.command(name="list", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)  # `-is:paused` is a negated qualifier, not an option
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="STATE",
    help="overdue, due, unresponsive, ok, paused, untracked, archived (repeatable).",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="NAME",
    help="Only this category (repeatable: any of them).",
)
@click.option("--tier", default=None, help="Only this tier.")
@click.option("--sort", type=click.Choice(SORTS), default="urgency", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--limit", type=click.IntRange(min=1, max=1_000_000_000), default=None)
@pass_session
def list_cmd(session, query, states, categories, tier, sort, as_json, limit):
    """List the network, filtered by QUERY words and qualifiers.

    QUERY uses the app's filter language: plain words, is:overdue, tier:1,
    cat:"former classmates", company:acme, -is:paused.
    """
    from netterm.core.query import parse_query

    for word in query:
        if word.startswith("--"):  # a mistyped option, not something to search for
            raise click.NoSuchOption(word.split("=")[0])
    q = parse_query(" ".join(query), strict=True)  # before opening: a typo writes nothing
    wanted = {parse_query(f"is:{s}", strict=True).terms[0].value for s in states}
    if tier is not None:
        t = parse_query(f"tier:{tier}", strict=True).terms[0].value
    session.open(write=False)
    svc = _services()
    network = svc.load_network()
    if st.ARCHIVED in wanted:
        q = replace(q, wants_archived=True)
    rows = q.filter(network.rows)
    if wanted:
        rows = [r for r in rows if r.state in wanted or set(r.flags) & wanted]
    if categories:
        wanted_c = {c.casefold() for c in categories}
        rows = [r for r in rows if wanted_c & {c.casefold() for c in r.categories}]
    if tier is not None:
        rows = [r for r in rows if r.tier == t]
    rows = _sorted(rows, sort)
    shown = rows[:limit] if limit else rows
    today = network.today
    if as_json:
        click.echo(json_text([_row_json(r, today, svc) for r in shown], indent=2))
        return
    if not rows:
        click.echo("No contact matches.")
        return
    _print_rows(shown, today, svc, reason=False)
    suffix = f" (showing {len(shown)})" if len(shown) < len(rows) else ""
    click.echo(f"{len(rows)} contact" + ("s" if len(rows) != 1 else "") + suffix)


def _sorted(rows, sort: str):
    if sort == "name":
        return sorted(rows, key=lambda r: r.name.casefold())
    if sort == "company":
        return sorted(rows, key=lambda r: (r.company.casefold() or "\uffff", r.name.casefold()))
    if sort == "last":
        return sorted(
            rows, key=lambda r: (r.last_touch_on is not None, r.last_touch_on or 0), reverse=False
        )
    return rows


@click.command()
@click.argument("who")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--all", "show_all", is_flag=True, help="The whole timeline (default: the last 20 touches)."
)
@pass_session
def show(session, who, as_json, show_all):
    """Everything about WHO: identity, status and why, methods, history, timeline."""
    cid = _who(session, who, include_archived=True)
    svc = _services()
    d = svc.get_contact(cid)
    today = _today()
    if as_json:
        click.echo(json_text(_detail_json(d), indent=2, default=str))
        return
    head = click.style(safe(d.name), bold=True)
    if d.title_at_company:
        head += f"  {one_line(d.title_at_company)}"
    click.echo(f"{head}   #{d.id}")
    click.echo(f"{state_text(d.status.state)} · {one_line(d.explanation)}")
    for note in d.flag_notes:
        click.echo(f"  ! {note}")
    lines = [
        ("Tier", f"{d.tier or '-'} {TIER_NAMES[d.tier]} · {cadence_phrase(d.status.cadence_days)}"),
        (
            "Met",
            one_line(
                " · ".join(x for x in (d.how_met, short_date(d.met_on) if d.met_on else "") if x)
            ),
        ),
        ("Location", one_line(d.location)),
        ("Categories", one_line(", ".join(d.categories))),
        ("Looking for", one_line(d.looking_for)),
        ("Former names", one_line(d.previous_names)),
        ("Reciprocity", d.reciprocity.phrase()),
    ]
    click.echo()
    for label, value in lines:
        if value:
            click.echo(f"{label:<13}{value}")
    if d.methods:
        click.echo()
        for m in d.methods:
            label = f" ({safe(m.label)})" if m.label else ""
            star = " *" if m.primary else ""
            click.echo(f"{m.kind:<13}{safe(m.value)}{label}{star}")
    if d.notes:
        click.echo()
        click.echo("Notes")
        for line in d.notes.splitlines():
            click.echo(f"  {safe(line)}")
    if d.jobs:
        click.echo()
        click.echo("Career")
        for j in d.jobs:
            until = f" until {short_date(j.ended_on, today)}" if j.ended_on else ""
            click.echo(f"  {one_line(j.title)} @ {one_line(j.company)}{until} ({j.source})")
    if d.open_follow_ups:
        click.echo()
        click.echo("Follow-ups")
        for f in d.open_follow_ups:
            click.echo(f"  [{f.id}] {short_date(f.due_on, today)}  {one_line(f.text)}")
    click.echo()
    touches = d.touches if show_all else d.touches[:20]
    click.echo(f"Timeline ({len(d.touches)} touch{'' if len(d.touches) == 1 else 'es'})")
    from netterm.config import current_user

    me = current_user()
    for t in touches:
        arrow = {"out": "→", "in": "←", "mutual": "↔"}[t.direction]
        marks = []
        if t.in_person:
            marks.append("in person")
        if t.unanswered:
            marks.append("awaiting reply")
        if t.value != "none":
            marks.append(t.value)
        if t.source in CAPTURED_SOURCES:
            marks.append(f"from {CAPTURED_SOURCES[t.source]}")
        if t.logged_by and t.logged_by != me:  # a network several people log into
            marks.append(f"by {t.logged_by}")
        mark = f" ({', '.join(marks)})" if marks else ""
        note = f"  {one_line(t.note)}" if t.note else ""
        ident, day = f"#{t.id}", short_date(t.occurred_on, today)
        click.echo(f"  {ident:>6}  {day:<12} {arrow} {t.kind}{mark}{note}")
    if len(touches) < len(d.touches):
        click.echo(f"  … {len(d.touches) - len(touches)} older (use --all)")
    if touches:
        click.echo("  (netterm touch edit ID corrects a touch, netterm touch rm ID deletes it)")


def _detail_json(d) -> dict:
    s = d.status
    return {
        "id": d.id,
        "name": d.name,
        "first_name": d.first_name,
        "last_name": d.last_name,
        "previous_names": d.previous_names,
        "title": d.job_title,
        "company": d.company,
        "location": d.location,
        "how_met": d.how_met,
        "met_on": d.met_on,
        "notes": d.notes,
        "looking_for": d.looking_for,
        "tier": d.tier,
        "cadence_days": d.cadence_days,
        "categories": d.categories,
        "state": s.state,
        "due_on": s.due_on,
        "days_overdue": s.days_overdue,
        "flags": list(s.flags),
        "explanation": d.explanation,
        "reciprocity": {"gave": d.reciprocity.gave, "received": d.reciprocity.received},
        "methods": [
            {"kind": m.kind, "value": m.value, "label": m.label, "primary": m.primary}
            for m in d.methods
        ],
        "jobs": [
            {"title": j.title, "company": j.company, "ended_on": j.ended_on, "source": j.source}
            for j in d.jobs
        ],
        "follow_ups": [
            {"id": f.id, "due_on": f.due_on, "text": f.text, "done": f.done_at is not None}
            for f in d.follow_ups
        ],
        "touches": [
            {
                "id": t.id,
                "occurred_on": t.occurred_on,
                "occurred_at": t.occurred_at.isoformat(),
                "kind": t.kind,
                "direction": t.direction,
                "in_person": t.in_person,
                "awaiting_reply": t.awaiting_reply,
                "replied": t.replied_at is not None,
                "value": t.value,
                "note": t.note,
                "source": t.source,
                "logged_by": t.logged_by,  # who logged it ("" before netterm signed touches)
            }
            for t in d.touches
        ],
    }


# --------------------------------------------------------------------------- state changes


@click.command()
@click.argument("who")
@pass_session
def archive(session, who):
    """Archive WHO: no reminders, history kept (undo with `netterm unarchive`)."""
    cid = _who(session, who)
    svc = _services()
    svc.archive(cid)
    click.echo(
        f"Archived #{cid} {safe(svc.get_contact(cid).name)}. Undo: netterm unarchive '#{cid}'"
    )


@click.command()
@click.argument("who")
@pass_session
def unarchive(session, who):
    """Bring an archived contact back."""
    cid = _who(session, who, include_archived=True)
    svc = _services()
    if svc.get_contact(cid).archived_at is None:
        raise NetTermError(
            f"#{cid} {safe(svc.get_contact(cid).name)} is not archived; nothing changed"
        )
    svc.unarchive(cid)
    click.echo(f"Unarchived #{cid} {safe(svc.get_contact(cid).name)}.")


@click.command()
@click.argument("who")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_session
def purge(session, who, yes):
    """Delete an archived contact and all its history for good."""
    cid = _who(session, who, include_archived=True)
    svc = _services()
    name = svc.get_contact(cid).name
    if not yes:
        click.confirm(f"Delete {name} and every touch, note and method, for good?", abort=True)
    svc.purge(cid)
    click.echo(f"Purged {safe(name)}.")


@click.command()
@click.argument("who")
@click.argument("tier")
@pass_session
def tier(session, who, tier):
    """Set the tier of WHO: 1 priority, 2 regular, 3 light, untracked."""
    cid = _who(session, who)
    svc = _services()
    new = svc.set_tier(cid, tier)
    click.echo(f"{safe(svc.get_contact(cid).name)} is now {TIER_NAMES[new]}.")


@click.command()
@click.argument("who")
@click.option(
    "--until",
    default=None,
    metavar="DATE",
    help="Snooze until this date; without it, wait until they reach out.",
)
@pass_session
def pause(session, who, until):
    """Pause reminders for WHO: until a date, or until they reach out ("ball in their court")."""
    cid = _who(session, who)
    svc = _services()
    name = safe(svc.get_contact(cid).name)
    if until:
        day = svc.snooze(cid, until)
        click.echo(f"{name} snoozed until {short_date(day)}.")
    else:
        svc.ball_in_their_court(cid)
        click.echo(f"Ball in {name}'s court: paused until they reach out.")


@click.command()
@click.argument("who")
@pass_session
def resume(session, who):
    """End a pause of WHO (snooze or ball in their court)."""
    cid = _who(session, who)
    svc = _services()
    detail = svc.get_contact(cid)
    if detail.paused_until is None and detail.awaiting_inbound_since is None:
        raise NetTermError(f"{safe(detail.name)} is not paused; nothing changed")
    svc.snooze(cid, None)
    svc.ball_in_their_court(cid, on=False)
    click.echo(f"{safe(svc.get_contact(cid).name)} is active again.")


@click.command(name="follow-up")
@click.argument("who")
@click.argument("when")
@click.argument("text")
@pass_session
def follow_up(session, who, when, text):
    """Plan a follow-up with WHO on WHEN ("next friday", "in 2 weeks", 2026-12-01)."""
    cid = _who(session, who)
    svc = _services()
    f = svc.add_follow_up(cid, when, text)
    click.echo(
        f"Follow-up [{f.id}] with {safe(svc.get_contact(cid).name)} on {short_date(f.due_on)}: {safe(f.text)}"
    )


@click.command(name="follow-ups")
@click.option(
    "--all", "show_all", is_flag=True, help="Also those due later (default: due today or earlier)."
)
@pass_session
def follow_ups(session, show_all):
    """Open follow-ups, soonest first."""
    session.open(write=False)
    svc = _services()
    today = _today()
    items = svc.open_follow_ups(None if show_all else today)
    if not items:
        click.echo("No follow-up due." if not show_all else "No open follow-up.")
        return
    table(
        ["ID", "DUE", "WHO", "WHAT"],
        [
            [str(f.id), short_date(f.due_on, today), one_line(f.contact_name), one_line(f.text)]
            for f in items
        ],
    )


@click.command(context_settings={"ignore_unknown_options": True})  # -1 is a (bad) ID
@click.argument("follow_up_id", type=click.IntRange(min=1, max=2**63 - 1), metavar="ID")
@pass_session
def done(session, follow_up_id):
    """Mark the follow-up ID done (`netterm follow-ups` lists them)."""
    session.open(write=False)
    f = _services().complete_follow_up(follow_up_id)
    click.echo(f"Done: {safe(f.text)}")


@click.command()
@pass_session
def categories(session):
    """Every category and how many active contacts carry it."""
    session.open(write=False)
    rows = _services().list_categories()
    if not rows:
        click.echo("No category yet (add one with `netterm add NAME --category …`).")
        return
    table(["CATEGORY", "CONTACTS"], [[one_line(n), str(c)] for n, c in rows])


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option(
    "--config-file",
    "config_file",
    is_flag=True,
    help="Print where your config file (keys, theme) is, and whether it reads cleanly.",
)
@pass_session
def settings(session, key, value, config_file):
    """Show settings, or set KEY to VALUE (e.g. policy.cadence_tier1 60).

    `netterm settings me "a@x.example, b@y.example"` says which addresses (or LinkedIn
    profile) are yours, for `netterm import mail|calendar|linkedin`.

    These settings live in the database (every device of a network shares them). Your
    keys and theme are per machine, in a TOML config file: ~/.config/netterm/config.toml
    on Linux (the platform's config folder; NETTERM_CONFIG overrides); --config-file
    prints its path. README, "Your keys and looks".
    """
    if config_file:
        if key or value:
            raise click.UsageError("--config-file takes no KEY or VALUE")
        from netterm import userconfig

        loaded = userconfig.load()
        state = "exists" if loaded.path.exists() else "not created yet"
        click.echo(f"{safe(str(loaded.path))} ({state})")
        if loaded.theme:
            click.echo(f"theme = {safe(loaded.theme)}")
        for ident, keys in loaded.keymap.items():
            click.echo(f"keys.{safe(ident)} = {safe(keys)}")
        if loaded.problems:
            more = len(loaded.problems) - 1
            raise NetTermError(loaded.problems[0] + (f" (and {more} more)" if more else ""))
        return
    from netterm.config import DEFAULT_POLICY, POLICY_FIELDS, SETTINGS
    from netterm.services.settings import CHOICES, known_setting

    if key and not known_setting(key):  # before opening: a typo creates no database
        known = ", ".join([*SETTINGS, *CHOICES])
        raise click.UsageError(f"unknown setting '{key}'; known: {known}")
    if key and value is not None:
        session.open()
    else:
        session.open_or_empty()  # no network yet: the defaults, and nothing is created
    svc = _services()
    if key == "me":  # who "I" am in mail, calendars and LinkedIn exports (capture)
        from netterm.services import capture

        me = capture.set_me([value]) if value is not None else capture.my_identities()
        click.echo(
            "me = " + (", ".join(safe(m) for m in me) or "(not set: inferred from each file)")
        )
        return
    if key and value is not None:
        svc.set_setting(key, value)
        click.echo(f"{key} = {svc.get_setting(key)}")
        return
    policy = svc.get_policy()
    for name in POLICY_FIELDS:
        k = f"policy.{name}"
        if key and k != key:
            continue
        current = getattr(policy, name)
        default = getattr(DEFAULT_POLICY, name)
        mark = "" if current == default else f"   (default {default})"
        click.echo(f"{k} = {current}{mark}")
    from netterm.services.settings import choice

    for k, (allowed, default) in CHOICES.items():
        if key and k != key:
            continue
        current = choice(k)
        mark = "" if current == default else f"   (default {default})"
        click.echo(f"{k} = {current}{mark}   ({' or '.join(allowed)})")


COMMANDS = (
    add,
    edit,
    log_cmd,
    reply,
    due,
    list_cmd,
    show,
    archive,
    unarchive,
    purge,
    tier,
    pause,
    resume,
    follow_up,
    follow_ups,
    done,
    categories,
    settings,
)
