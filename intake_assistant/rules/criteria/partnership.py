"""The chain partnership (art. 2.1, 2.9): SMEs, their number, roles, groups and lead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake_assistant.i18n import N_, Joined, Message, Plural
from intake_assistant.models import ChainRole, Participant
from intake_assistant.rules.criteria.criterion_hints import (
    chain_roles_hint,
    sme_hint,
    sme_shortfall_hint,
    too_few_hint,
    too_many_hint,
)
from intake_assistant.rules.criteria.criterion_outcomes import (
    Outcome,
    criterion,
    fail_unless_unverified,
    failed,
    hinted,
    missing,
    passed,
    role_key,
    with_unverified,
)
from intake_assistant.rules.findings import Status, ppath
from intake_assistant.rules.hints import Hint

if TYPE_CHECKING:
    from intake_assistant.rules.criteria.context import Context


@criterion("SME-STATUS", "2.1; GBER Annex I", N_("Every participant is an SME"),
           per_participant=True)
def sme_status(ctx: Context, i: int, p: Participant) -> Outcome:
    """Art. 2.1; GBER Annex I: every participant is an SME (MKB-onderneming).

    Digest: "fewer than 250 staff (annual work units) AND (turnover <= EUR 50 million OR
    balance-sheet total <= EUR 43 million), figures including linked and partner enterprises;
    an enterprise 25 % or more controlled by public bodies is not an SME."
    """
    result = ctx.sme[i]
    hint = sme_hint(ctx, i) if result.status is Status.FAIL else None
    return caribbean_netherlands(ctx, i, p, Outcome(result.status, result.message,
                                                    needs=result.needs, hint=hint))


def caribbean_netherlands(ctx: Context, i: int, p: Participant, outcome: Outcome) -> Outcome:
    """A participant established in the Caribbean Netherlands (Bonaire, Sint Eustatius, Saba),
    where the round is not (known to be) open to them: at least a warning.

    years.md (2022): enterprises there may take part, reported as new in 2022 ("nu ook open voor
    ondernemers op de BES-eilanden"); before 2022 such a participant warns.
    """
    if not p.caribbean_netherlands or ctx.params.caribbean_netherlands_open:
        return outcome
    note = Message("{name} is established in the Caribbean Netherlands; enterprises there are "
                   "reported to take part only from 2022, so RVO decides whether it may take part "
                   "in this round.", name=ctx.name(i))
    if outcome.status in {Status.PASS, Status.INFO}:
        outcome = Outcome(Status.WARN, outcome.message, outcome.needs, hint=outcome.hint)
    outcome.notes += (note,)
    return with_unverified(outcome, ctx.params, "caribbean_netherlands_open")


@criterion("PARTNERSHIP-SIZE", "2.1", N_("{min_participants} to {max_participants} SMEs in the partnership"))
def partnership_size(ctx: Context) -> Outcome:
    """Art. 2.1: the number of SMEs in the circulair ketensamenwerkingsverband.

    Digest: "At least 3 and at most 6 SMEs. Outside -> fail." (The limits are parameters;
    the 2020 maximum is reported, so more than the maximum only warns in 2020.) Only SMEs count:
    a large enterprise is no member of the partnership (Toelichting 2020, art. 2.1: "kunnen
    daarom ook geen deel uitmaken van het circulaire ketensamenwerkingsverband"); from 2022 the
    rule change one-large-enterprise-allowed counts it apart.
    """
    if not ctx.participants:
        return missing(Message("Add the participants of the partnership."), "participants")
    smes = members(ctx)
    count = len(smes)
    low, high = ctx.params.min_participants, ctx.params.max_participants
    if count < low:
        outcome = hinted(failed(Plural("The partnership has {count} SME; at least {minimum} "
                                       "SMEs are needed.", "The partnership has {count} SMEs; "
                                       "at least {minimum} SMEs are needed.", "count",
                                       count=count, minimum=low)),
                         too_few_hint(ctx, count, low))
    elif count > high:
        outcome = hinted(fail_unless_unverified(ctx.params, "max_participants", Message(
            "The partnership has {count} SMEs; at most {maximum} SMEs may take part.",
            count=count, maximum=high)), too_many_hint(
                ctx, count - high, high, smes,
                Plural("SME", "SMEs", "count", count=count - high)))
    else:
        outcome = passed(Message("The partnership has {count} SMEs ({minimum} to {maximum} "
                                 "allowed).", count=count, minimum=low, maximum=high))
    return not_members_noted(ctx, outcome)


def members(ctx: Context) -> list[int]:
    """The participants that count as SMEs of the partnership: all but those known to be no SME
    (a participant whose SME figures are still open counts until they are given)."""
    return list(ctx.once(_members))


def _members(ctx: Context) -> tuple[int, ...]:
    return tuple(i for i, result in enumerate(ctx.sme) if result.status is not Status.FAIL)


def not_members_noted(ctx: Context, outcome: Outcome) -> Outcome:
    """``outcome`` noting the participants that are no SME and so do not count (2020-2021)."""
    others = large_enterprises(ctx)
    if others:
        outcome.notes += (Message(
            "Not counted, as no SME: {names}. Up to 2021 only SMEs form the partnership; a large "
            "enterprise is no member of it (Toelichting 2020, art. 2.1).",
            names=Joined(tuple(ctx.name(i) for i in others))),)
    return outcome


def large_enterprises(ctx: Context) -> list[int]:
    """The participants that are no SME (a large enterprise, from 2022 at most one may join)."""
    return [i for i, result in enumerate(ctx.sme) if result.status is Status.FAIL]


def sme_status_one_large_allowed(ctx: Context, i: int, p: Participant) -> Outcome:
    """Art. 2.1 as worded from 2022 (Stcrt. 2022, 9667, art. I A): one large enterprise may join.

    "samenwerkingsverband bestaande uit ten minste drie en ten hoogste zes MKB-ondernemers, dan
    wel uit tenminste twee en ten hoogste vijf MKB-ondernemers met ten hoogste één grote
    ondernemer". A participant that is no SME is that large enterprise, no SME failure, while
    there are no more of them than ``max_large_enterprises``; ``PARTNERSHIP-SIZE`` counts.
    """
    result = ctx.sme[i]
    if result.status is not Status.FAIL:
        return caribbean_netherlands(ctx, i, p, Outcome(result.status, result.message,
                                                        needs=result.needs))
    large = large_enterprises(ctx)
    allowed = int(ctx.params.max_large_enterprises)
    if len(large) > allowed:
        return hinted(failed(Message(
            "{reason} The partnership has {count} participants that are no SME; at most "
            "{allowed} large enterprise may take part.", reason=result.message, count=len(large),
            allowed=allowed)), sme_hint(ctx, i))
    return passed(Message("{name} takes part as the large enterprise (no SME); at most {allowed} "
                          "may take part.", name=ctx.name(i), allowed=allowed))


def partnership_size_one_large_allowed(ctx: Context) -> Outcome:
    """Art. 2.1 as worded from 2022 (Stcrt. 2022, 9667, art. I A): 3 to 6 SMEs, or 2 to 5 SMEs
    with at most one large enterprise.

    "ten minste drie en ten hoogste zes MKB-ondernemers, dan wel [...] tenminste twee en ten
    hoogste vijf MKB-ondernemers met ten hoogste één grote ondernemer"
    """
    if not ctx.participants:
        return missing(Message("Add the participants of the partnership."), "participants")
    params = ctx.params
    large = len(large_enterprises(ctx))
    smes = len(ctx.participants) - large
    if large == 0:
        return partnership_size(ctx)
    low, high = int(params.min_smes_with_large), int(params.max_smes_with_large)
    allowed = int(params.max_large_enterprises)
    if large > allowed:
        hint = too_many_hint(ctx, large - allowed, allowed, large_enterprises(ctx),
                             Plural("participant that is no SME", "participants that are no SME",
                                    "count", count=large - allowed))
        if not low <= smes <= high:  # leaving out the extra ones alone does not do it
            hint = Hint(hint.message)
        return hinted(failed(Message("The partnership has {large} participants that are no SME; "
                                     "at most {allowed} large enterprise may take part.",
                                     large=large, allowed=allowed)), hint)
    if not low <= smes <= high:
        message = Plural("The partnership has {smes} SME and {large} large enterprise; with a "
                         "large enterprise {minimum} to {maximum} SMEs are needed.",
                         "The partnership has {smes} SMEs and {large} large enterprise; with a "
                         "large enterprise {minimum} to {maximum} SMEs are needed.", "smes",
                         smes=smes, large=large, minimum=low, maximum=high)
        if smes < low:
            return hinted(failed(message), sme_shortfall_hint(ctx, smes, low))
        not_large = set(large_enterprises(ctx))
        return hinted(failed(message), too_many_hint(
            ctx, smes - high, high, [i for i in range(len(ctx.participants)) if i not in not_large],
            Plural("SME", "SMEs", "count", count=smes - high)))
    return passed(Message("The partnership has {smes} SMEs and {large} large enterprise ({minimum} "
                          "to {maximum} SMEs with at most {allowed} large enterprise allowed).",
                          smes=smes, large=large, minimum=low, maximum=high, allowed=allowed))


@criterion("CHAIN-ROLES", "2.1", N_("At least {min_chain_roles} different chain roles"))
def chain_roles(ctx: Context) -> Outcome:
    """Art. 2.1: different roles (schakels) in the chain, of the SMEs.

    Toelichting art. 2.1: "Het vereiste dat de MKB-ondernemers verschillende rollen in de keten
    moeten vervullen zorgt ervoor dat de deelnemende bedrijven in verschillende schakels van de
    keten actief zijn [...] Het is niet vereist dat een hele [...] keten betrokken is." Up to
    2021 only the SMEs' roles count (a large enterprise is no member of the partnership).
    """
    if not ctx.participants:
        return missing(Message("Add the participants and their chain roles."), "participants")
    return not_members_noted(ctx, _chain_roles(ctx, members(ctx)))


def chain_roles_of_the_partnership(ctx: Context) -> Outcome:
    """Art. 2.1 as worded from 2022 (Stcrt. 2022, 9667, art. I A): the three roles are required
    of the partnership, so the large enterprise's role counts too (our reading, years.md)."""
    if not ctx.participants:
        return missing(Message("Add the participants and their chain roles."), "participants")
    return _chain_roles(ctx, list(range(len(ctx.participants))))


def _chain_roles(ctx: Context, counted: list[int]) -> Outcome:
    ps = ctx.participants
    keys = {i: role_key(ps[i]) for i in counted}
    distinct = len({k for k in keys.values() if k is not None})
    need = ctx.params.min_chain_roles
    if distinct >= need:
        return passed(Message("The participants have {count} different chain roles.",
                              count=distinct))
    unanswered = [ppath(i, "chain_role_other" if ps[i].chain_role == ChainRole.OTHER else
                        "chain_role") for i, k in keys.items() if k is None]
    if unanswered:
        return missing(Message("Give the chain role of every participant."), *unanswered)
    return hinted(failed(Plural("The participants have {count} chain role; at least {minimum} "
                                "different ones are needed.", "The participants have {count} "
                                "different chain roles; at least {minimum} are needed.", "count",
                                count=distinct, minimum=need)),
                  chain_roles_hint(ctx, distinct, need, counted))


@criterion("NO-GROUP", "2.1", N_("Participants are not in one group"))
def no_group(ctx: Context) -> Outcome:
    """Art. 2.1: the participants are not linked in one group (groep), and no enterprise is
    listed twice (the same KvK number: one enterprise, which must not count as two SMEs).

    Toelichting art. 2.1: "In de begripsomschrijving van groep wordt gedoeld op bedrijven die in
    een economisch afhankelijke relatie tot elkaar staan."
    """
    if not ctx.participants:
        return missing(Message("Add the participants of the partnership."), "participants")
    by_kvk: dict[str, list[int]] = {}
    for i, p in enumerate(ctx.participants):
        if p.kvk_number:
            by_kvk.setdefault(p.kvk_number, []).append(i)
    twice = [listed for listed in by_kvk.values() if len(listed) > 1]
    if twice:
        # One enterprise listed twice would count twice: as SMEs, roles and for subsidy.
        listed = twice[0]
        return failed(Message(
            "{names} have the same KvK number {kvk}: that is one enterprise listed more than "
            "once, and an enterprise takes part once.", kvk=ctx.participants[listed[0]].kvk_number,
            names=Joined(tuple(Message("{name} (participant {number})", name=ctx.name(i),
                                       number=i + 1) for i in listed))))
    groups: dict[str, list[int]] = {}
    for i, p in enumerate(ctx.participants):
        if p.group and p.group.strip():
            groups.setdefault(p.group.strip().casefold(), []).append(i)
    shared = [members for members in groups.values() if len(members) > 1]
    if shared:
        members = shared[0]
        return failed(Message("{names} belong to one group; participants may not be linked in a "
                              "group.", names=Joined(tuple(ctx.name(i) for i in members))))
    unanswered = [ppath(i, "group") for i, p in enumerate(ctx.participants) if not p.group_answered]
    if unanswered:
        return missing(Message("Answer for every participant whether it belongs to a group."),
                       *unanswered)
    return passed(Message("No two participants belong to the same group."))


@criterion("LEAD-APPLICANT", "2.9; Kaderbesluit 26", N_("Exactly one lead applicant"))
def lead_applicant(ctx: Context) -> Outcome:
    """Art. 2.9; Kaderbesluit art. 26: exactly one lead applicant (penvoerder).

    Toelichting art. 2.3: "De penvoerder is een MKB-ondernemer die deel uitmaakt van het
    ketensamenwerkingsverband en een rol vervult in de keten." and "een procesbegeleider [kan]
    niet gelijktijdig ook de rol van penvoerder [...] vervullen."
    """
    if not ctx.participants:
        return missing(Message("Add the participants and choose the lead applicant."),
                       "participants")
    leads = [i for i, p in enumerate(ctx.participants) if p.is_lead_applicant]
    if len(leads) > 1:
        return failed(Message("{count} participants are marked as lead applicant; there must be "
                              "exactly one.", count=len(leads)))
    if not leads:
        unanswered = [ppath(i, "is_lead_applicant") for i, p in enumerate(ctx.participants)
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
    """Art. 2.1, 2.3 b; GBER 2(90): daadwerkelijke samenwerking.

    Toelichting art. 2.3: "Dit onderdeel bevat tevens het vereiste van daadwerkelijke
    samenwerking zoals gedefinieerd in artikel 2.1." Digest: "The partners jointly define the
    scope, each contributes to carrying it out, and they share risks and results."
    """
    value = ctx.project.effective_collaboration
    if value is None:
        return missing(Message("Answer the questions on how the partners work together."),
                       "project.effective_collaboration")
    if not value:
        return failed(Message("The partners do not jointly set the scope, contribute and share "
                              "risks and results; that is not effective collaboration."))
    return passed(Message("The partners jointly set the scope, each contributes, and they share "
                          "risks and results."))
