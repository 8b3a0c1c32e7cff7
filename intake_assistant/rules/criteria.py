"""The criteria of the circular chain projects subsidy, as pure functions over the draft.

Each criterion is registered with its stable ID (part of the public interface), the article
it comes from and a short title. A criterion function receives the evaluation context and
returns an ``Outcome`` (or, for per-participant criteria, one per participant); ``evaluate``
turns outcomes into ``Finding``s. The order of registration is the order of the findings.

Statuses: ``unknown`` only when an answer is missing (the outcome names it in ``needs``);
a criterion that rests on an unverified parameter gives at worst ``warn`` and notes which
value is uncertain (``fail_unless_unverified``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from intake_assistant.i18n import N_, Day, Joined, Message, Money, Number, Percent
from intake_assistant.models import (
    ActivityType,
    ChainRole,
    CostCategory,
    DraftApplication,
    Facilitator,
    Participant,
    Project,
    RStrategy,
    Sector,
)
from intake_assistant.rules.findings import Status, SubsidyCalculation
from intake_assistant.rules.ruleset import Params, Ruleset

# Translatable labels of the parameters that can be unverified (named in notes).
PARAMETER_LABELS: dict[str, str] = {
    "hourly_rate_eur": N_("the fixed hourly rate for own hours"),
    "start_after_grant_months": N_("the term within which the project must start"),
    "facilitator_min_experience_years": N_("the minimum experience of the facilitator"),
    "max_participants": N_("the maximum number of participants"),
    "opening_period": N_("the opening period for applications"),
}

CATEGORY_LABELS: dict[str, str] = {
    CostCategory.FACILITATOR: N_("process facilitator"),
    CostCategory.MATERIALS: N_("materials"),
    CostCategory.EQUIPMENT: N_("equipment"),
    CostCategory.CONSULTANCY: N_("consultancy"),
    CostCategory.CONTRACT_RESEARCH: N_("contract research"),
    CostCategory.OTHER: N_("other costs"),
    CostCategory.MARKETING: N_("marketing"),
    CostCategory.SALES: N_("sales"),
    CostCategory.TRAINING: N_("training"),
    CostCategory.EXHIBITION: N_("exhibition"),
    CostCategory.SYMPOSIUM: N_("symposium"),
}

SME_CLASS_LABELS = {"micro": N_("micro enterprise"), "small": N_("small enterprise"),
                    "medium": N_("medium-sized enterprise")}


@dataclass(slots=True)
class Outcome:
    status: Status
    message: Message
    needs: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    notes: tuple[Message, ...] = ()


def passed(message: Message) -> Outcome:
    return Outcome(Status.PASS, message)


def failed(message: Message) -> Outcome:
    return Outcome(Status.FAIL, message)


def warned(message: Message) -> Outcome:
    return Outcome(Status.WARN, message)


def informed(message: Message) -> Outcome:
    return Outcome(Status.INFO, message)


def missing(message: Message, *needs: str) -> Outcome:
    return Outcome(Status.UNKNOWN, message, needs=tuple(needs))


def unverified_note(params: Params, name: str) -> Message:
    # Parameter sets are cached per day, so the note is built once per set.
    return params.memo(("unverified_note", name), lambda: _unverified_note(params, name))


def _unverified_note(params: Params, name: str) -> Message:
    meta = params.meta(name)
    value = meta.value
    shown: object
    if meta.unit == "EUR":
        shown = Money(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        shown = Number(value)
    else:
        shown = value or "—"
    return Message(
        "This rests on an unverified value: {parameter} ({value}; source: {source}).",
        parameter=Message(PARAMETER_LABELS.get(name, name)),
        value=shown,
        source=Message(meta.source),  # sources are in the rules catalog (extracted from the TOML)
    )


def fail_unless_unverified(params: Params, name: str, message: Message) -> Outcome:
    """A failure that rests on parameter ``name``: only a warning while it is unverified."""
    if params.verified(name):
        return failed(message)
    return Outcome(Status.WARN, message, unverified=(name,), notes=(unverified_note(params, name),))


def with_unverified(outcome: Outcome, params: Params, name: str) -> Outcome:
    """Note on any outcome that it rests on parameter ``name`` while that is unverified."""
    if params.verified(name):
        return outcome
    outcome.unverified += (name,)
    outcome.notes += (unverified_note(params, name),)
    return outcome


@dataclass(slots=True)
class SmeResult:
    """SME test of GBER Annex I for one participant."""

    status: Status
    size_class: str | None  # micro | small | medium, when an SME
    message: Message
    needs: tuple[str, ...]


class Context:
    """What every criterion may look at: the draft, its parameters and derived figures."""

    def __init__(
        self, draft: DraftApplication, ruleset: Ruleset, subsidy_fn: Callable[..., SubsidyCalculation]
    ) -> None:
        self.draft = draft
        self.ruleset = ruleset
        self.project: Project = draft.project or Project()
        self.participants: Sequence[Participant] = draft.participants or ()
        self.participants_answered = draft.participants is not None
        self.facilitator: Facilitator | None = draft.facilitator
        self.facilitator_answered = draft.facilitator_answered
        self.params: Params = ruleset.params_on(self.project.application_date)
        self.subsidy: SubsidyCalculation = subsidy_fn(self.participants, self.params)
        self.sme: list[SmeResult] = [
            sme_test(i, p, self.params) for i, p in enumerate(self.participants)
        ]

    def name(self, index: int) -> object:
        participant = self.participants[index]
        if participant.name:
            return participant.name
        return Message("participant {number}", number=index + 1)


@dataclass(frozen=True, slots=True)
class CriterionInfo:
    id: str
    article: str
    title: str  # English message id; translate where shown
    per_participant: bool


CriterionFn = Callable[[Context], Outcome]
ParticipantFn = Callable[[Context, int, Participant], Outcome]

CRITERIA: list[CriterionInfo] = []
_FUNCTIONS: dict[str, Callable[..., Outcome]] = {}


def criterion(criterion_id: str, article: str, title: str, *, per_participant: bool = False):  # type: ignore[no-untyped-def]
    def register(fn: Callable[..., Outcome]) -> Callable[..., Outcome]:
        CRITERIA.append(CriterionInfo(criterion_id, article, title, per_participant))
        _FUNCTIONS[criterion_id] = fn
        return fn

    return register


def function_of(criterion_id: str) -> Callable[..., Outcome]:
    return _FUNCTIONS[criterion_id]


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _p(index: int, field: str) -> str:
    return f"participants[{index}].{field}"


# ---------------------------------------------------------------------------------------------
# GBER conditions (art. 1.3)


@criterion("GBER-INCENTIVE", "1.3 c", N_("No work before the application (incentive effect)"))
def incentive_effect(ctx: Context) -> Outcome:
    project = ctx.project
    if project.work_started_before_application:
        return failed(Message("Work on the project started before the application; aid must have "
                              "an incentive effect, so the project cannot receive this subsidy."))
    if (
        project.start_date is not None
        and project.application_date is not None
        and project.start_date < project.application_date
    ):
        return failed(Message("The project starts on {start}, before the application date "
                              "{application}; work may not start before the application.",
                              start=Day(project.start_date), application=Day(project.application_date)))
    if project.work_started_before_application is None:
        return missing(Message("Answer whether work on the project has already started."),
                       "project.work_started_before_application")
    return passed(Message("No work starts before the application."))


@criterion("GBER-DIFFICULTY", "1.3 b; GBER 2(18)", N_("No undertaking in difficulty"),
           per_participant=True)
def undertaking_in_difficulty(ctx: Context, i: int, p: Participant) -> Outcome:
    if p.in_difficulty is None:
        return missing(Message("Answer the questions on financial difficulty for {name}.",
                               name=ctx.name(i)), _p(i, "in_difficulty"))
    if p.in_difficulty:
        return failed(Message("{name} is an undertaking in difficulty and cannot receive aid.",
                              name=ctx.name(i)))
    return passed(Message("{name} is not an undertaking in difficulty.", name=ctx.name(i)))


@criterion("GBER-CUMULATION", "1.3 a; GBER 8", N_("Other aid for the same costs (cumulation)"),
           per_participant=True)
def cumulation(ctx: Context, i: int, p: Participant) -> Outcome:
    if p.other_aid_same_costs is None:
        return missing(Message("Answer whether {name} receives other aid for the same costs.",
                               name=ctx.name(i)), _p(i, "other_aid_same_costs"))
    if p.other_aid_same_costs:
        return warned(Message("{name} receives other aid for the same costs; together they may "
                              "exceed the allowed aid intensity. Have this reviewed.",
                              name=ctx.name(i)))
    return passed(Message("{name} receives no other aid for the same costs.", name=ctx.name(i)))


@criterion("GBER-EXCLUDED", "1.3 d; GBER 1", N_("Not excluded from aid"), per_participant=True)
def excluded_undertakings(ctx: Context, i: int, p: Participant) -> Outcome:
    name = ctx.name(i)
    if p.recovery_order_outstanding:
        return failed(Message("{name} has an outstanding recovery order for earlier aid and is "
                              "excluded.", name=name))
    if p.sector == Sector.FISHERY_AQUACULTURE:
        return failed(Message("{name} works in fishery or aquaculture, which is excluded.",
                              name=name))
    needs = []
    if p.recovery_order_outstanding is None:
        needs.append(_p(i, "recovery_order_outstanding"))
    if p.sector is None:
        needs.append(_p(i, "sector"))
    if p.sector == Sector.PRIMARY_AGRICULTURE:
        types = ctx.project.activity_types
        if types is None:
            needs.append("project.activity_types")
        elif ActivityType.PROCESS_INNOVATION in types or ActivityType.ORGANISATIONAL_INNOVATION in types:
            return failed(Message("{name} works in primary agricultural production, which may only "
                                  "receive aid for experimental development, not for process or "
                                  "organisational innovation.", name=name))
    if needs:
        return missing(Message("Answer the sector and recovery-order questions for {name}.",
                               name=name), *needs)
    return passed(Message("{name} is not in an excluded sector and has no outstanding recovery "
                          "order.", name=name))


# ---------------------------------------------------------------------------------------------
# The partnership (art. 2.1, 2.9)


def sme_test(i: int, p: Participant, params: Params) -> SmeResult:
    name = p.name or Message("participant {number}", number=i + 1)
    if p.public_bodies_control_25pct:
        return SmeResult(Status.FAIL, None, Message(
            "{name} is controlled for {share} or more by public bodies and so is not an SME.",
            name=name, share=Percent(params.public_control_share)), ())
    staff, turnover, balance = p.staff_units, p.annual_turnover_eur, p.balance_sheet_total_eur
    max_staff = params.sme_max_staff_units
    if staff is not None and staff >= max_staff:
        return SmeResult(Status.FAIL, None, Message(
            "{name} has {staff} staff units; an SME has fewer than {limit}.",
            name=name, staff=Number(staff), limit=Number(max_staff)), ())
    max_turnover, max_balance = params.sme_max_turnover_eur, params.sme_max_balance_sheet_eur
    turnover_ok = turnover is not None and turnover <= max_turnover
    balance_ok = balance is not None and balance <= max_balance
    money_known = turnover is not None and balance is not None
    if not (turnover_ok or balance_ok) and money_known:
        return SmeResult(Status.FAIL, None, Message(
            "{name} has a turnover of {turnover} and a balance-sheet total of {balance}; an SME "
            "has at most {max_turnover} turnover or at most {max_balance} balance-sheet total.",
            name=name, turnover=Money(turnover), balance=Money(balance),  # type: ignore[arg-type]
            max_turnover=Money(max_turnover), max_balance=Money(max_balance)), ())
    needs = []
    if staff is None:
        needs.append(_p(i, "staff_units"))
    if not (turnover_ok or balance_ok):
        if turnover is None:
            needs.append(_p(i, "annual_turnover_eur"))
        if balance is None:
            needs.append(_p(i, "balance_sheet_total_eur"))
    if p.public_bodies_control_25pct is None:
        needs.append(_p(i, "public_bodies_control_25pct"))
    if p.figures_include_linked_and_partner is None:
        needs.append(_p(i, "figures_include_linked_and_partner"))
    if needs:
        return SmeResult(Status.UNKNOWN, None, Message(
            "Give the staff, turnover and balance-sheet figures of {name} to test SME status.",
            name=name), tuple(needs))
    assert staff is not None

    def money_within(limit: float) -> bool:
        return (turnover is not None and turnover <= limit) or (balance is not None and balance <= limit)

    if staff < params.micro_max_staff_units and money_within(params.micro_max_money_eur):
        size = "micro"
    elif staff < params.small_max_staff_units and money_within(params.small_max_money_eur):
        size = "small"
    else:
        size = "medium"
    if not p.figures_include_linked_and_partner:
        return SmeResult(Status.WARN, size, Message(
            "{name} seems to be an SME ({size}), but its figures do not include linked and "
            "partner enterprises; add them (100 % of linked, the share of partner enterprises) "
            "and check again.", name=name, size=Message(SME_CLASS_LABELS[size])), ())
    return SmeResult(Status.PASS, size, Message("{name} is an SME: {size}.", name=name,
                                                size=Message(SME_CLASS_LABELS[size])), ())


@criterion("SME-STATUS", "2.1; GBER Annex I", N_("Every participant is an SME"),
           per_participant=True)
def sme_status(ctx: Context, i: int, p: Participant) -> Outcome:
    result = ctx.sme[i]
    return Outcome(result.status, result.message, needs=result.needs)


@criterion("PARTNERSHIP-SIZE", "2.1", N_("3 to 6 SMEs in the partnership"))
def partnership_size(ctx: Context) -> Outcome:
    count = len(ctx.participants)
    low, high = ctx.params.min_participants, ctx.params.max_participants
    if count == 0:
        return missing(Message("Add the participants of the partnership."), "participants")
    if count < low:
        return failed(Message("The partnership has {count} participants; at least {minimum} SMEs "
                              "are needed.", count=count, minimum=low))
    if count > high:
        return fail_unless_unverified(ctx.params, "max_participants", Message(
            "The partnership has {count} participants; at most {maximum} SMEs may take part.",
            count=count, maximum=high))
    return passed(Message("The partnership has {count} participants ({minimum} to {maximum} "
                          "allowed).", count=count, minimum=low, maximum=high))


def _role_key(p: Participant) -> str | None:
    if p.chain_role is None:
        return None
    if p.chain_role == ChainRole.OTHER:
        named = (p.chain_role_other or "").strip().casefold()
        return f"other:{named}" if named else None  # "other" counts once it is named
    return str(p.chain_role)


@criterion("CHAIN-ROLES", "2.1", N_("At least 3 different chain roles"))
def chain_roles(ctx: Context) -> Outcome:
    if not ctx.participants:
        return missing(Message("Add the participants and their chain roles."), "participants")
    keys = [_role_key(p) for p in ctx.participants]
    distinct = len({k for k in keys if k is not None})
    need = ctx.params.min_chain_roles
    if distinct >= need:
        return passed(Message("The participants have {count} different chain roles.",
                              count=distinct))
    unanswered = [_p(i, "chain_role_other" if p.chain_role == ChainRole.OTHER else "chain_role")
                  for i, (p, k) in enumerate(zip(ctx.participants, keys, strict=True)) if k is None]
    if unanswered:
        return missing(Message("Give the chain role of every participant."), *unanswered)
    return failed(Message("The participants have {count} different chain roles; at least {minimum} "
                          "are needed.", count=distinct, minimum=need))


@criterion("NO-GROUP", "2.1", N_("Participants are not in one group"))
def no_group(ctx: Context) -> Outcome:
    if not ctx.participants:
        return missing(Message("Add the participants of the partnership."), "participants")
    groups: dict[str, list[int]] = {}
    for i, p in enumerate(ctx.participants):
        if p.group and p.group.strip():
            groups.setdefault(p.group.strip().casefold(), []).append(i)
    shared = [members for members in groups.values() if len(members) > 1]
    if shared:
        members = shared[0]
        return failed(Message("{names} belong to one group; participants may not be linked in a "
                              "group.", names=Joined(tuple(ctx.name(i) for i in members))))
    unanswered = [_p(i, "group") for i, p in enumerate(ctx.participants) if not p.group_answered]
    if unanswered:
        return missing(Message("Answer for every participant whether it belongs to a group."),
                       *unanswered)
    return passed(Message("No two participants belong to the same group."))


@criterion("LEAD-APPLICANT", "2.9; Kaderbesluit 26", N_("Exactly one lead applicant"))
def lead_applicant(ctx: Context) -> Outcome:
    if not ctx.participants:
        return missing(Message("Add the participants and choose the lead applicant."),
                       "participants")
    leads = [i for i, p in enumerate(ctx.participants) if p.is_lead_applicant]
    if len(leads) > 1:
        return failed(Message("{count} participants are marked as lead applicant; there must be "
                              "exactly one.", count=len(leads)))
    if not leads:
        unanswered = [_p(i, "is_lead_applicant") for i, p in enumerate(ctx.participants)
                      if p.is_lead_applicant is None]
        if unanswered:
            return missing(Message("Choose which participant is the lead applicant."), *unanswered)
        return failed(Message("No participant is the lead applicant; there must be exactly one."))
    lead = leads[0]
    if ctx.sme[lead].status is Status.UNKNOWN:
        return missing(Message("{name} is the lead applicant; give its SME figures to confirm it is an "
                               "SME.", name=ctx.name(lead)), *ctx.sme[lead].needs)
    if ctx.sme[lead].status is Status.FAIL:
        return failed(Message("The lead applicant {name} is not an SME; the lead applicant must be "
                              "an SME participant.", name=ctx.name(lead)))
    fac = ctx.facilitator
    kvk = ctx.participants[lead].kvk_number
    if fac is not None and fac.kvk_number and kvk and fac.kvk_number == kvk:
        return failed(Message("The lead applicant {name} is also the process facilitator; the "
                              "facilitator may not be the lead applicant.", name=ctx.name(lead)))
    return passed(Message("{name} is the lead applicant.", name=ctx.name(lead)))


@criterion("EFFECTIVE-COLLABORATION", "2.1, 2.3 b; GBER 2(90)", N_("Effective collaboration"))
def effective_collaboration(ctx: Context) -> Outcome:
    value = ctx.project.effective_collaboration
    if value is None:
        return missing(Message("Answer the questions on how the partners work together."),
                       "project.effective_collaboration")
    if not value:
        return failed(Message("The partners do not jointly set the scope, contribute and share "
                              "risks and results; that is not effective collaboration."))
    return passed(Message("The partners jointly set the scope, each contributes, and they share "
                          "risks and results."))


# ---------------------------------------------------------------------------------------------
# The process facilitator (art. 2.1, 2.3 b, 2.4, 2.12)

def _appointed_facilitator(ctx: Context) -> Facilitator | Outcome:
    """The facilitator, or the outcome of a facilitator criterion when there is none to judge."""
    if not ctx.facilitator_answered:
        return missing(Message("Answer the questions about the process facilitator."), "facilitator")
    if ctx.facilitator is None:
        return informed(Message("Does not apply: no process facilitator is appointed."))
    return ctx.facilitator


@criterion("FACILITATOR-APPOINTED", "2.3 b", N_("A process facilitator is appointed"))
def facilitator_appointed(ctx: Context) -> Outcome:
    if not ctx.facilitator_answered:
        return missing(Message("Answer whether a process facilitator is appointed."), "facilitator")
    if ctx.facilitator is None:
        return failed(Message("No process facilitator is appointed; the project must be guided by "
                              "one."))
    return passed(Message("A process facilitator is appointed."))


@criterion("FACILITATOR-INDEPENDENT", "2.1, 2.12 a", N_("The facilitator is independent"))
def facilitator_independent(ctx: Context) -> Outcome:
    fac = _appointed_facilitator(ctx)
    if isinstance(fac, Outcome):
        return fac
    if fac.kvk_number:
        for i, p in enumerate(ctx.participants):
            if p.kvk_number == fac.kvk_number:
                return failed(Message("The facilitator has the KvK number of participant {name}; "
                                      "the facilitator may not be a participant.", name=ctx.name(i)))
    if fac.ties is None:
        return missing(Message("Answer whether the facilitator has ties with participants."),
                       "facilitator.ties")
    if fac.ties:
        if _blank(fac.conflict_measures):
            return warned(Message("The facilitator has {count} tie(s) with participants but no "
                                  "measures against conflicts of interest are described.",
                                  count=len(fac.ties)))
        return passed(Message("The facilitator has ties with participants; measures against "
                              "conflicts of interest are described."))
    return passed(Message("The facilitator is not a participant and has no ties with them."))


@criterion("FACILITATOR-EXPERIENCE", "2.1", N_("The facilitator has enough experience"))
def facilitator_experience(ctx: Context) -> Outcome:
    fac = _appointed_facilitator(ctx)
    if isinstance(fac, Outcome):
        return fac
    if fac.experience_years is None:
        return missing(Message("Give the facilitator's years of experience."),
                       "facilitator.experience_years")
    minimum = ctx.params.facilitator_min_experience_years
    if fac.experience_years < minimum:
        return fail_unless_unverified(ctx.params, "facilitator_min_experience_years", Message(
            "The facilitator has {years} years of experience guiding businesses on circular "
            "economy; at least {minimum} is asked.",
            years=Number(fac.experience_years), minimum=Number(minimum)))
    return passed(Message("The facilitator has {years} years of experience.",
                          years=Number(fac.experience_years)))


@criterion("FACILITATOR-MARKET-RATE", "2.4 (2)", N_("The facilitator's fee is market-conform"))
def facilitator_market_rate(ctx: Context) -> Outcome:
    fac = _appointed_facilitator(ctx)
    if isinstance(fac, Outcome):
        return fac
    if fac.market_conform_fee is None:
        return missing(Message("Declare whether the facilitator's fee is market-conform."),
                       "facilitator.market_conform_fee")
    if not fac.market_conform_fee:
        return failed(Message("The facilitator's fee is declared not market-conform; its costs may "
                              "not exceed market rates."))
    return passed(Message("The facilitator's fee is declared market-conform."))


# ---------------------------------------------------------------------------------------------
# The project (art. 2.3, 2.11)


@criterion("ACTIVITY-TYPE", "2.3 c", N_("Experimental development or process/organisational innovation"))
def activity_type(ctx: Context) -> Outcome:
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
    if savings is None or _blank(savings.unit):
        needs.append("project.raw_material_savings.unit")
    if savings is None or _blank(savings.basis):
        needs.append("project.raw_material_savings.basis")
    if tonnes is None:
        needs.append("project.co2_reduction.tonnes_per_year")
    if co2 is None or _blank(co2.basis):
        needs.append("project.co2_reduction.basis")
    if needs:
        return missing(Message("Give the estimated raw-material saving and CO2 reduction, each "
                               "with its basis."), *needs)
    return passed(Message("The project saves {quantity} {unit} of raw material and {tonnes} tonnes "
                          "of CO2 per year.", quantity=Number(quantity), unit=savings.unit,  # type: ignore[arg-type,union-attr]
                          tonnes=Number(tonnes)))  # type: ignore[arg-type]


@criterion("NO-DOWNCYCLING", "2.3 d", N_("Not mainly downcycling"))
def no_downcycling(ctx: Context) -> Outcome:
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
    project = ctx.project
    if project.results_applied_after_project is False:
        return failed(Message("The partners will not apply the results; the results must actually "
                              "be applied."))
    needs = []
    if project.results_applied_after_project is None:
        needs.append("project.results_applied_after_project")
    if _blank(project.application_plan):
        needs.append("project.application_plan")
    if needs:
        return missing(Message("Describe how and when the partners will apply the results."),
                       *needs)
    return passed(Message("The partners will apply the results and describe how."))


@criterion("PARTNERSHIP-CONTINUES", "2.3 b 3°", N_("The partnership continues after the project"))
def partnership_continues(ctx: Context) -> Outcome:
    if not ctx.participants:
        return missing(Message("Add the participants of the partnership."), "participants")
    staying = [p for p in ctx.participants if p.continues_after_project]
    roles = len({k for k in (_role_key(p) for p in staying) if k is not None})
    low, need_roles = ctx.params.min_participants, ctx.params.min_chain_roles
    if len(staying) >= low and roles >= need_roles:
        return passed(Message("{count} participants with {roles} different roles keep cooperating "
                              "after the project.", count=len(staying), roles=roles))
    unanswered = [_p(i, "continues_after_project") for i, p in enumerate(ctx.participants)
                  if p.continues_after_project is None]
    if unanswered:
        return missing(Message("Answer for every participant whether it keeps cooperating after "
                               "the project."), *unanswered)
    message = Message("Only {count} participants with {roles} different roles keep cooperating "
                      "after the project; at least {minimum} SMEs with {min_roles} roles are "
                      "expected.", count=len(staying), roles=roles, minimum=low,
                      min_roles=need_roles)
    if ctx.params.partnership_continues_required:
        return failed(message)
    return warned(message)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` on; 29 February becomes 28 February; past 9999: the last day."""
    year = day.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February into a common year
        return day.replace(year=year, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` on, clipped to the month's last day; past 9999: the last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@criterion("DURATION", "2.11 b", N_("The project runs at most 2 years"))
def duration(ctx: Context) -> Outcome:
    start, end = ctx.project.start_date, ctx.project.end_date
    needs = [f"project.{n}" for n, v in (("start_date", start), ("end_date", end)) if v is None]
    if needs:
        return missing(Message("Give the start and end date of the project."), *needs)
    assert start is not None and end is not None
    if end < start:
        return failed(Message("The end date {end} is before the start date {start}.",
                              end=Day(end), start=Day(start)))
    years = int(ctx.params.max_duration_years)
    # "At most 2 years": from 1 September 2020 up to and including 1 September 2022.
    latest = add_years(start, years)
    if end > latest:
        return failed(Message("The project runs from {start} to {end}, longer than {years} years "
                              "(the latest end date is {latest}).", start=Day(start), end=Day(end),
                              years=years, latest=Day(latest)))
    return passed(Message("The project runs from {start} to {end}, within {years} years.",
                          start=Day(start), end=Day(end), years=years))


@criterion("START-WINDOW", "2.11 a", N_("The project starts soon after the grant"))
def start_window(ctx: Context) -> Outcome:
    start, applied = ctx.project.start_date, ctx.project.application_date
    needs = [f"project.{n}" for n, v in (("application_date", applied), ("start_date", start))
             if v is None]
    if needs:
        return missing(Message("Give the application date and the start date."), *needs)
    assert start is not None and applied is not None
    months = int(ctx.params.start_after_grant_months)
    latest = add_months(applied, months)
    if start > latest:
        return fail_unless_unverified(ctx.params, "start_after_grant_months", Message(
            "The project starts on {start}, more than {months} months after the application date "
            "{application}; a start far after the grant is refused.",
            start=Day(start), months=months, application=Day(applied)))
    return with_unverified(passed(Message(
        "The project starts on {start}, within {months} months of the application date.",
        start=Day(start), months=months)), ctx.params, "start_after_grant_months")


@criterion("ONE-PER-YEAR", "2.11 d", N_("Not already subsidised this year"), per_participant=True)
def one_per_year(ctx: Context, i: int, p: Participant) -> Outcome:
    if p.received_this_subsidy_this_year is None:
        return missing(Message("Answer whether {name} already received this subsidy this year.",
                               name=ctx.name(i)), _p(i, "received_this_subsidy_this_year"))
    if p.received_this_subsidy_this_year:
        return failed(Message("{name} already received this subsidy in this calendar year.",
                              name=ctx.name(i)))
    return passed(Message("{name} has not received this subsidy this year.", name=ctx.name(i)))


# ---------------------------------------------------------------------------------------------
# Costs and subsidy (art. 2.4, 2.5, 2.11 c)


def _unknown_costs(ctx: Context) -> list[str]:
    return [f"participants[{r.index}].own_hours" for r in ctx.subsidy.participants
            if not r.costs_known]


@criterion("COST-SHARE-70", "2.11 c; GBER 25(6)(b)", N_("No SME bears more than 70 % of the costs"))
def cost_share(ctx: Context) -> Outcome:
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
    if share > limit + 1e-12:
        return failed(Message("{name} bears {share} of the eligible costs; no SME may bear more "
                              "than {limit}.", name=ctx.name(largest.index), share=Percent(share),
                              limit=Percent(limit)))
    return passed(Message("The largest share of the eligible costs is {share} ({name}); at most "
                          "{limit} is allowed.", share=Percent(share), name=ctx.name(largest.index),
                          limit=Percent(limit)))


@criterion("ELIGIBLE-COSTS", "2.4", N_("Only eligible costs"))
def eligible_costs(ctx: Context) -> Outcome:
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
    return with_unverified(outcome, ctx.params, "hourly_rate_eur")


@criterion("SUBSIDY-AMOUNT", "2.5", N_("Subsidy per SME"))
def subsidy_amount(ctx: Context) -> Outcome:
    if not ctx.participants:
        return missing(Message("Add the participants and their costs."), "participants")
    unknown = _unknown_costs(ctx)
    if unknown:
        return missing(Message("Give the own hours and costs of every participant."), *unknown)
    sub = ctx.subsidy
    parts = tuple(Message("{name} {amount}", name=ctx.name(r.index), amount=Money(r.subsidy_eur))
                  for r in sub.participants)
    return with_unverified(informed(Message(
        "{rate} of the eligible costs, at most {maximum} per SME: {amounts}; total {total}.",
        rate=Percent(sub.subsidy_rate), maximum=Money(sub.max_per_participant_eur),
        amounts=Joined(parts, "; "), total=Money(sub.total_eur))), ctx.params, "hourly_rate_eur")


@criterion("APPLICATION-WINDOW", "2.6-2.8", N_("Applied within the opening period"))
def application_window(ctx: Context) -> Outcome:
    applied = ctx.project.application_date
    if applied is None:
        return missing(Message("Give the (planned) application date."), "project.application_date")
    expiry = ctx.params.regulation_expiry
    if applied >= expiry:
        return warned(Message("The application date {date} is after the regulation expired on "
                              "{expiry}.", date=Day(applied), expiry=Day(expiry)))
    period = ctx.params.meta("opening_period")
    if not period.verified or not period.value:
        return Outcome(Status.WARN, Message(
            "The opening period for {year} is not known to this pre-check; check with RVO that "
            "{date} falls inside it. The budget is first come, first served.",
            year=str(applied.year), date=Day(applied)),
            unverified=("opening_period",), notes=(unverified_note(ctx.params, "opening_period"),))
    first, last = (dt.date.fromisoformat(part[:10]) for part in str(period.value).split("/"))
    if not first <= applied <= last:
        return warned(Message("The application date {date} is outside the opening period "
                              "{first} to {last}.", date=Day(applied), first=Day(first),
                              last=Day(last)))
    return passed(Message("The application date {date} is inside the opening period {first} to "
                          "{last}. The budget is first come, first served.", date=Day(applied),
                          first=Day(first), last=Day(last)))


@criterion("COMPLETENESS", "2.10; Kaderbesluit 26", N_("The application is complete"))
def completeness(ctx: Context) -> Outcome:
    project = ctx.project
    parts: list[tuple[str, str]] = []
    if _blank(project.public_summary):
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
    return informed(Message("After the project the partnership submits a short results report. "
                            "Grants below {threshold} are determined ex officio; each SME's grant "
                            "is at most {maximum}.",
                            threshold=Money(ctx.params.ex_officio_threshold_eur),
                            maximum=Money(ctx.params.max_subsidy_per_participant_eur)))


__all__ = [
    "CRITERIA",
    "SME_CLASS_LABELS",
    "Context",
    "CriterionInfo",
    "Outcome",
    "function_of",
    "sme_test",
]
