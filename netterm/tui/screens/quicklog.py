"""Quick-log: `l` then `enter` logs a coffee chat today with the selected contact.

One key picks another kind (c coffee, l lunch, p call, e email, …); the date field
takes the command line's phrases ("yesterday", "last friday", "3 days ago") and shows
the date it understood as you type; `w` marks an attempt that waits for a reply, `v`
cycles gave / received. Opened without a contact, it starts with a picker: type a few
letters of a name.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from netterm import services
from netterm.config import clock
from netterm.core.dates import ago, short_date
from netterm.core.kinds import DEFAULT_KIND, GAVE, NONE, OUT, RECEIVED, TOUCH_KINDS
from netterm.errors import InvalidInput, NetTermError
from netterm.services.touches import TouchInput
from netterm.services.views import TouchView
from netterm.tui.guard import recoverable
from netterm.tui.keys import scoped
from netterm.tui.pick import match_contacts
from netterm.tui.screens import STYLES
from netterm.tui.text import join, literal, plain

VALUE_CYCLE = (NONE, GAVE, RECEIVED)


class KindPicker(Widget, can_focus=True):
    """The touch kinds, one key each; the chosen one is highlighted."""

    DEFAULT_CSS = """
    KindPicker { height: auto; }
    """
    BINDINGS = scoped(
        "quicklog-kind",
        [
            *(
                Binding(k.key, f"pick('{k.name}')", k.label, show=False)
                for k in TOUCH_KINDS.values()
            ),
            Binding("right", "step(1)", "Next kind", show=False),
            Binding("left", "step(-1)", "Previous kind", show=False),
        ],
    )

    kind: reactive[str] = reactive(DEFAULT_KIND)

    class Changed(Message):
        """Another kind was picked."""

    def watch_kind(self) -> None:
        self.post_message(self.Changed())

    def render(self) -> Content:
        parts = []
        for k in TOUCH_KINDS.values():
            chosen = k.name == self.kind
            key = Content.styled(k.key, "bold $text-accent underline" if not chosen else "bold")
            # "c" + "offee", or "p:call" when the key is not the first letter
            rest = k.name[1:] if k.name.startswith(k.key) else ":" + k.name
            label = join(key, rest)
            piece = join(" ", label, " ")
            if chosen:
                piece = piece.stylize("reverse bold")
            parts.append(piece)
        return Content(" ").join(parts)

    def action_pick(self, name: str) -> None:
        self.kind = name

    def action_step(self, delta: int) -> None:
        names = list(TOUCH_KINDS)
        self.kind = names[(names.index(self.kind) + delta) % len(names)]


class TouchFieldKeys:
    """What the quick-log and the touch editor (touchedit.py) share over the touch's
    fields (the kinds line, `#ql-when`, `#ql-note`) and their `awaiting` and `value`
    reactives: the keys that change them, a new preview after every change, and the
    check shown under the fields. Each screen says what its preview shows (`_preview`,
    which ends with `_show_checked`), how it checks the touch (`_check`) and what
    "gave/received" stands at before a key is pressed (`_touch_value`)."""

    awaiting: bool
    value: str | None

    def _preview(self) -> TouchInput | None:
        raise NotImplementedError

    def _touch_value(self) -> str:
        raise NotImplementedError

    def watch_awaiting(self) -> None:
        self._preview()

    def watch_value(self) -> None:
        self._preview()

    def action_toggle_awaiting(self) -> None:
        self.awaiting = not self.awaiting

    def action_cycle_value(self) -> None:
        current = self._touch_value()
        self.value = VALUE_CYCLE[(VALUE_CYCLE.index(current) + 1) % len(VALUE_CYCLE)]

    def action_focus_when(self: Any) -> None:
        self.set_focus(self.query_one("#ql-when", Input))

    def action_focus_note(self: Any) -> None:
        self.set_focus(self.query_one("#ql-note", Input))

    def _kind(self: Any) -> str:
        return self.query_one(KindPicker).kind

    def _check(self) -> TouchInput:
        raise NotImplementedError

    def _show_checked(self: Any, toggles: Content) -> TouchInput | None:
        """Show the toggles' line, check the touch (`_check`: the service's rules) and
        show the date it understood, or the error: the touch, or None when it is wrong."""
        self.query_one("#ql-toggles", Static).update(toggles)
        parsed = self.query_one("#ql-when-parsed", Static)
        try:
            touch = self._check()
        except InvalidInput as exc:
            if exc.field == "date":
                parsed.update(Content.styled("?", "bold $text-error"))
            self._error(str(exc))
            return None
        today = clock.today()
        day = touch.occurred_on
        parsed.update(
            Content.styled(
                f"→ {day.strftime('%a')} {short_date(day, today)} ({ago(day, today)})",
                "$text-success",
            )
        )
        self._error("")
        return touch

    def _error(self: Any, text: str) -> None:
        error = self.query_one("#ql-error", Static)
        error.update(plain(text))
        error.display = bool(text)


class QuickLog(TouchFieldKeys, ModalScreen[TouchView | None]):
    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "quicklog",
        [
            Binding("escape", "cancel", "Cancel"),
            Binding("q", "cancel", "Cancel", show=False),
            Binding("enter", "log", "Log"),
            Binding("w", "toggle_awaiting", "Awaiting reply", tooltip="An attempt that waits"),
            Binding("v", "cycle_value", "Gave/received", tooltip="Cycle none, gave, received"),
            Binding("d", "focus_when", "Date", tooltip="Edit the date"),
            Binding("n", "focus_note", "Note", tooltip="Add a note"),
            Binding(
                "ctrl+e",
                "external_edit",
                "Note in editor",
                show=False,
                priority=True,  # over the note field's own ctrl+e (end of line: end still is)
                tooltip="Write a long note in $VISUAL / $EDITOR",
            ),
            # a modal screen does not reach the app's keys: ? (outside a text field) and f1
            Binding("question_mark,f1", "app.help", "Keys", show=False, tooltip="Every key here"),
            Binding("down", "pick_move(1)", "Next match", show=False),
            Binding("up", "pick_move(-1)", "Previous match", show=False),
        ],
    )
    HELP_TITLE = "Quick-log"
    HELP = (
        "Kinds: "
        + ", ".join(f"{k.key} {k.name}" for k in TOUCH_KINDS.values())
        + ". The date takes today, yesterday, '3 days ago', 'last friday' or 2026-11-20; "
        "the clock restarts at the date of the touch, not the day you log it."
    )

    awaiting: reactive[bool] = reactive(False)
    value: reactive[str | None] = reactive(None)  # None: the kind's default

    def __init__(self, contact_id: int | None) -> None:
        super().__init__()
        self.contact_id = contact_id
        self._matches: list = []
        #: a note written in the editor (ctrl+e), its lines kept: the field shows it on
        #: one line, and typing there replaces it
        self._long_note: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="quicklog") as box:
            box.border_title = "Log a touch"
            box.border_subtitle = "enter logs · d date · n note · esc cancels · ? keys"
            with Vertical(id="ql-picker"):
                with Horizontal(classes="ql-row"):
                    yield Label("with", classes="ql-label")
                    yield Input(placeholder="type a name…", id="ql-who")
                yield OptionList(id="ql-matches")
            with Horizontal(classes="ql-row", id="ql-who-row"):
                yield Label("with", classes="ql-label")
                yield Static(id="ql-contact")
            with Horizontal(classes="ql-row ql-tall"):
                yield Label("kind", classes="ql-label")
                yield KindPicker(id="ql-kind")
            with Horizontal(classes="ql-row"):
                yield Label("when", classes="ql-label")
                yield Input(placeholder="e.g. yesterday, 3 days ago", id="ql-when")
                yield Static(id="ql-when-parsed")
            with Horizontal(classes="ql-row"):
                yield Label("note", classes="ql-label")
                yield Input(placeholder="optional, e.g. what you talked about", id="ql-note")
            with Horizontal(classes="ql-row"):
                yield Label("", classes="ql-label")
                yield Static(id="ql-toggles")
            yield Static(id="ql-error")

    def on_mount(self) -> None:
        if self.contact_id is None:
            self.query_one("#ql-who-row").display = False
            self.query_one("#ql-matches").display = False
            self.set_focus(self.query_one("#ql-who", Input))
        else:
            self._show_contact()
        self._preview()

    # ------------------------------------------------------------------ the contact
    def _show_contact(self) -> None:
        self.query_one("#ql-picker").display = False
        row = self.app.row(self.contact_id)
        if row is not None:
            name, work = row.name, row.title_at_company
        else:
            d = services.get_contact(self.contact_id)
            name, work = d.name, d.title_at_company
        self._name = name
        text = join(Content.styled(literal(name), "bold"))
        if work:
            text = join(text, Content.styled("  " + literal(work), "$text-muted"))
        self.query_one("#ql-contact", Static).update(text)
        self.query_one("#ql-who-row").display = True
        self.set_focus(self.query_one(KindPicker))

    @on(Input.Changed, "#ql-who")
    def _who_changed(self, event: Input.Changed) -> None:
        self._matches = match_contacts(self.app.model.all_rows(), event.value, limit=8)
        options = self.query_one("#ql-matches", OptionList)
        options.clear_options()
        for row in self._matches:
            prompt = Content.styled(literal(row.name), "bold")
            if row.title_at_company:
                prompt = join(
                    prompt, Content.styled("  " + literal(row.title_at_company), "$text-muted")
                )
            options.add_option(Option(prompt, id=str(row.id)))
        options.display = bool(self._matches) or bool(event.value.strip())
        if self._matches:
            options.highlighted = 0
        elif event.value.strip():
            options.add_option(
                Option(Content.styled("nobody by that name", "italic"), disabled=True)
            )

    @on(Input.Submitted, "#ql-who")
    def _who_submitted(self) -> None:
        options = self.query_one("#ql-matches", OptionList)
        if options.highlighted is None or not self._matches:
            self._error("Type a few letters of a name, then enter.")
            return
        self._choose(self._matches[options.highlighted].id)

    @on(OptionList.OptionSelected, "#ql-matches")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._choose(int(event.option.id))

    @recoverable
    def _choose(self, contact_id: int) -> None:
        self.contact_id = contact_id
        self._error("")
        self._show_contact()

    def action_pick_move(self, delta: int) -> None:
        options = self.query_one("#ql-matches", OptionList)
        if self.contact_id is not None or not self._matches:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._matches) - 1, current + delta))

    # ------------------------------------------------------------------ the touch
    @on(KindPicker.Changed)
    @on(Input.Changed, "#ql-when")
    def _inputs_changed(self) -> None:
        self._preview()

    @staticmethod
    def _one_line(text: str) -> str:
        return " ⏎ ".join(line for line in text.splitlines())

    def _note(self) -> str:
        shown = self.query_one("#ql-note", Input).value
        if self._long_note is not None and shown == self._one_line(self._long_note):
            return self._long_note
        return shown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "external_edit":  # in the name and date fields ctrl+e is end of line
            focused = self.focused
            return not (isinstance(focused, Input) and focused.id in ("ql-who", "ql-when"))
        return True

    def action_external_edit(self) -> None:
        text = self.app.edit_externally(self._note(), "note")
        if text is not None:
            text = text.strip("\n")  # blank lines around it are no part of the note
            self._long_note = text
            note = self.query_one("#ql-note", Input)
            note.value = self._one_line(text)
            note.focus()

    def _touch_value(self) -> str:
        if self.value is not None:
            return self.value
        kind = TOUCH_KINDS[self._kind()]
        return kind.value if kind.direction == OUT else NONE

    def _check(self) -> TouchInput:
        # the rules (future dates, attempts, invitations) are the service's, for every path
        return services.check_touch(
            self._kind(),
            self.query_one("#ql-when", Input).value or None,
            note=self._note(),
            awaiting_reply=self.awaiting,
            value=self._touch_value(),
        )

    def _preview(self) -> TouchInput | None:
        value = self._touch_value()
        toggles = join(
            Content.styled("w", "bold $text-accent"),
            " awaiting reply: ",
            Content.styled("yes" if self.awaiting else "no", "bold" if self.awaiting else ""),
            (
                Content.styled(" (an invitation: not met yet)", "$text-muted")
                if self.awaiting and TOUCH_KINDS[self._kind()].in_person
                else ""
            ),
            "    ",
            Content.styled("v", "bold $text-accent"),
            " value: ",
            Content.styled(value, "bold" if value != NONE else ""),
        )
        return self._show_checked(toggles)

    # ------------------------------------------------------------------ submit
    @on(Input.Submitted, "#ql-when, #ql-note")
    def _submitted(self) -> None:
        self.action_log()

    @recoverable
    def action_log(self) -> None:
        if self.contact_id is None:
            self._who_submitted()
            return
        touch = self._preview()
        if touch is None:
            return
        cid, name = self.contact_id, self._name
        errors: list[BaseException] = []

        def done(view: TouchView) -> None:
            if self.is_attached:
                self.dismiss(view)
            self.app.logged(view, name)

        def failed(exc: BaseException) -> None:
            if self.is_attached and isinstance(exc, NetTermError):
                errors.append(exc)  # the dialog stays, with the reason
                self._error(str(exc))
            else:
                self.app.notify(str(exc), title="Not logged", severity="error", markup=False)

        self.app.run_write(
            lambda: services.record_touch(cid, touch),
            done,
            failed=failed,
            label=f"the {touch.kind}",
        )
        if not errors and self.is_attached and self.app.screen is self:
            self.dismiss(None)  # waiting for another process's lock: logged when it is free

    def action_cancel(self) -> None:
        self.dismiss(None)
