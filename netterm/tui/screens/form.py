"""Add / edit a contact: every field, methods and categories; `ctrl+s` saves.

Validation is the services' (one `ValidationFailed` naming each bad field); each
message appears under its field. `esc` asks before throwing away unsaved edits;
nothing already saved is ever lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from netterm import services
from netterm.config import clock
from netterm.core.dates import parse_date, short_date
from netterm.core.kinds import METHOD_KINDS
from netterm.errors import Conflict, InvalidInput, ValidationFailed
from netterm.services.contacts import MethodInput
from netterm.services.views import ContactDetail
from netterm.tui.guard import recoverable
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import literal, plain
from netterm.tui.widgets.categories import CategoryPicker
from netterm.tui.widgets.keybar import KeyBar
from netterm.tui.widgets.toggles import Tick

TEXT_INPUTS = ("first_name", "last_name", "job_title", "company", "location", "how_met")
AREAS = ("looking_for", "notes")
LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "job_title": "Title",
    "company": "Company",
    "location": "Location",
    "how_met": "How you met",
    "met_on": "Met on",
    "tier": "Tier",
    "cadence_days": "Cadence (days)",
    "looking_for": "Looking for",
    "notes": "Notes",
}
#: the fields edited in lists rather than one input (named so in the conflict dialog)
CONFLICT_LABELS = {"methods": "Contact info", "categories": "Categories"}
PLACEHOLDERS = {
    "job_title": "e.g. Head of Product",
    "company": "e.g. Globex",
    "location": "e.g. Lisbon",
    "how_met": "e.g. at Acme, the 2019 payments launch",
    "met_on": "e.g. 2019-05-02, 3 years ago",
}


#: What a changed title or company of someone who had a job means (the services'
#: `update_contact(job_change=…)`): shown only when they changed.
JOB_CHANGE_CHOICES = [
    ("a correction: fix a typo, the career history stays as it is", "correction"),
    ("a new job: the old one goes to the career history, ended today", "new_job"),
]


#: the form's fields, in its order (compared field by field on a conflict)
FIELDS = (
    *TEXT_INPUTS[:5],
    "tier",
    "cadence_days",
    "met_on",
    "how_met",
    "methods",
    "categories",
    *AREAS,
)


def _detail_values(d: ContactDetail) -> dict:
    """A saved contact as the form's `values()` reads it."""
    out: dict = {f: getattr(d, f) or "" for f in TEXT_INPUTS}
    out["cadence_days"] = str(d.cadence_days) if d.cadence_days else ""
    out["met_on"] = d.met_on.isoformat() if d.met_on else ""
    out["tier"] = str(d.tier) if d.tier else "untracked"
    for f in AREAS:
        out[f] = getattr(d, f) or ""
    out["methods"] = tuple((m.kind, m.value, m.label) for m in d.methods if m.value.strip())
    out["categories"] = tuple(sorted(d.categories, key=str.casefold))
    return out


def _shown(key: str, value: object) -> str:
    """One line for the conflict dialog."""
    if key == "methods":
        return "; ".join(f"{k} {v}" + (f" ({lb})" if lb else "") for k, v, lb in value)  # type: ignore[attr-defined]
    if key == "categories":
        return ", ".join(value)  # type: ignore[call-overload]
    return str(value)


def _error_id(field: str) -> str:
    return "err-" + field.replace(".", "-").replace("_", "-").replace(" ", "-")


class MethodRow(Horizontal):
    """One contact method: kind, value, label, and a button to remove it."""

    DEFAULT_CSS = """
    MethodRow { height: auto; }
    """

    def __init__(self, kind: str = "email", value: str = "", label: str = "", primary=False):
        super().__init__(classes="method-row")
        self.kind, self.value, self.label, self.primary = kind, value, label, primary

    def compose(self) -> ComposeResult:
        yield Select(
            [(k, k) for k in METHOD_KINDS],
            value=self.kind,
            allow_blank=False,
            compact=True,
            classes="method-kind",
        )
        yield Input(
            self.value,
            placeholder="e.g. ana@globex.com, a profile URL",
            classes="method-value",
        )
        yield Input(self.label, placeholder="e.g. work", classes="method-label")
        yield Button("remove", classes="method-remove", compact=True)

    def read(self) -> MethodInput | None:
        value = self.query_one(".method-value", Input).value
        if not value.strip():
            return None
        kind = self.query_one(".method-kind", Select).value
        label = self.query_one(".method-label", Input).value
        return MethodInput(str(kind), value, label, self.primary)

    def snapshot(self) -> tuple:
        return (
            str(self.query_one(".method-kind", Select).value),
            self.query_one(".method-value", Input).value,
            self.query_one(".method-label", Input).value,
        )


class ContactForm(Screen):
    CSS_PATH = STYLES  # screens.tcss

    BINDINGS = scoped(
        "form",
        [
            Binding("ctrl+s", "save", "Save", priority=True),
            Binding("escape", "cancel", "Cancel"),
            Binding("ctrl+n", "add_method", "Add method", tooltip="Add a contact method"),
            Binding(
                "ctrl+e",
                "external_edit",
                "Editor",
                priority=True,  # over the text area's own ctrl+e (end of line: end still is)
                tooltip="Edit the notes (or looking for) in $VISUAL / $EDITOR",
            ),
        ],
    )
    HELP_TITLE = "Contact form"
    HELP = (
        "tab and shift+tab move between fields. A changed job title or company asks: a "
        "correction, or a new job (the old one goes to the career history)? A new last "
        "name keeps the old one as a former name. "
        "Categories: tick existing ones with space, or type a new one and press enter."
    )

    def __init__(
        self,
        contact_id: int | None = None,
        *,
        save: Callable[[int, dict, int | None], object] | None = None,
        title: str | None = None,
    ) -> None:
        """`save(contact_id, changes, version)` writes an edit instead of
        `services.update_contact` (the audit records it as its edit decision); it is
        called even when nothing changed, may raise the services' errors, and the form
        shows them as usual. `version` is the contact's version the form edits (None
        when nothing changed): an edit saved over a newer one must raise `Conflict`,
        which opens the conflict dialog as for the form's own save."""
        super().__init__()
        self.contact_id = contact_id
        self.detail = services.get_contact(contact_id) if contact_id is not None else None
        #: the version this form edits (services.update_contact refuses an older one)
        self._version = self.detail.version if self.detail is not None else None
        self._initial: dict | None = None
        self._save = save
        self._title = title
        self._saving = False  # a save waits for another process's lock

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        d = self.detail
        policy = services.get_policy()
        with VerticalScroll(id="form"):
            title = self._title or (f"Edit {literal(d.name)}" if d else "Add a contact")
            yield Static(Content.styled(title, "bold"), id="form-title")
            yield Static(id="err-general", classes="form-error")
            with Grid(id="form-grid"):
                for field in ("first_name", "last_name", "job_title", "company", "location"):
                    with Vertical(classes="form-field"):
                        yield Label(LABELS[field])
                        yield Input(
                            getattr(d, field) if d else "",
                            placeholder=PLACEHOLDERS.get(field, ""),
                            id=f"f-{field}",
                        )
                        yield Static(id=_error_id(field), classes="form-error")
                with Vertical(classes="form-field"):
                    yield Label(LABELS["tier"])
                    tiers = [
                        (f"1 · priority (every {policy.cadence_tier1} days)", "1"),
                        (f"2 · regular (every {policy.cadence_tier2} days)", "2"),
                        (f"3 · light (every {policy.cadence_tier3} days)", "3"),
                        ("untracked (no reminders)", "untracked"),
                    ]
                    current = str(d.tier) if d and d.tier else "untracked"
                    yield Select(tiers, value=current, allow_blank=False, id="f-tier", compact=True)
                    yield Static(id=_error_id("tier"), classes="form-error")
                with Vertical(classes="form-field"):
                    yield Label(LABELS["cadence_days"])
                    yield Input(
                        str(d.cadence_days) if d and d.cadence_days else "",
                        placeholder="empty: the tier's",
                        id="f-cadence_days",
                    )
                    yield Static(id=_error_id("cadence_days"), classes="form-error")
                with Vertical(classes="form-field"):
                    yield Label(LABELS["met_on"])
                    with Horizontal(classes="with-preview"):
                        yield Input(
                            d.met_on.isoformat() if d and d.met_on else "",
                            placeholder=PLACEHOLDERS["met_on"],
                            id="f-met_on",
                        )
                        yield Static(id="met-on-parsed", classes="preview")
                    if d is None:  # adding: the met-on date is logged as the first meeting
                        yield Tick(
                            "met remotely, not face to face", id="f-met_remote", compact=True
                        )
                    yield Static(id=_error_id("met_on"), classes="form-error")
            with Vertical(classes="form-field", id="job-change-field"):
                yield Label("The new title or company is")
                yield Select(
                    JOB_CHANGE_CHOICES,
                    prompt="a correction or a new job? (choose one)",
                    id="f-job_change",
                    compact=True,
                )
                yield Static(id=_error_id("job_change"), classes="form-error")
            with Vertical(classes="form-field"):
                yield Label(LABELS["how_met"])
                yield Input(
                    d.how_met if d else "", placeholder=PLACEHOLDERS["how_met"], id="f-how_met"
                )
                yield Static(id=_error_id("how_met"), classes="form-error")
            with Vertical(classes="form-section", id="methods-section") as methods:
                methods.border_title = "Contact methods"
                methods.border_subtitle = "ctrl+n adds one"
                yield Vertical(id="methods")
                yield Button("+ add a method", id="add-method", compact=True)
            with Vertical(classes="form-section", id="categories-section") as cats:
                cats.border_title = "Categories"
                cats.border_subtitle = "space ticks · type a new one, enter"
                yield CategoryPicker(d.categories if d else [])
            for field in AREAS:
                with Vertical(classes="form-field"):
                    yield Label(LABELS[field])
                    yield TextArea(
                        getattr(d, field) if d else "",
                        id=f"f-{field}",
                        classes="form-area",
                        soft_wrap=True,
                    )
                    yield Static(id=_error_id(field), classes="form-error")
        yield KeyBar()

    async def on_mount(self) -> None:
        d = self.detail
        rows = [MethodRow(m.kind, m.value, m.label, m.primary) for m in d.methods] if d else []
        if not rows and d is None:
            rows = [MethodRow()]
        await self.query_one("#methods").mount_all(rows)
        for error in self.query(".form-error"):
            error.display = False
        self._preview_met_on()
        self._show_job_change()
        self._initial = self.values()
        self.set_focus(self.query_one("#f-first_name", Input))

    # ------------------------------------------------------------------ reading
    def _method_rows(self) -> list[MethodRow]:
        return list(self.query(MethodRow))

    def _categories(self) -> list[str]:
        return self.query_one(CategoryPicker).selected

    def values(self) -> dict:
        """Every field as typed (the form's state; compared to detect unsaved edits)."""
        out: dict = {f: self.query_one(f"#f-{f}", Input).value for f in TEXT_INPUTS}
        out["cadence_days"] = self.query_one("#f-cadence_days", Input).value
        out["met_on"] = self.query_one("#f-met_on", Input).value
        out["tier"] = str(self.query_one("#f-tier", Select).value)
        for f in AREAS:
            out[f] = self.query_one(f"#f-{f}", TextArea).text
        out["methods"] = tuple(r.snapshot() for r in self._method_rows() if r.snapshot()[1].strip())
        out["categories"] = tuple(sorted(self._categories(), key=str.casefold))
        return out

    @property
    def dirty(self) -> bool:
        return self._initial is not None and self.values() != self._initial

    # ------------------------------------------------------------------ live bits
    @on(Input.Changed, "#f-met_on")
    def _preview_met_on(self) -> None:
        preview = self.query_one("#met-on-parsed", Static)
        text = self.query_one("#f-met_on", Input).value.strip()
        if not text:
            preview.update("")
            return
        today = clock.today()
        try:
            day = parse_date(text, today)
        except InvalidInput:
            preview.update(Content.styled("?", "bold $text-error"))
            return
        preview.update(Content.styled(f"→ {short_date(day, today)}", "$text-success"))

    def _job_moved(self) -> bool:
        """The title or company of someone who had a job was changed in the form."""
        d = self.detail
        if d is None or not (d.job_title or d.company):
            return False
        title = self.query_one("#f-job_title", Input).value
        company = self.query_one("#f-company", Input).value
        return " ".join(title.split()) != d.job_title or " ".join(company.split()) != d.company

    @on(Input.Changed, "#f-job_title, #f-company")
    def _show_job_change(self) -> None:
        self.query_one("#job-change-field").display = self._job_moved()

    def _note_area(self) -> TextArea | None:
        """The notes or looking-for area with the focus (ctrl+e edits it), else the notes
        when no text field has the focus."""
        focused = self.focused
        if isinstance(focused, TextArea):
            return focused
        if focused is None or not isinstance(focused, Input):
            return self.query_one("#f-notes", TextArea)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "external_edit":  # elsewhere ctrl+e is the field's own (end of line)
            return self._note_area() is not None
        return True

    def action_external_edit(self) -> None:
        area = self._note_area()
        if area is None:
            return
        what = "looking for" if area.id == "f-looking_for" else "notes"
        text = self.app.edit_externally(area.text, what)
        if text is not None:
            area.load_text(text)
            area.focus()

    @on(Button.Pressed, "#add-method")
    def action_add_method(self) -> None:
        row = MethodRow()
        self.query_one("#methods").mount(row)
        self.call_after_refresh(lambda: row.query_one(".method-value", Input).focus())

    @on(Button.Pressed, ".method-remove")
    def _remove_method(self, event: Button.Pressed) -> None:
        row = event.button.parent
        if isinstance(row, MethodRow):
            row.remove()

    # ------------------------------------------------------------------ save / cancel
    def _changes(self) -> dict:
        now = self.values()
        before = self._initial or {}
        fields: dict = {}
        for key in (*TEXT_INPUTS, *AREAS, "met_on", "cadence_days", "tier"):
            if self.detail is None or now[key] != before.get(key):
                fields[key] = now[key]
        if self.detail is None or now["methods"] != before.get("methods"):
            fields["methods"] = [m for r in self._method_rows() if (m := r.read()) is not None]
        if self.detail is None or now["categories"] != before.get("categories"):
            fields["categories"] = self._categories()
        if "met_on" in fields and not fields["met_on"].strip():
            fields["met_on"] = None
        if "cadence_days" in fields and not str(fields["cadence_days"]).strip():
            fields["cadence_days"] = None
        if self._job_moved():
            choice = self.query_one("#f-job_change", Select).value
            fields["job_change"] = choice if isinstance(choice, str) else None
        return fields

    @recoverable
    def action_save(self) -> None:
        if self._saving:  # waiting for another process's lock: one save at a time
            return
        self._clear_errors()
        fields = self._changes()
        adding = self.detail is None
        cid = None if adding else self.detail.id
        custom = self._save
        version = self._version
        remote = adding and self.query_one("#f-met_remote", Checkbox).value

        def write():
            """Services only (it may run in a thread): the id, and what undo needs."""
            from netterm.services import undo

            if adding:
                return services.add_contact(met_remote=remote, **fields), None
            if custom is not None:
                custom(cid, fields, version if fields else None)
                return cid, None
            if not fields:
                return cid, None
            before = undo.contact_snapshot(cid)
            services.update_contact(cid, expected_version=version, **fields)
            return cid, undo.created_since(cid, before)

        def done(result) -> None:
            self._saving = False
            saved, before = result
            name = services.get_contact(saved).name
            if self.is_attached:
                self._initial = self.values()
            self.app.refresh_contacts([saved])
            self.app.show_in_list(saved)
            verb = "Added" if adding else ("Saved" if fields else "No changes to")
            undoable = adding or before is not None
            self.notify(f"{verb} {name}." + (" u undoes." if undoable else ""), markup=False)
            if adding:
                self.app.push_undo(
                    f"addition of {name} (archived, never deleted)",
                    partial(services.archive, saved),
                    lambda _result: self.app.refresh_contacts([saved]),
                )
            elif before is not None:
                from netterm.services import undo

                self.app.push_undo(
                    f"edit of {name}",
                    partial(undo.restore_snapshot, saved, before),
                    lambda _result: self.app.refresh_contacts([saved]),
                )
            if self.is_attached:
                self.dismiss(saved)

        def failed(exc: BaseException) -> None:
            self._saving = False
            if not self.is_attached:
                self.app.notify(str(exc), title="That did not work", severity="error", markup=False)
            elif isinstance(exc, ValidationFailed):
                self._show_errors(exc.errors)
            elif isinstance(exc, InvalidInput):
                self._show_errors({exc.field: str(exc)})
            elif isinstance(exc, Conflict) and cid is not None:
                # someone saved this contact meanwhile: show both sides, let the user merge
                self._resolve_conflict(cid)
            else:
                self._show_errors({"general": str(exc)})

        self._saving = True
        self.app.run_write(write, done, failed=failed, label="the contact")

    # ------------------------------------------------------------------ conflicts
    def _resolve_conflict(self, cid: int) -> None:
        """The dialog of what changed on both sides; its answer is loaded, then saved
        over the new version (a further save elsewhere shows the dialog again)."""
        from netterm.tui.screens.conflict import ConflictField, ConflictScreen, Side

        assert self.detail is not None and self._initial is not None
        fresh = services.get_contact(cid)
        base, theirs = _detail_values(self.detail), _detail_values(fresh)
        mine, initial = self.values(), self._initial
        rows: list[ConflictField] = []
        for key in FIELDS:
            if theirs[key] == base[key]:
                continue  # they did not change it: yours stands
            changed = mine[key] != initial[key]
            if changed and mine[key] == theirs[key]:
                continue  # the same edit on both sides
            rows.append(
                ConflictField(
                    key,
                    CONFLICT_LABELS.get(key) or LABELS[key],
                    _shown(key, mine[key]),
                    _shown(key, theirs[key]),
                    changed,
                )
            )
        if not rows:  # nothing in the form differs: save over the new version
            self.run_worker(self._merge(fresh, {}), exclusive=True, group="conflict")
            return

        def answer(choices: dict[str, Side] | None) -> None:
            if choices is None:
                self.notify("Nothing saved: the form still holds your edits.", markup=False)
                return
            self.run_worker(self._merge(fresh, choices), exclusive=True, group="conflict")

        self.app.push_screen(ConflictScreen(fresh.name, rows), answer)

    async def _merge(self, fresh: ContactDetail, choices: Mapping[str, str]) -> None:
        """Rebase the form on `fresh` (the version saved elsewhere): each field is the
        chosen side, yours where only you changed it, theirs elsewhere; then save it,
        unless every value is theirs (the form just shows their version)."""
        assert self.detail is not None and self._initial is not None
        base, theirs = _detail_values(self.detail), _detail_values(fresh)
        mine, initial = self.values(), self._initial
        # what the form would read if it had been opened on `fresh`
        baseline = {k: initial[k] if theirs[k] == base[k] else theirs[k] for k in initial}
        take = {
            k
            for k in FIELDS
            if choices.get(k) == "theirs" or (k not in choices and mine[k] == initial[k])
        }
        self.detail = fresh
        self._version = fresh.version
        await self._load(fresh, {k for k in take if theirs[k] != base[k]})
        self._initial = baseline
        self._show_job_change()
        self._preview_met_on()
        if not self.dirty:
            self.notify(f"Took their version of {fresh.name}; nothing to save.", markup=False)
            return
        self.action_save()

    async def _load(self, fresh: ContactDetail, keys: set[str]) -> None:
        """Put `fresh`'s value of each of `keys` into the form."""
        values = _detail_values(fresh)
        for key in keys:
            if key in AREAS:
                self.query_one(f"#f-{key}", TextArea).load_text(str(values[key]))
            elif key == "tier":
                self.query_one("#f-tier", Select).value = str(values[key])
            elif key == "methods":
                await self.query_one("#methods").remove_children()
                rows = [MethodRow(m.kind, m.value, m.label, m.primary) for m in fresh.methods]
                await self.query_one("#methods").mount_all(rows)
            elif key == "categories":
                self._load_categories(list(fresh.categories))
            else:
                self.query_one(f"#f-{key}", Input).value = str(values[key])

    def _load_categories(self, names: list[str]) -> None:
        options = self.query_one(CategoryPicker).options
        options.deselect_all()
        known = {str(options.get_option_at_index(i).value) for i in range(options.option_count)}
        for name in names:
            if name not in known:
                options.add_option((literal(name), name, True))
            options.select(name)

    def _clear_errors(self) -> None:
        for note in self.query(".method-error"):
            note.remove()
        for error in self.query(".form-error"):
            error.update("")
            error.display = False
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")

    def _show_errors(self, errors: dict[str, str]) -> None:
        first = None
        rows = self._method_rows()
        filled = [r for r in rows if r.read() is not None]
        for key, message in errors.items():
            target = key
            if key == "name":
                target = "first_name"
            if key == "job change":
                target = "job_change"
            if key.startswith("methods."):
                index = int(key.split(".", 1)[1])
                if index < len(filled):
                    row = filled[index]
                    self._row_error(row, message)
                    first = first or row.query_one(".method-value", Input)
                    continue
                target = "general"
            if key.startswith("categories.") or key == "category":
                target = "categories"
            try:
                error = self.query_one(f"#{_error_id(target)}", Static)
            except Exception:
                error = self.query_one("#err-general", Static)
            error.update(plain(message))
            error.display = True
            try:
                widget = self.query_one(f"#f-{target}")
                widget.add_class("-invalid")
                first = first or widget
            except Exception:
                pass
        self.notify("Please fix the fields marked in red.", severity="error", markup=False)
        if first is not None:
            first.focus()
            first.scroll_visible()

    def _row_error(self, row: MethodRow, message: str) -> None:
        note = Static(plain(message), classes="form-error method-error")
        row.query_one(".method-value", Input).add_class("-invalid")
        self.query_one("#methods").mount(note, after=row)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        from netterm.tui.screens.confirm import ConfirmScreen

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        what = f"your edits to {self.detail.name}" if self.detail else "this new contact"
        self.app.push_screen(
            ConfirmScreen(
                f"Discard {what}? Nothing has been saved yet.", "Discard", "Keep editing"
            ),
            answer,
        )
