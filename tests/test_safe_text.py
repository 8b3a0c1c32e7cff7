"""The one helper that makes outside text safe: nothing acts on a terminal, a table or a page."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from intake_assistant.safe_text import MAX_SHOWN, html_text, is_clean, markdown_inline, visible


def test_escape_sequences_are_shown_not_executed() -> None:
    assert visible("Plan\x1b[2J X") == "Plan\\x1b[2J X"
    assert visible("\x1b]0;owned\x07") == "\\x1b]0;owned\\x07"
    assert visible("C1\x9b31m") == "C1\\x9b31m"
    assert visible("right\u202eleft") == "right\\u202eleft"


def test_newlines_stay_on_one_line_unless_kept() -> None:
    assert visible("a\nVERDICT: eligible") == "a\\x0aVERDICT: eligible"
    assert visible("a\r\nb\tc\x1b", keep_newlines=True) == "a\nb\tc\\x1b"


def test_long_values_are_cut() -> None:
    assert len(visible("x" * (MAX_SHOWN * 3))) == MAX_SHOWN + 1


def test_markdown_cannot_be_broken() -> None:
    cell = markdown_inline("Evil | B.V. # `x` [/b] *y*")
    assert "|" not in cell.replace("\\|", "")
    assert cell == "Evil \\| B.V. \\# \\`x\\` \\[/b\\] \\*y\\*"
    assert markdown_inline("- item") == "\\- item"
    assert markdown_inline("12. item") == "12\\. item"
    assert "\n" not in markdown_inline("a\n# heading")


def test_html_is_escaped() -> None:
    assert html_text('<script>alert("x")</script>\x1b') == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\\x1b"
    )


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    for shown in (visible(text), markdown_inline(text), html_text(text)):
        assert is_clean(shown)
