"""What changed between two drafts: answers in words, criteria, subsidy per participant.

    comparison = compare(old_draft, new_draft, "nl")
    comparison.answers     # per question: section, question, about whom, before, after
    comparison.criteria    # per criterion (and participant) whose status changed
    comparison.subsidy     # per participant: subsidy before and after
    comparison.verdicts    # verdict before and after

The answers are read through the question flow, so a change is named by its question in the
user's language ("Aantal fte (werknemers)", participant 2: Houtbewerking Noord B.V.), not by
a JSON path; the pre-check of each draft is the one ``check`` gives. No UI here: ``diff`` on
the command line prints it, as text or as one JSON object.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake_assistant.flow.session import IntakeSession
from intake_assistant.i18n import Money, Translator, translator
from intake_assistant.models import DraftApplication
from intake_assistant.rules import Report, Status, Verdict
from intake_assistant.safe_text import visible
from intake_assistant.status_words import STATUS_WORDS, VERDICT_WORDS


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One question whose answer differs: ``before`` or ``after`` is None when not given."""

    key: str
    section: str
    question: str
    about: str | None  # the instance: "Participant 2: Acme B.V. · Cost line 1"
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class CriterionChange:
    criterion: str
    article: str
    participant: str | None
    before: str | None  # a status, or None where the criterion was not judged for it
    after: str | None


@dataclass(frozen=True, slots=True)
class SubsidyChange:
    participant: str
    before_eur: float | None
    after_eur: float | None


@dataclass(frozen=True, slots=True)
class Comparison:
    verdicts: tuple[str, str]
    answers: tuple[AnswerChange, ...]
    criteria: tuple[CriterionChange, ...]
    subsidy: tuple[SubsidyChange, ...]
    totals_eur: tuple[float, float]

    @property
    def same_verdict(self) -> bool:
        return self.verdicts[0] == self.verdicts[1]


def _answers(session: IntakeSession) -> dict[str, tuple[str, str, str | None, str]]:
    """key -> (section, question, about whom, answer as the review shows it)."""
    out = {}
    answered = set(session.answered_keys)
    for item in session.review_items():
        if item.set_aside or item.key not in answered:
            continue
        view = session.view(item.key)
        out[item.key] = (item.section_label, item.label,
                         view.instance_label if view else None, item.answer)
    return out


def _participant_name(draft: DraftApplication, index: int | None, kvk: str | None) -> str | None:
    if index is None:
        return None
    participants = draft.participants or []
    name = participants[index].name if index < len(participants) else None
    return f"{index + 1}. {name or kvk or '?'}"


def _statuses(report: Report, draft: DraftApplication) -> dict[tuple[str, str | None], tuple[str, str]]:
    """(criterion, participant) -> (status, article); participants matched by KvK number."""
    out = {}
    for f in report.findings:
        who = (f.participant or _participant_name(draft, f.participant_index, None)
               if f.participant_index is not None else None)
        out[(f.criterion, who)] = (str(f.status), f.article)
    return out


def _subsidy(report: Report) -> dict[str, tuple[str, float]]:
    return {
        (p.kvk_number or f"#{p.index + 1}"): (p.name or p.kvk_number or f"#{p.index + 1}",
                                             p.subsidy_eur)
        for p in report.subsidy.participants
    }


def compare(old: DraftApplication, new: DraftApplication, language: str) -> Comparison:
    """The answers, criteria and subsidy that differ from ``old`` to ``new``."""
    before_session = IntakeSession.from_draft(old, language)
    after_session = IntakeSession.from_draft(new, language)
    before, after = _answers(before_session), _answers(after_session)
    order = list(after) + [k for k in before if k not in after]
    answers = []
    for key in order:
        b, a = before.get(key), after.get(key)
        if b is not None and a is not None and b[3] == a[3]:
            continue
        section, question, about, _answer = a or b  # type: ignore[misc]
        answers.append(AnswerChange(key, section, question, about,
                                    b[3] if b else None, a[3] if a else None))

    old_report, new_report = before_session.report, after_session.report
    old_status, new_status = _statuses(old_report, old), _statuses(new_report, new)
    names = {p.kvk_number: _participant_name(new, i, p.kvk_number)
             for i, p in enumerate(new.participants or []) if p.kvk_number}
    names.update({p.kvk_number: _participant_name(old, i, p.kvk_number)
                  for i, p in enumerate(old.participants or [])
                  if p.kvk_number and p.kvk_number not in names})
    criteria = []
    for key in list(new_status) + [k for k in old_status if k not in new_status]:
        b, a = old_status.get(key), new_status.get(key)
        if b is not None and a is not None and b[0] == a[0]:
            continue
        criterion, who = key
        criteria.append(CriterionChange(criterion, (a or b)[1],  # type: ignore[index]
                                        names.get(who, who) if who else None,
                                        b[0] if b else None, a[0] if a else None))

    old_subsidy, new_subsidy = _subsidy(old_report), _subsidy(new_report)
    subsidy = []
    for who in list(new_subsidy) + [k for k in old_subsidy if k not in new_subsidy]:
        b, a = old_subsidy.get(who), new_subsidy.get(who)
        subsidy.append(SubsidyChange((a or b)[0],  # type: ignore[index]
                                     b[1] if b else None, a[1] if a else None))
    return Comparison(
        (str(old_report.verdict), str(new_report.verdict)), tuple(answers), tuple(criteria),
        tuple(subsidy), (old_report.subsidy.total_eur, new_report.subsidy.total_eur),
    )


# -- output ------------------------------------------------------------------------------

def _status_word(tr: Translator, status: str | None) -> str:
    if status is None:
        return tr("not judged")
    return tr.render(STATUS_WORDS[Status(status)])


def to_text(comparison: Comparison, language: str, old_name: str, new_name: str) -> str:
    """The comparison for a terminal; every value from a draft made visible."""
    tr = translator(language)
    old_verdict, new_verdict = (tr.render(VERDICT_WORDS[Verdict(v)]) for v in comparison.verdicts)
    lines = [
        tr("Comparing {old} with {new} (a pre-check: RVO decides)",
           old=visible(old_name), new=visible(new_name)),
        tr("Verdict: {before} -> {after}", before=old_verdict, after=new_verdict),
        "",
        tr("Answers changed: {count}", count=str(len(comparison.answers))),
    ]
    none = tr("(no answer)")
    for change in comparison.answers:
        about = f" ({visible(change.about)})" if change.about else ""
        lines.append(f"  {visible(change.section)}: {visible(change.question)}{about}")
        lines.append("    " + tr("before: {answer}", answer=visible(change.before)
                                 if change.before is not None else none))
        lines.append("    " + tr("after: {answer}", answer=visible(change.after)
                                 if change.after is not None else none))
    lines += ["", tr("Criteria whose status changed: {count}", count=str(len(comparison.criteria)))]
    for change in comparison.criteria:
        who = f" ({visible(change.participant)})" if change.participant else ""
        lines.append("  " + tr("{criterion} (art. {article}){who}: {before} -> {after}",
                               criterion=change.criterion, article=change.article, who=who,
                               before=_status_word(tr, change.before),
                               after=_status_word(tr, change.after)))
    lines += ["", tr("Subsidy per participant (before -> after):")]
    for row in comparison.subsidy:
        before = tr.format_value(Money(row.before_eur)) if row.before_eur is not None else none
        after = tr.format_value(Money(row.after_eur)) if row.after_eur is not None else none
        lines.append(f"  {visible(row.participant)}: {before} -> {after}")
    lines.append("  " + tr("Total: {before} -> {after}",
                           before=tr.format_value(Money(comparison.totals_eur[0])),
                           after=tr.format_value(Money(comparison.totals_eur[1]))))
    return "\n".join(lines) + "\n"


def to_json(comparison: Comparison, old_name: str, new_name: str) -> dict[str, object]:
    """The comparison as one JSON object; write it with ``safe_text.json_text`` (values stay
    exact for a JSON reader, and no control character reaches a terminal)."""
    return {
        "old": old_name,
        "new": new_name,
        "verdict": {"before": comparison.verdicts[0], "after": comparison.verdicts[1]},
        "answers": [
            {"key": c.key, "section": c.section, "question": c.question, "about": c.about,
             "before": c.before, "after": c.after}
            for c in comparison.answers
        ],
        "criteria": [
            {"criterion": c.criterion, "article": c.article, "participant": c.participant,
             "before": c.before, "after": c.after}
            for c in comparison.criteria
        ],
        "subsidy": [
            {"participant": r.participant, "before_eur": r.before_eur, "after_eur": r.after_eur}
            for r in comparison.subsidy
        ],
        "total_eur": {"before": comparison.totals_eur[0], "after": comparison.totals_eur[1]},
    }
