"""The rules in force on the application date, de-minimis as the EU regulation reads it, and the
other rules years.md corrected (issue 23), as ``check --ruleset auto`` gives them in both
languages: a table of drafts in, the status per criterion and the verdict out.

Every draft is the eligible example dated on a day (``dated``), with the answers of that day's
round, and one change. All drafts are checked in one run of the real command per language.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rules.test_cli import lines, run, write

from intake_assistant.rules import load_ruleset
from scenarios.test_rounds import base_data, check, dated

Data = dict[str, Any]
D = dt.date.fromisoformat


def on(day: str, year: int | None = None) -> Data:
    """The eligible example applied for on ``day``, with the answers of round ``year`` (by
    default the round whose rules are in force then)."""
    applied = D(day)
    return dated(base_data(), applied, year or _year_in_force(applied))


def _year_in_force(day: dt.date) -> int:
    from intake_assistant.rules.rounds import round_for_date

    return round_for_date(day).year


def more_smes(data: Data, count: int) -> Data:
    """``data`` with ``count`` more SMEs (copies of the last, other KvK numbers and names)."""
    out = copy.deepcopy(data)
    for n in range(count):
        extra = copy.deepcopy(out["participants"][-1])
        extra.update(name=f"Extra {n}", kvk_number=f"{90000000 + n}", is_lead_applicant=False)
        out["participants"].append(extra)
    return out


def two_smes_and_one_large(day: str) -> Data:
    data = on(day)
    data["participants"] = data["participants"][:3]
    large = data["participants"][2]
    for figure in ("staff_units", "annual_turnover_eur", "balance_sheet_total_eur",
                   "figures_include_linked_and_partner", "public_bodies_control_25pct"):
        large.pop(figure)
    large["large_enterprise"] = True
    data["format_version"] = 2  # large_enterprise is a version-2 answer
    return data


def _subsidy_of_first(data: Data) -> float:
    report = check(data, f"sce-{_year_in_force(D(data['project']['application_date']))}")
    return report.subsidy.participants[0].subsidy_eur


def de_minimis_total(day: str, total: float) -> Data:
    """Earlier de-minimis aid such that, with this subsidy, the first participant has ``total``."""
    data = on(day)
    data["participants"][0]["de_minimis_received_eur"] = round(total - _subsidy_of_first(data), 2)
    return data


def changed(day: str, change: Callable[[Data], None], year: int | None = None) -> Data:
    data = on(day, year)
    change(data)
    return data


def _set_participant(index: int, **answers: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["participants"][index].update(answers)
    return change


def _set_project(**answers: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["project"].update(answers)
    return change


def _same_kvk(data: Data) -> None:
    data["participants"][3]["kvk_number"] = data["participants"][1]["kvk_number"]


def _knowledge_sharing(data: Data) -> None:
    data["participants"][1]["cost_lines"].append(
        {"description": "Kennissessie voor de keten", "category": "knowledge_sharing",
         "amount_eur": 1000})


def _lead_leaves(data: Data) -> None:
    # Three others with three roles still keep cooperating: only the lead's leaving matters.
    lead = next(p for p in data["participants"] if p["is_lead_applicant"])
    lead["continues_after_project"] = False


#: name: (draft, the ruleset ``auto`` picks, {criterion: status (all participants) or
#: {participant index: status}}, verdict)
CASES: dict[str, tuple[Data, str, dict[str, Any], str]] = {
    # The five cases of issue 23, each with the verdict the text gives.
    "seven-smes-on-31-march-2021": (
        more_smes(on("2021-03-31"), 3), "sce-2021",
        {"PARTNERSHIP-SIZE": "fail", "APPLICATION-WINDOW": "warn"}, "not_eligible"),
    "two-smes-and-one-large-on-20-april-2022": (
        two_smes_and_one_large("2022-04-20"), "sce-2022",
        {"SME-STATUS": "pass", "PARTNERSHIP-SIZE": "pass"}, "eligible"),
    "de-minimis-over-the-ceiling-2022": (
        de_minimis_total("2022-06-01", 250_000), "sce-2022",
        {"DE-MINIMIS": {0: "fail", 1: "pass"}}, "not_eligible"),
    "de-minimis-over-the-ceiling-2023": (
        de_minimis_total("2023-06-01", 250_000), "sce-2023",
        {"DE-MINIMIS": {0: "fail", 1: "pass"}}, "not_eligible"),
    "primary-fishery-2022": (
        changed("2022-06-01", _set_participant(2, sector="fishery_aquaculture")), "sce-2022",
        {"GBER-EXCLUDED": {2: "fail", 0: "pass"}}, "not_eligible"),
    "no-aspect-of-the-barriers-2022": (
        changed("2022-06-01", _set_project(barriers_addressed=[])), "sce-2022",
        {"ACTIVITY-TYPE": "fail"}, "not_eligible"),
    "no-aspect-of-the-barriers-2024": (
        changed("2024-06-01", _set_project(barriers_addressed=[])), "sce-2024",
        {"ACTIVITY-TYPE": "fail"}, "not_eligible"),
    "some-aspect-of-the-barriers-2023": (
        on("2023-06-01"), "sce-2023", {"ACTIVITY-TYPE": "warn"}, "eligible"),
    # The day a text entered into force, and the day before.
    **{f"in-force-{day}": (on(day), ruleset, {}, verdict) for day, ruleset, verdict in (
        ("2020-12-31", "sce-2020", "eligible"), ("2021-01-01", "sce-2021", "eligible"),
        ("2022-04-11", "sce-2021", "eligible"), ("2022-04-12", "sce-2022", "eligible"),
        ("2022-12-31", "sce-2022", "eligible"), ("2023-01-01", "sce-2023", "eligible"),
        ("2023-12-31", "sce-2023", "eligible"), ("2024-01-01", "sce-2024", "eligible"))},
    "seven-smes-on-31-december-2020": (
        more_smes(on("2020-12-31"), 3), "sce-2020", {"PARTNERSHIP-SIZE": "warn"}, "eligible"),
    "two-smes-and-one-large-on-11-april-2022": (
        two_smes_and_one_large("2022-04-11"), "sce-2021",
        {"SME-STATUS": {2: "fail"}, "PARTNERSHIP-SIZE": "fail", "CHAIN-ROLES": "fail"},
        "not_eligible"),
    # De-minimis: exactly EUR 200,000 and one cent more; 2024 between the two regulations.
    **{f"de-minimis-{total}-{day[:4]}": (de_minimis_total(day, total), f"sce-{day[:4]}",
                                         {"DE-MINIMIS": {0: status}}, verdict)
       for day, total, status, verdict in (
           ("2022-06-01", 200_000, "pass", "eligible"),
           ("2022-06-01", 200_000.01, "fail", "not_eligible"),
           ("2023-06-01", 200_000, "pass", "eligible"),
           ("2023-06-01", 200_000.01, "fail", "not_eligible"),
           ("2024-06-01", 200_000, "pass", "eligible"),
           ("2024-06-01", 200_000.01, "warn", "eligible"),
           ("2024-06-01", 300_000, "warn", "eligible"),
           ("2024-06-01", 300_000.01, "fail", "not_eligible"))},
    # Sectors under de-minimis: kept apart (art. 1 (2)) warns; under the GBER as before.
    "primary-fishery-kept-apart-2022": (
        changed("2022-06-01", _set_participant(2, sector="fishery_aquaculture",
                                               primary_production_kept_apart=True)),
        "sce-2022", {"GBER-EXCLUDED": {2: "warn"}}, "eligible"),
    "primary-agriculture-2023": (
        changed("2023-06-01", _set_participant(1, sector="primary_agriculture",
                                               primary_production_kept_apart=False)),
        "sce-2023", {"GBER-EXCLUDED": {1: "fail"}}, "not_eligible"),
    "primary-fishery-2021": (
        changed("2021-06-01", _set_participant(2, sector="fishery_aquaculture")), "sce-2021",
        {"GBER-EXCLUDED": {2: "fail"}}, "not_eligible"),
    # An undertaking in difficulty: fails under the GBER, warns under de-minimis.
    "in-difficulty-2021": (
        changed("2021-06-01", _set_participant(1, in_difficulty=True)), "sce-2021",
        {"GBER-DIFFICULTY": {1: "fail"}}, "not_eligible"),
    "in-difficulty-2022": (
        changed("2022-06-01", _set_participant(1, in_difficulty=True)), "sce-2022",
        {"GBER-DIFFICULTY": {1: "warn"}}, "eligible"),
    # A participant of the Caribbean Netherlands: warns before 2022.
    "caribbean-netherlands-2021": (
        changed("2021-06-01", _set_participant(3, caribbean_netherlands=True), 2022),
        "sce-2021", {"SME-STATUS": {3: "warn", 0: "pass"}}, "eligible"),
    "caribbean-netherlands-2022": (
        changed("2022-06-01", _set_participant(3, caribbean_netherlands=True)), "sce-2022",
        {"SME-STATUS": "pass"}, "eligible"),
    # The lead applicant does not keep cooperating: warns from 2022 (reported).
    "lead-leaves-after-the-project-2021": (
        changed("2021-06-01", _lead_leaves), "sce-2021", {"PARTNERSHIP-CONTINUES": "pass"},
        "eligible"),
    "lead-leaves-after-the-project-2022": (
        changed("2022-06-01", _lead_leaves), "sce-2022", {"PARTNERSHIP-CONTINUES": "warn"},
        "eligible"),
    # Knowledge-sharing costs: eligible in 2024 (reported: a warning), excluded before.
    "knowledge-sharing-2024": (
        changed("2024-06-01", _knowledge_sharing), "sce-2024", {"ELIGIBLE-COSTS": "warn"},
        "eligible"),
    "knowledge-sharing-2023": (
        changed("2023-06-01", _knowledge_sharing), "sce-2023", {"ELIGIBLE-COSTS": "warn"},
        "eligible"),
    # One enterprise listed twice.
    "one-kvk-number-twice-2020": (
        changed("2020-06-01", _same_kvk), "sce-2020", {"NO-GROUP": "fail"}, "not_eligible"),
    "one-kvk-number-twice-2024": (
        changed("2024-06-01", _same_kvk), "sce-2024", {"NO-GROUP": "fail"}, "not_eligible"),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case checked by ``check --ruleset auto`` in Dutch and in English, by language."""
    folder: Path = tmp_path_factory.mktemp("cases")
    files = [write(folder, f"{name}.json", data) for name, (data, *_rest) in CASES.items()]
    out: dict[str, dict[str, Any]] = {}
    for language in ("nl", "en"):
        proc = run(folder, "check", "--ruleset", "auto", "--format", "json", "--lang", language,
                   *files)
        assert proc.stderr == "", proc.stderr
        out[language] = {row["file"].removesuffix(".json"): row for row in lines(proc.stdout)}
    return out


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", list(CASES))
def test_case_gives_the_verdict_of_the_text(checked: dict[str, dict[str, Any]], name: str,
                                            language: str) -> None:
    data, ruleset, expected, verdict = CASES[name]
    row = checked[language][name]
    assert row["ruleset"] == ruleset
    assert row["verdict"] == verdict, [(f["criterion"], f["status"], f["message"])
                                       for f in row["findings"] if f["status"] in {"fail", "unknown"}]
    kvks = [p.get("kvk_number") for p in data["participants"]]
    for criterion, want in expected.items():
        found = {f["participant"]: f["status"] for f in row["findings"]
                 if f["criterion"] == criterion}
        assert found, criterion
        if isinstance(want, dict):
            for index, status in want.items():
                assert found[kvks[index]] == status, (criterion, index, found)
        else:
            assert set(found.values()) == {want}, (criterion, found)
    for finding in row["findings"]:  # rendered: no placeholder left, no message id shown
        assert "{" not in finding["message"], finding


def _finding(checked: dict[str, dict[str, Any]], language: str, name: str, criterion: str,
             participant: int | None = None) -> dict[str, Any]:
    kvks = [p.get("kvk_number") for p in CASES[name][0]["participants"]]
    return next(f for f in checked[language][name]["findings"] if f["criterion"] == criterion
                and (participant is None or f["participant"] == kvks[participant]))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_messages_cite_what_they_rest_on(checked: dict[str, dict[str, Any]],
                                             language: str) -> None:
    band = _finding(checked, language, "de-minimis-300000-2024", "DE-MINIMIS", 0)["message"]
    for words in ("1407/2013", "2023/2831", "31", "2023", "2024"):
        assert words in band, band
    fishery = _finding(checked, language, "primary-fishery-2022", "GBER-EXCLUDED", 2)
    assert "1407/2013" in fishery["message"] and "GBER" not in fishery["message"]
    assert fishery["article"] == "1.3 d; Reg. (EU) 1407/2013 art. 1"
    difficulty = _finding(checked, language, "in-difficulty-2022", "GBER-DIFFICULTY", 1)
    cannot = {"en": "cannot receive aid", "nl": "kan geen steun ontvangen"}[language]
    assert cannot not in difficulty["message"]
    assert cannot in _finding(checked, language, "in-difficulty-2021", "GBER-DIFFICULTY",
                              1)["message"]
    twice = _finding(checked, language, "one-kvk-number-twice-2020", "NO-GROUP")["message"]
    data = CASES["one-kvk-number-twice-2020"][0]
    assert data["participants"][1]["name"] in twice and data["participants"][3]["name"] in twice
    assert data["participants"][1]["kvk_number"] in twice


def test_article_labels_follow_the_round(checked: dict[str, dict[str, Any]]) -> None:
    def article(name: str, criterion: str) -> set[str]:
        return {f["article"] for f in checked["en"][name]["findings"]
                if f["criterion"] == criterion}

    assert article("in-force-2022-04-11", "COST-SHARE-70") == {"2.11 c; GBER 25(6)(b)"}
    assert article("in-force-2022-04-12", "COST-SHARE-70") == {"2.11 c"}
    assert article("in-force-2022-04-11", "ACTIVITY-TYPE") == {"2.3 c"}
    assert article("in-force-2022-04-12", "ACTIVITY-TYPE") == {"2.1 (circulair ketenproject); 2.3"}
    assert article("in-force-2024-01-01", "ACTIVITY-TYPE") == {"2.1 (circulair ketenproject); 2.3"}
    assert "2023/2831" in article("in-force-2024-01-01", "DE-MINIMIS").pop()
    assert "2023/2831" not in article("in-force-2023-12-31", "DE-MINIMIS").pop()


def test_the_de_minimis_ceilings_are_the_regulations_verified() -> None:
    for ruleset in ("sce-2022", "sce-2023", "sce-2024"):
        params = load_ruleset(ruleset).params_on(None)
        assert params.de_minimis_ceiling_eur == 200_000
        assert params.verified("de_minimis_ceiling_eur")
        assert "1407/2013" in params.meta("de_minimis_ceiling_eur").source
    params = load_ruleset("sce-2024").params_on(None)
    assert params.de_minimis_successor_ceiling_eur == 300_000
    assert "2023/2831" in params.meta("de_minimis_successor_ceiling_eur").source


def test_only_smes_count_up_to_2021() -> None:
    # Four participants, one of them large: three SMEs with three roles, in 2021 and in 2022.
    data = on("2021-06-01", 2022)
    data["participants"][3]["large_enterprise"] = True
    report = check(data, "sce-2021")
    size = next(f for f in report.findings if f.criterion == "PARTNERSHIP-SIZE")
    assert size.message.params["count"] == 3 and size.notes
    data["participants"][2]["large_enterprise"] = True  # two SMEs left: too few in 2021
    statuses = {f.criterion: str(f.status) for f in check(data, "sce-2021").findings
                if f.participant is None}
    assert statuses["PARTNERSHIP-SIZE"] == "fail"
    assert statuses["CHAIN-ROLES"] == "fail"  # the two SMEs have two roles
    assert statuses["PARTNERSHIP-CONTINUES"] == "fail"
    # From 2022 the large enterprise's role counts (our reading, years.md).
    later = dated(data, D("2022-06-01"), 2022)
    later["participants"][2]["large_enterprise"] = False
    statuses = {f.criterion: str(f.status) for f in check(later, "sce-2022").findings
                if f.participant is None}
    assert statuses["CHAIN-ROLES"] == "pass"


@pytest.mark.parametrize("day", ["2020-06-01", "2022-06-01"])
def test_an_imported_draft_with_one_kvk_number_twice_fails_as_check_does(day: str) -> None:
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.models import DraftApplication

    data = changed(day, _same_kvk)
    data["ruleset"] = f"sce-{day[:4]}"
    session, dropped = IntakeSession.imported(DraftApplication.model_validate(data), "en")
    assert dropped == []  # both KvK numbers are kept, as the file has them
    participants = session.draft.participants or []
    assert participants[1].kvk_number == participants[3].kvk_number
    finding = next(f for f in session.report.findings if f.criterion == "NO-GROUP")
    assert str(finding.status) == "fail"
    assert str(session.report.verdict) == "not_eligible"
    # The terminal refuses the same KvK number when it is typed, naming the other participant.
    assert session.go_to("participant_kvk[3]")
    result = session.answer(participants[0].kvk_number, "participant_kvk[3]")
    assert not result.accepted


def test_knowledge_sharing_costs_count_in_2024_only_and_say_what_they_rest_on() -> None:
    reports = {year: check(CASES[f"knowledge-sharing-{year}"][0], f"sce-{year}")
               for year in (2023, 2024)}
    assert reports[2023].subsidy.participants[1].excluded_costs_eur == 1000
    assert reports[2024].subsidy.participants[1].excluded_costs_eur == 0
    assert (reports[2024].subsidy.participants[1].eligible_costs_eur
            == reports[2023].subsidy.participants[1].eligible_costs_eur + 1000)
    finding = next(f for f in reports[2024].findings if f.criterion == "ELIGIBLE-COSTS")
    assert "knowledge_sharing_eligible" in finding.unverified
    # A version-1 file cannot hold the new kind of cost.
    from intake_assistant.models import DraftApplication

    draft = DraftApplication.model_validate(CASES["knowledge-sharing-2023"][0])
    assert "participants[1].cost_lines[2].category" in draft.v2_answers()
