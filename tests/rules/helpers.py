"""Helpers of the rules tests: examples as JSON data, changes by draft path, finding lookup."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from intake_assistant.models import DraftApplication
from intake_assistant.rules import CRITERIA, Finding, Report, evaluate

REPO_DIR = Path(__file__).resolve().parents[2]
SHARED_DIR = (REPO_DIR / ".." / "shared").resolve()
EXAMPLES_DIR = SHARED_DIR / "examples"

ELIGIBLE = "eligible-office-chair"
ARTICLES = {c.id: c.article for c in CRITERIA}
PER_PARTICIPANT = {c.id for c in CRITERIA if c.per_participant}
CRITERION_IDS = [c.id for c in CRITERIA]

#: A change value that removes the key (absent, as opposed to ``null``).
ABSENT = "<absent>"

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def example_data(name: str = ELIGIBLE) -> dict[str, Any]:
    """The example draft ``name`` (without ``.json``) as fresh JSON data."""
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _split(path: str) -> list[str | int]:
    parts: list[str | int] = []
    pos = 0
    for match in _PART.finditer(path):
        if match.start() != pos and path[pos] != ".":
            raise ValueError(f"bad path {path!r}")
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        pos = match.end()
    if not parts:
        raise ValueError(f"bad path {path!r}")
    return parts


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``project.start_date`` / ``participants[2].own_hours`` to ``value``.

    ``ABSENT`` removes the key; an index equal to the list's length appends.
    """
    parts = _split(path)
    node: Any = data
    for part in parts[:-1]:
        node = node[part]
    last = parts[-1]
    if value == ABSENT:
        del node[last]
    elif isinstance(last, int) and last == len(node):
        node.append(copy.deepcopy(value))
    else:
        node[last] = copy.deepcopy(value)


def changed(data: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` with ``changes`` (path -> value) applied in order."""
    out = copy.deepcopy(dict(data))
    for path, value in changes.items():
        set_path(out, path, value)
    return out


def draft_of(data: Mapping[str, Any]) -> DraftApplication:
    return DraftApplication.model_validate(data)


def check(data: Mapping[str, Any], changes: Mapping[str, Any] | None = None) -> Report:
    return evaluate(draft_of(changed(data, changes or {})))


def findings(report: Report, criterion: str) -> list[Finding]:
    assert criterion in ARTICLES, criterion
    return [f for f in report.findings if f.criterion == criterion]


def finding(report: Report, criterion: str, participant: str | None = None) -> Finding:
    """The one finding of ``criterion`` (for the participant with that KvK number)."""
    found = [f for f in findings(report, criterion) if f.participant == participant]
    assert len(found) == 1, (criterion, participant, found)
    return found[0]


def statuses(report: Report) -> dict[tuple[str, str | None], str]:
    return {(f.criterion, f.participant): str(f.status) for f in report.findings}


def participant(kvk: str, *, role: str = "producer", lead: bool = False,
                own_hours: float = 100, extra: Iterable[tuple[str, Any]] = ()) -> dict[str, Any]:
    """A complete, eligible participant with KvK number ``kvk``."""
    data: dict[str, Any] = {
        "name": f"Deelnemer {kvk}",
        "kvk_number": kvk,
        "is_lead_applicant": lead,
        "chain_role": role,
        "chain_role_other": None,
        "staff_units": 5.0,
        "annual_turnover_eur": 500000,
        "balance_sheet_total_eur": 250000,
        "figures_include_linked_and_partner": True,
        "public_bodies_control_25pct": False,
        "in_difficulty": False,
        "recovery_order_outstanding": False,
        "sector": "other",
        "other_aid_same_costs": False,
        "received_this_subsidy_this_year": False,
        "group": None,
        "continues_after_project": True,
        "own_hours": own_hours,
        "cost_lines": [],
    }
    data.update(dict(extra))
    return data


ROLES = ["collector", "designer", "producer", "retailer", "recycler", "user", "distributor",
         "processor", "repairer", "raw_material_supplier"]


def with_participants(data: Mapping[str, Any], count: int) -> dict[str, Any]:
    """``data`` with ``count`` complete participants of distinct roles, the first the lead."""
    out = copy.deepcopy(dict(data))
    out["participants"] = [
        participant(f"{10000000 + i + 1:08d}", role=ROLES[i % len(ROLES)], lead=i == 0)
        for i in range(count)
    ]
    return out


def plain(text: str) -> str:
    """``text`` with babel's no-break spaces (``€\\xa020.000,00``) as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")
