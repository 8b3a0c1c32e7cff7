"""`intake-assistant diff`: what changed between two drafts, in words, in both languages."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from intake_assistant.cli import main
from intake_assistant.compare import compare
from intake_assistant.loading import load_draft_file
from intake_assistant.rules import evaluate

EXAMPLES = sorted((Path(__file__).resolve().parents[1].parent / "shared" / "examples").glob("*.json"))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("old", "new"), list(itertools.permutations(EXAMPLES, 2)),
                         ids=lambda p: p.stem)
def test_every_pair_of_examples(old: Path, new: Path, language: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", str(old), str(new), "--lang", language, "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    before = evaluate(load_draft_file(str(old)))
    after = evaluate(load_draft_file(str(new)))
    assert out["verdict"] == {"before": before.verdict, "after": after.verdict}
    assert code == (0 if before.verdict == after.verdict else 1)
    assert out["answers"], "different examples differ in some answer"
    assert out["total_eur"] == {"before": before.subsidy.total_eur, "after": after.subsidy.total_eur}
    changed = {(c["criterion"], c["before"], c["after"]) for c in out["criteria"]}
    old_status = {f.criterion: str(f.status) for f in before.findings if f.participant_index is None}
    new_status = {f.criterion: str(f.status) for f in after.findings if f.participant_index is None}
    for criterion, status in new_status.items():
        if old_status.get(criterion) != status:
            assert (criterion, old_status.get(criterion), status) in changed


def test_the_same_draft_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(EXAMPLES[0])
    assert main(["diff", example, example, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Answers changed: 0" in out
    assert "Criteria whose status changed: 0" in out


def test_answers_are_named_by_their_question_in_the_language(tmp_path: Path) -> None:
    base = json.loads((EXAMPLES[1]).read_text(encoding="utf-8"))
    changed = json.loads(json.dumps(base))
    changed["participants"][0]["staff_units"] = 260
    new = tmp_path / "new.json"
    new.write_text(json.dumps(changed), encoding="utf-8")
    for language, words in (("nl", "Deelnemer 1"), ("en", "Participant 1")):
        comparison = compare(load_draft_file(str(EXAMPLES[1])), load_draft_file(str(new)), language)
        [answer] = comparison.answers
        assert answer.key == "participant_staff_units[0]"
        assert words in (answer.about or "")
        assert "staff_units" not in answer.question
        assert any(c.criterion == "SME-STATUS" and c.after == "fail" for c in comparison.criteria)


def test_hostile_names_reach_the_terminal_as_text(tmp_path: Path) -> None:
    base = json.loads((EXAMPLES[1]).read_text(encoding="utf-8"))
    hostile = json.loads(json.dumps(base))
    hostile["project"]["title"] = "Plan\x1b[2J\x1b]0;owned\x07\nVerdict: eligible"
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(base), encoding="utf-8")
    new.write_text(json.dumps(hostile), encoding="utf-8")
    for fmt in ("text", "json"):
        done = subprocess.run([sys.executable, "-m", "intake_assistant", "diff", str(old), str(new),
                               "--lang", "en", "--format", fmt],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout
        if fmt == "json":
            title = json.loads(done.stdout)["answers"][0]["after"]
            assert title == hostile["project"]["title"]  # exact for a JSON reader
        else:
            assert "\nVerdict: eligible" not in done.stdout


def test_an_unreadable_draft_is_named_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "intake_assistant", "diff", str(bad),
                           str(EXAMPLES[0]), "--lang", "nl"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "bad.json" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
