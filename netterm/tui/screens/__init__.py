"""The app's named screens, looked up by name (`netterm.tui.app.run(path, screen=NAME)`).

Each entry is "module:Class" and is imported only when opened, so start-up stays fast.
A top-level screen takes no arguments; the app pushes it over the contacts list, and
`escape` on it comes back to the list. To add one, add one line here, e.g.

    "audit": "netterm.tui.screens.audit:AuditScreen",

and `A` (and the command palette) open it. A screen another part of netterm opens by
name before it exists in every build (`netterm audit` opens "audit") is listed in
ANNOUNCED with what to say instead.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from netterm.errors import NotFound

#: The stylesheet of every screen but the contacts list (netterm/tui/screens.tcss): each
#: of them names it in its CSS_PATH. The app reads it right after its first frame; a
#: screen opened before that makes Textual read it first.
STYLES = Path(__file__).resolve().parent.parent / "screens.tcss"


class StyledOnce:
    """For a Screen (listed before it among the bases) whose widgets were styled as they
    mounted, a moment before it is first shown: its first ScreenResume does not style
    them all once more, as Textual's Screen does on every resume (the list before its
    first frame: 94 style passes to 56; the detail screen as it opens). Later resumes,
    after another screen was over it, do."""

    _resumed = False

    def on_screen_resume(self, event) -> None:  # events.ScreenResume
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False


SCREENS: dict[str, str] = {
    "contacts": "netterm.tui.screens.contacts:ContactsScreen",
    "audit": "netterm.tui.screens.audit:AuditScreen",
    "insights": "netterm.tui.screens.insights:InsightsScreen",
}

#: The screen `netterm` opens on.
DEFAULT = "contacts"

#: Screens that may be missing from a build, and what the app says when asked for one.
ANNOUNCED: dict[str, str] = {}


def is_registered(name: str) -> bool:
    return name in SCREENS


def check(name: str) -> None:
    """NotFound (one sentence naming the known screens) unless `name` can be asked for."""
    if name not in SCREENS and name not in ANNOUNCED:
        known = ", ".join(sorted(SCREENS))
        raise NotFound(f"no screen named '{name}' (known: {known})")


def screen_class(name: str):
    """The Screen class registered as `name`."""
    check(name)
    if name not in SCREENS:
        raise NotFound(ANNOUNCED[name])
    module, _, cls = SCREENS[name].partition(":")
    return getattr(import_module(module), cls)
