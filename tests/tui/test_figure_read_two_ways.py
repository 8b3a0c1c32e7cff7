"""A figure that reads two ways (Dutch "4,000", English "400.000") is asked about, never
guessed: the terminal offers both readings, records the one chosen through the service as
any answer, and keeps the typed text when neither is chosen. Read from the painted screen."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from intake_assistant.tui.screens.modals import ReadingScreen
from intake_assistant.tui.screens.question import QuestionScreen

from .conftest import draft_without_sme_figures, imported_at, make_test_app

STAFF, TURNOVER, BALANCE = ("participant_staff_units[0]", "participant_turnover[0]",
                            "participant_balance_sheet[0]")

#: What is typed, the question the dialog asks (as painted), and the readings chosen.
CASES = {
    "nl": ("4,000", "Bedoelde u € 4,00 of € 4.000,00?", {"€ 4,00": 4, "€ 4.000,00": 4000}),
    "en": ("400.000", "Did you mean € 400.00 or € 400,000.00?",
           {"€ 400.00": 400, "€ 400,000.00": 400000}),
}


def _painted(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _typed_in_turnover(pilot, tmp_path, typed: str) -> QuestionScreen:
    app = pilot.app
    await imported_at(pilot, draft_without_sme_figures(tmp_path))
    if app.session.state != STAFF:
        app.jump_to(STAFF)
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, QuestionScreen) and TURNOVER in screen.page
    await pilot.press(*"12", "tab", *typed, "enter")
    await pilot.pause()
    await pilot.pause()
    return screen


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("pick", [0, 1])
async def test_the_reading_chosen_is_recorded(tmp_path, language, size, pick):
    typed, question, readings = CASES[language]
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        screen = await _typed_in_turnover(pilot, tmp_path, typed)
        assert isinstance(app.screen, ReadingScreen)
        painted = _painted(app)
        assert question in " ".join(painted.split()), painted
        chosen = list(readings)[pick]
        for reading in readings:  # each reading a button, painted whole
            assert reading in painted
        assert app.session.value(TURNOVER) is None  # nothing guessed meanwhile
        if pick:
            await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert app.session.value(TURNOVER) == readings[chosen]
        saved = app.storage.load(app.intake_id).state["answers"]
        assert saved[TURNOVER] == readings[chosen]
        assert app.session.value(STAFF) == 12
        # on to the next field, as Enter on an accepted answer goes
        assert app.focused is screen.field_for(BALANCE).query_one("#answer")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_neither_reading_keeps_what_was_typed(tmp_path, language):
    typed, _question, _readings = CASES[language]
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _typed_in_turnover(pilot, tmp_path, typed)
        assert isinstance(app.screen, ReadingScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        field = screen.field_for(TURNOVER).query_one("#answer", Input)
        assert field.value == typed and app.focused is field
        assert app.session.value(TURNOVER) is None
        assert typed in str(screen.error_for(TURNOVER).render())


async def test_a_reading_of_a_text_changed_meanwhile_is_not_taken(tmp_path):
    """The field's text changed while the dialog was open: the reading chosen is of the
    earlier text, so it is not recorded (the session takes only a reading of what the field
    holds now); the field keeps its text, to be answered or corrected."""
    typed, _question, _readings = CASES["nl"]
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _typed_in_turnover(pilot, tmp_path, typed)
        assert isinstance(app.screen, ReadingScreen)
        field = screen.field_for(TURNOVER).query_one("#answer", Input)
        field.value = "5,000"  # reads two ways as well, other ones
        await pilot.press("enter")  # the first reading offered: € 4,00
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert app.session.value(TURNOVER) is None
        assert field.value == "5,000" and app.focused is field


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_last_field_goes_on_with_the_reading_chosen(tmp_path, language):
    """Enter on a form's last field (to go on): the reading chosen is recorded and the
    form is answered as a whole."""
    typed, _question, readings = CASES[language]
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, draft_without_sme_figures(tmp_path))
        if app.session.state != STAFF:
            app.jump_to(STAFF)
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        no = "n"
        await pilot.press(*"12", "tab", *"900", "tab", *typed, "tab", no, "tab", no, "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen), _painted(app)
        await pilot.press("tab", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.session.value(BALANCE) == list(readings.values())[1]
        assert app.session.value("participant_public_control[0]") is False
        assert app.screen is screen and BALANCE not in screen.page  # on to the next screen


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_question_on_its_own_offers_only_the_reading_that_is_an_answer(
        tmp_path, language):
    """The number of partners (1 to 20): "4,000" (Dutch) or "4.000" (English) reads 4 or
    4000, and 4000 is no answer here: the dialog offers 4 alone, and goes on with it."""
    typed = {"nl": "4,000", "en": "4.000"}[language]
    question = {"nl": "Bedoelde u 4?", "en": "Did you mean 4?"}[language]
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, key="participant_count")
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.page == ["participant_count"]
        field = screen.field_for("participant_count").query_one("#answer", Input)
        field.value = ""
        await pilot.press(*typed, "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        dialog = app.screen.query_one("#reading-dialog").region
        lines = _painted(app).split("\n")[dialog.y:dialog.bottom]
        painted = " ".join(" ".join(line[dialog.x:dialog.right] for line in lines).split())
        assert question in painted, painted
        assert "4.000" not in painted.replace(f"“{typed}”", ""), painted  # no answer here
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.session.value("participant_count") == 4
        # on, as Enter on an accepted answer goes (here back to the review it came from)
        assert app.screen is not screen or screen.page != ["participant_count"]
