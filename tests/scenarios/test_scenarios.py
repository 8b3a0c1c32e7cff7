"""Scenario tests as data: every ``cases/*.yaml`` is one realistic case.

A scenario names a ``base`` example (``../shared/examples/<base>.json``), a mapping of
``changes`` (draft path -> value; ``participants[2].sector``, ``facilitator``;
``<absent>`` removes the key; an index one past the end appends) and the ``expect``ed status
per criterion (per-participant criteria: one status for all participants, or a mapping of
KvK number -> status) plus the ``verdict``. Every criterion not listed must keep the status
it has in the base example (participants added by the scenario: ``pass``), so a scenario
also shows that its change touches nothing else. Changes are applied in a fixed order
(sets by path, then removals from the highest index down), so their order in the file does
not matter, and every scenario starts from a fresh copy of its base.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from intake_assistant.models import DraftApplication
from intake_assistant.rules import CRITERIA, Report, evaluate

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples"
CASES_DIR = Path(__file__).resolve().parent / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))
ABSENT = "<absent>"
IDS = [c.id for c in CRITERIA]
PER_PARTICIPANT = {c.id for c in CRITERIA if c.per_participant}
STATUSES = {"pass", "fail", "warn", "unknown", "info"}
_PART = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list[str | int]:
    parts: list[str | int] = []
    pos = 0
    for match in _PART.finditer(path):
        assert match.start() == pos, f"bad path {path!r}"
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        pos = match.end()
    assert parts and pos == len(path), f"bad path {path!r}"
    return parts


def _sort_key(parts: list[str | int]) -> tuple[tuple[int, Any], ...]:
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in parts)


def apply_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    sets = sorted(((_parts(p), v) for p, v in changes.items() if v != ABSENT),
                  key=lambda item: _sort_key(item[0]))
    removals = sorted((_parts(p) for p, v in changes.items() if v == ABSENT),
                      key=_sort_key, reverse=True)
    for parts, value in sets:
        node: Any = out
        for part in parts[:-1]:
            node = node[part]
        last = parts[-1]
        if isinstance(last, int) and last == len(node):
            node.append(copy.deepcopy(value))
        else:
            node[last] = copy.deepcopy(value)
    for parts in removals:
        node = out
        for part in parts[:-1]:
            node = node[part]
        del node[parts[-1]]
    return out


def _statuses(report: Report) -> dict[tuple[str, str | None], str]:
    out: dict[tuple[str, str | None], str] = {}
    for f in report.findings:
        key = (f.criterion, f.participant)
        assert key not in out, f"two findings for {key}"
        out[key] = str(f.status)
    return out


def _load(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _scenario(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(data) <= {"description", "base", "changes", "expect", "verdict"}, set(data)
    assert data["verdict"] in {"eligible", "not_eligible", "incomplete"}
    for criterion, status in data["expect"].items():
        assert criterion in IDS, f"{path.name}: unknown criterion {criterion}"
        values = status.values() if isinstance(status, dict) else [status]
        assert set(values) <= STATUSES, f"{path.name}: {criterion}: {status}"
    return data


def test_enough_scenarios() -> None:
    assert len(CASE_FILES) >= 12


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_scenario(path: Path) -> None:
    scenario = _scenario(path)
    base_data = _load(scenario["base"])
    base = _statuses(evaluate(DraftApplication.model_validate(base_data)))
    draft = DraftApplication.model_validate(apply_changes(base_data, scenario.get("changes") or {}))
    report = evaluate(draft)
    got = _statuses(report)

    expected: dict[tuple[str, str | None], str] = {}
    for key in got:
        criterion, participant = key
        listed = scenario["expect"].get(criterion)
        if isinstance(listed, dict):
            expected[key] = listed.get(participant, base.get(key, "pass"))
        elif listed is not None:
            expected[key] = listed
        else:
            expected[key] = base.get(key, "pass")
    if isinstance(scenario["expect"], dict):
        for criterion, listed in scenario["expect"].items():
            if isinstance(listed, dict):
                for kvk in listed:
                    assert (criterion, kvk) in got, f"no {criterion} finding for {kvk}"
    differences = {f"{c} {p or ''}".strip(): (got[(c, p)], want)
                   for (c, p), want in expected.items() if got[(c, p)] != want}
    assert not differences, f"{path.name}: criterion: (got, expected): {differences}"
    assert str(report.verdict) == scenario["verdict"], f"{path.name}: verdict {report.verdict}"


def test_changes_are_order_independent() -> None:
    base = _load("eligible-office-chair")
    changes = {"participants[3]": ABSENT, "participants[1].group": "X",
               "participants[2]": ABSENT, "participants[4]": {"name": "new"}}
    forward = apply_changes(base, changes)
    backward = apply_changes(base, dict(reversed(list(changes.items()))))
    assert forward == backward
    assert [p.get("name") for p in forward["participants"]] == [
        "Kringloop Kunststof B.V.", "Ontwerpstudio Rond", "new"]
