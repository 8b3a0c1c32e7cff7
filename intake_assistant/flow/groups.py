"""Repeated groups: adding and removing participants, cost lines and ties.

Mixed into ``IntakeSession``. A group's size is the answer to its count question; removing
an instance forgets its answers and renumbers the later ones. An added instance is pending
until its first question is answered: the draft, the pre-check and a save do not hold it
yet, and going back (or on, or elsewhere) without that answer undoes the add.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from intake_assistant.i18n import Message

from .plan import Plan, Slot, make_key, parse_key
from .states import REVIEW, SUMMARY


@dataclass(frozen=True, slots=True)
class _PendingAdd:
    """An instance added to a repeated group whose first question is not answered yet."""

    group: str
    parent: tuple[int, ...]
    index: int
    count_key: str
    previous_count: int | None
    key: str  # the first question of the new instance
    came_from: str  # the state before the add


class RepeatedGroups:
    """The group commands of the session (the state machine moves to what was added)."""

    if TYPE_CHECKING:  # provided by IntakeSession
        state: str
        plan: Plan
        _answers: dict[str, Any]
        _slots: list[Slot]
        _by_key: dict[str, Slot]
        _adding: _PendingAdd | None
        _provenance: dict[str, Any]

        def _tr(self, message: Message) -> str: ...
        def _live(self, key: str) -> Any: ...
        def _refresh(self, evaluate: bool = True) -> None: ...
        def _move(self, trigger: str, dest: str) -> bool: ...
        def _position(self) -> int: ...
        def go_to(self, key: str) -> bool: ...
        def _first_open_key(self) -> str: ...

    @property
    def adding(self) -> bool:
        """Whether an added participant, cost line or tie waits for its first answer."""
        return self._adding is not None

    def cancel_add(self) -> bool:
        """Undo a pending add; back to where the session stood before it."""
        pending = self._adding
        if pending is None:
            return False
        self._adding = None
        self._answers = self._answers_without_adding(pending)
        self._shift_out(pending.group, pending.parent, pending.index)
        self._refresh()
        target = pending.came_from
        if target not in (REVIEW, SUMMARY) and not (
                target in self._by_key and self._by_key[target].asked):
            target = self._first_open_key()
        return self._move("jump", target)

    def _answers_without_adding(self, pending: _PendingAdd | None = None) -> dict[str, Any]:
        pending = pending or self._adding
        if pending is None:
            return self._answers
        answers = dict(self._answers)
        if pending.previous_count is None:
            answers.pop(pending.count_key, None)
        else:
            answers[pending.count_key] = pending.previous_count
        return answers

    def _set_count(self, count_id: str, indices: tuple[int, ...], count: int) -> None:
        key = make_key(count_id, indices)
        question = self.plan.by_id[count_id]
        high = question.validation.max
        low = question.validation.min
        if (high is not None and count > high) or (low is not None and count < low):
            raise ValueError(self._tr(Message(
                question.validation.message or "The answer must be at most {max}.",
                min=low, max=high)))
        self._answers[key] = count

    def _shift_out(self, group: str, parent: tuple[int, ...], index: int) -> None:
        """Forget the answers of one instance of ``group`` and renumber the later ones."""
        depth = len(parent)
        members = {q.id for q in self.plan.questions
                   if len(self.plan.chain(q)) > depth and self.plan.chain(q)[depth] == group}

        def renumbered(by_key: dict[str, Any]) -> dict[str, Any]:
            moved: dict[str, Any] = {}
            for key, val in by_key.items():
                qid, ix = parse_key(key)
                if qid in members and ix[:depth] == parent:
                    n = ix[depth]
                    if n == index:
                        continue
                    if n > index:
                        key = make_key(qid, (*parent, n - 1, *ix[depth + 1:]))
                moved[key] = val
            return moved

        self._answers = renumbered(self._answers)
        self._provenance = renumbered(self._provenance)  # who said it moves with the answer

    def _first_key(self, group: str, indices: tuple[int, ...]) -> str:
        depth = len(indices)
        for q in self.plan.questions:
            chain = self.plan.chain(q)
            if len(chain) == depth and chain[-1] == group:
                return make_key(q.id, indices)
        raise KeyError(group)

    def _add(self, group: str, parent: tuple[int, ...]) -> str:
        """A new instance, pending until its first question is answered (see ``adding``)."""
        self.cancel_add()
        count_id = self.plan.count_of_group[group]
        count_key = make_key(count_id, parent)
        current = self._live(count_key)
        new = 1 if current is None else current + 1
        came_from = self.state
        self._set_count(count_id, parent, new)
        key = self._first_key(group, (*parent, new - 1))
        self._adding = _PendingAdd(group, parent, new - 1, count_key, current, key, came_from)
        self._refresh()
        self.go_to(key)
        return key

    def _remove(self, group: str, parent: tuple[int, ...], index: int) -> None:
        self.cancel_add()
        count_id = self.plan.count_of_group[group]
        current = self._live(make_key(count_id, parent))
        if not isinstance(current, int) or not 0 <= index < current:
            raise IndexError(index)
        self._set_count(count_id, parent, current - 1)
        self._shift_out(group, parent, index)
        self._refresh()
        if self.state not in (REVIEW, SUMMARY) and not (
            self.state in self._by_key and self._by_key[self.state].asked
        ):
            following = [s for s in self._slots[self._position():] if s.asked]
            self._move("jump", following[0].key if following else REVIEW)

    def add_participant(self) -> str:
        """One more participant, pending until it is named (see ``adding``)."""
        return self._add("participant", ())

    def remove_participant(self, index: int) -> None:
        """Remove participant ``index`` and its answers; ValueError for the last one."""
        self._remove("participant", (), index)

    def edit_participant(self, index: int) -> str:
        key = self._first_key("participant", (index,))
        if not self.go_to(key):
            raise IndexError(index)
        return key

    def cost_lines(self, participant: int) -> list[str]:
        """Descriptions of the cost lines of a participant ("" where none was given)."""
        count = self._live(make_key("cost_line_count", (participant,)))
        return [self._answers.get(make_key("cost_line_description", (participant, i)), "")
                for i in range(count if isinstance(count, int) else 0)]

    def add_cost_line(self, participant: int) -> str:
        return self._add("cost_line", (participant,))

    def remove_cost_line(self, participant: int, index: int) -> None:
        self._remove("cost_line", (participant,), index)

    def add_tie(self) -> str:
        """One more tie between the facilitator and a participant (needs a facilitator)."""
        if self._live("facilitator_appointed") is not True:
            raise ValueError(self._tr(Message("First say that a process facilitator is appointed.")))
        return self._add("tie", ())

    def remove_tie(self, index: int) -> None:
        self._remove("tie", (), index)

