"""The live pre-check: every criterion with a coloured status and a short reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from intake_assistant.i18n import _, render
from intake_assistant.safe_text import visible
from intake_assistant.status_words import STATUS_WORDS, VERDICT_WORDS

if TYPE_CHECKING:
    from intake_assistant.models import DraftApplication
    from intake_assistant.rules.findings import Finding, Report

STATUS_STYLE = {
    "pass": ("✔", "green"),
    "fail": ("✘", "bold red"),
    "warn": ("!", "yellow"),
    "unknown": ("?", "bright_black"),
    "info": ("i", "cyan"),
}
VERDICT_STYLE = {"eligible": "bold green", "not_eligible": "bold red",
                 "incomplete": "bold yellow"}
_ORDER = {"fail": 0, "warn": 1, "unknown": 2, "pass": 3, "info": 4}


def per_criterion(report: Report) -> list[tuple[str, str, str, list[Finding]]]:
    """(criterion, article, worst status, its findings) in the report's order."""
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.criterion, []).append(finding)
    out = []
    for criterion, findings in groups.items():
        worst = min(findings, key=lambda f: _ORDER[str(f.status)])
        out.append((criterion, worst.article, str(worst.status), findings))
    return out


def precheck_text(report: Report, draft: DraftApplication) -> Text:
    from intake_assistant.i18n import get_language
    from intake_assistant.report import filled_titles

    titles = filled_titles(report, draft, get_language())
    verdict = str(report.verdict)
    text = Text()
    text.append(_("Pre-check: {verdict}", verdict=render(VERDICT_WORDS[verdict])),
                style=VERDICT_STYLE[verdict])
    text.append("\n")
    text.append(_("pre-check, RVO decides"), style="italic")
    text.append("\n")
    for criterion, article, status, findings in per_criterion(report):
        symbol, style = STATUS_STYLE[status]
        title = titles.get(criterion, criterion)
        text.append(f"\n{symbol} ", style=style)
        text.append(title, style=style)
        article_text = _("art. {article}", article=article)
        text.append(f"  {render(STATUS_WORDS[status])} · {article_text}",
                    style="dim")
        worst = [f for f in findings if str(f.status) == status]
        for finding in worst[:3]:
            # Text.append takes the string as text, not markup; visible() shows controls
            text.append(f"\n   {visible(render(finding.message))}",
                        style="dim" if status == "pass" else "")
        if len(worst) > 3:
            text.append("\n   " + _("and {count} more", count=str(len(worst) - 3)), style="dim")
    return text


class PrecheckPanel(VerticalScroll):
    """Shown beside the questions; the App updates it after every accepted answer."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="precheck-text")

    def show(self, report: Report, draft: DraftApplication) -> None:
        """Show the pre-check of ``report``; unchanged text is not laid out again.

        (Most answers change no finding; wrapping and laying out the panel's text, for
        six participants over a hundred lines, is the costliest part of a repaint.)"""
        text = precheck_text(report, draft)
        if text == self._shown:
            return
        self._shown = text
        self.query_one("#precheck-text", Static).update(text)
