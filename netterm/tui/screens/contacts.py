"""The contacts screen: the whole network, most urgent first, filtered as you type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from netterm.config import clock
from netterm.errors import InvalidInput
from netterm.services.quickstart import Page
from netterm.tui.app import through_store
from netterm.tui.guard import recoverable, recoverable_errors
from netterm.tui.keys import in_order, scoped
from netterm.tui.model import Update
from netterm.tui.screens import StyledOnce
from netterm.tui.text import literal
from netterm.tui.widgets.filterbar import FilterBar
from netterm.tui.widgets.header import CountsBar
from netterm.tui.widgets.keybar import KeyBar
from netterm.tui.widgets.table import ContactTable

#: The filter language, for the help screen (the filter bar shows it as a placeholder).
FILTER_HINT = 'words, is:overdue, tier:1, cat:"former classmates", company:acme, -is:paused'


class ContactsScreen(StyledOnce, Screen):
    """The default screen. Keys act on the contact under the cursor."""

    # Every key of the list is a "priority" binding (in_order below), and so are the
    # table's (netterm/tui/widgets/table.py). Textual runs a priority binding as the app
    # reads the key, but forwards any other key to the focused widget, and its binding
    # runs only when the key has come back up to the app: behind every key already
    # read. Keys typed in one burst (a fast typist, a paste, tmux send-keys) then ran
    # out of order: in "space space b" the b (priority: the dialog must be mounted
    # before "t 3 ⏎" arrive) found no mark yet and was lost; "j j l" logged for the
    # first row. All in the app's queue, each key acts on what the keys before it made,
    # and a key that opens something opens it before the next key is read, so "/acme"
    # or "l⏎" land in the filter or the quick-log. check_action turns the list's keys
    # off while the filter field has the focus, so they can be typed there.
    BINDINGS = scoped(
        "contacts",
        in_order(
            [
                Binding("l", "log", "Log", tooltip="Quick-log a touch with this contact"),
                Binding(
                    "L",
                    "log_pick",
                    "Log for…",
                    show=False,
                    tooltip="Quick-log, picking a contact",
                ),
                Binding(
                    "slash",
                    "filter",
                    "Filter",
                    key_display="/",
                    tooltip="Filter the list",
                ),
                Binding(
                    "escape",
                    "clear_filter",
                    "Clear",
                    tooltip="Unmark the marked contacts; with none marked, clear the filter",
                ),
                Binding(
                    "space",
                    "mark",
                    "Mark",
                    tooltip="Mark this contact for a bulk action, and go down",
                ),
                Binding(
                    "asterisk",
                    "mark_all",
                    "Mark all",
                    key_display="*",
                    show=False,
                    tooltip="Mark every contact the list shows (again: unmark them)",
                ),
                Binding(
                    "b",
                    "bulk",
                    "Bulk…",
                    tooltip="Act on the marked contacts: update, e-mails, category, tier, snooze, archive",
                ),
                Binding("enter", "filter_done", "Back to the list"),
                Binding("a", "add", "Add", tooltip="Add a contact"),
                Binding("e", "edit", "Edit", tooltip="Edit this contact"),
                Binding(
                    "x",
                    "archive",
                    "Archive",
                    tooltip="Archive this contact (u undoes; x on an archived one restores it)",
                ),
                Binding(
                    "u", "undo", "Undo", tooltip="Undo the last change (u again: the one before)"
                ),
                Binding(
                    "I",
                    "introduce",
                    "Introduce",
                    show=False,
                    tooltip="Introduce this contact to someone who matches what they are looking for",
                ),
                Binding("s", "sort", "Sort", tooltip="Next sort order"),
                Binding(
                    "n",
                    "next_attention",
                    "Next",
                    show=False,
                    tooltip="Triage: the next contact below that needs you (l ⏎ n l ⏎ n …)",
                ),
                Binding(
                    "r", "resort", "Re-sort", show=False, tooltip="Apply the order and filter again"
                ),
                Binding(
                    "A",
                    "audit",
                    "Audit",
                    tooltip="Walk the network, one card at a time; with a filter or marks, "
                    "asks whether to audit just those",
                ),
                Binding(
                    "i",
                    "open_screen('insights')",
                    "Insights",
                    show=False,  # the key bar is full at 80 columns; ? and the palette list it
                    tooltip="The network's health in charts",
                ),
            ]
        ),
    )

    #: The key bar's keys, most important first: at 80 columns the last give way (and
    #: "? more" says the help screen has them). Quick-log is the most frequent action;
    #: with marks, b and esc are what the user is about to press.
    KEY_IMPORTANCE = (
        "log",
        "select",
        "filter",
        "bulk",
        "clear_filter",
        "edit",
        "add",
        "archive",
        "undo",
        "mark",
        "audit",
        "sort",
    )

    #: Shown under the keys in the help screen.
    HELP = (
        "Rows are coloured by state: overdue, due soon, unresponsive, ok, paused, untracked. "
        "Flags: reply = awaiting a reply, follow-up = a follow-up is due, meet = priority "
        "contact not met in person for a year, give = you received help and gave nothing "
        "lately, new job = a job change to congratulate (is:notreviewed finds who the last "
        "audit missed).\n"
        "urgency = days overdue ÷ cadence × tier weight (priority counts most): within a "
        "state the list puts the highest first, so 3 days late on a monthly priority "
        "contact comes before 35 days late on a yearly light one. The contact's page shows "
        "the sum.\n"
        f"Filter language (/): {FILTER_HINT}. Unique prefixes work (is:ov).\n"
        "The list refreshes itself; a changed row is recoloured where it stands, and r puts "
        "everything in order again."
    )

    #: The keys that still act while the filter field has the focus.
    FILTER_ACTIONS = frozenset({"clear_filter", "filter_done"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":  # in the footer only while there is something to clear
            return bool(self.app.model.query_text or self.app.model.marked) or self._bar_shown()
        if action == "filter_done":  # enter in the filter field
            return self.is_mounted and self.focused is self.filter_input
        if action == "bulk" and not self.app.model.marked:  # only while contacts are marked
            return False
        # every other key of the list is typed into the filter while it has the focus
        return not (self.is_mounted and self.focused is self.filter_input)

    _had_filter = False

    def compose(self) -> ComposeResult:
        yield CountsBar(id="header")
        yield ContactTable(id="contacts")
        # composed now, shown on `/`: keys typed right after `/` must land in it
        yield FilterBar(self._apply_filter, self._filter_done)
        yield KeyBar()

    @property
    def table(self) -> ContactTable:
        return self.query_one(ContactTable)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def filter_input(self):
        return self.filter_bar.input

    def _bar_shown(self) -> bool:
        return self.filter_bar.display

    def on_mount(self) -> None:
        model = self.app.model
        if not model.complete and not model.all_rows():
            # The first screenful from a small query; the watcher loads everyone next.
            page = self._first_page()
            model.load(page.rows, page.today, complete=False)
        table = self.table
        table.empty_message = self._empty_message
        table.marked = model.marked
        table.set_today(model.today)
        table.set_rows(model.view)
        self.filter_bar.display = False
        self._show_header()
        self.app.rows_changed.subscribe(self, self._rows_changed, immediate=True)
        self.app.counts_changed.subscribe(self, self._counts_changed, immediate=True)
        self.set_focus(table)

    def _first_page(self) -> Page:
        """What the app read while it started (netterm/tui/app.py: FirstPage), else a
        read now. If the database cannot be read, no rows: the app says why once it has
        painted (NettermApp.on_ready opens the store, then the watcher reads it)."""
        height = self.app.size.height
        prefetched = self.app.first_page
        try:
            page = None
            if prefetched is not None and prefetched.limit >= height:
                page = prefetched.result()  # None: the file could not be read directly
            return page or through_store(max(60, height + 20))
        except recoverable_errors():  # said by the app (opening) or the watcher (reading)
            return Page([], clock.today())

    # ------------------------------------------------------------------ refresh
    def _rows_changed(self, update: Update) -> None:
        table = self.table
        model = self.app.model
        table.set_today(model.today)
        if update.moved or table.rows is not model.view:
            current = table.current
            table.set_rows(model.view, keep=current.id if current else None)
        if update.everything:
            table.restyle()
        elif update.restyled:
            table.restyle(update.restyled)
        self._show_header()

    def _counts_changed(self, _=None) -> None:
        self._show_header()
        # the audit line's facts, read off the UI thread after each recompute (the counts
        # say whether an audit is due; the line also says how far one has got)
        self.run_worker(
            self._read_audit_status,
            name="audit-status",
            group="audit-banner",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _read_audit_status(self) -> None:
        from netterm.services import audit, connection

        try:
            status = audit.status()
        finally:
            connection.release()  # this thread's own connection
        self.app.call_from_thread(self._show_audit_status, status)

    #: The audit line has been decided at least once (tests and screenshots wait for it).
    audit_status_read = False

    def _show_audit_status(self, status) -> None:
        """The audit line over the list. Mounted the first time it has something to say,
        never before the first paint (neither its module nor its widget cost start-up)."""
        from netterm.tui.widgets.auditbanner import AuditBanner, banner_text

        self.audit_status_read = True
        found = self.query(AuditBanner)
        if found:
            found.first().show_status(status)
        elif banner_text(status, clock.today()) is not None:
            banner = AuditBanner(id="audit-banner")
            self.mount(banner, before=self.table)
            banner.show_status(status)

    def _show_header(self) -> None:
        model = self.app.model
        header = self.query_one(CountsBar)
        header.show_counts(model.counts)
        header.show_scope(len(model.view), model.total, not model.complete)
        header.show_marked(len(model.marked))
        self.table.set_sort(model.sort)

    def _empty_message(self) -> str:
        model = self.app.model
        if not model.complete:
            return "Loading your network…"
        if model.query_text.strip():
            return (
                f"Nobody matches '{literal(model.query_text)}'. esc clears the filter; "
                "is:archived searches archived contacts."
            )
        if model.total == 0:
            return (
                "Your network is empty. Press a to add your first contact, or bring them "
                "in: ctrl+p → Import LinkedIn connections… (or Google contacts, vCard); "
                "from the shell: netterm import linkedin Connections.csv"
            )
        return "No contacts."

    def select(self, contact_id: int) -> None:
        index = self.app.model.index_of(contact_id)
        if index is not None:
            self.table.move_to(index)

    # ------------------------------------------------------------------ filter
    def action_filter(self) -> None:
        bar = self.filter_bar
        bar.display = True
        # now, not after the keys already queued: "/acme" typed fast must land in it
        self.set_focus(bar.input)
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        if self.app.model.marked and self.focused is not self.filter_input:
            self.action_clear_marks()  # the marks first, the filter on the next esc
            return
        if not self._bar_shown() and not self.app.model.query_text:
            return
        self.filter_input.value = ""  # the filter clears
        self.filter_bar.display = False
        self.set_focus(self.table)
        self.refresh_bindings()

    def action_filter_done(self) -> None:
        self._filter_done(self.filter_input.value)

    def _filter_done(self, value: str) -> None:
        """Enter in the filter: back to the list (the bar stays while there is a filter)."""
        if not value.strip():
            self.filter_bar.display = False
        self.set_focus(self.table)

    def _apply_filter(self, text: str) -> None:
        bar = self.filter_bar
        try:
            self.app.model.set_filter(text)
        except InvalidInput as exc:
            bar.show_error(f"{exc}  (the list shows the last valid filter)")
            return
        bar.show_error("")
        # the cursor goes to the first match, never stays on a row it passed while
        # typing (x next to a half-typed filter must not archive a stranger)
        self.table.set_rows(self.app.model.view)
        self.table.move_to(0)
        self._show_header()
        if bool(text) != self._had_filter:  # the footer's "esc clear filter" comes or goes
            self._had_filter = bool(text)
            self.refresh_bindings()

    # ------------------------------------------------------------------ triage
    def action_next_attention(self) -> None:
        """Down to the next row that needs attention (overdue, due soon, a follow-up
        due), wrapping once: after a log, the logged row stays where it stood and n
        goes on from there."""
        from netterm.tui.model import needs_attention

        table = self.table
        rows = table.rows
        n = len(rows)
        for step in range(1, n + 1):
            i = (table.cursor + step) % n
            if needs_attention(rows[i]):
                table.move_to(i)
                return
        self.notify("Nobody else needs you today.", markup=False)

    # ------------------------------------------------------------------ the audit
    @recoverable
    def action_audit(self) -> None:
        """The audit; with contacts marked or a filter on, or a partial audit in progress,
        a dialog asks which contacts first (netterm/tui/screens/auditscope.py)."""
        from netterm.services import audit

        model = self.app.model
        marked = model.marked_ids()
        shown = [r.id for r in model.view] if model.query_text.strip() else None
        status = audit.status()
        in_progress = None
        if status.in_progress and (status.scope or marked or shown is not None):
            what = (
                f"the partial audit of {status.scope}"
                if status.scope
                else "the audit of the whole network"
            )
            in_progress = f"{what} (card {status.progress})"
        elif status.in_progress or (not marked and shown is None):
            self.app.open_screen("audit")
            return
        if shown is not None and not self.app.loaded:
            self.notify("The list is still loading: press A again in a moment.", markup=False)
            return
        from netterm.tui.screens.audit import AuditScreen
        from netterm.tui.screens.auditscope import AuditChoice, AuditScopeDialog

        def chosen(choice: AuditChoice | None) -> None:
            if choice is not None:
                self.app.push_screen(AuditScreen(choice.only, choice.scope))

        self.app.push_screen(
            AuditScopeDialog(
                marked=marked, shown=shown, query=model.query_text.strip(), in_progress=in_progress
            ),
            chosen,
        )

    # ------------------------------------------------------------------ marks
    def _marks_changed(self, ids: set[int] | None) -> None:
        self.table.remark(ids)
        self._show_header()
        self.refresh_bindings()  # "b Bulk…" and "esc Unmark all" come or go

    def action_mark(self) -> None:
        row = self.table.current
        if row is None:
            return
        self.app.model.toggle_mark(row.id)
        self._marks_changed({row.id})
        self.table.action_cursor(1)

    def action_mark_all(self) -> None:
        self.app.model.mark_view()
        self._marks_changed(None)

    def action_clear_marks(self) -> None:
        self.app.model.clear_marks()
        self._marks_changed(None)

    async def action_bulk(self) -> None:
        ids = self.app.model.marked_ids()
        if not ids:
            self.notify("Mark contacts first: space marks one, * every row shown.", markup=False)
            return
        # Wait until the dialog is mounted before the app reads the next key: keys typed
        # in one burst with b ("b t 3 enter", a paste, tmux send-keys) then reach the
        # dialog's keys and its value field, instead of a dialog not composed yet.
        await self.app.open_bulk(ids)

    # ------------------------------------------------------------------ actions
    def _current_id(self) -> int | None:
        row = self.table.current
        return row.id if row else None

    def _need_row(self, verb: str) -> int | None:
        cid = self._current_id()
        if cid is None:
            self.notify(f"No contact selected to {verb}.", severity="warning", markup=False)
        return cid

    @on(ContactTable.Selected)
    @recoverable
    def _open(self, event: ContactTable.Selected) -> None:
        self.app.open_detail(event.row.id)

    @recoverable
    def action_log(self) -> None:
        self.app.open_quick_log(self._current_id())

    @recoverable
    def action_log_pick(self) -> None:
        self.app.open_quick_log(None)

    @recoverable
    def action_introduce(self) -> None:
        from netterm.tui.screens.intro import plan_introduction

        cid = self._need_row("introduce")
        if cid is not None:
            plan_introduction(self.app, cid)

    @recoverable
    def action_add(self) -> None:
        self.app.open_form(None)

    @recoverable
    def action_edit(self) -> None:
        cid = self._need_row("edit")
        if cid is not None:
            self.app.open_form(cid)

    @recoverable
    def action_archive(self) -> None:
        row = self.table.current
        if row is None:
            self._need_row("archive")
            return
        if row.state == "archived":  # listed with is:archived: x brings them back
            self.app.unarchive(row.id)
            return
        self.app.archive(row.id)

    def action_undo(self) -> None:
        self.app.action_undo()  # the app's, through the list's keys: see BINDINGS

    def action_open_screen(self, name: str) -> None:
        self.app.open_screen(name)

    def set_filter(self, text: str) -> None:
        """Show the filter bar with `text` in it (the command palette's quick filters)."""
        self.action_filter()
        self.filter_input.value = text
        self.set_focus(self.table)

    def sort_by(self, sort: str) -> None:
        current = self._current_id()
        self.app.model.set_sort(sort)
        self.table.set_rows(self.app.model.view, keep=current)
        self._show_header()

    def action_sort(self) -> None:
        model = self.app.model
        current = self._current_id()
        model.next_sort()
        self.table.set_rows(model.view, keep=current)
        self._show_header()
        self.notify(f"Sorted {model.sort_label}.", markup=False, timeout=2)

    def action_resort(self) -> None:
        current = self._current_id()
        self.app.model.resort()
        self.table.set_rows(self.app.model.view, keep=current)
        self._show_header()
