"""Costs, subsidy and the application (art. 2.4, 2.5, 2.6-2.8, 2.10, 2.11 c, 2.12 b, 2.13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake_assistant.i18n import N_, Day, Joined, Message, Money, Percent
from intake_assistant.models import CostCategory
from intake_assistant.rules.criteria.criterion_hints import (
    application_window_hint,
    cap_hint,
    cost_share_hint,
)
from intake_assistant.rules.criteria.criterion_outcomes import (
    CATEGORY_LABELS,
    Outcome,
    blank,
    criterion,
    failed,
    hinted,
    informed,
    missing,
    passed,
    unverified_note,
    warned,
    with_unverified,
)
from intake_assistant.rules.findings import Status
from intake_assistant.rules.rounds import round_for_date, round_of_ruleset
from intake_assistant.rules.subsidy import share_over

if TYPE_CHECKING:
    from intake_assistant.rules.criteria.context import Context


def _unknown_costs(ctx: Context) -> list[str]:
    """The paths of the participants whose costs are not given yet (four criteria ask)."""
    return ctx.once(_costs_not_known)  # type: ignore[no-any-return]


def _costs_not_known(ctx: Context) -> list[str]:
    return [f"participants[{r.index}].own_hours" for r in ctx.subsidy.participants
            if not r.costs_known]


@criterion("COST-SHARE-70", "2.11 c; GBER 25(6)(b)",
           N_("No SME bears more than {max_cost_share} of the costs"))
def cost_share(ctx: Context) -> Outcome:
    """Art. 2.11 c; GBER 25(6)(b): no SME bears more than the maximum cost share.

    Toelichting art. 2.11: "[...] dat geen van de MKB-ondernemers in het circulair
    ketensamenwerkingsverband meer dan 70% van het totaal van de voor alle MKB-ondernemers [...]
    in aanmerking komende subsidiabele kosten voor zijn rekening neemt"
    """
    if not ctx.participants:
        return missing(Message("Add the participants and their costs."), "participants")
    unknown = _unknown_costs(ctx)
    if unknown:
        return missing(Message("Give the own hours and costs of every participant."), *unknown)
    rows = ctx.subsidy.participants
    if ctx.subsidy.total_eligible_eur <= 0:
        # Nothing to share; ELIGIBLE-COSTS fails for the lack of eligible costs.
        return informed(Message("There are no eligible costs, so there are no cost shares."))
    limit = ctx.params.max_cost_share
    largest = max(rows, key=lambda r: r.cost_share or 0.0)
    share = largest.cost_share or 0.0
    if share_over(share, limit):
        return hinted(failed(Message("{name} bears {share} of the eligible costs; no SME may bear more "
                              "than {limit}.", name=ctx.name(largest.index), share=Percent(share),
                              limit=Percent(limit))), cost_share_hint(ctx, largest.index))
    return passed(Message("The largest share of the eligible costs is {share} ({name}); at most "
                          "{limit} is allowed.", share=Percent(share), name=ctx.name(largest.index),
                          limit=Percent(limit)))


@criterion("ELIGIBLE-COSTS", "2.4", N_("Only eligible costs"))
def eligible_costs(ctx: Context) -> Outcome:
    """Art. 2.4: eligible costs (subsidiabele kosten).

    Toelichting art. 2.4: "In het derde lid zijn kosten voor marketing- en salesactiviteiten,
    opleidingen en deelname aan tentoonstellingen en symposia uitgesloten"; own hours at "een
    forfaitair uurtarief [...] als bedoeld in artikel 7, tweede lid, onder c, van het
    Kaderbesluit".
    """
    if not ctx.participants:
        return missing(Message("Add the participants and their costs."), "participants")
    unknown = _unknown_costs(ctx)
    if unknown:
        return missing(Message("Give the own hours and costs of every participant."), *unknown)
    sub = ctx.subsidy
    unpriced = [f"participants[{i}].cost_lines[{j}].{f}"
                for i, p in enumerate(ctx.participants)
                for j, line in enumerate(p.cost_lines or ())
                for f, v in (("category", line.category), ("amount_eur", line.amount_eur))
                if v is None]
    if unpriced:
        return missing(Message("Give the category and amount of every cost line."), *unpriced)
    if sub.total_eligible_eur <= 0:  # zero at any hourly rate: no unverified value involved
        return failed(Message("The participants have no eligible costs, so there is nothing to subsidise."))
    if sub.excluded_lines:
        lines = tuple(
            Message("{description} ({category}, {amount}, {name})",
                    description=line.description or "—", category=Message(CATEGORY_LABELS[line.category]),
                    amount=Money(line.amount_eur), name=ctx.name(line.participant_index))
            for line in sub.excluded_lines
        )
        outcome = warned(Message("Not eligible and left out of the total: {lines}. Marketing and "
                                 "sales, training, exhibitions and symposia are not eligible.",
                                 lines=Joined(lines, "; ")))
    else:
        outcome = passed(Message("All cost lines are eligible; eligible costs total {total}, own "
                                 "hours at {rate} an hour.", total=Money(sub.total_eligible_eur),
                                 rate=Money(sub.hourly_rate_eur)))
    sharing = [(i, line) for i, p in enumerate(ctx.participants) for line in p.cost_lines or ()
               if line.category == CostCategory.KNOWLEDGE_SHARING]
    if sharing and ctx.params.knowledge_sharing_eligible:
        # 2024 (reported): counted as eligible, so the verdict rests on that rule.
        if outcome.status is Status.PASS:
            outcome = Outcome(Status.WARN, outcome.message)
        outcome.notes += (Message(
            "Counted as eligible costs of sharing knowledge of the project: {lines}.",
            lines=Joined(tuple(Message("{description} ({amount}, {name})",
                                       description=line.description or "—",
                                       amount=Money(line.amount_eur or 0), name=ctx.name(i))
                               for i, line in sharing), "; ")),)
        outcome = with_unverified(outcome, ctx.params, "knowledge_sharing_eligible")
    return with_unverified(outcome, ctx.params, "hourly_rate_eur")


@criterion("SUBSIDY-AMOUNT", "2.5", N_("Subsidy per SME"))
def subsidy_amount(ctx: Context) -> Outcome:
    """Art. 2.5: the subsidy per SME (hoogte subsidie).

    Toelichting art. 2.5: "Het subsidiebedrag voor MKB-ondernemers [...] mag veelal op basis van
    deze vrijstellingen niet hoger zijn dan 50% van de subsidiabele kosten."
    """
    if not ctx.participants:
        return missing(Message("Add the participants and their costs."), "participants")
    unknown = _unknown_costs(ctx)
    if unknown:
        return missing(Message("Give the own hours and costs of every participant."), *unknown)
    sub = ctx.subsidy
    parts = tuple(Message("{name} {amount}", name=ctx.name(r.index), amount=Money(r.subsidy_eur))
                  for r in sub.participants)
    outcome = with_unverified(informed(Message(
        "{rate} of the eligible costs, at most {maximum} per SME: {amounts}; total {total}.",
        rate=Percent(sub.subsidy_rate), maximum=Money(sub.max_per_participant_eur),
        amounts=Joined(parts, "; "), total=Money(sub.total_eur))), ctx.params, "hourly_rate_eur")
    outcome.hint = cap_hint(ctx)
    # The maximum per SME is reported for every round (years.md), not read in a text.
    return with_unverified(outcome, ctx.params, "max_subsidy_per_participant_eur")


@criterion("APPLICATION-WINDOW", "2.6-2.8", N_("Applied within the opening period"))
def application_window(ctx: Context) -> Outcome:
    """Art. 2.6-2.8: the opening period (and the ceiling, first come first served).

    Toelichting art. 2.7: "In dit artikel wordt wat betreft de verdeling van het subsidieplafond
    het uitgangspunt 'wie het eerst komt, het eerst maalt' toegepast."
    """
    applied = ctx.project.application_date
    if applied is None:
        return missing(Message("Give the (planned) application date."), "project.application_date")
    expiry = ctx.params.regulation_expiry
    if applied >= expiry:
        # "vervalt met ingang van 9 april 2025" (Toelichting 2020, § 6): not open on that day.
        return failed(Message(
            "The application date {date} is on or after {expiry}, when the regulation expired "
            "(horizon article 3.2, numbered 4.2 since Stcrt. 2024, 38228); no later round of "
            "circular chain projects is known. An extension, if there was one, is not known to "
            "this pre-check.", date=Day(applied), expiry=Day(expiry)))
    own = round_of_ruleset(ctx.ruleset)
    if own is None:  # a ruleset without a round of its own
        return Outcome(Status.WARN, Message(
            "The opening period for {year} is not known to this pre-check; check with RVO that "
            "{date} falls inside it. The budget is first come, first served.",
            year=str(applied.year), date=Day(applied)),
            unverified=("opening_period",), notes=(unverified_note(ctx.params, "opening_period"),))
    right = round_for_date(applied)
    period = {"first": Day(own.first), "last": Day(own.last), "year": str(own.year)}
    if own.holds(applied):
        inside = Message("The application date {date} is inside the opening period of round "
                         "{year}, {first} to {last}. The budget is first come, first served.",
                         date=Day(applied), **period)
        if ctx.params.verified("opening_period"):
            return passed(inside)
        # A reported period: the date may still fall outside the real one; RVO confirms.
        return with_unverified(warned(inside), ctx.params, "opening_period")
    hint = application_window_hint(ctx, applied, own.first, own.last, own.year)
    if right.holds(applied):
        return hinted(warned(Message(
            "The application date {date} falls in the opening period of round {right_year} "
            "({right_first} to {right_last}), not in that of round {year} ({first} to {last}) "
            "that this draft is checked against; check it against ruleset {right_ruleset} "
            "(check --ruleset auto).", date=Day(applied), right_year=str(right.year),
            right_first=Day(right.first), right_last=Day(right.last),
            right_ruleset=right.ruleset_id, **period)), hint)
    outcome = warned(Message("No round is open on {date}: round {year} is open from {first} to "
                             "{last}. The budget is first come, first served.",
                             date=Day(applied), **period))
    if right.ruleset_id != own.ruleset_id:
        outcome.notes += (Message("On that date the rules of round {right_year} (ruleset "
                                  "{right_ruleset}) are in force, from {in_force}.",
                                  right_year=str(right.year), right_ruleset=right.ruleset_id,
                                  in_force=Day(right.in_force)),)
    return hinted(with_unverified(outcome, ctx.params, "opening_period"), hint)


@criterion("COMPLETENESS", "2.10; Kaderbesluit 26", N_("The application is complete"))
def completeness(ctx: Context) -> Outcome:
    """Art. 2.10; Kaderbesluit art. 26: the application is complete.

    Toelichting art. 2.9: "[...] dat de penvoerder bij de aanvraag een overeenkomst voegt
    betreffende de samenwerking van de deelnemers van het samenwerkingsverband en een
    verklaring van de deelnemers waarin een penvoerder is aangewezen."
    """
    project = ctx.project
    parts: list[tuple[str, str]] = []
    if blank(project.public_summary):
        parts.append((N_("public summary"), "project.public_summary"))
    if not project.project_plan_attached:
        parts.append((N_("project plan"), "project.project_plan_attached"))
    if not ctx.participants or _unknown_costs(ctx):
        parts.append((N_("budget per participant"), "participants"))
    if not project.cooperation_agreement:
        parts.append((N_("cooperation agreement"), "project.cooperation_agreement"))
    if not project.lead_designation_statement:
        parts.append((N_("statement designating the lead applicant"),
                      "project.lead_designation_statement"))
    if parts:
        return missing(Message("Still missing for a complete application: {parts}.",
                               parts=Joined(tuple(Message(label) for label, _ in parts))),
                       *(path for _, path in parts))
    return passed(Message("The application holds a public summary, project plan, budget per "
                          "participant, cooperation agreement and lead designation."))


@criterion("REPORTING", "2.12 b, 2.13", N_("Reporting and determination"))
def reporting(ctx: Context) -> Outcome:
    """Art. 2.12 b, 2.13: the results report and ex-officio determination.

    Toelichting art. 2.13: "[...] indien een subsidie lager dan € 25.000 wordt verstrekt, [...]
    dat de subsidievaststelling ambtshalve plaatsvindt zonder dat hiervoor een aanvraag wordt
    ingediend."
    """
    return informed(Message("After the project the partnership submits a short results report. "
                            "Grants below {threshold} are determined ex officio; each SME's grant "
                            "is at most {maximum}.",
                            threshold=Money(ctx.params.ex_officio_threshold_eur),
                            maximum=Money(ctx.params.max_subsidy_per_participant_eur)))
