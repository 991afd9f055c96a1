"""The command palette (ctrl+p): every key of the current screen, a few extras, and
"go to contact …" for anyone in the network."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from netterm.core.names import fold
from netterm.tui.pick import match_contacts
from netterm.tui.text import literal

#: How many contacts "go to contact" offers for one query.
CONTACT_HITS = 12
#: The palette's imports: (format, entry, what it reads).
IMPORT_COMMANDS = (
    ("linkedin", "Import LinkedIn connections…", "LinkedIn's Connections.csv; a dry run first"),
    ("google", "Import Google contacts…", "a Google Contacts CSV; a dry run first"),
    ("vcard", "Import vCard…", "a .vcf file or a folder of them; a dry run first"),
    ("json", "Import netterm JSON…", "a netterm JSON export; a dry run first"),
    ("mail", "Import mail…", "touches from an mbox or a Maildir; a dry run first"),
    ("calendar", "Import calendar…", "touches from an .ics file or folder; a dry run first"),
    (
        "linkedin-export",
        "Import LinkedIn archive (ZIP, messages)…",
        "connections and message touches from LinkedIn's data export; a dry run first",
    ),
)
#: Palette imports that capture touches (netterm/tui/screens/interchange.py CaptureScreen).
CAPTURE_FORMATS = frozenset({"mail", "calendar", "linkedin-export"})


class NettermCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(name, callback, help) for the screen the palette was opened on."""
        app = self.app
        screen = self.screen
        out: list[tuple[str, Callable[[], object], str]] = []
        seen: set[str] = set()
        # The screen's own keys first, then the focused widget's, then the app's; a
        # widget's hidden keys (the table's Down, Up, Page down…) and scrolling are
        # moving about, not commands: they filled the palette's first page.
        rank = {screen: 0, app: 2}
        generic = {b.action for b in Screen.BINDINGS if isinstance(b, Binding)}  # tab, copy

        def order(item) -> int:
            active = item[1]
            return 3 if active.binding.action in generic else rank.get(active.node, 1)

        bindings = sorted(screen.active_bindings.items(), key=order)
        for key, active in bindings:
            binding = active.binding
            if not binding.description or not active.enabled or binding.action in seen:
                continue
            if binding.action in ("command_palette",) or binding.action.startswith("scroll"):
                continue
            if not binding.show and active.node is not screen and active.node is not app:
                continue
            seen.add(binding.action)
            display = app.get_key_display(binding)
            out.append(
                (
                    binding.description,
                    partial(app.run_action, binding.action, active.node),
                    f"{display} — {binding.tooltip}" if binding.tooltip else display or key,
                )
            )
        from netterm.tui.screens.contacts import ContactsScreen

        contacts = next((s for s in app.screen_stack if isinstance(s, ContactsScreen)), None)
        if contacts is not None:
            for sort in ("urgency", "name", "last", "company"):
                out.append(
                    (
                        f"Sort: {_sort_label(sort)}",
                        partial(self._sort, contacts, sort),
                        "the order of the contacts list",
                    )
                )
            for text, label in (
                ("is:overdue", "Show overdue contacts"),
                ("is:due", "Show contacts due soon"),
                ("is:unresponsive", "Show unresponsive contacts"),
                ("is:followup", "Show follow-ups due"),
                ("is:archived", "Show archived contacts"),
            ):
                out.append((label, partial(self._filter, contacts, text), f"filter: {text}"))
        out.append(
            ("Log a touch with someone…", partial(app.open_quick_log, None), "quick-log, pick")
        )
        out.append(
            (
                "Insights",
                partial(app.open_screen, "insights"),
                "i — the network's health in charts",
            )
        )
        for fmt, label, what in IMPORT_COMMANDS:
            out.append((label, partial(self._import, fmt), what))
        out.append(
            (
                "Export…",
                self._export,
                "the network as vCard, CSV, JSON or iCalendar, to a file",
            )
        )
        return out

    def _import(self, fmt: str) -> None:
        from netterm.tui.screens.interchange import CaptureScreen, ImportScreen

        screen = CaptureScreen if fmt in CAPTURE_FORMATS else ImportScreen
        self.app.push_screen(screen(fmt))

    def _export(self) -> None:
        from netterm.tui.screens.interchange import ExportScreen

        self.app.push_screen(ExportScreen())

    def _sort(self, contacts, sort: str) -> None:
        self.app.switch_to_contacts()
        contacts.sort_by(sort)

    def _filter(self, contacts, text: str) -> None:
        self.app.switch_to_contacts()
        contacts.set_filter(text)

    def _system(self) -> list[tuple[str, Callable[[], object], str, bool]]:
        """Textual's own commands (theme, screenshot, keys, quit), listed after netterm's:
        this provider replaces Textual's, whose entries came first in no set order."""
        return [
            (c.title, c.callback, c.help, c.discover)
            for c in self.app.get_system_commands(self.screen)
        ]

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)
        for name, callback, help_text, discover in self._system():
            if discover:
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        system = [(n, c, h) for n, c, h, _ in self._system()]
        for name, callback, help_text in (*self._commands(), *system):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
        for row in _contacts_matching(self.app.model.all_rows(), query):
            name = literal(row.name)
            prompt = Content.assemble(("go to contact ", "dim"), Content(name))
            yield Hit(
                0.5 + 0.4 * (fold(row.name).startswith(fold(query))),
                prompt,
                partial(self.app.open_detail, row.id),
                text=f"go to contact {name}",
                help=literal(row.title_at_company) or None,
            )


def _sort_label(sort: str) -> str:
    from netterm.tui.model import SORTS

    return SORTS[sort][0]


def _contacts_matching(rows, query: str):
    """Contacts for "go to contact …": the words after an optional "go to"."""
    text = fold(query)
    for prefix in ("go to contact", "go to", "go"):
        if text == prefix or text.startswith(prefix + " "):
            text = text[len(prefix) :]
            break
    return match_contacts(rows, text, CONTACT_HITS)
