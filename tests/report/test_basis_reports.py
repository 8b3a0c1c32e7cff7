"""What each finding rests on (issue 23) in the Markdown and HTML reports and in
``check --explain``: the answers by their question, the parameters by their description, an
unverified value marked, in the reader's language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intake_assistant.models import DraftApplication
from intake_assistant.reports.html import html_report
from intake_assistant.reports.markdown import markdown_report
from intake_assistant.reports.wording import summarize
from intake_assistant.rules import evaluate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT.parent / "shared" / "examples" / "cost-share-over-70.json"
RESTS_ON = {"en": "Rests on:", "nl": "Berust op:"}
#: The question of the first participant's own hours, as the intake asks it.
HOURS = {"en": "How many hours will the staff of Kringloop Kunststof B.V. spend on the project?",
         "nl": "Hoeveel uur besteedt het personeel van Kringloop Kunststof B.V. aan het project?"}
UNVERIFIED = {"en": "(unverified; source:", "nl": "(niet geverifieerd; bron:"}
SHARE = {"en": "Largest share of the total eligible costs one SME may bear: 70%",
         "nl": "Grootste deel van de totale subsidiabele kosten dat één mkb-onderneming mag dragen: 70%"}


def _draft() -> DraftApplication:
    return DraftApplication.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_summary_puts_each_finding_basis_into_words(language: str) -> None:
    draft = _draft()
    report = evaluate(draft)
    (failure,) = summarize(report, draft, language).failures
    words = dict((code, text) for text, code in failure.basis)
    assert words["participants[0].own_hours"].startswith(HOURS[language])
    assert words["participants[0].own_hours"].endswith("2.500" if language == "nl" else "2,500")
    assert words["max_cost_share"].startswith(SHARE[language].rsplit(":", 1)[0])
    assert UNVERIFIED[language] in words["hourly_rate_eur"]
    assert UNVERIFIED[language] not in words["max_cost_share"]
    # exactly what the criterion read, in its order
    basis = next(f for f in report.findings if f.criterion == "COST-SHARE-70").basis
    assert basis is not None
    assert [code for _, code in failure.basis] == [*basis.answers, *basis.parameters]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_markdown_report_shows_what_each_finding_rests_on(language: str) -> None:
    draft = _draft()
    report = evaluate(draft)
    lines = markdown_report(report, draft, language).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("- **COST-SHARE-70**"))
    rests = next(line for line in lines[at + 1:] if line.startswith(f"  - {RESTS_ON[language]}"))
    assert HOURS[language] in rests.replace("\\", "")
    assert "`participants[0].own_hours`" in rests and "`max_cost_share`" in rests
    # every finding of the report has its line (the findings are a list of "- **ID**")
    findings = [i for i, line in enumerate(lines) if line.startswith("- **")]
    assert len(findings) == len(report.findings)
    for i in findings:
        follow = lines[i + 1: next((j for j in findings if j > i), len(lines))]
        assert any(line.startswith(f"  - {RESTS_ON[language]}") for line in follow), lines[i]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_html_report_shows_what_each_finding_rests_on(language: str) -> None:
    draft = _draft()
    report = evaluate(draft)
    page = html_report(report, draft, language)
    assert page.count(f'<div class="detail">{RESTS_ON[language]} ') == len(report.findings)
    assert "<code>participants[0].cost_lines[0].amount_eur</code>" in page


@pytest.mark.parametrize("language", ["en", "nl"])
def test_check_explain_lists_the_basis_of_each_finding(language: str) -> None:
    done = subprocess.run([sys.executable, "-m", "intake_assistant", "check", str(EXAMPLE),
                           "--explain", "--lang", language], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert out.count(RESTS_ON[language]) == len(evaluate(_draft()).findings)
    assert f"- {HOURS[language]}: " in out and "[participants[0].own_hours]" in out
    assert UNVERIFIED[language] in out
    plain = subprocess.run([sys.executable, "-m", "intake_assistant", "check", str(EXAMPLE),
                            "--lang", language], cwd=ROOT, capture_output=True, text=True,
                           check=False).stdout
    assert RESTS_ON[language] not in plain  # without --explain, as before


def test_no_facilitator_reads_no_and_an_unanswered_one_not_answered() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["facilitator"] = None  # null: the answer no
    draft = DraftApplication.model_validate(data)
    (line,) = [i for i in summarize(evaluate(draft), draft, "en").failures
               if i.criterion == "FACILITATOR-APPOINTED"]
    assert ("Has the partnership appointed a process facilitator?: no", "facilitator") in line.basis
    del data["facilitator"]  # absent: not answered yet
    draft = DraftApplication.model_validate(data)
    (line,) = [i for i in summarize(evaluate(draft), draft, "en").missing
               if i.criterion == "FACILITATOR-APPOINTED"]
    assert ("Has the partnership appointed a process facilitator?: not answered",
            "facilitator") in line.basis
