"""Render the app's screens on the demo network to screenshots/*.svg (for the README).

    .venv/bin/python scripts/screenshots.py            # every shot
    .venv/bin/python scripts/screenshots.py detail     # some of them

The demo network is generated in a temporary folder on a frozen day (Thursday
26 November 2026, Europe/Lisbon), so the pictures only change when the app does.
Each shot is a list of keys pressed on a fresh copy of it, after an optional `setup`
that prepares that copy through the services (an audit half done, say). A screen
registered in netterm.tui.screens (the audit) is shot by naming it in `screen=`; a shot
whose screen is not registered in this build is skipped with a note.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

NOW = "2026-11-26T12:00"
TZ = "Europe/Lisbon"
SIZE = (120, 40)
OUT = Path(__file__).resolve().parent.parent / "screenshots"


@dataclass(frozen=True)
class Shot:
    name: str
    keys: tuple[str, ...] = ()
    screen: str | None = None  # a screen from netterm.tui.screens, opened over the list
    notes: str = ""
    size: tuple[int, int] = SIZE
    toasts: bool = False  # keep the notifications on the picture
    setup: Callable[[], None] | None = None  # run on the shot's database first
    extra: dict = field(default_factory=dict)


def _audit_under_way() -> None:
    """An audit started today, its first 38 cards kept: card 39 is a job change."""
    from netterm.services import audit

    card = audit.start()
    while card.number < 39:
        card = audit.keep(card.position)


def _audit_at_its_last_card() -> None:
    """Every card but the last decided as netterm suggested (archive, re-tier, keep …)."""
    from netterm.services import audit

    card = audit.start()
    while card.number < card.total:
        card = audit.accept(card.position)


SHOTS = (
    Shot("contacts", notes="the network, most urgent first, coloured by state", toasts=True),
    Shot("filter", keys=("slash", *"acme", "enter", "j"), notes="/ acme: the list narrows"),
    Shot("detail", keys=("enter",), notes="enter: everything about a contact"),
    Shot("quick-log", keys=("l", "e", "w", "d", *"yesterday"), notes="l: log a touch"),
    Shot("add", keys=("a",), notes="a: add a contact"),
    Shot("help", keys=("question_mark",), notes="?: every key of the screen"),
    Shot("audit", screen="audit", notes="A: the audit, one card at a time", setup=_audit_under_way),
    Shot(
        "audit-end",
        keys=("z", "enter"),
        screen="audit",
        notes="the audit's summary (the last card snoozed)",
        setup=_audit_at_its_last_card,
    ),
    Shot("insights", screen="insights", notes="i: the network's health in charts"),
)


async def _shoot(shot: Shot, db: Path, target: Path) -> bool:
    from netterm.tui import screens
    from netterm.tui.app import NettermApp

    if shot.screen is not None and not screens.is_registered(shot.screen):
        print(f"skipped {shot.name}: no '{shot.screen}' screen in this build")
        return False
    app = NettermApp(db, screen=shot.screen)
    async with app.run_test(size=shot.size, notifications=True) as pilot:
        while not (app.loaded and getattr(app.screen_stack[0], "audit_status_read", True)):
            await pilot.pause(0.02)
        await pilot.pause()
        if not shot.toasts:
            app.clear_notifications()
        while not getattr(app.screen, "compared", True):  # Insights: every figure shown
            await pilot.pause(0.02)
        await pilot.press(*shot.keys)
        await pilot.pause(0.1)
        app.save_screenshot(filename=target.name, path=str(target.parent))
    print(f"wrote {target.relative_to(OUT.parent)}  ({shot.notes})")
    return True


def main(names: list[str]) -> None:
    os.environ["NETTERM_TZ"] = TZ
    os.environ["NETTERM_NOW"] = NOW
    from netterm.services.demo import ensure_demo
    from netterm.store import close_database, open_database

    wanted = [s for s in SHOTS if not names or s.name in names]
    unknown = set(names) - {s.name for s in SHOTS}
    if unknown:
        sys.exit(
            f"unknown shot(s): {', '.join(sorted(unknown))}; known: {', '.join(s.name for s in SHOTS)}"
        )
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "demo.db"
        ensure_demo(template)
        close_database()  # the WAL goes into the file that is copied
        for shot in wanted:
            db = Path(tmp) / f"{shot.name}.db"
            shutil.copy(template, db)
            open_database(db)
            if shot.setup is not None:
                shot.setup()
            try:
                asyncio.run(_shoot(shot, db, OUT / f"{shot.name}.svg"))
            finally:
                close_database()


if __name__ == "__main__":
    main(sys.argv[1:])
