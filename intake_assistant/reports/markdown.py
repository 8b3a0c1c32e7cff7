"""The pre-check report as a Markdown document (``reports.wording`` in Markdown).

Every value from a draft or a ruleset passes through ``md`` (``safe_text.markdown_inline``):
controls shown as their escapes, Markdown syntax escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from intake_assistant.i18n import Message, Translator, translator
from intake_assistant.models import DraftApplication
from intake_assistant.reports.wording import (
    SummaryLine,
    finding_details,
    participant_label,
    summarize,
    title_and_day,
)
from intake_assistant.rules.criteria import CATEGORY_LABELS
from intake_assistant.rules.findings import Report
from intake_assistant.safe_text import MAX_SHOWN, markdown_inline

#: The longest finding text or note in the Markdown report (it may list every participant).
_LONG_TEXT = 200_000


def md(text: str, *, limit: int = MAX_SHOWN) -> str:
    """Text for one Markdown line or table cell: ``safe_text.markdown_inline`` of it, with
    line breaks and runs of spaces folded into one space (a description stays readable).

    Controls are shown as their escapes (``\\x1b``), Markdown syntax is escaped; values longer
    than ``limit`` are cut (the finding texts, which list every participant, pass a larger one).
    """
    return markdown_inline(" ".join(str(text).split()), limit=limit)



def _finding_lines(tr: Translator, items: Iterable[SummaryLine]) -> list[str]:
    out = []
    for item in items:
        who = f" — {md(item.who)}" if item.who else ""
        article = tr.render(Message("art. {article}", article=item.article))
        out.append(
            f"- **{item.criterion}** ({md(article)}) {md(item.title)}{who}: "
            f"{md(item.reason, limit=_LONG_TEXT)}"
        )
        for label, parts in finding_details(tr, item):
            shown = ", ".join(
                f"{md(words, limit=_LONG_TEXT)} (`{code}`)" if words and code
                else f"`{code}`" if code else md(words, limit=_LONG_TEXT)
                for words, code in parts)
            out.append(f"  - {md(label)} {shown}")
    return out



def markdown_report(
    report: Report,
    draft: DraftApplication,
    language: str,
    *,
    titles: Mapping[str, str] | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """The pre-check report of ``draft`` in ``language`` as a Markdown document."""
    tr = translator(language)
    s = summarize(report, draft, language, titles)
    project_title, when = title_and_day(tr, draft, generated)
    heading = md(tr.render(Message("Pre-check report")))
    verdict_label = md(tr.render(Message("Verdict")))
    ruleset_label = md(tr.render(Message("Ruleset")))
    date_label = md(tr.render(Message("Date")))
    round_label = md(tr.render(Message("Round")))
    out: list[str] = [
        f"# {heading}: {md(project_title)}",
        "",
        f"**{verdict_label}: {md(s.verdict_words)}** — "
        f"{md(s.verdict_explained)}",
        "",
        f"> {md(s.notice)}",
        "",
        f"- {ruleset_label}: `{report.ruleset_id}`",
        f"- {round_label}: {md(s.round_title)}",
        f"- {date_label}: {tr.date(when)}",
        "",
    ]
    if s.unverified_values:
        label = md(tr.render(Message("The verdict rests on these unverified values:")))
        out += [label, "", *(f"- {md(v)}" for v in s.unverified_values), ""]
    sections = [
        (Message("Failures"), s.failures),
        (Message("Warnings"), s.warnings),
        (Message("Still missing"), s.missing),
        (Message("Met"), s.passed),
        (Message("For your information"), s.info),
    ]
    for heading, items in sections:
        if not items:
            continue
        out += [f"## {md(tr.render(heading))} ({len(items)})", "", *_finding_lines(tr, items), ""]

    subsidy_heading = md(tr.render(Message("Subsidy per participant")))
    out += [f"## {subsidy_heading}", ""]
    headers = [
        Message("Participant"),
        Message("Eligible costs"),
        Message("Excluded costs"),
        Message("Share"),
        Message("Subsidy"),
    ]
    out.append("| " + " | ".join(md(tr.render(h)) for h in headers) + " |")
    out.append("|---|---:|---:|---:|---:|")
    for row in s.subsidy_rows:
        capped = " ¹" if row.capped else ""
        out.append(
            f"| {md(row.name)} | {row.eligible} | {row.excluded} | {row.share} | "
            f"{row.subsidy}{capped} |"
        )
    total = md(tr.render(Message("Total")))
    out.append(f"| **{total}** | **{s.total_eligible}** | | | **{s.total_subsidy}** |")
    out.append("")
    if any(r.capped for r in s.subsidy_rows):
        out.append("¹ " + md(tr.render(Message("limited to the maximum per participant"))))
        out.append("")
    out.append(md(s.subsidy_basis, limit=_LONG_TEXT))
    out.append("")
    excluded = report.subsidy.excluded_lines
    if excluded:
        excluded_heading = md(tr.render(Message("Excluded cost lines")))
        out += [f"### {excluded_heading}", ""]
        for line in excluded:
            who = participant_label(tr, draft, line.participant_index) or ""
            desc = line.description or tr.render(Message("(no description)"))
            kind_text = tr.gettext(CATEGORY_LABELS[line.category])
            out.append(
                f"- {md(who)}: {md(desc)} ({md(kind_text)}), {tr.money(line.amount_eur)}"
            )
        out.append("")
    out.append(f"_{md(s.notice)}_")
    out.append("")
    return "\n".join(out)
