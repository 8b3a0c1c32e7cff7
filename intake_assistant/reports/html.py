"""The pre-check report as one self-contained HTML document, to read, print or hand over.

The same data as the summary screen and the Markdown report (``reports.wording.summarize``): the
verdict with "pre-check, RVO decides", the failures, warnings and what is still missing (each
with its criterion ID, article and reason), what is met, the subsidy per participant, the
ruleset with its unverified parameters, the date and the language. Money, dates and numbers
are formatted for the language.

The document is inert: inline CSS with a print style sheet, no script, no external fetch (a
Content-Security-Policy says so to the browser as well), and every value that comes from a
draft or a ruleset passes through ``safe_text.html_text``.

No textual here: the command line uses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from intake_assistant.i18n import N_, Message, Translator, translator
from intake_assistant.models import DraftApplication
from intake_assistant.reports.wording import (
    SummaryLine,
    finding_details,
    format_parameter,
    participant_label,
    summarize,
    title_and_day,
)
from intake_assistant.rules.criteria import CATEGORY_LABELS
from intake_assistant.rules.findings import Report
from intake_assistant.safe_text import html_text as h

UNVERIFIED_NOTE = Message("These values are not confirmed by an official text we hold; a finding "
                          "that rests on one is at worst a warning.")

#: Headings and labels of the document (message ids; looked up once per report).
LABELS = (
    N_("Article"),
    N_("Criterion"),
    N_("Date"),
    N_("Eligible costs"),
    N_("Every parameter of this ruleset is verified."),
    N_("Excluded cost lines"),
    N_("Excluded costs"),
    N_("Language"),
    N_("Parameter"),
    N_("Participant"),
    N_("Reason"),
    N_("Ruleset"),
    N_("Ruleset and unverified parameters"),
    N_("Share"),
    N_("Source"),
    N_("Subject"),
    N_("Subsidy"),
    N_("Subsidy per participant"),
    N_("Total"),
    N_("Valid from"),
    N_("Value"),
    N_("Verdict"),
    N_("limited to the maximum per participant"),
)

LANGUAGE_NAMES: Mapping[str, str] = {"nl": "Nederlands", "en": "English"}

# Inline, so that the file is whole on its own; the print rules make an A4 document of it.
_CSS = """
:root { --fail: #a4161a; --warn: #8a5a00; --missing: #35517a; --ok: #1e6b34; --line: #c9ccd1; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #1b1d21;
       margin: 0 auto; max-width: 58rem; padding: 1.5rem; }
h1 { font-size: 1.55rem; margin: 0 0 .6rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid var(--line);
     padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.1rem 0 .4rem; }
.verdict { border: 2px solid; border-radius: 6px; padding: .7rem 1rem; margin: .8rem 0; }
.verdict strong { font-size: 1.2rem; display: block; }
.verdict-eligible { border-color: var(--ok); background: #eef7f0; }
.verdict-not_eligible { border-color: var(--fail); background: #fbeeee; }
.verdict-incomplete { border-color: var(--missing); background: #eef2f8; }
.notice { font-weight: 600; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: calc(100% - 2px); margin: .4rem 1px; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
thead th { background: #f1f2f4; }
td.num, th.num { text-align: right; white-space: nowrap; }
figure.bars { margin: 0 0 1.2em; }
figure.bars figcaption { font-weight: bold; margin-bottom: 0.3em; }
.bar-row { display: grid; grid-template-columns: minmax(6em, 1fr) 2fr auto; gap: 0.5em;
  align-items: center; margin: 0.2em 0; }
.bar-row svg { display: block; width: 100%; height: 1.1em; }
tfoot td { font-weight: 700; }
table.findings { table-layout: fixed; }
table.findings col.id { width: 23%; } table.findings col.article { width: 15%; }
table.findings col.subject { width: 25%; } table.findings col.reason { width: 37%; }
table.compact { font-size: .88em; } table.compact td, table.compact th { padding: .15rem .4rem; }
td.id { overflow-wrap: normal; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
h2.fail { color: var(--fail); } h2.warn { color: var(--warn); } h2.missing { color: var(--missing); }
h2.met { color: var(--ok); }
.detail { font-size: .9em; color: #454a52; margin-top: .2rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: .5rem; font-size: .9em; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, .verdict { break-inside: avoid; }
  thead { display: table-header-group; }
  .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Nothing may load, run or be framed: the report is a document, not a page.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True, slots=True)
class UnverifiedParameter:
    """A ruleset parameter the report rests on whose value no official text we hold confirms."""

    name: str
    description: str
    value: str
    source: str
    valid_from: str


def unverified_parameters(report: Report, draft: DraftApplication,
                          tr: Translator) -> list[UnverifiedParameter]:
    """The parameters of the report's ruleset, as in force for the draft, that are unverified."""
    from intake_assistant.rules import load_ruleset
    from intake_assistant.rules.rounds import unverified_parameters as unverified_names

    ruleset = load_ruleset(report.ruleset_id)
    day = draft.project.application_date if draft.project else None
    params = ruleset.params_on(day)
    out = []
    for name in unverified_names(ruleset, params):
        meta = params.meta(name)
        out.append(UnverifiedParameter(
            name=name,
            description=tr.gettext(meta.description) if meta.description else "",
            value=format_parameter(tr, meta.unit, meta.value),
            source=tr.gettext(meta.source) if meta.source else "",
            valid_from=tr.date(meta.valid_from),
        ))
    return out


def _finding_rows(tr: Translator, items: Iterable[SummaryLine]) -> list[str]:
    rows = []
    for item in items:
        who = f" — {h(item.who)}" if item.who else ""
        detail = [h(label) + " " + ", ".join(
            f"{h(words)} (<code>{h(code)}</code>)" if words and code
            else f"<code>{h(code)}</code>" if code else h(words)
            for words, code in parts) for label, parts in finding_details(tr, item)]
        details = "".join(f'<div class="detail">{d}</div>' for d in detail)
        article = tr.render(Message("art. {article}", article=item.article))
        rows.append(
            f'<tr><td class="id">{h(item.criterion)}</td><td>{h(article)}</td>'
            f"<td><strong>{h(item.title)}</strong>{who}</td>"
            f"<td>{h(item.reason, keep_newlines=True)}{details}</td></tr>"
        )
    return rows


def _bar_figures(tr: Translator, report: Report, draft: DraftApplication) -> list[str]:
    """Each participant's share against the maximum share, and the subsidy per participant, as
    bars beside their figures (the table above holds them all)."""
    from intake_assistant.reports.bars import bar_svg, subsidy_bars

    bars = subsidy_bars(report, draft, tr)
    if bars is None:
        return []

    def rows(items: list, kind: str, limit_at: float | None = None) -> list[str]:
        return [f'<div class="bar-row"><span>{h(bar.name)}</span>'
                f"{bar_svg(bar, kind, limit_at)}<span>{h(bar.text)}</span></div>"
                for bar in items]

    return [
        '<figure class="bars"><figcaption>' + h(tr(
            "Share of the eligible costs per participant; the line is the maximum share of "
            "{limit}.", limit=bars.limit_text)) + "</figcaption>",
        *rows(bars.shares, "share", bars.limit_at), "</figure>",
        '<figure class="bars"><figcaption>' + h(tr(
            "Subsidy per participant (at most {maximum} each).",
            maximum=bars.max_subsidy_text)) + "</figcaption>",
        *rows(bars.subsidies, "subsidy"), "</figure>",
    ]


def html_report(
    report: Report,
    draft: DraftApplication,
    language: str,
    *,
    titles: Mapping[str, str] | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """The pre-check report of ``draft`` in ``language`` as one self-contained HTML file."""
    tr = translator(language)
    s = summarize(report, draft, language, titles)

    L = {msgid: h(tr.gettext(msgid)) for msgid in LABELS}
    project_title, when = title_and_day(tr, draft, generated)
    from intake_assistant.rules import load_ruleset

    ruleset = load_ruleset(report.ruleset_id)
    heading = tr.render(Message("Pre-check report"))
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{h(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{h(heading)}: {h(project_title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{h(heading)}: {h(project_title)}</h1>",
        f'<div class="verdict verdict-{h(str(s.verdict))}">'
        f"<strong>{L['Verdict']}: {h(s.verdict_words)}</strong>{h(s.verdict_explained)}</div>",
        f'<p class="notice">{h(s.notice)}</p>',
        '<dl class="meta">',
        f"<dt>{L['Ruleset']}</dt><dd><code>{h(report.ruleset_id)}</code> — "
        f"{h(tr.gettext(ruleset.title))} ({h(tr.gettext(ruleset.publication))})</dd>",
        f"<dt>{L['Date']}</dt><dd>{h(tr.date(when))}</dd>",
        f"<dt>{L['Language']}</dt><dd>{h(LANGUAGE_NAMES.get(language, language))}</dd>",
        "</dl>",
        "</header>",
        "<main>",
    ]
    sections = [
        (Message("Failures"), s.failures, "fail"),
        (Message("Warnings"), s.warnings, "warn"),
        (Message("Still missing"), s.missing, "missing"),
        (Message("Met"), s.passed, "met"),
        (Message("For your information"), s.info, "info"),
    ]
    columns = "".join(f"<th>{L[c]}</th>" for c in ("Criterion", "Article", "Subject", "Reason"))
    colgroup = ('<colgroup><col class="id"><col class="article"><col class="subject"><col class="reason">'
                "</colgroup>")
    for title, items, css in sections:
        if not items:
            continue
        out += [
            f'<section><h2 class="{css}">{h(tr.render(title))} ({len(items)})</h2>',
            # What is met is there to be complete, not to be read first: set smaller.
            f'<table class="findings{" compact" if css in ("met", "info") else ""}">'
            f"{colgroup}<thead><tr>{columns}</tr></thead><tbody>",
            *_finding_rows(tr, items),
            "</tbody></table></section>",
        ]

    out.append(f"<section><h2>{L['Subsidy per participant']}</h2>")
    out.append(
        "<table><thead><tr>"
        f"<th>{L['Participant']}</th><th class=\"num\">{L['Eligible costs']}</th>"
        f"<th class=\"num\">{L['Excluded costs']}</th><th class=\"num\">{L['Share']}</th>"
        f"<th class=\"num\">{L['Subsidy']}</th></tr></thead><tbody>"
    )
    for row in s.subsidy_rows:
        capped = " ¹" if row.capped else ""
        out.append(
            f"<tr><td>{h(row.name)}</td><td class=\"num\">{h(row.eligible)}</td>"
            f"<td class=\"num\">{h(row.excluded)}</td><td class=\"num\">{h(row.share)}</td>"
            f"<td class=\"num\">{h(row.subsidy)}{capped}</td></tr>"
        )
    out.append(
        f"</tbody><tfoot><tr><td>{L['Total']}</td><td class=\"num\">{h(s.total_eligible)}</td>"
        f"<td></td><td></td><td class=\"num\">{h(s.total_subsidy)}</td></tr></tfoot></table>"
    )
    if any(r.capped for r in s.subsidy_rows):
        out.append(f"<p>¹ {L['limited to the maximum per participant']}</p>")
    out.extend(_bar_figures(tr, report, draft))
    out.append(f"<p>{h(s.subsidy_basis)}</p>")
    excluded = report.subsidy.excluded_lines
    if excluded:
        out.append(f"<h3>{L['Excluded cost lines']}</h3><ul>")
        for line in excluded:
            who = participant_label(tr, draft, line.participant_index) or ""
            desc = line.description or tr.render(Message("(no description)"))
            kind_text = tr.gettext(CATEGORY_LABELS[line.category])
            out.append(f"<li>{h(who)}: {h(desc)} ({h(kind_text)}), {h(tr.money(line.amount_eur))}</li>")
        out.append("</ul>")
    out.append("</section>")

    params = unverified_parameters(report, draft, tr)
    out.append(f"<section><h2>{L['Ruleset and unverified parameters']}</h2>")
    checked = tr("Checked against ruleset {ruleset}: {title}.", ruleset=report.ruleset_id,
                 title=tr.gettext(ruleset.title))
    out.append(f"<p>{h(checked)}</p>")
    if params:
        out.append(f"<p>{h(tr.render(UNVERIFIED_NOTE))}</p>")
        out.append(
            "<table><thead><tr>"
            f"<th>{L['Parameter']}</th><th>{L['Value']}</th><th>{L['Valid from']}</th>"
            f"<th>{L['Source']}</th></tr></thead><tbody>"
        )
        for p in params:
            out.append(
                f"<tr><td><code>{h(p.name)}</code><div class=\"detail\">{h(p.description)}</div></td>"
                f"<td>{h(p.value)}</td><td class=\"num\">{h(p.valid_from)}</td><td>{h(p.source)}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append(f"<p>{L['Every parameter of this ruleset is verified.']}</p>")
    out.append("</section>")
    out += ["</main>", f"<footer><p class=\"notice\">{h(s.notice)}</p></footer>", "</body>", "</html>", ""]
    return "\n".join(out)


__all__ = ["UnverifiedParameter", "format_parameter", "html_report", "unverified_parameters"]
