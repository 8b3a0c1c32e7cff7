"""The live pre-check: what can be judged yet, what fails or warns, what this section needs.

Beside the questions the panel is brief (a wall of "missing" before the first answer helps
no one); ``precheck_text`` is the full list, every criterion with its status and reason,
one key away (ctrl+l, ``PrecheckListScreen``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from intake_assistant.i18n import _, current_translator, render
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
    from intake_assistant.reports.wording import filled_titles

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
        # the ID stays for reference, after the title and smaller
        text.append(f"  {render(STATUS_WORDS[status])} · {article_text} · {criterion}",
                    style="dim")
        worst = [f for f in findings if str(f.status) == status]
        for finding in worst[:3]:
            # Text.append takes the string as text, not markup; visible() shows controls
            text.append(f"\n   {visible(finding.text(current_translator()))}",
                        style="dim" if status == "pass" else "")
        if len(worst) > 3:
            text.append("\n   " + _("and {count} more", count=str(len(worst) - 3)), style="dim")
    return text


def _needs_here(findings: list[Finding], paths: Sequence[str]) -> bool:
    """A finding waits for an answer of this section (a path, or one inside it)."""
    return any(need == path or need.startswith((path + ".", path + "["))
               or path.startswith((need + ".", need + "["))
               for need in (n for f in findings for n in f.needs) for path in paths)


def precheck_brief(report: Report, draft: DraftApplication, section_label: str = "",
                   section_paths: Sequence[str] = ()) -> Text:
    """The panel beside the questions: how many criteria can be judged yet, what fails or
    warns (with its first reason), what the current section still needs."""
    from intake_assistant.i18n import get_language
    from intake_assistant.reports.wording import filled_titles, rests_on_words

    titles = filled_titles(report, draft, get_language())
    verdict = str(report.verdict)
    groups = [g for g in per_criterion(report) if g[2] != "info"]
    judged = sum(1 for *_rest, findings in groups
                 if all(str(f.status) != "unknown" for f in findings))
    text = Text()
    text.append(_("Pre-check: {verdict}", verdict=render(VERDICT_WORDS[verdict])),
                style=VERDICT_STYLE[verdict])
    text.append("\n")
    text.append(_("{judged} of {total} criteria can be judged yet",
                  judged=str(judged), total=str(len(groups))))
    text.append("\n")
    text.append(_("pre-check, RVO decides"), style="italic")
    for wanted in ("fail", "warn"):
        for criterion, article, status, findings in groups:
            if status != wanted:
                continue
            symbol, style = STATUS_STYLE[status]
            text.append(f"\n{symbol} ", style=style)
            text.append(visible(titles.get(criterion, criterion)), style=style)
            text.append(" " + _("art. {article}", article=article), style="dim")
            first = next(f for f in findings if str(f.status) == status)
            text.append(f"\n   {visible(render(first.message))}")
            if first.unverified:  # why it warns: briefly (ctrl+l gives the values, sources)
                text.append("\n   " + visible(rests_on_words(current_translator(),
                                                             first.unverified)), style="italic")
    waiting = [(c, findings) for c, _a, status, findings in groups
               if status == "unknown" and section_paths
               and _needs_here([f for f in findings if str(f.status) == "unknown"],
                               section_paths)]
    text.append("\n\n")
    if section_label:
        if waiting:
            text.append(_("Still needed in {section}:", section=visible(section_label)),
                        style="bold")
            for criterion, _findings in waiting:
                text.append("\n? ", style=STATUS_STYLE["unknown"][1])
                text.append(visible(titles.get(criterion, criterion)))
        else:
            text.append(_("Nothing more needed in {section} for the pre-check.",
                          section=visible(section_label)), style="dim")
        text.append("\n\n")
    text.append(_("ctrl+l: every criterion"), style="dim")
    return text


class PrecheckPanel(VerticalScroll):
    """Shown beside the questions; the question screen updates it after every answer."""

    can_focus = False

    def compose(self) -> ComposeResult:
        yield Static("", id="precheck-text")

    def show(self, report: Report, draft: DraftApplication, section_label: str = "",
             section_paths: Sequence[str] = ()) -> None:
        """Show the pre-check; the same text as shown is not laid out again (most answers
        change no finding, and a layout of the panel is a large part of a repaint)."""
        text = precheck_brief(report, draft, section_label, section_paths)
        if text == getattr(self, "_shown_text", None):
            return
        self._shown_text = text
        self.query_one("#precheck-text", Static).update(text)
