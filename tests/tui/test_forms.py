"""A form on one screen through the real app: one field per question, each validated on
its own, Tab between fields, Enter on the last goes on, nothing recorded that was not typed."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from intake_assistant.tui.screens.question import QuestionScreen

from .conftest import DATA, draft_without_sme_figures, import_file, make_test_app

SME = ["participant_staff_units[0]", "participant_turnover[0]",
       "participant_balance_sheet[0]", "participant_linked_included[0]",
       "participant_public_control[0]"]


def _error(app, index: int) -> str:
    return str(app.screen.query_one(f"#error-{index}").render())


async def test_sme_figures_are_one_form_with_a_message_per_field(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert import_file(app, draft_without_sme_figures(tmp_path))
        await pilot.pause()
        app.jump_to(SME[0])
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.page == SME
        fields = screen.fields()
        assert len(fields) == 5
        yes_no = [f.query_one("#answer", OptionList) for f in fields[3:]]
        assert [w.highlighted for w in yes_no] == [None, None]  # nothing chosen
        staff = fields[0].query_one("#answer", Input)
        assert app.focused is staff
        await pilot.press(*"lots")
        await pilot.pause()
        assert _error(app, 0) and _error(app, 1) == ""  # the message of that field only
        await pilot.press("ctrl+a", "ctrl+k", *"12", "enter")
        await pilot.pause()
        session = app.session
        assert session.value(SME[0]) == 12  # accepted at once: the pre-check follows
        assert session.draft.participants[0].staff_units == 12
        assert app.focused is fields[1].query_one("#answer")  # on to the next field
        assert _error(app, 0) == ""
        await pilot.press(*"1,800,000", "tab")
        await pilot.press(*"900,000", "tab")
        await pilot.pause()
        assert app.focused is yes_no[0]
        assert session.value(SME[1]) == 1800000  # a field left with Tab is recorded
        await pilot.press("y", "tab", "n", "enter")  # Enter on the last field goes on
        await pilot.pause()
        assert session.value(SME[1]) == 1800000 and session.value(SME[2]) == 900000
        assert session.value(SME[3]) is True and session.value(SME[4]) is False
        assert session.state not in SME
        await pilot.press("escape")  # back a screen: the form, with the answers shown
        await pilot.pause()
        assert app.screen.page == SME and session.state == SME[0]
        fields = app.screen.fields()
        assert fields[1].query_one("#answer", Input).value == "1,800,000"
        assert fields[3].query_one("#answer", OptionList).highlighted == 0


async def test_a_form_does_not_go_on_with_an_empty_required_field(tmp_path):
    keys = ["participant_difficulty_share_capital[0]", "participant_difficulty_capital[0]",
            "participant_difficulty_insolvency[0]", "participant_difficulty_rescue_aid[0]"]
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert import_file(app, draft_without_sme_figures(tmp_path))
        await pilot.pause()
        app.jump_to(keys[0])
        await pilot.pause()
        assert app.screen.page == keys
        assert app.screen.has_class("narrow")  # the progress list gives way at 80 columns
        await pilot.press("enter")  # nothing chosen: nothing recorded, the field says why
        await pilot.pause()
        assert _error(app, 0) == "Een antwoord is nodig."
        assert app.session.value(keys[0]) is None and app.session.state == keys[0]
        await pilot.press(*"nee", "tab", "n", "tab", *"nee")
        await pilot.press("tab", "tab")  # the last field left empty; Tab to Next
        await pilot.pause()
        await pilot.press("enter")  # Next: the three answered are kept, the fourth is needed
        await pilot.pause()
        assert [app.session.value(k) for k in keys] == [False, False, False, None]
        assert _error(app, 3) == "Een antwoord is nodig." and _error(app, 0) == ""
        assert app.session.state == keys[3]
        assert app.focused is app.screen.fields()[3].query_one("#answer")
        assert "Deelnemers" in str(app.screen.query_one("#section-title").render())


def _resume_at(app, key: str) -> None:
    """The test draft, saved at question ``key`` as a walk through it (Enter goes on)."""
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.loading import load_draft_file
    from intake_assistant.storage import IntakeMeta

    session = IntakeSession.from_draft(load_draft_file(DATA / "eligible-draft.json"), "en")
    state = dict(session.to_state_dict(), state=key, return_to_review=False)
    app.storage.save("20240501-100000-000001", state, IntakeMeta(
        title="Chairs", participants=(), updated="2024-05-01T10:00:00+02:00",
        verdict="eligible", language="en", state=key))
    app.resume("20240501-100000-000001")


async def test_the_next_cost_line_reuses_the_form_and_shows_its_own_answers(tmp_path):
    """From one cost line to the next the form's fields stay (no new widgets per cost line)
    and show the next line's questions and answers; what is typed there answers that line."""
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        _resume_at(app, "cost_line_description[1][0]")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        first_line = ["cost_line_description[1][0]", "cost_line_category[1][0]",
                      "cost_line_amount[1][0]"]
        assert screen.page == first_line
        fields = screen.fields()
        assert fields[0].query_one("#answer", Input).value == "Prototypemateriaal"
        for _ in first_line:
            await pilot.press("enter")  # keeps each shown answer; the last goes on
            await pilot.pause()
        second_line = [key.replace("[0]", "[1]") for key in first_line]
        assert app.screen is screen and screen.page == second_line
        assert screen.fields() == fields  # the same widgets, refilled
        assert [f.name for f in fields] == second_line
        description = fields[0].query_one("#answer", Input)
        assert description.value == "Procesbegeleiding"
        assert app.focused is description
        assert "cost line 2" in str(screen.query_one("#label-0").render()).lower()
        category = fields[1].query_one("#answer", OptionList)
        session = app.session
        expected = session.value(second_line[1])
        assert category.get_option_at_index(category.highlighted).id == expected
        await pilot.press("ctrl+a", "ctrl+k", *"Coaching", "enter")
        await pilot.pause()
        assert session.value(second_line[0]) == "Coaching"
        assert session.value(first_line[0]) == "Prototypemateriaal"
        assert app.focused is category
        await pilot.press("ctrl+a")  # nothing breaks on the list; back to the amount:
        await pilot.press("enter")
        await pilot.pause()
        amount = fields[2].query_one("#answer", Input)
        assert app.focused is amount
        await pilot.press("ctrl+a", "ctrl+k", *"lots")
        await pilot.pause()
        assert _error(app, 2)  # the live check is this line's amount question's
        assert _error(app, 0) == ""


async def test_a_field_kept_from_an_earlier_screen_shows_nothing_chosen_for_a_new_question(
        tmp_path):
    """The area keeps a field for a later screen's question of its kind: the dates form's
    yes/no list, answered "no", is the next screen's yes/no list. It must show that
    question's own answer (none yet: nothing chosen), and Enter must record nothing."""
    from .conftest import reference_session, type_answer

    reference = reference_session("en")
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        while app.session.state != "project_work_started":
            await type_answer(pilot, app, reference)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        work_started = screen.field_for("project_work_started")
        await type_answer(pilot, app, reference)  # the form's last field: on to the next
        assert app.session.value("project_work_started") is False
        assert screen.page == ["circ_r_strategy", "circ_mainly_downcycling"]
        downcycling = screen.field_for("circ_mainly_downcycling")
        assert downcycling is work_started  # the same widget, showing another question
        assert downcycling.query_one("#answer", OptionList).highlighted is None
        await pilot.press("tab")  # to the yes/no list, nothing chosen on it
        await pilot.pause()
        assert app.focused is downcycling.query_one("#answer")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.value("circ_mainly_downcycling") is None
        assert app.session.state in ("circ_r_strategy", "circ_mainly_downcycling")
        assert _error(app, 1)  # it says an answer is needed
