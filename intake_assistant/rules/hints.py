"""What would change the outcome: a hint on a finding, as words and as structured changes.

A criterion that fails or warns on a number or a date says how far the draft is from passing
and the smallest change that would pass (``Hint.message``, a catalog message), computed from
the round's parameters. The same change is data too (``Hint.options``): each option is a tuple
of ``Change``s that together make the criterion pass; where there are several options (move
costs, or add costs) any one of them does. ``apply_option`` applies one to a draft, so a test
(or an advisor's tool) can check that the hint works. A hint without options only informs
(the subsidy lost to the maximum per SME).

The changes are kept small and kind to the other criteria: a hint never suggests a change
that would make another criterion's status worse where it can tell (cost moved only to
partners with room under the cost-share limit and the de-minimis ceiling, participants
removed only where the lead, the chain roles and the cost shares survive it).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from intake_assistant.i18n import Message, Translator
from intake_assistant.models import ChainRole, CostCategory, DraftApplication
from intake_assistant.records import Record


class SetAnswer(Record):
    """Give the answer at draft path ``path`` (``project.end_date``) the value ``value``."""

    __slots__ = ("path", "value")

    def __init__(self, path: str, value: Any) -> None:
        self.path = path
        self.value = value

    def to_json(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {"change": "set", "path": self.path, "value": value}


class MoveCosts(Record):
    """Move eligible costs of participant ``source`` to others: (index, euros) each."""

    __slots__ = ("source", "targets")

    def __init__(self, source: int, targets: tuple[tuple[int, float], ...]) -> None:
        self.source = source
        self.targets = targets

    @property
    def amount(self) -> float:
        return sum(a for _, a in self.targets)

    def to_json(self) -> dict[str, Any]:
        return {"change": "move_costs", "from_participant": self.source,
                "to": [{"participant": i, "amount_eur": a} for i, a in self.targets]}


class AddCosts(Record):
    """Add eligible costs to participants: (index, euros) each."""

    __slots__ = ("targets",)

    def __init__(self, targets: tuple[tuple[int, float], ...]) -> None:
        self.targets = targets

    @property
    def amount(self) -> float:
        return sum(a for _, a in self.targets)

    def to_json(self) -> dict[str, Any]:
        return {"change": "add_costs",
                "to": [{"participant": i, "amount_eur": a} for i, a in self.targets]}


class ReduceCosts(Record):
    """Take ``amount`` euros off the eligible costs of participant ``index``."""

    __slots__ = ("amount", "index")

    def __init__(self, index: int, amount: float) -> None:
        self.index = index
        self.amount = amount

    def to_json(self) -> dict[str, Any]:
        return {"change": "reduce_costs", "participant": self.index, "amount_eur": self.amount}


class AddParticipants(Record):
    """Add SMEs that meet the per-participant criteria, each in ``chain_roles``' role."""

    __slots__ = ("chain_roles",)

    def __init__(self, chain_roles: tuple[str, ...]) -> None:
        self.chain_roles = chain_roles

    @property
    def count(self) -> int:
        return len(self.chain_roles)

    def to_json(self) -> dict[str, Any]:
        return {"change": "add_participants", "count": self.count,
                "chain_roles": list(self.chain_roles)}


class RemoveParticipants(Record):
    """Leave participants out of the partnership (indices into the draft's list)."""

    __slots__ = ("indices",)

    def __init__(self, indices: tuple[int, ...]) -> None:
        self.indices = indices

    def to_json(self) -> dict[str, Any]:
        return {"change": "remove_participants", "participants": list(self.indices)}


Change = SetAnswer | MoveCosts | AddCosts | ReduceCosts | AddParticipants | RemoveParticipants


class Hint(Record):
    """What would change a finding's outcome: words, and the changes that would do it."""

    __slots__ = ("message", "notes", "options")

    def __init__(self, message: Message, options: tuple[tuple[Change, ...], ...] = (),
                 notes: tuple[Message, ...] = ()) -> None:
        self.message = message
        #: Alternatives; each is the changes that together pass the criterion. Empty:
        #: information.
        self.options = options
        #: Further sentences (e.g. that a large enterprise may join in this round).
        self.notes = notes

    def text(self, tr: Translator) -> str:
        return " ".join([tr.render(self.message), *(tr.render(n) for n in self.notes)])

    def to_json(self, tr: Translator) -> dict[str, Any]:
        return {"message": self.text(tr),
                "options": [[c.to_json() for c in option] for option in self.options]}


def whole_euros_up(amount: float) -> float:
    """``amount`` rounded up to whole euros (a hint moves a little more, never too little)."""
    return float(math.ceil(round(amount, 6)))


def whole_euros_down(amount: float) -> float:
    return float(math.floor(round(amount, 6)))


# -------------------------------------------------------------------------------------------
# Applying a change to a draft.


def _new_participant(data: dict[str, Any], role: str, v2: bool) -> dict[str, Any]:
    """A new SME that meets every per-participant criterion, with a KvK number not yet used."""
    used = {p.get("kvk_number") for p in data.get("participants") or ()}
    facilitator = data.get("facilitator") or {}
    used.add(facilitator.get("kvk_number"))
    number = 90000001
    while f"{number:08d}" in used:
        number += 1
    out: dict[str, Any] = {
        "name": None, "kvk_number": f"{number:08d}", "is_lead_applicant": False,
        "chain_role": role, "staff_units": 1.0, "annual_turnover_eur": 100000.0,
        "balance_sheet_total_eur": 100000.0, "figures_include_linked_and_partner": True,
        "public_bodies_control_25pct": False, "in_difficulty": False,
        "recovery_order_outstanding": False, "sector": "other", "other_aid_same_costs": False,
        "received_this_subsidy_this_year": False, "group": None, "continues_after_project": True,
        "own_hours": 0.0, "cost_lines": [],
    }
    if v2:
        out["de_minimis_received_eur"] = 0.0
    return out


def _reduce(participant: dict[str, Any], amount: float, hourly_rate: float) -> None:
    """Take ``amount`` off a participant's eligible cost lines first, then its own hours."""
    from intake_assistant.models import NOT_ELIGIBLE_CATEGORIES

    left = round(amount, 2)
    for line in sorted((line for line in participant.get("cost_lines") or ()
                        if line.get("amount_eur") and line.get("category") is not None
                        and CostCategory(line["category"]) not in NOT_ELIGIBLE_CATEGORIES
                        # eligible in some rounds only: never what a hint takes off
                        and line["category"] != CostCategory.KNOWLEDGE_SHARING),
                       key=lambda line: -line["amount_eur"]):
        if left <= 0:
            break
        taken = min(line["amount_eur"], left)
        line["amount_eur"] = round(line["amount_eur"] - taken, 2)
        left = round(left - taken, 2)
    if left > 0 and participant.get("own_hours"):
        hours = math.ceil(left / hourly_rate * 100) / 100  # a little more rather than less
        participant["own_hours"] = max(0.0, round(participant["own_hours"] - hours, 2))


def _add_line(participant: dict[str, Any], amount: float) -> None:
    lines = participant.get("cost_lines")
    if lines is None:
        lines = participant["cost_lines"] = []
    lines.append({"description": None, "category": "other", "amount_eur": round(amount, 2)})


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    node: Any = data
    parts = path.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    last = parts[-1]
    node[last] = value.isoformat() if isinstance(value, dt.date) else value


def apply_option(draft: DraftApplication, option: tuple[Change, ...],
                 hourly_rate: float) -> DraftApplication:
    """``draft`` with the changes of one hint option made (a new draft; ``draft`` is kept).

    ``hourly_rate`` is the round's fixed hourly rate: costs taken off own hours are hours.
    Removals are made last, so the indices of the other changes are the draft's own.
    """
    data = draft.to_json_dict()
    participants = data.get("participants") or []
    # A new participant answers the de-minimis question where the draft's others do.
    v2 = any("de_minimis_received_eur" in p for p in participants)
    removed: set[int] = set()
    for change in option:
        if isinstance(change, SetAnswer):
            _set_path(data, change.path, change.value)
        elif isinstance(change, MoveCosts):
            _reduce(participants[change.source], change.amount, hourly_rate)
            for index, amount in change.targets:
                _add_line(participants[index], amount)
        elif isinstance(change, AddCosts):
            for index, amount in change.targets:
                _add_line(participants[index], amount)
        elif isinstance(change, ReduceCosts):
            _reduce(participants[change.index], change.amount, hourly_rate)
        elif isinstance(change, AddParticipants):
            for role in change.chain_roles:
                participants.append(_new_participant(data, role, v2))
            data["participants"] = participants
        elif isinstance(change, RemoveParticipants):
            removed.update(change.indices)
    if removed:
        data["participants"] = [p for i, p in enumerate(participants) if i not in removed]
    if any(k in p for p in data.get("participants") or () for k in ("de_minimis_received_eur",)):
        data["format_version"] = 2
    return DraftApplication.model_validate(data)


def unused_roles(present: set[str | None]) -> list[str]:
    """Chain roles no participant has, in the model's order ("other" last and never)."""
    return [str(r) for r in ChainRole if r != ChainRole.OTHER and str(r) not in present]


__all__ = [
    "AddCosts", "AddParticipants", "Change", "Hint", "MoveCosts", "ReduceCosts",
    "RemoveParticipants", "SetAnswer", "apply_option", "unused_roles", "whole_euros_down",
    "whole_euros_up",
]
