"""What a finding rests on (issue 23): the answers and parameter values its criterion read.

The property: for drafts of every round, changing any answer that is not in a finding's basis
(nor below an absent object the basis names) never changes that finding's status.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_assistant.i18n import translator
from intake_assistant.models import ActivityType, BarrierAspect, DraftApplication, RStrategy, Subject
from intake_assistant.rules import Report, evaluate, load_ruleset

from .helpers import _split as split_path
from .helpers import example_data
from .test_hints import RULESETS, V2, base
from .test_properties import (
    ABSENT,
    bools,
    dates,
    enum_values,
    facilitator,
    hours,
    money,
    participants,
    project,
    signed,
    staff,
    texts,
)
from .test_properties import (
    opt as optional,
)

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])

# -- the answers a draft can hold, each with the values it can take -------------------------

_PROJECT = {
    "title": texts, "public_summary": texts, "description": texts,
    "subject": st.lists(enum_values(Subject), min_size=1, max_size=4, unique=True),
    "activity_types": st.lists(enum_values(ActivityType), max_size=3, unique=True),
    "r_strategy": enum_values(RStrategy),
    "mainly_downcycling": bools, "application_date": dates, "start_date": dates,
    "end_date": dates, "work_started_before_application": bools, "application_plan": texts,
    "results_applied_after_project": bools, "effective_collaboration": bools,
    "cooperation_agreement": bools, "lead_designation_statement": bools,
    "project_plan_attached": bools, "circo_track": bools,
    "barriers_addressed": st.lists(enum_values(BarrierAspect), max_size=3, unique=True),
    "barriers_description": texts, "textile_project": bools, "fibre_to_fibre_recycling": bools,
    "comparable_project_granted_before": bools, "repeat_exception": bools,
    "raw_material_savings.quantity": signed, "raw_material_savings.unit": texts,
    "raw_material_savings.basis": texts, "co2_reduction.tonnes_per_year": signed,
    "co2_reduction.basis": texts,
}
_KVKS = st.sampled_from(["11111111", "22222222", "33333333", "44444444", "99999999"])
_PARTICIPANT = {
    "name": texts, "kvk_number": _KVKS, "is_lead_applicant": bools,
    "chain_role": st.sampled_from(["producer", "designer", "collector", "other", "user"]),
    "chain_role_other": texts, "staff_units": staff, "annual_turnover_eur": money,
    "balance_sheet_total_eur": money, "figures_include_linked_and_partner": bools,
    "public_bodies_control_25pct": bools, "in_difficulty": bools,
    "recovery_order_outstanding": bools,
    "sector": st.sampled_from(["fishery_aquaculture", "primary_agriculture", "other"]),
    "other_aid_same_costs": bools, "received_this_subsidy_this_year": bools,
    "group": st.sampled_from(["A", "B", "", " "]), "continues_after_project": bools,
    "own_hours": hours, "large_enterprise": bools, "caribbean_netherlands": bools,
    "de_minimis_received_eur": money,
}
_COST_LINE = {"description": texts, "category": st.sampled_from(
    ["materials", "facilitator", "marketing", "training", "other"]), "amount_eur": money}
_FACILITATOR = {"name": texts, "organisation": texts, "kvk_number": _KVKS,
                "experience_years": st.sampled_from([0, 0.5, 0.99, 1, 4, 100]),
                "conflict_measures": texts, "market_conform_fee": bools}
_TIE = {"participant_kvk": _KVKS, "nature": st.sampled_from(["board_member", "family", "other"])}


def answer_paths(data: dict[str, Any], v2: bool) -> dict[str, st.SearchStrategy[Any]]:
    """Every answer of ``data`` that can be changed (given or not), with its values."""
    out: dict[str, st.SearchStrategy[Any]] = {}
    v2_only = {"barriers_addressed", "barriers_description", "textile_project",
               "fibre_to_fibre_recycling", "comparable_project_granted_before",
               "repeat_exception", "large_enterprise", "caribbean_netherlands",
               "de_minimis_received_eur"}

    def add(prefix: str, fields: dict[str, st.SearchStrategy[Any]]) -> None:
        for name, values in fields.items():
            if v2 or name not in v2_only:
                out[prefix + name] = optional(values)

    add("project.", _PROJECT)
    for i, p in enumerate(data.get("participants") or ()):
        add(f"participants[{i}].", _PARTICIPANT)
        for j, _ in enumerate(p.get("cost_lines") or ()):
            add(f"participants[{i}].cost_lines[{j}].", _COST_LINE)
    fac = data.get("facilitator")
    if fac is not None:
        add("facilitator.", _FACILITATOR)
        for k, _ in enumerate(fac.get("ties") or ()):
            add(f"facilitator.ties[{k}].", _TIE)
    return out


def changed_answer(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """``data`` with the answer at ``path`` set to ``value`` (``ABSENT``: removed)."""
    out = copy.deepcopy(data)
    if not isinstance(out.get("project"), dict):
        out["project"] = {}
    head, _, last = path.rpartition(".")
    if head in ("project.raw_material_savings", "project.co2_reduction"):
        key = head.split(".")[1]
        if not isinstance(out["project"].get(key), dict):
            out["project"][key] = {}
    node: Any = out
    for part in split_path(head):
        node = node[part]
    if value is ABSENT:
        node.pop(last, None)
    else:
        node[last] = value
    return out


def read(path: str, basis: dict[str, Any]) -> bool:
    """``path`` or an absent object above it is in the basis (an absent object stands for the
    answers it would hold)."""
    if path in basis:
        return True
    while "." in path:
        path = path.rsplit(".", 1)[0]
        if path in basis and basis[path] in (None, []):
            return True
    return False


def statuses(report: Report) -> dict[tuple[str, int | None], str]:
    return {(f.criterion, f.participant_index): str(f.status) for f in report.findings}


# -- drafts of every round ---------------------------------------------------------------------

_V2_PROJECT = {k: _PROJECT[k] for k in ("barriers_addressed", "barriers_description",
                                        "textile_project", "fibre_to_fibre_recycling",
                                        "comparable_project_granted_before", "repeat_exception")}
_V2_PARTICIPANT = {k: _PARTICIPANT[k] for k in ("large_enterprise", "caribbean_netherlands",
                                                "de_minimis_received_eur")}


@st.composite
def drafts_of_every_round(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    ruleset_id = draw(st.sampled_from(RULESETS))
    v2 = ruleset_id in V2
    if draw(st.booleans()):
        # A draft near the round's eligible one: many criteria pass, so changes matter.
        data = base(ruleset_id, draw(st.integers(1, 7)))
    else:
        data = {"format": "sck-draft-application", "format_version": 1, "ruleset": ruleset_id,
                "project": draw(project),
                "participants": draw(st.lists(participants, max_size=6)),
                "facilitator": draw(st.one_of(st.none(), facilitator))}
    if v2:
        data["format_version"] = 2
        for name, values in _V2_PROJECT.items():
            if draw(st.booleans()):
                (data.setdefault("project", {}) or {})[name] = draw(values)
        for p in data.get("participants") or ():
            for name, values in _V2_PARTICIPANT.items():
                if draw(st.integers(0, 3)) == 0:
                    p[name] = draw(values)
    # a few answers of the draft set to arbitrary values, so that every branch is reached
    paths = answer_paths(data, v2)
    for path in draw(st.lists(st.sampled_from(sorted(paths)), max_size=6)):
        data = changed_answer(data, path, draw(paths[path]))
    return ruleset_id, data


@SETTINGS
@given(drafts_of_every_round(), st.data())
def test_a_change_outside_the_basis_never_changes_the_status(
        case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    ruleset_id, draft = case
    before = evaluate(DraftApplication.model_validate(draft), ruleset_id)
    paths = answer_paths(draft, ruleset_id in V2)
    for _ in range(8):  # one answer changed at a time, several times per draft
        path = data.draw(st.sampled_from(sorted(paths)), label="changed answer")
        value = data.draw(paths[path], label="new value")
        after_data = changed_answer(draft, path, value)
        after = statuses(evaluate(DraftApplication.model_validate(after_data), ruleset_id))
        for f in before.findings:
            assert f.basis is not None
            if read(path, f.basis.answers):
                continue
            key = (f.criterion, f.participant_index)
            assert after[key] == str(f.status), (
                f"{f.criterion} (participant {f.participant_index}) changed from {f.status} to "
                f"{after[key]} when {path} changed to {value!r}, which is not in its basis "
                f"{sorted(f.basis.answers)}")


# -- the basis as check --format json gives it --------------------------------------------------


def test_each_finding_rests_on_what_its_criterion_read() -> None:
    report = evaluate(DraftApplication.model_validate(example_data("cost-share-over-70")))
    by_key = {(f.criterion, f.participant_index): f for f in report.findings}
    difficulty = by_key[("GBER-DIFFICULTY", 2)].basis
    assert difficulty is not None
    assert difficulty.to_json() == {
        "answers": [{"path": "participants[2].in_difficulty", "value": False}],
        "parameters": []}
    share = by_key[("COST-SHARE-70", None)].basis.to_json()  # type: ignore[union-attr]
    paths = {a["path"]: a["value"] for a in share["answers"]}
    assert paths["participants[0].own_hours"] == 2500
    assert paths["participants[0].cost_lines[0].amount_eur"] == 4000
    assert all(p.startswith("participants[") for p in paths)  # no project answer, no name
    assert not any(p.endswith((".name", ".description")) for p in paths)
    parameters = {p["key"]: p for p in share["parameters"]}
    assert parameters["max_cost_share"] == {
        "key": "max_cost_share", "value": 0.7, "from": "2020-03-10",
        "source": load_ruleset("sce-2020").parameters["max_cost_share"].values[0].source,
        "verified": True}
    assert {"hourly_rate_eur", "subsidy_rate"} <= set(parameters)
    assert parameters["hourly_rate_eur"]["verified"] is False
    # strict JSON, every finding with its basis
    line = report.to_json(translator("en"), "x.json")
    text = json.dumps(line, allow_nan=False)
    assert all("basis" in f for f in json.loads(text)["findings"])


def test_a_participant_finding_rests_on_that_participant_only() -> None:
    report = evaluate(DraftApplication.model_validate(example_data()))
    for f in report.findings:
        if f.participant_index is not None and f.criterion != "SME-STATUS":
            assert f.basis is not None
            for path in f.basis.answers:
                assert path.startswith(f"participants[{f.participant_index}].") or \
                    path.startswith("project."), (f.criterion, path)


def test_a_parameter_dated_within_the_round_rests_on_the_application_date() -> None:
    ruleset = load_ruleset("sce-2020")
    dated = [name for name, p in ruleset.parameters.items() if len(p.values) > 1]
    report = evaluate(DraftApplication.model_validate(example_data()))
    for f in report.findings:
        assert f.basis is not None
        if any(name in f.basis.parameters for name in dated):
            assert "project.application_date" in f.basis.answers, f.criterion


@SETTINGS
@given(drafts_of_every_round(), st.sampled_from(["en", "nl"]))
def test_the_json_line_is_the_text_of_the_report_as_json(
        case: tuple[str, dict[str, Any]], language: str) -> None:
    """``check --format json`` makes each basis entry into text once; the line is the same."""
    from intake_assistant.cli import _json_line_text

    ruleset_id, draft = case
    report = evaluate(DraftApplication.model_validate(draft), ruleset_id)
    tr = translator(language)
    line = report.json_line(tr, "d.json", _json_line_text).decode("utf-8")
    assert line == _json_line_text(report.to_json(tr, "d.json"))
    assert json.loads(line) == report.to_json(tr, "d.json")


@SETTINGS
@given(drafts_of_every_round())
def test_without_the_bases_the_findings_are_the_same(case: tuple[str, dict[str, Any]]) -> None:
    """``evaluate(basis=False)`` (check's plain text) reads the draft itself: same findings."""
    ruleset_id, data = case
    draft = DraftApplication.model_validate(data)
    recorded, plain = evaluate(draft, ruleset_id), evaluate(draft, ruleset_id, basis=False)
    assert all(f.basis is None for f in plain.findings)
    assert plain.subsidy == recorded.subsidy
    for a, b in zip(recorded.findings, plain.findings, strict=True):
        assert (a.criterion, a.status, a.article, a.message, a.participant, a.participant_index,
                a.needs, a.unverified, a.notes) == (b.criterion, b.status, b.article, b.message,
                                                    b.participant, b.participant_index, b.needs,
                                                    b.unverified, b.notes)
        assert (a.hint is None) == (b.hint is None)
        if a.hint is not None:
            assert a.hint.to_json(translator("en")) == b.hint.to_json(translator("en"))
