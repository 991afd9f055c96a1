"""The key bar at the bottom: the main keys of the current screen, on one line.

A light stand-in for Textual's Footer, which composes one widget per key: opening a
screen with it cost ~100 ms here, this costs one line of text. Keys are shown as the
bindings say (`show=True`), disabled ones dimmed, the command palette on the right;
a click on a key runs it.

When the keys do not fit on one line (80 columns), the screen's last keys give way;
quitting, help and the palette always stay. A screen that lists its actions, most
important first, in `KEY_IMPORTANCE` (the list's) gets more: its keys are packed closer
first, then the least important give way (those it does not list before, the last
first), and help says "? more": every key is in it.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

from netterm.tui.text import join

BUSY_STYLE = "bold reverse $text-warning"
#: What help says when some keys gave way (the help screen lists every key).
MORE = "more"


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, wrap: bool = False) -> None:
        super().__init__()
        #: With `wrap`, keys that do not fit go on a second line (the audit has many);
        #: otherwise the screen's last keys give way.
        self.wrap = wrap
        if wrap:
            self.styles.height = "auto"
        self._spans: list[tuple[int, int, int, object, str]] = []
        self._drawn: object = None  # what the last render showed (see _bindings_changed)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        busy = getattr(self.app, "busy_changed", None)
        if busy is not None:  # the app waits for another process's lock: say so here
            busy.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, _screen) -> None:
        # Textual signals after every focus change and binding check, mostly with the
        # same keys: repainting the bar then cost a frame of its own (the last one of
        # opening a screen), for the same line.
        if self._drawn is not None and self._state() != self._drawn:
            self.refresh()  # (before its first render, that render shows the keys)

    def _state(self) -> tuple:
        """What the bar shows: its keys, the palette's, and whether a write waits."""
        items, palette = self._items()
        return items, palette, bool(getattr(self.app, "busy", None))

    def _items(self):
        """(key display, description, node, action, enabled) to show, and the palette's."""
        app = self.app
        items, palette, seen = [], None, set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            entry = (app.get_key_display(binding), binding.description, active.node, binding.action)
            if key == app.COMMAND_PALETTE_BINDING:
                palette = (*entry, active.enabled)
                continue
            ident = (id(active.node), binding.action)
            if not binding.show or ident in seen:
                continue
            seen.add(ident)
            items.append((*entry, active.enabled))
        return items, palette

    @staticmethod
    def _piece(
        display: str, description: str, enabled: bool = True, compact: bool = False
    ) -> Content:
        piece = join(
            Content.styled(
                f"{display} " if compact else f" {display} ", "bold $footer-key-foreground"
            ),
            Content.styled(f"{description} ", "$footer-description-foreground"),
        )
        return piece if enabled else piece.stylize("dim")

    def _lines(self, pieces: list, width: int) -> list[list]:
        lines: list[list] = [[]]
        used = 0
        for piece in pieces:
            if self.wrap and lines[-1] and used + piece[0].cell_length > width:
                lines.append([])
                used = 0
            lines[-1].append(piece)
            used += piece[0].cell_length
        return lines

    def render(self) -> Content:
        self._drawn = self._state()
        items, palette, _busy = self._drawn
        importance = getattr(self.screen, "KEY_IMPORTANCE", None)
        width = self.size.width
        right = None
        busy = getattr(self.app, "busy", None)  # a write waits for another process's lock
        for compact in (False, True):
            pieces = [
                (self._piece(d, text, on, compact), node, action)
                for d, text, node, action, on in items
            ]
            if palette is not None:
                display, description, node, action, _enabled = palette
                right = (self._piece(display, description, compact=compact), node, action)
            if busy:
                right = (
                    Content.styled(" ⏳ saving: another netterm is writing ", BUSY_STYLE),
                    None,
                    "",
                )
            reserved = right[0].cell_length + 1 if right else 0
            lines = self._lines(pieces, width)
            last_width = sum(p.cell_length for p, _, _ in lines[-1]) + reserved
            # A bar that does not fit (a wrapped one that needs a third line: the audit's
            # at 80 columns) packs its keys closer (one space between them), to show
            # every key or as many as can be.
            if self.wrap:
                if len(lines) <= 2 and last_width <= width:
                    break
            elif importance is None or last_width <= width:
                break
        # The last line's least important keys give way: quitting, help and the palette
        # (the app's keys, on the right) always stay in view, and help says "more".
        last = lines[-1]
        rank = self._importance(importance or ())
        dropped = False
        while last and sum(p.cell_length for p, _, _ in last) + reserved > width:
            droppable = [i for i, (_, node, _) in enumerate(last) if node is not self.app]
            if not droppable:
                break
            del last[max(droppable, key=lambda i: (rank(last[i][2]), i))]
            dropped = True
        if dropped and importance is not None:  # "? more": the help screen has them
            for i, (_, node, action) in enumerate(last):
                if action == "help" and node is self.app:
                    display = next(d for d, _, n, a, _ in items if n is node and a == action)
                    last[i] = (self._piece(display, MORE, compact=compact), node, action)
        spans: list[tuple[int, int, int, object, str]] = []
        out: list[Content] = []
        for y, line_pieces in enumerate(lines):
            x = 0
            for piece, node, action in line_pieces:
                spans.append((y, x, x + piece.cell_length, node, action))
                x += piece.cell_length
            line = join(*(p for p, _, _ in line_pieces))
            if right is not None and y == len(lines) - 1:
                gap = width - line.cell_length - right[0].cell_length
                if gap >= 1:
                    start = line.cell_length + gap
                    spans.append((y, start, start + right[0].cell_length, right[1], right[2]))
                    line = join(line, " " * gap, right[0])
            out.append(line)
        self._spans = spans
        return Content("\n").join(out)

    @staticmethod
    def _importance(actions):
        """The rank of an action on this bar (lower: more important, stays longer)."""
        order = {a: i for i, a in enumerate(actions)}
        return lambda action: order.get(action, len(order))

    def on_click(self, event: events.Click) -> None:
        for y, start, end, node, action in self._spans:
            if y == event.y and start <= event.x < end and action:
                self.app.call_later(self.app.run_action, action, node)
                return
