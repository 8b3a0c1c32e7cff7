"""Draft files that are too deep, too large, hold absurd numbers or are not UTF-8 (issue 11, 8).

Each is one clear line for that file, naming the limit or the JSON path (exit 2); the other
files of the batch are checked as usual. Run as a user does: the CLI in a subprocess.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_assistant.loading import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    DraftFileError,
    nesting_depth,
    parse_draft_text,
    read_text,
    within_depth,
)
from intake_assistant.models import MAX_EUROS, MAX_HOURS, MAX_PARTICIPANTS

from .helpers import ELIGIBLE, eligible, json_lines, run, write


def _bad_files(tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    """name -> (file, English words of its error line, Dutch words)."""
    big_int = json.dumps(eligible()).replace('"own_hours": 240', '"own_hours": ' + "9" * 5000)
    assert "9" * 5000 in big_int
    huge = json.dumps(eligible()) + " " * MAX_FILE_BYTES  # valid JSON, but too large
    return {
        "deep-list": (write(tmp_path, "deep-list.json", "[" * 100_000 + "]" * 100_000),
                      f"nested too deeply: at most {MAX_DEPTH} levels",
                      f"te diep genest: hooguit {MAX_DEPTH} niveaus"),
        "deep-in-field": (write(tmp_path, "deep-in-field.json", json.dumps(eligible())[:-1]
                                + ', "x": ' + "{\"a\": " * 5000 + "1" + "}" * 5000 + "}"),
                          "nested too deeply", "te diep genest"),
        "too-large": (write(tmp_path, "too-large.json", huge),
                      "larger than 5 MB", "groter dan 5 MB"),
        "big-int": (write(tmp_path, "big-int.json", big_int),
                    "more than 40 digits", "meer dan 40 cijfers"),
        "nan": (write(tmp_path, "nan.json", json.dumps(eligible()).replace(
            '"own_hours": 240', '"own_hours": NaN')), "NaN is not a JSON number",
                "NaN is geen JSON-getal"),
        "latin1": (write(tmp_path, "latin1.json", json.dumps(eligible(), ensure_ascii=False)
                         .replace("Kringloop", "Kr\u00efngloop").encode("latin-1", "replace")),
                   "not a text file in UTF-8", "geen tekstbestand in UTF-8"),
        "binary": (write(tmp_path, "binary.json", bytes(range(256)) * 4),
                   "(top level)", "(hoofdniveau)"),
    }


@pytest.mark.parametrize("language", ["en", "nl"])
def test_each_bad_file_is_one_line_and_the_batch_goes_on(tmp_path: Path, language: str) -> None:
    bad = _bad_files(tmp_path)
    files = [file for file, _en, _nl in bad.values()]
    proc = run(tmp_path, "check", "--lang", language, "--format", "json", *files, str(ELIGIBLE))
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == len(files), proc.stderr
    for error, (file, english, dutch) in zip(errors, bad.values(), strict=True):
        assert error.startswith(f"{file}: "), error
        assert (english if language == "en" else dutch) in error, error
        assert "RecursionError" not in error and "Exceeds the limit" not in error
    assert [r["verdict"] for r in json_lines(proc.stdout)] == ["eligible"]


def test_replay_of_a_deep_file_is_one_line(tmp_path: Path) -> None:
    file = write(tmp_path, "deep.json", "{\"a\": " * 3000 + "1" + "}" * 3000)
    proc = run(tmp_path, "replay", file, "--lang", "en")
    assert proc.returncode == 2
    assert proc.stderr == f"deep.json: (top level): nested too deeply: at most {MAX_DEPTH} " \
                          "levels of objects and lists\n"


@pytest.mark.parametrize(("path", "value", "words"), [
    ("own_hours", 1e308, f"participants[0].own_hours: must be {MAX_HOURS:,} or less"),
    ("staff_units", 1e25, "participants[0].staff_units: must be 1,000,000 or less"),
    ("annual_turnover_eur", 1e25,
     f"participants[0].annual_turnover_eur: must be {MAX_EUROS:,} or less"),
    ("own_hours", 1e400, "participants[0].own_hours: must be a finite number"),
])
def test_absurd_figures_are_refused_by_their_path(tmp_path: Path, path: str, value: float,
                                                    words: str) -> None:
    data = eligible()
    data["participants"][0][path] = value
    text = json.dumps(data).replace("Infinity", "1e400")
    proc = run(tmp_path, "check", "--lang", "en", write(tmp_path, "absurd.json", text),
               str(ELIGIBLE))
    assert proc.returncode == 2
    assert proc.stderr == f"absurd.json: {words}\n"
    assert proc.stdout.count(": Eligible (pre-check") == 1  # the example, checked as usual


def test_absurd_figures_everywhere_in_dutch(tmp_path: Path) -> None:
    data = eligible()
    data["participants"][1]["cost_lines"][0]["amount_eur"] = 1e300
    data["project"]["co2_reduction"]["tonnes_per_year"] = 1e25
    data["project"]["raw_material_savings"]["quantity"] = -1e25
    data["facilitator"]["experience_years"] = 1e25
    proc = run(tmp_path, "check", "--lang", "nl", write(tmp_path, "absurd.json", data))
    assert proc.returncode == 2
    error = proc.stderr.strip()
    for words in ("participants[1].cost_lines[0].amount_eur: moet 1.000.000.000.000 of minder zijn",
                  "project.co2_reduction.tonnes_per_year: moet 1.000.000.000 of minder zijn",
                  "project.raw_material_savings.quantity: moet -1.000.000.000.000 of meer zijn",
                  "facilitator.experience_years: moet 100 of minder zijn"):
        assert words in error, error


def test_figures_at_the_bounds_are_checked_and_finite(tmp_path: Path) -> None:
    data = eligible()
    for participant in data["participants"]:
        participant["own_hours"] = MAX_HOURS
        participant["cost_lines"] = [{"description": "x", "category": "materials",
                                      "amount_eur": MAX_EUROS}] * 20
    proc = run(tmp_path, "check", "--format", "json", write(tmp_path, "max.json", data))
    assert proc.returncode == 0, proc.stderr  # absurd but within the bounds: equal shares
    (line,) = json_lines(proc.stdout)
    for row in line["subsidy"]["participants"]:
        assert row["eligible_costs_eur"] == MAX_HOURS * 60 + 20 * MAX_EUROS
    text = run(tmp_path, "check", "--lang", "en", "max.json")
    assert "€20,000,060,000,000.00" in text.stdout


def test_a_draft_of_100_participants_is_checked_and_1001_are_refused(tmp_path: Path) -> None:
    data = eligible()
    base = data["participants"]
    data["participants"] = [dict(base[i % 4], name=f"P{i}", kvk_number=f"{10_000_000 + i}",
                                 is_lead_applicant=i == 0) for i in range(100)]
    many = write(tmp_path, "many.json", data)
    data["participants"] = data["participants"] * 11
    too_many = write(tmp_path, "too-many.json", data)
    proc = run(tmp_path, "check", "--lang", "en", "--format", "json", many, too_many)
    assert proc.returncode == 2
    assert proc.stderr == (f"too-many.json: participants: holds too many items (at most "
                           f"{MAX_PARTICIPANTS:,})\n")
    (line,) = json_lines(proc.stdout)
    assert line["file"] == "many.json" and len(line["subsidy"]["participants"]) == 100


def test_error_lines_name_at_most_20_problems(tmp_path: Path) -> None:
    data = eligible()
    data["participants"] = [{"kvk_number": "x"}] * 30
    proc = run(tmp_path, "check", "--lang", "en", write(tmp_path, "bad.json", data))
    assert proc.returncode == 2
    (error,) = proc.stderr.splitlines()
    assert error.count("a KvK number has exactly 8 digits") == 20
    assert error.endswith("; and 10 more problems")


def test_the_schema_documents_the_bounds(tmp_path: Path) -> None:
    proc = run(tmp_path, "schema")
    schema = json.loads(proc.stdout)
    participant = schema["$defs"]["Participant"]["properties"]
    hours = participant["own_hours"]["anyOf"][0]
    assert hours["maximum"] == MAX_HOURS and "at most 1,000,000" in hours["description"]
    assert participant["cost_lines"]["anyOf"][0]["maxItems"] == 1_000
    assert schema["properties"]["participants"]["anyOf"][0]["maxItems"] == MAX_PARTICIPANTS


# -- in process: the limits themselves ---------------------------------------------------------


def test_nesting_depth_ignores_brackets_in_strings() -> None:
    assert nesting_depth('{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert nesting_depth('"\\"[[["') == 0
    assert nesting_depth("12") == 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='[]{}"\\a,:1 ', max_size=80), st.integers(0, 12))
def test_the_quick_depth_bound_agrees_with_the_count(text: str, depth: int) -> None:
    """Issue 23: counting the openings first skips the two passes, never the limit."""
    assert within_depth(text, depth) == (nesting_depth(text) <= depth)


def test_a_file_is_read_whole_and_at_most_one_byte_past_the_limit(tmp_path: Path) -> None:
    def path(name: str, data: bytes) -> str:
        return str(tmp_path / write(tmp_path, name, data))

    assert read_text(path("small.json", b"{}" * 10)) == b"{}" * 10
    assert len(read_text(path("at.json", b" " * MAX_FILE_BYTES))) == MAX_FILE_BYTES
    with pytest.raises(DraftFileError):
        read_text(path("over.json", b" " * (MAX_FILE_BYTES + 10)))


def test_depth_at_the_limit_is_parsed_and_beyond_it_refused() -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    with pytest.raises(DraftFileError) as exc:  # a list, not a draft: the depth passed
        parse_draft_text(ok, "ok.json")
    assert "a draft is a JSON object" in exc.value.problems[0][1].msgid
    deeper = "[" + ok + "]"
    with pytest.raises(DraftFileError) as exc:
        parse_draft_text(deeper, "deep.json")
    assert exc.value.problems[0][1].msgid.startswith("nested too deeply")


def test_the_byte_order_mark_of_an_editor_is_accepted(tmp_path: Path) -> None:
    file = write(tmp_path, "bom.json", b"\xef\xbb\xbf" + ELIGIBLE.read_bytes())
    proc = run(tmp_path, "check", "--format", "json", file)
    assert proc.returncode == 0, proc.stderr


def test_utf16_drafts_are_read(tmp_path: Path) -> None:
    file = write(tmp_path, "utf16.json", ELIGIBLE.read_text(encoding="utf-8").encode("utf-16"))
    proc = run(tmp_path, "check", "--format", "json", file)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("version", ["true", "1.0", '"1"', "1e0"])
def test_only_the_integer_1_is_format_version_1(tmp_path: Path, version: str) -> None:
    text = ELIGIBLE.read_text(encoding="utf-8").replace('"format_version": 1',
                                                        f'"format_version": {version}')
    proc = run(tmp_path, "check", "--lang", "en", write(tmp_path, "v.json", text))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"v.json: format_version: version {json.dumps(json.loads(version))} "
                                  "is not known; this program reads version 1")


@pytest.mark.parametrize(("amount", "refused"), [
    ("12.34", False), ("6000", False), ("6000.0", False), ("1e3", False), ("2.5e-1", False),
    ("12.345", True), ("0.001", True), ("1.5e-5", True), ("99999999.999", True),
])
def test_money_with_more_than_whole_cents_is_refused_by_its_path(amount: str,
                                                                 refused: bool) -> None:
    text = json.dumps(eligible()).replace('"amount_eur": 4000', '"amount_eur": ' + amount, 1)
    assert amount in text
    if not refused:
        parse_draft_text(text, "d.json")
        return
    with pytest.raises(DraftFileError) as caught:
        parse_draft_text(text, "d.json")
    assert caught.value.problems[0][0] == "participants[0].cost_lines[0].amount_eur"
    assert caught.value.problems[0][1].msgid == "money has whole cents at most"
