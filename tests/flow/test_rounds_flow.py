"""The question flow per round: later rounds extend the earlier, the intake follows the date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from scenarios.test_rounds import ROUNDS, base_data, dated, inside

from intake_assistant.flow.commands import flow_rulesets, mermaid, run_dialogs_lint
from intake_assistant.flow.lint import lint
from intake_assistant.flow.schema import load_flow
from intake_assistant.flow.session import IntakeSession, session_for_round
from intake_assistant.models import DraftApplication
from intake_assistant.rules.rounds import rounds

from .helpers import typical_answer

ROUND_ANSWERS: dict[str, Any] = {
    "participant_large": "no",
    "participant_caribbean": "no",
    "participant_de_minimis": "0",
    "project_barriers_any": "yes",
    "project_barriers_addressed": ["circular"],
    "project_barriers_description": "A take-back chain for used chairs.",
    "project_textile": "no",
    "project_comparable_granted": "no",
}


def test_every_round_has_a_flow_and_the_lint_covers_them_all() -> None:
    assert flow_rulesets() == [r.ruleset_id for r in rounds()]
    for ruleset in flow_rulesets():
        assert lint(None, ruleset) == [], ruleset
    assert run_dialogs_lint("en", None) == 0


def test_later_rounds_extend_the_earlier_writing_only_what_differs() -> None:
    ids = {r: [q.question.id for q in load_flow(r).questions] for r in flow_rulesets()}
    assert ids["sce-2021"] == ids["sce-2020"]  # 2021 rewords one question, adds none
    assert set(ids["sce-2022"]) - set(ids["sce-2021"]) == {
        "participant_large", "participant_caribbean", "participant_de_minimis",
        "participant_kept_apart", "project_barriers_any", "project_barriers_addressed",
        "project_barriers_description"}
    assert ids["sce-2023"] == ids["sce-2022"]
    assert set(ids["sce-2024"]) - set(ids["sce-2023"]) == {
        "project_textile", "project_fibre_to_fibre", "project_comparable_granted",
        "project_repeat_exception"}
    order = ids["sce-2022"]
    assert order.index("participant_large") == order.index("participant_name") + 1
    # The replaced question keeps its place; its file is the later round's.
    located = {q.question.id: q for q in load_flow("sce-2021").questions}
    assert located["participant_continues"].file == "sce-2021/chain_roles.yaml"


@pytest.mark.parametrize("ruleset", ["sce-2022", "sce-2024"])
def test_the_graph_of_a_round_shows_its_own_questions(ruleset: str) -> None:
    graph = mermaid(ruleset)
    assert "participant_de_minimis" in graph
    assert ("project_textile" in graph) is (ruleset == "sce-2024")


def _answer(session: IntakeSession) -> Any:
    view = session.current
    assert view is not None
    return ROUND_ANSWERS.get(view.question_id) or typical_answer(session)


@pytest.mark.parametrize("year", [r.year for r in rounds()])
def test_a_new_intake_follows_the_round_of_its_application_date(year: int) -> None:
    target = next(r for r in rounds() if r.year == year)
    applied = target.first + dt.timedelta(days=5)
    session = IntakeSession.new("en")
    for _ in range(600):
        if session.state in ("review", "summary"):
            break
        view = session.current
        assert view is not None
        if view.question_id == "project_application_date":
            answer: Any = applied.isoformat()
        elif view.question_id == "project_start_date":
            answer = (applied + dt.timedelta(days=30)).isoformat()
        elif view.question_id == "project_end_date":
            answer = (applied + dt.timedelta(days=400)).isoformat()
        else:
            answer = _answer(session)
        result = session.answer(answer)
        assert result.accepted, f"{session.state}: {result.message}"
        session.next()
        session = session_for_round(session)
    # The round's own questions that came before the date are still open: answer them
    # (as a user does from the review; an answer may open the question that depends on it),
    # and nothing else is missing.
    for _ in range(5):
        for key in session.missing_required():
            assert session.go_to(key)
            assert session.answer(_answer(session)).accepted
    assert session.missing_required() == []
    assert session.ruleset == target.ruleset_id
    assert session.draft.ruleset == target.ruleset_id
    assert session.report.ruleset_id == target.ruleset_id
    assert str(session.report.verdict) == "eligible", [
        (f.criterion, str(f.status)) for f in session.report.findings
        if str(f.status) in {"fail", "unknown"}]
    assert session.draft.to_json_dict()["format_version"] == (2 if year >= 2022 else 1)


def _walk_2022(sectors: dict[int, str], kept_apart: str = "yes",
               answers: dict[str, Any] | None = None) -> tuple[IntakeSession, list[int]]:
    """A 2022 intake with the participants' sectors given; who was asked the kept-apart
    question, by participant."""
    applied = next(r for r in rounds() if r.year == 2022).first + dt.timedelta(days=5)
    session = IntakeSession.new("en")
    asked: list[int] = []
    for _ in range(600):
        if session.state in ("review", "summary"):
            break
        view = session.current
        assert view is not None
        qid, who = view.question_id, view.participant_index
        if qid == "project_application_date":
            answer: Any = applied.isoformat()
        elif qid == "project_start_date":
            answer = (applied + dt.timedelta(days=30)).isoformat()
        elif qid == "project_end_date":
            answer = (applied + dt.timedelta(days=400)).isoformat()
        elif qid == "participant_sector" and who in sectors:
            answer = sectors[who]
        elif qid == "participant_kept_apart":
            asked.append(who)
            answer = kept_apart
        elif answers and qid in answers:
            answer = answers[qid]
        else:
            answer = _answer(session)
        assert session.answer(answer).accepted
        session.next()
        session = session_for_round(session)
    for _ in range(5):
        for key in session.missing_required():
            assert session.go_to(key)
            view = session.current
            assert view is not None
            given = (answers or {}).get(view.question_id)
            assert session.answer(given if given is not None else _answer(session)).accepted
    return session, asked


@pytest.mark.parametrize(("kept_apart", "status", "verdict"),
                         [("yes", "warn", "eligible"), ("no", "fail", "not_eligible")])
def test_only_a_participant_in_primary_production_is_asked_whether_the_project_is_kept_apart(
        kept_apart: str, status: str, verdict: str) -> None:
    session, asked = _walk_2022({1: "fishery_aquaculture"}, kept_apart)
    assert session.ruleset == "sce-2022"
    assert asked == [1]
    participants = session.draft.participants or []
    assert participants[1].primary_production_kept_apart is (kept_apart == "yes")
    assert all(p.primary_production_kept_apart is None for i, p in enumerate(participants)
               if i != 1)
    excluded = {f.participant: str(f.status) for f in session.report.findings
                if f.criterion == "GBER-EXCLUDED"}
    assert excluded[participants[1].kvk_number] == status
    assert str(session.report.verdict) == verdict
    assert "primary_production_kept_apart" in session.draft.to_json_dict()["participants"][1]


def test_the_2021_flow_does_not_ask_whether_the_project_is_kept_apart() -> None:
    ids = {q.question.id for q in load_flow("sce-2021").questions}
    assert "participant_kept_apart" not in ids
    assert "participant_kept_apart" in {q.question.id for q in load_flow("sce-2024").questions}


def test_the_2024_cost_kinds_add_knowledge_sharing() -> None:
    def kinds(ruleset: str) -> set[str]:
        question = next(q.question for q in load_flow(ruleset).questions
                        if q.question.id == "cost_line_category")
        return {choice.code for choice in question.choices or ()}

    assert kinds("sce-2024") - kinds("sce-2023") == {"knowledge_sharing"}
    assert "knowledge_sharing" not in kinds("sce-2020")


def test_activities_linked_to_none_of_the_aspects_can_be_answered_and_fail_from_2022() -> None:
    session, _ = _walk_2022({}, answers={"project_barriers_any": "no"})
    project = session.draft.project
    assert project is not None and project.barriers_addressed == []
    activity = next(f for f in session.report.findings if f.criterion == "ACTIVITY-TYPE")
    assert str(activity.status) == "fail"
    assert str(session.report.verdict) == "not_eligible"
    # The draft's empty list reads back as that answer; a list of aspects as yes.
    again = IntakeSession.from_draft(session.draft, "en")
    assert again.value("project_barriers_any") is False
    session_yes, _ = _walk_2022({})
    assert IntakeSession.from_draft(session_yes.draft, "en").value("project_barriers_any") is True


@pytest.mark.parametrize(("day", "ruleset"), [
    ("2021-03-31", "sce-2021"), ("2020-12-31", "sce-2020"), ("2022-04-11", "sce-2021"),
    ("2022-04-12", "sce-2022"), ("2022-04-20", "sce-2022"), ("2023-12-31", "sce-2023"),
    ("2024-01-01", "sce-2024")])
def test_a_new_intake_takes_the_rules_in_force_on_its_application_date(day: str,
                                                                       ruleset: str) -> None:
    session = IntakeSession.new("en")
    for _ in range(100):
        view = session.current
        assert view is not None
        if view.question_id == "project_application_date":
            break
        assert session.answer(_answer(session)).accepted
        session.next()
    assert session.answer(day).accepted
    session.next()
    session = session_for_round(session)
    assert session.ruleset == ruleset
    assert session.current is not None
    assert session.current.question_id == "project_start_date"  # nothing lost


def _draft_dated_in_2022(ruleset: str = "sce-2020") -> DraftApplication:
    """The office-chair example, naming ``ruleset``, applied for in round 2022."""
    data = dated(base_data(), inside(ROUNDS[2022]), 2022)
    data["ruleset"] = ruleset
    return DraftApplication.model_validate(data)


def test_an_imported_draft_keeps_its_ruleset_and_language_when_its_date_is_in_another_round(
) -> None:
    session, left_out = IntakeSession.imported(_draft_dated_in_2022(), "en")
    assert left_out == []
    assert session_for_round(session) is session
    assert session.ruleset == "sce-2020"
    session.set_language("en")
    assert session.draft.language == "nl"  # the draft's own field, as it came
    again = IntakeSession.from_state_dict(session.to_state_dict())
    assert session_for_round(again) is again and again.ruleset == "sce-2020"


def test_a_new_intake_follows_its_date_and_its_language() -> None:
    session = IntakeSession.new("nl")
    session.set_language("en")
    assert session.draft.language == "en"
    state = session.to_state_dict()
    assert state["follow_language"] is True and state["follow_round"] is True
    state["answers"] = IntakeSession.from_draft(_draft_dated_in_2022(), "en").to_state_dict()[
        "answers"]
    followed = session_for_round(IntakeSession.from_state_dict(state))
    assert followed.ruleset == "sce-2022"


@pytest.mark.parametrize("follows", [True, False])
def test_a_save_from_before_the_round_had_its_own_flag_follows_as_its_language_did(
        follows: bool) -> None:
    state = IntakeSession.from_draft(_draft_dated_in_2022(), "en").to_state_dict()
    del state["follow_round"]
    state["follow_language"] = follows
    session = IntakeSession.from_state_dict(state)
    assert session_for_round(session).ruleset == ("sce-2022" if follows else "sce-2020")
    session.set_language("en")
    assert session.draft.language == ("en" if follows else "nl")


def test_the_draft_may_follow_the_language_without_following_the_round() -> None:
    state = IntakeSession.from_draft(_draft_dated_in_2022(), "en").to_state_dict()
    state["follow_language"], state["follow_round"] = True, False
    session = IntakeSession.from_state_dict(state)
    assert session_for_round(session) is session
    session.set_language("en")
    assert session.draft.language == "en"
    saved = session.to_state_dict()
    assert (saved["follow_language"], saved["follow_round"]) == (True, False)
