"""What a field says about its answer: a count's example, a long text's length and limit,
a pasted control character shown where it stood."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Static

from intake_assistant.tui.screens.question import QuestionScreen

from .conftest import DATA, import_file, make_test_app


async def _imported_on(pilot, key: str) -> None:
    """The four-partner example imported, at the question ``key``."""
    assert import_file(pilot.app, DATA / "eligible-draft.json")
    await pilot.pause()
    pilot.app.clear_notifications()
    pilot.app.jump_to(key)
    await pilot.pause()


def _painted(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_count_gets_a_count_as_its_example(tmp_path):
    """"bijv. 1.250" reads as an amount of money; the number of participants is 2 to 20."""
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported_on(pilot, "participant_count")
        assert isinstance(app.screen, QuestionScreen)
        field = app.screen.field_for("participant_count").query_one("#answer", Input)
        field.value = ""
        await pilot.pause()
        placeholder = str(field.placeholder)
        screen = _painted(app)
    assert placeholder == "bijv. 3", placeholder
    assert "1.250" not in screen


async def test_a_long_text_shows_its_length_and_limit(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported_on(pilot, "circ_savings_basis")
        length = app.screen.query_one(".long-text-length", Static)
        before = str(length.render())
        area = length.parent.query_one("#answer")
        area.focus()
        await pilot.pause()
        area.select_all()
        app.post_message(events.Paste("x" * 20_005))  # over what was there
        await pilot.pause()
        after = str(length.render())
    assert before.endswith("van ten hoogste 20.000 tekens"), before
    assert after == "20.005 van ten hoogste 20.000 tekens: maak het 5 tekens korter", after


async def test_an_escape_pasted_into_a_title_shows_where_it_stood(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session.state == "project_title"
        app.post_message(events.Paste("Plan\x1b[31mRood \u202eomgekeerd"))
        await pilot.pause()
        screen = _painted(app)
        await pilot.press("enter")
        await pilot.pause()
        kept = app.session.value("project_title")
    assert "Plan\\x1b[31mRood \\u202eomgekeerd" in screen, screen
    assert kept == "Plan\\x1b[31mRood \\u202eomgekeerd"  # what is shown is what is kept
