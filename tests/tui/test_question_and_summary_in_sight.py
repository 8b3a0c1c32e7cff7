"""Small terminals: the field, its buttons and the question stay in sight; the summary and its
subsidy table fit 80x24."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable, Static

from intake_assistant.tui.widgets.precheck import PrecheckPanel

from .conftest import in_sight, make_test_app, open_example


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 36)])
@pytest.mark.parametrize("question", ["project_title", "project_description",
                                      "participant_staff_units[0]", "project_work_started",
                                      "project_application_date"])
async def test_question_field_and_buttons_stay_in_sight(tmp_path, size, question):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=size) as pilot:
        await open_example(pilot)
        app.jump_to(question)
        await pilot.pause()
        await pilot.pause()  # the field takes the focus after the screen's first layout
        screen = app.screen
        # a single question's label, or a form's first field's label
        label = screen.query_one("#label-0")
        assert label.region.height > 0
        assert in_sight(app, app.focused)  # the field being answered
        assert in_sight(app, screen.query_one("#next", Button))
        panel = screen.query_one(PrecheckPanel)
        assert not panel.has_class("hidden") and panel.region.width > 0  # still shown


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_long_list_leaves_its_question_in_sight(tmp_path, size):
    """The eleven chain roles: at 60x20 the list filled the question area and its question
    was scrolled above it (under the header); a long list now scrolls within itself there."""
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=size) as pilot:
        await open_example(pilot)
        app.jump_to("participant_chain_role[1]")
        await pilot.pause()
        await pilot.pause()
        area = app.screen.query_one("#question-area").region
        label = app.screen.query_one("#label-0")
        assert "rol" in str(label.render())
        assert label.region.height > 0 and area.contains_region(label.region)
        assert area.contains_region(app.focused.region)  # the list being answered
        assert in_sight(app, app.screen.query_one("#next", Button))


async def test_summary_subsidy_table_fits_80_columns(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_example(pilot)
        app.action_summary()
        await pilot.pause()
        table = app.screen.query_one("#subsidy-table", DataTable)
        assert table.virtual_size.width <= table.region.width


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_summary_at_80x24_shows_the_subsidy_table_without_a_scroll(tmp_path, language):
    """The unverified values filled the first screen of the summary (the table needed a
    scroll): a line says they exist, and they are listed under the subsidy."""
    from textual.widgets import DataTable

    from intake_assistant.tui.screens.summary import SummaryScreen

    app = make_test_app(tmp_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_example(pilot)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        table = screen.query_one("#subsidy-table", DataTable)
        area = screen.query_one("#summary-scroll").region
        assert table.region.y + 3 < area.bottom  # its header and first row in sight
        values = str(screen.query_one("#unverified-values", Static).render())
        assert table.region.y < screen.query_one("#unverified-values").region.y
        assert ("6 maanden" if language == "nl" else "6 months") in values
        note = str(screen.query_one("#unverified-note", Static).render())
        assert ("onder de subsidie" if language == "nl" else "below the subsidy") in note
