"""The command line's plain-text output: the fast paths print exactly what the plain ones do."""

from __future__ import annotations

import click
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from netterm.cli import output

texts = hs.one_of(
    hs.text(),
    hs.text(alphabet=" abc\n\t\x1b\x7f\x85\xa0é"),
    hs.none(),
)


@given(texts)
def test_one_line_is_the_text_squeezed_onto_one_safe_line(text):
    plain = " ".join(output.safe(str(text or "").replace("\n", " ")).split())
    assert output.one_line(text) == plain


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    hs.lists(
        hs.lists(hs.text(alphabet="ab é·", max_size=6), min_size=3, max_size=3),
        min_size=1,
        max_size=6,
    )
)
def test_a_table_off_a_terminal_is_padded_columns(capsys, rows):
    headers = ["ID", "NAME", "WHY"]
    output.table(headers, rows)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    expected = [
        "  ".join([*(cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])), r[-1]]).rstrip()
        for r in [headers, *rows]
    ]
    assert capsys.readouterr().out == "\n".join(expected) + "\n"


def _column_starts(line: str, marker: str) -> int:
    """The terminal column where `marker` starts in `line`."""
    return output.cells(line[: line.index(marker)])


ROWS = [["李小龙", "overdue", "x1"], ["Ana Silva", "ok", "x2"], ["Zoë 😀", "due", "x3"]]


def test_wide_characters_take_two_columns():
    assert (
        output.cells("Ana"),
        output.cells("李小龙"),
        output.cells("😀"),
        output.cells("Zoë"),
    ) == (
        3,
        6,
        2,
        3,
    )
    assert output.cut("李小龙李小龙", 5) == "李小…"
    assert output.cut("Ana Silva", 5) == "Ana …"
    assert output.cut("李小", 4) == "李小"


def test_cjk_and_emoji_names_stay_aligned_off_a_terminal(capsys):
    output.table(["NAME", "STATE", "ID"], ROWS)
    lines = capsys.readouterr().out.splitlines()
    states = zip(lines[1:], ("overdue", "ok", "due"), strict=True)
    assert {_column_starts(line, s) for line, s in states} == {_column_starts(lines[0], "STATE")}
    assert {_column_starts(line, "x") for line in lines[1:]} == {_column_starts(lines[0], "ID")}


def test_cjk_and_emoji_names_stay_aligned_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(output, "width", lambda: 80)
    output.table(["NAME", "STATE", "NOTE"], [[n, s, "李" * 50] for n, s, _ in ROWS])
    lines = [click.unstyle(line) for line in capsys.readouterr().out.splitlines()]
    states = zip(lines[1:], ("overdue", "ok", "due"), strict=True)
    assert {_column_starts(line, s) for line, s in states} == {_column_starts(lines[0], "STATE")}
    # the last column is cut to the terminal's width, counted in columns (a wide
    # character that would straddle the edge is left out)
    assert {output.cells(line) for line in lines[1:]} <= {79, 80}
    assert all(line.endswith("…") for line in lines[1:])


def test_latin_letters_take_one_column_as_rich_measures_them():
    from rich.cells import cell_len

    latin = [chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x300))]
    assert [output.cells(c) for c in latin] == [cell_len(c) for c in latin]
    assert output.cells("Zoë Ødegaard-Łukasz") == 19
    assert output.cells("Zoë 李") == 6  # one wide character: measured by the table
