"""Every criterion at each status the digest allows, from the eligible example, one change each.

Each case names the criterion, the expected status, the change (draft path -> value, or
``ABSENT`` to remove the key), the participant (KvK) for per-participant criteria and, for
``unknown``, the draft path the finding must name in ``needs``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from intake_assistant.i18n import translator
from intake_assistant.rules import CRITERIA, Status

from .helpers import ABSENT, ARTICLES, PER_PARTICIPANT, check, example_data, finding

P0, P1, P2, P3 = "11111111", "22222222", "33333333", "44444444"  # P0 is the lead
FAC = "99999999"
_PARTICIPANTS = example_data()["participants"]


class Case(NamedTuple):
    criterion: str
    status: str
    changes: dict[str, Any]
    participant: str | None = None
    needs: str | None = None
    note: str = ""


CASES = [
    # GBER conditions -------------------------------------------------------------------
    Case("GBER-INCENTIVE", "pass", {}),
    Case("GBER-INCENTIVE", "fail", {"project.work_started_before_application": True}),
    Case("GBER-INCENTIVE", "fail", {"project.start_date": "2020-06-01"}, note="start<application"),
    Case("GBER-INCENTIVE", "unknown", {"project.work_started_before_application": ABSENT},
         needs="project.work_started_before_application"),
    Case("GBER-DIFFICULTY", "pass", {}, P1),
    Case("GBER-DIFFICULTY", "fail", {"participants[1].in_difficulty": True}, P1),
    Case("GBER-DIFFICULTY", "unknown", {"participants[1].in_difficulty": None}, P1,
         "participants[1].in_difficulty"),
    Case("GBER-CUMULATION", "pass", {}, P2),
    Case("GBER-CUMULATION", "warn", {"participants[2].other_aid_same_costs": True}, P2),
    Case("GBER-CUMULATION", "unknown", {"participants[2].other_aid_same_costs": ABSENT}, P2,
         "participants[2].other_aid_same_costs"),
    Case("GBER-EXCLUDED", "pass", {}, P3),
    Case("GBER-EXCLUDED", "fail", {"participants[3].recovery_order_outstanding": True}, P3),
    Case("GBER-EXCLUDED", "fail", {"participants[3].sector": "fishery_aquaculture"}, P3),
    # Issue 12 (the digest corrected): agriculture in a project that mixes experimental
    # development with organisational innovation warns; only process/organisational fails.
    Case("GBER-EXCLUDED", "warn", {"participants[3].sector": "primary_agriculture"}, P3,
         note="example mixes experimental development and organisational innovation"),
    Case("GBER-EXCLUDED", "fail", {"participants[3].sector": "primary_agriculture",
                                   "project.activity_types": ["organisational_innovation"]}, P3),
    Case("GBER-EXCLUDED", "pass", {"participants[3].sector": "primary_agriculture",
                                   "project.activity_types": ["experimental_development"]}, P3),
    Case("GBER-EXCLUDED", "unknown", {"participants[3].sector": None}, P3,
         "participants[3].sector"),
    Case("GBER-EXCLUDED", "unknown", {"participants[3].recovery_order_outstanding": ABSENT}, P3,
         "participants[3].recovery_order_outstanding"),
    Case("GBER-EXCLUDED", "unknown", {"participants[3].sector": "primary_agriculture",
                                      "project.activity_types": ABSENT}, P3,
         "project.activity_types"),
    # The partnership -------------------------------------------------------------------
    Case("SME-STATUS", "pass", {}, P2),
    Case("SME-STATUS", "fail", {"participants[2].staff_units": 300}, P2),
    Case("SME-STATUS", "fail", {"participants[2].public_bodies_control_25pct": True}, P2),
    Case("SME-STATUS", "warn", {"participants[2].figures_include_linked_and_partner": False}, P2),
    Case("SME-STATUS", "unknown", {"participants[2].staff_units": None}, P2,
         "participants[2].staff_units"),
    Case("SME-STATUS", "unknown", {"participants[2].public_bodies_control_25pct": ABSENT}, P2,
         "participants[2].public_bodies_control_25pct"),
    Case("SME-STATUS", "unknown", {"participants[2].figures_include_linked_and_partner": None},
         P2, "participants[2].figures_include_linked_and_partner"),
    Case("SME-STATUS", "unknown", {"participants[2].annual_turnover_eur": 60_000_000,
                                   "participants[2].balance_sheet_total_eur": None}, P2,
         "participants[2].balance_sheet_total_eur"),
    Case("PARTNERSHIP-SIZE", "pass", {}),
    Case("PARTNERSHIP-SIZE", "fail", {"participants": _PARTICIPANTS[:2]}),
    Case("PARTNERSHIP-SIZE", "unknown", {"participants": []}, needs="participants"),
    Case("PARTNERSHIP-SIZE", "unknown", {"participants": ABSENT}, needs="participants"),
    Case("CHAIN-ROLES", "pass", {}),
    Case("CHAIN-ROLES", "pass", {"participants[1].chain_role": "other",
                                 "participants[1].chain_role_other": "remanufacturer",
                                 "participants[3].chain_role": "producer"}),
    Case("CHAIN-ROLES", "fail", {"participants[1].chain_role": "collector",
                                 "participants[3].chain_role": "producer"}),
    Case("CHAIN-ROLES", "fail", {"participants[0].chain_role": "other",
                                 "participants[0].chain_role_other": "Remanufacturer",
                                 "participants[1].chain_role": "other",
                                 "participants[1].chain_role_other": " remanufacturer ",
                                 "participants[3].chain_role": "producer"},
         note="same named other role twice"),
    Case("CHAIN-ROLES", "unknown", {"participants[1].chain_role": None,
                                    "participants[3].chain_role": "producer"},
         needs="participants[1].chain_role"),
    Case("NO-GROUP", "pass", {}),
    Case("NO-GROUP", "pass", {"participants[0].group": "Holding A",
                              "participants[2].group": "Holding B"}),
    Case("NO-GROUP", "fail", {"participants[0].group": "Holding A",
                              "participants[2].group": " holding a"}),
    Case("NO-GROUP", "unknown", {"participants[1].group": ABSENT}, needs="participants[1].group"),
    Case("LEAD-APPLICANT", "pass", {}),
    Case("LEAD-APPLICANT", "fail", {"participants[2].is_lead_applicant": True}, note="two leads"),
    Case("LEAD-APPLICANT", "fail", {"participants[0].is_lead_applicant": False}, note="no lead"),
    Case("LEAD-APPLICANT", "fail", {"participants[0].staff_units": 300}, note="lead not an SME"),
    Case("LEAD-APPLICANT", "fail", {"facilitator.kvk_number": P0}, note="lead is facilitator"),
    Case("LEAD-APPLICANT", "unknown", {"participants[0].is_lead_applicant": ABSENT},
         needs="participants[0].is_lead_applicant"),
    Case("EFFECTIVE-COLLABORATION", "pass", {}),
    Case("EFFECTIVE-COLLABORATION", "fail", {"project.effective_collaboration": False}),
    Case("EFFECTIVE-COLLABORATION", "unknown", {"project.effective_collaboration": None},
         needs="project.effective_collaboration"),
    # The facilitator -------------------------------------------------------------------
    Case("FACILITATOR-APPOINTED", "pass", {}),
    Case("FACILITATOR-APPOINTED", "fail", {"facilitator": None}),
    Case("FACILITATOR-APPOINTED", "unknown", {"facilitator": ABSENT}, needs="facilitator"),
    Case("FACILITATOR-INDEPENDENT", "pass", {}),
    Case("FACILITATOR-INDEPENDENT", "pass", {
        "facilitator.ties": [{"participant_kvk": P1, "nature": "board_member"}],
        "facilitator.conflict_measures": "Abstains from board votes about the project."}),
    Case("FACILITATOR-INDEPENDENT", "warn", {
        "facilitator.ties": [{"participant_kvk": P1, "nature": "shareholder"}]}),
    Case("FACILITATOR-INDEPENDENT", "fail", {"facilitator.kvk_number": P2}),
    Case("FACILITATOR-INDEPENDENT", "info", {"facilitator": None}),
    Case("FACILITATOR-INDEPENDENT", "unknown", {"facilitator.ties": ABSENT},
         needs="facilitator.ties"),
    Case("FACILITATOR-INDEPENDENT", "unknown", {"facilitator": ABSENT}, needs="facilitator"),
    Case("FACILITATOR-EXPERIENCE", "pass", {}),
    Case("FACILITATOR-EXPERIENCE", "warn", {"facilitator.experience_years": 0.5},
         note="unverified minimum"),
    Case("FACILITATOR-EXPERIENCE", "info", {"facilitator": None}),
    Case("FACILITATOR-EXPERIENCE", "unknown", {"facilitator.experience_years": None},
         needs="facilitator.experience_years"),
    Case("FACILITATOR-EXPERIENCE", "unknown", {"facilitator": ABSENT}, needs="facilitator"),
    Case("FACILITATOR-MARKET-RATE", "pass", {}),
    Case("FACILITATOR-MARKET-RATE", "fail", {"facilitator.market_conform_fee": False}),
    Case("FACILITATOR-MARKET-RATE", "info", {"facilitator": None}),
    Case("FACILITATOR-MARKET-RATE", "unknown", {"facilitator.market_conform_fee": ABSENT},
         needs="facilitator.market_conform_fee"),
    Case("FACILITATOR-MARKET-RATE", "unknown", {"facilitator": ABSENT}, needs="facilitator"),
    # The project -----------------------------------------------------------------------
    Case("ACTIVITY-TYPE", "pass", {}),
    Case("ACTIVITY-TYPE", "pass", {"project.activity_types": ["process_innovation"]}),
    Case("ACTIVITY-TYPE", "fail", {"project.activity_types": []}),
    Case("ACTIVITY-TYPE", "unknown", {"project.activity_types": None},
         needs="project.activity_types"),
    Case("RESOURCE-CO2", "pass", {}),
    Case("RESOURCE-CO2", "fail", {"project.raw_material_savings.quantity": 0}),
    Case("RESOURCE-CO2", "fail", {"project.co2_reduction.tonnes_per_year": -3.5}),
    Case("RESOURCE-CO2", "unknown", {"project.co2_reduction": ABSENT},
         needs="project.co2_reduction.tonnes_per_year"),
    Case("RESOURCE-CO2", "unknown", {"project.raw_material_savings.basis": "  "},
         needs="project.raw_material_savings.basis"),
    Case("RESOURCE-CO2", "unknown", {"project.co2_reduction.tonnes_per_year": None},
         needs="project.co2_reduction.tonnes_per_year"),
    Case("NO-DOWNCYCLING", "pass", {}),
    Case("NO-DOWNCYCLING", "pass", {"project.r_strategy": "R7"}),
    Case("NO-DOWNCYCLING", "warn", {"project.r_strategy": "R8"}),
    Case("NO-DOWNCYCLING", "fail", {"project.r_strategy": "R9"}),
    Case("NO-DOWNCYCLING", "fail", {"project.mainly_downcycling": True}),
    Case("NO-DOWNCYCLING", "unknown", {"project.r_strategy": ABSENT},
         needs="project.r_strategy"),
    Case("NO-DOWNCYCLING", "unknown", {"project.mainly_downcycling": None},
         needs="project.mainly_downcycling"),
    Case("MARKET-APPLICATION", "pass", {}),
    Case("MARKET-APPLICATION", "fail", {"project.results_applied_after_project": False}),
    Case("MARKET-APPLICATION", "unknown", {"project.application_plan": ""},
         needs="project.application_plan"),
    Case("MARKET-APPLICATION", "unknown", {"project.results_applied_after_project": ABSENT},
         needs="project.results_applied_after_project"),
    Case("PARTNERSHIP-CONTINUES", "pass", {}),
    Case("PARTNERSHIP-CONTINUES", "pass", {"participants[3].continues_after_project": False},
         note="3 SMEs with 3 roles stay"),
    Case("PARTNERSHIP-CONTINUES", "warn", {"participants[1].continues_after_project": False,
                                           "participants[3].continues_after_project": False},
         note="not required in 2020"),
    Case("PARTNERSHIP-CONTINUES", "unknown", {"participants[1].continues_after_project": None,
                                              "participants[3].continues_after_project": False},
         needs="participants[1].continues_after_project"),
    Case("PARTNERSHIP-CONTINUES", "unknown", {"participants": []}, needs="participants"),
    Case("DURATION", "pass", {}),
    Case("DURATION", "fail", {"project.end_date": "2023-01-01"}),
    Case("DURATION", "fail", {"project.end_date": "2020-08-31"}, note="end before start"),
    Case("DURATION", "unknown", {"project.end_date": None}, needs="project.end_date"),
    Case("DURATION", "unknown", {"project.start_date": ABSENT}, needs="project.start_date"),
    Case("START-WINDOW", "pass", {}),
    Case("START-WINDOW", "warn", {"project.start_date": "2021-01-03"}, note="unverified term"),
    Case("START-WINDOW", "unknown", {"project.start_date": ABSENT}, needs="project.start_date"),
    Case("START-WINDOW", "unknown", {"project.application_date": None},
         needs="project.application_date"),
    Case("ONE-PER-YEAR", "pass", {}, P3),
    Case("ONE-PER-YEAR", "fail", {"participants[3].received_this_subsidy_this_year": True}, P3),
    Case("ONE-PER-YEAR", "unknown", {"participants[3].received_this_subsidy_this_year": None},
         P3, "participants[3].received_this_subsidy_this_year"),
    # Costs and subsidy -----------------------------------------------------------------
    Case("COST-SHARE-70", "pass", {}),
    Case("COST-SHARE-70", "fail", {"participants[0].own_hours": 2500}),
    Case("COST-SHARE-70", "unknown", {"participants[1].own_hours": ABSENT,
                                      "participants[1].cost_lines": ABSENT},
         needs="participants[1].own_hours"),
    Case("ELIGIBLE-COSTS", "pass", {}),
    Case("ELIGIBLE-COSTS", "warn", {"participants[2].cost_lines[1].category": "marketing"}),
    Case("ELIGIBLE-COSTS", "unknown", {"participants[1].own_hours": None,
                                       "participants[1].cost_lines": None},
         needs="participants[1].own_hours"),
    Case("ELIGIBLE-COSTS", "unknown", {"participants[2].cost_lines[0].amount_eur": ABSENT},
         needs="participants[2].cost_lines[0].amount_eur"),
    Case("ELIGIBLE-COSTS", "unknown", {"participants[2].cost_lines[0].category": None},
         needs="participants[2].cost_lines[0].category"),
    Case("SUBSIDY-AMOUNT", "info", {}),
    Case("SUBSIDY-AMOUNT", "unknown", {"participants[3].own_hours": ABSENT,
                                       "participants[3].cost_lines": ABSENT},
         needs="participants[3].own_hours"),
    Case("SUBSIDY-AMOUNT", "unknown", {"participants": []}, needs="participants"),
    Case("APPLICATION-WINDOW", "warn", {}, note="2020 opening period unverified"),
    # Issue 12: from the expiry ("vervalt met ingang van 9 april 2025") the date fails.
    Case("APPLICATION-WINDOW", "fail", {"project.application_date": "2025-04-09"},
         note="regulation expired"),
    Case("APPLICATION-WINDOW", "unknown", {"project.application_date": ABSENT},
         needs="project.application_date"),
    Case("COMPLETENESS", "pass", {}),
    Case("COMPLETENESS", "unknown", {"project.public_summary": " "},
         needs="project.public_summary"),
    Case("COMPLETENESS", "unknown", {"project.project_plan_attached": ABSENT},
         needs="project.project_plan_attached"),
    Case("COMPLETENESS", "unknown", {"project.cooperation_agreement": False},
         needs="project.cooperation_agreement"),
    Case("COMPLETENESS", "unknown", {"project.lead_designation_statement": None},
         needs="project.lead_designation_statement"),
    Case("COMPLETENESS", "unknown", {"participants[0].own_hours": ABSENT,
                                     "participants[0].cost_lines": ABSENT},
         needs="participants"),
    Case("REPORTING", "info", {}),
    Case("REPORTING", "info", {"participants": [], "project": {}}),
]

#: The statuses each criterion must be shown to reach (digest, "Criteria the product must check").
REQUIRED = {c.id: {"pass", "fail", "unknown"} for c in CRITERIA}
REQUIRED.update({
    "REPORTING": {"info"},
    "SUBSIDY-AMOUNT": {"info", "unknown"},
    "GBER-CUMULATION": {"pass", "warn", "unknown"},
    "FACILITATOR-EXPERIENCE": {"pass", "warn", "unknown", "info"},  # unverified minimum
    "START-WINDOW": {"pass", "warn", "unknown"},  # unverified term
    "PARTNERSHIP-CONTINUES": {"pass", "warn", "unknown"},  # not required in 2020
    "APPLICATION-WINDOW": {"warn", "unknown", "fail"},  # 2020 period unverified; expiry fails
    "ELIGIBLE-COSTS": {"pass", "warn", "unknown"},  # excluded lines warn
    "COMPLETENESS": {"pass", "unknown"},  # missing parts -> unknown
    "SME-STATUS": {"pass", "fail", "warn", "unknown"},
    "FACILITATOR-INDEPENDENT": {"pass", "fail", "warn", "unknown", "info"},
    "NO-DOWNCYCLING": {"pass", "fail", "warn", "unknown"},
    "FACILITATOR-MARKET-RATE": {"pass", "fail", "unknown", "info"},
})


def _case_id(case: Case) -> str:
    changes = ",".join(case.changes)[:60] or "as-is"
    return f"{case.criterion}-{case.status}-{changes}"


def test_cases_cover_every_criterion_and_status() -> None:
    covered: dict[str, set[str]] = {}
    for case in CASES:
        covered.setdefault(case.criterion, set()).add(case.status)
    assert set(covered) == set(REQUIRED)
    for criterion, needed in REQUIRED.items():
        assert needed <= covered[criterion], (criterion, needed - covered[criterion])


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_criterion(eligible: dict[str, Any], case: Case) -> None:
    report = check(eligible, case.changes)
    if case.criterion in PER_PARTICIPANT:
        assert case.participant is not None or not report.subsidy.participants
    else:
        assert case.participant is None
    found = finding(report, case.criterion, case.participant)
    assert str(found.status) == case.status, (found.status, found.needs, found.text(
        translator("en")))
    assert found.article == ARTICLES[case.criterion]
    assert found.participant == case.participant
    if case.status == "unknown":
        assert case.needs in found.needs, found.needs
    else:
        assert found.needs == ()
    # The finding says something in both languages.
    assert found.text(translator("en")).strip()
    assert found.text(translator("nl")).strip()


@pytest.mark.parametrize("criterion", sorted(PER_PARTICIPANT))
def test_per_participant_change_touches_only_that_participant(
        eligible: dict[str, Any], criterion: str) -> None:
    field = {"GBER-DIFFICULTY": ("in_difficulty", True),
             "GBER-CUMULATION": ("other_aid_same_costs", True),
             "GBER-EXCLUDED": ("recovery_order_outstanding", True),
             "SME-STATUS": ("staff_units", 1000),
             "ONE-PER-YEAR": ("received_this_subsidy_this_year", True)}[criterion]
    report = check(eligible, {f"participants[2].{field[0]}": field[1]})
    got = {f.participant: str(f.status) for f in report.findings if f.criterion == criterion}
    bad = "warn" if criterion == "GBER-CUMULATION" else "fail"
    assert got == {P0: "pass", P1: "pass", P2: bad, P3: "pass"}
    assert [f.participant_index for f in report.findings if f.criterion == criterion] == [0, 1, 2, 3]


def test_unverified_warnings_say_which_value(eligible: dict[str, Any]) -> None:
    """A warn that rests on an unverified parameter names it (FACILITATOR-EXPERIENCE, START)."""
    report = check(eligible, {"facilitator.experience_years": 0.5,
                              "project.start_date": "2021-01-03"})
    for criterion, name in (("FACILITATOR-EXPERIENCE", "facilitator_min_experience_years"),
                            ("START-WINDOW", "start_after_grant_months")):
        found = finding(report, criterion)
        assert found.status is Status.WARN
        assert found.unverified == (name,)
        assert found.notes, criterion
        assert "unverified" in found.text(translator("en"))


def test_no_facilitator_is_a_fail_only_once(eligible: dict[str, Any]) -> None:
    """Explicitly no facilitator: APPOINTED fails, the other facilitator criteria are info."""
    report = check(eligible, {"facilitator": None})
    got = {f.criterion: str(f.status) for f in report.findings
           if f.criterion.startswith("FACILITATOR-")}
    assert got == {"FACILITATOR-APPOINTED": "fail", "FACILITATOR-INDEPENDENT": "info",
                   "FACILITATOR-EXPERIENCE": "info", "FACILITATOR-MARKET-RATE": "info"}
    assert str(report.verdict) == "not_eligible"
