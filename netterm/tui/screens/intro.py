"""`I` on a contact (the detail screen, or the list's selected row): plan an introduction.

A small dialog lists who in the network could help with what the contact is looking
for (services/intros.py ranks them and says why); one key picks. The introduction is
one write (an `intro` touch, *gave*, for both, and a follow-up to check it happened)
and one `u` takes all of it back.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netterm.config import clock
from netterm.core.dates import short_date
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import literal, plain

if TYPE_CHECKING:
    from netterm.services.intros import Match

#: How many matches the dialog offers.
CHOICES = 5


class IntroScreen(ModalScreen[int | None]):
    """Pick the match to introduce `name` to; dismisses with that contact's id."""

    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "intro",
        [
            Binding("escape", "cancel", "Cancel"),
            Binding("enter", "pick", "Introduce", priority=True),
            Binding(
                "1", "pick(1)", "Introduce #1 (2-5: the others)", show=False, id="intro.pick_first"
            ),
            Binding("j", "move(1)", "Down", show=False),
            Binding("k", "move(-1)", "Up", show=False),
            Binding("question_mark,f1", "app.help", "Keys", show=False, tooltip="Every key here"),
        ],
    )
    HELP_TITLE = "Introduce"
    HELP = (
        "j k (or the arrows) choose, enter or 1-5 introduces: an intro touch (gave) is "
        "logged for both, each note naming the other, with a follow-up in 14 days to check "
        "it happened. u undoes all of it in one step."
    )

    def __init__(self, name: str, looking_for: str, matches: list[Match]) -> None:
        super().__init__()
        self.asker = name
        self.looking_for = looking_for
        self.matches = matches[:CHOICES]

    def compose(self) -> ComposeResult:
        with Vertical(id="intro", classes="dialog") as box:
            box.border_title = f"Introduce {literal(self.asker)} to…"
            box.border_subtitle = "enter introduces · 1-5 · esc cancels · ? keys"
            wanted = " ".join(self.looking_for.split())
            yield Static(
                Content.assemble(("looking for  ", "$text-muted"), plain(wanted, "italic")),
                id="intro-wanted",
            )
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (f"{n} ", "bold $text-accent"),
                            (literal(m.name), "bold"),
                            ("  ", ""),
                            plain(m.why.text, "$text-muted"),
                            # already introduced: said, so that nobody is introduced twice
                            *(
                                (("  " + m.introduced, "bold $text-warning"),)
                                if m.introduced
                                else ()
                            ),
                        ),
                        id=str(m.contact_id),
                    )
                    for n, m in enumerate(self.matches, start=1)
                ),
                id="intro-choices",
            )

    def on_mount(self) -> None:
        choices = self.query_one("#intro-choices", OptionList)
        choices.highlighted = 0
        self.set_focus(choices)

    def on_key(self, event: events.Key) -> None:
        """2-5 pick the other matches (one line in the keys, not five)."""
        if event.character and event.character in "2345":
            event.stop()
            self.action_pick(int(event.character))

    def action_move(self, delta: int) -> None:
        choices = self.query_one("#intro-choices", OptionList)
        choices.action_cursor_down() if delta > 0 else choices.action_cursor_up()

    def action_pick(self, number: int | None = None) -> None:
        if number is None:
            index = self.query_one("#intro-choices", OptionList).highlighted
        else:
            index = number - 1
        if index is None or not 0 <= index < len(self.matches):
            self.notify(f"No match number {number}.", severity="warning", markup=False)
            return
        self.dismiss(self.matches[index].contact_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def plan_introduction(app, contact_id: int, after=None) -> None:
    """Open the dialog for `contact_id` (or say why not), then introduce and offer `u`.

    `after()` runs once written and once undone (the detail screen reloads itself).
    """
    from netterm.services import intros

    name, wanted = intros.name_and_looking_for(contact_id)
    if not wanted.strip():
        app.notify(
            f"{name} is not looking for anything yet: e, then 'looking for', records it.",
            markup=False,
        )
        return
    found = intros.matches(contact_id, limit=CHOICES)
    if not found:
        app.notify(f"Nobody in your network matches what {name} is looking for yet.", markup=False)
        return

    def refresh(helper_id: int, *_ignored) -> None:
        app.refresh_contacts([contact_id, helper_id])
        if after is not None:
            after()

    def chosen(helper_id: int | None) -> None:
        if helper_id is None:
            return

        def done(intro: intros.Intro) -> None:
            refresh(helper_id)
            app.push_undo(
                f"introduction of {intro.asker_name} to {intro.helper_name}",
                partial(intros.undo, intro),
                partial(refresh, helper_id),
            )
            app.notify(
                f"{intro.summary}: an intro touch for both, and a follow-up on "
                f"{short_date(intro.follow_up_on, clock.today())}. u undoes.",
                title="Introduced",
                markup=False,
            )

        app.run_write(
            partial(intros.introduce, contact_id, helper_id), done, label="the introduction"
        )

    app.push_screen(IntroScreen(name, wanted, found), chosen)
