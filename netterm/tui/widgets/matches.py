"""The detail screen's "Who could help" box: the best matches for what the contact is
looking for, each with why (services/intros.py). Hidden when they look for nothing."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from netterm.tui.fields import Fields, row
from netterm.tui.text import literal, plain

#: Matches the box shows.
SHOWN = 3


class MatchesBox(Static):
    def show_for(self, contact_id: int, looking_for: str) -> None:
        from netterm.services import intros

        if not looking_for.strip():
            self.display = False
            return
        self.display = True
        self.border_title = "Who could help"
        # shown unasked: who was already introduced to them is left out (the timeline
        # has the intro; `I` and `netterm matches` list them, marked)
        found = intros.matches(contact_id, limit=SHOWN, introduced=False)
        if not found:
            self.border_subtitle = ""
            self.update(Content.styled("nobody in the network matches yet", "italic $text-muted"))
            return
        self.border_subtitle = "I introduces"
        rows: list = []
        for m in found:  # the name, then why under it (wrapped lines stay indented)
            rows.append(Content.styled(literal(m.name), "bold"))
            rows.append(row("  ", plain(m.why.text, "$text-muted")))
        self.update(Fields(rows))
