"""`A` on a filtered or marked list: which contacts to audit, asked in one small dialog.

The contacts marked (space, *), the N the filter shows, or the whole network; while an
audit is in progress, resuming it (one audit at a time: another part waits until it is
finished). Dismissed with an `AuditChoice`, or None (esc).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import literal, thousands


@dataclass(frozen=True, slots=True)
class AuditChoice:
    #: the contacts to audit (None: the whole network, or resume the audit in progress)
    only: list[int] | None
    scope: str = ""  # "the 12 marked", "the 3,000 shown by is:untracked"


class AuditScopeDialog(ModalScreen[AuditChoice | None]):
    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "audit-scope",
        [
            Binding("m", "choose('marked')", "The marked", tooltip="Audit just the marked"),
            Binding("f", "choose('shown')", "The shown", tooltip="Audit just the rows shown"),
            Binding("w", "choose('all')", "Whole network", tooltip="Audit the whole network"),
            Binding("r", "choose('resume')", "Resume", tooltip="Resume the audit in progress"),
            Binding("enter", "choose('default')", "Go", tooltip="The first choice listed"),
            Binding("escape", "cancel", "Cancel"),
            Binding("question_mark,f1", "app.help", "Keys", show=False, tooltip="Every key here"),
        ],
    )
    AUTO_FOCUS = ""
    HELP_TITLE = "Which contacts to audit"
    HELP = (
        "An audit of a part walks just those contacts, in the audit's order (priority "
        "first, stalest first), and is resumable like the full audit: q leaves it, A "
        "resumes it. It counts as the network's six-monthly audit only if it holds "
        "everyone the full audit would; otherwise the 'audit due' line stays. One audit at "
        "a time: finish the one in progress (F on its card) before auditing another part."
    )

    def __init__(
        self,
        *,
        marked: list[int],
        shown: list[int] | None,
        query: str = "",
        in_progress: str | None = None,
    ) -> None:
        """`shown`: the rows a filter shows (None: no filter); `in_progress`: how the audit
        in progress is described ("the partial audit of the 12 marked, card 3 / 12")."""
        super().__init__()
        self.marked = marked
        self.shown = shown
        self.filter_text = query
        self.in_progress = in_progress

    def _choices(self) -> list[tuple[str, str, str]]:
        """(name, key, text) of what can be chosen now, the default first."""
        if self.in_progress is not None:
            return [("resume", "r", f"resume {self.in_progress}")]
        out = []
        if self.marked:
            out.append(("marked", "m", f"the {thousands(len(self.marked))} marked"))
        if self.shown is not None:
            n = thousands(len(self.shown))
            out.append(("shown", "f", f"the {n} shown by {self.filter_text}"))
        out.append(("all", "w", "the whole network"))
        return out

    def compose(self) -> ComposeResult:
        with Vertical(id="audit-scope", classes="dialog") as box:
            box.border_title = "Audit which contacts?"
            box.border_subtitle = "a key chooses · enter the first · esc cancels · ? keys"
            for _name, key, text in self._choices():
                yield Static(
                    Content.assemble((f" {key} ", "bold $text-accent"), literal(text)),
                    classes="scope-choice",
                )
            if self.in_progress is not None:
                yield Static(
                    Content.styled(
                        "One audit at a time: finish it (F on its card) to audit another part.",
                        "$text-muted",
                    ),
                    id="scope-note",
                )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            name = parameters[0]
            return name == "default" or any(c[0] == name for c in self._choices())
        return True

    def action_choose(self, name: str) -> None:
        choices = self._choices()
        if name == "default":
            name = choices[0][0]
        if name == "marked":
            text = next(t for n, _, t in choices if n == "marked")
            self.dismiss(AuditChoice(list(self.marked), text))
        elif name == "shown" and self.shown is not None:
            text = next(t for n, _, t in choices if n == "shown")
            self.dismiss(AuditChoice(list(self.shown), text))
        else:  # the whole network, or resume the audit in progress
            self.dismiss(AuditChoice(None))

    def action_cancel(self) -> None:
        self.dismiss(None)
