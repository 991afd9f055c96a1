"""Long text in the user's own editor: `$VISUAL`, then `$EDITOR`, then a sensible one.

Used by `netterm edit WHO --notes` and by `ctrl+e` in the app's note fields (the app
suspends itself around it, see NettermApp.edit_externally). The text goes to a file
readable by the user only (0600) in a private temporary folder (0700), removed
afterwards whatever happens: it is someone's notes about another person.

An editor that exits with an error, or a file saved unchanged, leaves the text as it
was (`EditResult.changed` False, `EditResult.message` says why); no editor at all is
`EditorMissing`, one sentence saying how to set one.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from netterm.errors import NetTermError

#: Tried in this order when neither VISUAL nor EDITOR is set.
FALLBACKS = ("sensible-editor", "editor", "nano", "vi")


class EditorMissing(NetTermError):
    """No editor could be found or started."""


@dataclass(frozen=True, slots=True)
class EditResult:
    text: str
    changed: bool
    message: str  # "Notes saved." / "The editor exited with code 1: notes unchanged." …
    #: the editor exited with an error (or lost the file): the text is the old one
    failed: bool = False


def editor_command() -> list[str]:
    """The editor's command line (`code --wait` → ["code", "--wait"])."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                raise EditorMissing(f"${variable} cannot be read as a command: {value}") from None
            if not words:
                continue
            if shutil.which(words[0]) is None:
                raise EditorMissing(
                    f"the editor in ${variable} ({words[0]}) was not found; "
                    "set VISUAL or EDITOR to one that is installed"
                )
            return words
    for name in FALLBACKS:
        if shutil.which(name):
            return [name]
    raise EditorMissing("no editor found: set VISUAL or EDITOR (e.g. export EDITOR=nano)")


def edit_text(text: str, *, what: str = "notes", suffix: str = ".md") -> EditResult:
    """Open `text` in the editor and wait for it; the text saved, and whether it changed.

    A trailing newline the editor adds is not a change. EditorMissing when no editor
    can be found or started.
    """
    command = editor_command()
    folder = Path(tempfile.mkdtemp(prefix="netterm-edit-"))  # 0700
    try:
        path = folder / f"{what.replace(' ', '-')}{suffix}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            code = subprocess.call([*command, str(path)])
        except OSError as exc:
            raise EditorMissing(
                f"the editor ({command[0]}) could not be started: {exc.strerror or exc}"
            ) from None
        if code != 0:
            return EditResult(
                text, False, f"The editor exited with code {code}: {what} unchanged.", True
            )
        try:
            edited = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return EditResult(text, False, f"The editor removed the file: {what} unchanged.", True)
        except UnicodeDecodeError:
            return EditResult(text, False, f"The file is not UTF-8 text: {what} unchanged.", True)
        if edited.endswith("\n") and not text.endswith("\n"):
            edited = edited[:-1]
        if edited == text:
            return EditResult(text, False, f"Nothing changed: {what} unchanged.")
        return EditResult(edited, True, f"{what.capitalize()} saved.")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
