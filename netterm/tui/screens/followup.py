"""`f` on a contact: plan a follow-up ("in 2 weeks: send the article on pricing")."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from netterm import services
from netterm.config import clock
from netterm.core.dates import parse_date, short_date
from netterm.errors import InvalidInput, NetTermError
from netterm.tui.guard import recoverable
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import literal, plain


class FollowUpScreen(ModalScreen[bool]):
    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "followup",
        [
            Binding("escape", "cancel", "Cancel"),
            Binding("ctrl+s", "save", "Save"),
        ],
    )
    HELP_TITLE = "Follow-up"

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id

    def compose(self) -> ComposeResult:
        name = services.get_contact(self.contact_id).name
        with Vertical(id="follow-up", classes="dialog") as box:
            box.border_title = "Plan a follow-up"
            box.border_subtitle = "enter saves · esc cancels"
            yield Static(Content.assemble(("with ", "$text-muted"), (literal(name), "bold")))
            with Horizontal(classes="ql-row"):
                yield Label("when", classes="ql-label")
                yield Input(value="in 1 week", id="fu-when", select_on_focus=True)
                yield Static(id="fu-when-parsed")
            with Horizontal(classes="ql-row"):
                yield Label("what", classes="ql-label")
                yield Input(placeholder="e.g. send the article on pricing", id="fu-text")
            yield Static(id="fu-error", classes="form-error")

    def on_mount(self) -> None:
        self._preview()
        self.set_focus(self.query_one("#fu-text", Input))

    @on(Input.Changed, "#fu-when")
    def _preview(self) -> None:
        parsed = self.query_one("#fu-when-parsed", Static)
        text = self.query_one("#fu-when", Input).value
        today = clock.today()
        try:
            due = parse_date(text, today, prefer="future")
        except InvalidInput as exc:
            parsed.update(Content.styled("?", "bold $text-error"))
            self._error(str(exc))
            return
        self._error("")
        parsed.update(
            Content.styled(f"→ {due.strftime('%a')} {short_date(due, today)}", "$text-success")
        )

    def _error(self, text: str) -> None:
        error = self.query_one("#fu-error", Static)
        error.update(plain(text))
        error.display = bool(text)

    @on(Input.Submitted)
    @recoverable
    def action_save(self) -> None:
        cid = self.contact_id
        when = self.query_one("#fu-when", Input).value
        text = self.query_one("#fu-text", Input).value
        errors: list[BaseException] = []

        def done(follow) -> None:
            self.app.push_undo(
                f"follow-up '{follow.text}'",
                partial(services.delete_follow_up, follow.id),
                lambda _result: self.app.refresh_contacts([cid]),
            )
            self.app.notify("Follow-up planned. u undoes.", markup=False)
            if self.is_attached:
                self.dismiss(True)
            else:
                self.app.refresh_contacts([cid])

        def failed(exc: BaseException) -> None:
            if self.is_attached and isinstance(exc, NetTermError):
                errors.append(exc)
                self._error(str(exc))
            else:
                self.app.notify(str(exc), title="Not planned", severity="error", markup=False)

        self.app.run_write(
            partial(services.add_follow_up, cid, when, text),
            done,
            failed=failed,
            label="the follow-up",
        )
        if not errors and self.is_attached and self.app.screen is self:
            self.dismiss(False)  # waiting for another process's lock: planned when it is free

    def action_cancel(self) -> None:
        self.dismiss(False)
