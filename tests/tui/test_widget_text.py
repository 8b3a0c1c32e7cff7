"""No text from a draft raises in a widget: hostile names, titles and markup through the
session into what the screens show, as text (never markup or terminal control)."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from intake_assistant.tui.widgets.safe import shown

HOSTILE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["[/]", "[/b]", "[bold red]x", "[link=x]y", "\x1b[2J", "\x1b]0;t\x07",
                     "\x9b31m", "\u202eevil", "[", "]", "\\[", "[[", "[@click=quit]x"]),
).map(str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE, min_size=1, max_size=4).map("".join))
def test_no_text_raises_in_any_widget(value):
    from textual.content import Content
    from textual.widgets._data_table import default_cell_formatter
    from textual.widgets.option_list import Option

    text = shown(value)
    assert isinstance(text, Text)
    console = Console(file=None, width=60, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(text)
        console.print(default_cell_formatter(text))
        console.print(Option(text).prompt)
    out = capture.get()
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert Content.from_rich_text(text).plain == text.plain
    assert all(unicodedata.category(ch) != "Cc" or ch == "\n" for ch in out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE, name=HOSTILE)
def test_no_name_from_a_draft_raises_in_the_intake_widgets(title, name):
    """A draft's texts through the session into what the screens show (pre-check, review)."""
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.loading import DraftFileError, parse_draft
    from intake_assistant.tui.screens.question import progress_text
    from intake_assistant.tui.widgets.precheck import precheck_text

    data = json.loads((__import__("pathlib").Path(__file__).parent / "data"
                       / "eligible-draft.json").read_text(encoding="utf-8"))
    data["project"]["title"] = title
    data["participants"][0]["name"] = name
    try:
        draft = parse_draft(data, "fuzz.json")
    except DraftFileError:
        return  # refused with a message: fine
    session, _left_out = IntakeSession.imported(draft, "en")
    console = Console(file=None, width=80, color_system=None)
    with console.capture() as capture:
        console.print(precheck_text(session.report, session.draft))
        console.print(progress_text(session, "project"))
        for item in session.review_items():
            console.print(shown(item.label), shown(item.answer, keep_newlines=True))
        for person in session.participants():
            console.print(shown(person.name))
    out = capture.get()
    assert "\x1b" not in out and "\x07" not in out
