"""Binding ids: every netterm key has one, so a user keymap can move it.

Textual's keymap (`App.set_keymap`, see netterm/userconfig.py for the file it comes
from) replaces the keys of a binding found by its `id`. Each netterm `BINDINGS` list is
wrapped in `scoped("SCOPE", [...])`, which gives every binding without an id the id
`SCOPE.ACTION`: `contacts.log`, `audit.keep`, `app.help`. The action's argument joins
its name (`decide('keep')` → `keep`, `move(-1)` → `move_up`, `cursor('down')` →
`cursor_down`), a second binding of the same action gets `-2`.

`SCOPES` names the class of each scope (imported only to check a user's keymap, after
the first frame); docs/keymap.md lists every id, and tests/tui/test_keymap.py checks
that both stay complete. After adding a key or a screen, write the list again with

    .venv/bin/python -m netterm.tui.keys > docs/keymap.md
"""

from __future__ import annotations

import re
from dataclasses import replace
from importlib import import_module

from textual.binding import Binding

#: scope → "module:Class" whose BINDINGS carry the ids `scope.…`
SCOPES: dict[str, str] = {
    "app": "netterm.tui.application:NettermApp",
    "contacts": "netterm.tui.screens.contacts:ContactsScreen",
    "table": "netterm.tui.widgets.table:ContactTable",
    "detail": "netterm.tui.screens.detail:DetailScreen",
    "timeline": "netterm.tui.screens.detail:Timeline",
    "quicklog": "netterm.tui.screens.quicklog:QuickLog",
    "quicklog-kind": "netterm.tui.screens.quicklog:KindPicker",
    "form": "netterm.tui.screens.form:ContactForm",
    "touch": "netterm.tui.screens.touchedit:TouchEditor",
    "followup": "netterm.tui.screens.followup:FollowUpScreen",
    "confirm": "netterm.tui.screens.confirm:ConfirmScreen",
    "bulk": "netterm.tui.screens.bulk:BulkScreen",
    "conflict": "netterm.tui.screens.conflict:ConflictScreen",
    "audit": "netterm.tui.screens.audit:AuditScreen",
    "audit-end": "netterm.tui.screens.audit:AuditEndScreen",
    "audit-scope": "netterm.tui.screens.auditscope:AuditScopeDialog",
    "audit-snooze": "netterm.tui.screens.auditdialogs:SnoozeDialog",
    "audit-categories": "netterm.tui.screens.auditdialogs:CategoriesDialog",
    "audit-merge": "netterm.tui.screens.auditdialogs:MergeDialog",
    "intro": "netterm.tui.screens.intro:IntroScreen",
    "insights": "netterm.tui.screens.insights:InsightsScreen",
    "import": "netterm.tui.screens.interchange:ImportScreen",
    "export": "netterm.tui.screens.interchange:ExportScreen",
    "help": "netterm.tui.screens.help:HelpScreen",
}

_WORDS = {"1": "down", "-1": "up", "0": "first", "True": "yes", "False": "no"}


def action_slug(action: str) -> str:
    """`decide('keep')` → `keep`; `app.open_screen('audit')` → `open_screen_audit`;
    `move(-1)` → `move_up`; `scroll(1)` → `scroll_down`."""
    action = action.removeprefix("app.").removeprefix("screen.")
    name, _, args = action.partition("(")
    args = args.rstrip(")").strip().strip("'\"")
    if name == "decide" and args:
        return args
    if not args:
        return name
    if name == "jump":  # jump(0) / jump(-1): the first and the last row
        return "jump_first" if args == "0" else "jump_last"
    word = _WORDS.get(args, re.sub(r"[^a-z0-9]+", "_", args.casefold()).strip("_"))
    return f"{name}_{word}"


def scoped(scope: str, bindings: list[Binding | tuple]) -> list[Binding | tuple]:
    """`bindings` with the id `scope.action` given to each Binding that has none."""
    out: list[Binding | tuple] = []
    seen: dict[str, int] = {}
    for binding in bindings:
        if not isinstance(binding, Binding):
            out.append(binding)
            continue
        if binding.id is None:
            ident = f"{scope}.{action_slug(binding.action)}"
            seen[ident] = seen.get(ident, 0) + 1
            if seen[ident] > 1:
                ident = f"{ident}-{seen[ident]}"
            binding = replace(binding, id=ident)
        out.append(binding)
    return out


def in_order(bindings: list[Binding]) -> list[Binding]:
    """`bindings` all made priority bindings: Textual runs those as the app reads each
    key, in the order typed. A key with an ordinary binding is first forwarded to the
    focused widget and acted on only when it comes back up to the app, after the keys
    read meanwhile: a burst mixing both kinds ran out of order (the list's keys, see
    netterm/tui/screens/contacts.py). Such a widget or screen must turn its keys off
    (check_action) while a text field in it has the focus."""
    return [replace(b, priority=True) for b in bindings]


def scope_class(scope: str):
    module, _, name = SCOPES[scope].partition(":")
    return getattr(import_module(module), name)


def bindings_of(scope: str) -> list[Binding]:
    """The bindings a scope's class declares itself (not those it inherits)."""
    cls = scope_class(scope)
    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


def known_ids(scopes=None) -> set[str]:
    """Every binding id of these scopes (all by default): imports their modules."""
    return {b.id for s in (scopes or SCOPES) for b in bindings_of(s) if b.id}


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """The keymap's binding ids that no netterm key has (a typo), in the file's order."""
    scopes = {i.partition(".")[0] for i in keymap if i.partition(".")[0] in SCOPES}
    known = known_ids(scopes)
    return [i for i in keymap if i not in known]


def clashes(keymap: dict[str, str]) -> list[tuple[str, str, Binding]]:
    """(id, key, the binding that lost it): a key the keymap gives to an id that another
    binding of the same screen had, and keeps unless the keymap moves it too. Textual
    then silently drops the other (its clash check skips bindings that have an id)."""
    out = []
    for scope in dict.fromkeys(i.partition(".")[0] for i in keymap):
        if scope not in SCOPES:
            continue
        bindings = bindings_of(scope)
        for ident, keystring in keymap.items():
            if not ident.startswith(f"{scope}."):
                continue
            for key in keystring.split(","):
                for other in bindings:
                    if other.id != ident and other.id not in keymap and key in other.key.split(","):
                        out.append((ident, key, other))
    return out


#: The headings of docs/keymap.md, one a scope.
TITLES = {
    "app": "Everywhere",
    "contacts": "The contacts list",
    "table": "The list's table",
    "detail": "A contact's page",
    "timeline": "Its timeline",
    "quicklog": "Quick-log (l)",
    "quicklog-kind": "Quick-log's kind picker",
    "form": "The contact form (a, e)",
    "touch": "A touch's editor",
    "followup": "A follow-up (f)",
    "confirm": "A yes/no question",
    "bulk": "Marked contacts (b)",
    "conflict": "An edit made on two devices",
    "audit": "The audit (A)",
    "audit-end": "The audit's summary",
    "audit-scope": "Which contacts to audit (A on a filtered or marked list)",
    "audit-snooze": "The audit's snooze",
    "audit-categories": "The audit's categories",
    "audit-merge": "The audit's merge",
    "insights": "Insights (i)",
    "import": "Import",
    "export": "Export",
    "help": "This help (?)",
}

_INTRO = """# Binding ids: the keys a keymap can move

Every key of netterm has an id. Your config file (README, "Your keys and looks") maps an
id to the key or keys you want instead, comma-separated; the old keys of that id stop
working, and the footer and the help (`?`) show yours:

```toml
[keys]
"contacts.log" = "L"
"audit.keep" = "k,space"
```

Key names are Textual's: a letter (`L` is shift+l), `space`, `enter`, `escape`, `tab`,
`ctrl+e`, `f5`, `question_mark`, `asterisk`, `plus`, `minus`, `slash`. An id that no key
has (a typo) is named in a warning when the app starts, and ignored. This list is
checked against the code by tests/tui/test_keymap.py; it is written by
`python -m netterm.tui.keys > docs/keymap.md`.
"""


def markdown() -> str:
    """docs/keymap.md: every scope's ids, default keys and what they do."""
    out = [_INTRO.rstrip("\n")]
    for scope in SCOPES:
        out.append(
            f"\n## {TITLES.get(scope, scope)}\n\n| id | default keys | does |\n|---|---|---|"
        )
        for b in bindings_of(scope):
            what = (b.description or "").strip() or (b.tooltip or "").strip()
            if b.tooltip and b.description and b.tooltip != b.description:
                what = f"{b.description}: {b.tooltip}"
            out.append(f"| `{b.id}` | `{b.key}` | {what.replace('|', '/')} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
