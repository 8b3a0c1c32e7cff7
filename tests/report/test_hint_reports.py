"""Hints (issue 14) in the Markdown and HTML reports: under their finding, in both languages,
and a hostile name inside a hint shown as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_assistant.models import DraftApplication
from intake_assistant.reports.html import html_report
from intake_assistant.reports.markdown import markdown_report, md
from intake_assistant.reports.wording import summarize
from intake_assistant.rules import evaluate
from intake_assistant.safe_text import html_text

EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "cost-share-over-70.json"
LABEL = {"en": "What would change it:", "nl": "Wat de uitkomst verandert:"}
HOSTILE = '</td><img src=x onerror="alert(1)">*Kringloop*'


def _draft(name: str | None = None) -> DraftApplication:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    if name is not None:
        data["participants"][0]["name"] = name
    return DraftApplication.model_validate(data)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_markdown_report_shows_the_hint_under_its_finding(language: str) -> None:
    draft = _draft()
    report = evaluate(draft)
    s = summarize(report, draft, language)
    (failure,) = s.failures
    assert failure.criterion == "COST-SHARE-70" and failure.hint
    text = markdown_report(report, draft, language)
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("- **COST-SHARE-70**"))
    assert lines[at + 1] == f"  - {md(LABEL[language])} {md(failure.hint)}"
    (info,) = [i for i in s.info if i.criterion == "SUBSIDY-AMOUNT"]
    assert f"{md(LABEL[language])} {md(info.hint)}" in text


@pytest.mark.parametrize("language", ["en", "nl"])
def test_html_report_shows_the_hint_under_its_finding(language: str) -> None:
    draft = _draft()
    report = evaluate(draft)
    (failure,) = summarize(report, draft, language).failures
    page = html_report(report, draft, language)
    assert f'<div class="detail">{html_text(LABEL[language])} {html_text(failure.hint)}</div>' in page


def test_a_hostile_name_in_a_hint_is_text() -> None:
    draft = _draft(HOSTILE)
    report = evaluate(draft)
    page = html_report(report, draft, "en")
    assert "<img" not in page and "onerror=\"alert" not in page
    text = markdown_report(report, draft, "en")
    hint_line = next(line for line in text.splitlines() if line.startswith("  - What would"))
    assert "*Kringloop*" not in hint_line and "\\*Kringloop\\*" in hint_line
