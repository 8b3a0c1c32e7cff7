"""The flow compiled for use: question instances, their order, the draft they build.

A question inside a repeated group is asked once per instance; its *key* is its id with
the instance numbers, zero-based: ``participant_name[2]``, ``cost_line_amount[0][1]``.
``Plan.walk`` expands the flow over the current answers in interview order and says for
each instance whether it is asked (its condition holds, using only answers that are
themselves asked); ``build_draft`` turns the asked answers into draft data and
``answers_from_draft`` reads a draft back into answers.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import expr
from .schema import Flow, Question

_KEY = re.compile(r"^([a-z][a-z0-9_]*)((?:\[\d+\])*)$")

Path = tuple[str | None, ...]  # None stands for the index of a repeated group


def make_key(question_id: str, indices: tuple[int, ...]) -> str:
    return question_id + "".join(f"[{i}]" for i in indices)


def parse_key(key: str) -> tuple[str, tuple[int, ...]]:
    match = _KEY.match(key)
    if match is None:
        raise KeyError(key)
    return match[1], tuple(int(i) for i in re.findall(r"\d+", match[2]))


@dataclass(frozen=True, slots=True)
class Slot:
    """One instance of a question: the question and the group instance it is about."""

    key: str
    question: Question
    indices: tuple[int, ...]
    asked: bool | None  # condition true / false / unknown (an earlier answer is missing)


class Plan:
    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.questions: list[Question] = [located.question for located in flow.questions]
        self.by_id: dict[str, Question] = {q.id: q for q in self.questions}
        self.conditions: dict[str, expr.Node | None] = {
            q.id: expr.parse(q.when) if q.when else None for q in self.questions
        }
        self.chains: dict[str | None, tuple[str, ...]] = {None: ()}
        for name in flow.groups:
            chain: list[str] = []
            current: str | None = name
            while current is not None and current not in chain:
                chain.insert(0, current)
                current = flow.groups[current].parent if current in flow.groups else None
            self.chains[name] = tuple(chain)
        self.section_ids = [s.id for s in flow.sections]
        self.section_titles = {s.id: s.title for s in flow.sections}
        self.section_short_labels = {s.id: s.short_label for s in flow.sections
                                     if s.short_label}
        self.count_of_group = {name: g.count for name, g in flow.groups.items()}
        self.group_of_count = {g.count: name for name, g in flow.groups.items()}
        self.order = {q.id: i for i, q in enumerate(self.questions)}
        #: The form each question is asked on (questions of no form have a screen each).
        self.form_of: dict[str, str] = {
            qid: name for name, members in flow.forms.items() for qid in members
            if qid in self.by_id}

    # -- structure ---------------------------------------------------------------------
    def chain(self, question: Question) -> tuple[str, ...]:
        return self.chains.get(question.group, ())

    def depth(self, question_id: str) -> int:
        return len(self.chain(self.by_id[question_id]))

    def group_path(self, group: str) -> Path:
        """Absolute draft path of a group's list, e.g. ("participants",)."""
        out: list[str | None] = []
        for name in self.chains[group]:
            if out:
                out.append(None)
            out += self.flow.groups[name].path.split(".")
        return tuple(out)

    def field_path(self, question: Question, relative: str | None = None) -> Path:
        """Absolute draft path that ``question`` fills (or ``relative`` below its group)."""
        rel = relative if relative is not None else (question.field or "")
        if question.group is None:
            return tuple(rel.split("."))
        return (*self.group_path(question.group), None, *rel.split("."))

    def combine_members(self, question: Question) -> list[Question]:
        return [q for q in self.questions if q.combine and q.field == question.field
                and q.group == question.group]

    # -- pages -------------------------------------------------------------------------
    def same_page(self, a: Slot, b: Slot) -> bool:
        """Whether two question instances are shown on one screen (the same form instance)."""
        form = self.form_of.get(a.question.id)
        return form is not None and form == self.form_of.get(b.question.id) and (
            a.indices == b.indices)

    def pages(self, slots: list[Slot]) -> list[list[Slot]]:
        """The asked instances of ``slots`` as screens, in interview order: a form's
        instances together, every other question alone."""
        out: list[list[Slot]] = []
        for slot in slots:
            if not slot.asked:
                continue
            if out and self.same_page(out[-1][0], slot):
                out[-1].append(slot)
            else:
                out.append([slot])
        return out

    # -- expansion ---------------------------------------------------------------------
    def walk(self, answers: Mapping[str, Any]) -> list[Slot]:
        """Every question instance in interview order, with whether it is asked."""
        live: dict[str, Any] = {}
        out: list[Slot] = []

        def scoped(ref: str, indices: tuple[int, ...]) -> str | None:
            q = self.by_id.get(ref)
            if q is None:
                return None
            depth = len(self.chain(q))
            if depth > len(indices):
                return None
            return make_key(ref, indices[:depth])

        def expand(questions: list[Question], indices: tuple[int, ...]) -> None:
            depth = len(indices)
            i = 0
            while i < len(questions):
                q = questions[i]
                chain = self.chain(q)
                if len(chain) <= depth:
                    key = make_key(q.id, indices)
                    node = self.conditions[q.id]
                    if node is None:
                        asked: bool | None = True
                    else:
                        def value_of(ref: str, _ix: tuple[int, ...] = indices) -> Any:
                            k = scoped(ref, _ix)
                            return None if k is None else live.get(k)

                        asked = expr.evaluate(node, value_of)
                    out.append(Slot(key, q, indices, asked))
                    if asked and key in answers:
                        live[key] = answers[key]
                    i += 1
                    continue
                group = chain[depth]
                j = i
                while j < len(questions):
                    c = self.chain(questions[j])
                    if len(c) <= depth or c[depth] != group:
                        break
                    j += 1
                count_key = make_key(self.count_of_group[group], indices)
                count = live.get(count_key)
                for n in range(count if isinstance(count, int) else 0):
                    expand(questions[i:j], (*indices, n))
                i = j

        expand(self.questions, ())
        return out

    # -- draft -------------------------------------------------------------------------
    def build_draft(self, answers: Mapping[str, Any], slots: list[Slot]) -> dict[str, Any]:
        """Draft data (JSON-like) from the asked answers; set-aside answers stay out."""
        data: dict[str, Any] = {}
        combined: dict[tuple[Any, ...], list[bool | None]] = {}
        for slot in slots:
            q = slot.question
            if slot.asked is False:
                if q.has_skipped_value:
                    _put(data, self.field_path(q), slot.indices, copy.deepcopy(q.skipped_value))
                continue
            value = answers.get(slot.key) if slot.asked else None
            if q.combine:
                combined.setdefault((self.field_path(q), slot.indices), []).append(value)
                continue
            if value is None:
                continue
            if q.id in self.group_of_count:
                group = self.group_of_count[q.id]
                _put(data, self.group_path(group), slot.indices, [{} for _ in range(value)])
            elif q.gate is not None:
                path = self.field_path(q, q.gate.path)
                if not value:
                    _put(data, path, slot.indices, copy.deepcopy(q.gate.no))
                elif q.gate_writes_yes and _get(data, path, slot.indices) is _ABSENT:
                    _put(data, path, slot.indices, copy.deepcopy(q.gate.yes))
            elif q.field:
                _put(data, self.field_path(q), slot.indices, copy.deepcopy(value))
        for (path, indices), values in combined.items():
            mode = next(q.combine for q in self.questions
                        if q.combine and self.field_path(q) == path)
            result = _combine(mode or "any", values)
            if result is not None:
                _put(data, path, indices, result)
        return data

    def answers_from_draft(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The answers a draft (JSON data, absent = not answered) holds, by key."""
        answers: dict[str, Any] = {}
        for q in self.questions:
            for indices in self._instances(data, self.chain(q)):
                key = make_key(q.id, indices)
                if q.id in self.group_of_count:
                    found = _get(data, self.group_path(self.group_of_count[q.id]), indices)
                    if isinstance(found, list):
                        answers[key] = len(found)
                elif q.gate is not None:
                    found = _get(data, self.field_path(q, q.gate.path), indices)
                    if found is not _ABSENT:
                        answers[key] = found != q.gate.no
                elif q.field:
                    found = _get(data, self.field_path(q), indices)
                    if found is _ABSENT or found is None:
                        continue
                    if q.kind in {"short_text", "long_text"} and found == "":
                        continue
                    if q.combine:
                        members = self.combine_members(q)
                        first = members[0].id == q.id
                        if (q.combine == "any") == bool(found):
                            if first:  # which sub-answer made it so is not known: the first
                                answers[key] = bool(found)
                        else:
                            answers[key] = bool(found)
                        continue
                    answers[key] = found
        return answers

    def _instances(self, data: Mapping[str, Any], chain: tuple[str, ...]
                   ) -> Iterator[tuple[int, ...]]:
        def rec(level: int, indices: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
            if level == len(chain):
                yield indices
                return
            found = _get(data, self.group_path(chain[level]), indices)
            if isinstance(found, list):
                for n in range(len(found)):
                    yield from rec(level + 1, (*indices, n))

        yield from rec(0, ())


def _combine(mode: str, values: list[bool | None]) -> bool | None:
    if mode == "any":
        if True in values:
            return True
        return None if None in values else False
    if False in values:
        return False
    return None if None in values else True


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()


def _get(data: Any, path: Path, indices: tuple[int, ...]) -> Any:
    current = data
    ix = iter(indices)
    for part in path:
        if part is None:
            n = next(ix)
            if not isinstance(current, list) or n >= len(current):
                return _ABSENT
            current = current[n]
        else:
            if not isinstance(current, Mapping) or part not in current:
                return _ABSENT
            current = current[part]
    return current


def _put(data: dict[str, Any], path: Path, indices: tuple[int, ...], value: Any) -> None:
    current: Any = data
    ix = iter(indices)
    for n, part in enumerate(path):
        last = n == len(path) - 1
        if part is None:
            i = next(ix)
            if not isinstance(current, list) or i >= len(current):
                return  # the group instance does not exist in the draft
            if last:
                current[i] = value
                return
            current = current[i]
            continue
        if not isinstance(current, dict):
            return  # e.g. below a facilitator that is null
        if last:
            current[part] = value
            return
        nxt = path[n + 1]
        if part not in current:
            current[part] = [] if nxt is None else {}
        elif current[part] is None:
            return
        current = current[part]
