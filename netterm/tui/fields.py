"""Label / value lines whose long values wrap under the value, not under the label.

    how met     former colleague at Acme, shared the 2019
                payments launch

A Textual `Static` wraps its text back to column 0; a panel of fields reads badly
then. `Fields` is a Visual (what `Static.update` takes): each row is a prefix (a
label, a date and kind …) and a value; the value is wrapped to the width left after
the prefix and its continuation lines are indented to the value's column. Rows
without a prefix wrap as usual. Used by the detail screen and the audit card.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from netterm.tui.text import join

#: Below this many cells for the value, indenting wastes the room: wrap from column 0.
MIN_VALUE_WIDTH = 12

Row = tuple[Content, Content]


def row(prefix: Content | str, value: Content | str) -> Row:
    as_content = [p if isinstance(p, Content) else Content(p) for p in (prefix, value)]
    return as_content[0], as_content[1]


class Fields(Visual):
    """Rows of (prefix, value); a value's wrapped lines stay under the value column."""

    def __init__(self, rows: Iterable[Row | Content]) -> None:
        self.rows: list[Row] = [r if isinstance(r, tuple) else (Content(""), r) for r in rows]
        self._cache: tuple[int, list[Content]] | None = None

    def __str__(self) -> str:
        """The rows as plain text, one per line (unwrapped)."""
        return "\n".join(f"{p.plain}{v.plain}" for p, v in self.rows)

    def lines(self, width: int) -> list[Content]:
        """The rows laid out in `width` cells."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        out: list[Content] = []
        for prefix, value in self.rows:
            indent = prefix.cell_length
            room = width - indent
            if not indent or room < MIN_VALUE_WIDTH:
                out.extend(_wrap(join(prefix, value), max(1, width)))
                continue
            parts = _wrap(value, room)
            out.append(join(prefix, parts[0]))
            pad = Content(" " * indent)
            out.extend(join(pad, part) for part in parts[1:])
        self._cache = (width, out)
        return out

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not width:
            return []
        return Content("\n").join(self.lines(width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        widths = [
            p.cell_length + max((Content(x).cell_length for x in v.plain.split("\n")), default=0)
            for p, v in self.rows
        ]
        return max(widths, default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


def _wrap(text: Content, width: int) -> list[Content]:
    """`text.wrap(width)`, without the wrapping machinery for a line that fits as it is
    (most do: a timeline of fifty touches is fifty such lines to measure on opening)."""
    plain = text.plain
    if "\n" not in plain and "\t" not in plain and text.cell_length <= width:
        return [text]
    return text.wrap(width) or [Content("")]
