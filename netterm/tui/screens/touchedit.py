"""`e` on a timeline row: correct a touch (kind, date, note, direction, in person, awaiting).

The dialog shows the touch as it is; what you change is checked as you type, by the
same `services.check_touch` the quick-log and `netterm log` use (nothing is written
until `enter`). It returns only the fields that changed, as `services.edit_touch` takes
them; the detail screen writes them and `u` takes the correction back.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from netterm import services
from netterm.core.kinds import DIRECTIONS, TOUCH_KINDS
from netterm.services.touches import TouchInput
from netterm.services.views import TouchView
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.screens.quicklog import VALUE_CYCLE, KindPicker, TouchFieldKeys
from netterm.tui.text import join, literal

DIRECTION_WORDS = {"out": "sent (out)", "in": "from them (in)", "mutual": "together (mutual)"}


class TouchEditor(TouchFieldKeys, ModalScreen[dict | None]):
    """Returns the changed fields (`edit_touch`'s keywords), {} if none, None on cancel."""

    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "touch",
        [
            Binding("escape", "cancel", "Cancel"),
            Binding("enter,ctrl+s", "save", "Save"),
            Binding("o", "cycle_direction", "Direction", tooltip="Sent, from them, together"),
            Binding("r", "toggle_in_person", "In person/remote", tooltip="Met face to face or not"),
            Binding("w", "toggle_awaiting", "Awaiting reply", tooltip="An attempt that waits"),
            Binding("v", "cycle_value", "Gave/received", tooltip="Cycle none, gave, received"),
            Binding("d", "focus_when", "Date", tooltip="Edit the date"),
            Binding("n", "focus_note", "Note", tooltip="Edit the note"),
            Binding("question_mark,f1", "app.help", "Keys", show=False, tooltip="Every key here"),
        ],
    )
    HELP_TITLE = "Edit a touch"
    HELP = (
        "The kind keys (c coffee, l lunch, p call, e email, …) change the kind while the "
        "kinds line has the focus; tab moves between the fields. A new kind brings its own "
        "direction and in-person default, which o and r change. enter saves, u on the "
        "contact's page takes the correction back."
    )

    direction: reactive[str] = reactive("out")
    in_person: reactive[bool] = reactive(False)
    awaiting: reactive[bool] = reactive(False)
    value: reactive[str] = reactive("none")

    def __init__(self, touch: TouchView, name: str) -> None:
        super().__init__()
        self.touch = touch
        self.contact_name = name
        self._kind_seen = touch.kind

    def compose(self) -> ComposeResult:
        t = self.touch
        with Vertical(id="quicklog", classes="touch-edit") as box:
            box.border_title = f"Edit touch #{t.id}"
            box.border_subtitle = "enter saves · esc cancels · ? keys"
            with Horizontal(classes="ql-row"):
                yield Label("with", classes="ql-label")
                yield Static(Content.styled(literal(self.contact_name), "bold"))
            with Horizontal(classes="ql-row ql-tall"):
                yield Label("kind", classes="ql-label")
                yield KindPicker(id="ql-kind")
            with Horizontal(classes="ql-row"):
                yield Label("when", classes="ql-label")
                yield Input(value=t.occurred_on.isoformat(), id="ql-when", select_on_focus=False)
                yield Static(id="ql-when-parsed")
            with Horizontal(classes="ql-row"):
                yield Label("note", classes="ql-label")
                yield Input(
                    value=t.note, placeholder="optional, e.g. what you talked about", id="ql-note"
                )
            with Horizontal(classes="ql-row"):
                yield Label("", classes="ql-label")
                yield Static(id="ql-toggles")
            if t.source != "typed":
                yield Static(
                    Content.styled(
                        f"From {t.source}: a re-import keeps your correction.", "$text-muted"
                    ),
                    classes="ql-row",
                )
            yield Static(id="ql-error")

    def on_mount(self) -> None:
        t = self.touch
        picker = self.query_one(KindPicker)
        if t.kind in TOUCH_KINDS:
            picker.set_reactive(KindPicker.kind, t.kind)
        self.set_reactive(TouchEditor.direction, t.direction)
        self.set_reactive(TouchEditor.in_person, t.in_person)
        self.set_reactive(TouchEditor.awaiting, t.awaiting_reply)
        self.set_reactive(TouchEditor.value, t.value)
        picker.refresh()
        self.set_focus(picker)
        self._preview()

    # ------------------------------------------------------------------ changes
    @on(KindPicker.Changed)
    def _kind_changed(self) -> None:
        kind = TOUCH_KINDS[self._kind()]
        if kind.name != self._kind_seen:  # a new kind brings its defaults, as in log
            self._kind_seen = kind.name
            self.direction = kind.direction
            self.in_person = kind.in_person
            if kind.direction != "out":
                self.awaiting = False
        self._preview()

    @on(Input.Changed)
    def _input_changed(self) -> None:
        self._preview()

    def watch_direction(self) -> None:
        self._preview()

    def watch_in_person(self) -> None:
        self._preview()

    def action_cycle_direction(self) -> None:
        self.direction = DIRECTIONS[(DIRECTIONS.index(self.direction) + 1) % len(DIRECTIONS)]

    def action_toggle_in_person(self) -> None:
        self.in_person = not self.in_person

    # ------------------------------------------------------------------ checking
    def _touch_value(self) -> str:
        return self.value if self.value in VALUE_CYCLE else "none"

    def _when(self) -> str | None:
        """The date typed, or None while it still says the touch's own date."""
        text = self.query_one("#ql-when", Input).value.strip()
        return None if text == self.touch.occurred_on.isoformat() else text

    def changes(self) -> dict:
        """What differs from the touch, as `services.edit_touch` takes it."""
        t = self.touch
        kind = self._kind()
        now = {
            "kind": kind,
            "note": self.query_one("#ql-note", Input).value,
            "direction": self.direction,
            "in_person": self.in_person,
            "awaiting_reply": self.awaiting,
            "value": self.value,
        }
        was = {
            "kind": t.kind,
            "note": t.note,
            "direction": t.direction,
            "in_person": t.in_person,
            "awaiting_reply": t.awaiting_reply,
            "value": t.value,
        }
        # a new kind: say every flag, or the service would take the kind's defaults
        out = dict(now) if kind != t.kind else {k: v for k, v in now.items() if v != was[k]}
        when = self._when()
        if when is not None:
            out["when"] = when
        return out

    def _check(self) -> TouchInput:
        """The touch as it would be saved (raises InvalidInput as saving would)."""
        when = self._when()
        return services.check_touch(
            self._kind(),
            when if when is not None else self.touch.occurred_at,
            note=self.query_one("#ql-note", Input).value,
            direction=self.direction,
            in_person=self.in_person,
            awaiting_reply=self.awaiting,
            value=self.value,
        )

    def _preview(self) -> TouchInput | None:
        if not self.is_mounted:
            return None
        toggles = join(
            Content.styled("o", "bold $text-accent"),
            " ",
            Content.styled(DIRECTION_WORDS.get(self.direction, self.direction), "bold"),
            "   ",
            Content.styled("r", "bold $text-accent"),
            " ",
            Content.styled("in person" if self.in_person else "remote", "bold"),
            "   ",
            Content.styled("w", "bold $text-accent"),
            " awaiting reply: ",
            Content.styled("yes" if self.awaiting else "no", "bold" if self.awaiting else ""),
            "   ",
            Content.styled("v", "bold $text-accent"),
            " ",
            Content.styled(self.value, "bold" if self.value != "none" else ""),
        )
        return self._show_checked(toggles)

    # ------------------------------------------------------------------ closing
    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self._preview() is None:
            return  # the error is on screen
        self.dismiss(self.changes())

    def action_cancel(self) -> None:
        self.dismiss(None)
