"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from netterm.tui.fields import Fields, row
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import join

#: Textual's own keys that every screen has; listed under "Everywhere".
GENERIC_ACTIONS = {"app.focus_next", "app.focus_previous", "command_palette", "quit"}
#: Keys not worth a line in the help (terminal conventions).
HIDDEN_ACTIONS = {"screen.copy_text"}
#: Textual's scrolling keys (of a scrollable container): one line of the help.
SCROLL_ACTIONS = {
    "scroll_up",
    "scroll_down",
    "scroll_left",
    "scroll_right",
    "scroll_home",
    "scroll_end",
    "page_up",
    "page_down",
    "page_left",
    "page_right",
}
DESCRIPTIONS = {"command_palette": "Command palette: every action, and go to contact …"}


def binding_rows(screen: Screen) -> list[tuple[str, str, str, bool]]:
    """(keys, description, tooltip, everywhere) for each action bound on `screen` now.

    Keys bound to the same action are listed together ("↓ j  Down").
    """
    app = screen.app
    grouped: dict[tuple[int, str], list] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in HIDDEN_ACTIONS:
            continue
        ident = (id(active.node), binding.action)
        everywhere = active.node is app or binding.action in GENERIC_ACTIONS
        entry = grouped.setdefault(ident, [[], binding, everywhere])
        shown = app.get_key_display(Binding(key, binding.action))
        entry[0].append(shown)
    rows = []
    scroll: list[str] = []
    # the screen's own keys first, then its widgets', Textual's scrolling keys on one
    # line at the end (not ten lines before the keys that matter)
    ordered = sorted(grouped.items(), key=lambda item: (item[1][2], item[0][0] != id(screen)))
    for (_, action), (keys, binding, everywhere) in ordered:
        if action in SCROLL_ACTIONS:
            scroll.extend(keys)
            continue
        description = DESCRIPTIONS.get(binding.action, binding.description)
        tooltip = "" if binding.action in GENERIC_ACTIONS else binding.tooltip
        rows.append((" ".join(dict.fromkeys(keys)), description, tooltip, everywhere))
    if scroll:
        rows.append((" ".join(dict.fromkeys(scroll)), "Scroll", "", False))
    return rows


class HelpScreen(ModalScreen[None]):
    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "help",
        [
            Binding("escape,question_mark,q", "close", "Close", key_display="esc"),
        ],
    )

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel") as panel:
            title = getattr(self.target, "HELP_TITLE", None) or type(
                self.target
            ).__name__.removesuffix("Screen")
            panel.border_title = f"Keys · {title}"
            panel.border_subtitle = "esc closes"
            here = [r for r in binding_rows(self.target) if not r[3]]
            everywhere = [r for r in binding_rows(self.target) if r[3]]
            yield Static(self._section("On this screen", here), classes="help-keys")
            everywhere = [(k, d, "", e) for k, d, _tooltip, e in everywhere]  # self-explanatory
            yield Static(self._section("Everywhere", everywhere), classes="help-keys")
            extra = getattr(self.target, "HELP", "")
            if extra:
                yield Static(Content(extra), classes="help-notes")

    @staticmethod
    def _section(title: str, rows) -> Fields:
        """Keys, what they do, and a longer word on it that wraps under itself."""
        lines: list = [Content.styled(title, "bold $accent")]
        width = max((len(k) for k, *_ in rows), default=4) + 2
        words = max((len(d) for _, d, *_ in rows), default=4) + 2
        for keys, description, tooltip, _ in rows:
            lines.append(
                row(
                    join(
                        Content.styled(f"  {keys:<{width}}", "bold $text-accent"),
                        f"{description:<{words}}",
                    ),
                    Content.styled(tooltip, "$text-muted"),
                )
            )
        if len(lines) == 1:
            lines.append(Content.styled("  (none)", "$text-muted"))
        return Fields(lines)

    def action_close(self) -> None:
        self.dismiss()
