"""The header line: what needs attention, and how much of the network is shown.

` netterm  4,340 overdue · 1,144 due soon · 904 unresponsive · audit due     1,743 of 30,000 `

One widget drawing one line (no child per count: it is on screen from the first
frame, and repainting it must not cost a layout). Each part has a component class
(`counts-bar--overdue`, …) that netterm.tcss colours like the rows it counts.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style
from textual.widget import Widget

from netterm.services.rowviews import Counts
from netterm.tui.text import join, plural, thousands

PARTS = ("brand", "overdue", "due-soon", "unresponsive", "follow-ups", "audit", "scope", "marked")


class CountsBar(Widget):
    COMPONENT_CLASSES = {f"counts-bar--{p}" for p in PARTS}
    DEFAULT_CSS = """
    CountsBar { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: Counts | None = None
        self.scope = ""
        self.marked = 0
        self._styles: dict[str, Style] = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}

    def _part(self, name: str, text: str) -> Content:
        style = self._styles.get(name)
        if style is None:
            rich = self.get_component_rich_style(f"counts-bar--{name}", partial=True)
            full = self.get_component_rich_style(f"counts-bar--{name}")
            style = self._styles[name] = Style.from_rich_style(
                rich.without_color
                + type(rich)(
                    color=full.color if rich.color is not None else None,
                    bgcolor=full.bgcolor if rich.bgcolor is not None else None,
                )
            )
        return Content(text).stylize(style)

    def show_counts(self, counts: Counts | None) -> None:
        if counts != self.counts:
            self.counts = counts
            self.refresh()

    def show_scope(self, shown: int, total: int, loading: bool) -> None:
        if loading:
            text = f"{thousands(shown)} shown, loading… "
        elif shown == total:
            text = f"{plural(total, 'contact')} "
        else:
            text = f"{thousands(shown)} of {thousands(total)} "
        if text != self.scope:
            self.scope = text
            self.refresh()

    def show_marked(self, marked: int) -> None:
        """How many contacts are marked for a bulk action (nothing shown when none)."""
        if marked != self.marked:
            self.marked = marked
            self.refresh()

    def headline(self) -> str:
        """The counts as plain text (what the line says, for tests and screen readers)."""
        return self.render().plain

    def render(self) -> Content:
        right = self._part("scope", self.scope)
        if self.marked:
            right = join(self._part("marked", f" {thousands(self.marked)} marked "), " ", right)
        left = self._left(short=False)
        if left.cell_length + 1 + right.cell_length > self.size.width:
            # a narrow terminal: shorter words, so the scope ("250 contacts") stays whole
            left = self._left(short=True)
        gap = max(1, self.size.width - left.cell_length - right.cell_length)
        return join(left, " " * gap, right)

    def _left(self, *, short: bool) -> Content:
        c = self.counts
        parts = [self._part("brand", " netterm "), Content(" ")]
        if c is None:
            parts.append(self._part("scope", "counting… "))
            return join(*parts)
        parts += [
            self._part("overdue", f"{thousands(c.overdue)} overdue"),
            " · ",
            self._part("due-soon", f"{thousands(c.due_soon)} {'soon' if short else 'due soon'}"),
            " · ",
            self._part(
                "unresponsive",
                f"{thousands(c.unresponsive)} {'unresp.' if short else 'unresponsive'}",
            ),
        ]
        if c.follow_ups_due:
            text = (
                f"{thousands(c.follow_ups_due)} f-up"
                if short
                else f"{plural(c.follow_ups_due, 'follow-up')} due"
            )
            parts += [" · ", self._part("follow-ups", text)]
        if c.audit_due:
            parts += [" · ", self._part("audit", "audit" if short else "audit due")]
        return join(*parts)
