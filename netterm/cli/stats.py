"""`netterm stats`: the Insights screen's figures as text tables, or JSON for scripts."""

from __future__ import annotations

import json

import click

from netterm.cli import pass_session
from netterm.cli.output import safe, table
from netterm.core import insights as fig
from netterm.core import status as st

SECTIONS = ("touches", "health", "attention", "reciprocity", "categories", "not-met")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--sort",
    type=click.Choice(list(fig.CATEGORY_SORTS)),
    default="ok",
    show_default=True,
    help="The order of the categories table.",
)
@click.option(
    "--only",
    metavar="SECTION",
    multiple=True,
    help=f"Print only these sections ({', '.join(SECTIONS)}); repeatable.",
)
@click.option(
    "--no-audit",
    is_flag=True,
    help="Skip the states at the last audit (the slowest figure: a pass over every touch).",
)
@pass_session
def stats(session, as_json, sort, only, no_audit):
    """The health of the network in figures: touches per month by kind, health by tier
    (and since the last audit), attention budget, reciprocity, categories, and the
    priority people not met face to face for the longest."""
    from netterm.errors import InvalidInput

    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        raise InvalidInput(
            "only", f"unknown section '{unknown[0]}'; use one of: {', '.join(SECTIONS)}"
        )
    session.open()
    from netterm.services import insights

    wanted = set(only or SECTIONS)
    data = insights.load(sort=sort, before="health" in wanted and not no_audit)
    if as_json:
        full = data.to_json()
        keys = {"not-met": "not_met"}
        out = {"today": full["today"]}
        out.update({keys.get(s, s): full[keys.get(s, s)] for s in SECTIONS if s in wanted})
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    printers = {
        "touches": _touches,
        "health": _health,
        "attention": _attention,
        "reciprocity": _reciprocity,
        "categories": _categories,
        "not-met": _not_met,
    }
    first = True
    for section in SECTIONS:
        if section not in wanted:
            continue
        if not first:
            click.echo()
        first = False
        printers[section](data)


def _title(text: str, caption: str) -> None:
    click.echo(click.style(text, bold=True))
    click.echo(caption)
    click.echo()


def _touches(data) -> None:
    t = data.touches
    _title("Touches per month", t.caption)
    rows = []
    for i, month in enumerate(t.months):
        counts = [t.by_group[g][i] for g in fig.GROUPS]
        rows.append([month, *(f"{n:,}" for n in counts), f"{sum(counts):,}"])
    table(["month", *fig.GROUPS, "total"], rows)


def _health(data) -> None:
    h = data.health
    _title("Health by tier", h.caption)
    labels = [st.STATE_LABELS[s] for s in fig.HEALTH_STATES]
    headers = ["tier", *labels, "ok share"]
    if h.audit_on is not None:
        headers += ["ok at audit", "overdue since audit"]
    rows = []
    for tier in h.tiers:
        row = [
            tier.name,
            *(f"{tier.counts[s]:,}" for s in fig.HEALTH_STATES),
            fig.pct(tier.ok_share),
        ]
        if h.audit_on is not None:
            moved = tier.moved(st.OVERDUE) or 0
            row += [fig.pct(tier.before_ok_share or 0.0), f"{moved:+,}"]
        rows.append(row)
    table(headers, rows)
    click.echo(f"untracked (no cadence): {h.untracked:,}")


def _attention(data) -> None:
    a = data.attention
    _title("Attention budget (touches per week)", a.caption)
    rows = [[f"tier {t}", f"{a.by_tier.get(t, 0.0):.1f}"] for t in fig.TIERS]
    rows.append(["asked in all", f"{a.asked:.1f}"])
    rows.append([f"logged (last {a.weeks} weeks)", f"{a.logged:.1f}"])
    table(["", "per week"], rows)
    click.echo()
    table(
        ["re-tiering", "contacts", "saves per week"],
        [[r.text, f"{r.contacts:,}", f"{r.saves:.1f}"] for r in a.retiers],
    )


def _reciprocity(data) -> None:
    r = data.reciprocity
    _title("Reciprocity", r.caption)
    table(
        ["quarter", "gave", "received"],
        [[q, f"{g:,}", f"{rc:,}"] for q, g, rc in zip(r.quarters, r.gave, r.received, strict=True)],
    )
    for label, people in (
        (f"You gave more (last {r.days} days)", r.gave_more),
        (f"You received more (last {r.days} days)", r.took_more),
    ):
        click.echo()
        click.echo(label)
        if not people:
            click.echo("  nobody")
            continue
        table(
            ["name", "gave", "received", "balance"],
            [[safe(b.name), str(b.gave), str(b.received), f"{b.balance:+}"] for b in people],
        )


def _categories(data) -> None:
    items = data.categories
    _title("Categories", fig.categories_caption(items))
    table(
        ["category", "contacts", "tracked", "ok", "overdue", "ok share"],
        [
            [
                safe(c.name),
                f"{c.contacts:,}",
                f"{c.tracked:,}",
                f"{c.ok:,}",
                f"{c.overdue:,}",
                fig.pct(c.ok_share) if c.tracked else "-",
            ]
            for c in items
        ],
    )


def _not_met(data) -> None:
    n = data.not_met
    _title("Priority people not met face to face", n.caption)
    table(
        ["name", "last met in person", "days"],
        [
            [
                safe(p.name),
                p.last_in_person.isoformat() if p.last_in_person else "never",
                "-" if p.days is None else f"{p.days:,}",
            ]
            for p in n.people
        ],
    )


COMMANDS = (stats,)
