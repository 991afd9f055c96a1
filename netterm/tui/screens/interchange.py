"""Import and export from the command palette (ctrl+p → "Import LinkedIn connections…").

Import: type the file's path (`~` works), `enter` checks it with a dry run that
writes nothing and shows what would change; `enter` again imports it for real, in one
transaction, and shows the summary; the list refreshes. Both runs are thread workers
(with their own SQLite connection) reporting progress to the bar; a malformed file
stops with its `FILE:LINE: …` message and the database stays as it was.

Export: pick a format, a path, `enter` writes it (readable by you only).
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, ProgressBar, RadioSet, Static

from netterm.config import clock
from netterm.errors import NetTermError
from netterm.tui.fields import Fields, row
from netterm.tui.keys import scoped
from netterm.tui.screens import STYLES
from netterm.tui.text import join, literal, plain, plural
from netterm.tui.widgets.toggles import Radio, Tick

#: What each import reads, and where people find that file.
IMPORTS = {
    "linkedin": (
        "Import LinkedIn connections",
        "LinkedIn's Connections.csv (Settings → Data privacy → Get a copy of your data)",
        "~/Downloads/Connections.csv",
    ),
    "google": (
        "Import Google contacts",
        "a Google Contacts CSV (contacts.google.com → Export → Google CSV)",
        "~/Downloads/contacts.csv",
    ),
    "vcard": (
        "Import vCard",
        "a .vcf file, or a folder of them (khard, vdirsyncer, Apple Contacts)",
        "~/.contacts/default",
    ),
    "json": (
        "Import netterm JSON",
        "a netterm JSON export: everything, touches and history included",
        "~/netterm-backup.json",
    ),
    # capture: touches from the user's own records (netterm/services/capture.py)
    "mail": (
        "Import mail",
        "an mbox file (Gmail Takeout, Thunderbird) or a Maildir folder: e-mails with people "
        "you know become touches (subjects kept, bodies never)",
        "~/Takeout/Mail/All mail Including Spam and Trash.mbox",
    ),
    "calendar": (
        "Import calendar",
        "an .ics file or a folder of them (Google export, khal, vdirsyncer): past meetings "
        "become touches, future ones follow-ups",
        "~/Downloads/calendar.ics",
    ),
    "linkedin-export": (
        "Import LinkedIn export",
        "LinkedIn's data-export ZIP, or its messages.csv: connections become contacts, "
        "messages touches",
        "~/Downloads/Basic_LinkedInDataExport.zip",
    ),
}
#: Imports that also read a folder.
FOLDER_FORMATS = frozenset({"vcard", "mail", "calendar"})
#: Export formats: (label, file extension).
EXPORTS = {
    "vcard": ("vCard 4.0", ".vcf"),
    "csv": ("CSV spreadsheet", ".csv"),
    "json": ("netterm JSON", ".json"),
    "ics": ("iCalendar", ".ics"),
}
CHANGES_SHOWN = 8
#: From this many new contacts on, the list is reloaded whole rather than row by row.
RELOAD_ALL_FROM = 500
PROBLEMS_SHOWN = 5
_MARKS = {"added": "+", "updated": "~", "skipped": "-"}


def user_path(text: str) -> Path:
    """The path typed, with `~` expanded (relative paths are from where netterm started)."""
    return Path(text.strip()).expanduser()


def _shown(path: Path) -> str:
    """A path as the user would type it (~ for the home folder)."""
    home = Path.home()
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)


class _FileDialog(ModalScreen[None]):
    """The parts both dialogs share: an error line, a progress bar, a summary."""

    CSS_PATH = STYLES  # screens.tcss

    def _error(self, text: str) -> None:
        error = self.query_one(".dialog-error", Static)
        error.update(plain(text))
        error.display = bool(text)

    def _bar(self, shown: bool, total: float | None = None) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = shown
        if shown:
            bar.update(total=total, progress=0)

    def _progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _say(self, text: str) -> None:
        self.query_one(".dialog-box").border_subtitle = text


class ImportScreen(_FileDialog):
    BINDINGS = scoped(
        "import",
        [
            Binding("escape", "cancel", "Cancel"),
            Binding("enter", "go", "Continue", show=False),
        ],
    )
    HELP_TITLE = "Import"
    HELP = (
        "enter checks the file first: a dry run that writes nothing and shows who would be "
        "added, updated or skipped. enter again imports it, in one transaction (an error "
        "leaves the network as it was). People already in netterm are matched by LinkedIn "
        "profile, then email, then name; nothing is ever deleted."
    )

    def __init__(self, fmt: str, path: str = "") -> None:
        super().__init__()
        self.fmt = fmt
        self.initial = path
        self.stage = "path"  # path → checking → preview → importing → done
        self.path: Path | None = None
        self.summary = None
        #: set by esc (or leaving the app): the worker stops reading, nothing is written
        self.cancel_event = threading.Event()

    def compose(self) -> ComposeResult:
        title, what, example = IMPORTS[self.fmt]
        with Vertical(id="import", classes="dialog dialog-box") as box:
            box.border_title = title
            yield Static(Content.styled(f"Reads {what}.", "$text-muted"))
            with Horizontal(classes="ql-row"):
                yield Label("file", classes="ql-label")
                yield Input(self.initial, placeholder=f"e.g. {example}", id="imp-path")
            yield ProgressBar(show_eta=False, id="imp-bar")
            with VerticalScroll(id="imp-summary-box"):
                yield Static(id="imp-summary")
            yield Static(classes="dialog-error")

    def on_mount(self) -> None:
        self._error("")
        self._bar(False)
        self.query_one("#imp-summary-box").display = False
        self._say("enter checks the file (writes nothing) · esc cancels")
        self.set_focus(self.query_one("#imp-path", Input))

    # ------------------------------------------------------------------ steps
    @on(Input.Submitted, "#imp-path")
    def _path_given(self, event: Input.Submitted) -> None:
        event.stop()
        if self.stage == "path":
            self._check(event.value)

    def action_go(self) -> None:
        if self.stage == "path":
            self._check(self.query_one("#imp-path", Input).value)
        elif self.stage == "preview":
            self._apply()
        elif self.stage == "done":
            self.dismiss()

    def _check(self, text: str) -> None:
        if not text.strip():
            self._error("Type the path of the file to import.")
            return
        path = user_path(text)
        if not path.exists():
            self._error(f"No file at {_shown(path)}: check the path (~ is your home folder).")
            return
        if path.is_dir() and self.fmt not in FOLDER_FORMATS:
            self._error(f"{_shown(path)} is a folder; give the file itself.")
            return
        self.path = path
        self._error("")
        self.stage = "checking"
        self.query_one("#imp-path", Input).disabled = True
        self._bar(True)
        self._say("checking the file… (nothing is written)")
        self._run(path, dry_run=True)

    def _apply(self) -> None:
        self.stage = "importing"
        self._bar(True)
        self._say("importing… (one transaction: all or nothing)")
        self._run(self.path, dry_run=False)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _run(self, path: Path, dry_run: bool) -> None:
        """The import itself, off the UI thread, on this thread's own connection."""
        from netterm.interchange.guard import Cancelled
        from netterm.services import connection

        app = self.app

        def progress(done: int, total: int) -> None:
            app.call_from_thread(self._progress, done, total)

        try:
            summary = self._call(path, dry_run, progress)
        except Cancelled:
            return  # the user left the dialog: nothing to show, nothing was written
        except NetTermError as exc:
            app.call_from_thread(self._failed, exc, dry_run)
            return
        except Exception as exc:  # a bug, or the file changed under us: say it, write nothing
            app.call_from_thread(self._failed, exc, dry_run)
            return
        finally:
            connection.release()
        app.call_from_thread(self._finished, summary)

    def _call(self, path: Path, dry_run: bool, progress):
        from netterm.services import interchange

        return interchange.import_file(
            path, self.fmt, dry_run=dry_run, progress=progress, cancel=self.cancel_event
        )

    def _failed(self, exc: Exception, dry_run: bool) -> None:
        self._bar(False)
        self._error(str(exc) + ("" if dry_run else " Nothing was imported."))
        self.stage = "path"
        path_input = self.query_one("#imp-path", Input)
        path_input.disabled = False
        self.set_focus(path_input)
        self._say("fix the file or the path, enter checks again · esc cancels")

    def _finished(self, summary) -> None:
        self.summary = summary
        self._bar(False)
        box = self.query_one("#imp-summary-box", VerticalScroll)
        box.display = True
        self.query_one("#imp-summary", Static).update(self._summary(summary))
        self.set_focus(box)
        if summary.dry_run:
            self.stage = "preview"
            if summary.added or summary.updated:
                self._say("enter imports · esc cancels (nothing written)")
            else:
                self._say("nothing would change · enter imports anyway · esc cancels")
            return
        self.stage = "done"
        self._say("enter or esc closes")
        self.app.reload_network(everything=summary.added > RELOAD_ALL_FROM)
        self.notify(summary.headline(), title="Imported", markup=False)

    # ------------------------------------------------------------------ the summary
    def _summary(self, s) -> Fields:
        rows: list = [Content.styled(literal(s.headline()), "bold")]
        listed = [c for c in s.changes if c.action != "skipped"] or list(s.changes)
        # job changes first (people to congratulate), then other updates, then the new
        listed.sort(key=lambda c: (not c.job_change, c.action != "updated"))
        if listed:
            more = (
                f" (first {CHANGES_SHOWN} of {len(listed)})" if len(listed) > CHANGES_SHOWN else ""
            )
            rows.append(Content.styled(f"\nChanges{more}:", "bold"))
            for c in listed[:CHANGES_SHOWN]:
                head = Content.styled(
                    f"  {_MARKS.get(c.action, ' ')} {c.action:<8} ", "$text-muted"
                )
                who = Content.styled(literal(c.name) or literal(c.where), "bold")
                detail = "; ".join(c.details)
                rows.append(
                    row(
                        head,
                        join(
                            who,
                            Content.styled(f"  {literal(detail)}", "$text-muted") if detail else "",
                        ),
                    )
                )
        if s.problems:
            rows.append(
                Content.styled(
                    f"\nWarnings ({len(s.problems)}, imported anyway):", "bold $text-warning"
                )
            )
            for p in s.problems[:PROBLEMS_SHOWN]:  # the file is named above: its line here
                where = f"{Path(p.source).name}:{p.line}" if p.line else Path(p.source).name
                rows.append(row("  ", plain(f"{where}: {p.message}", "$text-warning")))
            if len(s.problems) > PROBLEMS_SHOWN:
                rows.append(
                    Content.styled(
                        f"  … and {len(s.problems) - PROBLEMS_SHOWN} more (netterm import {s.format} FILE --dry-run lists them)",
                        "$text-muted",
                    )
                )
        if s.ignored:
            parts = ", ".join(f"{literal(k)} ×{n}" for k, n in s.ignored.items())
            rows.append(
                row(Content.styled("Not imported: ", "$text-muted"), plain(parts, "$text-muted"))
            )
        if s.dry_run:
            rows.append(
                Content.styled(
                    "\nA dry run: nothing was written. enter imports it for real.", "$text-accent"
                )
            )
        else:
            if s.untracked:
                rows.append(
                    Content.styled(
                        f"\n{plural(s.untracked, 'new contact is', 'new contacts are')} untracked "
                        "until you give them a tier: the audit (A) walks through them.",
                        "$text-muted",
                    )
                )
            if s.job_changes:
                rows.append(
                    Content.styled(
                        f"{plural(s.job_changes, 'job change')} flagged 'new job': "
                        "congratulate them (/ is:jobchanged lists them).",
                        "$text-muted",
                    )
                )
        return Fields(rows)

    def action_cancel(self) -> None:
        if self.stage in ("checking", "importing"):
            self.notify("Import cancelled: nothing was written.", markup=False)
        self.cancel_event.set()
        self.dismiss()

    def on_unmount(self) -> None:
        self.cancel_event.set()  # quitting the app stops a running import too


class CaptureResult:
    """What a capture dialog shows: the capture summary and, for a LinkedIn export, the
    connections imported with it (the dialog reads `dry_run`, `added`, `updated`)."""

    def __init__(self, capture=None, connections=None) -> None:
        self.capture = capture
        self.connections = connections
        parts = [p for p in (connections, capture) if p is not None]
        self.dry_run = parts[0].dry_run if parts else True
        self.added = sum(p.added for p in parts)
        self.updated = connections.updated if connections is not None else 0

    def headline(self) -> str:
        return " ".join(p.headline() for p in (self.connections, self.capture) if p is not None)


class CaptureScreen(ImportScreen):
    """Touches from mail, a calendar or LinkedIn's export: the same two steps (a dry run,
    then the import in one transaction). Who "me" is comes from `netterm settings me`,
    else from the file (every conversation has the owner in it)."""

    HELP_TITLE = "Capture"
    HELP = (
        "enter checks the file first: a dry run that writes nothing and shows how many "
        "touches it would add, with whom, and who you exchanged the most with who is not in "
        "netterm. enter again imports it, in one transaction. Re-importing adds nothing "
        "twice, and a captured touch you deleted is not brought back. Your own addresses "
        "come from `netterm settings me`, else from the file."
    )

    def _call(self, path: Path, dry_run: bool, progress):
        from netterm.services import capture

        if self.fmt == "mail":
            return CaptureResult(
                capture.capture_mail(
                    path, dry_run=dry_run, progress=progress, cancel=self.cancel_event
                )
            )
        if self.fmt == "calendar":
            return CaptureResult(
                capture.capture_calendar(
                    path, dry_run=dry_run, progress=progress, cancel=self.cancel_event
                )
            )
        r = capture.import_linkedin(
            path, dry_run=dry_run, progress=progress, cancel=self.cancel_event
        )
        return CaptureResult(r.messages, r.connections)

    def _summary(self, s) -> Fields:
        rows: list = []
        if s.connections is not None:
            rows.extend(super()._summary(s.connections).rows)
            rows.append(Content(""))
        c = s.capture
        if c is None:
            return Fields(rows)
        rows.append(Content.styled(literal(c.headline()), "bold"))
        if c.me_inferred:
            rows.append(
                plain(
                    f"You are {c.me[0]} (in every one of the {c.me_seen_in} conversations "
                    "read; `netterm settings me` remembers it).",
                    "$text-muted",
                )
            )
        if c.skipped:
            parts = ", ".join(
                f"{k} {n:,}" for k, n in sorted(c.skipped.items(), key=lambda kv: -kv[1])
            )
            rows.append(
                row(Content.styled("Not touches: ", "$text-muted"), plain(parts, "$text-muted"))
            )
        if c.unknown:
            rows.append(
                Content.styled("\nNot in netterm, the people you exchanged the most with:", "bold")
            )
            for u in c.unknown[:CHANGES_SHOWN]:
                rows.append(row("  ", plain(str(u))))
            rows.append(
                Content.styled(
                    "  (`netterm import … --add-unknown N` adds the top N)", "$text-muted"
                )
            )
        if c.problems:
            rows.append(Content.styled(f"\nWarnings ({len(c.problems)}):", "bold $text-warning"))
            for p in c.problems[:PROBLEMS_SHOWN]:
                rows.append(
                    row("  ", plain(f"{Path(p.source).name}: {p.message}", "$text-warning"))
                )
        if c.dry_run:
            rows.append(
                Content.styled(
                    "\nA dry run: nothing was written. enter imports it for real.", "$text-accent"
                )
            )
        return Fields(rows)


class ExportScreen(_FileDialog):
    BINDINGS = scoped(
        "export",
        [
            Binding("escape", "cancel", "Cancel"),
            Binding("enter", "go", "Export", show=False),
        ],
    )
    HELP_TITLE = "Export"
    HELP = (
        "vCard 4.0 (khard, Apple, Google read it; netterm's own fields ride along in "
        "X-NETTERM-* properties), CSV for a spreadsheet, netterm JSON (everything, to move or "
        "restore), iCalendar (catch-ups and follow-ups for your calendar). The file is "
        "readable by you only; an existing file is replaced only after a second enter."
    )

    def __init__(self, fmt: str = "vcard") -> None:
        super().__init__()
        self.fmt = fmt
        self._replace: Path | None = None  # the existing file a second enter replaces
        self._default = ""
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export", classes="dialog dialog-box") as box:
            box.border_title = "Export the network"
            with Horizontal(classes="ql-row"):
                yield Label("as", classes="ql-label")
                with RadioSet(id="exp-format"):
                    for fmt, (label, _ext) in EXPORTS.items():
                        yield Radio(label, value=fmt == self.fmt, id=f"exp-{fmt}")
            with Horizontal(classes="ql-row"):
                yield Label("file", classes="ql-label")
                yield Input(self._default_path(), id="exp-path")
            with Horizontal(classes="ql-row", id="exp-options"):
                yield Label("", classes="ql-label")
                yield Tick("archived contacts too", True, id="exp-archived")
            yield ProgressBar(show_eta=False, show_percentage=False, id="exp-bar")
            yield Static(id="exp-result")
            yield Static(classes="dialog-error")

    def _default_path(self) -> str:
        self._default = f"~/netterm-{clock.today().isoformat()}{EXPORTS[self.fmt][1]}"
        return self._default

    def on_mount(self) -> None:
        self._error("")
        self._bar(False)
        self._show_options()
        self._say("↑↓ format · tab moves · enter exports · esc cancels")
        self.set_focus(self.query_one("#exp-path", Input))

    @on(RadioSet.Changed, "#exp-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        self.fmt = str(event.pressed.id).removeprefix("exp-")
        path = self.query_one("#exp-path", Input)
        if path.value == self._default:  # not typed by the user: follow the format
            path.value = self._default_path()
        self._replace = None
        self._error("")
        self._show_options()

    def _show_options(self) -> None:
        # iCalendar holds catch-ups and follow-ups of active contacts only
        self.query_one("#exp-options").display = self.fmt != "ics"

    @on(Input.Changed, "#exp-path")
    def _path_changed(self) -> None:
        self._replace = None
        self._error("")

    @on(Input.Submitted, "#exp-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_go()

    def action_go(self) -> None:
        if self.done:
            self.dismiss()
            return
        text = self.query_one("#exp-path", Input).value
        if not text.strip():
            self._error("Type where to write the file.")
            return
        path = user_path(text)
        if path.is_dir():
            self._error(f"{_shown(path)} is a folder; add a file name.")
            return
        if not path.parent.is_dir():
            self._error(f"No folder {_shown(path.parent)}: create it first, or pick another.")
            return
        if path.exists() and self._replace != path:
            self._replace = path
            self._error(f"{_shown(path)} exists. enter again replaces it.")
            return
        self._error("")
        self._bar(True)
        self._say("writing…")
        include = self.query_one("#exp-archived", Checkbox).value
        self._write(self.fmt, path, include)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _write(self, fmt: str, path: Path, include_archived: bool) -> None:
        from netterm.services import connection, interchange

        app = self.app
        try:
            summary = interchange.export(fmt, path, include_archived=include_archived)
        except Exception as exc:  # netterm's errors (cannot write there …) and OS errors
            app.call_from_thread(self._failed, exc)
            return
        finally:
            connection.release()
        app.call_from_thread(self._written, summary)

    def _failed(self, exc: Exception) -> None:
        self._bar(False)
        self._error(f"{exc} Nothing was written.")
        self._say("↑↓ format · tab moves · enter exports · esc cancels")

    def _written(self, summary) -> None:
        self._bar(False)
        where = _shown(Path(summary.path))
        if summary.format == "ics":
            text = (
                f"Wrote {plural(summary.entries, 'calendar entry', 'calendar entries')} "
                f"({summary.contacts} catch-ups, {summary.entries - summary.contacts} "
                f"follow-ups) to {where}."
            )
        else:
            touches = (
                f" with {plural(summary.entries, 'touch', 'touches')}"
                if summary.format in ("json", "vcard")
                else ""
            )
            text = f"Exported {plural(summary.contacts, 'contact')}{touches} to {where}."
        self.query_one("#exp-result", Static).update(
            join(Content.styled("✓ ", "bold $text-success"), plain(text))
        )
        self.done = True
        self._say("readable by you only · enter or esc closes")
        self.notify(text, title="Exported", markup=False)

    def action_cancel(self) -> None:
        self.dismiss()
