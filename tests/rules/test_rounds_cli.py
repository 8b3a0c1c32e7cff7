"""The rounds at the command line: ``check --ruleset auto``, ``rulesets``, ``schema --version``,
and draft format 2 (read, written only when needed, refused inside a version-1 file)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from scenarios.test_rounds import ROUNDS, base_data, dated, inside

from intake_assistant.flow.commands import run_replay
from intake_assistant.loading import DraftFileError, load_draft_file
from intake_assistant.rules.rounds import rounds

from .test_cli import EXAMPLES, example, lines, run, write


@pytest.fixture
def work(tmp_path: Path, examples_dir: Path) -> Path:
    for name in EXAMPLES:
        shutil.copy(examples_dir / f"{name}.json", tmp_path / f"{name}.json")
    return tmp_path


def test_check_auto_takes_the_round_of_each_examples_date(work: Path) -> None:
    files = []
    for r in rounds():
        for name in EXAMPLES:
            data = example(work, name)
            applied = inside(r)
            data["project"]["application_date"] = applied.isoformat()
            data["project"]["start_date"] = (applied + dt.timedelta(days=30)).isoformat()
            data["project"]["end_date"] = (applied + dt.timedelta(days=400)).isoformat()
            files.append(write(work, f"{name}-{r.year}.json", data))
    proc = run(work, "check", "--ruleset", "auto", "--format", "json", "--lang", "en", *files)
    rows = lines(proc.stdout)
    assert [row["ruleset"] for row in rows] == [r.ruleset_id for r in rounds()
                                                for _ in EXAMPLES]
    verdicts = {(row["file"], row["verdict"]) for row in rows}
    # 2020-2021 as before; from 2022 a version-1 example lacks the de-minimis answers.
    for r in rounds():
        expected = "eligible" if r.year < 2022 else "incomplete"
        assert (f"eligible-office-chair-{r.year}.json", expected) in verdicts
        assert (f"cost-share-over-70-{r.year}.json", "not_eligible") in verdicts
    for row in rows:
        ids = [f["criterion"] for f in row["findings"]]
        assert ("DE-MINIMIS" in ids) is (row["ruleset"] >= "sce-2022")


def test_check_text_names_the_round_its_unverified_values_and_that_no_round_is_open(
        work: Path) -> None:
    data = dated(base_data(), inside(ROUNDS[2022]), 2022)
    for language, words in (("en", ("Round: Circular chain projects, round 2022",
                                     "unverified values", "No round is open today")),
                            ("nl", ("Ronde: Circulaire ketenprojecten, ronde 2022",
                                    "niet-geverifieerde waarden",
                                    "Vandaag is geen ronde open"))):
        proc = run(work, "check", "--ruleset", "auto", "--lang", language,
                   write(work, "v2.json", data))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        for word in words:
            assert word in proc.stdout, (word, proc.stdout)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_verdicts_unverified_values_are_one_list_in_check_summary_and_report(
        work: Path, language: str) -> None:
    """``unverified_basis`` is what `check --format text`, the summary (the terminal's) and
    the report list: each value with its source, as in force on the application date."""
    from intake_assistant.i18n import translator
    from intake_assistant.reports.markdown import markdown_report, md
    from intake_assistant.reports.wording import summarize
    from intake_assistant.rules import evaluate
    from intake_assistant.rules.rounds import unverified_basis, verdict_basis_message

    name = write(work, "v2.json", dated(base_data(), inside(ROUNDS[2022]), 2022))
    draft = load_draft_file(str(work / name))
    report = evaluate(draft)
    tr = translator(language)
    values = tuple(tr.render(m) for m in unverified_basis(report, draft))
    assert len(values) == len(report.unverified()) > 0
    assert all(("source:" if language == "en" else "bron:") in v for v in values)
    proc = run(work, "check", "--lang", language, "--format", "text", name)
    assert "  " + tr.render(verdict_basis_message(values)) + "\n" in proc.stdout, proc.stdout
    assert summarize(report, draft, language).unverified_values == values
    report_text = markdown_report(report, draft, language)
    assert all(f"- {md(v)}\n" in report_text for v in values)


def test_a_draft_named_for_another_round_gets_a_warning_naming_the_right_one(
        work: Path) -> None:
    data = dated(base_data(), inside(ROUNDS[2023]), 2023)
    data["ruleset"] = "sce-2021"
    proc = run(work, "check", "--format", "json", "--lang", "en", write(work, "d.json", data))
    row = lines(proc.stdout)[0]
    assert row["ruleset"] == "sce-2021"
    window = next(f for f in row["findings"] if f["criterion"] == "APPLICATION-WINDOW")
    assert window["status"] == "warn" and "sce-2023" in window["message"]


def test_rulesets_lists_every_round_in_text_and_json(work: Path) -> None:
    proc = run(work, "rulesets", "--format", "json", "--lang", "en")
    rows = lines(proc.stdout)
    assert [row["ruleset"] for row in rows] == [r.ruleset_id for r in rounds()]
    by_id = {row["ruleset"]: row for row in rows}
    assert by_id["sce-2023"]["ceiling_verified"] is True
    assert by_id["sce-2024"]["ceiling_verified"] is False
    assert "opening_period" in {u["parameter"] for u in by_id["sce-2022"]["unverified"]}
    assert by_id["sce-2021"]["opening_period"]["first"] == ROUNDS[2021].first.isoformat()
    # The day each round's text entered into force, with where that is read (years.md).
    assert {row["ruleset"]: row["in_force"]["from"] for row in rows} == {
        "sce-2020": "2020-03-10", "sce-2021": "2021-01-01", "sce-2022": "2022-04-12",
        "sce-2023": "2023-01-01", "sce-2024": "2024-01-01"}
    assert "9667" in by_id["sce-2022"]["in_force"]["source"]
    text = run(work, "--lang", "nl", "rulesets").stdout
    for r in rounds():
        assert f"{r.ruleset_id}: Circulaire ketenprojecten, ronde {r.year}" in text
    assert "(gemeld, niet geverifieerd)" in text
    assert "geldend vanaf 12 apr 2022 (Stcrt. 2022, 9667" in text
    assert "in force from Apr 12, 2022 (Stcrt. 2022, 9667" in run(work, "--lang", "en",
                                                                   "rulesets").stdout
    # a parameter's key only beside its words: "de openstellingsperiode ... (opening_period)"
    assert "de openstellingsperiode voor aanvragen (opening_period)" in text
    assert ", opening_period" not in text and ": opening_period" not in text


def test_schema_version_2_has_the_new_answers_version_1_not(work: Path) -> None:
    v1 = json.loads(run(work, "schema", "--version", "1").stdout)
    v2 = json.loads(run(work, "schema", "--version", "2").stdout)
    assert v1["properties"]["format_version"]["const"] == 1
    assert v2["properties"]["format_version"]["const"] == 2
    for name in ("large_enterprise", "caribbean_netherlands", "de_minimis_received_eur",
                 "primary_production_kept_apart"):
        assert name in v2["$defs"]["Participant"]["properties"]
        assert name not in v1["$defs"]["Participant"]["properties"]
    assert "barriers_addressed" in v2["$defs"]["Project"]["properties"]
    assert "knowledge_sharing" in v2["$defs"]["CostCategory"]["enum"]
    assert "knowledge_sharing" not in v1["$defs"]["CostCategory"]["enum"]


def test_version_1_drafts_are_read_and_written_unchanged(examples_dir: Path) -> None:
    for path in sorted(examples_dir.glob("*.json")):
        original = json.loads(path.read_text(encoding="utf-8"))
        assert original["format_version"] == 1
        assert load_draft_file(str(path)).to_json_dict() == original


def test_a_version_1_file_with_a_version_2_answer_is_refused(tmp_path: Path) -> None:
    data = base_data()
    data["participants"][0]["large_enterprise"] = False
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DraftFileError) as caught:
        load_draft_file(str(path))
    assert [where for where, _ in caught.value.problems] == ["participants[0].large_enterprise"]


def test_version_2_is_written_only_when_a_version_2_answer_is_present(tmp_path: Path) -> None:
    data = base_data()
    data["format_version"] = 2  # but nothing of version 2 in it
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_draft_file(str(path)).to_json_dict()["format_version"] == 1
    data["participants"][0]["de_minimis_received_eur"] = 0
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_draft_file(str(path)).to_json_dict()["format_version"] == 2


def _v2_draft(year: int) -> dict[str, Any]:
    data = dated(base_data(), inside(ROUNDS[year]), year)
    data["ruleset"] = ROUNDS[year].ruleset_id
    for participant in data["participants"]:
        participant["large_enterprise"] = False
        participant["caribbean_netherlands"] = False
    return data


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("year", [2022, 2024])
def test_a_version_2_draft_replays_to_itself(tmp_path: Path, year: int, language: str) -> None:
    data = _v2_draft(year)
    source, out = tmp_path / "v2.json", tmp_path / "out.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert run_replay(str(source), language, str(out)) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == data


def test_a_caribbean_participant_without_kvk_replays(tmp_path: Path) -> None:
    data = _v2_draft(2022)
    data["participants"][3]["caribbean_netherlands"] = True
    del data["participants"][3]["kvk_number"]
    data["facilitator"]["ties"] = [t for t in data["facilitator"].get("ties") or []
                                   if t.get("participant_kvk") != "44444444"]
    source, out = tmp_path / "bes.json", tmp_path / "out.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert run_replay(str(source), "en", str(out)) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == data


@pytest.mark.parametrize("answers", [
    {"project": {"barriers_addressed": []}},  # none of the aspects: answered no
    {"participants": {1: {"sector": "fishery_aquaculture", "primary_production_kept_apart": True}}},
    {"participants": {2: {"sector": "primary_agriculture", "primary_production_kept_apart": False}}},
])
def test_the_2022_answers_of_issue_23_replay_to_themselves(tmp_path: Path,
                                                           answers: dict[str, Any]) -> None:
    data = _v2_draft(2022)
    data["project"].update(answers.get("project", {}))
    for index, changes in answers.get("participants", {}).items():
        data["participants"][index].update(changes)
    source, out = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert run_replay(str(source), "en", str(out)) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == data
