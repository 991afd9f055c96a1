"""How fast the audit is on a big network: a script, not a timed test.

    python tests/perf/audit_bench.py [--db DEMO.db] [--runs 30]

The database must hold a demo network (`netterm --db PATH demo --size 30000 --touches
300000`); by default it is bench.py's cached 30,000-contact demo (built on first use).
It is copied, never changed. Prints, in milliseconds (medians of `--runs`,
and the worst): starting an audit (fixing the plan), loading a card, each decision
(which returns the next card), back, the same near the end of the audit (every card but
the last 40 decided), finishing with its summary, and duplicate detection over the
whole network.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


def line(label: str, samples: list[float]) -> None:
    if len(samples) == 1:
        print(f"{label:<38} {samples[0]:8.1f} ms")
    else:
        print(
            f"{label:<38} {statistics.median(samples):8.1f} ms median  "
            f"{max(samples):8.1f} ms worst  ({len(samples)} runs)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a demo database (copied, not changed)")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if args.db is None:
        import bench

        args.db = bench.database(bench.HERE / ".cache", 30_000, 300_000)

    from netterm.services import audit, merge
    from netterm.store import close_database, open_database
    from netterm.store.models import Audit, Contact, database

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        shutil.copy(args.db, path)
        open_database(path)
        contacts = Contact.select().count()
        print(f"{contacts} contacts, {args.runs} runs per figure")
        if Audit.select().where(Audit.finished_at.is_null()).exists():
            raise SystemExit("the database has an audit in progress; use a fresh demo")

        ms, card = timed(audit.start)
        line("start (fix the plan, first card)", [ms])
        print(f"{'':<38} {card.total} cards")
        line("current card", [timed(audit.current)[0] for _ in range(args.runs)])

        kinds = {
            "keep": lambda c: audit.keep(c.position),
            "skip": lambda c: audit.skip(c.position),
            "tier down": lambda c: audit.tier_down(c.position),
            "set categories": lambda c: audit.set_categories(c.position, ["bench"]),
            "archive": lambda c: audit.archive(c.position),
            "snooze": lambda c: audit.snooze(c.position, "in 3 months"),
            "edit": lambda c: audit.edit(c.position, location="Porto"),
        }

        def decide_all(prefix: str) -> None:
            nonlocal card
            for name, decide in kinds.items():
                samples = []
                for _ in range(args.runs):
                    ms, card = timed(decide, card)
                    samples.append(ms)
                line(f"{prefix}{name} → next card", samples)
            back = []
            for _ in range(args.runs):
                ms, card = timed(audit.back)
                back.append(ms)
            line(f"{prefix}back", back)

        decide_all("")
        dupes = []
        for _ in range(args.runs):
            card = audit.current()
            while card is not None and not card.duplicates:
                card = audit.keep(card.position)
            if card is None:
                break
            ms, card = timed(audit.merge, card.position, card.duplicates[0].id)
            dupes.append(ms)
        if dupes:
            line("merge a duplicate → next card", dupes)

        # near the end: every card but the last 40 decided (written in bulk)
        row = Audit.get(Audit.finished_at.is_null())
        plan = json.loads(row.plan)
        decided = {r[0] for r in database.execute_sql("SELECT position FROM audit_decision")}
        rest = [p for p in range(len(plan) - 40) if p not in decided]
        with database.atomic():
            database.cursor().executemany(
                "INSERT INTO audit_decision (audit_id, contact_id, position, decision, detail, "
                "decided_at) VALUES (?, ?, ?, 'skip', '{}', '2026-11-26T12:00:00+00:00')",
                [(row.id, plan[p], p) for p in rest],
            )
        card = audit.current()
        print(f"{'':<38} near the end: card {card.progress}")
        line("near the end: current card", [timed(audit.current)[0] for _ in range(args.runs)])
        kinds = {k: kinds[k] for k in ("keep", "archive")}
        runs, args.runs = args.runs, min(args.runs, 15)
        decide_all("near the end: ")
        args.runs = runs
        line("status (banner, --status)", [timed(audit.status)[0] for _ in range(args.runs)])
        ms, summary = timed(audit.finish, early=True)
        line("finish early + summary", [ms])
        print(f"{'':<38} {summary.headline()}; {summary.undecided} undecided")
        line("summary again", [timed(audit.summary)[0] for _ in range(5)])
        samples = []
        for _ in range(5):
            ms, groups = timed(merge.find_duplicates)
            samples.append(ms)
        line("find every duplicate group", samples)
        print(f"{'':<38} {len(groups)} groups")
        close_database()


if __name__ == "__main__":
    main()
