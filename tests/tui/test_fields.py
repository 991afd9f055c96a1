"""Fields: label / value lines whose long values wrap under the value column."""

from __future__ import annotations

from textual.content import Content

from netterm.tui.fields import MIN_VALUE_WIDTH, Fields, row


def plain_lines(fields: Fields, width: int) -> list[str]:
    return [line.plain for line in fields.lines(width)]


def test_a_long_value_wraps_under_the_value_column():
    f = Fields([row("how met  ", "former colleague at Acme, shared the 2019 payments launch")])
    assert plain_lines(f, 36) == [
        "how met  former colleague at Acme,",
        "         shared the 2019 payments",
        "         launch",
    ]
    assert f.get_height({}, 36) == 3
    assert f.get_optimal_width({}, 200) == 9 + 57


def test_short_values_and_rows_without_a_label_are_left_alone():
    f = Fields([row("tier  ", "1"), Content("a line without a label that is long enough")])
    assert plain_lines(f, 20) == ["tier  1", "a line without a", "label that is long", "enough"]


def test_lines_of_a_multi_line_value_each_keep_the_indent():
    f = Fields([row("notes ", "first\nsecond")])
    assert plain_lines(f, 30) == ["notes first", "      second"]


def test_too_narrow_for_an_indent_wraps_from_column_zero():
    label = "x" * 10
    f = Fields([row(label, "word " * 4)])
    width = 10 + MIN_VALUE_WIDTH - 1
    assert all(len(line) <= width for line in plain_lines(f, width))
    assert plain_lines(f, width)[1].startswith("word")  # no indent


def test_str_is_the_unwrapped_text():
    f = Fields([row("a ", "b c"), Content("d")])
    assert str(f) == "a b c\nd"
