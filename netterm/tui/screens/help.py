"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from netterm.tui.text import join


def binding_rows(screen: Screen) -> list[tuple[str, str, str, bool]]:
    """(keys, description, tooltip, everywhere) for each binding active on `screen`."""
    app = screen.app
    grouped: dict[int, list] = {}
    order: list[int] = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        ident = id(binding)
        if ident not in grouped:
            grouped[ident] = [[], binding, active.node is app]
            order.append(ident)
        shown = app.get_key_display(Binding(key, binding.action, key_display=None))
        if binding.key_display and len(grouped[ident][0]) == 0:
            shown = binding.key_display
        grouped[ident][0].append(shown)
    rows = []
    for ident in order:
        keys, binding, everywhere = grouped[ident]
        rows.append(
            (" ".join(dict.fromkeys(keys)), binding.description, binding.tooltip, everywhere)
        )
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", key_display="esc"),
    ]

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
            yield Static(self._section("Everywhere", everywhere), classes="help-keys")
            extra = getattr(self.target, "HELP", "")
            if extra:
                yield Static(Content(extra), classes="help-notes")

    @staticmethod
    def _section(title: str, rows) -> Content:
        lines = [Content.styled(title, "bold $accent")]
        width = max((len(k) for k, *_ in rows), default=4) + 2
        for keys, description, tooltip, _ in rows:
            note = Content.styled(f"  {tooltip}", "$text-muted") if tooltip else Content("")
            lines.append(
                join(Content.styled(f"  {keys:<{width}}", "bold $text-accent"), description, note)
            )
        if len(lines) == 1:
            lines.append(Content.styled("  (none)", "$text-muted"))
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss()
