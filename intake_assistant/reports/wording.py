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

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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
    #: What the finding rests on, each as ``(words, code)``: the answers by their question,
    #: the parameters by their description (an unverified one marked); the code is the
    #: answer's draft path or the parameter's name.
    basis: tuple[tuple[str, str], ...] = ()
    #: Each of ``needs`` as the question that asks it (the path itself where none does).
    needs_words: tuple[str, ...] = ()


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


def title_and_day(tr: Translator, draft: DraftApplication,
                  generated: dt.datetime | None) -> tuple[str, dt.date]:
    """What every report kind heads with: the project's title (its words, not yet made safe
    for the kind) and the day the report is made (``generated``, else now)."""
    title = (draft.project.title if draft.project else None) or tr.render(
        Message("Untitled project"))
    return title, (generated or dt.datetime.now()).date()


def participant_label(tr: Translator, draft: DraftApplication, index: int | None) -> str | None:
    if index is None:
        return None
    participants = draft.participants or []
    name = participants[index].name if 0 <= index < len(participants) else None
    return name or tr.render(Message("Participant {number}", number=str(index + 1)))


def _line(tr: Translator, draft: DraftApplication, f: Finding, titles: Mapping[str, str],
          values: dict[str, str] | None = None, ruleset_id: str | None = None):
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
        basis=basis_words(tr, f, draft, ruleset_id) if ruleset_id else (),
        needs_words=needs_words(tr, f, draft, ruleset_id) if ruleset_id and f.needs else (),
    )


#: The longest answer text quoted in a basis (a description is named, not repeated).
_QUOTED = 80


def needs_words(tr: Translator, finding: Finding, draft: DraftApplication,
                ruleset_id: str) -> tuple[str, ...]:
    """The answers ``finding`` still needs, each as the question that asks for it."""
    from intake_assistant.flow.answer_labels import answer_label

    names = {i: p.name for i, p in enumerate(draft.participants or ()) if p.name}
    return tuple(answer_label(ruleset_id, need, names, tr.language) for need in finding.needs)


def basis_words(tr: Translator, finding: Finding, draft: DraftApplication,
                ruleset_id: str) -> tuple[tuple[str, str], ...]:
    """What ``finding`` rests on in words: ``question: answer`` for each answer it read, then
    ``description: value`` for each parameter, an unverified one marked with its source."""
    if finding.basis is None:
        return ()
    from intake_assistant.flow.answer_labels import answer_label

    names = {i: p.name for i, p in enumerate(draft.participants or ()) if p.name}
    out: list[tuple[str, str]] = []
    for path, value in finding.basis.answers.items():
        label = answer_label(ruleset_id, path, names, tr.language)
        if value is None and _answered_no(draft, path):  # a gate answered no: null, not absent
            words = tr.render(Message("no"))
        else:
            words = _answer_words(tr, ruleset_id, path, value)
        out.append((tr.render(Message("{question}: {answer}", question=label, answer=words)),
                    path))
    for name, meta in finding.basis.parameters.items():
        words = Message("{parameter}: {value}",
                        parameter=tr.gettext(meta.description) if meta.description else name,
                        value=format_parameter(tr, meta.unit, meta.value))
        if not meta.verified:
            words = Message("{parameter} (unverified; source: {source})", parameter=words,
                            source=tr.gettext(meta.source))
        out.append((tr.render(words), name))
    return tuple(out)


def format_parameter(tr: Translator, unit: str, value: Any) -> str:
    """A parameter value in words for ``unit`` (the units of the ruleset files)."""
    from intake_assistant.rules.criteria.criterion_outcomes import parameter_value

    if value is None or value == "":
        return tr.render(Message("(no value)"))
    if isinstance(value, str) and unit == "period":
        try:  # "2020-04-09/2020-10-01": two dates
            for part in value.split("/"):
                dt.date.fromisoformat(part[:10])
        except ValueError:
            return value
    return tr.format_value(parameter_value(value, unit))


def _answered_no(draft: DraftApplication, path: str) -> bool:
    """``facilitator: null``: the answer no (no facilitator appointed), where absent is none."""
    return path == "facilitator" and draft.facilitator_answered


def _answer_words(tr: Translator, ruleset_id: str, path: str, value: object) -> str:
    from intake_assistant.flow.answer_labels import choice_label

    if value is None:
        return tr.render(Message("not answered"))
    if hasattr(value, "model_fields_set"):  # an object that is there: its question says yes
        return tr.render(Message("yes"))
    if isinstance(value, bool):
        return tr.render(Message("yes") if value else Message("no"))
    if isinstance(value, str):
        code = getattr(value, "value", None)
        if code is not None:  # a choice: its words in the question
            return choice_label(ruleset_id, path, code, tr.language) or code
        text = " ".join(value.split())
        return text if len(text) <= _QUOTED else text[:_QUOTED - 1] + "…"
    if isinstance(value, int | float):
        return tr.money(value) if path.endswith("_eur") else tr.number(value)
    if isinstance(value, dt.date):
        return tr.date(value)
    if isinstance(value, list | tuple):
        if not value:
            return tr.render(Message("none"))
        return ", ".join(_answer_words(tr, ruleset_id, path, v) for v in value)
    return str(value)


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
        basis_values = tuple(tr.render(m) for m in unverified_basis(report, draft))
    except UnknownRulesetError:  # a report made by hand for a ruleset that is not ours
        values, round_title, basis_values = {}, report.ruleset_id, ()

    def lines(status: Status) -> list[SummaryLine]:
        return [_line(tr, draft, f, titles, values, report.ruleset_id)
                for f in report.by_status(status)]

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


def rests_on_words(tr: Translator, names: Iterable[str]) -> str:
    """"Rests on unverified values: the opening period for applications": what a finding
    rests on, briefly, where it stands (its values and sources are in the full list)."""
    return " ".join([tr.render(Message("Rests on unverified values:")),
                     ", ".join(parameter_words(tr, n) for n in names)])


def finding_details(tr: Translator, item: SummaryLine) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a report adds under a finding, each as a label and its parts ``(words, code)``
    (a code is a question's or a parameter's name, kept for reference; either may be empty):
    what would change it, the answers missing, the unverified values it rests on."""
    details: list[tuple[str, list[tuple[str, str]]]] = []
    if item.hint:
        details.append((tr.render(Message("What would change it:")), [(item.hint, "")]))
    if item.needs:
        words = item.needs_words or item.needs  # the path alone only where no question asks
        details.append((tr.render(Message("Missing answers:")),
                        [("" if w == n else w, n) for w, n in zip(words, item.needs, strict=True)]))
    if item.unverified:
        details.append((tr.render(Message("Rests on unverified values:")),
                        [(parameter_words(tr, n), n) for n in item.unverified]))
    if item.basis:
        details.append((tr.render(Message("Rests on:")), list(item.basis)))
    return details
