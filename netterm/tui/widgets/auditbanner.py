"""The audit banner over the contacts list: an audit is due, or one is in progress.

` Audit due: the last one finished 7 months ago — press A `
` Audit in progress: card 37 / 412 — press A to resume `

Hidden until the contacts screen hands it an `AuditStatus` (read on a thread after
every recompute of the counts, never before the first paint) that calls for it; gone
again once the audit is finished. A click on it opens the audit, like `A`.
"""

from __future__ import annotations

from datetime import date

from textual import events
from textual.content import Content
from textual.widget import Widget

from netterm.config import clock
from netterm.tui.text import join


def banner_text(status, today: date) -> Content | None:
    """What the banner says for this `services.audit.AuditStatus`, or None: no banner."""
    from netterm.core.audit import span_ago

    key = Content.styled(" A ", "bold reverse")
    if status.in_progress:
        if status.position is None:
            where = "every card is decided"
            then = " to see the summary"
        else:
            where = f"card {status.position + 1:,} / {status.total:,}"
            then = " to resume"
        return join(Content.styled(" Audit in progress: ", "bold"), where, " — press ", key, then)
    if not status.due:
        return None
    if status.last_finished_at is None:
        why = "none finished yet, walk your network one card at a time"
    else:
        finished = status.last_finished_at.in_tz(clock.timezone()).date()
        why = f"the last one finished {span_ago(finished, today)}"
    return join(Content.styled(" Audit due: ", "bold"), why, " — press ", key)


class AuditBanner(Widget):
    DEFAULT_CSS = """
    AuditBanner { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text: Content | None = None
        self.display = False

    def show_status(self, status) -> None:
        """Show what `status` calls for (or hide)."""
        text = banner_text(status, clock.today())
        if text == self.text:
            return
        self.text = text
        self.display = text is not None
        self.refresh()

    def render(self) -> Content:
        return self.text or Content("")

    def on_click(self, event: events.Click) -> None:
        self.app.call_later(self.app.open_screen, "audit")
