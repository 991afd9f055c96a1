"""The guided audit: one contact card at a time, one key per decision, then the summary.

`A` (the list, the palette) and `netterm audit` open it: it starts an audit or resumes
the unfinished one at its next undecided card. Every decision is written at once by
`netterm.services.audit` (one transaction each), so leaving (`q`), or even killing the
app, loses nothing. `b` undoes the previous decision exactly, a merge included. When
every card is decided the audit is finished and `AuditEndScreen` shows what changed,
the priority people to meet face to face (one key plans a follow-up) and when the next
audit is due.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from netterm.config import clock
from netterm.core import audit as rules
from netterm.core.audit import DECISION_INFO
from netterm.core.dates import ago, short_date
from netterm.errors import InvalidInput
from netterm.services import audit
from netterm.services.audit import AuditCard, AuditConflict, AuditSummary, MeetView
from netterm.tui.fields import Fields, row
from netterm.tui.guard import recoverable
from netterm.tui.keys import scoped
from netterm.tui.model import Update
from netterm.tui.screens import STYLES
from netterm.tui.screens.detail import STATE_STYLE, identity
from netterm.tui.text import join, literal, plain, plural, short_url
from netterm.tui.widgets.keybar import KeyBar

#: Fact lines (core.audit.fact_lines keys) and their colours on the card.
FACT_STYLE = {
    "unanswered": "$text-warning",
    "job_change": "bold $text-accent",
}
#: What `enter` does when the suggestion is advice to act outside netterm.
ADVICE_HINT = {
    "congratulate": "l logs the congratulation (l g); enter keeps",
    "meet": "enter keeps; the end of the audit plans the meeting",
    "give_back": "l logs what you give (v marks it); enter keeps",
    "reach_out": "l logs a touch; enter keeps",
    "give_space": "enter keeps: reminders are already paused",
}
LABEL_WIDTH = 13
NOTES_SHOWN = 240  # characters of the notes on a card


def refresh_list(app, ids) -> None:
    """After a decision: the list underneath shows these contacts as they are now; one
    archived (or merged away) leaves it, one restored by back comes back to its place."""
    ids = set(ids)
    app.refresh_contacts(ids)
    if app.model.reconsider(ids):
        app.rows_changed.publish(Update(moved=True))


def _fit(text: str, width: int) -> str:
    """`text` in a column of `width` cells: padded, or cut with "…" (a space kept after)."""
    if len(text) > width - 1:
        text = text[: width - 2].rstrip() + "…"
    return f"{text:<{width}}"


def _label(text: str) -> Content:
    return Content.styled(f"{text:<{LABEL_WIDTH}}", "$text-muted")


def _decision(name: str, key: str | None = None, *, show: bool = True) -> Binding:
    info = DECISION_INFO[name]
    return Binding(
        key or info.key,
        f"decide('{name}')",
        info.label.capitalize(),
        show=show,
        tooltip=info.help,
    )


class AuditScreen(Screen):
    CSS_PATH = STYLES  # screens.tcss

    #: Under 30 lines (80x24) the card packs closer (screens.tcss): no blank lines, the
    #: suggestion as a bar, the undo line left to the key bar's b, so that the card and
    #: its keys fit on one screen.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = scoped(
        "audit",
        [
            Binding("enter", "accept", "Accept", tooltip="Do what the suggestion says"),
            _decision(rules.KEEP),
            Binding("e", "edit", "Edit", tooltip=DECISION_INFO[rules.EDIT].help),
            _decision(rules.TIER_UP, "plus"),
            _decision(rules.TIER_DOWN, "minus"),
            Binding("c", "categories", "Categories", tooltip="Set the categories (new ones too)"),
            _decision(rules.ARCHIVE),
            Binding("z", "snooze", "Snooze", tooltip=DECISION_INFO[rules.SNOOZE].help),
            _decision(rules.SKIP),
            Binding("m", "merge", "Merge", tooltip=DECISION_INFO[rules.MERGE].help),
            Binding("b,backspace,u", "back", "Back", tooltip="Undo the previous decision (u too)"),
            Binding(
                "l",
                "log",
                "Log",
                tooltip="Log a touch (a congratulation, say); the card stays",
            ),
            Binding("o", "open", "Open", tooltip="The contact's page (esc comes back)"),
            Binding(
                "F",
                "finish_early",
                "Finish now",
                tooltip="End the audit here; undecided cards stay 'not reviewed'",
            ),
            Binding("q,escape", "leave", "Quit audit", tooltip="Every decision is saved"),
        ],
    )
    HELP_TITLE = "Audit"
    HELP = (
        "One card per contact: priority first, then regular, light, and untracked people "
        "new since the last audit, each group stalest first. Every decision is saved at "
        "once: q leaves, and A resumes at the next undecided card. b undoes the previous "
        "decision exactly, a merge included. Every decision but skip marks the contact "
        "reviewed. When every card is decided the audit is finished and its summary shown. "
        "A on a filtered or marked list audits just those (an audit of a part): it counts "
        "as the six-monthly audit only if it holds everyone the full audit would."
    )

    def __init__(self, only: list[int] | None = None, scope: str = "") -> None:
        """`only`: start an audit of just these contacts (`scope` says which, in words);
        None starts the whole network's audit, or resumes the one in progress."""
        super().__init__()
        self.only = only
        self.scope = scope
        self.card: AuditCard | None = None
        self._deciding = False  # a decision waits for another process's lock
        self._finished = False

    def compose(self) -> ComposeResult:
        yield Static(id="audit-title")
        with Horizontal(id="audit-progress"):
            yield ProgressBar(show_eta=False, show_percentage=False, id="audit-bar")
            yield Static(id="audit-count")
        with VerticalScroll(id="audit-body"):
            yield Static(id="audit-who")
            yield Static(id="audit-suggestion", classes="box")
            yield Static(id="audit-facts", classes="box")
            yield Static(id="audit-dupes", classes="box")
            yield Static(id="audit-back")
        yield KeyBar(wrap=True)  # its many keys on two lines, q and F among them

    @recoverable
    def on_mount(self) -> None:
        self.set_focus(None)
        self.app.data_changed.subscribe(self, self._data_changed)
        status = audit.status()
        if (
            self.only is None
            and not status.in_progress
            and not status.due
            and status.last_finished_at is not None
        ):
            self._ask_to_start(status)
            return
        self._start()

    def _ask_to_start(self, status) -> None:
        from netterm.tui.screens.confirm import ConfirmScreen

        today = clock.today()
        finished = status.last_finished_at.in_tz(clock.timezone()).date()
        due = status.next_due_on
        question = (
            f"The last audit finished {ago(finished, today)} ({short_date(finished, today)}); "
            f"the next is due {short_date(due, today)} ({ago(due, today)}). "
            "Start a new audit now?"
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._start()
            else:
                self.dismiss()

        self.app.push_screen(ConfirmScreen(question, "Start", "Not now"), answer)

    @recoverable
    def _start(self) -> None:
        counts = self.app.model.counts
        if counts is not None and counts.total == 0:  # no active contact
            self.notify(
                "Nothing to audit yet: add or import contacts first.",
                title="Audit",
                markup=False,
            )
            self.dismiss()
            return
        self._write(lambda: audit.start(self.only, self.scope), self._show)

    def on_screen_resume(self) -> None:
        """Back from a dialog, the form or the contact's page: show the current card as it
        is now (the next one after a decision made there; the summary after the last)."""
        if self.card is not None and not self._finished and not self._deciding:
            self._reload()

    def _data_changed(self, ids: frozenset[int] | None) -> None:
        """Another process wrote (None): the card shows the contact as it is now."""
        if ids is None and self.card is not None and not self._finished and not self._deciding:
            self._reload()

    @recoverable
    def _reload(self) -> None:
        self._show(audit.current())

    # ------------------------------------------------------------------ the card
    def on_resize(self) -> None:
        """Crossing the 30-line breakpoint changes how compact the card is drawn. This
        handler runs before Screen's own, which sets the breakpoint's class: redraw after."""
        self.call_later(self._redraw)

    def _redraw(self) -> None:
        if self.card is not None and not self._finished:
            self._show(self.card)

    def _show(self, card: AuditCard | None) -> None:
        if card is None:
            self._finish()
            return
        moved = self.card is None or self.card.position != card.position
        self.card = card
        self.query_one("#audit-title", Static).update(self._title(card))
        self.query_one(ProgressBar).update(total=card.total, progress=card.position)
        self.query_one("#audit-count", Static).update(
            Content.styled(f"{card.number:,} / {card.total:,}", "bold")
        )
        self.query_one("#audit-who", Static).update(self._who(card))
        suggestion = self.query_one("#audit-suggestion", Static)
        suggestion.border_title = "Suggestion"
        suggestion.update(self._suggestion(card))
        facts = self.query_one("#audit-facts", Static)
        facts.border_title = "Facts"
        facts.update(self._facts(card))
        dupes = self.query_one("#audit-dupes", Static)
        dupes.display = bool(card.duplicates)
        if card.duplicates:
            dupes.border_title = "Looks like the same person"
            dupes.border_subtitle = "m merges (asks first; b undoes)"
            dupes.update(self._duplicates(card))
        back = self.query_one("#audit-back", Static)
        back.update(
            join(
                Content.styled("b", "bold $text-accent"),
                Content.styled(" undoes: ", "$text-muted"),
                plain(card.back, "$text-muted"),
            )
            if card.back
            else Content.styled(
                "Nothing decided yet in this audit (b undoes the last decision).", "$text-muted"
            )
        )
        if moved:
            self.query_one("#audit-body", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def _title(self, card: AuditCard) -> Content:
        started = card.started_at.in_tz(clock.timezone()).date()
        return join(
            Content.styled(" netterm ", "bold reverse $primary"),
            Content.styled("  Audit", "bold"),
            Content.styled(f" of {literal(card.scope)}", "bold $text-warning")
            if card.scope
            else Content(""),
            Content.styled(f"  ·  {card.group}", "$text-accent"),
            Content.styled(f"  ·  started {short_date(started, clock.today())}", "$text-muted"),
        )

    def _who(self, card: AuditCard) -> Content:
        return identity(card.contact, Content.styled(f"  #{card.contact.id}", "$text-muted"))

    def _suggestion(self, card: AuditCard) -> Content:
        s = card.suggestion
        text = Content.styled(literal(s.text), "bold")
        hint = ADVICE_HINT.get(s.action)
        if hint is None:
            if s.decision == rules.MERGE:
                hint = "enter merges (asks first)"
            elif s.decision == rules.KEEP:
                hint = "enter keeps"
            else:
                hint = f"enter: {DECISION_INFO[s.decision].label}"
        parts = [
            Content.styled("⏎ ", "bold $text-accent"),
            text,
            "\n",
            Content.styled(f"  {hint}", "$text-muted"),
        ]
        if card.introduction is not None:  # a priority contact someone here could help
            short = self.has_class("-short")  # under 30 lines: one line, so the card fits
            parts += [
                "\n" if short else "\n\n",
                Content.styled("Could introduce: ", "bold"),
                # short: the name alone (the why is on their page), so it stays one line
                plain(card.introduction.name if short else card.introduction.short),
                Content.styled("  (o, then I)", "$text-muted")
                if short
                else Content.styled("\n  o opens their page, where I introduces", "$text-muted"),
            ]
        return join(*parts)

    def _facts(self, card: AuditCard) -> Fields:
        d = card.contact
        short = self.has_class("-short")
        rows = []
        for fact in card.facts:
            style = FACT_STYLE.get(fact.key, "")
            if fact.key == "status":
                style = STATE_STYLE.get(d.status.state, "")
            if fact.key == "unanswered" and fact.text == "none":
                if short:  # nothing to say, and under 30 lines every line counts
                    continue
                style = ""
            rows.append(row(_label(fact.label), plain(fact.text, style)))
        rows.append(
            row(
                _label("Categories"),
                plain(", ".join(d.categories))
                if d.categories
                else Content.styled("none (c sets them)", "italic $text-muted"),
            )
        )
        if d.methods:
            methods = Content("  ·  ").join(
                join(Content.styled(m.kind + " ", "$text-muted"), plain(short_url(m.value)))
                for m in d.methods
            )
            rows.append(row(_label("Reach"), methods))
        else:
            rows.append(
                row(_label("Reach"), Content.styled("no email, phone or profile", "italic"))
            )
        if d.notes:
            notes = " ".join(d.notes.split())
            if len(notes) > NOTES_SHOWN:
                notes = notes[: NOTES_SHOWN - 1].rstrip() + "…"
            rows.append(row(_label("Notes"), plain(notes, "italic")))
        return Fields(rows)

    def _duplicates(self, card: AuditCard) -> Fields:
        from netterm import services

        today = clock.today()
        rows = []
        for match in card.duplicates:
            other = services.get_contact(match.id, today)
            bits = [other.title_at_company or "no job recorded"]
            if other.location:
                bits.append(other.location)
            bits.append(plural(len(other.touches), "touch", "touches"))
            if other.touches:
                bits.append(f"last {ago(other.touches[0].occurred_on, today)}")
            if other.categories:
                bits.append(", ".join(other.categories))
            head = join(
                Content.styled(f"#{match.id} ", "$text-muted"),
                Content.styled(literal(match.name), "bold"),
                Content.styled("  " + literal(" · ".join(bits)), ""),
            )
            rows.append(head)
            rows.append(row("  ", Content.styled(literal(match.why), "$text-accent")))
        return Fields(rows)

    # ------------------------------------------------------------------ deciding
    def _refresh(self, ids) -> None:
        refresh_list(self.app, ids)

    def _decide(self, call: Callable[[], AuditCard | None], *more_ids: int) -> None:
        """Run one decision on the current card, refresh the list, show the next card."""
        card = self.card
        if card is None:
            return
        self._write(call, lambda following: self._decided({card.contact.id, *more_ids}, following))

    def _decided(self, ids, following: AuditCard | None) -> None:
        self._refresh(ids)
        self._show(following)

    def _write(self, call: Callable[[], object], done: Callable[[object], None]) -> None:
        """One decision at a time, through the app's writes (never blocking the keys)."""
        if self._deciding:
            self.notify("Still saving the previous decision…", markup=False)
            return
        self._deciding = True

        def finished(result) -> None:
            self._deciding = False
            done(result)

        def failed(exc: BaseException) -> None:
            self._deciding = False
            if isinstance(exc, AuditConflict):
                self.notify(
                    "The audit moved on elsewhere (another netterm?): here is its current card.",
                    severity="warning",
                    markup=False,
                )
                self._reload()
            elif isinstance(exc, InvalidInput):
                self.notify(str(exc), title="Not done", severity="warning", markup=False)
            else:
                self.notify(str(exc), title="That did not work", severity="error", markup=False)
            if self.card is None and not self._finished:  # the audit did not even start
                self.dismiss()

        self.app.run_write(call, finished, failed=failed, label="the audit decision")

    @recoverable
    def action_decide(self, name: str) -> None:
        if self.card is None:
            return
        p = self.card.position
        call = {
            rules.KEEP: audit.keep,
            rules.TIER_UP: audit.tier_up,
            rules.TIER_DOWN: audit.tier_down,
            rules.ARCHIVE: audit.archive,
            rules.SKIP: audit.skip,
        }[name]
        self._decide(lambda: call(p))

    @recoverable
    def action_accept(self) -> None:
        card = self.card
        if card is None:
            return
        s = card.suggestion
        if s.decision == rules.MERGE and s.merge_with is not None:
            self.action_merge(s.merge_with)
            return
        self._decide(lambda: audit.accept(card.position))

    @recoverable
    def action_edit(self) -> None:
        card = self.card
        if card is None:
            return
        from netterm.tui.screens.form import ContactForm

        def save(contact_id: int, changes: dict, version: int | None) -> None:
            # the next card shows once the form closes; an edit over another device's
            # newer save raises Conflict: the form shows the conflict dialog
            audit.edit(card.position, expected_version=version, **changes)

        self.app.push_screen(
            ContactForm(
                card.contact.id,
                save=save,
                title=f"Audit {card.progress} · edit {literal(card.contact.name)}",
            )
        )

    @recoverable
    def action_categories(self) -> None:
        card = self.card
        if card is None:
            return
        from netterm.tui.screens.auditdialogs import CategoriesDialog

        current = sorted(card.contact.categories, key=str.casefold)

        def submit(names: list[str]):
            # errors raise here and are shown in the dialog, which stays open; the next
            # card is shown when the dialog has closed (on_screen_resume)
            if sorted(names, key=str.casefold) == current:  # nothing changed: still right
                audit.keep(card.position)

                def kept() -> None:
                    self._refresh([card.contact.id])
                    self.notify("Categories unchanged: kept.", markup=False)

                return kept
            # only the user's changes, over the categories as they are now (another
            # device may have added one since the card was shown)
            audit.set_categories(card.position, names, shown=current)
            return lambda: self._refresh([card.contact.id])

        self.app.push_screen(CategoriesDialog(card.contact.name, current, submit))

    @recoverable
    def action_snooze(self) -> None:
        card = self.card
        if card is None:
            return
        from netterm.tui.screens.auditdialogs import SnoozeDialog

        def submit(until: str):
            # a date in the past raises here and stays in the dialog
            audit.snooze(card.position, until)
            return lambda: self._refresh([card.contact.id])

        self.app.push_screen(SnoozeDialog(card.contact.name, submit))

    @recoverable
    def action_merge(self, other_id: int | None = None) -> None:
        card = self.card
        if card is None:
            return
        if not card.duplicates:
            self.notify(
                f"No likely duplicate of {card.contact.name} (same email, LinkedIn profile, "
                "or name and company). `netterm merge` merges any two contacts.",
                markup=False,
            )
            return
        from netterm.tui.screens.auditdialogs import MergeDialog

        def submit(other: int, keep: int):
            audit.merge(card.position, other, keep=keep)

            def merged() -> None:
                self._refresh([card.contact.id, other])
                kept = card.contact.name if keep == card.contact.id else f"#{keep}"
                self.notify(
                    f"Merged into {kept}; the other record is archived. b undoes.",
                    title="Merged",
                    markup=False,
                )

            return merged

        self.app.push_screen(MergeDialog(card, submit, first=other_id))

    @recoverable
    def action_back(self) -> None:
        def done(card: AuditCard) -> None:
            self._refresh({card.contact.id, *(m.id for m in card.duplicates)})
            self._show(card)

        self._write(audit.back, done)

    @recoverable
    def action_log(self) -> None:
        if self.card is not None:
            self.app.open_quick_log(self.card.contact.id)

    @recoverable
    def action_open(self) -> None:
        if self.card is not None:
            self.app.open_detail(self.card.contact.id)

    @recoverable
    def action_finish_early(self) -> None:
        card = self.card
        if card is None:
            return
        from netterm.tui.screens.confirm import ConfirmScreen

        left = card.total - card.position
        question = (
            f"Finish the audit now? {plural(left, 'card')} from this one on stay undecided: "
            "those contacts keep the 'not reviewed' flag until the next audit."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._finish(early=True)

        self.app.push_screen(ConfirmScreen(question, "Finish", "Go on"), answer)

    def action_leave(self) -> None:
        card = self.card
        if card is not None:
            self.notify(
                f"Audit paused at card {card.progress}. Every decision is saved; "
                "A resumes at the next undecided card.",
                title="Audit",
                markup=False,
            )
        self.dismiss()

    @recoverable
    def _finish(self, *, early: bool = False) -> None:
        def done(summary: AuditSummary) -> None:
            self._finished = True  # nothing to reload: the audit is over
            self.card = None
            self.app.refresh_contacts([])  # the "audit due" banner and flags go
            self.app.switch_screen(AuditEndScreen(summary))

        self._write(lambda: audit.finish(early=early), done)


class AuditEndScreen(Screen):
    """What the audit changed, whom to meet face to face, and when the next is due."""

    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "audit-end",
        [
            Binding(
                "f,enter", "plan", "Plan meeting", tooltip="A follow-up to meet them (in 2 weeks)"
            ),
            Binding("o", "open", "Open", tooltip="The contact's page"),
            Binding(
                "b,backspace",
                "reopen",
                "Back to the audit",
                tooltip="Reopen it; if every card was decided, the last decision is undone",
            ),
            Binding("j,down", "move(1)", "Down", show=False),
            Binding("k,up", "move(-1)", "Up", show=False),
            Binding("J,shift+down", "scroll_changes(1)", "Scroll what changed down", show=False),
            Binding("K,shift+up", "scroll_changes(-1)", "Scroll what changed up", show=False),
            Binding("q,escape", "leave", "Back to the list", key_display="esc"),
        ],
    )
    HELP_TITLE = "Audit summary"
    HELP = (
        "Priority contacts not met face to face for a year are listed: f plans a follow-up "
        "to meet each one (it appears on their page and in is:followup). The next audit "
        "is due after the interval in settings (audit_interval_days). b reopens the audit "
        "(undoing its last decision) if you finished by mistake."
    )

    def __init__(self, summary: AuditSummary) -> None:
        super().__init__()
        self.summary = summary
        self._filled = False

    def compose(self) -> ComposeResult:
        yield Static(id="end-title")
        with VerticalScroll(id="end-body"):
            yield Static(id="end-counts")
            with VerticalScroll(id="end-changes", classes="box", can_focus=False):
                yield Static(id="end-changes-list")
            yield OptionList(id="end-meet", classes="box")
            yield Static(id="end-next")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill()
        self.set_focus(self.query_one("#end-meet", OptionList))

    def _fill(self, highlighted: int | None = 0) -> None:
        s = self.summary
        today = clock.today()
        finished = s.finished_at.in_tz(clock.timezone()).date() if s.finished_at else today
        self.query_one("#end-title", Static).update(
            join(
                Content.styled(" netterm ", "bold reverse $primary"),
                Content.styled(
                    "  Partial audit finished" if s.partial else "  Audit finished", "bold"
                ),
                Content.styled(
                    f"  ·  {short_date(finished, today)}  ·  {plural(s.total, 'card')}",
                    "$text-muted",
                ),
            )
        )
        self.query_one("#end-counts", Static).update(self._counts(s))
        box = self.query_one("#end-changes", VerticalScroll)
        box.border_title = f"What changed · {len(s.changes)}"
        box.border_subtitle = "J K scroll" if len(s.changes) > 12 else ""
        self.query_one("#end-changes-list", Static).update(
            Fields(
                row(Content.styled(_fit(literal(c.name), 28), "bold"), plain(c.text))
                for c in s.changes
            )
            if s.changes
            else Content.styled("Nothing changed: everyone was kept as they were.", "italic")
        )
        meet = self.query_one("#end-meet", OptionList)
        meet.border_title = f"Meet in person · {plural(len(s.to_meet), 'priority contact')}"
        meet.border_subtitle = "f plans a meeting · o opens"
        meet.clear_options()
        if s.to_meet:
            meet.add_options(
                Option(self._meet_line(m, today), id=str(m.contact_id)) for m in s.to_meet
            )
            if highlighted is not None:
                meet.highlighted = min(highlighted, len(s.to_meet) - 1)
        else:
            meet.add_option(
                Option(
                    Content.styled("Everyone in priority was met face to face lately.", "italic"),
                    disabled=True,
                )
            )
        self.query_one("#end-next", Static).update(self._next(s, today))
        self._filled = True

    @staticmethod
    def _counts(s: AuditSummary) -> Content:
        labels = {"retiered": "re-tiered"}
        parts = []
        for bucket in rules.BUCKETS:
            n = s.counts.get(bucket, 0)
            parts.append(
                join(
                    Content.styled(f"{n:,}", "bold $text-accent" if n else "bold $text-muted"),
                    Content.styled(f" {labels.get(bucket, bucket)}", "" if n else "$text-muted"),
                )
            )
        line = Content("   ").join(parts)
        if s.partial:
            line = join(Content.styled(literal(s.scope_line()), "$text-warning"), "\n", line)
        if s.undecided:
            line = join(
                line,
                "\n",
                Content.styled(
                    f"{plural(s.undecided, 'card')} not reached: those contacts stay "
                    "'not reviewed' (is:notreviewed lists them).",
                    "$text-warning",
                ),
            )
        return line

    @staticmethod
    def _meet_line(m: MeetView, today: date) -> Content:
        reason = m.reason.removesuffix(" in netterm's records")
        parts = [
            Content.styled(_fit(literal(m.name), 24), "bold"),
            Content.styled(_fit(literal(m.title_at_company), 32), "$text-muted"),
            plain(_fit(reason, 36)),
        ]
        if m.follow_up is not None:
            parts.append(
                Content.styled(
                    f"  ✓ planned {short_date(m.follow_up.due_on, today)}", "$text-success"
                )
            )
        return join(*parts)

    @staticmethod
    def _next(s: AuditSummary, today: date) -> Content:
        if s.next_audit_on is None:
            return Content("")
        return join(
            Content.styled("Next audit due ", "$text-muted"),
            Content.styled(short_date(s.next_audit_on, today), "bold"),
            Content.styled(f" ({ago(s.next_audit_on, today)}).", "$text-muted"),
        )

    def _selected(self) -> MeetView | None:
        meet = self.query_one("#end-meet", OptionList)
        if meet.highlighted is None or not self.summary.to_meet:
            return None
        return self.summary.to_meet[meet.highlighted]

    @recoverable
    def action_plan(self) -> None:
        m = self._selected()
        if m is None:
            self.notify("Nobody to plan a meeting with.", markup=False)
            return
        today = clock.today()
        if m.follow_up is not None:
            self.notify(
                f"Already planned for {short_date(m.follow_up.due_on, today)}: "
                f"{m.follow_up.text}. Their page (o) shows it.",
                markup=False,
            )
            return

        def done(follow) -> None:
            self.app.refresh_contacts([m.contact_id])
            index = self.query_one("#end-meet", OptionList).highlighted
            self.summary = audit.summary(self.summary.audit_id)
            self._fill(index)
            self.notify(
                f"Planned for {short_date(follow.due_on, today)} ({ago(follow.due_on, today)}): "
                f"{follow.text}.",
                title="Follow-up",
                markup=False,
            )

        self.app.run_write(
            lambda: audit.plan_meeting(m.contact_id), done, label="the planned meeting"
        )

    def action_open(self) -> None:
        m = self._selected()
        if m is not None:
            self.app.open_detail(m.contact_id)

    @recoverable
    def on_screen_resume(self) -> None:
        # back from a contact's page: a follow-up may have been planned or closed there
        if not self._filled:
            return
        index = self.query_one("#end-meet", OptionList).highlighted
        self.summary = audit.summary(self.summary.audit_id)
        self._fill(index)

    def action_move(self, delta: int) -> None:
        meet = self.query_one("#end-meet", OptionList)
        if delta > 0:
            meet.action_cursor_down()
        else:
            meet.action_cursor_up()

    @recoverable
    def action_reopen(self) -> None:
        audit_id = self.summary.audit_id

        def write() -> AuditCard:
            card = audit.reopen(audit_id)
            if card is None:  # every card was decided: undo the last decision
                card = audit.back()
            return card

        def done(card: AuditCard) -> None:
            refresh_list(self.app, {card.contact.id, *(m.id for m in card.duplicates)})
            self.app.switch_screen(AuditScreen())
            self.notify(
                f"The audit is open again, at card {card.progress}.", title="Audit", markup=False
            )

        self.app.run_write(write, done, label="reopening the audit")

    def action_scroll_changes(self, direction: int) -> None:
        box = self.query_one("#end-changes", VerticalScroll)
        box.scroll_relative(y=direction * max(1, box.size.height - 1), animate=False)

    def action_leave(self) -> None:
        self.dismiss()
