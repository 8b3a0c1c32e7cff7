"""Nothing lost between colleagues: a stale save merges with the newer one, answer by answer.

When a save is refused because a colleague saved the intake meanwhile, three states are at hand:
the one this window last read or wrote (the base), this window's (mine) and the stored one
(theirs). Each answer is merged on its own (three-way, as ``diff3`` merges lines):

* the same on both sides, or changed only by them: theirs;
* changed only here: mine, with my provenance (who gave it and when);
* changed on both sides to different values: a conflict, shown like ``diff`` with who gave each
  value and when, until the advisor chooses (``resolved``). Until then the stored state holds
  theirs: nothing is written over.

A participant removed on one side shifts the numbered answers after it, so that side changes
all of them; an answer of those that the other side changed too becomes a conflict rather than
a silent mix. Where this window stands (question, language, mode) stays mine. The copy as a
separate intake stays the fallback where the stored intake is gone or cannot be read.

No textual here: the terminal and the served mode show the conflicts through the service.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from intake_assistant.storage import (
    DamagedSaveError,
    IntakeMeta,
    NewerSaveError,
    SaveConflictError,
    SavedIntake,
)

if TYPE_CHECKING:
    from intake_assistant.i18n import Translator
    from intake_assistant.stores.store_protocol import IntakeStore

#: An answer that is not there on one side (a question not answered, or one removed).
ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()
#: Which side an answer is taken from.
MINE, THEIRS = "mine", "theirs"


@dataclass(frozen=True, slots=True)
class AnswerConflict:
    """One answer changed here and by a colleague, to different values."""

    key: str
    base: Any
    mine: Any
    theirs: Any
    mine_by: dict[str, Any] | None  # the provenance records (who, when, note)
    theirs_by: dict[str, Any] | None


@dataclass(slots=True)
class MergedAnswers:
    """Theirs with my changes that do not collide; ``conflicts`` wait for a choice."""

    state: dict[str, Any]
    taken_from_mine: list[str] = field(default_factory=list)
    conflicts: list[AnswerConflict] = field(default_factory=list)


def _answers(state: dict[str, Any]) -> dict[str, Any]:
    answers = state.get("answers")
    return answers if isinstance(answers, dict) else {}


def _provenance(state: dict[str, Any]) -> dict[str, Any]:
    records = state.get("provenance")
    return records if isinstance(records, dict) else {}


def same_as_saved(a: Any, b: Any) -> bool:
    """Equal as saved (1 and 1.0, a tuple and a list alike; JSON is what is kept)."""
    if a is ABSENT or b is ABSENT:
        return a is b
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True,
                                                                    default=str)


def merge_answers(base: dict[str, Any], mine: dict[str, Any],
                  theirs: dict[str, Any]) -> MergedAnswers:
    """Merge two sessions' states that both started from ``base`` (see the module's text)."""
    answers_base, answers_mine, answers_theirs = _answers(base), _answers(mine), _answers(theirs)
    records_mine, records_theirs = _provenance(mine), _provenance(theirs)
    answers = dict(answers_theirs)
    records = dict(records_theirs)
    result = MergedAnswers(state={})
    for key in sorted(set(answers_base) | set(answers_mine) | set(answers_theirs)):
        b = answers_base.get(key, ABSENT)
        m = answers_mine.get(key, ABSENT)
        t = answers_theirs.get(key, ABSENT)
        if same_as_saved(m, t) or same_as_saved(m, b):
            continue  # theirs already
        if same_as_saved(t, b):  # only mine changed it
            result.taken_from_mine.append(key)
            if m is ABSENT:
                answers.pop(key, None)
                records.pop(key, None)
            else:
                answers[key] = m
                if key in records_mine:
                    records[key] = records_mine[key]
                else:
                    records.pop(key, None)
            continue
        result.conflicts.append(AnswerConflict(
            key, b, m, t, records_mine.get(key), records_theirs.get(key)))
    # where this window stands, and how it shows the intake, stay mine
    result.state = {**theirs, **{k: v for k, v in mine.items()
                                 if k not in ("answers", "provenance")},
                    "answers": answers, "provenance": records}
    return result


def resolved(merged: MergedAnswers, choices: dict[str, str]) -> dict[str, Any]:
    """The merged state with each conflict settled as chosen (``MINE`` or ``THEIRS``; an answer
    not chosen keeps theirs, so nothing is written over unasked)."""
    state = dict(merged.state)
    answers = dict(state["answers"])
    records = dict(state["provenance"])
    for conflict in merged.conflicts:
        if choices.get(conflict.key) != MINE:
            continue
        if conflict.mine is ABSENT:
            answers.pop(conflict.key, None)
            records.pop(conflict.key, None)
        else:
            answers[conflict.key] = conflict.mine
            if conflict.mine_by is not None:
                records[conflict.key] = conflict.mine_by
            else:
                records.pop(conflict.key, None)
    state["answers"], state["provenance"] = answers, records
    return state


def conflict_lines(conflict: AnswerConflict, label: str, shown: Callable[[Any], str],
                   who: Callable[[dict[str, Any] | None], str], tr: Translator) -> list[str]:
    """The conflict as ``diff`` shows a changed line: the question, then ``-`` the colleague's
    value (who, when) and ``+`` this window's. ``shown`` words a value and ``who`` a provenance
    record, in the reader's language."""
    def line(sign: str, value: Any, record: dict[str, Any] | None) -> str:
        words = tr("(no answer)") if value is ABSENT else shown(value)
        return f"{sign} {words}   ({who(record)})"

    return [label, line("-", conflict.theirs, conflict.theirs_by),
            line("+", conflict.mine, conflict.mine_by)]


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What became of a save: written (``merged`` says what a colleague's save added), or
    waiting for the advisor's choice on ``merged.conflicts`` (nothing written)."""

    written: bool
    merged: MergedAnswers | None = None
    colleague: SavedIntake | None = None  # the newer save that was merged with


class MergingSaver:
    """Saves through a store and keeps what each intake looked like when this window last read
    or wrote it (the base of a merge). A save the store refuses as stale is merged with the
    newer one; without a base, or when the newer one cannot be read (gone, damaged, of a newer
    version), the refusal stands (``SaveConflictError``) and the caller keeps the answers as a
    copy, as before."""

    #: A merge saved over a save that came in meanwhile is merged again, this often at most.
    ATTEMPTS = 5

    def __init__(self, store: IntakeStore) -> None:
        self.store = store
        self._bases: dict[str, dict[str, Any]] = {}

    def load(self, intake_id: str) -> SavedIntake:
        saved = self.store.load(intake_id)
        self._bases[intake_id] = saved.state
        return saved

    def forget(self, intake_id: str) -> None:
        self._bases.pop(intake_id, None)
        self.store.forget(intake_id)

    def save(self, intake_id: str, state: dict[str, Any],
             meta_of: Callable[[dict[str, Any]], IntakeMeta]) -> SaveOutcome:
        merged: MergedAnswers | None = None
        colleague: SavedIntake | None = None
        refusal: SaveConflictError | None = None
        for _attempt in range(self.ATTEMPTS):
            try:
                self.store.save(intake_id, state, meta_of(state))
            except SaveConflictError as refused:
                refusal = refused
                base = self._bases.get(intake_id)
                if base is None:
                    raise
                try:
                    colleague = self.store.load(intake_id)
                except (FileNotFoundError, DamagedSaveError, NewerSaveError):
                    raise refused from None
                merged = merge_answers(base, state, colleague.state)
                self._bases[intake_id] = colleague.state
                if merged.conflicts:
                    return SaveOutcome(written=False, merged=merged, colleague=colleague)
                state = merged.state
                continue
            self._bases[intake_id] = state
            return SaveOutcome(written=True, merged=merged, colleague=colleague)
        assert refusal is not None
        raise refusal
