"""Node-level helpers for flow tests, in the spirit of smart-answers' FlowTestHelper."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from intake_assistant.flow.session import IntakeSession
from intake_assistant.models import DraftApplication

SHARED = Path(__file__).parents[2] / ".." / "shared"
EXAMPLES = sorted((SHARED / "examples").glob("*.json"))


def load_example(path: Path) -> DraftApplication:
    return DraftApplication.model_validate(json.loads(path.read_text(encoding="utf-8")))


class FlowHelper:
    """Give answers and assert where the flow goes."""

    def __init__(self, language: str = "en") -> None:
        self.session = IntakeSession.new(language)

    @property
    def key(self) -> str:
        return self.session.state

    def give(self, *answers: Any) -> FlowHelper:
        """Answer the current question with each answer in turn, moving on after each."""
        for answer in answers:
            result = self.session.answer(answer)
            assert result.accepted, f"{self.key}: {answer!r} refused: {result.message}"
            self.session.next()
        return self

    def expect(self, key: str) -> FlowHelper:
        assert self.key == key, f"expected question {key}, at {self.key}"
        return self

    def refuses(self, answer: Any, fragment: str = "") -> str:
        before = self.session.value(self.key)
        result = self.session.answer(answer)
        assert not result.accepted, f"{self.key}: {answer!r} was accepted"
        assert result.message and fragment in result.message, result.message
        assert self.session.value(self.key) == before, "a refused answer changed the stored one"
        return result.message


#: Answers to the whole interview (English typing), question id -> typed answer, for
#: three participants with one cost line each, and a facilitator with one tie.
PROJECT = {
    "project_title": "Circular office chair",
    "project_public_summary": "Four SMEs develop a modular office chair.",
    "project_description": "Design, pilot, test.",
    "project_subject": ["product"],
    "project_activity_types": ["experimental_development"],
    "project_application_date": "2020-06-02",
    "project_start_date": "2020-09-01",
    "project_end_date": "2022-08-31",
    "project_work_started": "no",
    "circ_r_strategy": "R3",
    "circ_mainly_downcycling": "no",
    "circ_savings_quantity": "85",
    "circ_savings_unit": "t/year",
    "circ_savings_basis": "Reuse of frames.",
    "circ_co2_tonnes": "260",
    "circ_co2_basis": "Avoided steel.",
}
PARTICIPANT = {
    "participant_is_lead": "no",
    "participant_in_group": "no",
    "participant_chain_role": None,  # filled per participant
    "participant_continues": "yes",
    "participant_staff_units": "12",
    "participant_turnover": "1,800,000",
    "participant_balance_sheet": "900,000",
    "participant_linked_included": "yes",
    "participant_public_control": "no",
    "participant_difficulty_share_capital": "no",
    "participant_difficulty_capital": "no",
    "participant_difficulty_insolvency": "no",
    "participant_difficulty_rescue_aid": "no",
    "participant_recovery_order": "no",
    "participant_sector": "other",
    "participant_other_aid": "no",
    "participant_received_this_year": "no",
    "participant_own_hours": "240",
    "cost_line_count": "1",
    "cost_line_description": "Facilitation",
    "cost_line_category": "facilitator",
    "cost_line_amount": "2,000",
}
TIE_PARTICIPANT = "22222222"  # the second partner's KvK number
REST = {
    "facilitator_appointed": "yes",
    "facilitator_name": "J. de Vries",
    "facilitator_organisation": "Ketenregie",
    "facilitator_kvk": "99999999",
    "facilitator_experience": "4",
    "tie_count": "1",
    "tie_participant": TIE_PARTICIPANT,
    "tie_nature": "board_member",
    "facilitator_conflict_measures": "Abstains from votes.",
    "facilitator_market_fee": "yes",
    "collab_joint_scope": "yes",
    "collab_each_contributes": "yes",
    "collab_share_risks": "yes",
    "decl_application_plan": "The retailer offers the chair as a service.",
    "decl_results_applied": "yes",
    "decl_cooperation_agreement": "yes",
    "decl_lead_designation": "yes",
    "decl_project_plan": "yes",
    "decl_circo_track": "no",
}
ROLES = ["collector", "designer", "producer"]


def typical_answer(session: IntakeSession) -> Any:
    """The answer this test suite gives to the current question (English typing)."""
    view = session.current
    assert view is not None
    qid = view.question_id
    p = view.participant_index
    if qid == "participant_count":
        return "3"
    if qid == "participant_name":
        return f"Company {p}"
    if qid == "participant_kvk":
        return f"{p + 1}" * 8
    if qid == "participant_is_lead":
        return "yes" if p == 0 else "no"
    if qid == "participant_chain_role":
        return ROLES[p % len(ROLES)]
    if qid == "tie_participant" and view.choices and \
            TIE_PARTICIPANT not in {code for code, _ in view.choices}:
        # A walk may have left the second partner without a KvK number (an empty answer
        # clears it), so the usual choice is not offered: take one that is.
        return view.choices[0][0]
    for table in (PROJECT, PARTICIPANT, REST):
        if qid in table:
            return typed(table[qid], session.language)
    raise KeyError(qid)


def typed(answer: Any, language: str) -> Any:
    """An English-typed answer as a Dutch user types it (1,800,000 -> 1.800.000; ja/nee)."""
    if language != "nl" or not isinstance(answer, str):
        return answer
    if re.fullmatch(r"[\d,.]+", answer):
        return answer.translate(str.maketrans(",.", ".,"))
    return {"yes": "ja", "no": "nee"}.get(answer, answer)


def complete(session: IntakeSession, limit: int = 500) -> None:
    """Answer every question on the way until the review."""
    for _ in range(limit):
        if session.state in ("review", "summary"):
            return
        result = session.answer(typical_answer(session))
        assert result.accepted, f"{session.state}: {result.message}"
        session.next()
    raise AssertionError("the flow did not reach the review")
