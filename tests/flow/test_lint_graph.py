from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from intake_assistant.flow.commands import mermaid, run_dialogs_graph, run_dialogs_lint
from intake_assistant.flow.lint import draft_fields, lint
from intake_assistant.flow.schema import load_flow
from intake_assistant.i18n import resource_dir

DIALOGS = resource_dir("dialogs") / "sce-2020"


def test_the_real_dialogs_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint() == []
    assert run_dialogs_lint("en") == 0
    assert capsys.readouterr().out == ""


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    folder = tmp_path / "sce-2020"
    shutil.copytree(DIALOGS, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _texts(folder: Path) -> list[str]:
    return [f"{p.file}:{p.line}: {p.text}" for p, _m in lint(folder)]


def test_schema_mistake_names_file_and_line(broken: Path) -> None:
    _edit(broken / "project.yaml", "kind: long_text", "kind: essay")
    found = _texts(broken)
    assert len(found) == 1
    assert found[0].startswith("sce-2020/project.yaml:14: questions.1.kind: Input should be")


def test_bad_yaml_names_the_line(broken: Path) -> None:
    _edit(broken / "costs.yaml", "  - id: cost_line_count", "  - id: [cost_line_count")
    found = _texts(broken)
    assert len(found) == 1 and found[0].startswith("sce-2020/costs.yaml:")
    assert "not valid YAML" in found[0]


def test_condition_syntax_error(broken: Path) -> None:
    _edit(broken / "participants.yaml", "when: participant_in_group == yes",
          "when: participant_in_group === yes")
    found = _texts(broken)
    assert len(found) == 1 and "participants.yaml" in found[0]
    assert "condition" in found[0]


def test_unknown_and_later_ids_in_conditions(broken: Path) -> None:
    _edit(broken / "participants.yaml", "when: participant_in_group == yes",
          "when: participant_in_grup == yes")
    _edit(broken / "project.yaml", "    label: On which date does the project start?",
          "    when: decl_project_plan == yes\n    label: On which date does the project start?")
    found = [m.msgid for _p, m in lint(broken)]
    assert "{id} refers to an unknown question {ref}" in found
    assert "{id} refers to {ref}, which is asked later, so {id} is never reached" in found


def test_unreachable_choice_condition(broken: Path) -> None:
    _edit(broken / "chain_roles.yaml", 'when: participant_chain_role == "other"',
          'when: participant_chain_role == "plumber"')
    (problem, message), = lint(broken)
    assert message.params["value"] == "plumber"
    assert problem.file == "sce-2020/chain_roles.yaml"


def test_unfilled_draft_field_and_unknown_field(broken: Path) -> None:
    _edit(broken / "declarations.yaml", "field: project.circo_track", "field: project.circo")
    found = {m.msgid: m.params for _p, m in lint(broken)}
    assert found["no question fills the draft field {field}"]["field"] == "project.circo_track"
    assert found["{id} fills {field}, which is not a field of the draft"]["field"] == (
        "project.circo")


def test_duplicate_id_and_missing_translation(broken: Path) -> None:
    _edit(broken / "declarations.yaml", "id: decl_project_plan", "id: decl_cooperation_agreement")
    _edit(broken / "declarations.yaml", "label: Is the project plan attached?",
          "label: Is the project plan really attached?")
    messages = [m for _p, m in lint(broken)]
    assert any(m.msgid.startswith("question id {id} is used twice") for m in messages)
    lacking = [m.params["language"] for m in messages
               if m.msgid == "the {language} catalog lacks the message {msgid}"]
    assert sorted(lacking) == ["en", "nl"]


def test_lint_command_exit_status(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(broken / "chain_roles.yaml", 'when: participant_chain_role == "other"',
          'when: participant_chain_role == "plumber"')
    assert run_dialogs_lint("nl", folder=broken) == 1
    out = capsys.readouterr()
    assert "wordt nooit bereikt: participant_chain_role heeft geen keuze plumber" in out.out
    assert "1 probleem in de dialoogbestanden" in out.err


def test_every_draft_field_is_asked() -> None:
    fields = draft_fields()
    assert "participants[].cost_lines[].amount_eur" in fields
    assert "facilitator.ties[].nature" in fields


def test_mermaid_graph_is_the_real_flow() -> None:
    text = mermaid()
    assert "stateDiagram-v2" in text
    flow = load_flow()
    for located in flow.questions:
        assert f'state "{located.question.id}"' in text
    assert "participant_chain_role --> participant_chain_role_other: next " \
           "[participant_chain_role == 'other']" in text
    assert re.search(r"participant_count --> participant_name: next \[participant_count > 0\]",
                     text)
    assert "cost_line_amount --> cost_line_description: next [another cost_line]" in text
    assert "decl_circo_track --> review: next" in text
    assert "review --> summary: finish" in text


def test_graph_command_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_dialogs_graph() == 0
    assert "stateDiagram-v2" in capsys.readouterr().out


def test_flow_does_not_import_textual_or_the_diagrams() -> None:
    import subprocess

    code = ("import sys, intake_assistant.flow.session, intake_assistant.flow.commands;"
            "print('textual' in sys.modules, 'transitions.extensions.diagrams' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "False"]
