"""State aid: the GBER rejection grounds of art. 1.3 and, from 2022, de-minimis aid (its ceiling
and the sectors Reg. (EU) 1407/2013 excludes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from intake_assistant.i18n import N_, Day, Message, Money
from intake_assistant.models import ActivityType, Participant, Sector
from intake_assistant.rules.criteria.criterion_hints import de_minimis_hint, incentive_hint
from intake_assistant.rules.criteria.criterion_outcomes import (
    Outcome,
    criterion,
    fail_unless_unverified,
    failed,
    hinted,
    missing,
    passed,
    warned,
    with_unverified,
)
from intake_assistant.rules.findings import ppath

if TYPE_CHECKING:
    from intake_assistant.rules.criteria.context import Context


@criterion("GBER-INCENTIVE", "1.3 c", N_("No work before the application (incentive effect)"))
def incentive_effect(ctx: Context) -> Outcome:
    """Art. 1.3 c (GBER art. 6): no work on the project before the application.

    Toelichting art. 1.3: "De afwijzingsgronden in artikel 1.3 zijn opgenomen om te voldoen aan
    de vereisten van de algemene groepsvrijstellingsverordening." Digest: "Work on the project
    must not have started before the application is submitted. Started before -> fail."
    """
    project = ctx.project
    if project.work_started_before_application:
        return failed(Message("Work on the project started before the application; aid must have "
                              "an incentive effect, so the project cannot receive this subsidy."))
    if (
        project.start_date is not None
        and project.application_date is not None
        and project.start_date < project.application_date
    ):
        return hinted(failed(Message(
            "The project starts on {start}, before the application date {application}; work may "
            "not start before the application.", start=Day(project.start_date),
            application=Day(project.application_date))),
            incentive_hint(ctx, project.start_date, project.application_date))
    if project.work_started_before_application is None:
        return missing(Message("Answer whether work on the project has already started."),
                       "project.work_started_before_application")
    return passed(Message("No work starts before the application."))


@criterion("GBER-DIFFICULTY", "1.3 b; GBER 2(18)", N_("No undertaking in difficulty"),
           per_participant=True)
def undertaking_in_difficulty(ctx: Context, i: int, p: Participant) -> Outcome:
    """Art. 1.3 b; GBER 2(18): no participant is an undertaking in difficulty.

    Digest: "No participant may be an undertaking in difficulty (onderneming in moeilijkheden).
    Any -> fail."
    """
    if p.in_difficulty is None:
        return missing(Message("Answer the questions on financial difficulty for {name}.",
                               name=ctx.name(i)), ppath(i, "in_difficulty"))
    if p.in_difficulty:
        return failed(Message("{name} is an undertaking in difficulty and cannot receive aid.",
                              name=ctx.name(i)))
    return passed(Message("{name} is not an undertaking in difficulty.", name=ctx.name(i)))


@criterion("GBER-CUMULATION", "1.3 a; GBER 8", N_("Other aid for the same costs (cumulation)"),
           per_participant=True)
def cumulation(ctx: Context, i: int, p: Participant) -> Outcome:
    """Art. 1.3 a; GBER 8: other aid for the same costs (cumulatie).

    Digest: "Other state aid for the same eligible costs may exceed the allowed intensity. Any
    participant with other aid for the same costs -> warn (needs review), never silent."
    """
    if p.other_aid_same_costs is None:
        return missing(Message("Answer whether {name} receives other aid for the same costs.",
                               name=ctx.name(i)), ppath(i, "other_aid_same_costs"))
    if p.other_aid_same_costs:
        return warned(Message("{name} receives other aid for the same costs; together they may "
                              "exceed the allowed aid intensity. Have this reviewed.",
                              name=ctx.name(i)))
    return passed(Message("{name} receives no other aid for the same costs.", name=ctx.name(i)))


@criterion("GBER-EXCLUDED", "1.3 d; GBER 1", N_("Not excluded from aid"), per_participant=True)
def excluded_undertakings(ctx: Context, i: int, p: Participant) -> Outcome:
    """Art. 1.3 d; GBER 1: undertakings excluded from aid.

    Digest: "Excluded: undertakings with an outstanding recovery order; fishery and
    aquaculture. Primary agricultural production may receive aid for experimental development
    [...], not for process/organisational innovation (GBER 1(3)(b) does not list art. 29)."
    """
    name = ctx.name(i)
    if p.recovery_order_outstanding:
        return failed(Message("{name} has an outstanding recovery order for earlier aid and is "
                              "excluded.", name=name))
    if p.sector == Sector.FISHERY_AQUACULTURE:
        return failed(Message("{name} works in fishery or aquaculture, which is excluded.",
                              name=name))
    needs = []
    if p.recovery_order_outstanding is None:
        needs.append(ppath(i, "recovery_order_outstanding"))
    if p.sector is None:
        needs.append(ppath(i, "sector"))
    if p.sector == Sector.PRIMARY_AGRICULTURE:
        types = ctx.project.activity_types
        if types is None:
            needs.append("project.activity_types")
        elif ActivityType.PROCESS_INNOVATION in types or ActivityType.ORGANISATIONAL_INNOVATION in types:
            if ActivityType.EXPERIMENTAL_DEVELOPMENT in types and not needs:
                # The digest (corrected): a mixed project -> warn; RVO decides the split.
                return warned(Message("{name} works in primary agricultural production: only its "
                                      "experimental-development costs can be aided, not those of "
                                      "process or organisational innovation; RVO decides the "
                                      "split.", name=name))
            if ActivityType.EXPERIMENTAL_DEVELOPMENT not in types:
                return failed(Message("{name} works in primary agricultural production, which may "
                                      "only receive aid for experimental development, not for "
                                      "process or organisational innovation.", name=name))
    if needs:
        return missing(Message("Answer the sector and recovery-order questions for {name}.",
                               name=name), *needs)
    return passed(Message("{name} is not in an excluded sector and has no outstanding recovery "
                          "order.", name=name))


@criterion("DE-MINIMIS", "2.1 (from 2022); Reg. (EU) 1407/2013 art. 3 (2)",
           N_("De-minimis aid within the ceiling"), per_participant=True, added_by_change=True)
def de_minimis(ctx: Context, i: int, p: Participant) -> Outcome:
    """Art. 2.1 (from 2022): the subsidy is de-minimis aid (Stcrt. 2022, 9667, art. I A).

    Art. 2.1 (2022): "algemene de-minimisverordening: Verordening (EU) nr. 1407/2013 [...] op
    de-minimissteun". Its art. 3 (2) fixes the ceiling ("the ceiling of EUR 200 000 as the
    amount of de minimis aid that a single undertaking may receive per Member State over any
    period of three years", recital 3): the de-minimis aid of the current and two preceding
    fiscal years plus this subsidy above it fails.
    """
    figures = _de_minimis_figures(ctx, i, p)
    if isinstance(figures, Outcome):
        return figures
    received, total, ceiling, words = figures
    if total > ceiling:
        return hinted(fail_unless_unverified(ctx.params, "de_minimis_ceiling_eur", Message(
            "{name} received {received} de-minimis aid in this and the two preceding fiscal "
            "years; with this subsidy ({subsidy}) that is {total}, more than the ceiling of "
            "{ceiling}.", **words)), de_minimis_hint(ctx, i, received, total, ceiling))
    return with_unverified(passed(Message(
        "{name}: {received} de-minimis aid received plus this subsidy ({subsidy}) is {total}, "
        "within the ceiling of {ceiling}.", **words)), ctx.params, "de_minimis_ceiling_eur")


def _de_minimis_figures(ctx: Context, i: int, p: Participant
                        ) -> Outcome | tuple[float, float, float, dict[str, object]]:
    """The aid received, the total with this subsidy, the ceiling and their words (or what is
    missing to know them)."""
    name = ctx.name(i)
    received = p.de_minimis_received_eur
    if received is None:
        return missing(Message("Give the de-minimis aid {name} received in this and the two "
                               "preceding fiscal years.", name=name),
                       ppath(i, "de_minimis_received_eur"))
    row = ctx.subsidy.participants[i]
    if not row.costs_known:
        return missing(Message("Give the own hours and costs of {name} to add this subsidy to its "
                               "de-minimis aid.", name=name), ppath(i, "own_hours"))
    ceiling = ctx.params.de_minimis_ceiling_eur
    # Whole cents: EUR 200,000.00 exactly is within the ceiling, whatever the float sum says.
    total = round(received + row.subsidy_eur, 2)
    return received, total, ceiling, {
        "name": name, "received": Money(received), "subsidy": Money(row.subsidy_eur),
        "total": Money(total), "ceiling": Money(ceiling)}


def de_minimis_two_regulations(ctx: Context, i: int, p: Participant) -> Outcome:
    """2024: art. 2.1 still names Reg. (EU) 1407/2013 (EUR 200,000 over three fiscal years), which
    ended on 31 December 2023; Reg. (EU) 2023/2831 (EUR 300,000 over any three years) is in force
    from 1 January 2024 (years.md, 2024). The scheme's text does not settle which applies: up to
    the old ceiling passes, between the two warns naming both, above the new one fails.
    """
    figures = _de_minimis_figures(ctx, i, p)
    if isinstance(figures, Outcome):
        return figures
    received, total, ceiling, words = figures
    successor = ctx.params.de_minimis_successor_ceiling_eur
    if total <= ceiling:
        return passed(Message(
            "{name}: {received} de-minimis aid received plus this subsidy ({subsidy}) is {total}, "
            "within the ceiling of {ceiling}.", **words))
    hint = de_minimis_hint(ctx, i, received, total, ceiling)
    if total > successor:
        return hinted(failed(Message(
            "{name} received {received} de-minimis aid in this and the two preceding fiscal "
            "years; with this subsidy ({subsidy}) that is {total}, more than the ceiling of "
            "either regulation: {ceiling} (Reg. (EU) 1407/2013) and {successor} (Reg. (EU) "
            "2023/2831).", successor=Money(successor), **words)), hint)
    # The successor's ceiling applies from the day the old regulation ended.
    since = ctx.params.meta("de_minimis_successor_ceiling_eur").valid_from
    return hinted(warned(Message(
        "{name} received {received} de-minimis aid in this and the two preceding fiscal years; "
        "with this subsidy ({subsidy}) that is {total}: more than the {ceiling} of Reg. (EU) "
        "1407/2013, which art. 2.1 names but which ended on {ended}, and within the {successor} "
        "of Reg. (EU) 2023/2831, in force from {since}. The scheme's text does not settle which "
        "applies; RVO decides.", successor=Money(successor),
        ended=Day(since - dt.timedelta(days=1)), since=Day(since), **words)), hint)


# -------------------------------------------------------------------------------------------
# From 2022 the subsidy is de-minimis aid (Stcrt. 2022, 9667): the GBER grounds of art. 1.3
# apply only "als de algemene groepsvrijstellingsverordening van toepassing is"; where a GBER
# ground still warns it notes ``gber_note`` (the rule change's words).


def difficulty_under_de_minimis(ctx: Context, i: int, p: Participant, *,
                                gber_note: Callable[[], Message]) -> Outcome:
    """GBER-DIFFICULTY from 2022: Reg. (EU) 1407/2013 has no exclusion of undertakings in
    difficulty for grants (years.md, 2022), so this is never "cannot receive aid": it warns that
    RVO may still weigh the financial viability of the participant.
    """
    name = ctx.name(i)
    if p.in_difficulty is None:
        outcome = warned(Message("Answer the questions on financial difficulty for {name}.",
                                 name=name))
        outcome.needs = (ppath(i, "in_difficulty"),)
        outcome.notes = (gber_note(),)
        return outcome
    if p.in_difficulty:
        return warned(Message(
            "{name} is an undertaking in difficulty. From 2022 this subsidy is de-minimis aid, and "
            "Reg. (EU) 1407/2013 does not exclude undertakings in difficulty from grants; RVO may "
            "still weigh whether {name} can carry out the project.", name=name))
    return passed(Message("{name} is not an undertaking in difficulty.", name=name))


_PRIMARY_PRODUCTION = {
    Sector.FISHERY_AQUACULTURE: (N_("the primary production of fishery and aquaculture "
                                    "products"), "1(1)(a)"),
    Sector.PRIMARY_AGRICULTURE: (N_("the primary production of agricultural products"),
                                 "1(1)(b)"),
}


def excluded_under_de_minimis(ctx: Context, i: int, p: Participant, *,
                              gber_note: Callable[[], Message]) -> Outcome:
    """GBER-EXCLUDED from 2022: the sectors Reg. (EU) 1407/2013 art. 1 excludes.

    Art. 1 (1) (a): "aid granted to undertakings active in the primary production of fishery and
    aquaculture products"; (b) the primary production of agricultural products. Art. 1 (2): an
    undertaking also active in other sectors may receive the aid for those activities if it
    separates the activities or distinguishes the costs. So such a participant fails unless it
    states that the project's activities and costs are kept apart from that production (then
    warn: RVO judges the separation). The recovery order remains a GBER ground of art. 1.3 d: at
    worst a warning from 2022.
    """
    name = ctx.name(i)
    if p.sector in _PRIMARY_PRODUCTION:
        production, article = _PRIMARY_PRODUCTION[p.sector]
        words = {"name": name, "production": Message(production), "article": article}
        if p.primary_production_kept_apart:
            return warned(Message(
                "{name} is active in {production}, which the de-minimis regulation excludes (Reg. "
                "(EU) 1407/2013 art. {article}); it states that the project's activities and costs "
                "are kept apart from that production, which art. 1(2) allows. RVO judges the "
                "separation.", **words))
        return failed(Message(
            "{name} is active in {production}, which the de-minimis regulation excludes (Reg. (EU) "
            "1407/2013 art. {article}); only if the project's activities and costs are kept apart "
            "from that production (art. 1(2)) can it receive the aid for them, and {name} does not "
            "state that.", **words))
    if p.sector is None:
        return missing(Message("Answer in which sector {name} is active.", name=name),
                       ppath(i, "sector"))
    if p.recovery_order_outstanding or p.recovery_order_outstanding is None:
        outcome = warned(
            Message("{name} has an outstanding recovery order for earlier aid and is excluded.",
                    name=name) if p.recovery_order_outstanding else
            Message("Answer the sector and recovery-order questions for {name}.", name=name))
        if p.recovery_order_outstanding is None:
            outcome.needs = (ppath(i, "recovery_order_outstanding"),)
        outcome.notes = (gber_note(),)
        return outcome
    return passed(Message("{name} is not in a sector the de-minimis regulation excludes and has "
                          "no outstanding recovery order.", name=name))
