"""Checkboxes, radio buttons and tick lists whose state shows in the glyph, not only in
its colour: Textual draws an `X` in both states (bright when on, dim when off), which
reads the same in a light theme, a monochrome terminal or to a colour-blind eye. Here
a ticked box shows ✓ (a chosen radio button ●) and an unticked one is empty.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList

TICKED, UNTICKED = "✓", " "
CHOSEN = "●"
Value = TypeVar("Value")


class Tick(Checkbox):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return TICKED if self.value else UNTICKED


class Radio(RadioButton):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return CHOSEN if self.value else UNTICKED


class TickList(SelectionList[Value], Generic[Value]):
    """A SelectionList whose boxes show ✓ when ticked, nothing when not."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset.y + y
        if len(segments) < 3 or not 0 <= index < self.option_count:
            return strip
        ticked = self.get_option_at_index(index).value in self._selected
        text, style, control = segments[1]
        if len(text) != 1:  # not the box (a line Textual drew otherwise)
            return strip
        segments[1] = Segment(TICKED if ticked else UNTICKED, style, control)
        return Strip(segments, strip.cell_length)
