"""The header line: what needs attention, and what the list shows.

`netterm  4,340 overdue · 1,144 due soon · 904 unresponsive · audit due    1,743 of 30,000`

Each count is its own label with a class (`.overdue`, `.due-soon`, …) so the stylesheet
colours them like the rows they count.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from netterm.services.views import Counts
from netterm.tui.text import plural, thousands


class CountsBar(Horizontal):
    DEFAULT_CSS = """
    CountsBar { height: 1; }
    CountsBar Label { width: auto; }
    CountsBar #counts-spacer { width: 1fr; }
    CountsBar #shown { width: 18; text-align: right; }
    """

    def compose(self) -> ComposeResult:
        yield Label(" netterm ", id="brand")
        yield Label("", id="n-overdue", classes="count overdue")
        yield Label("", id="n-due-soon", classes="count due-soon")
        yield Label("", id="n-unresponsive", classes="count unresponsive")
        yield Label("", id="n-follow-ups", classes="count follow-ups")
        yield Label("", id="n-audit", classes="count audit")
        yield Label("", id="counts-spacer")
        yield Label("", id="shown")

    _texts: dict[str, str] = {}

    def _put(self, id_: str, text: str, *, layout: bool = True) -> None:
        """Change a label only when its text changes (each change costs a repaint)."""
        if self._texts.get(id_) == text:
            return
        self._texts = {**self._texts, id_: text}
        label = self.query_one(f"#{id_}", Label)
        label.update(text, layout=layout)
        label.display = bool(text)

    def show_counts(self, counts: Counts | None) -> None:
        put = self._put

        if counts is None:
            put("n-overdue", " counting… ")
            for id_ in ("n-due-soon", "n-unresponsive", "n-follow-ups", "n-audit"):
                put(id_, "")
            return
        put("n-overdue", f" {thousands(counts.overdue)} overdue ")
        put("n-due-soon", f"· {thousands(counts.due_soon)} due soon ")
        put("n-unresponsive", f"· {thousands(counts.unresponsive)} unresponsive ")
        follow = counts.follow_ups_due
        put("n-follow-ups", f"· {plural(follow, 'follow-up')} due " if follow else "")
        put("n-audit", "· audit due " if counts.audit_due else "")

    def show_scope(self, shown: int, total: int, loading: bool) -> None:
        if loading:
            text = f"{thousands(shown)} shown, loading… "
        elif shown == total:
            text = f"{plural(total, 'contact')} "
        else:
            text = f"{thousands(shown)} of {thousands(total)} "
        self._put("shown", text, layout=False)  # fixed width: no new layout per keystroke
