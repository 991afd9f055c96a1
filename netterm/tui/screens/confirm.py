"""A yes/no question that cannot be answered by accident."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import plain


class ConfirmScreen(ModalScreen[bool]):
    """`question` with two buttons; `y`/`n` (or the buttons) answer, esc says no."""

    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "confirm",
        [
            Binding("y", "answer(True)", "Yes"),
            Binding("n,escape", "answer(False)", "No"),
        ],
    )
    HELP_TITLE = "Confirm"

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(plain(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="confirm-yes")
                yield Button(f"{self.no} (n)", variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
