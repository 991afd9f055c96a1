"""Categories to tick: the existing ones (space ticks), and a field to create a new one.

Used by the contact form and by the audit's "set categories" dialog.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, SelectionList, Static

from netterm import services
from netterm.tui.text import literal
from netterm.tui.widgets.toggles import TickList


class CategoryPicker(Vertical):
    DEFAULT_CSS = """
    CategoryPicker { height: auto; }
    """

    def __init__(self, chosen: Iterable[str] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.chosen = {c.casefold() for c in chosen}

    def compose(self) -> ComposeResult:
        yield TickList[str](
            *(
                (Content(literal(name)), name, name.casefold() in self.chosen)
                for name, _count in services.list_categories()
            ),
            id="f-categories",
        )
        yield Input(placeholder="new category, e.g. former classmates", id="new-category")
        yield Static(id="err-categories", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#err-categories", Static).display = False

    @property
    def options(self) -> SelectionList:
        return self.query_one("#f-categories", SelectionList)

    @property
    def selected(self) -> list[str]:
        """The ticked categories, in the list's order."""
        return list(self.options.selected)

    @on(Input.Submitted, "#new-category")
    def _new_category(self, event: Input.Submitted) -> None:
        """Enter in the field: tick the category of that name, creating it if new."""
        event.stop()
        name = " ".join(event.value.split())
        if not name:
            return
        options = self.options
        existing = {
            str(options.get_option_at_index(i).value).casefold(): i
            for i in range(options.option_count)
        }
        if name.casefold() in existing:
            options.select(options.get_option_at_index(existing[name.casefold()]).value)
        else:
            options.add_option((Content(literal(name)), name, True))
        event.input.value = ""
