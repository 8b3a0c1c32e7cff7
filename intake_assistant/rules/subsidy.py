"""Eligible costs and the subsidy per participant (art. 2.4 and 2.5).

Eligible costs of a participant: own hours at the ruleset's fixed hourly rate plus its
eligible cost lines (third-party costs, the facilitator's included). Marketing and sales,
training, exhibitions and symposia are not eligible: they are dropped and listed; so are
knowledge-sharing costs, unless the round counts them (``knowledge_sharing_eligible``). The
subsidy is the subsidy rate (50 %) of the eligible costs, at most the maximum per SME.
"""

from __future__ import annotations

from collections.abc import Sequence

from intake_assistant.models import NOT_ELIGIBLE_CATEGORIES, CostCategory, Participant
from intake_assistant.rules.basis import unrecorded
from intake_assistant.rules.findings import (
    ExcludedCostLine,
    ParticipantSubsidy,
    SubsidyCalculation,
)
from intake_assistant.rules.ruleset import Params


def share_over(share: float | None, limit: float) -> bool:
    """Whether a participant's cost share (None: none yet) is above the maximum share: the
    one test of COST-SHARE-70, its hints and the bars (a share computed a rounding's width
    above the limit is at it, not over)."""
    return (share or 0.0) > limit + 1e-12


def _cents(amount: float) -> float:
    return round(amount + 0.0, 2)


def calculate(participants: Sequence[Participant], params: Params) -> SubsidyCalculation:
    rate = float(params.hourly_rate_eur)
    subsidy_rate = float(params.subsidy_rate)
    maximum = float(params.max_subsidy_per_participant_eur)
    excluded_categories = NOT_ELIGIBLE_CATEGORIES
    if any(line.category == CostCategory.KNOWLEDGE_SHARING
           for participant in participants for line in participant.cost_lines or ()):
        # Knowledge sharing is a symposium (excluded) unless the round counts it (2024, reported).
        if not params.knowledge_sharing_eligible:
            excluded_categories = NOT_ELIGIBLE_CATEGORIES | {CostCategory.KNOWLEDGE_SHARING}
    excluded_lines: list[ExcludedCostLine] = []
    partial: list[tuple[int, Participant, float, float, float, bool]] = []
    for index, participant in enumerate(participants):
        own = (participant.own_hours or 0.0) * rate
        eligible = own
        excluded = 0.0
        for line in participant.cost_lines or ():
            amount = line.amount_eur
            if amount is None:
                continue
            if line.category in excluded_categories:
                excluded += amount
                excluded_lines.append(
                    ExcludedCostLine(index, line.description, str(line.category), amount)
                )
            else:
                eligible += amount
        known = participant.own_hours is not None or participant.cost_lines is not None
        partial.append((index, participant, own, eligible, excluded, known))
    total_eligible = sum(row[3] for row in partial)
    rows = []
    for index, participant, own, eligible, excluded, known in partial:
        raw = eligible * subsidy_rate
        rows.append(
            ParticipantSubsidy(
                index=index,
                # labels of the row, not what its figures rest on
                name=unrecorded(participant).name,
                kvk_number=unrecorded(participant).kvk_number,
                own_hours_eur=_cents(own),
                eligible_costs_eur=_cents(eligible),
                excluded_costs_eur=_cents(excluded),
                cost_share=(eligible / total_eligible) if total_eligible > 0 else None,
                subsidy_eur=_cents(min(raw, maximum)),
                capped=raw > maximum,
                costs_known=known,
            )
        )
    return SubsidyCalculation(
        hourly_rate_eur=rate,
        hourly_rate_verified=params.verified("hourly_rate_eur"),
        subsidy_rate=subsidy_rate,
        max_per_participant_eur=maximum,
        participants=tuple(rows),
        excluded_lines=tuple(excluded_lines),
        total_eligible_eur=_cents(total_eligible),
        total_eur=_cents(sum(r.subsidy_eur for r in rows)),
    )
