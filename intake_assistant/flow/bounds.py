"""Stored answers from outside (an imported draft, a save file) held to the typed answers' bounds.

A typed answer passes ``values.parse`` and the question's validation; an answer read from a
file has not, so a draft with ``staff_units: 1e308`` or a save with
``participant_count: 1000000`` would be taken as it is (and then crash a screen, or allocate a
million participants). Here every such answer is checked by the same rules, before anything is
built from it:

* :func:`oversized_groups` looks at the lists of a draft (participants, cost lines, ties)
  before a single answer is read from them: more than the count question's maximum is
  refused as a whole, with the JSON path and the limit.
* :func:`count_problems` does the same for the count answers of a saved session.
* :func:`answer_problem` says why one stored answer is not one the question would accept
  (its type, and the question's own parse, bounds and limits), or None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from intake_assistant.i18n import Message

from . import values
from .plan import Plan, _get, parse_key
from .schema import Question

#: The language answers are written in for the round trip (any language would do).
_CHECK_LANGUAGE = "en"


def _json_path(path: tuple[str | None, ...], indices: tuple[int, ...]) -> str:
    out = ""
    ix = iter(indices)
    for part in path:
        if part is None:
            out += f"[{next(ix)}]"
        else:
            out += f".{part}" if out else part
    return out


def field_json_path(plan: Plan, question: Question, indices: tuple[int, ...]) -> str:
    """Where in a draft the answer to ``question`` (instance ``indices``) lives."""
    if question.id in plan.group_of_count:
        return _json_path(plan.group_path(plan.group_of_count[question.id]), indices)
    if question.gate is not None:
        return _json_path(plan.field_path(question, question.gate.path), indices)
    return _json_path(plan.field_path(question), indices) if question.field else question.id


def _too_many(question: Question, count: int) -> Message:
    return Message("{count} items; this intake takes at most {max}", count=str(count),
                   max=str(int(question.validation.max or 0)))


def oversized_groups(plan: Plan, data: Mapping[str, Any]) -> list[tuple[str, Message]]:
    """The lists of draft ``data`` longer than their count question allows (outer ones first)."""
    problems: list[tuple[str, Message]] = []
    for name in sorted(plan.flow.groups, key=lambda g: len(plan.chains[g])):
        chain = plan.chains[name]
        question = plan.by_id[plan.count_of_group[name]]
        high = question.validation.max
        if high is None:
            continue
        for parent in plan._instances(data, chain[:-1]):
            found = _get(data, plan.group_path(name), parent)
            if isinstance(found, list) and len(found) > high:
                problems.append((_json_path(plan.group_path(name), parent),
                                 _too_many(question, len(found))))
        if problems:  # the inner lists of a refused outer list are not looked at
            return problems
    return problems


def oversized_top_groups(plan: Plan, draft: Any) -> list[tuple[str, Message]]:
    """As ``oversized_groups`` for the outer lists (participants, ties) of a draft *model*:
    a draft with 10,000 participants is refused before it is turned into data."""
    problems: list[tuple[str, Message]] = []
    for name in plan.flow.groups:
        path = plan.group_path(name)
        if None in path:  # a list inside a list: checked on the data once the outer ones pass
            continue
        found: Any = draft
        for part in path:
            found = found.get(part) if isinstance(found, Mapping) else getattr(found, part, None)
        question = plan.by_id[plan.count_of_group[name]]
        high = question.validation.max
        if isinstance(found, list) and high is not None and len(found) > high:
            problems.append((_json_path(path, ()), _too_many(question, len(found))))
    return problems


def count_problems(plan: Plan, answers: Mapping[str, Any]) -> list[tuple[str, Message]]:
    """Count answers (how many participants, cost lines, ties) that are not a count in bounds."""
    problems = []
    for key, value in answers.items():
        try:
            qid, _indices = parse_key(key)
        except KeyError:
            continue
        if qid not in plan.group_of_count:
            continue
        question = plan.by_id[qid]
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append((key, Message("must be a number")))
            continue
        try:
            values._check_bounds(question, value)
        except values.AnswerError as exc:
            problems.append((key, exc.message))
    return problems


def answer_problem(question: Question, value: Any,
                   choices: Sequence[tuple[str, str]]) -> Message | None:
    """Why ``value`` is not an answer ``question`` accepts when typed, or None."""
    kind = question.kind
    if kind in values.NUMBER_KINDS:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return Message("must be a number")
        if value != value or value in (float("inf"), float("-inf")):
            return Message("must be a finite number")
        if kind == "whole_number" and value != int(value):
            return Message("Enter a whole number, for example {example}.",
                           example=values.example(kind, _CHECK_LANGUAGE))
        if kind == "money" and value < 0:
            return Message("An amount cannot be negative.")
        try:
            values._check_bounds(question, value)
        except values.AnswerError as exc:
            return exc.message
        return None
    if kind == "yes_no":
        return None if isinstance(value, bool) else Message("must be true or false")
    if kind == "multi_choice":
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return Message("must be a list")
        raw: Any = value
    elif not isinstance(value, str):
        return Message("must be text")
    else:
        raw = value
    try:  # typed as it stands, the question's own parse and validation
        parsed = values.parse(question, raw, _CHECK_LANGUAGE, choices)
    except values.AnswerError as exc:
        return exc.message
    exact = parsed == value if kind == "choice" else (
        kind != "multi_choice" or set(parsed or ()) == set(value))
    if not exact:  # a code, not a label or a number
        return Message("Choose one of the options.")
    return None


class OutOfBounds(ValueError):
    """Draft or save data the intake cannot take at all: ``problems`` say where and why."""

    def __init__(self, problems: list[tuple[str, Message]]) -> None:
        super().__init__("; ".join(path for path, _what in problems))
        self.problems = problems


__all__ = ["OutOfBounds", "answer_problem", "count_problems", "field_json_path",
           "oversized_groups", "oversized_top_groups"]
