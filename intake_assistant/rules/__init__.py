"""The pre-check: every criterion of the regulation as a pure function over the draft.

    from intake_assistant.rules import evaluate
    report = evaluate(draft)            # the draft's own ruleset, else sce-2020
    report.verdict, report.findings, report.subsidy

No I/O and no UI here: the same rules answer the intake, the report and ``check``.
"""

from __future__ import annotations

from functools import cache

from intake_assistant.i18n import Message
from intake_assistant.models import DraftApplication
from intake_assistant.rules.basis import Basis
from intake_assistant.rules.changes import apply_changes
from intake_assistant.rules.criteria import (
    ALL_CRITERIA,
    CRITERIA,
    Context,
    CriterionInfo,
    function_of,
)
from intake_assistant.rules.findings import (
    Finding,
    ParticipantSubsidy,
    Report,
    Status,
    SubsidyCalculation,
    Verdict,
    verdict_of,
)
from intake_assistant.rules.ruleset import (
    DEFAULT_RULESET,
    Ruleset,
    UnknownRulesetError,
    available_rulesets,
    load_ruleset,
)
from intake_assistant.rules.subsidy import calculate

__all__ = [
    "ALL_CRITERIA",
    "CRITERIA",
    "DEFAULT_RULESET",
    "Basis",
    "CriterionInfo",
    "Finding",
    "ParticipantSubsidy",
    "Report",
    "Ruleset",
    "Status",
    "SubsidyCalculation",
    "UnknownRulesetError",
    "Verdict",
    "available_rulesets",
    "criteria_of",
    "evaluate",
    "load_ruleset",
    "verdict_of",
]


@cache
def _criteria_table(ruleset: Ruleset) -> tuple[tuple[CriterionInfo, object], ...]:
    base = {c.id: function_of(c.id) for c in CRITERIA if not c.added_by_change}
    table = apply_changes(base, ruleset.rule_changes)
    # A round whose rule rests on another article says so in its ruleset ([articles]).
    articles = ruleset.articles
    return tuple((info.on_article(articles[info.id]) if info.id in articles else info,
                  table[info.id]) for info in ALL_CRITERIA if info.id in table)


def criteria_of(ruleset: Ruleset | str) -> list[CriterionInfo]:
    """The criteria ``ruleset`` checks, in the order of the findings."""
    if not isinstance(ruleset, Ruleset):
        ruleset = load_ruleset(ruleset)
    return [info for info, _ in _criteria_table(ruleset)]


def evaluate(draft: DraftApplication, ruleset: Ruleset | str | None = None, *,
             basis: bool = True) -> Report:
    """Check ``draft`` against ``ruleset`` (default: the draft's own, else sce-2020).

    Each finding records what it rests on (``Finding.basis``); ``basis=False`` where no one
    will read it (a text without it): the same findings, without their bases, faster."""
    if not isinstance(ruleset, Ruleset):
        ruleset = load_ruleset(ruleset or draft.ruleset or DEFAULT_RULESET)
    ctx = Context(draft, ruleset, calculate, record_basis=basis)
    if not basis:
        return _findings_alone(ctx, draft, ruleset)
    findings: list[Finding] = []
    append = findings.append
    participants = tuple(enumerate(ctx.participants))
    rec = ctx.recording
    for info, fn in _criteria_table(ruleset):
        criterion, article = info.id, info.article
        if info.per_participant:
            if not participants:
                basis = rec.current = Basis()
                basis.answers["participants"] = draft.participants
                append(Finding(criterion, Status.UNKNOWN, article, _no_participants_message(),
                               None, None, ("participants",), basis=basis))
                continue
            for index, participant in participants:
                basis = rec.current = Basis()  # what this finding's criterion reads
                out = fn(ctx, index, participant)  # type: ignore[operator]
                append(Finding(criterion, out.status, out.article or article, out.message,
                               draft.participants[index].kvk_number, index,  # type: ignore[index]
                               out.needs, out.unverified, out.notes, out.hint, basis))
        else:
            basis = rec.current = Basis()
            out = fn(ctx)  # type: ignore[operator]
            append(Finding(criterion, out.status, out.article or article, out.message, None, None,
                           out.needs, out.unverified, out.notes, out.hint, basis))
    return Report(ruleset.id, tuple(findings), ctx.subsidy_calculation)


def _findings_alone(ctx: Context, draft: DraftApplication, ruleset: Ruleset) -> Report:
    """``evaluate`` without the bases (``ctx`` sees the draft itself)."""
    findings: list[Finding] = []
    append = findings.append
    participants = tuple(enumerate(ctx.participants))
    for info, fn in _criteria_table(ruleset):
        criterion, article = info.id, info.article
        if info.per_participant:
            if not participants:
                append(Finding(criterion, Status.UNKNOWN, article, _no_participants_message(),
                               None, None, ("participants",)))
                continue
            for index, participant in participants:
                out = fn(ctx, index, participant)  # type: ignore[operator]
                append(Finding(criterion, out.status, out.article or article, out.message,
                               participant.kvk_number, index, out.needs, out.unverified,
                               out.notes, out.hint))
        else:
            out = fn(ctx)  # type: ignore[operator]
            append(Finding(criterion, out.status, out.article or article, out.message, None, None,
                           out.needs, out.unverified, out.notes, out.hint))
    return Report(ruleset.id, tuple(findings), ctx.subsidy_calculation)


def _no_participants_message() -> Message:
    return Message("Add the participants of the partnership.")
