"""Plain-text output for the command line: aligned tables, colours on a terminal only."""

from __future__ import annotations

import re
import sys

import click

from netterm.core import status as st

STATE_COLOURS = {
    st.OVERDUE: "red",
    st.DUE_SOON: "yellow",
    st.UNRESPONSIVE: "magenta",
    st.OK: "green",
    st.PAUSED: "blue",
    st.UNTRACKED: None,
    st.ARCHIVED: None,
}
#: control characters, and the bidirectional controls that reorder what a terminal
#: shows (U+202E RIGHT-TO-LEFT OVERRIDE makes "gpj.exe" look like "exe.jpg")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """Text from the database as printable characters only (no terminal escapes)."""
    return _CONTROL.sub("?", "" if text is None else str(text))


_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_text(value: object, **options) -> str:
    """`json.dumps(value, ensure_ascii=False, …)` with the bidirectional controls written
    as escapes (still the same JSON, but a terminal showing it is not reordered)."""
    import json

    text = json.dumps(value, ensure_ascii=False, **options)
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: object) -> str:
    s = str(text or "")
    if s.isascii() and s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s  # already one clean line (the common case, 13,000 cells in `netterm due`)
    return " ".join(safe(s.replace("\n", " ")).split())


def state_text(state: str) -> str:
    label = st.STATE_LABELS[state]
    colour = STATE_COLOURS.get(state)
    return click.style(label, fg=colour) if colour else label


def width() -> int | None:
    """The terminal's width when printing to one, else None (no truncation)."""
    if not sys.stdout.isatty():
        return None
    import shutil  # (with its archive modules: only when printing to a terminal)

    return shutil.get_terminal_size((100, 24)).columns


#: Printable Latin-1 and Latin Extended (é, ø, ł, ș …): one column each, as rich measures
#: them (tests/cli/test_output.py checks every one), so most names need no width table.
_LATIN = re.compile(r"[\x20-\x7e\xa0-\u02ff]*")


def _narrow(text: str) -> bool:
    """Every character of `text` takes one column (ASCII, Latin)."""
    return text.isascii() or _LATIN.fullmatch(text) is not None


def cells(text: str) -> int:
    """How many terminal columns `text` takes: 2 for each CJK character or emoji."""
    if _narrow(text):
        return len(text)  # the common case: no table of character widths to load
    from rich.cells import cell_len  # Textual's own dependency: measures as it draws

    return cell_len(text)


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` columns (str.ljust counts characters)."""
    return text + " " * (width - cells(text))


def cut(text: str, width: int) -> str:
    """`text` in at most `width` columns, ending in "…" when cut."""
    if cells(text) <= width:
        return text
    if text.isascii():
        return text[: width - 1] + "…"
    from rich.cells import set_cell_size

    # set_cell_size pads with a space where a wide character would be split in two
    return set_cell_size(text, width - 1).rstrip(" ") + "…"


def table(
    headers: list[str], rows: list[list[str]], styles: list[list[str | None]] | None = None
) -> None:
    """Print columns aligned; on a terminal, coloured and cut to its width.

    Widths are terminal columns, not characters: CJK names and emoji stay aligned.
    """
    if rows:
        click.echo(table_text(headers, rows, styles))


def table_text(
    headers: list[str], rows: list[list[str]], styles: list[list[str | None]] | None = None
) -> str:
    """What `table` prints (header line included), without its last newline."""
    cols = len(headers)
    # widths in terminal columns, column by column: len() for a column of ASCII or Latin
    # text (nearly all), the width table only for the cells with wider characters, whose
    # rows are then padded cell by cell
    widths, wide = [], set()
    for i, column in enumerate(zip(*(row[:-1] for row in rows), strict=True)):
        if _narrow("".join(column)):
            widths.append(max(cells(headers[i]), *map(len, column)))
            continue
        taken = [cells(c) for c in column]
        wide.update(r for r, (c, n) in enumerate(zip(column, taken, strict=True)) if n != len(c))
        widths.append(max(cells(headers[i]), *taken))
    widths.append(cells(headers[-1]))
    term = width()
    header = "  ".join(pad(h, widths[i]) for i, h in enumerate(headers)).rstrip()
    if term is None:
        # every column but the last padded to its width: one format call per row
        line = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + "  {}"
        lines = [
            (
                "  ".join([*map(pad, row, widths[:-1]), row[-1]])
                if r in wide
                else line.format(*row)
            ).rstrip()
            for r, row in enumerate(rows)
        ]
        return header + "\n" + "\n".join(lines)
    budget = max(20, term - sum(widths[:-1]) - 2 * (cols - 1))
    lines = []
    for r, row in enumerate(rows):
        line_cells = []
        for i in range(cols):
            text = row[i]
            text = cut(text, budget) if i == cols - 1 else pad(text, widths[i])
            colour = styles[r][i] if styles else None
            line_cells.append(click.style(text, fg=colour) if colour else text)
        lines.append("  ".join(line_cells).rstrip())
    return click.style(header, bold=True) + "\n" + "\n".join(lines)
