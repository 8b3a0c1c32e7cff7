"""Named rule changes: how a later round's ruleset differs in logic, not only in parameters.

A ruleset lists the names of the changes it adds (``rule_changes = [...]``; a ruleset that
extends another keeps the other's). Each change is a small function that receives the
criterion functions by ID and returns them changed (replaced, wrapped, added or removed).
The 2020 and 2021 rounds need none (2021 changed values only); 2022 adds four, 2024 three.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from intake_assistant.i18n import Message
from intake_assistant.rules.findings import Status

CriterionTable = dict[str, Callable[..., Any]]
RuleChange = Callable[[CriterionTable], CriterionTable]

RULE_CHANGES: dict[str, RuleChange] = {}


def rule_change(name: str) -> Callable[[RuleChange], RuleChange]:
    def register(fn: RuleChange) -> RuleChange:
        RULE_CHANGES[name] = fn
        return fn

    return register


class UnknownRuleChangeError(LookupError):
    pass


def apply_changes(table: CriterionTable, names: tuple[str, ...]) -> CriterionTable:
    for name in names:
        try:
            change = RULE_CHANGES[name]
        except KeyError:
            raise UnknownRuleChangeError(name) from None
        table = change(dict(table))
    return table


def at_worst_warn(fn: Callable[..., Any], reason: Callable[[], Message]) -> Callable[..., Any]:
    """``fn`` whose failures (and missing answers) become warnings, noting ``reason``."""

    def changed(*args: Any) -> Any:
        from intake_assistant.rules.criteria.criterion_outcomes import Outcome

        out = fn(*args)
        if out.status in {Status.FAIL, Status.UNKNOWN}:
            return Outcome(Status.WARN, out.message, out.needs, out.unverified,
                           (*out.notes, reason()), hint=out.hint)
        return out

    changed.__doc__ = fn.__doc__
    return changed


def gber_not_applicable() -> Message:
    return Message("From 2022 the subsidy is de-minimis aid (Stcrt. 2022, 9667): the grounds of "
                   "art. 1.3 apply only \"als de algemene groepsvrijstellingsverordening van "
                   "toepassing is\", so this is a warning until paragraph 2's own 2022 conditions "
                   "are read.")


@rule_change("de-minimis-aid")
def de_minimis_aid(table: CriterionTable) -> CriterionTable:
    """2022 (Stcrt. 2022, 9667, art. I A and Toelichting): de-minimis aid, no longer GBER.

    The GBER criteria give at worst ``warn``, saying why; GBER-DIFFICULTY and the sector part of
    GBER-EXCLUDED follow Reg. (EU) 1407/2013 itself (no exclusion of undertakings in difficulty
    for grants; the primary-production sectors of its art. 1 excluded); ``DE-MINIMIS`` is added.
    """
    from intake_assistant.rules.criteria import function_of
    from intake_assistant.rules.criteria.gber import (
        difficulty_under_de_minimis,
        excluded_under_de_minimis,
    )

    for criterion_id in ("GBER-INCENTIVE", "GBER-CUMULATION"):
        table[criterion_id] = at_worst_warn(table[criterion_id], gber_not_applicable)
    table["GBER-DIFFICULTY"] = partial(difficulty_under_de_minimis, gber_note=gber_not_applicable)
    table["GBER-EXCLUDED"] = partial(excluded_under_de_minimis, gber_note=gber_not_applicable)
    table["DE-MINIMIS"] = function_of("DE-MINIMIS")
    return table


@rule_change("de-minimis-successor")
def de_minimis_successor(table: CriterionTable) -> CriterionTable:
    """2024: Reg. (EU) 1407/2013 ended on 31 December 2023 and Reg. (EU) 2023/2831 (a higher
    ceiling) is in force from 1 January 2024; art. 2.1 still names the first (years.md)."""
    from intake_assistant.rules.criteria.gber import de_minimis_two_regulations

    table["DE-MINIMIS"] = de_minimis_two_regulations
    return table


@rule_change("activities-reworded")
def activities_reworded(table: CriterionTable) -> CriterionTable:
    """2022 (Stcrt. 2022, 9667, art. I A): the activities are those linked to the barriers."""
    from intake_assistant.rules.criteria.project import activity_type_from_2022

    table["ACTIVITY-TYPE"] = activity_type_from_2022
    return table


def _large_enterprise_not_read() -> Message:
    return Message("A large enterprise takes part: whether it receives subsidy, whether its costs "
                   "count in the cost-share rule and how lasting cooperation reads with it were "
                   "not read in the 2022 text, so this is a warning; RVO decides.")


def warn_when_large(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` that gives at worst ``warn`` (saying why) when a large enterprise takes part."""

    def changed(ctx: Any, *args: Any) -> Any:
        from intake_assistant.rules.criteria.criterion_outcomes import Outcome
        from intake_assistant.rules.criteria.partnership import large_enterprises

        out = fn(ctx, *args)
        if not large_enterprises(ctx) or out.status is Status.UNKNOWN:
            return out
        status = Status.WARN if out.status in {Status.FAIL, Status.PASS, Status.INFO} else out.status
        return Outcome(status, out.message, out.needs, out.unverified,
                       (*out.notes, _large_enterprise_not_read()), hint=out.hint)

    changed.__doc__ = fn.__doc__
    return changed


@rule_change("one-large-enterprise-allowed")
def one_large_enterprise_allowed(table: CriterionTable) -> CriterionTable:
    """2022 (Stcrt. 2022, 9667, art. I A): 2 to 5 SMEs with at most one large enterprise."""
    from intake_assistant.rules.criteria.partnership import (
        chain_roles_of_the_partnership,
        partnership_size_one_large_allowed,
        sme_status_one_large_allowed,
    )

    table["SME-STATUS"] = sme_status_one_large_allowed
    table["PARTNERSHIP-SIZE"] = partnership_size_one_large_allowed
    table["CHAIN-ROLES"] = chain_roles_of_the_partnership
    for criterion_id in ("SUBSIDY-AMOUNT", "COST-SHARE-70", "PARTNERSHIP-CONTINUES"):
        table[criterion_id] = warn_when_large(table[criterion_id])
    return table


@rule_change("lead-continues")
def lead_continues(table: CriterionTable) -> CriterionTable:
    """2022 (reported): the lead applicant is one of the SMEs that keep cooperating."""
    from intake_assistant.rules.criteria.project import lead_keeps_cooperating

    table["PARTNERSHIP-CONTINUES"] = lead_keeps_cooperating
    return table


@rule_change("textile-fibre-to-fibre")
def textile_fibre_to_fibre(table: CriterionTable) -> CriterionTable:
    """2024 (reported): textile projects only with fibre-to-fibre recycling."""
    from intake_assistant.rules.criteria import function_of

    table["TEXTILE-FIBRE-TO-FIBRE"] = function_of("TEXTILE-FIBRE-TO-FIBRE")
    return table


@rule_change("repeat-application")
def repeat_application(table: CriterionTable) -> CriterionTable:
    """2024 (reported): no subsidy again for a comparable project of the same partners."""
    from intake_assistant.rules.criteria import function_of

    table["REPEAT-APPLICATION"] = function_of("REPEAT-APPLICATION")
    return table
