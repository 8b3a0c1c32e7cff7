"""Verdict logic, the shape of the findings, and the three shared examples."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from intake_assistant.models import DraftApplication
from intake_assistant.rules import CRITERIA, Status, Verdict, evaluate, verdict_of

from .helpers import CRITERION_IDS, PER_PARTICIPANT, check, finding, with_participants

ALL = list(Status)


@pytest.mark.parametrize("size", [0, 1, 2, 3])
def test_verdict_of_every_combination(size: int) -> None:
    for combo in itertools.product(ALL, repeat=size):
        if Status.FAIL in combo:
            expected = Verdict.NOT_ELIGIBLE
        elif Status.UNKNOWN in combo:
            expected = Verdict.INCOMPLETE
        else:
            expected = Verdict.ELIGIBLE
        assert verdict_of(combo) is expected, combo
        assert verdict_of(iter(combo)) is expected  # any iterable, once


def test_warn_and_info_alone_are_eligible() -> None:
    assert verdict_of([Status.WARN, Status.INFO, Status.PASS]) is Verdict.ELIGIBLE
    assert verdict_of([Status.WARN, Status.UNKNOWN]) is Verdict.INCOMPLETE
    assert verdict_of([Status.UNKNOWN, Status.FAIL]) is Verdict.NOT_ELIGIBLE


def _order(report: Any) -> list[str]:
    """The criteria in order of first appearance."""
    return list(dict.fromkeys(f.criterion for f in report.findings))


@pytest.mark.parametrize("count", [0, 1, 3, 4, 6, 7, 10])
def test_every_criterion_appears_in_order(eligible: dict[str, Any], count: int) -> None:
    report = check(with_participants(eligible, count))
    assert _order(report) == CRITERION_IDS
    for info in CRITERIA:
        rows = [f for f in report.findings if f.criterion == info.id]
        assert all(f.article == info.article for f in rows)
        if info.per_participant:
            assert len(rows) == max(1, count)
            # Consecutive, in participant order.
            if count:
                assert [f.participant_index for f in rows] == list(range(count))
                assert [f.participant for f in rows] == [
                    p["kvk_number"] for p in with_participants(eligible, count)["participants"]]
        else:
            assert len(rows) == 1
            assert rows[0].participant is None
    assert report.verdict is verdict_of(f.status for f in report.findings)


@pytest.mark.parametrize("participants", [[], None])
def test_no_participants_gives_one_unknown_per_participant_criterion(
        eligible: dict[str, Any], participants: list[Any] | None) -> None:
    data = dict(eligible, participants=participants)
    report = check(data)
    for criterion in PER_PARTICIPANT:
        found = finding(report, criterion, None)
        assert found.status is Status.UNKNOWN
        assert found.participant_index is None
        assert found.needs == ("participants",)
    assert report.verdict is Verdict.INCOMPLETE
    assert report.subsidy.participants == ()
    assert report.subsidy.total_eur == 0


def test_participants_without_kvk_still_appear_once_each(eligible: dict[str, Any]) -> None:
    data = with_participants(eligible, 3)
    for p in data["participants"]:
        del p["kvk_number"]
    report = check(data)
    rows = [f for f in report.findings if f.criterion == "SME-STATUS"]
    assert [(f.participant, f.participant_index) for f in rows] == [(None, 0), (None, 1),
                                                                      (None, 2)]


def test_empty_draft_is_incomplete_not_a_crash() -> None:
    report = evaluate(DraftApplication())
    assert report.verdict is Verdict.INCOMPLETE
    assert _order(report) == CRITERION_IDS
    assert not report.by_status(Status.FAIL)
    for f in report.by_status(Status.UNKNOWN):
        assert f.needs, f.criterion


def test_fail_beats_unknown(eligible: dict[str, Any]) -> None:
    report = check(eligible, {"project.effective_collaboration": None,
                              "participants[1].in_difficulty": True})
    assert report.verdict is Verdict.NOT_ELIGIBLE


def test_ruleset_argument_and_default(eligible: dict[str, Any]) -> None:
    data = dict(eligible)
    del data["ruleset"]
    draft = DraftApplication.model_validate(data)
    assert evaluate(draft).ruleset_id == "sce-2020"
    assert evaluate(draft, "sce-2020").ruleset_id == "sce-2020"


# -- the shared examples ----------------------------------------------------------------------


def _example(examples_dir: Path, name: str) -> DraftApplication:
    return DraftApplication.model_validate_json((examples_dir / f"{name}.json").read_text())


def test_examples_present(examples_dir: Path) -> None:
    assert {p.stem for p in examples_dir.glob("*.json")} >= {
        "eligible-office-chair", "cost-share-over-70", "incomplete-no-facilitator-no-co2"}


def test_eligible_office_chair(examples_dir: Path) -> None:
    report = evaluate(_example(examples_dir, "eligible-office-chair"))
    assert report.verdict is Verdict.ELIGIBLE
    assert report.ruleset_id == "sce-2020"
    assert [r.subsidy_eur for r in report.subsidy.participants] == [9200, 11000, 16000, 5500]
    assert report.subsidy.total_eur == 41_700
    assert [r.eligible_costs_eur for r in report.subsidy.participants] == [
        18400, 22000, 32000, 11000]
    assert not report.by_status(Status.FAIL)
    assert not report.by_status(Status.UNKNOWN)
    # The only warning: the 2020 opening period is not known.
    assert [f.criterion for f in report.by_status(Status.WARN)] == ["APPLICATION-WINDOW"]
    assert {f.criterion for f in report.by_status(Status.INFO)} == {"SUBSIDY-AMOUNT",
                                                                   "REPORTING"}


def test_cost_share_over_70(examples_dir: Path) -> None:
    report = evaluate(_example(examples_dir, "cost-share-over-70"))
    assert report.verdict is Verdict.NOT_ELIGIBLE
    assert [f.criterion for f in report.by_status(Status.FAIL)] == ["COST-SHARE-70"]
    share = report.subsidy.participants[0].cost_share
    assert share is not None and share > 0.7
    assert report.subsidy.participants[0].subsidy_eur == 20_000  # capped


def test_incomplete_no_facilitator_no_co2(examples_dir: Path) -> None:
    report = evaluate(_example(examples_dir, "incomplete-no-facilitator-no-co2"))
    assert report.verdict is Verdict.INCOMPLETE
    unknown = {f.criterion: f.needs for f in report.by_status(Status.UNKNOWN)}
    assert set(unknown) == {"FACILITATOR-APPOINTED", "FACILITATOR-INDEPENDENT",
                            "FACILITATOR-EXPERIENCE", "FACILITATOR-MARKET-RATE", "RESOURCE-CO2"}
    assert unknown["FACILITATOR-APPOINTED"] == ("facilitator",)
    assert "project.co2_reduction.tonnes_per_year" in unknown["RESOURCE-CO2"]
    assert not report.by_status(Status.FAIL)
