"""Rulesets are data with provenance, and a later year is data plus a named rule change."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from intake_assistant.i18n import translator
from intake_assistant.loading import load_draft_file
from intake_assistant.rules import Status, evaluate, load_ruleset
from intake_assistant.rules import ruleset as ruleset_module
from intake_assistant.rules.changes import RULE_CHANGES, rule_change
from intake_assistant.rules.criteria import failed

EXAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "examples"


def test_every_parameter_names_its_source_and_whether_it_is_verified() -> None:
    rs = load_ruleset("sce-2020")
    assert rs.parameters, "the ruleset has no parameters"
    for parameter in rs.parameters.values():
        assert parameter.description
        for value in parameter.values:
            assert value.source.strip(), parameter.name
            assert isinstance(value.verified, bool)
            assert isinstance(value.valid_from, dt.date)
    # The digest marks these unverified for 2020; the data must say so.
    params = rs.params_on(None)
    for name in ("hourly_rate_eur", "start_after_grant_months", "facilitator_min_experience_years",
                 "opening_period"):
        assert params.verified(name) is False, name
    assert params.hourly_rate_eur == 60 and params.max_subsidy_per_participant_eur == 20000


def test_unknown_ruleset_is_refused() -> None:
    with pytest.raises(ruleset_module.UnknownRulesetError):
        load_ruleset("sce-1999")
    with pytest.raises(ruleset_module.UnknownRulesetError):
        load_ruleset("../sce-2020")


@pytest.fixture
def later_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A 2021-style ruleset written as data: extends 2020, changes parameters, names a change."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ruleset_module.DATA_DIR / "sce-2020.toml", data / "sce-2020.toml")
    (data / "sce-test-2021.toml").write_text(
        'id = "sce-test-2021"\n'
        'extends = "sce-2020"\n'
        'title = "test year"\n'
        "reference_date = 2021-06-01\n"
        'rule_changes = ["test-lasting-cooperation-hard"]\n'
        "[parameters.hourly_rate_eur]\n"
        'description = "Fixed hourly rate for the participants\' own hours"\n'
        'unit = "EUR"\n'
        'values = [{ from = 2021-01-01, value = 65, source = "test source", verified = true }]\n'
        "[parameters.partnership_continues_required]\n"
        'description = "x"\nunit = "flag"\n'
        'values = [{ from = 2021-01-01, value = true, source = "art. 2.3 b 3", verified = true }]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(ruleset_module, "DATA_DIR", data)
    load_ruleset.cache_clear()

    @rule_change("test-lasting-cooperation-hard")
    def _change(table):  # type: ignore[no-untyped-def]
        def duration_always_fails(ctx):  # type: ignore[no-untyped-def]
            return failed(ctx.params.memo("m", lambda: __import__(
                "intake_assistant.i18n", fromlist=["Message"]).Message("changed rule")))

        table["DURATION"] = duration_always_fails
        return table

    yield "sce-test-2021"
    RULE_CHANGES.pop("test-lasting-cooperation-hard", None)
    load_ruleset.cache_clear()


def test_a_later_year_is_data_plus_a_named_change(later_year: str) -> None:
    draft = load_draft_file(str(EXAMPLES / "eligible-office-chair.json"))
    base = evaluate(draft, "sce-2020")
    later = evaluate(draft, later_year)
    # Parameters inherited and overridden.
    assert later.subsidy.hourly_rate_eur == 65 and base.subsidy.hourly_rate_eur == 60
    assert later.subsidy.participants[0].eligible_costs_eur == 240 * 65 + 4000
    # The named rule change replaced one criterion, the others are untouched.
    by_id = {f.criterion: f for f in later.findings}
    assert by_id["DURATION"].status is Status.FAIL
    assert translator("en").render(by_id["DURATION"].message) == "changed rule"
    assert [f.criterion for f in later.findings] == [f.criterion for f in base.findings]
    # A verified hourly rate: the findings no longer note it as unverified.
    assert "hourly_rate_eur" not in by_id["ELIGIBLE-COSTS"].unverified
    assert "hourly_rate_eur" in {f.criterion: f for f in base.findings}["ELIGIBLE-COSTS"].unverified


def test_parameters_are_read_on_the_application_date(tmp_path: Path) -> None:
    rs = load_ruleset("sce-2020")
    name = "hourly_rate_eur"
    parameter = rs.parameters[name]
    assert parameter.on(dt.date(2020, 1, 1)) is parameter.values[0]
    assert parameter.on(dt.date(2024, 1, 1)) is parameter.values[-1]


def test_check_names_the_unverified_parameter_in_the_message(tmp_path: Path) -> None:
    draft = json.loads((EXAMPLES / "eligible-office-chair.json").read_text(encoding="utf-8"))
    path = tmp_path / "d.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    report = evaluate(load_draft_file(str(path)))
    eligible = {f.criterion: f for f in report.findings}["ELIGIBLE-COSTS"]
    assert "unverified value" in eligible.text(translator("en"))
    assert "niet-geverifieerde" in eligible.text(translator("nl"))
