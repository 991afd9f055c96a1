"""The command line's plain-text output: the fast paths print exactly what the plain ones do."""

from __future__ import annotations

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
