"""LinkedIn's `Connections.csv` (Settings → Data privacy → Get a copy of your data).

What real exports look like:

* an optional UTF-8 byte order mark;
* since 2018 or so, a `Notes:` preamble (a quoted paragraph about missing email
  addresses, then a blank line) before the header; older exports start with the header;
* the header `First Name,Last Name,URL,Email Address,Company,Position,Connected On`;
  older exports lack the URL column, so columns are found by name, never by position;
* dates like `08 Feb 2026`;
* connections who hide their profile export as rows with only a date: skipped, counted.

The profile URL is the stable identity across exports; the connection date becomes
"met on", and "how met" says they are a LinkedIn connection.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from netterm.core.dates import MONTHS
from netterm.interchange.records import (
    ContactRecord,
    ParseResult,
    Skipped,
    csv_rows,
    fail,
    fit_row,
    header_index,
    method,
    snippet,
    streamed,
    text_source,
    wrong_format_hint,
)

FORMAT = "linkedin"
HOW_MET = "connected on LinkedIn"
HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")
#: the header is found within this many rows (the preamble is one or two rows)
HEADER_WITHIN = 10

_MONTHS = {m[:3]: i for i, m in enumerate(MONTHS, start=1)}
_DMY = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,? .*)?$")


def parse_date(text: str) -> date | None:
    """`08 Feb 2026` (today's exports), `2026-02-08`, or `2/8/26` (old US-style ones)."""
    s = text.strip()
    try:
        m = _DMY.match(s)
        if m:
            month = _MONTHS.get(m.group(2)[:3].lower())
            if month is None:
                return None
            return date(int(m.group(3)), month, int(m.group(1)))
        m = _ISO.match(s)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _US.match(s)
        if m:
            year = int(m.group(3))
            year += 2000 if year < 100 else 0
            return date(year, int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None
    return None


def load(path: str | Path, cancel=None, *, stream: bool = False) -> ParseResult:
    """The file read through `guard.open_text` (bounded memory, cancellable). With
    `stream`, only its header is read now, its rows as the import goes
    (`ParseResult.pending`)."""
    result = streamed(path, cancel, stream_rows)
    return result if stream else result.read_all()


def parse(data: bytes | str | Iterable[str], source: str = "Connections.csv") -> ParseResult:
    """Every record of the file at once."""
    return stream_rows(data, source).read_all()


def stream_rows(data: bytes | str | Iterable[str], source: str = "Connections.csv") -> ParseResult:
    """The header read now (a wrong file fails here); the rows left in `pending`."""
    text, head = text_source(data, source)
    result = ParseResult(source, FORMAT)
    rows = csv_rows(text, source)
    cols: dict[str, int] | None = None
    width = 0
    for n, (_line, row) in enumerate(rows):
        found = header_index(row)
        if {"first name", "last name", "connected on"} <= found.keys():
            cols, width = found, len(row)
            break
        if n >= HEADER_WITHIN:
            break
    if cols is None:
        raise fail(
            source,
            0,
            "no LinkedIn header (First Name, Last Name, … Connected On) near the top"
            + (wrong_format_hint(head, FORMAT) or "; is this LinkedIn's Connections.csv?"),
        )

    columns = ("first name", "last name", "url", "email address", "company", "position")
    first_i, last_i, url_i, email_i, company_i, position_i = (cols.get(c) for c in columns)
    date_i = cols.get("connected on")

    def cell(row: list[str], i: int | None) -> str:
        return " ".join(row[i].split()) if i is not None and row[i] else ""

    def shared(row: list[str], i: int | None) -> str:
        # companies and positions repeat across thousands of rows: one string for each
        return sys.intern(cell(row, i))

    def rows_of() -> Iterator[ContactRecord]:
        dates: dict[str, date | None] = {}
        seen: dict[str, int] = {}  # profile URL → the line it was first read on
        for line, row in rows:
            row = fit_row(row, width, source, line)
            first, last = cell(row, first_i), cell(row, last_i)
            raw_date = cell(row, date_i)
            met_on = None
            if raw_date:
                if raw_date not in dates:
                    dates[raw_date] = parse_date(raw_date)
                met_on = dates[raw_date]
                if met_on is None:
                    raise fail(
                        source,
                        line,
                        f"Connected On: can't read the date {snippet(raw_date)} (expected like 08 Feb 2026)",
                    )
            if not (first or last):
                others = [c for i, c in enumerate(row) if c.strip() and i != date_i]
                if others:
                    result.skipped.append(Skipped(source, line, "no name"))
                else:
                    result.skipped.append(
                        Skipped(
                            source,
                            line,
                            "hidden profile (LinkedIn exports only the date)",
                            hidden=True,
                        )
                    )
                continue
            methods = []
            for kind, column in (("linkedin", url_i), ("email", email_i)):
                m = method(kind, cell(row, column), "", True, result.problems, source, line)
                if m is not None:
                    methods.append(m)
            profile = next((m.value for m in methods if m.kind == "linkedin"), None)
            if profile is not None:
                # one person, one row: a repeated profile is not a second person, nor a
                # job change from the first row to the second
                if profile in seen:
                    result.skipped.append(
                        Skipped(source, line, f"the same LinkedIn profile as line {seen[profile]}")
                    )
                    continue
                seen[profile] = line
            yield ContactRecord(
                line=line,
                source=source,
                first_name=first,
                last_name=last,
                job_title=shared(row, position_i),
                company=shared(row, company_i),
                how_met=HOW_MET,
                met_on=met_on,
                methods=methods,
            )

    result.pending = rows_of()
    return result
