"""The project (art. 2.3, 2.11): activities, effects, circularity, duration and timing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake_assistant.i18n import N_, Day, Joined, Message, Number, Plural
from intake_assistant.models import Participant, RStrategy
from intake_assistant.rules.criteria.criterion_hints import (
    continues_hint,
    duration_hint,
    start_window_hint,
)
from intake_assistant.rules.criteria.criterion_outcomes import (
    Outcome,
    add_months,
    add_years,
    blank,
    criterion,
    fail_unless_unverified,
    failed,
    hinted,
    informed,
    missing,
    missing_unless_verified,
    passed,
    warned,
    with_unverified,
)
from intake_assistant.rules.criteria.partnership import members, not_members_noted, role_key
from intake_assistant.rules.findings import Status, ppath

if TYPE_CHECKING:
    from intake_assistant.rules.criteria.context import Context


@criterion("ACTIVITY-TYPE", "2.3 c", N_("Experimental development or process/organisational innovation"))
def activity_type(ctx: Context) -> Outcome:
    """Art. 2.3 c: the kind of activity.

    Toelichting art. 2.3: "Het vereiste onder c dat het circulair ketenproject is aan te merken
    als een experimentele ontwikkeling of als proces- en organisatie-innovatie ziet ook op
    situaties waarbij sprake is van een project waarbinnen activiteiten worden uitgevoerd die
    onder beide genoemde categorieën vallen."
    """
    types = ctx.project.activity_types
    if types is None:
        return missing(Message("Choose what kind of activity the project is."),
                       "project.activity_types")
    if not types:
        return failed(Message("The project is neither experimental development nor process or "
                              "organisational innovation."))
    return passed(Message("The project is an eligible kind of activity."))


@criterion("RESOURCE-CO2", "2.3 a", N_("Raw-material savings and CO2 reduction"))
def resource_co2(ctx: Context) -> Outcome:
    """Art. 2.3 a: raw-material savings and CO2 reduction.

    Toelichting art. 2.3: "Onder a wordt de eis gesteld dat de uitvoering van een circulair
    ketenproject gericht moet zijn op activiteiten die leiden tot grondstoffenbesparing en
    reductie van CO2-uitstoot." (an estimate "ten opzichte van niet circulaire alternatieven")
    """
    savings, co2 = ctx.project.raw_material_savings, ctx.project.co2_reduction
    quantity = savings.quantity if savings else None
    tonnes = co2.tonnes_per_year if co2 else None
    if quantity is not None and quantity <= 0:
        return failed(Message("The raw-material saving is {quantity}; the project must save raw "
                              "materials.", quantity=Number(quantity)))
    if tonnes is not None and tonnes <= 0:
        return failed(Message("The CO2 reduction is {tonnes} tonnes per year; the project must "
                              "reduce CO2.", tonnes=Number(tonnes)))
    needs = []
    if quantity is None:
        needs.append("project.raw_material_savings.quantity")
    if savings is None or blank(savings.unit):
        needs.append("project.raw_material_savings.unit")
    if savings is None or blank(savings.basis):
        needs.append("project.raw_material_savings.basis")
    if tonnes is None:
        needs.append("project.co2_reduction.tonnes_per_year")
    if co2 is None or blank(co2.basis):
        needs.append("project.co2_reduction.basis")
    if needs:
        return missing(Message("Give the estimated raw-material saving and CO2 reduction, each "
                               "with its basis."), *needs)
    return passed(Message("The project saves {quantity} {unit} of raw material and {tonnes} tonnes "
                          "of CO2 per year.", quantity=Number(quantity), unit=savings.unit,  # type: ignore[arg-type,union-attr]
                          tonnes=Number(tonnes)))  # type: ignore[arg-type]


@criterion("NO-DOWNCYCLING", "2.3 d", N_("Not mainly downcycling"))
def no_downcycling(ctx: Context) -> Outcome:
    """Art. 2.3 d: not aimed at downcycling.

    Toelichting art. 2.3: "Uit het vereiste onder d volgt dat geen subsidie kan worden verstrekt
    voor een project dat op 'downcycling' ziet."
    """
    project = ctx.project
    if project.mainly_downcycling:
        return failed(Message("The project is mainly aimed at downcycling, which is excluded."))
    if project.r_strategy == RStrategy.R9:
        return failed(Message("The main strategy is R9 Recover (energy recovery), which is "
                              "downcycling."))
    needs = []
    if project.mainly_downcycling is None:
        needs.append("project.mainly_downcycling")
    if project.r_strategy is None:
        needs.append("project.r_strategy")
    if needs:
        return missing(Message("Answer the questions on the circular strategy."), *needs)
    if project.r_strategy == RStrategy.R8:
        return warned(Message("The main strategy is R8 Recycle: allowed only where the material "
                              "keeps its value and function."))
    return passed(Message("The main strategy is {strategy}; the project is not mainly "
                          "downcycling.", strategy=str(project.r_strategy)))


@criterion("MARKET-APPLICATION", "2.3 a, 2.11 e", N_("The results will be applied"))
def market_application(ctx: Context) -> Outcome:
    """Art. 2.3 a, 2.11 e: the results are actually applied.

    Toelichting art. 2.11: "Wanneer op voorhand wordt betwijfeld of de resultaten van het
    uitgevoerde project daadwerkelijk worden toegepast, wordt de aanvraag om subsidie
    afgewezen."
    """
    project = ctx.project
    if project.results_applied_after_project is False:
        return failed(Message("The partners will not apply the results; the results must actually "
                              "be applied."))
    needs = []
    if project.results_applied_after_project is None:
        needs.append("project.results_applied_after_project")
    if blank(project.application_plan):
        needs.append("project.application_plan")
    if needs:
        return missing(Message("Describe how and when the partners will apply the results."),
                       *needs)
    return passed(Message("The partners will apply the results and describe how."))


@criterion("PARTNERSHIP-CONTINUES", "2.3 b 3°", N_("The partnership continues after the project"))
def partnership_continues(ctx: Context) -> Outcome:
    """Art. 2.3 b 3° (from 2021): the partnership keeps cooperating.

    years.md (Stcrt. 2020, 64661, art. I B): "after the project at least 3 SMEs with at least 3
    different roles keep cooperating"; required from 2021, for 2020 only advised (warn). Only
    the SMEs count (a large enterprise is no member of the partnership up to 2021; from 2022 a
    large enterprise makes this a warning, rule change one-large-enterprise-allowed).
    """
    if not ctx.participants:
        return missing(Message("Add the participants of the partnership."), "participants")
    ps = ctx.participants
    counted = members(ctx)
    staying = [ps[i] for i in counted if ps[i].continues_after_project]
    roles = len({k for k in (role_key(p) for p in staying) if k is not None})
    low, need_roles = ctx.params.min_participants, ctx.params.min_chain_roles
    if len(staying) >= low and roles >= need_roles:
        return not_members_noted(ctx, passed(Message(
            "{count} participants with {roles} different roles keep cooperating after the "
            "project.", count=len(staying), roles=roles)))
    unanswered = [ppath(i, "continues_after_project") for i in counted
                  if ps[i].continues_after_project is None]
    if unanswered:
        return missing(Message("Answer for every participant whether it keeps cooperating after "
                               "the project."), *unanswered)
    message = Plural("Only {count} participant with {roles} keeps cooperating after the "
                     "project; at least {minimum} SMEs with {min_roles} roles are expected.",
                     "Only {count} participants with {roles} keep cooperating after the "
                     "project; at least {minimum} SMEs with {min_roles} roles are expected.",
                     "count", count=len(staying), minimum=low, min_roles=need_roles,
                     roles=Plural("{count} different role", "{count} different roles", "count",
                                  count=roles))
    hint = continues_hint(ctx, low, need_roles, counted)
    if ctx.params.partnership_continues_required:
        return not_members_noted(ctx, hinted(failed(message), hint))
    return not_members_noted(ctx, hinted(warned(message), hint))


def lead_keeps_cooperating(ctx: Context) -> Outcome:
    """PARTNERSHIP-CONTINUES from 2022 (reported): the lead applicant (penvoerder) is one of the
    SMEs that keep cooperating after the project (years.md, 2022: "De zogeheten penvoerder ...
    is een van de mkb-ondernemers die na afloop van het project in het samenwerkingsverband
    blijven"). A lead that does not continue: at least a warning, never a failure of its own.
    """
    outcome = partnership_continues(ctx)
    leads = [i for i, p in enumerate(ctx.participants) if p.is_lead_applicant]
    if (len(leads) != 1 or ctx.participants[leads[0]].continues_after_project is not False
            or outcome.status is Status.UNKNOWN or not ctx.params.lead_continues_required):
        return outcome
    lead = leads[0]
    note = Message("The lead applicant {name} does not keep cooperating after the project; from "
                   "2022 the lead applicant is reported to be one of the SMEs that do.",
                   name=ctx.name(lead))
    status = Status.FAIL if outcome.status is Status.FAIL else Status.WARN
    # What would change it: the lead keeps cooperating (first), with whoever else is needed.
    hint = continues_hint(ctx, ctx.params.min_participants, ctx.params.min_chain_roles,
                          members(ctx), lead)
    changed = Outcome(status, outcome.message, outcome.needs, outcome.unverified,
                      (*outcome.notes, note), hint=hint)
    return with_unverified(changed, ctx.params, "lead_continues_required")


@criterion("DURATION", "2.11 b", N_("The project runs at most {max_duration_years} years"))
def duration(ctx: Context) -> Outcome:
    """Art. 2.11 b: the project runs at most the maximum duration.

    Toelichting art. 2.11: "De afwijzingsgrond onder b is opgenomen omdat twee jaar voldoende
    ruimte geeft om met een circulair ketensamenwerkingsverband daadwerkelijk tot resultaat te
    komen."
    """
    start, end = ctx.project.start_date, ctx.project.end_date
    needs = [f"project.{n}" for n, v in (("start_date", start), ("end_date", end)) if v is None]
    if needs:
        return missing(Message("Give the start and end date of the project."), *needs)
    assert start is not None and end is not None
    years = int(ctx.params.max_duration_years)
    # "At most 2 years": from 1 September 2020 up to and including 1 September 2022.
    latest = add_years(start, years)
    if end < start:
        return hinted(failed(Message("The end date {end} is before the start date {start}.",
                                     end=Day(end), start=Day(start))),
                      duration_hint(ctx, start, end, latest))
    if end > latest:
        return hinted(failed(Message(
            "The project runs from {start} to {end}, longer than {years} years (the latest end "
            "date is {latest}).", start=Day(start), end=Day(end), years=years,
            latest=Day(latest))), duration_hint(ctx, start, end, latest))
    return passed(Message("The project runs from {start} to {end}, within {years} years.",
                          start=Day(start), end=Day(end), years=years))


@criterion("START-WINDOW", "2.11 a", N_("The project starts soon after the grant"))
def start_window(ctx: Context) -> Outcome:
    """Art. 2.11 a: the project does not start too far in the future.

    Toelichting art. 2.11: "De afwijzingsgrond onder a is opgenomen, omdat geen budget wordt
    ingezet voor projecten die te ver in de toekomst liggen" (no term in months: the working
    value is an unverified parameter).
    """
    start, applied = ctx.project.start_date, ctx.project.application_date
    needs = [f"project.{n}" for n, v in (("application_date", applied), ("start_date", start))
             if v is None]
    if needs:
        return missing(Message("Give the application date and the start date."), *needs)
    assert start is not None and applied is not None
    months = int(ctx.params.start_after_grant_months)
    latest = add_months(applied, months)
    if start > latest:
        return hinted(fail_unless_unverified(ctx.params, "start_after_grant_months", Message(
            "The project starts on {start}, more than {months} months after the application date "
            "{application}; a start far after the grant is refused.",
            start=Day(start), months=months, application=Day(applied))),
            start_window_hint(ctx, start, ctx.project.end_date, latest))
    return with_unverified(passed(Message(
        "The project starts on {start}, within {months} months of the application date.",
        start=Day(start), months=months)), ctx.params, "start_after_grant_months")


@criterion("ONE-PER-YEAR", "2.11 d", N_("Not already subsidised this year"), per_participant=True)
def one_per_year(ctx: Context, i: int, p: Participant) -> Outcome:
    """Art. 2.11 d: not already subsidised in the same calendar year.

    Toelichting art. 2.11: "De afwijzingsgrond onder d is opgenomen om het subsidiebudget zo
    goed mogelijk te verdelen onder MKB-ondernemers."
    """
    if p.received_this_subsidy_this_year is None:
        return missing(Message("Answer whether {name} already received this subsidy this year.",
                               name=ctx.name(i)), ppath(i, "received_this_subsidy_this_year"))
    if p.received_this_subsidy_this_year:
        return failed(Message("{name} already received this subsidy in this calendar year.",
                              name=ctx.name(i)))
    return passed(Message("{name} has not received this subsidy this year.", name=ctx.name(i)))


def activity_type_from_2022(ctx: Context) -> Outcome:
    """Art. 2.1 as worded from 2022 (Stcrt. 2022, 9667, art. I A): the activities are reworded.

    "circulair ketenproject: samenhangend geheel van activiteiten [...], voor zover deze
    activiteiten rechtstreeks verbonden zijn aan de circulaire, nieuwheids- of
    samenwerkingsaspecten van de drempels of belemmeringen die de ondernemers moeten wegnemen".
    The GBER classification is no longer the test. Activities that address none of those aspects
    do not meet the verified definition: fail. Otherwise the full 2022 wording of art. 2.3 was
    not read, so this warns with the reason (never passes on its own).
    """
    project = ctx.project
    aspects = project.barriers_addressed
    if aspects is not None and not aspects:
        return failed(Message(
            "The activities address none of the circular, novelty or cooperation aspects of the "
            "barriers; from 2022 a circular chain project consists of activities directly linked "
            "to those aspects (art. 2.1, Stcrt. 2022, 9667), so the project does not meet that "
            "definition."))
    needs = []
    if aspects is None:
        needs.append("project.barriers_addressed")
    if blank(project.barriers_description):
        needs.append("project.barriers_description")
    if needs:
        return missing(Message("Describe the barriers the activities address and which of their "
                               "aspects (circular, novelty, cooperation)."), *needs)
    assert aspects is not None
    outcome = warned(Message("The activities address these aspects of the barriers: {aspects}.",
                             aspects=Joined(tuple(Message(BARRIER_LABELS[a]) for a in aspects))))
    outcome.notes += (Message(
        "From 2022 the activities must be directly linked to the circular, novelty or cooperation "
        "aspects of the barriers (art. 2.1, Stcrt. 2022, 9667); the full 2022 wording of art. 2.3 "
        "was not read, so RVO judges this."),)
    return outcome


TEXTILE, REPEAT = "textile_fibre_to_fibre_only", "repeat_application_refused"

BARRIER_LABELS = {"circular": N_("circular"), "novelty": N_("novelty"),
                  "cooperation": N_("cooperation")}


@criterion("TEXTILE-FIBRE-TO-FIBRE", "2.3 (2024, as reported)",
           N_("Textile projects recycle fibre to fibre"), added_by_change=True)
def textile_fibre_to_fibre(ctx: Context) -> Outcome:
    """Art. 2.3 (2024, reported; the amending Staatscourant was not found): textile projects
    only with fibre-to-fibre recycling.

    years.md: "textile projects: only fibre-to-fibre recycling" (RVO via gemeentestein.nl,
    ignite-group.com). Rests on an unverified rule: at worst warn.
    """
    project, params = ctx.project, ctx.params
    if project.textile_project is None:
        return missing_unless_verified(
            params, TEXTILE, Message("Answer whether the project is about textile."),
            "project.textile_project")
    if not project.textile_project:
        return informed(Message("Does not apply: the project is not about textile."))
    if project.fibre_to_fibre_recycling is None:
        return missing_unless_verified(
            params, TEXTILE, Message("Answer whether the textile project recycles fibre to fibre."),
            "project.fibre_to_fibre_recycling")
    if params.textile_fibre_to_fibre_only and not project.fibre_to_fibre_recycling:
        return fail_unless_unverified(params, "textile_fibre_to_fibre_only", Message(
            "The textile project does not recycle fibre to fibre; for 2024 only fibre-to-fibre "
            "textile projects are reported to be eligible."))
    return with_unverified(passed(Message("The textile project recycles fibre to fibre.")),
                           params, "textile_fibre_to_fibre_only")


@criterion("REPEAT-APPLICATION", "2.11 (2024, as reported)",
           N_("Not a repeat of an earlier subsidised project"), added_by_change=True)
def repeat_application(ctx: Context) -> Outcome:
    """Art. 2.11 (2024, reported): no subsidy again for a comparable project of a largely
    identical partnership or with the same facilitator.

    years.md: "rejected if subsidy was earlier granted to a largely identical partnership for a
    comparable project, or to a comparable project with the same facilitator (unless at least
    half of the participants are new, or the activities are sufficiently new)". Reported: at
    worst warn.
    """
    project, params = ctx.project, ctx.params
    if project.comparable_project_granted_before is None:
        return missing_unless_verified(
            params, REPEAT, Message("Answer whether subsidy was granted before to a comparable "
                                    "project of largely the same partners or with the same "
                                    "facilitator."),
            "project.comparable_project_granted_before")
    if not project.comparable_project_granted_before:
        return with_unverified(passed(Message("No comparable project of these partners or this "
                                              "facilitator was subsidised before.")),
                               params, "repeat_application_refused")
    if project.repeat_exception is None:
        return missing_unless_verified(
            params, REPEAT, Message("Answer whether at least half of the participants are new or "
                                    "the activities are sufficiently new."),
            "project.repeat_exception")
    if project.repeat_exception or not params.repeat_application_refused:
        return with_unverified(passed(Message(
            "A comparable project was subsidised before, but at least half of the participants "
            "are new or the activities are sufficiently new.")), params,
            "repeat_application_refused")
    return fail_unless_unverified(params, "repeat_application_refused", Message(
        "A comparable project of largely the same partners or with the same facilitator was "
        "subsidised before, and neither half of the participants nor the activities are new."))
