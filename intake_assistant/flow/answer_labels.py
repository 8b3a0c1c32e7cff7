"""The question that asks for an answer at a draft path, in the reader's language.

What a finding rests on names draft paths (``participants[2].cost_lines[0].amount_eur``); a
report names them by their question ("What is the amount of cost line 1 of Acme B.V.?"), filled
in as the intake asks it. A path no question of the round fills keeps its path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from intake_assistant.i18n import Message, translator

from .round_texts import flow_rulesets, ruleset_texts
from .schema import Question, cached_flow

_INDEX = re.compile(r"\[(\d+)\]")


@lru_cache(maxsize=16)
def questions_by_path(ruleset_id: str) -> dict[str, Question]:
    """Draft path with the indices left out (``participants[].own_hours``) -> its question."""
    from .plan import Plan

    plan = Plan(cached_flow(ruleset_id))
    out: dict[str, Question] = {}
    for q in plan.questions:
        if q.id in plan.group_of_count:
            continue
        if q.gate is not None:
            path = plan.field_path(q, q.gate.path)
        elif q.field:
            path = plan.field_path(q)
        else:
            continue
        generic = ".".join("[]" if part is None else part for part in path).replace(".[]", "[]")
        out.setdefault(generic, q)  # several questions fill one field: the first names it
    return out


def flow_of(ruleset_id: str) -> str:
    """The round whose question flow names the answers (the first round's for another)."""
    known = flow_rulesets()
    return ruleset_id if ruleset_id in known else known[0]


def question_at(ruleset_id: str, path: str) -> Question | None:
    """The question of the round's flow, else of the first other round that asks it."""
    generic = _INDEX.sub("[]", path)
    found = questions_by_path(flow_of(ruleset_id)).get(generic)
    if found is None:
        found = next((q for r in flow_rulesets() if (q := questions_by_path(r).get(generic))),
                     None)
    return found


def answer_label(ruleset_id: str, path: str, names: dict[int, str], language: str) -> str:
    """The question asking for the answer at ``path``; ``names``: participants by position."""
    question = question_at(ruleset_id, path)
    if question is None:
        return path
    tr = translator(language)
    indices = [int(i) for i in _INDEX.findall(path)]
    params: dict[str, Any] = dict(ruleset_texts(flow_of(ruleset_id), language))
    if path.startswith("participants[") and indices:
        index = indices[0]
        params["number"] = index + 1
        params["participant"] = names.get(index) or tr.render(
            Message("participant {number}", number=index + 1))
        if ".cost_lines[" in path and len(indices) > 1:
            params["line_number"] = indices[1] + 1
    elif path.startswith("facilitator.ties[") and indices:
        params["tie_number"] = indices[0] + 1
    from intake_assistant.rules.texts import fill

    if question.combine:  # several questions make this answer: named by their section
        title = next((s.title for s in cached_flow(flow_of(ruleset_id)).sections
                      if s.id == question.section), question.section)
        words = tr.gettext(title)
        if "participant" in params:
            words = tr("{section} ({participant})", section=words, participant=params["participant"])
        return words
    return fill(tr.gettext(question.label), {k: str(v) for k, v in params.items()})


def choice_label(ruleset_id: str, path: str, code: str, language: str) -> str | None:
    """The words of the choice ``code`` of the question at ``path`` (None: not a choice)."""
    question = question_at(ruleset_id, path)
    if question is None:
        return None
    for choice in question.choices:
        if choice.code == code:
            return translator(language).gettext(choice.label)
    return None
