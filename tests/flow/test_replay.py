from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_assistant.flow.commands import replay, run_replay
from intake_assistant.flow.session import IntakeSession
from intake_assistant.rules import evaluate

from .helpers import EXAMPLES, load_example


def test_the_examples_are_there() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_replay_round_trip(example: Path, language: str) -> None:
    draft = load_example(example)
    session, refused, message = replay(draft, language)
    assert refused is None, message
    assert session.draft == draft
    assert session.draft.to_json_dict() == json.loads(example.read_text(encoding="utf-8"))
    assert evaluate(session.draft).verdict == evaluate(draft).verdict


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_import_round_trip(example: Path) -> None:
    draft = load_example(example)
    session = IntakeSession.from_draft(draft, "en")
    assert session.draft == draft
    assert session.set_aside() == []


def test_replay_command_prints_each_question_and_writes_the_draft(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = next(p for p in EXAMPLES if p.stem == "eligible-office-chair")
    out = tmp_path / "out.json"
    assert run_replay(str(example), "nl", str(out)) == 0
    printed = capsys.readouterr().out
    assert "[participant_turnover[0]] Wat was de jaaromzet van Kringloop Kunststof B.V.?" in printed
    assert "    1.800.000\n" in printed
    assert "    02-06-2020\n" in printed
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(example.read_text())
    assert run_replay(str(example), "en", None) == 0
    printed = capsys.readouterr().out
    assert "    1,800,000\n" in printed and "    2020-06-02\n" in printed


def test_replay_stops_at_the_first_refused_answer(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two partners is an answer the rules judge (issue 10); more than the intake takes is not.
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["participants"] = data["participants"] * 6
    path = tmp_path / "many.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run_replay(str(path), "en", str(tmp_path / "out.json")) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == (
        "The flow refused the answer to How many SMEs take part in the chain partnership? "
        "(participant_count): Give a number from 1 to 20; the pre-check says whether the "
        "partnership size meets the rules.")
    assert not (tmp_path / "out.json").exists()


def test_replay_of_an_invalid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    assert run_replay(str(path), "en", None) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.json" in err and "Traceback" not in err
    assert run_replay(str(tmp_path / "missing.json"), "nl", None) == 2


def test_replay_keeps_the_draft_language(tmp_path: Path) -> None:
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["language"] = "en"
    path = tmp_path / "en.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out.json"
    assert run_replay(str(path), "nl", str(out)) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["language"] == "en"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_check_accepts_the_draft_of_a_headless_intake(
        language: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from intake_assistant.cli import main

    from .helpers import complete

    session = IntakeSession.new(language)
    complete(session)
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(session.draft.to_json_dict()), encoding="utf-8")
    assert main(["check", str(path), "--format", "json"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["verdict"] == "eligible"
    out = tmp_path / "replayed.json"
    assert main(["replay", str(path), "--lang", language, "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(path.read_text())
