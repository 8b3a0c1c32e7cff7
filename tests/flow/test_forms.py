"""Forms: related questions of one instance on one screen, still one answer per field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from intake_assistant.flow.commands import ReplayCount, replay, run_replay
from intake_assistant.flow.lint import lint
from intake_assistant.flow.round_texts import flow_rulesets
from intake_assistant.flow.schema import load_flow
from intake_assistant.flow.session import REVIEW, IntakeSession
from intake_assistant.i18n import resource_dir, translator

from .helpers import SHARED, complete, load_example

FOUR_PARTNERS = SHARED / "examples" / "eligible-office-chair.json"
#: Screens the four-partner example takes (135 with one question per screen; aim <= 50).
FOUR_PARTNER_SCREENS = 49


def _broken(tmp_path: Path) -> Path:
    folder = tmp_path / "sce-2020"
    shutil.copytree(resource_dir("dialogs") / "sce-2020", folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("ruleset", flow_rulesets())
def test_every_round_has_its_forms_and_they_are_sound(ruleset: str) -> None:
    flow = load_flow(ruleset)
    assert {"sme_figures", "difficulty", "facilitator_details", "cost_line"} <= set(flow.forms)
    assert lint(None, ruleset) == []


def test_2022_splits_the_identity_form_around_the_questions_it_adds() -> None:
    forms = load_flow("sce-2022").forms
    assert forms["participant_identity"] == (
        "participant_name", "participant_large", "participant_caribbean")
    assert forms["participant_details"][0] == "participant_kvk"
    assert "participant_details" not in load_flow("sce-2021").forms


def test_lint_refuses_forms_that_cannot_be_one_screen(tmp_path: Path) -> None:
    folder = _broken(tmp_path)
    flow_file = folder / "flow.yaml"
    # not following one another, a member depending on another, an unknown one, one twice
    _edit(flow_file, "questions: [project_subject, project_activity_types]",
          "questions: [project_title, project_subject, nonsense]")
    _edit(flow_file, "questions: [participant_name, participant_kvk, participant_is_lead, "
          "participant_in_group]",
          "questions: [participant_in_group, participant_group_name]")
    _edit(flow_file, "questions: [circ_r_strategy, circ_mainly_downcycling]",
          "questions: [circ_r_strategy, circ_mainly_downcycling, participant_count]")
    _edit(flow_file, "questions: [tie_participant, tie_nature]",
          "questions: [tie_participant, tie_nature, facilitator_name]")
    english = translator("en")
    texts = [english.render(m) for _p, m in lint(folder)]
    assert "form project_subject names nonsense, which is not a question" in texts
    assert "participant_group_name depends on participant_in_group, another question " \
           "of form participant_identity" in texts
    assert "the questions of form circularity_strategy do not follow one another in the " \
           "flow" in texts
    assert "participant_count is not in the section and group of form " \
           "circularity_strategy's first question" in texts
    assert "facilitator_name is in two forms: facilitator_details and tie" in texts
    assert all(p.file == "sce-2020/flow.yaml" and p.line > 1 for p, _m in lint(folder))


def test_lint_wants_a_long_text_last_in_its_form(tmp_path: Path) -> None:
    folder = _broken(tmp_path)
    _edit(folder / "flow.yaml", "questions: [circ_savings_quantity, circ_savings_unit, "
          "circ_savings_basis]", "questions: [circ_savings_quantity, circ_savings_basis, "
          "circ_savings_unit]")
    texts = [translator("en").render(m) for _p, m in lint(folder)]
    assert "circ_savings_basis is a long text, so it must be the last question of form " \
           "circularity_savings" in texts
    assert all(p.file == "sce-2020/flow.yaml" and p.line > 1 for p, _m in lint(folder))


def _at_sme_form(session: IntakeSession) -> None:
    complete_until(session, "participant_staff_units[0]")


def complete_until(session: IntakeSession, key: str) -> None:
    from .helpers import typical_answer

    for _ in range(300):
        if session.state == key:
            return
        assert session.answer(typical_answer(session)).accepted, session.state
        session.next()
    raise AssertionError(f"never reached {key}")


def test_a_form_is_one_screen_with_one_answer_per_field() -> None:
    session = IntakeSession.new("en")
    _at_sme_form(session)
    keys = session.page_keys()
    assert keys == ["participant_staff_units[0]", "participant_turnover[0]",
                    "participant_balance_sheet[0]", "participant_linked_included[0]",
                    "participant_public_control[0]"]
    before = session.report
    # each field is answered and validated on its own; the pre-check follows each answer
    refused = session.answer("twelve", "participant_staff_units[0]")
    assert not refused.accepted and refused.message
    assert session.value("participant_staff_units[0]") is None
    assert session.validate("", "participant_linked_included[0]") == "An answer is needed."
    assert session.answer("1,800,000", "participant_turnover[0]").accepted
    assert session.value("participant_turnover[0]") == 1800000
    assert session.report is not before
    assert session.draft.participants[0].annual_turnover_eur == 1800000
    assert session.state == "participant_staff_units[0]"  # the screen stays
    # a question of another screen is not answered from here
    other = session.answer("12", "participant_staff_units[1]")
    assert not other.accepted and session.value("participant_staff_units[1]") is None
    # on by screen: past the form (the role comes next); back: to the form's first field
    assert session.next(by_screen=True)
    assert session.state == "participant_chain_role[0]"
    assert session.back(by_screen=True)
    assert session.state == "participant_staff_units[0]"
    assert session.can_go_back_screen
    # by question, as before
    assert session.next() and session.state == "participant_turnover[0]"
    assert session.page_keys() == keys


def test_back_by_screen_lands_on_the_first_field_of_the_form_before() -> None:
    session = IntakeSession.new("en")
    complete_until(session, "participant_chain_role[0]")
    session.answer("collector")
    session.next()
    session.answer("yes")
    session.next()  # on the difficulty form, at its first question
    assert session.state == "participant_difficulty_share_capital[0]"
    session.next()
    assert session.back(by_screen=True)  # from within the form to the screen before it
    assert session.state == "participant_continues[0]"
    assert session.next(by_screen=True) and session.next(by_screen=True)
    assert session.state == "participant_recovery_order[0]"
    assert session.back(by_screen=True)
    assert session.state == "participant_difficulty_share_capital[0]"


def test_a_participant_added_is_real_once_any_field_of_its_form_is_answered() -> None:
    session = IntakeSession.new("en")
    complete(session)
    assert session.state == REVIEW
    key = session.add_participant()
    assert key == "participant_name[3]" and session.adding
    assert "participant_kvk[3]" in session.page_keys()
    assert session.answer("44444444", "participant_kvk[3]").accepted
    assert not session.adding
    assert len(session.draft.participants) == 4


def test_section_steps_count_participants_done_not_restarting_per_participant() -> None:
    session = IntakeSession.new("nl")
    complete_until(session, "participant_name[2]")
    steps = {s.section: s for s in session.section_steps()}
    # the sections asked per participant are one step, counted in participants done
    assert list(steps) == ["project", "circularity", "participants", "facilitator",
                           "declarations"]
    assert steps["participants"].per_participant
    assert (steps["participants"].done, steps["participants"].total) == (2, 3)
    assert steps["participants"].current and not steps["project"].current
    assert steps["participants"].current_part is None
    assert (steps["project"].done, steps["project"].total) == (5, 5)
    assert steps["project"].label == "Project" and steps["participants"].label == "Deelnemers"
    complete_until(session, "participant_staff_units[2]")
    step = next(s for s in session.section_steps() if s.current)
    assert (step.section, step.done, step.current_part) == ("participants", 2, "Mkb-status")
    complete(session)
    assert [(s.done, s.total) for s in session.section_steps()] == [
        (5, 5), (3, 3), (3, 3), (5, 5), (3, 3)]  # facilitator: with its tie and measures
    assert not any(s.current for s in session.section_steps())


def test_the_four_partner_example_takes_at_most_50_screens(
        capsys: pytest.CaptureFixture[str]) -> None:
    draft = load_example(FOUR_PARTNERS)
    assert len(draft.participants) == 4
    count = ReplayCount()
    session, refused, message = replay(draft, "nl", count=count)
    assert refused is None, message
    assert session.draft == draft  # every answer given, one per field
    assert count.screens <= FOUR_PARTNER_SCREENS <= 50
    assert 1000 < count.key_presses < 1500
    assert run_replay(str(FOUR_PARTNERS), "en", None) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == f"{count.screens} screens, {count.key_presses:,} key presses"


def test_answer_page_keeps_what_is_accepted_and_says_what_is_not() -> None:
    session = IntakeSession.new("nl")
    _at_sme_form(session)
    results = session.answer_page({
        "participant_staff_units[0]": "12,5", "participant_turnover[0]": "veel",
        "participant_linked_included[0]": "ja", "participant_kvk[1]": "12345678"})
    assert list(results) == ["participant_staff_units[0]", "participant_turnover[0]",
                             "participant_linked_included[0]", "participant_kvk[1]"]
    assert results["participant_staff_units[0]"].accepted
    assert not results["participant_turnover[0]"].accepted
    assert not results["participant_kvk[1]"].accepted  # not a question of this screen
    assert session.value("participant_staff_units[0]") == 12.5
    assert session.value("participant_linked_included[0]") is True
    assert session.value("participant_turnover[0]") is None
