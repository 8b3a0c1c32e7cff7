"""Issue 22, nothing typed is lost: a form's field left with Tab records what the session
accepts (and keeps a refused text with its reason); whatever leaves a question screen (Esc,
F6, F5, F4, ctrl+q, the palette, F2, F8) first records what is typed and accepted, and
asks before giving up what is not."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from intake_assistant.tui.screens.modals import ConfirmScreen
from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.screens.review import ReviewScreen

from .conftest import draft_without_sme_figures, imported_at, make_test_app, press_settled

SME = ["participant_staff_units[0]", "participant_turnover[0]",
       "participant_balance_sheet[0]", "participant_linked_included[0]",
       "participant_public_control[0]"]


async def _on_sme_form(pilot, tmp_path) -> QuestionScreen:
    app = pilot.app
    await imported_at(pilot, draft_without_sme_figures(tmp_path))
    if app.session.state != SME[0]:
        app.jump_to(SME[0])
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, QuestionScreen) and screen.page == SME
    assert app.focused is screen.field_for(SME[0]).query_one("#answer")
    return screen


def _error(screen: QuestionScreen, key: str) -> str:
    return str(screen.error_for(key).render())


async def _leave(pilot, how: str) -> None:
    """Leave the question screen as a user would: a key, or a command of the palette."""
    if how.startswith("palette:"):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*how.removeprefix("palette:"))
        await pilot.pause(0.3)  # the palette searches in a worker
        await press_settled(pilot, "enter")
    else:
        await press_settled(pilot, how)


async def test_a_form_field_left_with_tab_is_recorded_at_once(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _on_sme_form(pilot, tmp_path)
        await pilot.press(*"12", "tab", *"1,800,000", "shift+tab")
        await pilot.pause()
        await pilot.pause()
        assert app.session.value(SME[0]) == 12
        assert app.session.value(SME[1]) == 1800000  # left backwards: recorded too
        assert app.focused is screen.field_for(SME[0]).query_one("#answer")  # stays there
        saved = app.storage.load(app.intake_id).state["answers"]
        assert saved[SME[0]] == 12 and saved[SME[1]] == 1800000


@pytest.mark.parametrize("how", ["escape", "f6", "f5", "ctrl+q", "palette:Review answers"])
async def test_what_a_form_holds_is_kept_whichever_way_it_is_left(tmp_path, how):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _on_sme_form(pilot, tmp_path)
        intake = app.intake_id
        # the first left with Tab; the second typed and left by leaving the screen
        await pilot.press(*"12", "tab", *"900,000")
        await pilot.pause()
        await _leave(pilot, how)
        assert app.session.value(SME[0]) == 12
        assert app.session.value(SME[1]) == 900000
        saved = app.storage.load(intake).state["answers"]
        assert saved[SME[0]] == 12 and saved[SME[1]] == 900000
        if how != "ctrl+q":
            assert not isinstance(app.screen, QuestionScreen) or app.screen.page != SME
            assert any("900,000" in str(n.message) or "turnover" in str(n.message).lower()
                       for n in app._notifications)  # said, not silent


async def test_a_refused_text_stays_with_its_reason_and_leaving_asks_first(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _on_sme_form(pilot, tmp_path)
        await pilot.press(*"veel", "tab")
        await pilot.pause()
        staff = screen.field_for(SME[0]).query_one("#answer", Input)
        assert staff.value == "veel" and _error(screen, SME[0])  # kept, with why
        assert app.session.value(SME[0]) is None
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # asked, not dropped
        assert "veel" in str(app.screen.query_one(".dialog-body").render())
        await pilot.press("enter")  # the focused button: stay
        await pilot.pause()
        assert app.screen is screen and staff.value == "veel"
        assert app.focused is staff
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("shift+tab", "enter")  # go on without it
        await pilot.pause()
        await pilot.pause()
        assert app.screen is not screen or app.screen.page != SME
        assert app.session.value(SME[0]) is None


async def test_an_empty_required_field_that_had_an_answer_asks_before_leaving(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, key="participant_name[0]")
        name = app.session.value("participant_name[0]")
        await pilot.press("ctrl+a", "ctrl+k", "tab")  # the name cleared
        await pilot.pause()
        assert app.session.value("participant_name[0]") == name
        assert _error(app.screen, "participant_name[0]")
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


@pytest.mark.parametrize("how", ["escape", "f6", "ctrl+q"])
async def test_a_single_question_typed_and_not_submitted_is_kept(tmp_path, how):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, key="participant_count")
        assert app.screen.page == ["participant_count"]
        intake = app.intake_id
        await pilot.press("ctrl+a", "ctrl+k", "3")
        await _leave(pilot, how)
        assert app.session.value("participant_count") == 3
        assert app.storage.load(intake).state["answers"]["participant_count"] == 3


@pytest.mark.parametrize("key", ["f2", "f8"])
async def test_switching_language_or_mode_keeps_what_is_typed(tmp_path, key):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, key="project_title")
        await pilot.press("end", *" II")
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        field = app.screen.field_for("project_title").query_one("#answer", Input)
        assert field.value.endswith(" II")


async def test_a_list_only_looked_at_on_its_own_screen_records_nothing(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, key="participant_chain_role[0]")
        before = app.session.value("participant_chain_role[0]")
        await pilot.press("down", "down", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen | QuestionScreen)
        assert app.session.value("participant_chain_role[0]") == before
