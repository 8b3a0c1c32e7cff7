"""Issue 22, Esc goes back where the user came from: from the review to the question it was
opened from, from a question opened from the review back to the review, out of the section
list; and the footer shows Esc only where it does something."""

from __future__ import annotations

from textual.widgets import OptionList

from intake_assistant.flow.session import IntakeSession
from intake_assistant.tui.screens.participants import ParticipantsScreen
from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.screens.review import ReviewScreen
from intake_assistant.tui.screens.summary import SummaryScreen
from intake_assistant.tui.widgets.footer import FooterKey

from .conftest import draft_without_sme_figures, imported_at, make_test_app, press_settled

STAFF = "participant_staff_units[0]"


def _footer_keys(app) -> list[str]:
    return [key.key for key in app.screen.query(FooterKey) if key.display]


async def test_escape_from_the_review_returns_to_the_question_it_was_opened_from(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, draft_without_sme_figures(tmp_path))
        assert app.session.state == STAFF  # the first open question
        await press_settled(pilot, "f6")
        assert isinstance(app.screen, ReviewScreen)
        await press_settled(pilot, "f7")
        assert isinstance(app.screen, SummaryScreen)
        await press_settled(pilot, "escape")  # the summary: back to the review
        assert isinstance(app.screen, ReviewScreen)
        await press_settled(pilot, "escape")  # the review: back to the question it came from
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.state == STAFF


async def test_escape_on_a_question_opened_from_the_review_returns_to_the_review(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot)
        assert isinstance(app.screen, ReviewScreen)
        review = app.screen.query_one("#review-list", OptionList)
        review.highlighted = review.get_option_index("participant_count")
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.state == "participant_count"
        assert "escape" in _footer_keys(app)
        await press_settled(pilot, "escape")
        assert isinstance(app.screen, ReviewScreen)
        review = app.screen.query_one("#review-list", OptionList)
        assert review.highlighted == review.get_option_index("participant_count")


async def test_escape_closes_the_section_list_and_stays_on_the_question(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await imported_at(pilot, draft_without_sme_figures(tmp_path))
        screen = app.screen
        await press_settled(pilot, "f4")
        assert screen.query_one("#sections").has_class("shown")
        await press_settled(pilot, "escape")
        assert app.screen is screen and app.session.state == STAFF
        assert not screen.query_one("#sections").has_class("shown")
        assert app.focused is screen.field_for(STAFF).query_one("#answer")


async def test_escape_is_not_offered_on_the_first_question(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press_settled(pilot, "ctrl+n")
        assert isinstance(app.screen, QuestionScreen)
        assert "escape" not in _footer_keys(app)  # it would do nothing
        await pilot.press(*"Stoel", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.session.state != "project_title"
        assert "escape" in _footer_keys(app)  # now it goes back
        await press_settled(pilot, "escape")
        assert app.session.state == "project_title"
        assert "escape" not in _footer_keys(app)


async def test_escape_on_the_participants_table_returns_to_the_questions(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, draft_without_sme_figures(tmp_path))
        await press_settled(pilot, "f5")
        assert isinstance(app.screen, ParticipantsScreen)
        await press_settled(pilot, "escape")
        assert isinstance(app.screen, QuestionScreen) and app.session.state == STAFF


def test_where_the_review_was_opened_from_is_saved():
    session = IntakeSession.new("en")
    session.answer("Stoel")
    session.next()
    here = session.state
    session.go_to("review")
    restored = IntakeSession.from_state_dict(session.to_state_dict())
    assert restored.back(by_screen=True) and restored.state == here
