"""A spreadsheet-friendly CSV of the network, safe to open in Excel or LibreOffice.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, or those
after leading spaces) would run as a formula when the file is opened: an attacker who
gets a crafted job title into your network could make the spreadsheet fetch URLs or
run commands. Such cells get a leading `'`, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: object) -> str:
    """The cell as text that no spreadsheet evaluates as a formula."""
    text = "" if cell is None else str(cell)
    if text.startswith(_TRIGGERS) or text.lstrip(" ").startswith(_TRIGGERS):
        return "'" + text
    return text


def dump(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue()
