"""The audit's small dialogs: snooze until a date, set the categories, merge a duplicate.

Each takes a `submit` callback that records the decision (through
`netterm.services.audit`, as one of the app's writes: `NettermApp.run_write`) and
returns what to refresh on screen afterwards. If it raises one of netterm's errors (a
date in the past, a card decided elsewhere …) the message is shown in the dialog, which
stays open; nothing was recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from netterm.config import clock
from netterm.core.dates import ago, parse_date, short_date
from netterm.errors import InvalidInput, NetTermError
from netterm.services import audit
from netterm.services.audit import AuditCard
from netterm.tui.guard import recoverable
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import join, literal, plain
from netterm.tui.widgets.categories import CategoryPicker

#: What a dialog's `submit` returns: what to refresh on screen once it is written.
After = Callable[[], None] | None


def _whose(words: str, name: str) -> Content:
    """ "no reminders for **Ana Silva**": whom the dialog is about."""
    return join(Content.styled(words, "$text-muted"), Content.styled(literal(name), "bold"))


class _Dialog(ModalScreen[bool]):
    """A dialog that records a decision: errors stay in it, success closes it."""

    CSS_PATH = STYLES  # screens.tcss

    def _error(self, text: str) -> None:
        error = self.query_one(".dialog-error", Static)
        error.update(plain(text))
        error.display = bool(text)

    @recoverable
    def _submit(self, call: Callable[[], After]) -> None:
        """`call` writes (it may run in a thread if another process holds the lock) and
        returns what to do then on screen, or None."""

        def done(after: Callable[[], None] | None) -> None:
            if self.is_attached:
                self.dismiss(True)
            if after is not None:
                after()

        def failed(exc: BaseException) -> None:
            if self.is_attached and isinstance(exc, NetTermError):
                self._error(str(exc))
            else:
                self.notify(str(exc), title="That did not work", severity="error", markup=False)

        self.app.run_write(call, done, failed=failed, label="the audit decision")

    def action_cancel(self) -> None:
        self.dismiss(False)


class SnoozeDialog(_Dialog):
    BINDINGS = scoped("audit-snooze", [Binding("escape", "cancel", "Cancel")])
    HELP_TITLE = "Snooze"
    HELP = (
        "No reminders until that day (included): 'in 3 months', 'next month', "
        "'1 March', 2027-03-01. The contact is marked reviewed."
    )

    def __init__(self, name: str, submit: Callable[[str], After]) -> None:
        super().__init__()
        self.contact_name = name
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(id="snooze", classes="dialog") as box:
            box.border_title = "Snooze"
            box.border_subtitle = "enter snoozes · esc cancels"
            yield Static(_whose("no reminders for ", self.contact_name))
            with Horizontal(classes="ql-row"):
                yield Label("until", classes="ql-label")
                yield Input(value="in 3 months", id="sz-until", select_on_focus=True)
                yield Static(id="sz-parsed")
            yield Static(classes="dialog-error")

    def on_mount(self) -> None:
        self._preview()
        self.set_focus(self.query_one("#sz-until", Input))

    @on(Input.Changed, "#sz-until")
    def _preview(self) -> None:
        parsed = self.query_one("#sz-parsed", Static)
        today = clock.today()
        try:
            day = parse_date(self.query_one("#sz-until", Input).value, today, prefer="future")
        except InvalidInput as exc:
            parsed.update(Content.styled("?", "bold $text-error"))
            self._error(str(exc))
            return
        if day < today:
            parsed.update(Content.styled("?", "bold $text-error"))
            self._error(f"{short_date(day, today)} is in the past")
            return
        self._error("")
        parsed.update(
            Content.styled(
                f"→ {day.strftime('%a')} {short_date(day, today)} ({ago(day, today)})",
                "$text-success",
            )
        )

    @on(Input.Submitted, "#sz-until")
    def _submitted(self, event: Input.Submitted) -> None:
        self._submit(lambda: self.submit(event.value))


class CategoriesDialog(_Dialog):
    BINDINGS = scoped(
        "audit-categories",
        [
            Binding("ctrl+s", "save", "Save", priority=True),
            Binding("escape", "cancel", "Cancel"),
        ],
    )
    HELP_TITLE = "Categories"
    HELP = (
        "space ticks or unticks a category; type a new one in the field and press enter "
        "to create and tick it. ctrl+s saves: the contact's categories become the ticked ones."
    )

    def __init__(self, name: str, chosen: list[str], submit: Callable[[list[str]], After]) -> None:
        super().__init__()
        self.contact_name = name
        self.chosen = chosen
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(id="categories", classes="dialog") as box:
            box.border_title = "Categories"
            box.border_subtitle = "space ticks · ctrl+s saves · esc cancels"
            yield Static(_whose("of ", self.contact_name))
            yield CategoryPicker(self.chosen)
            yield Static(classes="dialog-error")

    def on_mount(self) -> None:
        self._error("")
        self.set_focus(self.query_one(CategoryPicker).options)

    def action_save(self) -> None:
        names = self.query_one(CategoryPicker).selected
        self._submit(lambda: self.submit(names))


class MergeDialog(_Dialog):
    """Which duplicate, which record is kept, and what would move: then y merges."""

    BINDINGS = scoped(
        "audit-merge",
        [
            Binding("y,enter", "merge", "Merge", priority=True),
            Binding("s", "swap", "Swap", tooltip="Keep the other record instead"),
            Binding("n,escape", "cancel", "Cancel"),
        ],
    )
    HELP_TITLE = "Merge"
    HELP = (
        "The kept record gets every touch, contact method, category, career row and "
        "follow-up of the other, and its empty fields are filled from it; the other is "
        "archived, not deleted. The older record is kept unless you swap. b on the card "
        "undoes the merge exactly."
    )

    def __init__(
        self, card: AuditCard, submit: Callable[[int, int], After], first: int | None = None
    ) -> None:
        super().__init__()
        self.card = card
        self.submit = submit
        ids = [m.id for m in card.duplicates]
        self.other = first if first in ids else ids[0]
        self.keep: int | None = None  # None: the older record

    def compose(self) -> ComposeResult:
        with Vertical(id="merge", classes="dialog") as box:
            box.border_title = "Merge duplicates"
            box.border_subtitle = "y merges · s swaps which is kept · esc cancels"
            if len(self.card.duplicates) > 1:
                yield Static(Content.styled("with (↑ ↓ choose)", "$text-muted"))
                yield OptionList(
                    *(
                        Option(
                            join(
                                Content.styled(f"#{m.id} ", "$text-muted"),
                                Content.styled(literal(m.name), "bold"),
                                Content.styled("  " + literal(m.why), "$text-muted"),
                            ),
                            id=str(m.id),
                        )
                        for m in self.card.duplicates
                    ),
                    id="merge-with",
                )
            yield Static(id="merge-preview")
            yield Static(classes="dialog-error")

    def on_mount(self) -> None:
        if len(self.card.duplicates) > 1:
            options = self.query_one("#merge-with", OptionList)
            options.highlighted = [m.id for m in self.card.duplicates].index(self.other)
            self.set_focus(options)
        self._preview()

    @on(OptionList.OptionHighlighted, "#merge-with")
    def _chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and int(event.option.id) != self.other:
            self.other = int(event.option.id)
            self.keep = None
            self._preview()

    @recoverable
    def _preview(self) -> None:
        try:
            preview = audit.merge_preview(self.card.position, self.other, keep=self.keep)
        except NetTermError as exc:
            self._error(str(exc))
            return
        self.keep = preview.into_id
        self._error("")
        self.query_one("#merge-preview", Static).update(
            join(
                Content.styled("keeps ", "$text-muted"),
                Content.styled(f"#{preview.into_id} {literal(preview.into_name)}", "bold"),
                Content.styled(",  archives ", "$text-muted"),
                Content.styled(f"#{preview.source_id} {literal(preview.source_name)}", "bold"),
                "\n\n",
                plain(preview.sentence()),
            )
        )

    def action_swap(self) -> None:
        if self.keep is None:
            return
        self.keep = self.other if self.keep == self.card.contact.id else self.card.contact.id
        self._preview()

    def action_merge(self) -> None:
        other, keep = self.other, self.keep
        if keep is None:
            return
        self._submit(lambda: self.submit(other, keep))
