"""Helpers for driving the app in tests."""

from __future__ import annotations

import time

from netterm.tui.app import NettermApp

SIZE = (120, 40)


async def wait_for(pilot, condition, timeout: float = 5.0, what: str = "condition"):
    """Let the app run until `condition()` is true (the watcher works in a thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)


async def ready(pilot):
    """Wait until the whole network is loaded and shown, the audit line decided."""
    await wait_for(pilot, lambda: pilot.app.loaded, what="the network to load")
    await wait_for(
        pilot,
        lambda: getattr(pilot.app.screen_stack[0], "audit_status_read", True),
        what="the audit line",
    )
    await pilot.pause()


def app_for(path, **kwargs) -> NettermApp:
    """The app as `netterm` opens it, polling fast so tests see other writers quickly."""
    kwargs.setdefault("poll_interval", 0.05)
    return NettermApp(path, **kwargs)


def toasts(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def palette_has(app, text: str) -> bool:
    """The command palette is open and lists an entry with `text`."""
    from textual.command import CommandList

    try:
        options = app.screen.query_one(CommandList)
    except Exception:
        return False
    return any(text in str(o.prompt) for o in options._options)


def shown_text(screen, selector: str) -> str:
    """The text a widget shows: a Static's content, or an option list's options (the
    detail screen's timeline), one per line."""
    from textual.widgets import OptionList

    widget = screen.query_one(selector)
    if isinstance(widget, OptionList):
        return "\n".join(str(o.prompt) for o in widget.options)
    return str(widget.render())
