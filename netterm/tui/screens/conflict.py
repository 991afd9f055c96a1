"""The contact form's save met a newer version: what you typed against what they saved.

One row per field both sides touched differently, or that they changed and you did not
(then "yours" is the original). `m` keeps yours, `t` takes theirs, or choose field by
field (up/down, left/right or space) and `enter` saves the merge; `esc` goes back to
the form. The form (netterm/tui/screens/form.py) does the loading and saving; this
screen only returns the choice, {field: "mine" | "theirs"}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import literal

Side = Literal["mine", "theirs"]


@dataclass(frozen=True)
class ConflictField:
    """One field of the conflict, its values shown as one line each."""

    key: str
    label: str
    mine: str
    theirs: str
    #: you changed it in the form (otherwise "mine" is the original, unchanged)
    changed: bool


def _cell(text: str, hint: str) -> Content:
    shown = " ".join(text.split()) if text.strip() else ""
    body = Content(literal(shown)) if shown else Content.styled("(empty)", "italic $text-muted")
    if hint:
        return Content.assemble(body, (f"  {hint}", "$text-muted"))
    return body


class ConflictRow(Horizontal):
    DEFAULT_CSS = """
    ConflictRow { height: 1; }
    ConflictRow .cf-label { width: 14; color: $text-muted; text-style: bold; }
    ConflictRow .cf-value {
        width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ConflictRow .cf-value.-chosen { background: $success 30%; text-style: bold; }
    ConflictRow.-cursor .cf-label { color: $text; background: $primary 40%; }
    """

    def __init__(self, field: ConflictField, choice: Side) -> None:
        super().__init__(classes="cf-row")
        self.field = field
        self.choice: Side = choice

    def compose(self) -> ComposeResult:
        f = self.field
        yield Static(f.label, classes="cf-label", markup=False)
        yield Static(_cell(f.mine, "" if f.changed else "(original)"), classes="cf-value cf-mine")
        yield Static(_cell(f.theirs, ""), classes="cf-value cf-theirs")

    def on_mount(self) -> None:
        self.choose(self.choice)

    def choose(self, side: Side) -> None:
        self.choice = side
        for cell in self.query(".cf-value"):
            cell.set_class(cell.has_class("cf-mine") == (side == "mine"), "-chosen")


class ConflictScreen(ModalScreen[dict[str, Side] | None]):
    """Dismisses with {field: side} (a choice per row), or None (`esc`: back to the form)."""

    CSS_PATH = STYLES  # screens.tcss

    DEFAULT_CSS = """
    #conflict { height: auto; max-height: 95%; }
    #conflict-intro { margin-bottom: 1; }
    #conflict .cf-head { height: 1; }
    #conflict .cf-head Static { color: $text-muted; text-style: bold; padding: 0 1; }
    #conflict .cf-head .cf-label { width: 14; padding: 0; }
    #conflict .cf-head .cf-value { width: 1fr; }
    #conflict-rows { height: auto; max-height: 12; }
    #conflict-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = scoped(
        "conflict",
        [
            Binding("m", "all('mine')", "Keep mine", tooltip="All yours, saved"),
            Binding("t", "all('theirs')", "Take theirs", tooltip="All theirs"),
            Binding("up,k", "move(-1)", "Previous field", show=False),
            Binding("down,j", "move(1)", "Next field", show=False),
            Binding("left", "pick('mine')", "Mine for this field", show=False),
            Binding("right", "pick('theirs')", "Theirs for this field", show=False),
            Binding("space", "flip", "Toggle mine / theirs", show=False),
            Binding("enter", "apply", "Save the merge"),
            Binding("escape", "cancel", "Back to the form"),
            Binding("question_mark", "app.help", "Keys", show=False),
        ],
    )
    HELP_TITLE = "Conflict: saved elsewhere meanwhile"
    HELP = (
        "Someone saved this contact after you opened the form. Each row is a field: what "
        "you typed (or the original, when you did not change it) and what they saved. "
        "The highlighted value is the one that will be saved."
    )

    def __init__(self, name: str, fields: list[ConflictField]) -> None:
        super().__init__()
        self.contact_name = name
        self.fields = fields
        self.cursor = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict", classes="dialog") as box:
            box.border_title = "Changed elsewhere"
            box.border_subtitle = "m mine · t theirs · ←/→ per field · enter saves · esc back"
            yield Static(
                Content.assemble(
                    (literal(self.contact_name), "bold"),
                    " was saved on another device after you opened it. Nothing is saved yet:"
                    " choose, field by field, which value to keep.",
                ),
                id="conflict-intro",
            )
            with Horizontal(classes="cf-head"):
                yield Static("", classes="cf-label")
                yield Static("yours", classes="cf-value")
                yield Static("theirs (saved)", classes="cf-value")
            with VerticalScroll(id="conflict-rows", can_focus=False):
                for f in self.fields:
                    yield ConflictRow(f, "mine" if f.changed else "theirs")
            yield Static(
                "The highlighted value of each field is saved. ↑/↓ a field, ←/→ or space "
                "chooses; m keeps all yours, t takes all theirs; ? help.",
                id="conflict-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self._show_cursor()

    def _rows(self) -> list[ConflictRow]:
        return list(self.query(ConflictRow))

    def _show_cursor(self) -> None:
        for i, row in enumerate(self._rows()):
            row.set_class(i == self.cursor, "-cursor")
            if i == self.cursor:
                row.scroll_visible()

    def action_move(self, step: int) -> None:
        rows = self._rows()
        if rows:
            self.cursor = max(0, min(len(rows) - 1, self.cursor + step))
            self._show_cursor()

    def action_pick(self, side: Side) -> None:
        rows = self._rows()
        if rows:
            rows[self.cursor].choose(side)

    def action_flip(self) -> None:
        rows = self._rows()
        if rows:
            row = rows[self.cursor]
            row.choose("theirs" if row.choice == "mine" else "mine")

    def choices(self) -> dict[str, Side]:
        return {row.field.key: row.choice for row in self._rows()}

    def action_all(self, side: Side) -> None:
        self.dismiss({f.key: side for f in self.fields})

    def action_apply(self) -> None:
        self.dismiss(self.choices())

    def action_cancel(self) -> None:
        self.dismiss(None)
