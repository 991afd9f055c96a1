"""`b` on the contacts list: one action for every marked contact, undone by one `u`.

The dialog lists the actions with their keys; an action that needs a value (the note
of an update, a tier, a category, a snooze date, a file) asks for it on one line and
previews what it understood. Each action is one transaction (netterm/services/bulk.py).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from netterm.errors import NetTermError
from netterm.tui.guard import recoverable
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import plain, thousands

#: key → (action of services.bulk or "copy"/"write", label, prompt, default value)
ACTIONS: dict[str, tuple[str, str, str | None, str]] = {
    "u": ("log", "log an update (one note for all)", "note", ""),
    "y": ("copy", "copy their e-mail addresses", None, ""),
    "w": ("write", "write a BCC list to a file", "file", "~/netterm-bcc.txt"),
    "c": ("category", "add a category", "category", ""),
    "minus": ("uncategory", "remove a category", "category", ""),
    "t": ("tier", "set the tier (1, 2, 3, untracked)", "tier", ""),
    "z": ("snooze", "snooze until…", "until", "in 3 months"),
    "x": ("archive", "archive (never deletes)", None, ""),
}
_SHOWN_KEY = {"minus": "-"}
#: The value field's placeholder: a hint, phrased as one, never a value.
HINTS = {
    "u": "e.g. I joined Globex as Head of Product",
    "w": "e.g. ~/netterm-bcc.txt",
    "c": "e.g. investors",
    "minus": "e.g. investors",
    "t": "one of 1, 2, 3, untracked",
    "z": "e.g. in 3 months, 2027-03-01",
}


class BulkScreen(ModalScreen[None]):
    """The marked contacts' actions. The app's `u` undoes whatever one of them did."""

    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "bulk",
        [
            *(
                # priority: the action runs (and focuses the value field) before the keys
                # typed right after it are dispatched, so "t3" in one burst sets tier 3
                Binding(
                    key,
                    f"choose('{key}')",
                    label,
                    key_display=_SHOWN_KEY.get(key),
                    priority=True,
                    id=f"bulk.{action}",
                )
                for key, (action, label, _, _) in ACTIONS.items()
            ),
            Binding("escape", "cancel", "Cancel"),
            Binding("question_mark,f1", "app.help", "Keys", show=False, tooltip="Every key here"),
        ],
    )
    AUTO_FOCUS = ""  # the value field takes the keys only once an action asks for it
    HELP_TITLE = "Marked contacts"
    HELP = "Each action is one transaction; u on the list undoes it in one step."

    def __init__(self, ids: list[int]) -> None:
        super().__init__()
        self.ids = ids
        self.chosen: str | None = None  # the key of the action waiting for its value

    def compose(self) -> ComposeResult:
        n = len(self.ids)
        with Vertical(id="bulk", classes="dialog") as box:
            box.border_title = f"{thousands(n)} marked contact" + ("" if n == 1 else "s")
            box.border_subtitle = "a key acts · esc cancels"
            for key, (_, label, _, _) in ACTIONS.items():
                yield Static(
                    Content.assemble((f" {_SHOWN_KEY.get(key, key)} ", "bold $text-accent"), label),
                    classes="bulk-choice",
                )
            with Horizontal(classes="ql-row", id="bulk-ask"):
                yield Label("", classes="ql-label", id="bulk-prompt")
                yield Input(id="bulk-value", select_on_focus=True)
                yield Static(id="bulk-parsed")
            yield Static(id="bulk-error", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one("#bulk-ask").display = False
        self.value_input.can_focus = False
        self._error("")

    @property
    def value_input(self) -> Input:
        return self.query_one("#bulk-value", Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # once an action asks for its value, the keys are typed into it
        return not (action == "choose" and self.chosen is not None)

    # ------------------------------------------------------------------ choosing
    @recoverable
    def action_choose(self, key: str) -> None:
        action, label, prompt, default = ACTIONS[key]
        if prompt is None:
            self._run(action, None)
            return
        self.chosen = key
        self.query_one("#bulk-prompt", Label).update(prompt)
        self.query_one("#bulk-ask").display = True
        self.value_input.value = default
        self.value_input.placeholder = HINTS.get(key, label)
        self.value_input.can_focus = True
        self.set_focus(self.value_input)
        self._preview()
        self.refresh_bindings()

    def action_cancel(self) -> None:
        if self.chosen is not None:  # back to the list of actions
            self.chosen = None
            self.query_one("#bulk-ask").display = False
            self._error("")
            self.value_input.can_focus = False
            self.set_focus(None)
            self.refresh_bindings()
            return
        self.dismiss(None)

    @on(Input.Changed, "#bulk-value")
    def _preview(self) -> None:
        """What the value means, as it is typed (the snooze's day, the tier's name)."""
        from netterm.services import bulk

        parsed = self.query_one("#bulk-parsed", Static)
        if self.chosen is None:
            return
        action = ACTIONS[self.chosen][0]
        if action not in ("tier", "snooze"):
            parsed.update("")
            return
        try:
            checked = bulk.check(action, self.value_input.value)
        except NetTermError as exc:
            parsed.update(Content.styled("?", "bold $text-error"))
            self._error(str(exc) if self.value_input.value.strip() else "")
            return
        self._error("")
        if action == "snooze":
            parsed.update(Content.styled(f"→ {checked.value.isoformat()}", "$text-success"))
        else:
            from netterm.core.kinds import TIER_NAMES

            parsed.update(Content.styled(f"→ {TIER_NAMES[checked.value]}", "$text-success"))

    @on(Input.Submitted, "#bulk-value")
    @recoverable
    def _submitted(self) -> None:
        if self.chosen is not None:
            self._run(ACTIONS[self.chosen][0], self.value_input.value)

    # ------------------------------------------------------------------ acting
    def _run(self, action: str, value: str | None) -> None:
        errors: list[BaseException] = []

        def failed(exc: BaseException) -> None:
            if self.is_attached and isinstance(exc, NetTermError):
                errors.append(exc)  # a bad value: say so here, the dialog stays
                self._error(str(exc))
            else:
                self.app.notify(str(exc), title="That did not work", severity="error", markup=False)

        try:
            if action == "copy":
                self.app.copy_addresses(self.ids)
            elif action == "write":
                self.app.write_addresses(self.ids, value or "")
            else:  # one of the app's writes (it may wait for another process's lock)
                self.app.bulk(self.ids, action, value, failed=failed)
        except NetTermError as exc:
            self._error(str(exc))
            return
        if not errors:
            self.dismiss(None)

    def _error(self, text: str) -> None:
        error = self.query_one("#bulk-error", Static)
        error.update(plain(text))
        error.display = bool(text)
