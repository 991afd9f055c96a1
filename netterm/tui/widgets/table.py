"""The contacts table: a virtual list over any number of rows (Textual's Line API).

Nothing here is per contact: the widget holds a reference to a list of
`NetworkRow`s and renders only the lines on screen, each from a cached `Strip`.
30,000 contacts cost one list, not 30,000 widgets. Rows are coloured through
component classes (`contact-table--overdue`, …) that netterm.tcss styles, so a theme
or a user stylesheet can recolour them.

The widget scrolls itself (a first-row index and a scrollbar drawn in its last
column) instead of being a ScrollView: a ScrollView's virtual size is layout state,
so each filter keystroke that changes the number of rows would cost a layout of the
whole screen and an extra frame for the scrollbar. Here it costs one repaint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from netterm.core import status as st
from netterm.core.dates import ago, due_phrase
from netterm.core.explain import urgency_text
from netterm.services.rowviews import NetworkRow
from netterm.tui.keys import in_order, scoped
from netterm.tui.text import literal

#: Short tags for the flags column (the help screen has the legend). "Not reviewed in
#: the last audit" is left to the detail screen and `is:notreviewed`: after an audit is
#: due it is on most rows, and a tag on every row says nothing.
FLAG_TAGS = {
    st.AWAITING_REPLY: "reply",
    st.FOLLOW_UP_DUE: "follow-up",
    st.MEET_IN_PERSON: "meet",
    st.GIVE_BACK: "give",
    st.JOB_CHANGED: "new job",
}
FLAG_ORDER = tuple(FLAG_TAGS)
STATE_CLASS = {s: f"contact-table--{s.replace('_', '-')}" for s in st.STATES}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int  # minimum width in cells
    flex: int = 0  # share of the spare width
    drop: int = 0  # dropped first when narrow: higher drops earlier (0 never)
    right: bool = False


#: The due column: the widest text it shows (4 digits of overdue days: 27 years) + 1.
DUE_WIDTH = max(len(due_phrase(d)) for d in (1234, 0, -1234)) + 1

COLUMNS = (
    Column("state", "state", 12),
    Column("name", "name", 18, flex=2),
    Column("work", "title @ company", 18, flex=3),
    Column("tier", "tier", 4, drop=3),
    Column("categories", "categories", 13, flex=1, drop=2),
    Column("last", "last touch", 13, drop=4),
    # the widest due text ("overdue 1234d") and a blank cell of its own: right-aligned
    # after a cropped "title @ comp…", one gap alone read as one phrase
    Column("due", "due", DUE_WIDTH, right=True),
    # the list's order within a state (days overdue ÷ cadence × tier weight): without
    # it "overdue 3d" above "overdue 35d" looks like a mistake; the detail explains it
    Column("urgency", "urgency", 7, drop=5, right=True),
    Column("flags", "flags", 9, drop=1),
)
#: From this width on, title and company get a column each (instead of "title @ company").
WIDE = 140
WIDE_WORK = (Column("title", "title", 14, flex=2), Column("company", "company", 12, flex=2))
GAP = 1
#: Drawn in the left margin of a marked row.
MARK = "▌"
#: The column each sort order (tui.model.SORTS) is marked on.
SORT_COLUMNS = {"urgency": "state", "name": "name", "last": "last", "company": "work"}


def layout(width: int) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells, with their widths."""
    cols = list(COLUMNS)
    if width >= WIDE:
        i = cols.index(next(c for c in cols if c.key == "work"))
        cols[i : i + 1] = WIDE_WORK
    while True:
        fixed = sum(c.width for c in cols) + GAP * (len(cols) - 1) + 2  # 1-cell margins
        if fixed <= width or not any(c.drop for c in cols):
            break
        cols.remove(max((c for c in cols if c.drop), key=lambda c: c.drop))
    spare = max(0, width - fixed)
    flex = sum(c.flex for c in cols) or 1
    widths = [c.width + spare * c.flex // flex for c in cols]
    # give the rounding remainder to the widest flexible column
    rest = spare - sum(w - c.width for w, c in zip(widths, cols, strict=True))
    if rest:
        i = max(range(len(cols)), key=lambda i: cols[i].flex)
        widths[i] += rest
    return list(zip(cols, widths, strict=True))


def fit(text: str, width: int, right: bool = False) -> str:
    """Crop to `width` cells with an ellipsis, or pad with spaces."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    padded = set_cell_size(text, width)
    if right:
        return " " * (width - cell_len(text)) + text
    return padded


def cell_text(row: NetworkRow, key: str, today: date | None) -> str:
    """The literal text of one cell (user data made printable)."""
    if key == "state":
        return st.STATE_LABELS[row.state]
    if key == "name":
        return literal(row.name)
    if key == "work":
        return literal(row.title_at_company)
    if key == "title":
        return literal(row.title)
    if key == "company":
        return literal(row.company)
    if key == "tier":
        return str(row.tier) if row.tier is not None else "–"
    if key == "categories":
        return literal(", ".join(row.categories))
    if key == "last":
        if row.last_touch is None or today is None:
            return "never" if row.last_touch is None else ""
        return ago(date.fromordinal(row.last_touch), today)
    if key == "due":
        if row.state in (st.UNRESPONSIVE, st.PAUSED, st.ARCHIVED, st.UNTRACKED):
            return ""
        return due_phrase(row.overdue)
    if key == "urgency":
        return urgency_text(row.state, row.overdue, row.urgency)
    if key == "flags":
        return " ".join(FLAG_TAGS[f] for f in FLAG_ORDER if f in row.flags)
    raise KeyError(key)


class ContactTable(Widget, can_focus=True):
    """A fast, keyboard-driven table of contacts, most urgent first."""

    # priority, like the list's own keys: "j j l" typed in one burst logs for the row
    # the two j reach (netterm/tui/keys.py, in_order)
    BINDINGS = scoped(
        "table",
        in_order(
            [
                Binding("down,j", "cursor(1)", "Down", show=False),
                Binding("up,k", "cursor(-1)", "Up", show=False),
                Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False),
                Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False),
                Binding("home,g", "jump(0)", "First row", show=False),
                Binding("end,G", "jump(-1)", "Last row", show=False),
                Binding("enter", "select", "Details", tooltip="Everything about this contact"),
            ]
        ),
    )

    COMPONENT_CLASSES = {
        "contact-table--header",
        "contact-table--cursor",
        "contact-table--secondary",
        "contact-table--flags",
        "contact-table--state",
        "contact-table--empty",
        "contact-table--scrollbar",
        "contact-table--scrollbar-thumb",
        "contact-table--mark",
        *STATE_CLASS.values(),
    }

    DEFAULT_CSS = """
    ContactTable {
        height: 1fr;
    }
    """

    class Selected(Message):
        """Enter (or a click on the current row) on a contact."""

        def __init__(self, table: ContactTable, row: NetworkRow) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[NetworkRow] = []
        self.cursor = 0
        self.top = 0  # index of the first row on screen
        self.sort_column = "state"  # marked ▾ in the header
        self.today: date | None = None
        #: What to say when there are no rows (set by the screen).
        self.empty_message: Callable[[], str] = lambda: "No contacts."
        self._cache: dict[int, Strip] = {}
        self._layout_width = -1
        self._layout: list[tuple[Column, int]] = []
        self._styles: dict[str, Style] = {}
        self._row_styles: dict[tuple[str, bool], tuple] = {}
        #: Ids of marked contacts (the model's set: the screen shares it), drawn with a
        #: bar in the left margin.
        self.marked: set[int] = set()

    # ------------------------------------------------------------------ data
    @property
    def current(self) -> NetworkRow | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def set_rows(self, rows: list[NetworkRow], *, keep: int | None = None) -> None:
        """Show `rows`; the cursor stays on contact `keep` if it is still there, else on
        the same line; the scroll position is kept unless the cursor would leave it."""
        index = None
        if keep is not None:
            index = next((i for i, r in enumerate(rows) if r.id == keep), None)
        self.rows = rows
        self.cursor = self.cursor if index is None else index
        self.cursor = max(0, min(self.cursor, len(rows) - 1))
        self._clamp_top()
        self._scroll_cursor_into_view()
        self.refresh()

    def restyle(self, ids: set[int] | None = None) -> None:
        """Rows that changed (all when None): drop their cached lines, repaint those on
        screen (only those: the other lines are not touched)."""
        if ids is None:
            self._cache.clear()
            self.refresh()
            return
        for cid in ids:
            self._cache.pop(cid, None)
        visible = self.rows[self.top : self.top + self._body_height()]
        for offset, row in enumerate(visible):
            if row.id in ids:
                self._refresh_row(self.top + offset)

    def remark(self, ids: set[int] | None = None) -> None:
        """Marks changed on these rows (all when None): draw them again."""
        self.restyle(ids)

    def set_sort(self, sort: str) -> None:
        """Mark the column the rows are sorted by (a sort name of tui.model.SORTS)."""
        column = SORT_COLUMNS.get(sort, "state")
        if column != self.sort_column:
            self.sort_column = column
            self.refresh(Region(0, 0, self.size.width, 1))

    def set_today(self, today: date | None) -> None:
        if today != self.today:
            self.today = today
            self._cache.clear()
            self.refresh()

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        old, top = self.cursor, self.top
        self.cursor = index
        self._scroll_cursor_into_view()
        if self.top != top:
            self.refresh()
        elif index != old:
            self._refresh_row(old)
            self._refresh_row(index)

    # ------------------------------------------------------------------ actions
    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self._body_height() - 1))

    def action_jump(self, index: int) -> None:
        self.move_to(index if index >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, row))

    def _on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        if event.x >= self.size.width - 1 and len(self.rows) > self._body_height():
            # the scrollbar: jump there
            fraction = (event.y - 1) / max(1, self._body_height() - 1)
            self.scroll_to_row(round(fraction * (len(self.rows) - self._body_height())))
            return
        index = self.top + event.y - 1
        if 0 <= index < len(self.rows):
            again = index == self.cursor
            self.move_to(index)
            if again and event.chain >= 2:
                self.action_select()

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_to_row(self.top + 3)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_to_row(self.top - 3)

    # ------------------------------------------------------------------ scrolling
    def _body_height(self) -> int:
        return max(1, self.size.height - 1)

    def _clamp_top(self) -> None:
        self.top = max(0, min(self.top, len(self.rows) - self._body_height()))

    def scroll_to_row(self, top: int) -> None:
        """Show rows from `top` on (the cursor stays where it is)."""
        before = self.top
        self.top = top
        self._clamp_top()
        if self.top != before:
            self.refresh()

    def _scroll_cursor_into_view(self) -> None:
        body = self._body_height()
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + body:
            self.top = self.cursor - body + 1
        self._clamp_top()

    def _refresh_row(self, index: int) -> None:
        y = index - self.top + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, event: events.Resize) -> None:
        self._clamp_top()
        self._scroll_cursor_into_view()
        self.refresh()

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)

    # ------------------------------------------------------------------ rendering
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._row_styles.clear()
        self._cache.clear()

    def _style(self, name: str) -> Style:
        """The widget's style with component class `name` on top (cached until restyle)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.rich_style + self._partial(name)
        return style

    def _partial(self, name: str) -> Style:
        """What component class `name` sets, and only that, with colours resolved.

        Colours come from the full style, where Textual blends alpha ("$primary 30%")
        and "auto" colours over the background; the partial style says which are set.
        """
        key = "partial:" + name
        style = self._styles.get(key)
        if style is None:
            full = self.get_component_rich_style(name)
            partial = self.get_component_rich_style(name, partial=True)
            style = partial.without_color + Style(
                color=full.color if partial.color is not None else None,
                bgcolor=full.bgcolor if partial.bgcolor is not None else None,
            )
            self._styles[key] = style
        return style

    def _columns(self, width: int) -> list[tuple[Column, int]]:
        if width != self._layout_width:
            self._layout_width = width
            self._layout = layout(width)
            self._cache.clear()
        return self._layout

    def render_line(self, y: int) -> Strip:
        full = self.size.width
        width = full - 1  # the last column is the scrollbar
        columns = self._columns(width)
        if y == 0:
            return self._header(columns, full)
        index = self.top + y - 1
        bar = self._scrollbar(y - 1)
        if not self.rows:
            return Strip.join([self._empty_line(y, width), bar])
        if index >= len(self.rows):
            return Strip.join([Strip.blank(width, self.rich_style), bar])
        row = self.rows[index]
        if index == self.cursor:
            return Strip.join([self._row_strip(row, columns, width, cursor=True), bar])
        strip = self._cache.get(row.id)
        if strip is None:
            if len(self._cache) > 4000:
                self._cache.clear()
            strip = self._cache[row.id] = self._row_strip(row, columns, width, cursor=False)
        return Strip.join([strip, bar])

    def _scrollbar(self, line: int) -> Strip:
        """One cell of the scrollbar, for body line `line`."""
        body = self._body_height()
        total = len(self.rows)
        if total <= body:
            return Strip.blank(1, self.rich_style)
        thumb = max(1, body * body // total)
        start = self.top * (body - thumb) // max(1, total - body)
        name = (
            "contact-table--scrollbar-thumb"
            if start <= line < start + thumb
            else "contact-table--scrollbar"
        )
        return Strip([Segment(" ", self._style(name))], 1)

    def _header(self, columns: list[tuple[Column, int]], width: int) -> Strip:
        style = self._style("contact-table--header")
        sorted_by = (
            {self.sort_column, "company"} if self.sort_column == "work" else {self.sort_column}
        )
        titles = (c.title + (" ▾" if c.key in sorted_by else "") for c, _ in columns)
        text = " " + (" " * GAP).join(
            fit(t, w, c.right) for t, (c, w) in zip(titles, columns, strict=True)
        )
        return Strip([Segment(fit(text, width), style)], width)

    def _empty_line(self, y: int, width: int) -> Strip:
        """The empty message, wrapped from the second body line on."""
        import textwrap

        lines = textwrap.wrap(self.empty_message(), max(10, width - 4)) or [""]
        if 2 <= y < 2 + len(lines):
            message = fit("  " + lines[y - 2], width)
            return Strip([Segment(message, self._style("contact-table--empty"))], width)
        return Strip.blank(width, self.rich_style)

    def _styles_for(self, state: str, cursor: bool) -> tuple:
        """(line style, style per column key, secondary style) of a row (cached)."""
        key = (state, cursor)
        found = self._row_styles.get(key)
        if found is None:
            line = self._style(STATE_CLASS[state])
            secondary = line + self._partial("contact-table--secondary")
            styles = {
                "state": line + self._partial("contact-table--state"),
                "due": line,
                "name": line,
                "flags": line + self._partial("contact-table--flags"),
            }
            if cursor:
                over = self._partial("contact-table--cursor")
                line += over
                secondary += over
                styles = {k: v + over for k, v in styles.items()}
            found = self._row_styles[key] = (line, styles, secondary)
        return found

    def _row_strip(
        self, row: NetworkRow, columns: list[tuple[Column, int]], width: int, cursor: bool
    ) -> Strip:
        line, styles, secondary = self._styles_for(row.state, cursor)
        gap = Segment(" " * GAP, line)
        if row.id in self.marked:  # a glyph, not only a colour: ▌ in the margin
            segments = [Segment(MARK, line + self._partial("contact-table--mark"))]
        else:
            segments = [Segment(" ", line)]
        today = self.today
        used = 1
        for i, (col, w) in enumerate(columns):
            if i:
                segments.append(gap)
                used += GAP
            text = fit(cell_text(row, col.key, today), w, col.right)
            segments.append(Segment(text, styles.get(col.key, secondary)))
            used += w
        if used < width:
            segments.append(Segment(" " * (width - used), line))
        return Strip(segments, max(width, used)).crop(0, width)
