"""The Insights screen (`i`): the health of the network at a glance, in charts.

Six panels, each with a caption that states its figure in words: touches per month by
kind group, health by tier (and since the last audit), the attention budget, reciprocity,
categories and the priority people not met face to face. `tab`/`shift+tab` move between
the panels' tables; `enter` on a row drills into the contacts list filtered to it (the
filter language of core/query.py) or opens the contact.

The charts are textual-plotext widgets (docs/insights.md says why and what it costs):
this module imports it, and this module is imported only when the screen opens. The
figures come from `netterm.services.insights` on a worker thread; the states at the
last audit (a pass over every touch) follow in a second one, so the screen paints first.
"""

from __future__ import annotations

from datetime import date

from plotext._dict import themes as plotext_themes  # what textual_plotext reads too
from rich.text import Text
from textual import on, work
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from netterm.core import insights as fig
from netterm.core import status as st
from netterm.tui import insights_data
from netterm.tui.guard import recoverable_errors
from netterm.tui.insights_data import _CACHE, Prefetch, _cached, _read
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import literal
from netterm.tui.widgets.keybar import KeyBar

#: Theme variables for the states (netterm.tcss: the list's colours).
STATE_VARS = {
    st.OK: "text-success",
    st.DUE_SOON: "text-warning",
    st.OVERDUE: "text-error",
    st.UNRESPONSIVE: "text-primary",
    st.PAUSED: "text-muted",
}
GROUP_VARS = {
    fig.FACE: "text-success",
    fig.CALLS: "text-primary",
    fig.WRITTEN: "text-accent",
    fig.SOCIAL: "text-secondary",
}
VALUE_VARS = {"gave": "text-success", "received": "text-primary"}


class Chart(PlotextPlot):
    """A plotext chart that draws a function of the figures (set with `draw`)."""

    DEFAULT_CSS = "Chart { height: 12; width: 1fr; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._draw = None
        self._drawn: tuple[object, object] | None = None  # (key, renderable)
        #: what the chart shows (a figure object) and a dict where its build is kept for
        #: the next screen showing the same figures (see InsightsScreen's cache)
        self._figure: object = None
        self._shared: dict | None = None

    def draw(self, painter, figure: object = None, shared: dict | None = None) -> None:
        self._draw = painter
        self._figure, self._shared = figure, shared
        self.refresh()

    def render(self):
        # plotext builds a chart in Python (tens of ms): only again when the data, the
        # size or the theme changed, not on every refresh of the screen
        if self._draw is None or not self.size.area:
            return ""  # no figures yet, or not laid out: nothing worth building
        # the plotext theme matching the app's is registered by a signal after a theme
        # change: until then plotext draws with its default colours, not to be kept
        registered = self._get_plotext_theme_name(self.app.theme) in plotext_themes
        key = (self._draw, self.size, self.app.theme, registered)
        if self._drawn is not None and self._drawn[0] == key:
            return self._drawn[1]
        # the same figures drawn at the same size and theme by an earlier Insights screen
        look = (self.size, self.app.theme, registered)
        kept = self._shared.get(self.id) if self._shared is not None else None
        if kept is not None and kept[0] == self._figure and kept[1] == look:
            self._drawn = (key, kept[2])
            return kept[2]
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self._draw is not None:
            self._draw(plt, self._colour)
        drawn = super().render()
        self._drawn = (key, drawn)
        if self._shared is not None and self._figure is not None:
            self._shared[self.id] = (self._figure, look, drawn)
        return drawn

    def _colour(self, variable: str) -> tuple[int, int, int]:
        value = self.app.theme_variables.get(variable) or self.app.theme_variables["foreground"]
        try:
            r, g, b = Color.parse(value).rgb
        except Exception:  # "auto 87%" and the like: the foreground will do
            r, g, b = Color.parse(self.app.theme_variables["foreground"]).rgb
        return (r, g, b)


class Panel(Vertical):
    """One figure: a border title, a chart and/or a table, and its caption."""

    DEFAULT_CSS = """
    Panel {
        height: auto;
        border: round $panel-lighten-2;
        border-title-color: $text-accent;
        border-title-style: bold;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    Panel:focus-within { border: round $primary; }
    Panel > .caption { color: $foreground; }
    Panel > .legend { color: $text-muted; }
    Panel > DataTable { height: auto; max-height: 12; }
    """


class InsightsScreen(Screen):
    """The network's health in pictures; everything here only reads."""

    CSS_PATH = STYLES  # screens.tcss

    HELP_TITLE = "Insights"
    HELP = (
        "tab / shift+tab move between the panels; j/k or the arrows move in a table. "
        "enter on a tier's cell lists those contacts (tier:1 is:overdue), on a re-tiering "
        'the overdue of that tier, on a category its contacts (cat:"…"), on a person '
        "their page. Touches per month has no list filter (the filter language has no "
        "dates). Kind groups: face to face = met in person; calls = calls and remote "
        "coffees; written = email, message, congratulation, article, introduction, "
        "favour, update; social = likes, comments, DMs."
    )

    BINDINGS = scoped(
        "insights",
        [
            Binding(
                "escape,q", "app.pop_screen", "Back", key_display="esc", tooltip="Back to the list"
            ),
            Binding("tab", "app.focus_next", "Next panel", tooltip="Move to the next panel"),
            Binding(
                "shift+tab", "app.focus_previous", "Previous panel", show=False, tooltip="Move back"
            ),
            Binding(
                "enter",
                "drill",
                "Open",
                tooltip="The contacts behind this row, or the contact",
                priority=True,  # before the table's own enter ("select"), which says nothing
            ),
            Binding("s", "sort", "Sort categories", tooltip="Next order of the categories table"),
            Binding("j", "cursor('down')", "Down", show=False),
            Binding("k", "cursor('up')", "Up", show=False),
            Binding("r", "reload", "Refresh", tooltip="Read the figures again"),
        ],
    )

    DEFAULT_CSS = """
    InsightsScreen #insights-title { height: 1; background: $panel; padding: 0 1; }
    InsightsScreen #insights-body { padding: 0 1; }
    InsightsScreen #touches-chart { height: 12; }
    InsightsScreen #health-chart { height: 11; }
    InsightsScreen #attention-chart { height: 10; }
    InsightsScreen #reciprocity-chart { height: 10; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.data = None  # services.insights.Insights, once read
        self.loaded = False  # the figures are shown
        self.compared = False  # the states at the last audit are shown (or there is none)
        self.sort = "ok"
        self._drill: dict[str, list] = {}  # table id → one action per row
        self._shared: dict | None = None  # where the charts of these figures are kept
        # the figures are read from now on, while the screen composes and mounts
        try:
            app = self.app
        except NoActiveAppError:  # made outside an app (a test): the worker reads them
            app = None
        self._early: Prefetch | None = None
        if app is not None:  # begun by App.open_screen before this module was imported
            self._early = insights_data.take(app) or Prefetch(app, self.sort)

    def compose(self) -> ComposeResult:
        yield Static("netterm · Insights  (reading the figures…)", id="insights-title")
        with VerticalScroll(id="insights-body", can_focus=False):
            with Panel(id="touches") as p:
                p.border_title = "Touches per month, by kind"
                yield Static(_legend(GROUP_VARS), classes="legend")
                yield Chart(id="touches-chart")
                yield Static("", classes="caption", id="touches-caption")
            with Panel(id="health") as p:
                p.border_title = "Health by tier"
                yield Static(
                    _legend({st.STATE_LABELS[k]: v for k, v in STATE_VARS.items()}),
                    classes="legend",
                )
                yield Chart(id="health-chart")
                yield DataTable(id="health-table", cursor_type="cell", zebra_stripes=False)
                yield Static("", classes="caption", id="health-caption")
            with Panel(id="attention") as p:
                p.border_title = "Attention budget (touches a week)"
                yield Static(
                    _legend({"logged each week": "text-primary", "asked a week": "text-error"}),
                    classes="legend",
                )
                yield Chart(id="attention-chart")
                yield DataTable(id="attention-table", cursor_type="row")
                yield Static("", classes="caption", id="attention-caption")
            with Panel(id="reciprocity") as p:
                p.border_title = "Reciprocity: gave and received"
                yield Static(_legend(VALUE_VARS), classes="legend")
                yield Chart(id="reciprocity-chart")
                yield DataTable(id="reciprocity-table", cursor_type="row")
                yield Static("", classes="caption", id="reciprocity-caption")
            with Panel(id="categories") as p:
                p.border_title = "Categories: share ok"
                yield DataTable(id="categories-table", cursor_type="row")
                yield Static("", classes="caption", id="categories-caption")
            with Panel(id="not-met") as p:
                p.border_title = "Priority people not met face to face"
                yield DataTable(id="not-met-table", cursor_type="row")
                yield Static("", classes="caption", id="not-met-caption")
        yield KeyBar()

    #: The name the last Insights screen is kept under (App.install_screen) between opens.
    KEPT = insights_data.KEPT

    @classmethod
    def reuse(cls, app) -> InsightsScreen | None:
        """The Insights screen shown last, if nothing changed since it read its figures:
        reopening it then reads, composes and draws nothing; or, if the figures changed
        and their new values are read already (in the background, after a write), the
        same screen showing them. Else None (and the old one is let go)."""
        if not app.is_screen_installed(cls.KEPT):
            return None
        screen = app.get_screen(cls.KEPT)
        if screen in app.screen_stack:  # under the screen on top (a contact it opened)
            return None
        if insights_data.still_holds(app, screen):
            return screen
        if insights_data.refillable(app, screen):
            # the figures changed and were read in the background since (a write): the
            # kept screen shows them, its charts drawn again, nothing composed again
            data = _cached(app, screen.sort)
            if data is not None:
                screen.compared = False
                screen._show(data)
                return screen
        app.uninstall_screen(cls.KEPT)
        screen.remove()
        return None

    def on_mount(self) -> None:
        self.query_one("#touches-chart").can_focus = False
        self.load()

    def on_resize(self) -> None:
        if self.data is not None:
            self._title()  # the long title only where it fits

    # ------------------------------------------------------------------ loading
    @work(thread=True, exclusive=True, group="insights")
    def load(self, fresh: bool = False) -> None:
        """Read the figures (or take those of the last open, if nothing changed since)."""
        from netterm.services import connection

        early, self._early = self._early, None
        try:
            data = None if early is None else early.result()
            if data is None:
                data = _cached(self.app, self.sort) if not fresh else None
            if data is None:
                data = _read(self.app, self.sort)
        except recoverable_errors() as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        finally:
            connection.release()
        self.app.call_from_thread(self._show, data)

    @work(thread=True, exclusive=True, group="insights-audit")
    def compare(self, data) -> None:
        from netterm.services import connection, insights

        try:
            health = insights.with_audit(data)
        except recoverable_errors() as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        finally:
            connection.release()
        self.app.call_from_thread(self._compared, data, health)

    def _failed(self, exc) -> None:
        self.app.notify(f"Could not read the figures: {exc}", severity="error", markup=False)

    def _show(self, data) -> None:
        self.data = data
        cache = _CACHE.get(self.app)
        self._shared = cache["renders"] if cache and cache["data"] is data else None
        app = self.app
        if self._shared is not None and not app.is_screen_installed(self.KEPT):
            app.install_screen(self, self.KEPT)  # kept when popped, for `reuse`
        self._title()
        self._touches()
        self._health()
        self._attention()
        self._reciprocity()
        self._categories()
        self._not_met()
        self.loaded = True
        if self.focused is None:
            self.query_one("#health-table").focus()
        if data.health.audit_on is None or data.health.compared:
            self.compared = True
        else:
            # after the figures are painted: the comparison is a long pass in Python
            self.call_after_refresh(self.compare, data)

    def _compared(self, data, health) -> None:
        if data is not self.data:
            return  # reloaded meanwhile
        data.health = health
        self._health()
        self.compared = True

    def _title(self) -> None:
        d = self.data
        when = d.today.strftime("%a %d %b %Y")
        self.query_one("#insights-title", Static).update(
            f"netterm · Insights on {when}  ·  tab: next panel · enter: open · ?: keys"
            if self.app.size.width >= 100
            else f"netterm · Insights on {when}"
        )

    # ------------------------------------------------------------------ panels
    def _caption(self, panel: str, text: str) -> None:
        self.query_one(f"#{panel}-caption", Static).update(Content(literal(text)))

    def _touches(self) -> None:
        t = self.data.touches
        labels = [fig.month_label(m)[:3] + m[2:4] for m in t.months]

        def draw(plt, colour) -> None:
            plt.stacked_bar(
                labels,
                [t.by_group[g] for g in fig.GROUPS],
                color=[colour(GROUP_VARS[g]) for g in fig.GROUPS],
                width=0.6,
            )
            plt.xticks(list(range(1, len(labels) + 1, 3)), labels[::3])
            _integer_ticks(plt, max(t.per_month, default=0))

        self.query_one("#touches-chart", Chart).draw(draw, t, self._shared)
        self._caption("touches", t.caption)

    def _health(self) -> None:
        h = self.data.health
        names = [f"tier {t.tier} · {t.total:,}" for t in h.tiers]

        def draw(plt, colour) -> None:
            # each tier's bar is its contacts' states, in percent: tiers of any size compare
            shares = [
                [round(100 * t.counts[s] / t.total, 1) if t.total else 0 for t in h.tiers]
                for s in fig.HEALTH_STATES
            ]
            plt.stacked_bar(
                names,
                shares,
                color=[colour(STATE_VARS[s]) for s in fig.HEALTH_STATES],
                width=0.5,
            )
            plt.yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])

        # the bars are the counts now (the audit's figures, which come later, are not drawn)
        counts = tuple(tuple(t.counts.items()) for t in h.tiers)
        self.query_one("#health-chart", Chart).draw(draw, counts, self._shared)
        since = "overdue since audit"
        headers = ["tier", *(st.STATE_LABELS[s] for s in fig.HEALTH_STATES), "ok share", since]
        rows = []
        drills = []
        for t in h.tiers:
            if h.compared:
                moved = f"{t.moved(st.OVERDUE):+,}"
            elif h.audit_on is not None:
                moved = "…"
            else:
                moved = "no audit"
            rows.append(
                (
                    t.name,
                    *(f"{t.counts[s]:,}" for s in fig.HEALTH_STATES),
                    fig.pct(t.ok_share),
                    moved,
                )
            )
            drills.append(t.tier)
        _fill(self.query_one("#health-table", DataTable), headers, rows)
        self._drill["health-table"] = drills
        text = h.caption
        if h.audit_on is not None and not h.compared:
            text = text.replace(
                f"Not compared with the audit of {h.audit_on.isoformat()}.",
                f"Comparing with the audit of {h.audit_on.isoformat()}…",
            )
        self._caption("health", text)

    def _attention(self) -> None:
        a = self.data.attention

        def draw(plt, colour) -> None:
            start = self.data.today.toordinal() - 7 * a.weeks + 1
            weeks = [date.fromordinal(start + 7 * i).strftime("%d %b") for i in range(a.weeks)]
            plt.bar(weeks, a.weekly, color=colour("text-primary"), width=0.5)
            plt.hline(a.asked, colour("text-error"))
            _integer_ticks(plt, max([*a.weekly, a.asked]))

        self.query_one("#attention-chart", Chart).draw(draw, a, self._shared)
        _fill(
            self.query_one("#attention-table", DataTable),
            ["re-tiering", "contacts", "saves a week"],
            [(r.text, f"{r.contacts:,}", f"{r.saves:.1f}") for r in a.retiers],
        )
        self._drill["attention-table"] = [("filter", r.query) for r in a.retiers]
        self._caption("attention", a.caption)

    def _reciprocity(self) -> None:
        r = self.data.reciprocity

        def draw(plt, colour) -> None:
            plt.multiple_bar(
                r.quarters,
                [r.gave, r.received],
                color=[colour(VALUE_VARS["gave"]), colour(VALUE_VARS["received"])],
                width=0.7,
            )
            _integer_ticks(plt, max([*r.gave, *r.received], default=0))

        self.query_one("#reciprocity-chart", Chart).draw(draw, r, self._shared)
        people = r.gave_more + r.took_more
        _fill(
            self.query_one("#reciprocity-table", DataTable),
            ["largest balances", "gave", "received", "balance"],
            [(_plain(b.name), str(b.gave), str(b.received), f"{b.balance:+}") for b in people],
        )
        drills = [("contact", b.contact_id) for b in people]
        self._drill["reciprocity-table"] = drills
        self._caption("reciprocity", r.caption)

    def _categories(self) -> None:
        items = self.data.categories
        _fill(
            self.query_one("#categories-table", DataTable),
            ["category", "contacts", "tracked", "overdue", "share ok"],
            [
                (
                    _plain(c.name),
                    f"{c.contacts:,}",
                    f"{c.tracked:,}",
                    f"{c.overdue:,}",
                    fig.pct(c.ok_share) if c.tracked else "-",
                )
                for c in items
            ],
        )
        self._drill["categories-table"] = [("filter", f'cat:"{c.name}"') for c in items]
        order = fig.CATEGORY_SORTS[self.sort][0]
        self._caption("categories", f"{fig.categories_caption(items)} Sorted by {order} (s).")

    def _not_met(self) -> None:
        n = self.data.not_met
        _fill(
            self.query_one("#not-met-table", DataTable),
            ["priority contact", "last met in person", "days"],
            [
                (
                    _plain(p.name),
                    p.last_in_person.strftime("%d %b %Y") if p.last_in_person else "never",
                    "-" if p.days is None else f"{p.days:,}",
                )
                for p in n.people
            ],
        )
        self._drill["not-met-table"] = [("contact", p.contact_id) for p in n.people]
        self._caption("not-met", n.caption)

    # ------------------------------------------------------------------ actions
    def action_cursor(self, direction: str) -> None:
        table = self.focused
        if isinstance(table, DataTable):
            (table.action_cursor_down if direction == "down" else table.action_cursor_up)()

    def action_reload(self) -> None:
        self.load(fresh=True)

    def action_sort(self) -> None:
        if self.data is None:
            return
        keys = list(fig.CATEGORY_SORTS)
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.data.categories = fig.sort_categories(self.data.categories, self.sort)
        self._categories()
        self.notify(f"Categories by {fig.CATEGORY_SORTS[self.sort][0]}.", markup=False)

    def drill_target(self) -> tuple[str, object] | None:
        """What `enter` would open now: ("filter", query) or ("contact", id)."""
        table = self.focused
        if not isinstance(table, DataTable) or table.id not in self._drill:
            return None
        drills = self._drill[table.id]
        if table.id == "health-table":
            row, column = table.cursor_coordinate
            if not 0 <= row < len(drills):
                return None
            tier = drills[row]
            states = fig.HEALTH_STATES
            if 1 <= column <= len(states):
                return ("filter", f"tier:{tier} is:{_state_word(states[column - 1])}")
            if column == len(states) + 2:  # overdue since the audit
                return ("filter", f"tier:{tier} is:overdue")
            return ("filter", f"tier:{tier}")
        row = table.cursor_row
        if not 0 <= row < len(drills):
            return None
        return drills[row]

    def action_drill(self) -> None:
        target = self.drill_target()
        if target is None:
            self.notify("Nothing to open here: move to a table (tab) and pick a row.", markup=False)
            return
        kind, value = target
        if kind == "contact":
            self.app.open_detail(value)
            return
        contacts = self.app.switch_to_contacts()
        contacts.set_filter(value)

    @on(DataTable.CellSelected)
    @on(DataTable.RowSelected)
    def _selected(self, event) -> None:
        event.stop()
        self.action_drill()


def _fill(table: DataTable, headers: list[str], rows: list[tuple]) -> None:
    """Put `rows` in `table`, each column as wide as its widest cell (set, not left to
    the table's own measure, which can miss rows added right after a clear), and the
    cursor where it was (the health table is filled again when the audit's figures come)."""
    cursor = table.cursor_coordinate
    table.clear(columns=True)
    for i, header in enumerate(headers):
        cells = [row[i].cell_len if isinstance(row[i], Text) else len(row[i]) for row in rows]
        table.add_column(header, width=max([len(header), *cells]))
    table.add_rows(rows)
    if rows:
        table.cursor_coordinate = table.validate_cursor_coordinate(cursor)


def _legend(colours: dict[str, str]) -> Content:
    """A line of coloured squares naming a chart's series (plotext's own legend is drawn
    over the bars)."""
    parts = []
    for label, variable in colours.items():
        parts.append(Content.assemble(("■ ", f"${variable}"), (label, "")))
    return Content("  ").join(parts)


def _integer_ticks(plt, top: float) -> None:
    """Whole-number ticks on the y axis (plotext's own are 16.3, 32.7, …)."""
    top = max(1, int(top))
    step = max(1, _nice(top / 4))
    ticks = list(range(0, top + step, step))
    plt.yticks(ticks, [f"{t:,}" for t in ticks])


def _nice(value: float) -> int:
    """1, 2, 5, 10, 20, 50 … at or above `value`."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            if m * magnitude >= value:
                return m * magnitude
        magnitude *= 10


def _plain(text: str) -> Text:
    """A table cell showing `text` as typed (a str cell would be read as markup)."""
    return Text(literal(text), end="")


def _state_word(state: str) -> str:
    """The filter word for a state (core.query's `is:`)."""
    return {st.DUE_SOON: "due"}.get(state, state)
