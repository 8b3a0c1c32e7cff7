"""A report names a missing answer by the question that asks it, its draft path beside it
(never the path alone): the draft's names are not the reader's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_assistant.models import DraftApplication
from intake_assistant.reports.html import html_report
from intake_assistant.reports.markdown import markdown_report
from intake_assistant.rules import evaluate

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
ELIGIBLE = Path(__file__).resolve().parents[1] / "tui" / "data" / "eligible-draft.json"


def test_a_missing_gate_and_figures_read_as_their_questions() -> None:
    draft = DraftApplication.model_validate(json.loads(
        (SHARED / "incomplete-no-facilitator-no-co2.json").read_text(encoding="utf-8")))
    text = markdown_report(evaluate(draft), draft, "nl")
    assert ("Heeft het samenwerkingsverband een procesbegeleider aangesteld? (`facilitator`)"
            in text)
    assert "(`project.co2_reduction.tonnes_per_year`)" in text
    missing = [line for line in text.splitlines() if "Ontbrekende antwoorden:" in line]
    assert missing and not any(": `" in line or ", `" in line for line in missing), missing


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_participants_missing_answer_names_the_participant(language: str) -> None:
    data = json.loads(ELIGIBLE.read_text(encoding="utf-8"))
    del data["participants"][1]["staff_units"]
    del data["participants"][2]["cost_lines"][0]["amount_eur"]
    draft = DraftApplication.model_validate(data)
    report = evaluate(draft)
    text = markdown_report(report, draft, language)
    page = html_report(report, draft, language)
    staff = {"en": "How many staff does Ontwerpstudio Rond have",
             "nl": "Hoeveel personeel heeft Ontwerpstudio Rond"}[language]
    amount = {"en": "What is the amount of cost line 1 of Meubelmakerij De Hoek B.V.?",
              "nl": "Meubelmakerij De Hoek B.V."}[language]
    for shown in (text, page):
        assert staff in shown and amount in shown
        assert "participants[1].staff_units" in shown  # kept beside the words
