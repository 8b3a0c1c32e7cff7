"""Where a change returns to: the review to the changed answer, a cost line added from the table
to the table."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from intake_assistant.tui.screens.participants import ParticipantsScreen
from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.screens.review import ReviewScreen

from .conftest import SIZE, make_test_app, open_example


async def test_review_returns_to_the_changed_answer(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_example(pilot)
        assert isinstance(app.screen, ReviewScreen)
        review = app.screen.query_one("#review-list", OptionList)
        key = "facilitator_name"
        review.highlighted = review.get_option_index(key)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state == key
        await pilot.press("end", *"X")
        await pilot.click("#next")  # the name is the first field of a form: Next answers it
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        review = app.screen.query_one("#review-list", OptionList)
        assert review.highlighted == review.get_option_index(key)  # not the top
        assert review.scroll_offset.y > 0


async def test_a_cost_line_added_from_the_table_returns_to_the_table(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_example(pilot)
        app.action_participants()
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        before = len(app.session.draft.participants[0].cost_lines or [])
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        # the line's form: description, category (the first), amount; Enter on the last goes on
        await pilot.press(*"Sensor", "enter", "down", "enter", *"1000", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        assert len(app.session.draft.participants[0].cost_lines) == before + 1
        assert isinstance(app.screen.query_one("#cost-lines-table", DataTable), DataTable)
