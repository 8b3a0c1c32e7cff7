"""Named rule changes: how a later year's ruleset differs in logic, not only in parameters.

A ruleset lists the names of the changes it needs (``rule_changes = [...]``). Each change is a
small function that receives the criterion functions by ID and returns them changed
(replaced, wrapped, added or removed). The 2020 seed regime needs none; the 2021-2024
rulesets (a later issue) add theirs here, e.g. ``"one-large-enterprise-allowed"`` (2022).
"""

from __future__ import annotations

from collections.abc import Callable

CriterionTable = dict[str, Callable[..., object]]
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
            table = RULE_CHANGES[name](dict(table))
        except KeyError:
            raise UnknownRuleChangeError(name) from None
    return table
