"""``intake-assistant check`` and ``schema`` end to end, in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from intake_assistant.models import DraftApplication, json_schema

from .helpers import CRITERION_IDS, EXAMPLES_DIR, PER_PARTICIPANT, plain

EXAMPLES = ["eligible-office-chair", "cost-share-over-70", "incomplete-no-facilitator-no-co2"]
LINE_KEYS = {"file", "ruleset", "verdict", "findings", "subsidy"}
FINDING_KEYS = ["criterion", "status", "article", "participant", "message"]


def run(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"INTAKE_ASSISTANT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}}
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run([sys.executable, "-m", "intake_assistant", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout
    return proc


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def work(tmp_path: Path, examples_dir: Path) -> Path:
    """tmp_path holding copies of the examples, so that file names are short and relative."""
    for name in EXAMPLES:
        shutil.copy(examples_dir / f"{name}.json", tmp_path / f"{name}.json")
    return tmp_path


def write(folder: Path, name: str, data: Any) -> str:
    (folder / name).write_text(data if isinstance(data, str) else json.dumps(data),
                               encoding="utf-8")
    return name


def example(work: Path, name: str = "eligible-office-chair") -> dict[str, Any]:
    return json.loads((work / f"{name}.json").read_text(encoding="utf-8"))


# -- JSON Lines --------------------------------------------------------------------------------


def test_json_lines_for_the_three_examples(work: Path) -> None:
    proc = run(work, "check", "--format", "json", *(f"{n}.json" for n in EXAMPLES))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    rows = lines(proc.stdout)
    assert [r["file"] for r in rows] == [f"{n}.json" for n in EXAMPLES]
    assert [r["verdict"] for r in rows] == ["eligible", "not_eligible", "incomplete"]
    for row in rows:
        assert set(row) == LINE_KEYS
        assert row["ruleset"] == "sce-2020"
        assert list(dict.fromkeys(f["criterion"] for f in row["findings"])) == CRITERION_IDS
        for f in row["findings"]:
            # Issue 14 adds one optional key, the hint, after the spec's keys; issue 23 the
            # basis, last (every finding has one).
            assert list(f) in ([*FINDING_KEYS, "basis"], [*FINDING_KEYS, "hint", "basis"])
            assert f["status"] in {"pass", "fail", "warn", "unknown", "info"}
            assert isinstance(f["message"], str) and f["message"]
            if f["criterion"] in PER_PARTICIPANT:
                assert f["participant"] in {"11111111", "22222222", "33333333", "44444444"}
            else:
                assert f["participant"] is None
        assert set(row["subsidy"]) == {"hourly_rate_eur", "participants", "total_eur"}
        for p in row["subsidy"]["participants"]:
            assert set(p) == {"kvk_number", "eligible_costs_eur", "excluded_costs_eur",
                              "cost_share", "subsidy_eur"}
    first = rows[0]["subsidy"]
    assert first["total_eur"] == 41_700
    assert [p["subsidy_eur"] for p in first["participants"]] == [9200, 11000, 16000, 5500]
    assert first["hourly_rate_eur"] == 60
    fails = [f["criterion"] for f in rows[1]["findings"] if f["status"] == "fail"]
    assert fails == ["COST-SHARE-70"]
    unknown = {f["criterion"] for f in rows[2]["findings"] if f["status"] == "unknown"}
    assert unknown == {"FACILITATOR-APPOINTED", "FACILITATOR-INDEPENDENT",
                       "FACILITATOR-EXPERIENCE", "FACILITATOR-MARKET-RATE", "RESOURCE-CO2"}


def _subsidy_message(row: dict[str, Any]) -> str:
    return next(f["message"] for f in row["findings"] if f["criterion"] == "SUBSIDY-AMOUNT")


def test_language_default_is_the_drafts_own(work: Path) -> None:
    english = example(work)
    english["language"] = "en"
    write(work, "english.json", english)
    proc = run(work, "check", "--format", "json", "eligible-office-chair.json", "english.json")
    nl, en = lines(proc.stdout)
    assert "€ 20.000,00" in plain(_subsidy_message(nl))
    assert "€20,000.00" in _subsidy_message(en)


@pytest.mark.parametrize(("args", "money"), [
    (["check", "--lang", "en"], "€20,000.00"),
    (["check", "--lang", "nl"], "€ 20.000,00"),
    (["--lang", "en", "check"], "€20,000.00"),
])
def test_lang_option_overrides_the_draft(work: Path, args: list[str], money: str) -> None:
    english = example(work)
    english["language"] = "en"
    write(work, "english.json", english)
    proc = run(work, *args, "--format", "json", "eligible-office-chair.json", "english.json")
    assert proc.returncode == 0, proc.stderr
    for row in lines(proc.stdout):
        assert money in plain(_subsidy_message(row))


def test_nl_and_en_messages_differ(work: Path) -> None:
    en = lines(run(work, "check", "--format", "json", "--lang", "en",
                   "incomplete-no-facilitator-no-co2.json").stdout)[0]
    nl = lines(run(work, "check", "--format", "json", "--lang", "nl",
                   "incomplete-no-facilitator-no-co2.json").stdout)[0]
    assert [f["criterion"] for f in en["findings"]] == [f["criterion"] for f in nl["findings"]]
    assert [f["status"] for f in en["findings"]] == [f["status"] for f in nl["findings"]]
    assert _subsidy_message(en) != _subsidy_message(nl)


# -- text --------------------------------------------------------------------------------------


def test_text_output(work: Path) -> None:
    proc = run(work, "check", "--lang", "en", *(f"{n}.json" for n in EXAMPLES))
    assert proc.returncode == 1
    out = proc.stdout
    assert "eligible-office-chair.json: Eligible (pre-check; RVO decides) - ruleset sce-2020" in out
    assert "cost-share-over-70.json: Not eligible" in out
    assert "incomplete-no-facilitator-no-co2.json: Incomplete" in out
    assert "COST-SHARE-70" in out and "RESOURCE-CO2" in out
    assert "Total subsidy: €41,700.00" in out
    # Warnings are shown, passes only named.
    assert "WARN" in out and "APPLICATION-WINDOW" in out


def test_text_output_default_language_is_dutch_draft(work: Path) -> None:
    proc = run(work, "check", "eligible-office-chair.json")
    assert proc.returncode == 0, proc.stderr
    assert "€ 41.700,00" in plain(proc.stdout)
    assert "€41,700.00" not in proc.stdout


# -- exit status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("names", "code"), [
    (["eligible-office-chair"], 0),
    (["eligible-office-chair", "eligible-office-chair"], 0),
    (["cost-share-over-70"], 1),
    (["incomplete-no-facilitator-no-co2"], 1),
    (["eligible-office-chair", "incomplete-no-facilitator-no-co2"], 1),
])
def test_exit_status(work: Path, names: list[str], code: int) -> None:
    for fmt in ("text", "json"):
        proc = run(work, "check", "--format", fmt, *(f"{n}.json" for n in names))
        assert proc.returncode == code, proc.stderr
        assert proc.stderr == ""


def _bad_files(work: Path) -> dict[str, tuple[str, str]]:
    """name -> (file written, JSON path the error line must name)."""
    version2 = example(work)
    version2["format_version"] = 3  # issue 12: version 2 is known now; 3 is not
    typo = example(work)
    typo["project"]["titel"] = typo["project"].pop("title")
    bad_kvk = example(work)
    bad_kvk["participants"][2]["kvk_number"] = "1234567"
    return {
        "not-json": (write(work, "not-json.json", "{ this is not json"),
                     "(top level): not valid JSON (line 1, column 3)"),
        "not-a-draft": (write(work, "not-a-draft.json", {"name": "shopping list"}), "format"),
        "version-2": (write(work, "version-2.json", version2), "format_version"),
        "missing": ("does-not-exist.json", "(top level): the file does not exist"),
        "unknown-key": (write(work, "unknown-key.json", typo), "project.titel"),
        "bad-kvk": (write(work, "bad-kvk.json", bad_kvk), "participants[2].kvk_number"),
        "array": (write(work, "array.json", "[1, 2]"), "(top level)"),
    }


@pytest.mark.parametrize("bad", ["not-json", "not-a-draft", "version-2", "missing",
                                 "unknown-key", "bad-kvk", "array"])
def test_invalid_file_exit_2_others_still_checked(work: Path, bad: str) -> None:
    file, path = _bad_files(work)[bad]
    proc = run(work, "check", "--lang", "en", "--format", "json", "eligible-office-chair.json",
               file, "cost-share-over-70.json")
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith(f"{file}: ")
    assert path in errors[0]
    rows = lines(proc.stdout)
    assert [r["file"] for r in rows] == ["eligible-office-chair.json", "cost-share-over-70.json"]


def test_all_bad_files_one_line_each(work: Path) -> None:
    bad = _bad_files(work)
    files = [file for file, _ in bad.values()]
    proc = run(work, "check", "--format", "json", "--lang", "en", *files,
               "eligible-office-chair.json")
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == len(files)
    for error, (file, path) in zip(errors, bad.values(), strict=True):
        assert error.startswith(f"{file}: ") and path in error
    assert [r["file"] for r in lines(proc.stdout)] == ["eligible-office-chair.json"]


def test_error_lines_follow_the_language(work: Path) -> None:
    nl = run(work, "check", "--lang", "nl", "does-not-exist.json")
    en = run(work, "check", "--lang", "en", "does-not-exist.json")
    assert nl.returncode == en.returncode == 2
    assert nl.stderr.startswith("does-not-exist.json: ")
    assert en.stderr == "does-not-exist.json: (top level): the file does not exist\n"
    assert nl.stderr != en.stderr


def test_several_problems_of_one_file_on_one_line(work: Path) -> None:
    data = example(work)
    data["project"]["titel"] = "x"
    data["participants"][0]["kvk_number"] = "abc"
    data["participants"][1]["own_hours"] = -1
    proc = run(work, "check", write(work, "many.json", data))
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == 1
    for path in ("project.titel", "participants[0].kvk_number", "participants[1].own_hours"):
        assert path in errors[0]


def test_unknown_ruleset_option(work: Path) -> None:
    proc = run(work, "check", "--ruleset", "nope", "eligible-office-chair.json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    errors = proc.stderr.splitlines()
    assert len(errors) == 1 and "nope" in errors[0] and "sce-2020" in errors[0]


def test_unknown_ruleset_in_file(work: Path) -> None:
    data = example(work)
    data["ruleset"] = "sce-1999"
    proc = run(work, "check", "--format", "json", write(work, "old.json", data),
               "eligible-office-chair.json")
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == 1
    assert errors[0].startswith("old.json: ruleset") and "sce-1999" in errors[0]
    assert [r["file"] for r in lines(proc.stdout)] == ["eligible-office-chair.json"]


def test_ruleset_option_overrides_the_drafts(work: Path) -> None:
    data = example(work)
    data["ruleset"] = "sce-1999"
    proc = run(work, "check", "--format", "json", "--ruleset", "sce-2020",
               write(work, "old.json", data))
    assert proc.returncode == 0, proc.stderr
    assert lines(proc.stdout)[0]["ruleset"] == "sce-2020"


@pytest.mark.parametrize("args", [["check"], ["check", "--format", "xml", "x.json"],
                                  ["check", "--lang", "de", "x.json"]])
def test_usage_errors_exit_2(work: Path, args: list[str]) -> None:
    proc = run(work, *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip()


# -- stdin and many files ----------------------------------------------------------------------


def test_stdin(work: Path) -> None:
    text = (work / "cost-share-over-70.json").read_text(encoding="utf-8")
    proc = run(work, "check", "--format", "json", "-", "eligible-office-chair.json", stdin=text)
    assert proc.returncode == 1
    rows = lines(proc.stdout)
    assert [(r["file"], r["verdict"]) for r in rows] == [
        ("-", "not_eligible"), ("eligible-office-chair.json", "eligible")]


def test_stdin_not_json(work: Path) -> None:
    proc = run(work, "check", "-", stdin="nonsense")
    assert proc.returncode == 2
    assert proc.stderr.startswith("-: ")
    assert len(proc.stderr.splitlines()) == 1


def test_many_files(work: Path) -> None:
    names = []
    for i in range(15):
        data = example(work, EXAMPLES[i % 3])
        names.append(write(work, f"draft-{i:02d}.json", data))
    proc = run(work, "check", "--format", "json", *names)
    assert proc.returncode == 1
    rows = lines(proc.stdout)
    assert [r["file"] for r in rows] == names
    assert [r["verdict"] for r in rows] == ["eligible", "not_eligible", "incomplete"] * 5


def test_subdirectory_path_kept_as_given(work: Path) -> None:
    (work / "drafts").mkdir()
    shutil.copy(work / "eligible-office-chair.json", work / "drafts" / "acme.json")
    rows = lines(run(work, "check", "--format", "json", "drafts/acme.json").stdout)
    assert rows[0]["file"] == "drafts/acme.json"


# -- schema and imports ------------------------------------------------------------------------


def test_schema_accepts_every_example(work: Path, examples_dir: Path) -> None:
    proc = run(work, "schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    # Issue 12: the model holds format 2 too; `schema` (version 1) leaves its answers out.
    assert schema == json.loads(json.dumps(json_schema(1)))
    assert "large_enterprise" not in proc.stdout and "large_enterprise" in json.dumps(json_schema(2))
    assert schema["additionalProperties"] is False
    examples = sorted(examples_dir.glob("*.json"))
    assert examples
    try:
        import jsonschema  # only when already installed
    except ImportError:
        jsonschema = None
    for path in examples:
        data = json.loads(path.read_text(encoding="utf-8"))
        if jsonschema is not None:
            jsonschema.validate(data, schema)
        DraftApplication.model_validate(data)  # the models are the schema's source of truth
        # Every key the example uses is a property of the schema.
        assert set(data) <= set(schema["properties"])
        defs = schema["$defs"]
        assert set(data["project"]) <= set(defs["Project"]["properties"])
        for p in data["participants"]:
            assert set(p) <= set(defs["Participant"]["properties"])
        if data.get("facilitator"):
            assert set(data["facilitator"]) <= set(defs["Facilitator"]["properties"])


def test_check_imports_no_ui_libraries(work: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "intake_assistant", "check",
         "eligible-office-chair.json"], cwd=work, capture_output=True, text=True, timeout=120,
        check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = [line for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert len(imported) > 50  # importtime did report
    for line in imported:
        module = line.rsplit("|", 1)[-1].strip()
        for banned in ("textual", "yaml", "transitions"):
            assert banned not in module, line


def test_far_future_dates_do_not_stop_check(work: Path) -> None:
    data = example(work)
    data["project"].update(application_date="9999-07-01", start_date="9999-07-01",
                           end_date="9999-12-31")
    proc = run(work, "check", "--format", "json", write(work, "far.json", data),
               "eligible-office-chair.json")
    assert [r["file"] for r in lines(proc.stdout)] == ["far.json", "eligible-office-chair.json"]


def test_large_whole_cent_amounts_are_accepted(work: Path) -> None:
    data = example(work)
    data["participants"][3]["annual_turnover_eur"] = 1178936484.86
    proc = run(work, "check", "--format", "json", write(work, "big.json", data))
    assert proc.stderr == ""
    assert lines(proc.stdout)[0]["verdict"] == "eligible"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_check_shows_the_hints(work: Path, language: str) -> None:
    """Issue 14: the optional ``hint`` of a finding in JSON, and a hint line in text."""
    from .test_hints import EXPECTED_HINTS

    expected = EXPECTED_HINTS["cost-share-over-70"]
    proc = run(work, "check", "cost-share-over-70.json", "--format", "json", "--lang", language)
    (row,) = lines(proc.stdout)
    hints = {(f["criterion"], f["participant"]): f["hint"] for f in row["findings"] if "hint" in f}
    assert set(hints) == set(expected)
    for key, texts in expected.items():
        assert hints[key]["message"].replace("\xa0", " ") == texts[language]
    move, add = hints[("COST-SHARE-70", None)]["options"]
    assert move == [{"change": "move_costs", "from_participant": 0,
                     "to": [{"participant": 3, "amount_eur": 700.0}]}]
    assert add == [{"change": "add_costs", "to": [{"participant": 3, "amount_eur": 1000.0}]}]
    assert hints[("SUBSIDY-AMOUNT", None)]["options"] == []
    text = run(work, "check", "cost-share-over-70.json", "--lang", language).stdout
    label = {"en": "Hint: ", "nl": "Tip: "}[language]
    for texts in expected.values():
        assert label + texts[language] in text.replace("\xa0", " ")


def test_standard_input_named_twice_is_read_once_and_said(tmp_path: Path) -> None:
    text = (EXAMPLES_DIR / "eligible-office-chair.json").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "intake_assistant", "check", "--lang", "en",
                           "--format", "json", "-", "-"], input=text, capture_output=True,
                          text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 1
    assert "standard input was already read" in done.stderr


@pytest.mark.parametrize("argv", [
    ["check", "--help"], ["check"], ["--lang", "xx", "check", "a.json"],
    ["--la=en", "check", "--format", "yaml", "a.json"], ["check", "--bogus", "a.json"],
    ["--data-dir", "d", "check", "--ruleset"],
])
def test_a_check_parsed_without_the_other_commands_says_what_the_whole_parser_says(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # A check builds its command alone (a faster start): its help and usage errors must not
    # differ from the whole parser's.
    from intake_assistant.cli import build_parser, command_of

    assert command_of(argv) == "check"
    said = []
    for parser in (build_parser(), build_parser("check")):
        with pytest.raises(SystemExit) as stop:
            parser.parse_args(argv)
        said.append((stop.value.code, capsys.readouterr()))
    assert said[0] == said[1]


@pytest.mark.parametrize("argv", [["--help"], ["-h", "check"], ["list"], ["--bogus", "check"],
                                  ["--data-dir", "check", "list"], []])
def test_only_a_certain_check_is_parsed_without_the_other_commands(argv: list[str]) -> None:
    from intake_assistant.cli import command_of

    assert command_of(argv) is None


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_json_lines_are_utf8_whatever_the_terminals_encoding(work: Path, encoding: str) -> None:
    """JSON is exchanged in UTF-8 (RFC 8259): a terminal set to another encoding gets the same
    bytes, its euro signs whole, not a crash or a replacement character."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"INTAKE_ASSISTANT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}}
    utf8 = subprocess.run([sys.executable, "-m", "intake_assistant", "check", "--format", "json",
                           "--lang", "nl", str(EXAMPLES_DIR / "eligible-office-chair.json")],
                          cwd=work, env={**env, "PYTHONIOENCODING": "utf-8"},
                          capture_output=True, timeout=120, check=False)
    other = subprocess.run([sys.executable, "-m", "intake_assistant", "check", "--format", "json",
                            "--lang", "nl", str(EXAMPLES_DIR / "eligible-office-chair.json")],
                           cwd=work, env={**env, "PYTHONIOENCODING": encoding},
                           capture_output=True, timeout=120, check=False)
    assert b"Traceback" not in other.stderr, other.stderr
    assert other.returncode == utf8.returncode == 0
    assert other.stdout == utf8.stdout
    (row,) = lines(other.stdout.decode("utf-8"))
    assert any("€" in finding["message"] for finding in row["findings"])


@pytest.mark.parametrize(("language", "words"), [
    ("en", "cannot be written in this terminal's encoding (latin-1): it has no U+20AC"),
    ("nl", "kan niet worden geschreven in de codering van deze terminal (latin-1): die kent "
           "geen U+20AC"),
])
def test_a_terminal_without_the_euro_sign_is_told_what_to_do_not_to_report_a_defect(
        work: Path, language: str, words: str) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"INTAKE_ASSISTANT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}}
    proc = subprocess.run([sys.executable, "-m", "intake_assistant", "check", "--lang", language,
                           str(EXAMPLES_DIR / "eligible-office-chair.json")],
                          cwd=work, env={**env, "PYTHONIOENCODING": "latin-1"},
                          capture_output=True, timeout=120, check=False)
    stderr = proc.stderr.decode("latin-1")
    assert proc.returncode == 2
    assert words in stderr and "--format json" in stderr, stderr
    assert "Traceback" not in stderr and "report" not in stderr and "meld" not in stderr
