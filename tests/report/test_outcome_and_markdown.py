"""The Markdown pre-check report words what the rules decided, in each language."""

from __future__ import annotations

import datetime as dt

from intake_assistant.i18n import Message
from intake_assistant.models import CostLine, DraftApplication, Participant, Project
from intake_assistant.reports.markdown import markdown_report, md
from intake_assistant.reports.wording import summarize
from intake_assistant.rules.findings import (
    ExcludedCostLine,
    Finding,
    ParticipantSubsidy,
    Report,
    Status,
    SubsidyCalculation,
    Verdict,
)

TITLES = {"COST-SHARE-70": "Cost share", "DURATION": "Duration", "SME-STATUS": "SME status",
          "GBER-CUMULATION": "Cumulation"}


def _report(findings):
    subsidy = SubsidyCalculation(
        hourly_rate_eur=60.0,
        hourly_rate_verified=False,
        subsidy_rate=0.5,
        max_per_participant_eur=20000.0,
        participants=(
            ParticipantSubsidy(0, "Alfa | BV", "12345678", 6000.0, 48000.0, 1500.0, 0.75,
                               20000.0, True, True),
            ParticipantSubsidy(1, None, None, 0.0, 16000.0, 0.0, 0.25, 8000.0, False, True),
        ),
        excluded_lines=(ExcludedCostLine(0, "Beurs", "exhibition", 1500.0),),
        total_eligible_eur=64000.0,
        total_eur=28000.0,
    )
    return Report("sce-2020", tuple(findings), subsidy)


DRAFT = DraftApplication(
    project=Project(title="Kringloop *matras*"),
    participants=[
        Participant(name="Alfa | BV", cost_lines=[CostLine(category="exhibition",
                                                            amount_eur=1500)]),
        Participant(),
    ],
)

FINDINGS = [
    Finding("DURATION", Status.UNKNOWN, "2.11 b", Message("Start date missing"),
            needs=("project.start_date",)),
    Finding("GBER-CUMULATION", Status.WARN, "1.3 a", Message("Other aid"),
            participant_index=0),
    Finding("COST-SHARE-70", Status.FAIL, "2.11 c", Message("Over 70 %")),
    Finding("SME-STATUS", Status.PASS, "2.1", Message("SME"), participant_index=1),
]


def test_order_failures_warnings_missing_and_notice():
    text = markdown_report(_report(FINDINGS), DRAFT, "en", titles=TITLES,
                           generated=dt.datetime(2024, 5, 1))
    assert "**Verdict: Not eligible**" in text
    assert "RVO decides" in text
    fail = text.index("## Failures (1)")
    warn = text.index("## Warnings (1)")
    miss = text.index("## Still missing (1)")
    assert fail < warn < miss
    assert "- **COST-SHARE-70** (art. 2.11 c) Cost share: Over 70 %" in text
    assert "Alfa \\| BV" in text  # user text escaped in tables and lines
    assert "Kringloop \\*matras\\*" in text
    assert "`project.start_date`" in text
    assert "Participant 2" in text  # a participant without a name
    assert "€64,000.00" in text and "€28,000.00" in text
    assert "75%" in text
    assert "(unverified parameter)" in text
    assert "exhibition" in text


def test_dutch_formatting_and_words():
    text = markdown_report(_report(FINDINGS), DRAFT, "nl", titles=TITLES,
                           generated=dt.datetime(2024, 5, 1))
    assert "€\xa064.000,00" in text and "€\xa028.000,00" in text
    assert "€\xa020.000,00 ¹" in text


def test_the_dutch_report_says_every_label_in_dutch():
    text = markdown_report(_report(FINDINGS), DRAFT, "nl", titles=TITLES,
                           generated=dt.datetime(2024, 5, 1))
    labels = [line.split(":")[0] for line in text.splitlines() if line.startswith("- ")
              and ":" in line]
    assert "- Ronde" in labels and "- Round" not in labels, labels


def test_summary_verdict_words():
    s = summarize(_report(FINDINGS[3:]), DRAFT, "en", titles=TITLES)
    assert s.verdict is Verdict.ELIGIBLE
    assert s.verdict_words == "Eligible"
    assert [line.criterion for line in s.passed] == ["SME-STATUS"]
    assert s.failures == [] and s.missing == []


def test_md_escapes_markup_and_newlines():
    assert md("a|b\n*c*") == "a\\|b \\*c\\*"
