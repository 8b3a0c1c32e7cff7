"""Properties over arbitrary drafts: evaluate and rendering never crash, findings are well formed."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_assistant.i18n import translator

# The models bound every figure (issue 11): the largest values drawn are those bounds.
from intake_assistant.models import (
    MAX_EXPERIENCE_YEARS,
    MAX_STAFF_UNITS,
    ActivityType,
    ChainRole,
    CostCategory,
    DraftApplication,
    RStrategy,
    Sector,
    Subject,
    TieNature,
)
from intake_assistant.rules import Status, evaluate, load_ruleset, verdict_of

from .helpers import ARTICLES, CRITERION_IDS, PER_PARTICIPANT

EN, NL = translator("en"), translator("nl")
PARAMS = load_ruleset("sce-2020").params_on(None)
ABSENT = object()
KVKS = ["11111111", "22222222", "33333333", "44444444", "55555555", "99999999"]
PATH = re.compile(r"^[a-z_]+(\[\d+\])?(\.[a-z_0-9]+(\[\d+\])?)*$")

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A field that is absent, ``null`` or a value."""
    return st.one_of(st.just(ABSENT), st.none(), strategy)


def obj(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({k: opt(v) for k, v in fields.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not ABSENT})


def enum_values(enum: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([str(m) for m in enum])


texts = st.one_of(st.sampled_from(["", " ", "x", "Plan: {name} 100 %"]), st.text(max_size=30))
bools = st.booleans()
money = st.one_of(
    st.integers(0, 10**10).map(lambda cents: cents / 100),
    st.sampled_from([0, 0.01, PARAMS.micro_max_money_eur, PARAMS.small_max_money_eur,
                     PARAMS.sme_max_turnover_eur, PARAMS.sme_max_turnover_eur + 0.01,
                     PARAMS.sme_max_balance_sheet_eur, 40_000, 40_000.02]),
)
staff = st.one_of(st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
                  st.sampled_from([0, 9.99, 10, 49.9, 50, 249.9, 250, MAX_STAFF_UNITS]))
signed = st.one_of(st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
                   st.sampled_from([0.0, -0.0, 1e-300, -1.0]))
hours = st.one_of(st.floats(0, 1e5, allow_nan=False, allow_infinity=False),
                  st.sampled_from([0, 1, 333.33]))
dates = st.one_of(
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    st.sampled_from([dt.date(2020, 2, 29), dt.date(2024, 2, 29), dt.date(2020, 6, 2),
                     dt.date(2020, 12, 31), dt.date(2025, 4, 9), dt.date(2020, 3, 9)]),
).map(dt.date.isoformat)

cost_lines = st.lists(obj(description=texts, category=enum_values(CostCategory),
                          amount_eur=money), max_size=4)
participants = obj(
    name=texts, kvk_number=st.sampled_from(KVKS), is_lead_applicant=bools,
    chain_role=enum_values(ChainRole), chain_role_other=texts, staff_units=staff,
    annual_turnover_eur=money, balance_sheet_total_eur=money,
    figures_include_linked_and_partner=bools, public_bodies_control_25pct=bools,
    in_difficulty=bools, recovery_order_outstanding=bools, sector=enum_values(Sector),
    other_aid_same_costs=bools, received_this_subsidy_this_year=bools,
    group=st.sampled_from(["A", "a ", "B", "", " "]), continues_after_project=bools,
    own_hours=hours, cost_lines=cost_lines,
)
facilitator = obj(
    name=texts, organisation=texts, kvk_number=st.sampled_from(KVKS),
    experience_years=st.one_of(st.sampled_from([0, 0.99, 1, 4, MAX_EXPERIENCE_YEARS]),
                               st.floats(0, MAX_EXPERIENCE_YEARS)),
    ties=st.lists(obj(participant_kvk=st.sampled_from(KVKS), nature=enum_values(TieNature)),
                  max_size=3),
    conflict_measures=texts, market_conform_fee=bools,
)
project = obj(
    title=texts, public_summary=texts, description=texts,
    subject=st.lists(enum_values(Subject), min_size=1, max_size=4, unique=True),
    activity_types=st.lists(enum_values(ActivityType), max_size=3, unique=True),
    r_strategy=enum_values(RStrategy), mainly_downcycling=bools, application_date=dates,
    start_date=dates, end_date=dates, work_started_before_application=bools,
    raw_material_savings=obj(quantity=signed, unit=texts, basis=texts),
    co2_reduction=obj(tonnes_per_year=signed, basis=texts),
    application_plan=texts, results_applied_after_project=bools,
    effective_collaboration=bools, cooperation_agreement=bools,
    lead_designation_statement=bools, project_plan_attached=bools, circo_track=bools,
)
drafts = st.fixed_dictionaries(
    {"format": st.just("sck-draft-application"), "format_version": st.just(1)},
    optional={"ruleset": st.sampled_from(["sce-2020", None]),
              "language": st.sampled_from(["nl", "en", None]),
              "project": st.one_of(st.none(), project),
              "participants": st.one_of(st.none(), st.lists(participants, max_size=10)),
              "facilitator": st.one_of(st.none(), facilitator)},
).map(DraftApplication.model_validate)


@SETTINGS
@given(drafts)
def test_evaluate_and_render_never_crash(draft: DraftApplication) -> None:
    report = evaluate(draft)
    for tr in (EN, NL):
        line = json.dumps(report.to_json(tr, "draft.json"), ensure_ascii=False)
        back = json.loads(line)
        assert set(back) == {"file", "ruleset", "verdict", "findings", "subsidy"}
        for f in report.findings:
            text = f.text(tr)
            assert text.strip()
            assert "Message(" not in text


@SETTINGS
@given(drafts)
def test_findings_are_well_formed(draft: DraftApplication) -> None:
    report = evaluate(draft)
    assert report.verdict is verdict_of(f.status for f in report.findings)
    n = len(draft.participants or ())
    order = list(dict.fromkeys(f.criterion for f in report.findings))
    assert order == CRITERION_IDS
    for criterion in CRITERION_IDS:
        rows = [f for f in report.findings if f.criterion == criterion]
        assert len(rows) == (max(1, n) if criterion in PER_PARTICIPANT else 1), criterion
    for f in report.findings:
        assert f.criterion in ARTICLES
        assert f.article == ARTICLES[f.criterion]
        assert isinstance(f.status, Status)
        if f.status is Status.UNKNOWN:
            assert f.needs, f.criterion
            for path in f.needs:
                assert PATH.match(path), path
        else:
            assert f.needs == (), f.criterion
        if f.criterion in PER_PARTICIPANT and n:
            assert f.participant_index is not None
            assert f.participant == draft.participants[f.participant_index].kvk_number
        else:
            assert f.participant is None
        # A rule resting on an unverified value never fails because of it.
        if f.unverified:
            assert f.status is not Status.FAIL
    # REPORTING is always info.
    assert [str(f.status) for f in report.findings if f.criterion == "REPORTING"] == ["info"]


@SETTINGS
@given(drafts)
def test_subsidy_is_capped_rate_of_eligible_costs(draft: DraftApplication) -> None:
    sub = evaluate(draft).subsidy
    assert len(sub.participants) == len(draft.participants or ())
    for row in sub.participants:
        assert 0 <= row.subsidy_eur <= PARAMS.max_subsidy_per_participant_eur
        assert row.subsidy_eur == pytest.approx(
            min(row.eligible_costs_eur * PARAMS.subsidy_rate,
                PARAMS.max_subsidy_per_participant_eur), abs=0.011)
        assert row.excluded_costs_eur >= 0
    assert sub.total_eur == pytest.approx(sum(r.subsidy_eur for r in sub.participants), abs=0.01)
    shares = [r.cost_share for r in sub.participants if r.cost_share is not None]
    if shares:
        assert sum(shares) == pytest.approx(1.0)


@SETTINGS
@given(drafts)
def test_json_round_trip_keeps_the_verdict(draft: DraftApplication) -> None:
    """Exported (absent stays absent) and read back, a draft gets the same verdict."""
    report = evaluate(draft)
    data = draft.to_json_dict()
    assert DraftApplication.model_validate(data).to_json_dict() == data
    assert evaluate(DraftApplication.model_validate(data)).verdict is report.verdict
