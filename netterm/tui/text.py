"""Text from the database, made safe to show: always literal, never markup or escapes.

Names and notes are user data: `[bold]` or `[@click=app.quit]` in a note must show as
typed, and a control character (an ESC from a pasted vCard) must not reach the
terminal. Everything the app shows of a contact goes through `literal` or `Content`
objects built here, never through markup parsing.
"""

from __future__ import annotations

import re

from textual.content import Content

#: control characters, and the bidirectional controls that would reorder the screen
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the Unicode "control pictures"
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 and bidirectional controls: the replacement character


def literal(text: object, *, multiline: bool = False) -> str:
    """`text` with control characters shown as visible symbols (newlines kept if asked)."""
    s = "" if text is None else str(text)
    if multiline:
        return "\n".join(
            _CONTROL.sub(_picture, line) for line in s.replace("\r\n", "\n").split("\n")
        )
    return _CONTROL.sub(_picture, s.replace("\r\n", " ").replace("\n", " "))


def plain(text: object, style: str = "", *, multiline: bool = False) -> Content:
    """A Content that shows `text` exactly as typed (no markup), optionally styled."""
    content = Content(literal(text, multiline=multiline))
    return content.stylize(style) if style and content else content


def join(*parts: Content | str) -> Content:
    """Concatenate pieces; plain `str` pieces are literal text too."""
    return Content.assemble(*(p if isinstance(p, Content) else Content(p) for p in parts))


def thousands(n: int) -> str:
    return f"{n:,}"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{thousands(n)} {word if n == 1 else (words or word + 's')}"


def short_url(value: str) -> str:
    """ "https://www.linkedin.com/in/ana" → "linkedin.com/in/ana" (fits a narrow box)."""
    for prefix in ("https://www.", "http://www.", "https://", "http://"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value
