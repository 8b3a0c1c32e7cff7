"""The pre-check in words: the summary of a rules ``Report`` every report kind shows.

The summary screen and the exported reports (Markdown, HTML, PDF) show the same thing in the
same order:
the verdict in words with "pre-check, RVO decides", the failures first, then the warnings,
then what is still missing, each with its criterion ID, article and reason; then the subsidy
per participant (eligible costs, excluded costs, share, subsidy) and the total, formatted for
the language. This module decides nothing: it words what the rules decided.

No textual here: the command line uses it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from intake_assistant.i18n import Message, Translator, translator
from intake_assistant.models import DraftApplication
from intake_assistant.rules.criteria import PARAMETER_LABELS
from intake_assistant.rules.findings import Finding, Report, Status, Verdict
from intake_assistant.status_words import VERDICT_WORDS

VERDICT_EXPLAINED: Mapping[Verdict, Message] = {
    Verdict.ELIGIBLE: Message("The project meets every criterion of the pre-check."),
    Verdict.NOT_ELIGIBLE: Message("The project fails at least one criterion."),
    Verdict.INCOMPLETE: Message(
        "No criterion fails, but answers are still missing to complete the pre-check."
    ),
}

PRECHECK_NOTICE = Message("This is a pre-check, not a decision: RVO decides.")


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """One finding as the summary shows it."""

    criterion: str
    title: str
    article: str
    status: Status
    who: str | None  # the participant it is about
    reason: str
    needs: tuple[str, ...]
    unverified: tuple[str, ...]
    #: What would change the outcome, in words (None: nothing to say).
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class SubsidyRow:
    name: str
    eligible: str
    excluded: str
    share: str
    subsidy: str
    capped: bool


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything the summary screen and the Markdown report show, already in words."""

    verdict: Verdict
    verdict_words: str
    verdict_explained: str
    notice: str
    failures: list[SummaryLine]
    warnings: list[SummaryLine]
    missing: list[SummaryLine]
    passed: list[SummaryLine]
    info: list[SummaryLine]
    subsidy_rows: list[SubsidyRow]
    total_eligible: str
    total_subsidy: str
    subsidy_basis: str
    #: The round checked against ("Circular chain projects, round 2022 (ruleset sce-2022)").
    round_title: str = ""
    #: The unverified values the verdict rests on, each with its value and source.
    unverified_values: tuple[str, ...] = ()


def criterion_titles() -> dict[str, str]:
    """Criterion ID -> English title (a msgid) from the rules."""
    from intake_assistant.rules import ALL_CRITERIA as CRITERIA

    return {c.id: c.title for c in CRITERIA}


def filled_titles(report: Report, draft: DraftApplication, language: str) -> dict[str, str]:
    """Criterion ID -> title in ``language``, its numbers filled from the report's round."""
    from intake_assistant.rules import UnknownRulesetError, load_ruleset
    from intake_assistant.rules.texts import fill, placeholders

    tr = translator(language)
    try:
        params = load_ruleset(report.ruleset_id).params_on(
            draft.project.application_date if draft.project else None)
        values = placeholders(params, tr)
    except UnknownRulesetError:
        values = {}
    return {cid: fill(tr.gettext(title), values) for cid, title in criterion_titles().items()}


def participant_label(tr: Translator, draft: DraftApplication, index: int | None) -> str | None:
    if index is None:
        return None
    participants = draft.participants or []
    name = participants[index].name if 0 <= index < len(participants) else None
    return name or tr.render(Message("Participant {number}", number=str(index + 1)))


def _line(tr: Translator, draft: DraftApplication, f: Finding, titles: Mapping[str, str],
          values: dict[str, str] | None = None):
    from intake_assistant.rules.texts import fill

    return SummaryLine(
        criterion=f.criterion,
        title=(fill(tr.gettext(titles[f.criterion]), values or {}) if f.criterion in titles
               else f.criterion),
        article=f.article,
        status=f.status,
        who=participant_label(tr, draft, f.participant_index),
        reason=tr.render(f.message),
        needs=f.needs,
        unverified=f.unverified,
        hint=f.hint_text(tr),
    )


def summarize(
    report: Report,
    draft: DraftApplication,
    language: str,
    titles: Mapping[str, str] | None = None,
) -> Summary:
    """Put ``report`` into words in ``language``."""
    tr = translator(language)
    titles = criterion_titles() if titles is None else titles

    from intake_assistant.rules import UnknownRulesetError, load_ruleset
    from intake_assistant.rules.rounds import round_label, unverified_basis
    from intake_assistant.rules.texts import placeholders

    day = draft.project.application_date if draft.project else None
    try:
        params = load_ruleset(report.ruleset_id).params_on(day)
        values = placeholders(params, tr)
        round_title = tr.render(round_label(report.ruleset_id))
        basis_values = tuple(tr.render(m) for m in unverified_basis(
            report.ruleset_id, report.unverified(), day))
    except UnknownRulesetError:  # a report made by hand for a ruleset that is not ours
        values, round_title, basis_values = {}, report.ruleset_id, ()

    def lines(status: Status) -> list[SummaryLine]:
        return [_line(tr, draft, f, titles, values) for f in report.by_status(status)]

    sub = report.subsidy
    rows = [
        SubsidyRow(
            name=participant_label(tr, draft, p.index) or "",
            eligible=tr.money(p.eligible_costs_eur),
            excluded=tr.money(p.excluded_costs_eur),
            share="–" if p.cost_share is None else tr.percent(p.cost_share),
            subsidy=tr.money(p.subsidy_eur),
            capped=p.capped,
        )
        for p in sub.participants
    ]
    rate_note = (
        Message("{rate} per hour", rate=tr.money(sub.hourly_rate_eur))
        if sub.hourly_rate_verified
        else Message("{rate} per hour (unverified parameter)", rate=tr.money(sub.hourly_rate_eur))
    )
    basis = tr.render(
        Message(
            "Own hours are valued at {rate_note}. The subsidy is {rate} of the eligible costs, "
            "at most {maximum} per participant.",
            rate_note=rate_note,
            rate=tr.percent(sub.subsidy_rate),
            maximum=tr.money(sub.max_per_participant_eur),
        )
    )
    return Summary(
        verdict=report.verdict,
        verdict_words=tr.render(VERDICT_WORDS[report.verdict]),
        verdict_explained=tr.render(VERDICT_EXPLAINED[report.verdict]),
        notice=tr.render(PRECHECK_NOTICE),
        failures=lines(Status.FAIL),
        warnings=lines(Status.WARN),
        missing=lines(Status.UNKNOWN),
        passed=lines(Status.PASS),
        info=lines(Status.INFO),
        subsidy_rows=rows,
        total_eligible=tr.money(sub.total_eligible_eur),
        total_subsidy=tr.money(sub.total_eur),
        subsidy_basis=basis,
        round_title=round_title,
        unverified_values=basis_values,
    )


def parameter_words(tr: Translator, name: str) -> str:
    """What the parameter ``name`` is, in words (its name stays beside it for reference)."""
    return tr.render(Message(PARAMETER_LABELS.get(name, name)))


def finding_details(tr: Translator, item: SummaryLine) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a report adds under a finding, each as a label and its parts ``(words, code)``
    (a code is a question's or a parameter's name, kept for reference; either may be empty):
    what would change it, the answers missing, the unverified values it rests on."""
    details: list[tuple[str, list[tuple[str, str]]]] = []
    if item.hint:
        details.append((tr.render(Message("What would change it:")), [(item.hint, "")]))
    if item.needs:
        details.append((tr.render(Message("Missing answers:")), [("", n) for n in item.needs]))
    if item.unverified:
        details.append((tr.render(Message("Rests on unverified values:")),
                        [(parameter_words(tr, n), n) for n in item.unverified]))
    return details
