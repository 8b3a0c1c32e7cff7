"""Boundaries, generated from the ruleset's own parameters (never hard-coded numbers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from intake_assistant.i18n import translator
from intake_assistant.models import NOT_ELIGIBLE_CATEGORIES, Participant
from intake_assistant.rules import Status
from intake_assistant.rules.ruleset import Params
from intake_assistant.rules.sme import sme_test

from .helpers import check, finding, participant, plain, with_participants

EN, NL = translator("en"), translator("nl")


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _plus_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    while True:
        try:
            return dt.date(year, month, day.day)
        except ValueError:
            day = day.replace(day=day.day - 1)


# -- partnership size -------------------------------------------------------------------------


def test_size_parameters_are_what_the_digest_says_about_their_status(params: Params) -> None:
    assert params.verified("min_participants")
    assert not params.verified("max_participants")  # 2020: reported, not in a text we hold


@pytest.mark.parametrize("offset", [0, 1, 2])
def test_partnership_size_inside(eligible: dict[str, Any], params: Params, offset: int) -> None:
    counts = sorted({params.min_participants, params.max_participants,
                     params.min_participants + offset})
    for count in counts:
        report = check(with_participants(eligible, count))
        found = finding(report, "PARTNERSHIP-SIZE")
        assert found.status is Status.PASS, count
        assert found.unverified == ()
        assert str(report.verdict) == "eligible", count


def test_partnership_size_one_below_minimum_fails(eligible: dict[str, Any],
                                                  params: Params) -> None:
    report = check(with_participants(eligible, params.min_participants - 1))
    assert finding(report, "PARTNERSHIP-SIZE").status is Status.FAIL
    assert str(report.verdict) == "not_eligible"


def test_partnership_size_one_above_unverified_maximum_warns(eligible: dict[str, Any],
                                                             params: Params) -> None:
    count = params.max_participants + 1
    report = check(with_participants(eligible, count))
    found = finding(report, "PARTNERSHIP-SIZE")
    assert found.status is Status.WARN  # fail only once the maximum is verified
    assert found.unverified == ("max_participants",)
    for tr in (EN, NL):
        text = found.text(tr)
        assert tr.number(params.max_participants) in text
        assert tr.number(count) in text
    # The note names the unverified value and its source.
    assert params.meta("max_participants").source in found.text(EN)
    assert "unverified" in found.text(EN)
    assert found.text(NL) != found.text(EN)
    assert str(report.verdict) == "eligible"  # a warning never makes it not eligible
    per_participant = [f for f in report.findings if f.criterion == "SME-STATUS"]
    assert len(per_participant) == count


# -- cost share -------------------------------------------------------------------------------


def _cost_split(eligible: dict[str, Any], big: float, rest: float) -> dict[str, Any]:
    data = with_participants(eligible, 3)
    for i, amount in enumerate((big, rest / 2, rest / 2)):
        data["participants"][i]["own_hours"] = 0
        data["participants"][i]["cost_lines"] = [
            {"description": "x", "category": "equipment", "amount_eur": amount}]
    return data


def test_cost_share_exactly_at_limit_passes(eligible: dict[str, Any], params: Params) -> None:
    total = 10_000.0
    big = round(params.max_cost_share * total, 2)
    report = check(_cost_split(eligible, big, total - big))
    assert report.subsidy.participants[0].cost_share == pytest.approx(params.max_cost_share)
    assert finding(report, "COST-SHARE-70").status is Status.PASS


def test_cost_share_one_cent_over_limit_fails(eligible: dict[str, Any], params: Params) -> None:
    total = 10_000.0
    big = round(params.max_cost_share * total, 2) + 0.01
    report = check(_cost_split(eligible, big, total - big + 0.01))
    assert report.subsidy.participants[0].cost_share > params.max_cost_share
    found = finding(report, "COST-SHARE-70")
    assert found.status is Status.FAIL
    assert "Deelnemer 10000001" in found.text(EN)  # names the SME that bears too much


def test_cost_share_counts_own_hours_at_the_fixed_rate(eligible: dict[str, Any],
                                                      params: Params) -> None:
    """Own hours alone push one SME over the limit: hours are priced at the ruleset's rate."""
    data = _cost_split(eligible, 0, 2_000)
    others = 2_000
    hours = (params.max_cost_share / (1 - params.max_cost_share)) * others / params.hourly_rate_eur
    data["participants"][0]["own_hours"] = round(hours) + 1
    report = check(data)
    assert report.subsidy.participants[0].own_hours_eur == (round(hours) + 1) * \
        params.hourly_rate_eur
    assert finding(report, "COST-SHARE-70").status is Status.FAIL


# -- duration and start -----------------------------------------------------------------------


@pytest.mark.parametrize("start", ["2020-09-01", "2020-06-30", "2020-12-31", "2024-02-29"])
def test_duration_boundary(eligible: dict[str, Any], params: Params, start: str) -> None:
    begin = dt.date.fromisoformat(start)
    years = int(params.max_duration_years)
    latest = _plus_years(begin, years)
    base = {"project.application_date": begin.isoformat(), "project.start_date": start}
    cases = {
        latest: Status.PASS,
        begin: Status.PASS,
        latest + dt.timedelta(days=1): Status.FAIL,
        begin - dt.timedelta(days=1): Status.FAIL,
    }
    for end, expected in cases.items():
        report = check(eligible, {**base, "project.end_date": end.isoformat()})
        assert finding(report, "DURATION").status is expected, (start, end)


def test_end_before_start_message(eligible: dict[str, Any]) -> None:
    report = check(eligible, {"project.end_date": "2020-08-31"})
    found = finding(report, "DURATION")
    assert found.status is Status.FAIL
    assert "before the start date" in found.text(EN)


@pytest.mark.parametrize("applied", ["2020-06-02", "2020-08-31", "2020-03-10"])
def test_start_window_boundary(eligible: dict[str, Any], params: Params, applied: str) -> None:
    day = dt.date.fromisoformat(applied)
    latest = _plus_months(day, int(params.start_after_grant_months))
    assert not params.verified("start_after_grant_months")
    for start, expected in ((day, Status.PASS), (latest, Status.PASS),
                            (latest + dt.timedelta(days=1), Status.WARN)):
        end = start + dt.timedelta(days=300)
        report = check(eligible, {"project.application_date": applied,
                                  "project.start_date": start.isoformat(),
                                  "project.end_date": end.isoformat()})
        found = finding(report, "START-WINDOW")
        assert found.status is expected, (applied, start)
        # The outcome always says it rests on the unverified term.
        assert found.unverified == ("start_after_grant_months",)
        assert str(report.verdict) == "eligible"


# -- SME status and size classes --------------------------------------------------------------


def _sme(params: Params, **figures: Any) -> tuple[str, str | None]:
    data = participant("12345678")
    data.update(figures)
    result = sme_test(0, Participant.model_validate(data), params)
    return str(result.status), result.size_class


def test_staff_boundary(params: Params) -> None:
    limit = params.sme_max_staff_units
    assert _sme(params, staff_units=limit)[0] == "fail"
    assert _sme(params, staff_units=limit - 0.1) == ("pass", "medium")
    assert _sme(params, staff_units=limit + 1000)[0] == "fail"


def test_turnover_or_balance_within_passes_both_over_fails(params: Params) -> None:
    t, b = params.sme_max_turnover_eur, params.sme_max_balance_sheet_eur
    staff = params.small_max_staff_units + 1
    assert _sme(params, staff_units=staff, annual_turnover_eur=t,
                balance_sheet_total_eur=b + 1)[0] == "pass"
    assert _sme(params, staff_units=staff, annual_turnover_eur=t + 1,
                balance_sheet_total_eur=b)[0] == "pass"
    assert _sme(params, staff_units=staff, annual_turnover_eur=t,
                balance_sheet_total_eur=b)[0] == "pass"
    assert _sme(params, staff_units=staff, annual_turnover_eur=t + 0.01,
                balance_sheet_total_eur=b + 0.01)[0] == "fail"
    # One figure over, the other missing: the missing one could save it.
    assert _sme(params, staff_units=staff, annual_turnover_eur=t + 1,
                balance_sheet_total_eur=None)[0] == "unknown"
    assert _sme(params, staff_units=staff, annual_turnover_eur=None,
                balance_sheet_total_eur=b + 1)[0] == "unknown"


def test_size_classes(params: Params) -> None:
    micro_s, micro_m = params.micro_max_staff_units, params.micro_max_money_eur
    small_s, small_m = params.small_max_staff_units, params.small_max_money_eur
    big_m = small_m * 2

    def size(staff: float, turnover: float, balance: float) -> str | None:
        status, klass = _sme(params, staff_units=staff, annual_turnover_eur=turnover,
                             balance_sheet_total_eur=balance)
        assert status == "pass"
        return klass

    assert size(micro_s - 0.1, micro_m, big_m) == "micro"
    assert size(micro_s - 0.1, big_m, micro_m) == "micro"
    assert size(0, 0, 0) == "micro"
    assert size(micro_s, micro_m, micro_m) == "small"  # staff at the micro limit
    assert size(micro_s - 1, micro_m + 1, micro_m + 1) == "small"  # money over micro
    assert size(small_s - 0.1, small_m, big_m) == "small"
    assert size(small_s - 0.1, big_m, small_m) == "small"
    assert size(small_s, small_m, small_m) == "medium"
    assert size(small_s - 1, small_m + 1, small_m + 1) == "medium"
    assert size(params.sme_max_staff_units - 0.1, 0, 0) == "medium"


def test_size_class_is_named_in_the_message(eligible: dict[str, Any]) -> None:
    report = check(eligible)
    # 12 staff, 1.8 M turnover (small); 4 staff, 0.4 M (micro); 80 staff (medium).
    assert "small enterprise" in finding(report, "SME-STATUS", "11111111").text(EN)
    assert "micro enterprise" in finding(report, "SME-STATUS", "22222222").text(EN)
    assert "medium-sized enterprise" in finding(report, "SME-STATUS", "44444444").text(EN)


# -- subsidy: rate, cap, excluded costs ------------------------------------------------------


def _one_cost(eligible: dict[str, Any], amount: float) -> dict[str, Any]:
    data = dict(eligible)
    p2 = dict(data["participants"][2], own_hours=0,
              cost_lines=[{"description": "Machine", "category": "equipment",
                           "amount_eur": amount}])
    data["participants"] = [*data["participants"][:2], p2, *data["participants"][3:]]
    return data


def test_subsidy_exactly_at_cap(eligible: dict[str, Any], params: Params) -> None:
    cap, rate = params.max_subsidy_per_participant_eur, params.subsidy_rate
    report = check(_one_cost(eligible, cap / rate))
    row = report.subsidy.participants[2]
    assert row.subsidy_eur == cap
    assert row.capped is False


def test_subsidy_above_cap_is_capped(eligible: dict[str, Any], params: Params) -> None:
    cap, rate = params.max_subsidy_per_participant_eur, params.subsidy_rate
    report = check(_one_cost(eligible, cap / rate + 0.02))
    row = report.subsidy.participants[2]
    assert row.eligible_costs_eur == cap / rate + 0.02
    assert row.subsidy_eur == cap
    assert row.capped is True
    assert report.subsidy.total_eur == pytest.approx(
        sum(r.subsidy_eur for r in report.subsidy.participants))
    assert str(finding(report, "SUBSIDY-AMOUNT").status) == "info"


def test_subsidy_below_cap_is_the_rate(eligible: dict[str, Any], params: Params) -> None:
    cap, rate = params.max_subsidy_per_participant_eur, params.subsidy_rate
    report = check(_one_cost(eligible, cap / rate - 0.02))
    row = report.subsidy.participants[2]
    assert row.subsidy_eur == pytest.approx(cap - 0.01)
    assert row.capped is False


def test_own_hours_at_fixed_rate(eligible: dict[str, Any], params: Params) -> None:
    report = check(eligible)
    first = report.subsidy.participants[0]
    assert report.subsidy.hourly_rate_eur == params.hourly_rate_eur
    assert first.own_hours_eur == 240 * params.hourly_rate_eur
    assert first.eligible_costs_eur == 240 * params.hourly_rate_eur + 4000
    assert first.subsidy_eur == pytest.approx(first.eligible_costs_eur * params.subsidy_rate)


def test_excluded_categories_are_the_digests_five() -> None:
    assert {str(c) for c in NOT_ELIGIBLE_CATEGORIES} == {
        "marketing", "sales", "training", "exhibition", "symposium"}


@pytest.mark.parametrize("category", ["marketing", "sales", "training", "exhibition", "symposium"])
def test_excluded_cost_line_dropped_and_listed(eligible: dict[str, Any], category: str) -> None:
    before = check(eligible).subsidy.participants[1]
    data = dict(eligible)
    p1 = dict(data["participants"][1])
    p1["cost_lines"] = [*p1["cost_lines"],
                        {"description": "Beurs Utrecht", "category": category,
                         "amount_eur": 1234.56}]
    data["participants"] = [data["participants"][0], p1, *data["participants"][2:]]
    report = check(data)
    row = report.subsidy.participants[1]
    assert row.eligible_costs_eur == before.eligible_costs_eur
    assert row.subsidy_eur == before.subsidy_eur
    assert row.excluded_costs_eur == 1234.56
    assert [(x.participant_index, x.category, x.amount_eur) for x in
            report.subsidy.excluded_lines] == [(1, category, 1234.56)]
    found = finding(report, "ELIGIBLE-COSTS")
    assert found.status is Status.WARN
    en = found.text(EN)
    assert "Beurs Utrecht" in en and category in en and "€1,234.56" in en
    assert "€ 1.234,56" in plain(found.text(NL))
    assert str(report.verdict) == "eligible"


@pytest.mark.parametrize("category", ["facilitator", "materials", "equipment", "consultancy",
                                      "contract_research", "other"])
def test_eligible_cost_categories_count(eligible: dict[str, Any], category: str) -> None:
    before = check(eligible).subsidy.participants[3]
    data = dict(eligible)
    p3 = dict(data["participants"][3])
    p3["cost_lines"] = [*p3["cost_lines"], {"description": "x", "category": category,
                                            "amount_eur": 100}]
    data["participants"] = [*data["participants"][:3], p3]
    report = check(data)
    assert report.subsidy.participants[3].eligible_costs_eur == before.eligible_costs_eur + 100
    assert finding(report, "ELIGIBLE-COSTS").status is Status.PASS


# -- facilitator experience -------------------------------------------------------------------


def test_facilitator_experience_boundary(eligible: dict[str, Any], params: Params) -> None:
    minimum = params.facilitator_min_experience_years
    assert not params.verified("facilitator_min_experience_years")
    at = check(eligible, {"facilitator.experience_years": minimum})
    assert finding(at, "FACILITATOR-EXPERIENCE").status is Status.PASS
    under = check(eligible, {"facilitator.experience_years": minimum - 0.01})
    found = finding(under, "FACILITATOR-EXPERIENCE")
    assert found.status is Status.WARN
    assert found.unverified == ("facilitator_min_experience_years",)
    assert str(under.verdict) == "eligible"


# -- dates at the edge of the calendar ----------------------------------------------------------


@pytest.mark.parametrize(("applied", "start", "end"), [
    ("9999-07-01", "9999-07-01", "9999-12-31"),  # START-WINDOW: + 6 months -> year 10000
    ("9998-03-01", "9998-03-01", "9999-01-01"),  # DURATION: + 2 years -> year 10000
])
def test_dates_near_year_9999_do_not_crash(eligible: dict[str, Any], applied: str, start: str,
                                           end: str) -> None:
    report = check(eligible, {"project.application_date": applied,
                              "project.start_date": start, "project.end_date": end})
    assert finding(report, "DURATION").status is Status.PASS
