"""Long texts: how to go on (ctrl+j, Tab then Enter), the footer keys while writing, a long
public summary kept with a warning."""

from __future__ import annotations

import pytest
from textual.widgets import Static, TextArea

from intake_assistant.tui.screens.review import ReviewScreen

from .conftest import SIZE, make_test_app, open_example


async def test_long_text_says_how_to_go_on_and_ctrl_j_goes_on(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_example(pilot)
        app.jump_to("project_description")
        await pilot.pause()
        hint = str(app.screen.query_one(".long-text-hint", Static).render())
        assert "ctrl+j" in hint and "Tab" in hint and "volgende vraag" in hint
        area = app.screen.fields()[0].query_one("#answer", TextArea)
        assert app.focused is area
        # the cursor stands at the end of the answer already given
        assert area.cursor_location == area.document.end
        await pilot.press(*" Meer")
        await pilot.press("ctrl+j")  # one key goes on (Enter is a new line)
        await pilot.pause()
        assert app.session.draft.project.description.endswith(" Meer")
        assert app.session.state != "project_description"


@pytest.mark.parametrize("question", ["project_description", "circ_savings_basis"])
async def test_tab_then_enter_on_a_long_text_goes_on_as_the_hint_says(tmp_path, question):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_example(pilot, at=question)
        hint = str(app.screen.query_one(".long-text-hint", Static).render())
        assert "Tab en dan Enter: volgende vraag" in hint
        assert isinstance(app.focused, TextArea)
        page = app.screen.page
        await pilot.press(*" Meer", "tab", "enter")  # one step: on (here: back to the review)
        await pilot.pause()
        assert app.session.value(question).endswith(" Meer")
        assert isinstance(app.screen, ReviewScreen) and page


async def test_footer_keys_work_while_writing_a_long_text(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_example(pilot, at="project_description")
        assert isinstance(app.focused, TextArea)
        await pilot.press("f6")  # the text area's own F6 (select line) gives way
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_a_long_public_summary_is_kept_with_a_warning(tmp_path):
    from intake_assistant.flow.schema import cached_flow

    advised = next(q.validation.advised_length for q in
                   (located.question for located in cached_flow("sce-2020").questions)
                   if q.id == "project_public_summary")
    assert advised  # the limit is data of the question, not a number in a text
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_example(pilot)
        app.jump_to("project_public_summary")
        await pilot.pause()
        length = app.screen.query_one(".long-text-length", Static)
        assert "too-long" not in length.classes
        area = app.screen.fields()[0].query_one("#answer", TextArea)
        area.load_text("x" * (advised + 1))
        await pilot.pause()
        assert "too-long" in length.classes
        assert "longer than the" in str(length.render())
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert app.session.draft.project.public_summary == "x" * (advised + 1)  # kept
