"""The filter bar under the contacts table: `/`, the query, and what is wrong with it.

Hidden until `/` is pressed.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from netterm.tui.text import plain

FILTER_HINT = 'words, is:overdue, tier:1, cat:"former classmates", company:acme, -is:paused'


class FilterInput(Input):
    """The filter field. It applies the filter as its value changes, inside the same
    keystroke, so the field and the list repaint in one frame; through the usual
    Changed message the list would be one frame (up to ~17 ms) behind the field."""

    def __init__(self, apply: Callable[[str], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self._apply = apply

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if self.is_mounted:
            self._apply(value)


class FilterBar(Vertical):
    def __init__(self, apply: Callable[[str], None], done: Callable[[str], None]) -> None:
        super().__init__(id="filter-bar")
        self._apply = apply
        self._done = done

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done(event.value)

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-line"):
            yield Label("/", id="filter-prompt")
            yield FilterInput(
                self._apply, placeholder=FILTER_HINT, id="filter-input", select_on_focus=False
            )
        yield Static("", id="filter-error")

    @property
    def input(self) -> Input:
        return self.query_one(FilterInput)

    def show_error(self, text: str) -> None:
        error = self.query_one("#filter-error", Static)
        if text:
            error.update(plain(text))
        if error.display != bool(text):
            error.display = bool(text)
