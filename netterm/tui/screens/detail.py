"""The detail screen: one contact's whole story, and the keys to act on it."""

from __future__ import annotations

from datetime import date
from functools import partial

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netterm import services
from netterm.config import clock, current_user
from netterm.core import status as st
from netterm.core.dates import ago, cadence_phrase, short_date
from netterm.core.kinds import CAPTURED_SOURCES, TIER_NAMES, TOUCH_KINDS
from netterm.errors import NotFound
from netterm.services.views import ContactDetail, TouchView
from netterm.tui.fields import Fields, Row, row
from netterm.tui.guard import recoverable
from netterm.tui.keys import scoped
from netterm.tui.model import Update
from netterm.tui.screens import STYLES, StyledOnce
from netterm.tui.text import join, literal, plain, short_url
from netterm.tui.widgets.keybar import KeyBar
from netterm.tui.widgets.matches import MatchesBox

#: Timeline entries shown at most (the rest are counted).
TIMELINE_MAX = 50  # a page: the timeline is not virtualised, and years of e-mail are thousands
#: Entries laid out when the page opens (more than fit below the boxes on a tall
#: terminal); the rest of the page comes as soon as the page scrolls or the timeline
#: takes the focus. Fifty entries to measure and wrap cost a page with thousands of
#: touches half its opening time.
TIMELINE_FIRST = 20
STATE_STYLE = {
    st.OVERDUE: "$text-error",
    st.DUE_SOON: "$text-warning",
    st.UNRESPONSIVE: "$text-primary",
    st.OK: "$text-success",
    st.PAUSED: "$text-muted",
    st.UNTRACKED: "$text-muted",
    st.ARCHIVED: "$text-muted",
}
#: The timeline's kind column (the longest short label, "congratulation", and a space).
KIND_WIDTH = 16
DIRECTION_WORDS = {"out": "sent", "in": "from them", "mutual": "together"}


def _label(name: str) -> Content:
    return Content.styled(f"{name:<12} ", "$text-muted")


def _field(name: str, value: Content | str) -> Row:
    """A labelled line; a long value wraps under the value, not under the label."""
    return row(_label(name), value if isinstance(value, Content) else plain(value))


def identity(d: ContactDetail, *after_name: Content | str) -> Content:
    """Name (and what follows it), title @ company · location, former names."""
    parts: list[Content | str] = [Content.styled(literal(d.name) or "(no name)", "bold")]
    parts += after_name
    if d.title_at_company:
        parts += ["\n", plain(d.title_at_company)]
    if d.location:
        parts += [Content.styled("  ·  ", "$text-muted"), plain(d.location)]
    if d.previous_names:
        parts += ["\n", Content.styled("formerly ", "$text-muted"), plain(d.previous_names)]
    return join(*parts)


def _none(text: str) -> Content:
    return Content.styled(text, "italic $text-muted")


def _text(ident: str, classes: str = "") -> Static:
    """A part of the page. Its text never has links: Textual's link styling (on by
    default) is left out of every render."""
    part = Static(id=ident, classes=classes)
    part.set_reactive(Widget.auto_links, False)
    return part


def _fewest_lines(widget: Widget) -> int:
    """The lines a part of the page takes at least, at any width, borders included."""
    if isinstance(widget, OptionList):
        inner = widget.option_count
    elif isinstance(widget, Static):
        content = widget.content
        if isinstance(content, Fields):
            inner = sum(1 + value.plain.count("\n") for _prefix, value in content.rows)
        elif isinstance(content, Content):
            inner = 1 + content.plain.count("\n")
        else:
            inner = 0
    else:
        inner = 0
    return inner + widget.styles.gutter.height


class Timeline(OptionList):
    """The contact's touches, newest first: t (or tab) gives it the focus, then a cursor
    picks a touch to edit (e) or delete (del); u undoes either; tab leaves."""

    BINDINGS = scoped(
        "timeline",
        [
            Binding("e", "screen.edit_touch", "Edit touch", tooltip="Correct this touch"),
            Binding(
                "delete,backspace",
                "screen.delete_touch",
                "Delete touch",
                key_display="del",
                tooltip="Delete this touch (u undoes)",
            ),
            Binding("j", "cursor_down", "Down", show=False),
            Binding("k", "cursor_up", "Up", show=False),
            Binding(
                "tab,t",
                "screen.leave_timeline",
                "Leave timeline",
                key_display="tab",
                tooltip="Back to the page (t too; j k scroll it)",
            ),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._drawn_width: int | None = None  # the width the option lines were drawn at
        self.set_reactive(Widget.auto_links, False)  # touch lines have no links

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawn_width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def _on_resize(self, event: events.Resize) -> None:
        # OptionList forgets its drawn lines on every Resize; the first one comes just
        # after the first frame, at the width that frame was drawn at, and the timeline
        # was drawn a second time for nothing (~5 ms of opening the page).
        if self.scrollable_content_region.width == self._drawn_width:
            event.prevent_default()

    def on_focus(self, event: events.Focus) -> None:
        show = getattr(self.screen, "_show_whole_page", None)
        if show is not None:  # focused by a click: the page's first entries only so far
            show()
        if self.highlighted is None and self.option_count:
            self.highlighted = 0
        self.scroll_visible(animate=False)
        self.show_hint(True)

    def on_blur(self, event: events.Blur) -> None:
        self.show_hint(False)

    def show_hint(self, focused: bool | None = None) -> None:
        """The border says how to get in, or what the keys do once in."""
        if focused is None:
            focused = self.has_focus
        if not any(not o.disabled for o in self.options):
            self.border_subtitle = ""
        elif focused:
            self.border_subtitle = "e edits · del deletes · u undoes · tab leaves"
        else:
            self.border_subtitle = "t selects a touch"


class Page(VerticalScroll):
    """The scrolling page: it has the keys (j k, page up/down) until the timeline takes them."""

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Textual styles a widget that takes or loses the focus again with everything
        # in it (Widget.watch_has_focus): the whole page, as it opens, ~5 ms. Nothing in
        # the page is styled by the page's focus (the timeline's :focus is its own), so
        # the page alone.
        self.app.stylesheet.update_nodes([self], animate=True)


class DetailScreen(StyledOnce, Screen):
    CSS_PATH = STYLES  # screens.tcss

    #: Below 100 columns the boxes go one under the other (screens.tcss): two columns
    #: of 35 cells wrapped e-mail addresses mid-word.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = scoped(
        "detail",
        [
            Binding("escape,backspace,q", "back", "Back", key_display="esc"),
            Binding("l", "log", "Log", tooltip="Quick-log a touch"),
            Binding("r", "reply", "Reply received", tooltip="Their answer arrived"),
            Binding("e", "edit", "Edit"),
            Binding(
                "t",
                "timeline",
                "Timeline",
                tooltip="Select touches (tab too): e edits one, del deletes it, u undoes",
            ),
            Binding("tab", "timeline", "Timeline", show=False),
            Binding("f", "follow_up", "Follow-up", tooltip="Plan a follow-up"),
            Binding("d", "done", "Done", tooltip="Close the next open follow-up"),
            Binding("x", "archive", "Archive", tooltip="Archive (u undoes, from the list)"),
            Binding(
                "I",
                "introduce",
                "Introduce",
                show=False,
                tooltip="Introduce them to someone who matches what they are looking for",
            ),
            Binding(
                "a",
                "acknowledge",
                "Job change seen",
                tooltip="Clear the job-changed flag without congratulating (u undoes)",
            ),
            Binding("u", "app.undo", "Undo", show=False),
            Binding("j,down", "scroll(1)", "Scroll down", show=False),
            Binding("k,up", "scroll(-1)", "Scroll up", show=False),
        ],
    )
    HELP_TITLE = "Contact"
    HELP = (
        "The status sentence says why the contact is in its state. r logs their reply: "
        "attempts waiting for an answer are answered and an unresponsive contact becomes "
        "tracked again. A job change found by an import stays flagged until you log a "
        "congratulation (l g) or press a (only shown while the flag is up). t (or tab) "
        "moves into the timeline: j k pick a touch, e corrects it, del deletes it, tab "
        "leaves; u undoes the last change made here (a reply, a follow-up closed, a touch "
        "edited or deleted)."
    )

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self._start_at_width()
        self.detail: ContactDetail | None = None
        self._whole_page = False  # the timeline shows TIMELINE_MAX entries, not the first

    def compose(self) -> ComposeResult:
        with Page(id="detail"):
            yield _text("detail-head")
            yield _text("detail-status")
            with Grid(id="detail-grid"):
                yield _text("detail-about", "box")
                yield _text("detail-keep", "box")
                yield _text("detail-reach", "box")
                yield _text("detail-follow", "box")
                yield _text("detail-looking", "box")
                yield _text("detail-notes", "box")
                yield _text("detail-career", "box")
                yield MatchesBox(id="detail-matches", classes="box")
            yield Timeline(id="detail-timeline", classes="box")
        yield KeyBar()

    def _start_at_width(self) -> None:
        """The width class (-narrow / -wide) from the start. Textual sets it on the
        screen's first Resize, after its first layout: that restyled every widget and
        laid the page out a third time (~30 ms of opening the page)."""
        try:
            width = self.app.size.width
        except RuntimeError:  # built outside a running app (NoActiveAppError): Textual sets it
            return
        if width:
            self.add_class(self._width_class(width), update=False)

    def _width_class(self, width: int) -> str:
        return [name for at, name in sorted(self.HORIZONTAL_BREAKPOINTS) if width >= at][-1]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge":  # only while there is a job change to acknowledge
            d = self.detail
            return d is not None and st.JOB_CHANGED in d.status.flags
        return True

    def on_mount(self) -> None:
        self.reload()
        self.app.rows_changed.subscribe(self, self._rows_changed, immediate=True)
        self.app.data_changed.subscribe(self, self._data_changed)
        page = self.query_one(Page)
        if self._surely_overflows(page):
            # Textual shows a scrollbar after the layout that finds the page too tall,
            # then lays the page out again two cells narrower (every box re-wrapped and
            # painted twice, ~40 ms of opening the page). A page that cannot fit has it
            # from the first layout; any other finds out as before.
            page.show_vertical_scrollbar = True
            page.vertical_scrollbar.display = True
        self.set_focus(page)
        self.watch(page, "scroll_y", self._scrolled, init=False)

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self.size and self.has_class(self._width_class(event.size.width)):
            # The size the screen was just laid out at, with its width class: Textual
            # sends it once the first layout is done, and Screen would lay the page out
            # and paint it once more (~5 ms of opening it). A terminal that changes size
            # sends another size.
            event.prevent_default()

    def _surely_overflows(self, page: Page) -> bool:
        """Whether the page is taller than the screen even if nothing wraps (its
        fewest lines: wrapping only adds some)."""
        viewport = self.app.size.height - 1 - page.styles.gutter.height  # 1: the key bar
        total = 0
        for part in page.children:
            if not part.display:
                continue
            if isinstance(part, Grid):
                lines = [_fewest_lines(box) for box in part.children if box.display]
                columns = part.styles.grid_size_columns or 1
                inner = sum(max(lines[i : i + columns]) for i in range(0, len(lines), columns))
            else:
                inner = _fewest_lines(part)
            total += inner + part.styles.gutter.height + part.styles.margin.height
        return total > viewport

    def _scrolled(self, _y: float) -> None:
        self._show_whole_page()

    def _show_whole_page(self) -> None:
        """The timeline's whole page, once the user goes towards it."""
        if self._whole_page:
            return
        self._whole_page = True
        d = self.detail
        if d is not None and len(d.touches) > TIMELINE_FIRST:
            self._fill_timeline(d, clock.today())

    def _rows_changed(self, update: Update) -> None:
        if update.everything or self.contact_id in update.restyled or update.moved:
            self.reload()

    def _data_changed(self, ids: frozenset[int] | None) -> None:
        """A write here (these ids) or in another process (None): read the contact again,
        even when nothing in the list's row changed (a follow-up closed, a note)."""
        if ids is None or self.contact_id in ids:
            self.reload()

    # ------------------------------------------------------------------ content
    def reload(self) -> None:
        try:
            d = self.detail = services.get_contact(self.contact_id, touch_limit=TIMELINE_MAX)
        except NotFound:
            self.notify("This contact no longer exists.", severity="warning", markup=False)
            self.dismiss()
            return
        today = clock.today()
        self.refresh_bindings()  # the job-change key comes and goes with the flag
        self._put("#detail-head", self._head(d))
        self._put("#detail-status", self._status(d, today))
        self._box("#detail-about", "About", self._about(d, today))
        self._box("#detail-keep", "Keeping in touch", self._keep(d, today))
        self._box("#detail-reach", "Contact methods", self._reach(d))
        self._box("#detail-follow", "Follow-ups", self._follow_ups(d, today))
        self._box(
            "#detail-looking",
            "Looking for",
            plain(d.looking_for, multiline=True) if d.looking_for else _none("not recorded"),
        )
        self._box(
            "#detail-notes",
            "Notes",
            plain(d.notes, multiline=True) if d.notes else _none("no notes"),
        )
        self._box("#detail-career", "Career", self._career(d, today))
        self.query_one(MatchesBox).show_for(d.id, d.looking_for)
        self._fill_timeline(d, today)

    def _put(self, selector: str, content: Content | Fields) -> None:
        self.query_one(selector, Static).update(content)

    def _box(self, selector: str, title: str, content: Content | Fields) -> None:
        box = self.query_one(selector, Static)
        box.border_title = title
        box.update(content)

    def _head(self, d: ContactDetail) -> Content:
        state = d.status.state
        badge = Content.styled(f" {st.STATE_LABELS[state]} ", f"bold reverse {STATE_STYLE[state]}")
        return identity(d, "  ", badge)

    def _status(self, d: ContactDetail, today: date) -> Fields:
        lines: list = [Content.styled(d.explanation, STATE_STYLE[d.status.state])]
        if d.urgency_note:  # the list's order, explained (it is not days overdue alone)
            lines.append(Content.styled(d.urgency_note, "$text-muted"))
        for note in d.flag_notes:
            lines.append(row(Content.styled("  • ", "$text-accent"), note))
        return Fields(lines)

    def _about(self, d: ContactDetail, today: date) -> Fields:
        lines = [
            _field("how met", d.how_met or _none("not recorded")),
            _field(
                "met on",
                f"{short_date(d.met_on, today)} ({ago(d.met_on, today)})"
                if d.met_on
                else _none("unknown"),
            ),
            _field(
                "categories",
                plain(", ".join(d.categories)) if d.categories else _none("none"),
            ),
            _field("in netterm", f"since {short_date(d.created_at.date(), today)}"),
        ]
        return Fields(lines)

    def _keep(self, d: ContactDetail, today: date) -> Fields:
        tier = TIER_NAMES[d.tier]
        tier_text = f"{d.tier} · {tier}" if d.tier else tier
        cadence = d.status.cadence_days
        own = " (own)" if d.cadence_days else ""
        r = d.reciprocity
        last = d.touches[0] if d.touches else None
        lines = [
            _field("tier", tier_text),
            _field("cadence", cadence_phrase(cadence) + own if cadence else _none("none")),
            _field(
                "last touch",
                f"{last.kind} on {short_date(last.occurred_on, today)} ({ago(last.occurred_on, today)})"
                if last
                else _none("never"),
            ),
            _field(
                "next due",
                f"{short_date(d.status.due_on, today)} ({ago(d.status.due_on, today)})"
                if d.status.due_on
                else _none("—"),
            ),
            _field("reciprocity", r.phrase()),
        ]
        if d.tracked_since:
            lines.append(_field("tracked", f"since {short_date(d.tracked_since, today)}"))
        if d.paused_until:
            lines.append(_field("paused", f"until {short_date(d.paused_until, today)}"))
        if d.awaiting_inbound_since:
            lines.append(
                _field("waiting", f"for them since {short_date(d.awaiting_inbound_since, today)}")
            )
        return Fields(lines)

    def _reach(self, d: ContactDetail) -> Content | Fields:
        if not d.methods:
            return _none("no email, phone or profile yet (e adds one)")
        lines = []
        for m in d.methods:
            extra = []
            if m.label:
                extra.append(plain(m.label, "$text-muted"))
            if m.primary and sum(1 for x in d.methods if x.kind == m.kind) > 1:
                extra.append(Content.styled("★ primary", "$text-accent"))
            tail = (
                [Content("  "), Content.styled(" · ", "$text-muted").join(extra)] if extra else []
            )
            lines.append(row(_label(m.kind), join(plain(short_url(m.value)), *tail)))
        return Fields(lines)

    def _follow_ups(self, d: ContactDetail, today: date) -> Content | Fields:
        if not d.follow_ups:
            return _none("none planned (f plans one)")
        lines = []
        for f in d.follow_ups:
            when = short_date(f.due_on, today)
            if f.done_at is not None:
                lines.append(
                    row(
                        Content.styled(f"done  {when:<12}", "$text-muted"),
                        plain(f.text, "strike $text-muted"),
                    )
                )
            else:
                late = f.due_on <= today
                style = "bold $text-warning" if late else "$foreground"
                lines.append(row(Content.styled(f"due   {when:<12}", style), plain(f.text)))
        return Fields(lines)

    def _career(self, d: ContactDetail, today: date) -> Content:
        lines = []
        if d.job_title or d.company:
            lines.append(join(plain(d.title_at_company), Content.styled("  now", "$text-muted")))
        for j in d.jobs:
            role = " @ ".join(p for p in (j.title, j.company) if p) or "(no title)"
            span = f"  until {short_date(j.ended_on, today)}" if j.ended_on else ""
            lines.append(join(plain(role), Content.styled(span, "$text-muted")))
        if not lines:
            return _none("no job recorded")
        return Content("\n").join(lines)

    def _fill_timeline(self, d: ContactDetail, today: date) -> None:
        timeline = self.query_one(Timeline)
        count = f"{d.touch_count} touch{'es' if d.touch_count != 1 else ''}"
        timeline.border_title = f"Timeline · {count}"
        chosen = timeline.highlighted
        chosen_id = (
            timeline.get_option_at_index(chosen).id
            if chosen is not None and chosen < timeline.option_count
            else None
        )
        if not d.touches:
            timeline.set_options(
                [Option(_none("No touches yet. l logs the first one."), disabled=True)]
            )
            timeline.show_hint()
            return
        shown = d.touches[: TIMELINE_MAX if self._whole_page else TIMELINE_FIRST]
        me = current_user()
        options = [Option(self._touch_line(t, today, me), id=str(t.id)) for t in shown]
        hidden = d.touch_count - len(shown)
        if hidden > 0:
            options.append(Option(_none(f"… and {hidden} older touches"), disabled=True))
        timeline.set_options(options)
        timeline.show_hint()
        if chosen is not None:
            ids = [o.id for o in options]
            timeline.highlighted = (
                ids.index(chosen_id) if chosen_id in ids else min(chosen, len(shown) - 1)
            )

    @staticmethod
    def _touch_line(t: TouchView, today: date, me: str = "") -> Fields:
        kind = TOUCH_KINDS.get(t.kind)
        label = kind.brief if kind else literal(t.kind)
        if len(label) > KIND_WIDTH - 1:  # a column: never runs into the next one
            label = label[: KIND_WIDTH - 2] + "…"
        bits = [DIRECTION_WORDS.get(t.direction, t.direction)]
        if t.in_person:
            bits.append("in person")
        if t.value != "none":
            bits.append(t.value)
        if t.awaiting_reply:
            bits.append("answered" if t.replied_at else "awaiting reply")
        if t.source in CAPTURED_SOURCES:
            bits.append(f"from {CAPTURED_SOURCES[t.source]}")
        if t.logged_by and t.logged_by != me:  # a network several people log into
            bits.append(f"by {t.logged_by}")
        style = "$text-warning" if t.unanswered else "$foreground"
        when = join(
            Content.styled(f"{short_date(t.occurred_on, today):<12}", "$text-muted"),
            Content.styled(f"{label:<{KIND_WIDTH}}", f"bold {style}"),
        )
        what = Content.styled(" · ".join(bits), "$text-muted")
        if t.note:
            what = join(what, Content("  "), plain(t.note, "italic"))
        return Fields([row(when, what)])

    def _selected_touch(self) -> TouchView | None:
        timeline = self.query_one(Timeline)
        d = self.detail
        if d is None or timeline.highlighted is None or not d.touches:
            return None
        option = timeline.get_option_at_index(timeline.highlighted)
        return next((t for t in d.touches if str(t.id) == option.id), None)

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        self.dismiss()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#detail").scroll_relative(y=delta, animate=False)

    @recoverable
    def action_log(self) -> None:
        self.app.open_quick_log(self.contact_id)

    @recoverable
    def action_edit(self) -> None:
        self.app.open_form(self.contact_id)

    def action_timeline(self) -> None:
        timeline = self.query_one(Timeline)
        if self.detail is None or not self.detail.touches:
            self.notify("No touches yet: l logs the first one.", markup=False)
            return
        self._show_whole_page()
        timeline.focus()

    def action_leave_timeline(self) -> None:
        self.set_focus(self.query_one("#detail"))

    def _written(self, *_ignored) -> None:
        """After a write on this page: the list's row, and this page, as they are now."""
        self.app.refresh_contacts([self.contact_id])  # data_changed reloads this page

    @recoverable
    def action_reply(self) -> None:
        cid = self.contact_id
        name = self.detail.name if self.detail else "them"

        def done(result) -> None:
            self._written()
            answered = (
                f"{result.answered} attempt{'s' if result.answered != 1 else ''} answered"
                if result.answered
                else "no attempt was waiting"
            )
            self.app.push_undo(
                f"reply from {name}", partial(services.undo_reply, result), self._written
            )
            self.notify(
                f"Reply from {name} logged ({answered}). u undoes.", title="Reply", markup=False
            )

        self.app.run_write(partial(services.mark_reply, cid), done, label=f"the reply from {name}")

    @recoverable
    def action_follow_up(self) -> None:
        from netterm.tui.screens.followup import FollowUpScreen

        def done(saved: bool | None) -> None:
            if saved:
                self._written()

        self.app.push_screen(FollowUpScreen(self.contact_id), done)

    @recoverable
    def action_done(self) -> None:
        d = self.detail
        pending = d.open_follow_ups if d else []
        if not pending:
            self.notify("No open follow-up to close.", markup=False)
            return
        follow = pending[0]

        def done(_view) -> None:
            self._written()
            self.app.push_undo(
                f"closing of the follow-up '{follow.text}'",
                partial(services.complete_follow_up, follow.id, done=False),
                self._written,
            )
            self.notify(f"Follow-up done: {follow.text}. u undoes.", markup=False)

        self.app.run_write(
            partial(services.complete_follow_up, follow.id), done, label="the follow-up"
        )

    @recoverable
    def action_acknowledge(self) -> None:
        from netterm.services.contacts import reopen_job_change

        cid = self.contact_id
        name = self.detail.name if self.detail else "them"

        def done(changed_at) -> None:
            self._written()
            if changed_at is None:  # acknowledged elsewhere meanwhile
                self.notify(f"No job change to acknowledge for {name}.", markup=False)
                return
            self.app.push_undo(
                f"acknowledgement of {name}'s job change",
                partial(reopen_job_change, cid, changed_at),
                self._written,
            )
            self.notify(
                f"Job change of {name} noted, no congratulation logged. u undoes.",
                title="Job change",
                markup=False,
            )

        self.app.run_write(
            partial(services.acknowledge_job_change, cid), done, label="the job change"
        )

    @recoverable
    def action_introduce(self) -> None:
        from netterm.tui.screens.intro import plan_introduction

        plan_introduction(self.app, self.contact_id)

    @recoverable
    def action_archive(self) -> None:
        if self.detail and self.detail.archived_at is not None:
            self.app.unarchive(self.contact_id)
            return
        self.app.archive(self.contact_id)
        self.dismiss()

    # ------------------------------------------------------------------ the timeline
    @recoverable
    def action_edit_touch(self) -> None:
        from netterm.tui.screens.touchedit import TouchEditor

        touch = self._selected_touch()
        if touch is None or self.detail is None:
            return
        name = self.detail.name

        def edited(changes: dict | None) -> None:
            if changes is None:
                return
            if not changes:
                self.notify("Nothing changed.", markup=False)
                return

            def done(edit) -> None:
                self._written()
                self.app.push_undo(
                    f"edit of the {touch.kind} of {short_date(touch.occurred_on)}",
                    partial(services.restore_touch_edit, edit.before),
                    self._written,
                )
                self.notify(
                    f"Touch corrected: {edit.after.kind} on {short_date(edit.after.occurred_on)}."
                    " u undoes.",
                    title="Touch",
                    markup=False,
                )

            self.app.run_write(
                partial(services.edit_touch, touch.id, **changes),
                done,
                label=f"the correction of a touch with {name}",
            )

        self.app.push_screen(TouchEditor(touch, name), edited)

    @recoverable
    def action_delete_touch(self) -> None:
        touch = self._selected_touch()
        if touch is None:
            return
        what = f"{touch.kind} of {short_date(touch.occurred_on)}"

        def done(removed: TouchView) -> None:
            self._written()
            self.app.push_undo(
                f"deletion of the {what}", partial(services.restore_touch, removed), self._written
            )
            extra = " Imports will not bring it back." if removed.source_key else ""
            self.notify(f"Deleted the {what}.{extra} u undoes.", title="Touch", markup=False)

        self.app.run_write(partial(services.delete_touch, touch.id), done, label=f"the {what}")
