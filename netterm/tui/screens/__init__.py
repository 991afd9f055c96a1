"""The app's named screens, looked up by name (`netterm.tui.app.run(path, screen=NAME)`).

Each entry is "module:Class" and is imported only when opened, so start-up stays fast.
A top-level screen takes no arguments; the app pushes it over the contacts list, and
`escape` on it comes back to the list. To add one, add one line here, e.g.

    "audit": "netterm.tui.screens.audit:AuditScreen",

and `A` (and the command palette) open it.
"""

from __future__ import annotations

from importlib import import_module

SCREENS: dict[str, str] = {
    "contacts": "netterm.tui.screens.contacts:ContactsScreen",
}

#: The screen `netterm` opens on.
DEFAULT = "contacts"


def is_registered(name: str) -> bool:
    return name in SCREENS


def screen_class(name: str):
    """The Screen class registered as `name` (KeyError names the known ones)."""
    try:
        target = SCREENS[name]
    except KeyError:
        known = ", ".join(sorted(SCREENS))
        raise KeyError(f"no screen named '{name}' (known: {known})") from None
    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)
