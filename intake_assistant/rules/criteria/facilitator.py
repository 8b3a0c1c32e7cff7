"""The process facilitator (art. 2.1, 2.3 b, 2.4 (2), 2.12 a)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake_assistant.i18n import N_, Message, Number, Plural
from intake_assistant.models import Facilitator
from intake_assistant.rules.criteria.criterion_hints import experience_hint
from intake_assistant.rules.criteria.criterion_outcomes import (
    Outcome,
    blank,
    criterion,
    fail_unless_unverified,
    failed,
    hinted,
    informed,
    missing,
    passed,
    warned,
)

if TYPE_CHECKING:
    from intake_assistant.rules.criteria.context import Context


def _appointed_facilitator(ctx: Context) -> Facilitator | Outcome:
    """The facilitator, or the outcome of a facilitator criterion when there is none to judge."""
    if not ctx.facilitator_answered:
        return missing(Message("Answer the questions about the process facilitator."), "facilitator")
    if ctx.facilitator is None:
        return informed(Message("Does not apply: no process facilitator is appointed."))
    return ctx.facilitator


@criterion("FACILITATOR-APPOINTED", "2.3 b", N_("A process facilitator is appointed"))
def facilitator_appointed(ctx: Context) -> Outcome:
    """Art. 2.3 b: a process facilitator (procesbegeleider) is appointed.

    Toelichting art. 2.3: "Het vereiste onder b dat een procesbegeleider wordt aangesteld, is
    opgenomen omdat een onafhankelijke begeleider waarborgen geeft voor een goede samenwerking,
    eerlijke afspraken en resultaatgerichtheid in het proces."
    """
    if not ctx.facilitator_answered:
        return missing(Message("Answer whether a process facilitator is appointed."), "facilitator")
    if ctx.facilitator is None:
        return failed(Message("No process facilitator is appointed; the project must be guided by "
                              "one."))
    return passed(Message("A process facilitator is appointed."))


@criterion("FACILITATOR-INDEPENDENT", "2.1, 2.12 a", N_("The facilitator is independent"))
def facilitator_independent(ctx: Context) -> Outcome:
    """Art. 2.1, 2.12 a: the facilitator is independent.

    Toelichting art. 2.12: "Onder a is de verplichting opgenomen om maatregelen te nemen om
    belangenverstrengeling te voorkomen tussen de procesbegeleider en één of meer ondernemers
    in het circulair ketensamenwerkingsverband wanneer er betrokkenheid bestaat tussen hen."
    """
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
        if blank(fac.conflict_measures):
            return warned(Plural(
                "The facilitator has {count} tie with participants but no measures against "
                "conflicts of interest are described.",
                "The facilitator has {count} ties with participants but no measures against "
                "conflicts of interest are described.", "count", count=len(fac.ties)))
        return passed(Message("The facilitator has ties with participants; measures against "
                              "conflicts of interest are described."))
    return passed(Message("The facilitator is not a participant and has no ties with them."))


@criterion("FACILITATOR-EXPERIENCE", "2.1", N_("The facilitator has enough experience"))
def facilitator_experience(ctx: Context) -> Outcome:
    """Art. 2.1 (as reported): the facilitator's experience.

    Digest: "At least 1 year of experience guiding businesses on circular economy. Reported by
    RVO and advisors for 2021-2024 but in no official text we could read, so unverified in
    every round -> warn when under 1 year."
    """
    fac = _appointed_facilitator(ctx)
    if isinstance(fac, Outcome):
        return fac
    if fac.experience_years is None:
        return missing(Message("Give the facilitator's years of experience."),
                       "facilitator.experience_years")
    minimum = ctx.params.facilitator_min_experience_years
    if fac.experience_years < minimum:
        return hinted(fail_unless_unverified(ctx.params, "facilitator_min_experience_years", Plural(
            "The facilitator has {years} year of experience guiding businesses on circular "
            "economy; at least {minimum} is asked.",
            "The facilitator has {years} years of experience guiding businesses on circular "
            "economy; at least {minimum} is asked.", "years",
            years=Number(fac.experience_years), minimum=Number(minimum))),
            experience_hint(ctx, fac.experience_years, minimum))
    return passed(Plural("The facilitator has {years} year of experience.",
                         "The facilitator has {years} years of experience.", "years",
                         years=Number(fac.experience_years)))


@criterion("FACILITATOR-MARKET-RATE", "2.4 (2)", N_("The facilitator's fee is market-conform"))
def facilitator_market_rate(ctx: Context) -> Outcome:
    """Art. 2.4 (2): the facilitator's costs are at most market rates.

    Toelichting art. 2.4: "Om te voorkomen dat 'indirecte staatssteun' wordt verstrekt aan de
    procesbegeleider is in het tweede lid bepaald dat de kosten voor een procesbegeleider niet
    hoger dan marktconform mogen zijn."
    """
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
