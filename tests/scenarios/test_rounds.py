"""Every round 2020-2024: the same base draft dated in each round, and the boundaries that
changed between rounds, all generated from the rounds' parameters (never a literal value).

The base is ``eligible-office-chair``; from 2022 it also gives the answers the later rounds
ask (format 2: de-minimis aid, the barriers, the 2024 textile and repeat questions).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from intake_assistant.models import DraftApplication
from intake_assistant.rules import Report, evaluate, load_ruleset
from intake_assistant.rules.rounds import Round, round_for_date, rounds

EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples"
ROUNDS = {r.year: r for r in rounds()}
YEARS = sorted(ROUNDS)


def base_data() -> dict[str, Any]:
    return json.loads((EXAMPLES / "eligible-office-chair.json").read_text(encoding="utf-8"))


def dated(data: dict[str, Any], applied: dt.date, year: int) -> dict[str, Any]:
    """``data`` applied for on ``applied``, with the answers round ``year`` asks."""
    out = copy.deepcopy(data)
    project = out["project"]
    project["application_date"] = applied.isoformat()
    project["start_date"] = (applied + dt.timedelta(days=30)).isoformat()
    project["end_date"] = (applied + dt.timedelta(days=30 + 365)).isoformat()
    if year >= 2022:
        out["format_version"] = 2
        project["barriers_addressed"] = ["circular", "cooperation"]
        project["barriers_description"] = "Reused fibres need a new take-back chain."
        for participant in out["participants"]:
            participant.setdefault("de_minimis_received_eur", 0)
    if year >= 2024:
        project["textile_project"] = False
        project["comparable_project_granted_before"] = False
    return out


def check(data: dict[str, Any], ruleset: str) -> Report:
    return evaluate(DraftApplication.model_validate(data), ruleset)


def status(report: Report, criterion: str) -> set[str]:
    return {str(f.status) for f in report.findings if f.criterion == criterion}


def inside(r: Round) -> dt.date:
    return r.first + (r.last - r.first) // 2


def test_every_round_is_known_in_order_with_its_own_ruleset() -> None:
    assert YEARS == [2020, 2021, 2022, 2023, 2024]
    assert [ROUNDS[y].ruleset_id for y in YEARS] == [f"sce-{y}" for y in YEARS]
    for earlier, later in itertools.pairwise(YEARS):
        assert ROUNDS[earlier].last < ROUNDS[later].first


@pytest.mark.parametrize("year", YEARS)
def test_the_base_draft_dated_in_each_round_is_eligible(year: int) -> None:
    r = ROUNDS[year]
    report = check(dated(base_data(), inside(r), year), r.ruleset_id)
    assert str(report.verdict) == "eligible", [
        (f.criterion, str(f.status)) for f in report.findings if str(f.status) not in
        {"pass", "info", "warn"}]
    # The opening period: pass where it is verified, warn where it is only reported.
    assert status(report, "APPLICATION-WINDOW") == ({"pass"} if r.period_verified else {"warn"})
    # De-minimis from 2022; the reworded activities warn with their reason from 2022.
    assert bool(status(report, "DE-MINIMIS")) is (year >= 2022)
    assert status(report, "ACTIVITY-TYPE") == ({"warn"} if year >= 2022 else {"pass"})
    assert bool(status(report, "REPEAT-APPLICATION")) is (year >= 2024)
    assert round_for_date(inside(r)) == r


def _extra_participants(data: dict[str, Any], count: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    template = out["participants"][-1]
    for n in range(count):
        extra = copy.deepcopy(template)
        extra["name"] = f"Extra {n}"
        extra["kvk_number"] = f"{90000000 + n}"
        extra["is_lead_applicant"] = False
        extra["own_hours"] = 10
        extra["cost_lines"] = []
        out["participants"].append(extra)
    return out


@pytest.mark.parametrize(("year", "expected"), [(2020, "warn"), (2021, "fail")])
def test_one_more_than_the_maximum_warns_in_2020_and_fails_from_2021(year: int,
                                                                       expected: str) -> None:
    r = ROUNDS[year]
    params = load_ruleset(r.ruleset_id).params_on(inside(r))
    data = dated(base_data(), inside(r), year)
    data = _extra_participants(data, params.max_participants + 1 - len(data["participants"]))
    assert status(check(data, r.ruleset_id), "PARTNERSHIP-SIZE") == {expected}


def _smes_and_one_large(year: int) -> dict[str, Any]:
    r = ROUNDS[year]
    params = load_ruleset("sce-2022").params_on(inside(ROUNDS[2022]))
    data = dated(base_data(), inside(r), year)
    keep = int(params.min_smes_with_large) + 1  # the smallest partnership with a large one
    data["participants"] = data["participants"][:keep]
    large = data["participants"][-1]
    assert not large["is_lead_applicant"]
    large["staff_units"] = load_ruleset(r.ruleset_id).params_on(inside(r)).sme_max_staff_units
    return data


def test_two_smes_and_one_large_enterprise_fail_in_2021() -> None:
    report = check(_smes_and_one_large(2021), "sce-2021")
    assert "fail" in status(report, "SME-STATUS")
    assert str(report.verdict) == "not_eligible"


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_two_smes_and_one_large_enterprise_pass_from_2022(year: int) -> None:
    report = check(_smes_and_one_large(year), ROUNDS[year].ruleset_id)
    assert status(report, "SME-STATUS") == {"pass"}
    assert status(report, "PARTNERSHIP-SIZE") == {"pass"}
    # Whether it gets subsidy and how its costs count was not read: those findings warn.
    for criterion in ("SUBSIDY-AMOUNT", "COST-SHARE-70", "PARTNERSHIP-CONTINUES"):
        assert status(report, criterion) == {"warn"}, criterion
    assert str(report.verdict) == "eligible"


def test_a_large_enterprise_given_as_answer_needs_no_sme_figures() -> None:
    data = _smes_and_one_large(2022)
    large = data["participants"][-1]
    for figure in ("staff_units", "annual_turnover_eur", "balance_sheet_total_eur",
                   "figures_include_linked_and_partner", "public_bodies_control_25pct"):
        large.pop(figure)
    large["large_enterprise"] = True
    report = check(data, "sce-2022")
    assert status(report, "SME-STATUS") == {"pass"}
    assert str(report.verdict) == "eligible"
    assert status(check(dated(data, inside(ROUNDS[2021]), 2022), "sce-2021"),
                  "SME-STATUS") >= {"fail"}


def test_two_large_enterprises_fail_from_2022() -> None:
    data = _smes_and_one_large(2022)
    data["participants"][1]["large_enterprise"] = True
    report = check(data, "sce-2022")
    assert status(report, "PARTNERSHIP-SIZE") == {"fail"}


@pytest.mark.parametrize(("year", "expected"), [(2020, "fail"), (2021, "fail"), (2022, "warn"),
                                                 (2023, "warn"), (2024, "warn")])
def test_started_before_the_application_fails_under_gber_and_warns_under_de_minimis(
        year: int, expected: str) -> None:
    r = ROUNDS[year]
    data = dated(base_data(), inside(r), year)
    data["project"]["work_started_before_application"] = True
    report = check(data, r.ruleset_id)
    assert status(report, "GBER-INCENTIVE") == {expected}
    if expected == "warn":  # and it says why
        finding = next(f for f in report.findings if f.criterion == "GBER-INCENTIVE")
        assert finding.notes


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_de_minimis_at_and_just_over_the_ceiling(year: int) -> None:
    r = ROUNDS[year]
    data = dated(base_data(), inside(r), year)
    first = check(data, r.ruleset_id)
    ceiling = load_ruleset(r.ruleset_id).params_on(inside(r)).de_minimis_ceiling_eur
    subsidy = first.subsidy.participants[0].subsidy_eur
    data["participants"][0]["de_minimis_received_eur"] = ceiling - subsidy
    at = check(data, r.ruleset_id)
    assert next(str(f.status) for f in at.findings if f.criterion == "DE-MINIMIS") == "pass"
    data["participants"][0]["de_minimis_received_eur"] = ceiling - subsidy + 0.01
    over = check(data, r.ruleset_id)
    # The ceiling is Reg. (EU) 1407/2013's own (verified): over it fails in 2022 and 2023; in
    # 2024 Reg. (EU) 2023/2831's higher ceiling may apply instead, so it warns up to that one.
    finding = next(f for f in over.findings if f.criterion == "DE-MINIMIS")
    assert str(finding.status) == ("warn" if year >= 2024 else "fail")
    assert finding.unverified == ()
    data["participants"][0].pop("de_minimis_received_eur")
    assert "unknown" in status(check(data, r.ruleset_id), "DE-MINIMIS")


@pytest.mark.parametrize("year", YEARS)
def test_the_edges_of_each_opening_period(year: int) -> None:
    r = ROUNDS[year]
    inside_status = "pass" if r.period_verified else "warn"
    for day in (r.first, r.last):
        report = check(dated(base_data(), day, year), r.ruleset_id)
        assert status(report, "APPLICATION-WINDOW") == {inside_status}, day
        assert round_for_date(day) == r
    for day in (r.first - dt.timedelta(days=1), r.last + dt.timedelta(days=1)):
        report = check(dated(base_data(), day, year), r.ruleset_id)
        assert status(report, "APPLICATION-WINDOW") == {"warn"}, day


def test_a_date_between_rounds_warns_that_no_round_is_open() -> None:
    day = ROUNDS[2021].last + dt.timedelta(days=30)
    assert round_for_date(day) == ROUNDS[2021]  # the rules in force on that date
    report = check(dated(base_data(), day, 2021), "sce-2021")
    finding = next(f for f in report.findings if f.criterion == "APPLICATION-WINDOW")
    assert str(finding.status) == "warn"
    assert finding.message.msgid.startswith("No round is open on {date}")


def test_a_date_in_another_round_warns_naming_the_right_round() -> None:
    day = inside(ROUNDS[2023])
    report = check(dated(base_data(), day, 2023), "sce-2021")
    finding = next(f for f in report.findings if f.criterion == "APPLICATION-WINDOW")
    assert str(finding.status) == "warn"
    assert finding.message.params["right_ruleset"] == "sce-2023"


def test_after_the_expiry_the_application_window_fails() -> None:
    latest = ROUNDS[YEARS[-1]]
    expiry = load_ruleset(latest.ruleset_id).params_on(latest.first).regulation_expiry
    before = check(dated(base_data(), expiry - dt.timedelta(days=1), 2024), latest.ruleset_id)
    assert status(before, "APPLICATION-WINDOW") == {"warn"}  # no round open, not yet expired
    for day in (expiry, expiry + dt.timedelta(days=1)):  # "vervalt met ingang van"
        report = check(dated(base_data(), day, 2024), latest.ruleset_id)
        assert status(report, "APPLICATION-WINDOW") == {"fail"}, day
        assert str(report.verdict) == "not_eligible"


def test_the_facilitators_experience_warns_in_every_round_never_fails() -> None:
    for year in YEARS:
        r = ROUNDS[year]
        data = dated(base_data(), inside(r), year)
        data["facilitator"]["experience_years"] = 0
        assert status(check(data, r.ruleset_id), "FACILITATOR-EXPERIENCE") == {"warn"}, year


@pytest.mark.parametrize(("answers", "expected"), [
    ({"textile_project": True, "fibre_to_fibre_recycling": False}, "warn"),
    ({"textile_project": True, "fibre_to_fibre_recycling": True}, "pass"),
    ({"textile_project": False}, "info"),
])
def test_2024_textile_is_a_warn_level_check(answers: dict[str, Any], expected: str) -> None:
    data = dated(base_data(), inside(ROUNDS[2024]), 2024)
    data["project"].update(answers)
    assert status(check(data, "sce-2024"), "TEXTILE-FIBRE-TO-FIBRE") == {expected}


def test_2024_repeat_application_is_a_warn_level_check() -> None:
    data = dated(base_data(), inside(ROUNDS[2024]), 2024)
    data["project"]["comparable_project_granted_before"] = True
    data["project"]["repeat_exception"] = False
    assert status(check(data, "sce-2024"), "REPEAT-APPLICATION") == {"warn"}
    data["project"]["repeat_exception"] = True
    assert status(check(data, "sce-2024"), "REPEAT-APPLICATION") == {"pass"}
    del data["project"]["comparable_project_granted_before"]
    # A missing answer to a reported rule never makes the application incomplete.
    assert status(check(data, "sce-2024"), "REPEAT-APPLICATION") == {"warn"}
