"""Criteria at their edges: a lead whose SME status is unknown, an unnamed chain role, no
eligible costs at all, excluded cost categories named in the language."""

from __future__ import annotations

from intake_assistant.i18n import translator
from intake_assistant.rules import Status

from .helpers import ABSENT, check, example_data, finding

LEAD = "11111111"


def test_lead_with_unknown_sme_status_is_unknown_not_pass() -> None:
    report = check(example_data(), {"participants[0].staff_units": ABSENT})
    lead = finding(report, "LEAD-APPLICANT")
    assert lead.status is Status.UNKNOWN
    assert "participants[0].staff_units" in lead.needs


def test_unnamed_other_chain_role_does_not_count() -> None:
    changes = {"participants[1].chain_role": "other", "participants[1].chain_role_other": None,
               "participants[2].chain_role": "collector", "participants[3].chain_role": "collector"}
    report = check(example_data(), changes)
    roles = finding(report, "CHAIN-ROLES")
    assert roles.status is Status.UNKNOWN
    assert roles.needs == ("participants[1].chain_role_other",)
    named = check(example_data(), {**changes, "participants[1].chain_role_other": "remanufacturer"})
    assert finding(named, "CHAIN-ROLES").status is Status.FAIL  # collector + other = 2 roles


def test_no_eligible_costs_fails_eligible_costs_and_leaves_shares_as_info() -> None:
    changes = {f"participants[{i}].own_hours": 0 for i in range(4)}
    changes |= {f"participants[{i}].cost_lines": [] for i in range(4)}
    report = check(example_data(), changes)
    assert finding(report, "ELIGIBLE-COSTS").status is Status.FAIL
    assert finding(report, "COST-SHARE-70").status is Status.INFO
    assert report.verdict == "not_eligible"


def test_excluded_cost_categories_are_named_in_the_language() -> None:
    changes = {"participants[3].cost_lines[1]": {"description": "Beurs", "category": "exhibition",
                                                  "amount_eur": 500}}
    eligible = finding(check(example_data(), changes), "ELIGIBLE-COSTS")
    assert "exhibition" in eligible.text(translator("en"))
    dutch = eligible.text(translator("nl"))
    assert "exhibition" not in dutch and "Beurs" in dutch
