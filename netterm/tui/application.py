"""The netterm app: the contacts list first, everything else a key away.

Opened by `netterm.tui.app.run`. The app holds the contacts model and the background
watcher; screens call the app's small action helpers (log, archive, reply, …), which
write through the services, refresh the rows they touched at once, and let the watcher
recompute the rest.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.signal import Signal

from netterm import startup
from netterm.config import clock
from netterm.core import status as st
from netterm.services.rowviews import NetworkRow
from netterm.tui import screens
from netterm.tui.commands import NettermCommands
from netterm.tui.guard import recoverable_errors
from netterm.tui.keys import scoped
from netterm.tui.model import ContactsModel, Update
from netterm.tui.text import plural, thousands
from netterm.tui.watcher import POLL_INTERVAL, POSTGRES_POLL_INTERVAL, Watcher

if TYPE_CHECKING:
    from textual.widget import AwaitMount

#: The titles of the start-up toast (NettermApp._welcome).
WELCOME_TITLES = frozenset({"Welcome to netterm", "Needs your attention", "All caught up"})
#: From this many contacts on, the loaded rows are exempted from garbage collection.
BIG_NETWORK = 5_000
#: In a big network, the Insights figures are read in the background once the app has
#: seen no change for this long (seconds), after the load and after each write
#: (docs/insights.md, "How the screen loads").
WARM_AFTER = 0.5
WARM_AT = BIG_NETWORK


@dataclass(slots=True)
class UndoStep:
    label: str  # "archive of Ana Silva"
    #: the write that takes the change back: services only, it may run in a thread
    undo: Callable[[], Any]
    #: then, on the UI thread, with what `undo` returned: refresh what it changed
    after: Callable[[Any], None] | None = None


@dataclass(slots=True)
class Write:
    """One write the app runs for a key (see `NettermApp.run_write`)."""

    write: Callable[[], Any]
    done: Callable[[Any], None] | None
    failed: Callable[[BaseException], None] | None
    label: str


class NettermApp(App[None]):
    CSS_PATH = "netterm.tcss"
    TITLE = "netterm"
    COMMANDS = {NettermCommands}  # Textual's system commands come last, from it
    NOTIFICATION_TIMEOUT = 4

    BINDINGS = scoped(
        "app",
        [
            Binding("q", "quit", "Quit", tooltip="Quit netterm"),
            Binding("question_mark", "help", "Help", key_display="?", tooltip="Every key here"),
            Binding("f1", "help", "Help", show=False, tooltip="Every key here, even while typing"),
            Binding(
                "u",
                "undo",
                "Undo",
                show=False,
                tooltip="Undo the last change: archive, log, touch edit or delete, reply, follow-up",
            ),
            Binding("A", "open_screen('audit')", "Audit", show=False, tooltip="Start the audit"),
        ],
    )

    def __init__(
        self,
        path: str | Path | None = None,
        screen: str | None = None,
        *,
        poll_interval: float = POLL_INTERVAL,
        watch: bool = True,
        first_page=None,
    ) -> None:
        super().__init__()
        if screen is not None:
            screens.check(screen)  # a wrong name fails before the terminal is taken over
        from netterm.services.connection import PostgresURL, is_postgres_url

        postgres = is_postgres_url(path)
        if postgres:  # another device's write shows within 2 s: NOTIFY is cheap to check
            self.path = path if isinstance(path, PostgresURL) else PostgresURL(path)
            poll_interval = min(poll_interval, POSTGRES_POLL_INTERVAL)
        else:
            self.path = Path(path) if path else None
        self.start_screen = screen
        self.poll_interval = poll_interval
        self.model = ContactsModel()
        self.watcher = Watcher(self)
        self._watch = watch
        self._undo: list[UndoStep] = []
        self._writes: deque[Write] = deque()  # waiting for another process's lock
        #: what the app is waiting to write (another process holds the lock), or None
        self.busy: str | None = None
        #: Published with `busy` when the app starts or stops waiting for the lock.
        self.busy_changed: Signal[str | None] = Signal(self, "busy-changed")
        #: Published after a write here (the ids it changed) and, with None, when another
        #: process wrote: screens that show one contact read it again.
        self.data_changed: Signal[frozenset[int] | None] = Signal(self, "data-changed")
        #: Published with an `Update` whenever rows changed (screens subscribe).
        self.rows_changed: Signal[Update] = Signal(self, "rows-changed")
        #: Published when the header counts changed.
        self.counts_changed: Signal[None] = Signal(self, "counts-changed")
        #: netterm.tui.app.FirstPage: the first screenful, read while Textual started
        self.first_page = first_page
        self._last_failure = ""
        self.loaded = False  # the whole network is in the model
        #: moves on with every write made or seen here (figures read before are stale)
        self.generation = 0
        #: the one line `run` prints after an unexpected error (or a database that could
        #: not be opened) ended the app
        self.crash_line = ""
        self._apply_config()

    # ------------------------------------------------------------------ crashes
    def _handle_exception(self, error: Exception) -> None:
        """An error no handler caught ends the app, as in Textual, but its traceback goes
        to the private crash log (netterm/crash.py), without local variables: Textual's
        own would print the values of locals (other people's notes and dates) on the
        terminal. `run` prints one line and exits 1."""
        from netterm import crash

        self._return_code = 1
        if self._exception is None:  # run_test re-raises it for the tests
            self._exception = error
            self._exception_event.set()
        if not self.crash_line:
            self.crash_line = crash.report(error, "the app")
        self._close_messages_no_wait()

    def _on_notify(self, event) -> None:
        """A toast replaces the one of its kind shown (news replaces news, a warning a
        warning): toasts do not stack over the rows, and a warning stays under news."""
        for note in list(self._notifications):
            if note.severity == event.notification.severity:
                self._unnotify(note, refresh=False)
        super()._on_notify(event)

    # ------------------------------------------------------------------ start and stop
    def get_default_screen(self):
        """The contacts list is the bottom of the stack (no blank screen under it)."""
        from netterm.tui.screens.contacts import ContactsScreen

        return ContactsScreen()

    # ------------------------------------------------------------------ the config file
    def _apply_config(self) -> None:
        """The user's keymap and theme (netterm/userconfig.py). Nothing in it stops the
        app: each problem is one line of a warning shown once the app is up."""
        from netterm import userconfig

        config = userconfig.load()
        self.config = config
        self.config_problems = list(config.problems)
        if config.keymap:
            self.set_keymap(config.keymap)
        if config.theme is not None:
            if config.theme in self.available_themes:
                self.theme = config.theme
            else:
                self.config_problems.append(
                    f"{config.path}: theme: no theme named '{config.theme}' "
                    "(ctrl+p → Change theme lists them)"
                )
        self._saved_theme = self.theme

    def _check_keymap(self) -> None:
        """Binding ids of the keymap that no key has (a typo): said, after the first frame
        (checking them imports the screens they name)."""
        from netterm.tui import keys

        unknown = keys.unknown_ids(self.config.keymap)
        for ident in unknown:
            self.config_problems.append(
                f"{self.config.path}: keys.{ident}: no key has this id (docs/keymap.md)"
            )
        for ident, key, other in keys.clashes(self.config.keymap):
            self.config_problems.append(
                f"{self.config.path}: keys.{ident}: {key} was the key of {other.id} "
                f"({other.description or other.action}), which now has no key"
            )
        self._tell_config_problems()

    def _tell_config_problems(self) -> None:
        if self.config_problems:
            self.notify(
                "\n".join(self.config_problems) + "\nThe defaults are used for these.",
                title="Your config file",
                severity="warning",
                timeout=10,
                markup=False,
            )
            self.config_problems = []

    def _theme_changed(self, theme) -> None:
        """ctrl+p → Change theme: remembered in the config file for the next start."""
        if theme.name == self._saved_theme:
            return
        from netterm import userconfig

        try:
            userconfig.save_theme(theme.name, self.config.path)
        except OSError as exc:
            self.notify(
                f"The theme could not be saved in {self.config.path}: {exc.strerror or exc}",
                severity="warning",
                markup=False,
            )
            return
        except ValueError as exc:  # the file does not parse: left as it is
            self.notify(
                f"The theme was not saved: {exc}",
                severity="warning",
                markup=False,
            )
            return
        self._saved_theme = theme.name

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.start_screen and self.start_screen != screens.DEFAULT:
            self.open_screen(self.start_screen)

    def on_ready(self) -> None:
        startup.resume()  # paused by netterm.cli.main until the first frame
        if not self._open_store():
            return
        self.call_later(self._read_screen_styles)
        if self.config.keymap:
            self.call_later(self._check_keymap)
        else:
            self._tell_config_problems()
        # After the first frame: the full load must not delay the first paint.
        if self._watch:
            self.watcher.start()
            self.set_interval(self.poll_interval, self.watcher.poll, name="watch-db")
        else:
            self.call_later(self.load_now)

    def _open_store(self) -> bool:
        """Open the database if the app started before it did (netterm/cli: open_app,
        netterm/store/__init__.py: open_later). If that fails (a file changed since it
        was checked, locked, or unreadable), the app ends with the one line `run` prints;
        False then."""
        from netterm.services import connection

        try:
            connection.open_now()
        except recoverable_errors() as exc:
            self.crash_line = str(exc)
            self.exit(return_code=1)
            return False
        return True

    def _read_screen_styles(self) -> None:
        """The other screens' stylesheet (screens.tcss), right after the first frame, which
        does not need it (netterm/tui/screens/__init__.py: STYLES). Parsed on its own (the
        sheets already read come from the stylesheet's cache), so opening a screen later
        costs nothing; a screen opened before now had Textual read it already."""
        if self.stylesheet.has_source(str(screens.STYLES), ""):
            return
        self.stylesheet.read(screens.STYLES)
        self.stylesheet.parse()
        self.stylesheet.update(self)

    def load_now(self) -> None:
        """Load the whole network on this thread (tests and scripts without the watcher)."""
        from netterm.services import network

        net = network.load_network()
        self._on_loaded(net.rows, net.today, net.counts)

    def exit(self, *args, **kwargs) -> None:
        self.watcher.stop()
        super().exit(*args, **kwargs)

    # ------------------------------------------------------------------ watcher results
    def on_watcher_loaded(self, message: Watcher.Loaded) -> None:
        net = message.network
        self._on_loaded(net.rows, net.today, net.counts)

    def _on_loaded(self, rows, today, counts) -> None:
        self.generation += 1
        first = not self.loaded
        self.model.load(rows, today, complete=True)
        self.model.counts = counts
        self.loaded = True
        self.rows_changed.publish(Update(moved=True))
        self.counts_changed.publish(None)
        if first:
            if len(rows) >= BIG_NETWORK:
                # tens of thousands of long-lived rows: keep the cyclic garbage collector
                # from walking them again and again (a full pass would pause a keystroke)
                gc.freeze()
            if len(rows) >= WARM_AT:  # have the Insights figures ready before `i`
                self._warm_seen = -1
                self.set_interval(WARM_AFTER, self._warm_insights, name="warm-insights")
            self._welcome()

    def on_watcher_changed(self, message: Watcher.Changed) -> None:
        self._last_failure = ""
        self.generation += 1
        result = message.result
        if not self.loaded:
            return
        new_day = result.today != self.model.today
        self.model.today = result.today
        update = self.model.update(result.rows, result.removed)
        self.model.counts = result.counts
        update.everything = new_day  # every "3 days ago" moved on
        self._publish(update)
        self.counts_changed.publish(None)
        if result.reason != "change":  # another process wrote (or a new day)
            self.data_changed.publish(None)

    def on_watcher_failed(self, message: Watcher.Failed) -> None:
        text = str(message.error)
        if text == self._last_failure:  # polled every 2 s: say it once, not every time
            return
        self._last_failure = text
        self.notify(
            f"Could not refresh the list: {message.error}",
            title="Refresh failed",
            severity="error",
            markup=False,
        )

    def _publish(self, update: Update) -> None:
        self.rows_changed.publish(update)
        for row in update.became_unresponsive:
            self.notify(
                f"{row.name} has not answered {row.unanswered} attempts in a row. Give them "
                "space: reminders stop until they reply (r on their page logs the reply).",
                title="Unresponsive",
                severity="warning",
                timeout=6,
                markup=False,
            )

    def _welcome(self) -> None:
        from netterm.tui.screens.contacts import ContactsScreen

        counts = self.model.counts
        if counts is None or not isinstance(self.screen, ContactsScreen):
            return  # opened on the audit (netterm audit): its card, not a toast over it
        if counts.total == 0:
            self.notify(
                "Your network is empty. Press a to add your first contact, or ctrl+p → "
                "Import LinkedIn connections… to bring them in.",
                title="Welcome to netterm",
                markup=False,
            )
            return
        parts = []
        if counts.overdue:
            parts.append(f"{thousands(counts.overdue)} overdue")
        if counts.due_soon:
            parts.append(f"{thousands(counts.due_soon)} due soon")
        if counts.unresponsive:
            parts.append(f"{thousands(counts.unresponsive)} unresponsive")
        if counts.follow_ups_due:
            parts.append(plural(counts.follow_ups_due, "follow-up") + " due")
        if counts.audit_due:
            parts.append("audit due (A)")
        if parts:
            text = ", ".join(parts) + ". The most urgent are at the top: l logs a touch."
            title = "Needs your attention"
        else:
            text = f"All {thousands(counts.total)} contacts are up to date."
            title = "All caught up"
        self.notify(text, title=title, timeout=5, markup=False)

    def _warm_insights(self) -> None:
        """Every WARM_AFTER seconds: if nothing changed since the last tick, read the
        Insights figures in the background (at most once per change)."""
        generation, self._warm_seen = self._warm_seen, self.generation
        if generation != self.generation:
            return  # changed within the last tick: wait until it settles
        if screens.SCREENS.get("insights") == (
            f"{type(self.screen).__module__}:{type(self.screen).__name__}"
        ):
            return  # shown: it reads its own
        from netterm.tui import insights_data

        insights_data.warm(self)

    # ------------------------------------------------------------------ changes made here
    def refresh_contacts(self, ids: Iterable[int]) -> Update:
        """After a write in the app: show those contacts' new rows now, recompute the rest."""
        from netterm.services import network

        ids = set(ids)
        self.generation += 1
        rows = network.rows_for(ids)
        found = {r.id for r in rows}
        update = self.model.update(rows, [i for i in ids if i not in found])
        self._publish(update)
        self.data_changed.publish(frozenset(ids))
        if self._watch:
            self.watcher.changed(ids)
        else:
            self.model.counts = network.count_states()
            self.counts_changed.publish(None)
        return update

    def reload_network(self, *, everything: bool = False) -> None:
        """After a bulk change (an import): read everyone again, in the background.

        Changed rows are updated where they stand; with `everything` (many new contacts)
        the whole list is replaced at once instead of inserting rows one by one.
        """
        self.generation += 1
        if not self._watch:
            self.load_now()
        else:
            self.watcher.reload("start" if everything else "import")

    # ------------------------------------------------------------------ writing
    def run_write(
        self,
        write: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        *,
        failed: Callable[[BaseException], None] | None = None,
        label: str = "your change",
    ) -> None:
        """Every write the app makes goes through here: the event loop never waits.

        `write` (services only, no widgets) runs at once on this thread, without waiting
        for a lock (`store.db.without_waiting`). If another process holds the write lock,
        it runs instead in a thread worker that waits for it, after the writes already
        waiting; the key bar says so meanwhile and every key still works. Then `done(result)`
        runs here; a recoverable error goes to `failed(error)` (default: a notification).
        """
        job = Write(write, done, failed, label)
        if self._writes:  # keep the order: after the writes already waiting
            self._writes.append(job)
            return
        from netterm.services.connection import WouldWait, without_waiting

        try:
            with without_waiting():
                result = write()
        except WouldWait:
            self._writes.append(job)
            self._next_write()
            return
        except recoverable_errors() as exc:
            self._write_failed(job, exc)
            return
        if done is not None:
            done(result)

    def _next_write(self) -> None:
        job = self._writes[0]
        self._set_busy(job.label)
        self.run_worker(
            partial(self._write_in_thread, job),
            name="write",
            group="write",
            thread=True,
            exit_on_error=False,
        )

    def _write_in_thread(self, job: Write) -> None:
        from netterm.services.connection import release

        result = error = None
        try:
            result = job.write()  # waits for the lock (store.db: WRITE_PATIENCE)
        except Exception as exc:
            error = exc
        finally:
            release()  # this thread's own connection
        # a message of the app: an error in `done` ends the app with its traceback
        self.call_from_thread(self.call_later, self._written, job, result, error)

    def _written(self, job: Write, result: Any, error: BaseException | None) -> None:
        self._writes.popleft()
        if self._writes:
            self._next_write()
        else:
            self._set_busy(None)
        if error is None:
            if job.done is not None:
                job.done(result)
        elif isinstance(error, recoverable_errors()):
            self._write_failed(job, error)
        else:
            raise error  # a bug: end the app with its traceback, as on the UI thread

    def _write_failed(self, job: Write, error: BaseException) -> None:
        if job.failed is not None:
            job.failed(error)
        else:
            self.notify(str(error), title="That did not work", severity="error", markup=False)

    def _set_busy(self, label: str | None) -> None:
        if label == self.busy:
            return
        started = self.busy is None
        self.busy = label
        self.busy_changed.publish(label)
        if started:
            self.notify(
                f"Another netterm process is writing to the database: {label} is saved as "
                "soon as it is done. Every key still works meanwhile.",
                title="Waiting to save",
                severity="warning",
                markup=False,
            )

    # ------------------------------------------------------------------ undo
    def push_undo(
        self, label: str, undo: Callable[[], Any], after: Callable[[Any], None] | None = None
    ) -> None:
        """`u` will run `undo` (a write: services only) and then `after(result)` here."""
        self._undo.append(UndoStep(label, undo, after))
        del self._undo[:-20]

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo.", markup=False)
            return
        step = self._undo.pop()

        def done(result: Any) -> None:
            if step.after is not None:
                step.after(result)
            self.notify(f"Undid the {step.label}.", markup=False)

        def failed(exc: BaseException) -> None:  # e.g. the contact was deleted meanwhile
            self.notify(f"Could not undo the {step.label}: {exc}", severity="error", markup=False)

        self.run_write(step.undo, done, failed=failed, label=f"the undo of the {step.label}")

    def row(self, contact_id: int) -> NetworkRow | None:
        return self.model.by_id.get(contact_id)

    def archive(self, contact_id: int) -> None:
        """Archive a contact (never deletes); `u` brings it back where it stood."""
        from netterm import services

        def write() -> str:
            services.archive(contact_id)
            return services.get_contact(contact_id).name

        def done(name: str) -> None:
            index = self.model.hide(contact_id)
            self.refresh_contacts([contact_id])
            self.rows_changed.publish(Update(moved=True))

            def after(_result) -> None:
                self.refresh_contacts([contact_id])
                self.model.show(contact_id, index)
                self.rows_changed.publish(Update(moved=True, restyled={contact_id}))
                self.show_in_list(contact_id)

            self.push_undo(f"archive of {name}", partial(services.unarchive, contact_id), after)
            self.notify(
                f"Archived {name}. Press u to undo; is:archived lists archived contacts.",
                title="Archived",
                markup=False,
            )

        self.run_write(write, done, label="the archive")

    def unarchive(self, contact_id: int) -> None:
        """Bring an archived contact back into the network (the row is restyled)."""
        from netterm import services

        def write() -> str:
            services.unarchive(contact_id)
            return services.get_contact(contact_id).name

        def done(name: str) -> None:
            self.refresh_contacts([contact_id])
            self.push_undo(
                f"unarchive of {name}",
                partial(services.archive, contact_id),
                lambda _result: self.refresh_contacts([contact_id]),
            )
            self.notify(f"{name} is back in the network. Press u to undo.", markup=False)

        self.run_write(write, done, label="the unarchive")

    # ------------------------------------------------------------------ many at once
    def bulk(
        self,
        ids: list[int],
        action: str,
        value: str | None = None,
        *,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """One action for many contacts (services/bulk.py), one undo step for all.

        A bad value goes to `failed` before anything is written."""
        from netterm.services import bulk

        def done(result) -> None:
            if result.undo is None:
                self.notify(
                    "Nothing to change: every one of them already is so.",
                    markup=False,
                )
                return
            changed = result.changed
            self._after_bulk(changed)
            self.push_undo(
                bulk.describe(result.undo),
                partial(bulk.undo, result.undo),
                lambda _result: self._after_bulk(changed),
            )
            self.notify(f"{result.summary} Press u to undo.", title="Done", markup=False)

        self.run_write(
            partial(bulk.apply, ids, action, value),
            done,
            failed=failed,
            label="the change to the marked contacts",
        )

    def _after_bulk(self, ids: list[int]) -> None:
        """Rows changed by a bulk action (or its undo): recoloured in place; those the
        filter no longer wants (archived) leave the list, those it wants again return."""
        self.refresh_contacts(ids)
        if self.model.reconsider(ids):
            self.rows_changed.publish(Update(moved=True))

    def copy_addresses(self, ids: list[int]) -> None:
        """The marked contacts' e-mail addresses to the clipboard (the terminal's)."""
        from netterm.services import bulk

        found = bulk.addresses(ids)
        if not found.emails:
            self.notify("None of them has an e-mail address.", severity="warning", markup=False)
            return
        self.copy_to_clipboard(found.bcc)
        missing = f" ({len(found.missing)} without one)" if found.missing else ""
        self.notify(
            f"Copied {plural(len(found.emails), 'address', 'addresses')}{missing}: paste "
            "them into BCC.",
            markup=False,
        )

    def write_addresses(self, ids: list[int], path: str) -> None:
        """The marked contacts' addresses to a private file, one a line."""
        from netterm.errors import InvalidInput
        from netterm.services import bulk

        if not path.strip():
            raise InvalidInput("file", "type where to write the list")
        found = bulk.addresses(ids)
        bulk.write_list(path.strip(), found)
        self.copy_to_clipboard(found.mailto)
        self.notify(
            f"Wrote {plural(len(found.emails), 'address', 'addresses')} to {path.strip()}; "
            "a mailto: link with them in BCC is on the clipboard.",
            markup=False,
        )

    def open_bulk(self, ids: list[int]) -> AwaitMount:
        """The marked contacts' dialog; awaiting the result waits until it is mounted."""
        from netterm.tui.screens.bulk import BulkScreen

        return self.push_screen(BulkScreen(ids))

    def show_in_list(self, contact_id: int) -> None:
        """Put the list's cursor on a contact (after an undo brought it back)."""
        from netterm.tui.screens.contacts import ContactsScreen

        for screen in self.screen_stack:
            if isinstance(screen, ContactsScreen):
                screen.select(contact_id)

    def logged(self, touch, name: str) -> None:
        """A touch was logged (quick-log): refresh, toast, offer undo."""
        from netterm import services
        from netterm.core.dates import ago

        self.refresh_contacts([touch.contact_id])
        when = ago(touch.occurred_on, clock.today())

        self.push_undo(
            f"{touch.kind} with {name}",
            partial(services.delete_touch, touch.id),
            lambda _removed: self.refresh_contacts([touch.contact_id]),
        )
        row = self.row(touch.contact_id)
        state = f" Now {st.STATE_LABELS[row.state]}." if row is not None else ""
        self.notify(
            f"Logged {touch.kind} with {name}, {when}.{state} Press u to undo.",
            title="Logged",
            markup=False,
        )

    # ------------------------------------------------------------------ $EDITOR
    def edit_externally(self, text: str, what: str = "notes") -> str | None:
        """`text` in the user's editor ($VISUAL, $EDITOR: netterm/editor.py), the app
        suspended meanwhile and restored after. The new text, or None when it did not
        change (the editor failed, the file was saved unchanged, no editor): a toast
        says which."""
        from textual.app import SuspendNotSupported

        from netterm import editor

        try:
            editor.editor_command()  # no editor: say so without leaving the app
            with self.suspend():
                result = editor.edit_text(text, what=what)
        except editor.EditorMissing as exc:
            self.notify(str(exc), title="No editor", severity="error", markup=False)
            return None
        except SuspendNotSupported:
            self.notify(
                "This terminal cannot hand the screen to an editor (ctrl+e).",
                severity="warning",
                markup=False,
            )
            return None
        if not result.changed:
            self.notify(
                result.message,
                severity="warning" if result.failed else "information",
                markup=False,
            )
            return None
        return result.text  # the field shows it; saving the form or the log keeps it

    # ------------------------------------------------------------------ screens
    def action_open_screen(self, name: str) -> None:
        self.open_screen(name)

    def open_screen(self, name: str) -> None:
        if not screens.is_registered(name):
            message = screens.ANNOUNCED.get(name, f"No screen named '{name}'.")
            self.notify(message, title=name.capitalize(), severity="warning", markup=False)
            return
        if screens.SCREENS[name] == f"{type(self.screen).__module__}:{type(self.screen).__name__}":
            return  # already shown (told without importing the screen's module)
        if name == "insights":  # its figures are read while its charts library imports
            from netterm.tui import insights_data

            insights_data.prepare(self)
        cls = screens.screen_class(name)
        # the start-up summary of the list is not about the audit or the charts
        for note in list(self._notifications):
            if note.title in WELCOME_TITLES:
                self._unnotify(note)
        # a screen that can show again what it showed last (Insights, when nothing changed)
        reuse = getattr(cls, "reuse", None)
        screen = reuse(self) if reuse is not None else None
        self.push_screen(screen if screen is not None else cls())

    def switch_to_contacts(self):
        """Close every screen above the contacts list; returns the list's screen."""
        from netterm.tui.screens.contacts import ContactsScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, ContactsScreen):
            self.pop_screen()
        return self.screen

    def action_help(self) -> None:
        from netterm.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def open_detail(self, contact_id: int) -> None:
        from netterm.tui.screens.detail import DetailScreen

        self.push_screen(DetailScreen(contact_id))

    def open_quick_log(self, contact_id: int | None) -> None:
        from netterm.tui.screens.quicklog import QuickLog

        self.push_screen(QuickLog(contact_id))

    def open_form(self, contact_id: int | None = None) -> None:
        from netterm.tui.screens.form import ContactForm

        self.push_screen(ContactForm(contact_id))
